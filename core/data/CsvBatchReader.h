#pragma once

#include "core/common/Result.h"
#include "core/data/Table.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace baton {

// A column a CsvBatchReader delivers, and the type its text is converted to.
struct CsvColumnRequest
{
    QString name;
    ColumnType type = ColumnType::Float64;
};

struct CsvBatchOptions
{
    char delimiter = 0;          // 0: sniff among ',' ';' '\t' '|' on the first records
    qsizetype batchRows = 65536; // rows per batch
};

// Reads a CSV file of any size in batches of rows, with memory bounded by the batch and a read
// block (a few MB), not by the file: for scoring large files (`baton predict`).
//
// The syntax is readCsv()'s (CsvReader.h: quoting, line ends, BOM, blank lines, missing tokens,
// ragged rows), and the first record is the header. Unlike readCsv(), types are not inferred:
// each requested column is converted to the type it was requested as, the same in every batch
// (a batch whose dates all happen to be ambiguous, or whose numbers are all missing, reads the
// same as any other):
//   Float64      numbers as readCsv reads them, true/yes as 1 and false/no as 0
//   Int64        64-bit integers
//   Bool         true/false/yes/no, any case
//   DateTime     readCsv's date/time layouts; which one (and day/month order) is decided once
//                from the whole file, as readCsv decides it
//   Categorical  the text as written, dictionary per batch in order of first appearance
//   Text         the text as written
// A value that does not fit is a BadInput error naming the file, line, column and data row.
// Text is UTF-8 unless the whole file is not valid UTF-8 (then Latin-1), as for readCsv().
//
// Use: open() reads the header; select() chooses the columns and reads the whole file once to
// check it (NUL bytes, quotes, field counts, encoding, date layouts) before anything is
// delivered; next() then returns batches until one with no rows. A file that changes between
// the passes is refused (csv.changed).
class CsvBatchReader
{
public:
    static Result<std::unique_ptr<CsvBatchReader>> open(const QString &path,
                                                        const CsvBatchOptions &options = {});
    ~CsvBatchReader();

    // The header's column names (made unique as readCsv makes them).
    QStringList header() const;

    // Requested names must be in the header (csv.missing_column otherwise) and distinct.
    Status select(std::vector<CsvColumnRequest> columns);

    // The next rows: a Table with the selected columns in request order; no rows at the end.
    Result<Table> next();

    // Data rows delivered so far.
    qsizetype rowsRead() const;

private:
    CsvBatchReader();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace baton
