#pragma once

#include "core/common/ExitCode.h"

#include <QString>
#include <QtGlobal>

class QTextStream;

namespace baton {

struct PredictOptions
{
    // Rows read, scored and written at a time: bounds memory whatever the input's size.
    qsizetype batchRows = 65536;
};

// `baton predict --bundle B --data D --out P`: verifies the bundle (every SHA-256 in its manifest),
// checks the CSV against the trained schema, and writes row, prediction (and p_<class>
// probabilities) as CSV. The input is streamed in batches (CsvBatchReader), each column read as
// the type it was trained as. Bad bundles and bad data exit with ExitCode::BadInput and a
// message naming the file, line, column or row.
ExitCode runPredict(const QString &bundle, const QString &data, const QString &out, QTextStream &err,
                    const PredictOptions &options = {});

} // namespace baton
