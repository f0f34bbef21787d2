#pragma once

#include "core/common/Json.h"

#include <QString>

class QImage;

namespace baton {

// Files a stage produces live in the project's `assets/` folder and travel as URLs
// (protocol §4.1): /api/assets/projects/<id>/assets/<relative path>.
QString assetUrl(const QString &projectId, const QString &relativePath);

// Writes atomically (QSaveFile) so a crash never leaves a half-written artifact behind.
Status writeJsonFile(const QString &path, const json &value, int indent = 2);
Status writeTextFile(const QString &path, const QByteArray &bytes);
Status writePngFile(const QString &path, const QImage &image);

// Reads and parses a JSON file without exceptions. A file that cannot be opened is an error of
// `kind` with `code`; `hint` (e.g. "run TRAIN again") is appended to its message.
Result<json> readJsonFile(const QString &path, ErrorKind kind = ErrorKind::NotFound,
                          const QString &code = QStringLiteral("file.missing"),
                          const QString &hint = {});

// SHA-256 of a file, hex; streams so big files don't load into memory.
Result<QString> sha256OfFile(const QString &path);

} // namespace baton
