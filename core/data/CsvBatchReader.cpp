#include "CsvBatchReader.h"

#include "CsvSyntax.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace baton {
namespace {

using namespace csv;

constexpr qint64 kBlockBytes = qint64(4) << 20;
// A record longer than this is refused rather than buffered: in practice it is a quote that is
// never closed, which would otherwise pull the rest of the file into memory.
constexpr qint64 kMaxRecordBytes = qint64(64) << 20;

QString quoted(const QString &text)
{
    return QStringLiteral("“%1”").arg(text.size() > 40 ? text.left(40) + QStringLiteral("…") : text);
}

// A file read block by block so that the buffer always ends on a record boundary: [pos(),
// recordsEnd()) holds whole records only, and the bytes of a record cut by the block end wait
// for the next block. Boundaries follow parseRecord()'s quoting rule (a quote opens a quoted
// field only as the field's first byte), found by hopping from quote to quote.
class RecordStream
{
public:
    Status open(const QString &path, const QString &label)
    {
        m_label = label;
        m_file.setFileName(path);
        if (!m_file.open(QIODevice::ReadOnly)) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.open_failed"),
                             QStringLiteral("Cannot open %1: %2").arg(path, m_file.errorString()),
                             label);
        }
        return rewind();
    }

    // Back to the first byte after the BOM; the next records are found once the delimiter is set.
    Status rewind()
    {
        if (!m_file.seek(0)) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.read_failed"),
                             QStringLiteral("Cannot read %1: %2").arg(m_label, m_file.errorString()),
                             m_label);
        }
        m_buffer.clear();
        m_pos = m_scanPos = m_recordsEnd = 0;
        m_bufferOffset = 0;
        m_line = 1;
        m_eof = false;
        m_inQuotes = false;
        m_validUtf8 = true;
        if (Status read = readBlock(); !read)
            return read;
        m_bom = m_buffer.startsWith("\xEF\xBB\xBF");
        if (m_bom) {
            m_buffer.remove(0, 3);
            m_bufferOffset = 3;
        }
        if (m_delimiter)
            scan();
        return {};
    }

    void setDelimiter(char delimiter)
    {
        m_delimiter = delimiter;
        scan();
    }

    // The raw bytes read so far (before the delimiter is known: for sniffing it).
    const char *rawBegin() const { return m_buffer.constData() + m_pos; }
    const char *rawEnd() const { return m_buffer.constData() + m_buffer.size(); }

    // Makes at least one whole record (or blank line) available at pos(); false at the end.
    Result<bool> ensureRecord()
    {
        while (m_pos == m_recordsEnd) {
            if (m_eof)
                return m_pos < m_buffer.size();
            if (m_buffer.size() - m_pos > kMaxRecordBytes)
                return recordTooLong();
            if (Status read = readBlock(); !read)
                return read.error();
            scan();
        }
        return true;
    }

    const char *pos() const { return m_buffer.constData() + m_pos; }
    const char *recordsEnd() const { return m_buffer.constData() + m_recordsEnd; }
    qint64 line() const { return m_line; }

    // Moves past a parsed record (or blank line) ending at `to`.
    void consume(const char *to)
    {
        m_line += std::count(pos(), to, '\n');
        m_pos = to - m_buffer.constData();
    }

    bool hasBom() const { return m_bom; }
    // Whether every whole record made available so far was valid UTF-8.
    bool validUtf8() const { return m_validUtf8; }

private:
    Status readBlock()
    {
        // Drop what was consumed: only the unread records stay in memory.
        if (m_pos > 0) {
            m_buffer.remove(0, m_pos);
            m_bufferOffset += m_pos;
            m_scanPos -= m_pos;
            m_recordsEnd -= m_pos;
            m_pos = 0;
        }
        const qsizetype before = m_buffer.size();
        m_buffer.resize(before + kBlockBytes);
        const qint64 got = m_file.read(m_buffer.data() + before, kBlockBytes);
        if (got < 0) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.read_failed"),
                             QStringLiteral("Cannot read %1: %2").arg(m_label, m_file.errorString()),
                             m_label);
        }
        m_buffer.resize(before + got);
        m_eof = got == 0;
        return checkNoNul(m_buffer.constData(), before, m_buffer.size(), m_label, m_line,
                          m_bufferOffset);
    }

    // Extends [m_pos, m_recordsEnd) over the records the buffer now holds in full.
    void scan()
    {
        const char *base = m_buffer.constData();
        const char *end = base + m_buffer.size();
        const char *p = base + m_scanPos;
        const qsizetype recordsBefore = m_recordsEnd;
        while (p < end) {
            if (m_inQuotes) {
                const auto *quote = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
                if (!quote) {
                    p = end;
                    break;
                }
                if (quote + 1 == end && !m_eof) {
                    p = quote; // a closing quote or the first of a pair: the next block tells
                    break;
                }
                if (quote + 1 < end && quote[1] == '"') {
                    p = quote + 2;
                    continue;
                }
                m_inQuotes = false;
                p = quote + 1;
                continue;
            }
            const auto *quote = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
            const char *stretchEnd = quote ? quote : end;
            if (const auto *newline = static_cast<const char *>(
                    memrchr(p, '\n', size_t(stretchEnd - p)))) {
                m_recordsEnd = newline + 1 - base;
            }
            if (!quote) {
                p = end;
                break;
            }
            m_inQuotes = quote == base || quote[-1] == m_delimiter || quote[-1] == '\n';
            p = quote + 1;
        }
        m_scanPos = p - base;
        if (m_eof)
            m_recordsEnd = m_buffer.size(); // the last record needs no line end
        if (!m_bom && m_validUtf8)
            m_validUtf8 = isValidUtf8(base + recordsBefore, base + m_recordsEnd);
    }

    Error recordTooLong() const
    {
        const QString where = QStringLiteral("line %1").arg(m_line);
        return makeError(ErrorKind::BadInput,
                         QString::fromLatin1(m_inQuotes ? "csv.unterminated_quote" : "csv.record_too_long"),
                         m_inQuotes ? QStringLiteral("The quoted field starting on line %1 runs on for "
                                                     "more than %2 MB: its '\"' is probably never closed")
                                          .arg(m_line)
                                          .arg(kMaxRecordBytes >> 20)
                                    : QStringLiteral("The record on line %1 is longer than %2 MB")
                                          .arg(m_line)
                                          .arg(kMaxRecordBytes >> 20),
                         m_label + QLatin1Char(':') + where);
    }

    QFile m_file;
    QString m_label;
    QByteArray m_buffer;
    qsizetype m_pos = 0;        // first unconsumed byte (always a record start)
    qsizetype m_scanPos = 0;    // where the boundary scan resumes
    qsizetype m_recordsEnd = 0; // end of the whole records in the buffer
    qint64 m_bufferOffset = 0;  // file offset of m_buffer[0]
    qint64 m_line = 1;          // line of m_pos
    char m_delimiter = 0;
    bool m_eof = false;
    bool m_inQuotes = false;
    bool m_bom = false;
    bool m_validUtf8 = true;
};

// Where a value sits, for error messages.
struct Place
{
    const QString &label;
    qint64 line;
    qsizetype dataRow; // 1-based
};

Error badValue(const Place &at, const QString &column, const char *code, const QString &expected,
               Sv value, TextEncoding encoding)
{
    const QString where = QStringLiteral("line %1").arg(at.line);
    return makeError(ErrorKind::BadInput, QString::fromLatin1(code),
                     QStringLiteral("%1, line %2, column %3 (data row %4): expected %5, found %6")
                         .arg(at.label)
                         .arg(at.line)
                         .arg(quoted(column))
                         .arg(at.dataRow)
                         .arg(expected, quoted(decode(value, encoding))),
                     QStringLiteral("%1:%2, column %3").arg(at.label, where, quoted(column)));
}

// One requested column of the current batch, converted as it is read.
class ColumnBuilder
{
public:
    ColumnBuilder(CsvColumnRequest request, uint8_t dateFamily, uint8_t dateFeatures)
        : m_request(std::move(request))
        , m_dateFamily(dateFamily)
        , m_dateFeatures(dateFeatures)
    {}

    Status add(Sv field, const Place &at, TextEncoding encoding)
    {
        const Sv s = trimmed(field);
        const bool missing = isMissingToken(s);
        switch (m_request.type) {
        case ColumnType::Float64: {
            double value = std::numeric_limits<double>::quiet_NaN();
            if (!missing && !parseDouble(s, value)) {
                const int flag = parseBool(s);
                if (flag < 0)
                    return badValue(at, m_request.name, "csv.not_a_number", QStringLiteral("a number"), field, encoding);
                value = flag;
            }
            m_doubles.push_back(value);
            return {};
        }
        case ColumnType::Int64: {
            int64_t value = 0;
            if (!missing && !parseInt64(s, value))
                return badValue(at, m_request.name, "csv.not_an_integer", QStringLiteral("an integer"), field, encoding);
            m_ints.push_back(value);
            break;
        }
        case ColumnType::Bool: {
            const int flag = missing ? 0 : parseBool(s);
            if (flag < 0)
                return badValue(at, m_request.name, "csv.not_a_boolean",
                                QStringLiteral("true/false or yes/no"), field, encoding);
            m_bools.push_back(uint8_t(flag));
            break;
        }
        case ColumnType::DateTime: {
            DateParts parts;
            if (!missing && !(parseDateTime(s, parts) & m_dateFamily))
                return badValue(at, m_request.name, "csv.not_a_date",
                                QStringLiteral("a date like %1").arg(dateTimeFormat(m_dateFamily, m_dateFeatures)),
                                field, encoding);
            m_ints.push_back(missing ? 0 : toEpochMs(parts, m_dateFamily));
            break;
        }
        case ColumnType::Categorical: {
            if (missing) {
                m_codes.push_back(-1);
                return {};
            }
            const auto [it, inserted] = m_index.try_emplace(std::string(field), int32_t(m_dictionary.size()));
            if (inserted)
                m_dictionary.push_back(decode(field, encoding));
            m_codes.push_back(it->second);
            return {};
        }
        case ColumnType::Text:
            if (missing)
                m_texts.appendEmpty();
            else
                appendDecoded(m_texts, field, encoding);
            break;
        }
        m_missing.push_back(missing ? 1 : 0);
        m_anyMissing = m_anyMissing || missing;
        return {};
    }

    // The batch's column; the builder starts the next batch empty.
    Column take()
    {
        std::vector<uint8_t> missing = m_anyMissing ? std::move(m_missing) : std::vector<uint8_t>();
        m_missing.clear();
        m_anyMissing = false;
        const QString &name = m_request.name;
        switch (m_request.type) {
        case ColumnType::Float64: return Column::float64(name, std::exchange(m_doubles, {}));
        case ColumnType::Int64: return Column::int64(name, std::exchange(m_ints, {}), std::move(missing));
        case ColumnType::Bool: return Column::boolean(name, std::exchange(m_bools, {}), std::move(missing));
        case ColumnType::DateTime:
            return Column::dateTime(name, std::exchange(m_ints, {}),
                                    dateTimeFormat(m_dateFamily, m_dateFeatures), std::move(missing));
        case ColumnType::Categorical:
            m_index.clear();
            return Column::categorical(name, std::exchange(m_codes, {}), std::exchange(m_dictionary, {}));
        case ColumnType::Text: return Column::text(name, std::exchange(m_texts, {}), std::move(missing));
        }
        return {};
    }

private:
    CsvColumnRequest m_request;
    uint8_t m_dateFamily;
    uint8_t m_dateFeatures;
    std::vector<double> m_doubles;
    std::vector<int64_t> m_ints;
    std::vector<uint8_t> m_bools;
    std::vector<int32_t> m_codes;
    std::unordered_map<std::string, int32_t> m_index;
    std::vector<QString> m_dictionary;
    TextCells m_texts;
    std::vector<uint8_t> m_missing;
    bool m_anyMissing = false;
};

// What the whole file says about a column's dates (for DateTime requests): the layouts every
// value fits, as readCsv's inference sees them, and the first value that fits none.
struct DateEvidence
{
    uint8_t families = DateFamily::All;
    uint8_t features = 0;
    qint64 conflictLine = 0;
    qsizetype conflictRow = 0;
    std::string conflictValue;

    void observe(Sv field, qint64 line, qsizetype dataRow)
    {
        if (families == 0)
            return;
        const Sv s = trimmed(field);
        if (isMissingToken(s))
            return;
        DateParts parts;
        families &= parseDateTime(s, parts);
        features |= parts.features;
        if (families == 0) {
            conflictLine = line;
            conflictRow = dataRow;
            conflictValue.assign(field);
        }
    }
};

} // namespace

struct CsvBatchReader::Private
{
    QString path;
    QString label;
    CsvBatchOptions options;
    RecordStream stream;
    FileStamp stamp;
    char delimiter = ',';
    int columnCount = 0;
    std::vector<std::string> rawHeader;
    QStringList names;
    TextEncoding encoding = TextEncoding::Utf8;
    bool selected = false;
    bool finished = false;
    qsizetype rowsRead = 0;
    // One-column files: blank lines are missing values, unless trailing. They wait here until a
    // record follows, which waits too when the batch is full.
    qsizetype pendingBlankRows = 0;
    std::optional<std::string> heldRecord;
    qint64 heldLine = 0;
    std::vector<ColumnBuilder> builders;
    std::vector<int> builderOfField; // -1: not requested
    std::string scratch;

    Error unterminatedQuote() const
    {
        const qint64 line = stream.line();
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.unterminated_quote"),
                         QStringLiteral("Unterminated quoted field starting on line %1: the '\"' "
                                        "that opens it is never closed")
                             .arg(line),
                         QStringLiteral("%1:line %2").arg(label).arg(line));
    }

    Error raggedRow(int fields) const
    {
        const qint64 line = stream.line();
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.ragged_row"),
                         QStringLiteral("Line %1 has %2 fields, expected %3 as in the header")
                             .arg(line)
                             .arg(fields)
                             .arg(columnCount),
                         QStringLiteral("%1:line %2").arg(label).arg(line));
    }

    // Skips blank lines before the header, reads it, and leaves the stream on the first data record.
    Status readHeader()
    {
        for (;;) {
            auto more = stream.ensureRecord();
            if (!more)
                return more.error();
            if (!*more) {
                return makeError(ErrorKind::BadInput, QStringLiteral("csv.empty"),
                                 QStringLiteral("%1 holds no data").arg(label), label);
            }
            const char *p = stream.pos();
            if (skipBlankLine(p, stream.recordsEnd())) {
                stream.consume(p);
                continue;
            }
            rawHeader.clear();
            int count = 0;
            if (!parseRecord(p, stream.recordsEnd(), delimiter, scratch, count,
                             [&](int, Sv field) { rawHeader.emplace_back(field); })) {
                return unterminatedQuote();
            }
            stream.consume(p);
            columnCount = count;
            return {};
        }
    }

    // Back to the first data record.
    Status rewindToData()
    {
        if (Status rewound = stream.rewind(); !rewound)
            return rewound;
        return readHeader();
    }

    void decodeHeader(TextEncoding headerEncoding)
    {
        QStringList decoded;
        for (const std::string &name : rawHeader)
            decoded << decode(name, headerEncoding);
        names = uniqueNames(decoded);
    }

    enum class Item { Record, Blank, End };

    // Reads the next data record, passing its fields to onField(index, text) (views valid during
    // the call only), with quotes and the field count checked. Blank lines are reported only in
    // one-column files, where they are missing values (see readCsv); elsewhere they are skipped.
    template<typename OnField>
    Result<Item> readItem(OnField &&onField)
    {
        for (;;) {
            auto more = stream.ensureRecord();
            if (!more)
                return more.error();
            if (!*more)
                return Item::End;
            const char *p = stream.pos();
            if (skipBlankLine(p, stream.recordsEnd())) {
                stream.consume(p);
                if (columnCount == 1)
                    return Item::Blank;
                continue;
            }
            int count = 0;
            if (!parseRecord(p, stream.recordsEnd(), delimiter, scratch, count, onField))
                return unterminatedQuote();
            if (count != columnCount)
                return raggedRow(count);
            stream.consume(p);
            return Item::Record;
        }
    }
};

CsvBatchReader::CsvBatchReader()
    : d(std::make_unique<Private>())
{}

CsvBatchReader::~CsvBatchReader() = default;

Result<std::unique_ptr<CsvBatchReader>> CsvBatchReader::open(const QString &path,
                                                            const CsvBatchOptions &options)
{
    std::unique_ptr<CsvBatchReader> reader(new CsvBatchReader);
    Private &d = *reader->d;
    d.path = path;
    d.label = QFileInfo(path).fileName();
    d.options = options;
    d.options.batchRows = std::max<qsizetype>(1, options.batchRows);
    if (!QFileInfo(path).isFile()) {
        return makeError(ErrorKind::NotFound, QStringLiteral("csv.not_found"),
                         QStringLiteral("No such file: %1").arg(path), d.label);
    }
    d.stamp = stampOf(path);
    if (Status opened = d.stream.open(path, d.label); !opened)
        return opened.error();
    d.delimiter = options.delimiter ? options.delimiter
                                    : sniffDelimiter(d.stream.rawBegin(), d.stream.rawEnd());
    d.stream.setDelimiter(d.delimiter);
    if (Status header = d.readHeader(); !header)
        return header.error();
    // Provisional until select() has seen the whole file's bytes.
    bool headerUtf8 = true;
    for (const std::string &name : d.rawHeader)
        headerUtf8 = headerUtf8 && isValidUtf8(name.data(), name.data() + name.size());
    d.decodeHeader(d.stream.hasBom() || headerUtf8 ? TextEncoding::Utf8 : TextEncoding::Latin1);
    return reader;
}

QStringList CsvBatchReader::header() const
{
    return d->names;
}

qsizetype CsvBatchReader::rowsRead() const
{
    return d->rowsRead;
}

Status CsvBatchReader::select(std::vector<CsvColumnRequest> columns)
{
    QSet<QString> seen;
    for (const CsvColumnRequest &request : columns) {
        if (seen.contains(request.name)) {
            return makeError(ErrorKind::Usage, QStringLiteral("csv.duplicate_request"),
                             QStringLiteral("Column %1 is requested twice").arg(quoted(request.name)));
        }
        seen.insert(request.name);
    }
    // Before the whole file is read its encoding is a guess: a name fits either decoding.
    QStringList latin1Names;
    for (const std::string &name : d->rawHeader)
        latin1Names << decode(name, TextEncoding::Latin1);
    latin1Names = uniqueNames(latin1Names);
    bool encodingKnown = false;
    auto checkNames = [&]() -> Status {
        QStringList missing;
        for (const CsvColumnRequest &request : columns) {
            if (!d->names.contains(request.name) && (encodingKnown || !latin1Names.contains(request.name)))
                missing << QStringLiteral("%1 (%2)").arg(quoted(request.name), columnTypeName(request.type));
        }
        if (missing.isEmpty())
            return {};
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.missing_column"),
                         QStringLiteral("%1 has no column %2").arg(d->label, missing.join(QStringLiteral(", "))),
                         d->label);
    };
    if (Status named = checkNames(); !named)
        return named;

    // The whole file once: quotes, field counts, NUL bytes and encoding checked before any batch
    // is delivered, and the date evidence only the whole file gives.
    const bool wantsDates = std::any_of(columns.begin(), columns.end(), [](const CsvColumnRequest &r) {
        return r.type == ColumnType::DateTime;
    });
    std::vector<DateEvidence> dates(wantsDates ? size_t(d->columnCount) : 0);
    d->selected = false;
    if (Status rewound = d->rewindToData(); !rewound)
        return rewound;
    qsizetype dataRow = 0;
    for (;;) {
        auto item = d->readItem([&](int field, Sv value) {
            if (wantsDates && field < d->columnCount)
                dates[size_t(field)].observe(value, d->stream.line(), dataRow + 1);
        });
        if (!item)
            return item.error();
        if (item.value() == Private::Item::End)
            break;
        ++dataRow; // a blank line of a one-column file is a row too (unless trailing)
    }
    d->encoding = d->stream.hasBom() || d->stream.validUtf8() ? TextEncoding::Utf8 : TextEncoding::Latin1;
    d->decodeHeader(d->encoding);
    encodingKnown = true;
    if (Status named = checkNames(); !named)
        return named;

    d->builders.clear();
    d->builderOfField.assign(size_t(d->columnCount), -1);
    for (CsvColumnRequest &request : columns) {
        const auto field = size_t(d->names.indexOf(request.name));
        uint8_t family = 0;
        uint8_t features = 0;
        if (request.type == ColumnType::DateTime) {
            const DateEvidence &evidence = dates[field];
            family = chooseDateFamily(evidence.families);
            if (!family) {
                const Place at{d->label, evidence.conflictLine, evidence.conflictRow};
                return badValue(at, request.name, "csv.not_a_date",
                                QStringLiteral("a date in the layout of the column's other values"),
                                evidence.conflictValue, d->encoding);
            }
            features = evidence.features;
        }
        d->builderOfField[field] = int(d->builders.size());
        d->builders.emplace_back(std::move(request), family, features);
    }

    if (Status same = checkUnchanged(d->path, d->label, d->stamp); !same)
        return same;
    if (Status rewound = d->rewindToData(); !rewound)
        return rewound;
    d->selected = true;
    d->finished = false;
    d->rowsRead = 0;
    d->pendingBlankRows = 0;
    d->heldRecord.reset();
    return {};
}

Result<Table> CsvBatchReader::next()
{
    if (!d->selected) {
        return makeError(ErrorKind::Internal, QStringLiteral("csv.not_selected"),
                         QStringLiteral("CsvBatchReader::next() before select()"));
    }
    Private &p = *d;
    qsizetype rows = 0;
    Status failed;
    auto addValue = [&](int field, Sv value, qint64 line) {
        const int b = field < p.columnCount ? p.builderOfField[size_t(field)] : -1;
        if (b >= 0 && failed.ok())
            failed = p.builders[size_t(b)].add(value, Place{p.label, line, p.rowsRead + rows + 1}, p.encoding);
    };
    while (!p.finished && rows < p.options.batchRows) {
        if (p.heldRecord) {
            if (p.pendingBlankRows > 0) {
                addValue(0, Sv(), p.heldLine);
                --p.pendingBlankRows;
            } else {
                addValue(0, *p.heldRecord, p.heldLine);
                p.heldRecord.reset();
            }
            ++rows;
            continue;
        }
        auto item = p.readItem([&](int field, Sv value) {
            if (p.pendingBlankRows > 0) { // one column: the blank lines before come first
                p.heldRecord.emplace(value);
                p.heldLine = p.stream.line();
                return;
            }
            addValue(field, value, p.stream.line());
        });
        if (!item)
            return item.error();
        if (!failed.ok())
            return failed.error();
        switch (item.value()) {
        case Private::Item::Record:
            rows += p.heldRecord ? 0 : 1;
            break;
        case Private::Item::Blank: ++p.pendingBlankRows; break;
        case Private::Item::End:
            p.finished = true; // trailing blank lines are not rows, as in readCsv
            if (Status same = checkUnchanged(p.path, p.label, p.stamp); !same)
                return same.error();
            break;
        }
    }
    if (!failed.ok())
        return failed.error();
    Table table;
    table.setEncoding(d->encoding);
    for (ColumnBuilder &builder : d->builders) {
        if (Status added = table.addColumn(builder.take()); !added)
            return added.error();
    }
    d->rowsRead += rows;
    return table;
}

} // namespace baton
