#pragma once

#include "core/common/Result.h"
#include "core/data/Table.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace baton {

class JobToken;

enum class CsvHeader {
    Detect,  // decide from the data (see below)
    Present, // the first record holds the column names
    Absent,  // the first record is data; columns are named column_1..N
};

struct CsvOptions
{
    char delimiter = 0;                  // 0: sniff among ',' ';' '\t' '|'
    CsvHeader header = CsvHeader::Detect;
    qint64 maxBytes = qint64(8) << 30;   // larger inputs are refused, not half-read
    // A file needing more than this (about twice its size: text and table) is refused up front;
    // 0: the memory available on this machine now.
    qint64 memoryBudget = 0;
    int threads = 0;                     // 0: QThread::idealThreadCount()
};

// Reads a CSV file into a typed, columnar Table.
//
// Format: RFC 4180. A field that starts with '"' is quoted: it may hold delimiters, newlines and
// doubled quotes (""), and must be closed (else csv.unterminated_quote). A quote anywhere else is
// an ordinary character, and text after a closing quote is kept as is (lenient, like Python's csv).
// LF and CRLF line ends. UTF-8 with or without BOM; input that is not valid UTF-8 (and has no BOM)
// is decoded as Latin-1, see Table::encoding(). Leading blank lines and blank lines at the end are
// ignored; with more than one column, blank lines in between are skipped too (with one column
// they are missing values). Every other record must have as many fields as the first one
// (csv.ragged_row: never padded).
//
// Header (CsvHeader::Detect): types are inferred from records 2..N; the first record is a header
// when one of its values does not fit the type of its column (a name above numbers, dates or
// booleans), and data when its values fit. When no column gives evidence (all text), it is a
// header, as in most real files. Names are trimmed; an empty name becomes column_<i> (1-based) and
// a repeated one gets _2, _3, ... suffixes.
//
// Missing values: a field that, after trimming spaces, is empty or one of NA N/A null NULL NaN nan
// ? - (exact match). Missing cells never decide a type.
//
// Type inference looks at every row, not a sample; the first rule all present values satisfy wins:
//   1. Bool       true/false/yes/no, any case. 0/1 stay Int64.
//   2. Int64      optional sign ('+' accepted), decimal digits, fits in 64 bits.
//   3. Float64    anything std::from_chars(general) reads fully (correctly rounded, so bit-equal to
//                 strtod), optional '+', inf; surrounding spaces are allowed for 1-3.
//   4. DateTime   one format family for the whole column:
//                   yyyy-MM-dd, optionally followed by 'T' or ' ' and HH:mm[:ss[.fraction]] and a
//                   zone (Z, +hh:mm, +hhmm, +hh) -- ISO 8601;
//                   dd/MM/yyyy or MM/dd/yyyy (day first iff some value has a first part > 12;
//                   when every value is ambiguous, month first), dd.MM.yyyy, dd-MM-yyyy,
//                   each optionally followed by ' ' and HH:mm[:ss[.fraction]].
//                 Values without a zone are taken as UTC. Column::dateTimeFormat() records the
//                 format, e.g. "yyyy-MM-dd", "dd/MM/yyyy HH:mm", "yyyy-MM-ddTHH:mm:ss.zzzZ".
//   5. Categorical  the remaining (string) columns with d distinct values among n present ones
//                 when d <= max(50, n / 20) and d < n: few values that repeat. Dictionary in
//                 order of first appearance.
//   6. Text       everything else (identifiers, free text).
// A column with no present value at all is Float64 (all NaN).
//
// Speed: the file is memory-mapped where the system allows (no copy, no fresh pages to zero;
// MappedFile turns a truncation by another program into csv.changed instead of SIGBUS), else read
// in large blocks, a large file's two halves on two threads; a linear scan finds record
// boundaries outside
// quotes, and chunks of records are read in parallel in one pass that infers and converts
// together: each cell is converted as the type its column's values so far allow, and a chunk's
// column whose type had to widen (or whose type differs from the whole file's) is converted again
// afterwards -- rarely more than a few columns, so the bytes are split into fields about once.
// Records are split a small batch at a time and the batch converted column by column (one type's
// code at a time). The first chunk's columns become the table's, the other chunks appended in
// place. No per-cell strings for non-text columns. String columns are dictionary-encoded until
// they have more distinct values than a category may, then kept as one QString per cell.
//
// Files that cannot be read are refused with a clear error before anything is half-built: larger
// than maxBytes or needing more memory than memoryBudget (csv.too_large), a NUL byte anywhere --
// binary data or UTF-16 -- (csv.binary, naming line and column), a file that shrinks, changes or
// disappears while being read (csv.changed).
//
// Errors carry "file.csv:line N" in Error::context (and the line in the message). Checks
// token->isCancelled() periodically (ErrorKind::Cancelled); progress gets 0..1 on the calling
// thread.
Result<Table> readCsv(const QString &path, const CsvOptions &options = {},
                      const JobToken *token = nullptr, std::function<void(double)> progress = {});

// The same on bytes in memory (tests, pasted data, uploads). Context reads "line N".
Result<Table> readCsvBytes(const QByteArray &bytes, const CsvOptions &options = {},
                           const JobToken *token = nullptr);

} // namespace baton
