#pragma once

#include "core/common/ExitCode.h"

#include <QString>

class QTextStream;

namespace baton {

// `baton predict --bundle B --data D --out P`: verifies the bundle (every SHA-256 in its manifest),
// checks the CSV against the trained schema, and writes row, prediction (and p_<class>
// probabilities) as CSV. Bad bundles and bad data exit with ExitCode::BadInput and a message
// naming the file, column or row.
ExitCode runPredict(const QString &bundle, const QString &data, const QString &out, QTextStream &err);

} // namespace baton
