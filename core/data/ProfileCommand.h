#pragma once

#include "core/common/ExitCode.h"

#include <QString>

class QTextStream;

namespace baton {

// `baton profile --data PATH [--target COL]`: reads the CSV, profiles it and prints the profile
// JSON (Profile::toJson() plus a "file" object: path, size, encoding, read_ms, profile_ms) on
// `out`. Bad input (missing, empty or binary file, malformed CSV, unknown target) is one clear
// line on `err` and ExitCode::BadInput; nothing is printed on `out` then.
ExitCode runProfile(const QString &data, const QString &target, QTextStream &out,
                    QTextStream &err);

} // namespace baton
