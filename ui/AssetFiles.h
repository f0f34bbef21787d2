#pragma once

#include "core/common/Json.h"

#include <QString>

namespace baton::ui {

// The desktop reads a project's artifacts straight from its folder: an asset URL
// (/api/assets/projects/<id>/assets/<relative>) maps to <projectDir>/assets/<relative>.
// Empty for a URL that is not a project asset or tries to leave the folder.
QString localAssetPath(const QString &projectDir, const QString &assetUrl);

// Reads the JSON behind an asset URL; the error names the file.
Result<json> readAssetJson(const QString &projectDir, const QString &assetUrl);

} // namespace baton::ui
