#include "CsvReader.h"

#include "CsvChunkColumn.h"

#include "HugePages.h"
#include "MappedFile.h"

#include "core/common/SystemMemory.h"
#include "core/jobs/JobRunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QThread>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

#include <cerrno>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <iterator>
#include <limits>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace baton {
namespace {

using namespace csv;

// Not in core/common/Logging.h: that file belongs to the common layer; this category is local.
const QLoggingCategory &lcCsv()
{
    static const QLoggingCategory category("baton.data.csv", QtInfoMsg);
    return category;
}

// Below this many bytes per chunk, threads cost more than they save.
constexpr qsizetype kMinChunkBytes = 64 * 1024;
// How often (in records) workers look at the token and publish progress.
constexpr unsigned kCheckEvery = 4096;

struct Input
{
    const char *origin = nullptr; // first byte after the BOM: line numbers count from here
    const char *begin = nullptr;  // first record (leading blank lines skipped)
    const char *end = nullptr;    // trailing line ends trimmed
    char delimiter = ',';
    int columnCount = 0;
    QString label; // file name for error contexts; empty for in-memory input

    qsizetype lineAt(const char *pos) const { return 1 + std::count(origin, pos, '\n'); }

    Error errorAt(qsizetype line, const char *code, const QString &message) const
    {
        const QString where = QStringLiteral("line %1").arg(line);
        return makeError(ErrorKind::BadInput, QString::fromLatin1(code), message,
                         label.isEmpty() ? where : QStringLiteral("%1:%2").arg(label, where));
    }

    Error unterminatedQuote(const char *quote) const
    {
        const qsizetype line = lineAt(quote);
        return errorAt(line, "csv.unterminated_quote",
                       QStringLiteral("Unterminated quoted field starting on line %1: the '\"' "
                                      "that opens it is never closed")
                           .arg(line));
    }

    Error raggedRow(const char *record, int fields) const
    {
        const qsizetype line = lineAt(record);
        return errorAt(line, "csv.ragged_row",
                       QStringLiteral("Line %1 has %2 fields, expected %3 as in the first record")
                           .arg(line)
                           .arg(fields)
                           .arg(columnCount));
    }
};

// ---------------------------------------------------------------------------------------------
// Parallel chunks

// Runs one function per chunk on its own thread (inline for a single chunk). Progress goes to
// the callback on the calling thread only; a failed chunk stops the chunks after it, so the error
// reported is always the first one in the file.
class ChunkRunner
{
public:
    ChunkRunner(const JobToken *token, const std::function<void(double)> &progress)
        : m_token(token)
        , m_progress(progress)
    {}

    bool cancelled() const { return m_token && m_token->isCancelled(); }
    bool superseded(int chunk) const
    {
        return m_firstFailed.load(std::memory_order_relaxed) < chunk;
    }

    void advance(qint64 bytes)
    {
        m_done.fetch_add(bytes, std::memory_order_relaxed);
        if (m_inline)
            report();
    }

    // Progress of this phase maps to [from, to] of the whole read.
    Status run(int chunks, qint64 totalBytes, double from, double to,
               const std::function<Status(int)> &work)
    {
        m_done = 0;
        m_total = std::max<qint64>(1, totalBytes);
        m_from = from;
        m_to = to;
        m_firstFailed = INT_MAX;
        std::vector<Status> statuses(static_cast<size_t>(chunks));
        auto runOne = [&](int chunk) {
            Status status;
            try {
                status = work(chunk);
            } catch (const std::exception &e) {
                status = makeError(ErrorKind::Internal, QStringLiteral("csv.exception"),
                                   QString::fromUtf8(e.what()));
            }
            if (!status.ok()) {
                int current = m_firstFailed.load();
                while (chunk < current && !m_firstFailed.compare_exchange_weak(current, chunk)) {
                }
            }
            statuses[size_t(chunk)] = std::move(status);
        };

        if (chunks == 1) {
            m_inline = true;
            runOne(0);
            m_inline = false;
        } else {
            std::mutex mutex;
            std::condition_variable finishedChanged;
            int finished = 0;
            {
                // Declared last so that, should a thread fail to start, the destructor joins the
                // started ones before what they reference goes away.
                std::vector<std::jthread> threads;
                threads.reserve(size_t(chunks));
                for (int chunk = 0; chunk < chunks; ++chunk) {
                    threads.emplace_back([&, chunk] {
                        runOne(chunk);
                        {
                            std::lock_guard lock(mutex);
                            ++finished;
                        }
                        finishedChanged.notify_one();
                    });
                }
                std::unique_lock lock(mutex);
                while (finished < chunks) {
                    finishedChanged.wait_for(lock, std::chrono::milliseconds(50));
                    lock.unlock();
                    report();
                    lock.lock();
                }
            }
        }
        report();
        for (Status &status : statuses) {
            if (!status.ok())
                return status;
        }
        return {};
    }

    void finish()
    {
        if (m_progress)
            m_progress(1.0);
    }

private:
    void report()
    {
        if (!m_progress)
            return;
        const double fraction = std::min(1.0, double(m_done.load()) / double(m_total));
        const double value = m_from + (m_to - m_from) * fraction;
        // Whole percents only: the callback may emit a signal per call.
        if (value - m_lastReported >= 0.01) {
            m_lastReported = value;
            m_progress(value);
        }
    }

    const JobToken *m_token;
    const std::function<void(double)> &m_progress;
    std::atomic<qint64> m_done{0};
    std::atomic<int> m_firstFailed{INT_MAX};
    qint64 m_total = 1;
    double m_from = 0;
    double m_to = 1;
    double m_lastReported = -1;
    bool m_inline = false;
};

// Chunk starts (plus end) splitting [from, end) into up to `parts` runs of whole records. One
// linear scan that hops from quote to quote with memchr: a quote opens a quoted field only right
// after a delimiter or a line end, exactly as parseRecord() reads it.
Result<std::vector<const char *>> findChunkStarts(const Input &in, const char *from, int parts,
                                                  const ChunkRunner &runner)
{
    const char *end = in.end;
    std::vector<const char *> starts{from};
    std::vector<const char *> targets;
    for (int k = 1; k < parts; ++k)
        targets.push_back(from + (end - from) * k / parts);

    const char *pos = from;
    size_t nextTarget = 0;
    unsigned hops = 0;
    for (;;) {
        const auto *quote = static_cast<const char *>(std::memchr(pos, '"', size_t(end - pos)));
        const char *segmentEnd = quote ? quote : end;
        // Split points inside this unquoted stretch: the first line end after each target.
        while (nextTarget < targets.size()) {
            const char *t = std::max({targets[nextTarget], pos, starts.back()});
            if (t >= segmentEnd)
                break;
            const auto *newline = static_cast<const char *>(
                std::memchr(t, '\n', size_t(segmentEnd - t)));
            if (!newline)
                break;
            if (newline + 1 < end)
                starts.push_back(newline + 1);
            ++nextTarget;
        }
        if (!quote)
            break;
        if (++hops % (1u << 16) == 0 && runner.cancelled())
            return cancelledError(in.label);
        const bool opensField = quote == from || quote[-1] == in.delimiter || quote[-1] == '\n';
        if (!opensField) {
            pos = quote + 1;
            continue;
        }
        const char *p = quote + 1;
        for (;;) {
            const auto *close = static_cast<const char *>(std::memchr(p, '"', size_t(end - p)));
            if (!close)
                return in.unterminatedQuote(quote);
            if (close + 1 < end && close[1] == '"') {
                p = close + 2;
                continue;
            }
            pos = close + 1;
            break;
        }
    }
    starts.push_back(end);
    return starts;
}

// One run of records and its columns, typed while they are read.
struct Chunk
{
    const char *from = nullptr;
    const char *to = nullptr;
    std::vector<ChunkColumn> columns;
    qsizetype rows = 0;
    bool validUtf8 = true;
};

// Splits the records of [from, to) into fields, a batch of records at a time, calling
// onBatch(batch) for each, and checks quoting and field counts. Every kCheckEvery records or so
// it looks at the token, reports progress and calls onCheck(position, records so far).
template<typename OnBatch, typename OnCheck>
Status forEachBatch(const Input &in, const char *from, const char *to, ChunkRunner &runner,
                    int chunk, qsizetype &rows, OnBatch &&onBatch, OnCheck &&onCheck)
{
    const int columns = in.columnCount;
    const bool skipBlank = columns > 1;
    FieldBatch batch(columns, from, to);
    std::string scratch;
    const char *p = from;
    const char *reported = from;
    rows = 0;
    qsizetype iterations = 0;
    qsizetype nextCheck = kCheckEvery;
    while (p < to) {
        while (p < to && !batch.full()) {
            ++iterations;
            if (skipBlank && skipBlankLine(p, to))
                continue;
            const char *record = p;
            int count = 0;
            const bool closed = parseRecord(p, to, in.delimiter, scratch, count,
                                            [&](int i, Sv field) {
                if (i < columns)
                    batch.set(size_t(i), field, !scratch.empty() && field.data() == scratch.data());
            });
            if (!closed)
                return in.unterminatedQuote(p);
            if (count != columns)
                return in.raggedRow(record, count);
            batch.endRecord();
        }
        onBatch(batch);
        rows += batch.rows();
        batch.clear();
        if (iterations >= nextCheck) {
            nextCheck = iterations + kCheckEvery;
            if (runner.cancelled())
                return cancelledError(in.label);
            if (runner.superseded(chunk))
                return {};
            runner.advance(p - reported);
            reported = p;
            onCheck(p, rows);
        }
    }
    runner.advance(p - reported);
    return {};
}

// The reading pass over one chunk: every cell inferred and converted at once (ChunkColumn).
// fileBytes: the size of all records, to estimate how many present values a column will have.
// The file's first data chunk reserves room for the rows of the whole file: the final columns
// then grow from its storage in place instead of being copied (see assembleColumn); pages
// reserved but never written cost no memory.
Status readChunk(const Input &in, Chunk &chunk, bool checkUtf8, qsizetype fileBytes,
                 bool firstOfFile, ChunkRunner &runner, int index)
{
    chunk.validUtf8 = !checkUtf8 || isValidUtf8(chunk.from, chunk.to);
    chunk.columns.resize(size_t(in.columnCount));
    for (ChunkColumn &column : chunk.columns)
        column.strings.encoding = chunk.validUtf8 ? TextEncoding::Utf8 : TextEncoding::Latin1;
    const double reserveBytes = firstOfFile ? double(fileBytes) : double(chunk.to - chunk.from);
    bool reserved = false;
    return forEachBatch(
        in, chunk.from, chunk.to, runner, index, chunk.rows,
        [&](const FieldBatch &batch) {
            for (size_t i = 0; i < chunk.columns.size(); ++i)
                chunk.columns[i].add(batch, i);
        },
        [&](const char *p, qsizetype rows) {
            const double consumed = double(p - chunk.from);
            if (!reserved) {
                // Sized once from the records so far: no copies as the vectors grow.
                const auto expected = size_t(double(rows) * reserveBytes / consumed * 1.05) + 64;
                for (ChunkColumn &column : chunk.columns)
                    column.reserve(expected);
                reserved = true;
            }
            // A category has at most max(50, present / 20) values in the whole column; beyond
            // the estimate of that, a string column keeps text (checked exactly at the end).
            for (ChunkColumn &column : chunk.columns) {
                const double presentInFile = double(column.stats.present) * double(fileBytes)
                                             / consumed;
                column.strings.switchAbove = std::max<qint64>(50, qint64(presentInFile / 20));
            }
        });
}

// The type of one column, decided from the evidence of all its chunks.
struct ColumnDecision
{
    Kind kind = Kind::Empty;
    uint8_t dateFamily = 0;
    uint8_t dateFeatures = 0;
    qint64 present = 0;
    qint64 missing = 0;
    // String columns: more distinct values than this can only end as Text (see readCsv docs).
    qint64 categoricalLimit = 0;
    // Some chunk has more distinct values than a category may: Text, whatever the others hold.
    bool knownText = false;
};

// Whether a chunk's column must be converted again to become part of the decided column.
bool needsReconversion(const ChunkColumn &column, const ColumnDecision &decision,
                       TextEncoding encoding)
{
    if (column.stale())
        return true;
    if (column.kind() == Kind::Empty)
        return false; // every cell missing: reads as any type
    if (column.kind() != decision.kind || column.dateFamily() != decision.dateFamily)
        return true;
    if (decision.kind == Kind::String && column.strings.textMode())
        return !decision.knownText || column.strings.encoding != encoding;
    return false;
}

// Converts the chunk's columns that need it again, now with their decided types.
Status reconvertChunk(const Input &in, Chunk &chunk, const std::vector<ColumnDecision> &decisions,
                      TextEncoding encoding, ChunkRunner &runner, int index)
{
    std::vector<uint8_t> wanted(chunk.columns.size());
    bool any = false;
    for (size_t i = 0; i < chunk.columns.size(); ++i) {
        ChunkColumn &column = chunk.columns[i];
        if (!needsReconversion(column, decisions[i], encoding))
            continue;
        wanted[i] = 1;
        any = true;
        column = ChunkColumn();
        column.fixType(decisions[i].kind, decisions[i].dateFamily);
        column.strings.encoding = encoding;
        if (decisions[i].knownText)
            column.strings.switchToText();
        column.reserve(size_t(chunk.rows));
    }
    if (!any)
        return {};
    qsizetype rows = 0;
    Status read = forEachBatch(
        in, chunk.from, chunk.to, runner, index, rows,
        [&](const FieldBatch &batch) {
            for (size_t i = 0; i < chunk.columns.size(); ++i) {
                if (wanted[i])
                    chunk.columns[i].store(batch, i);
            }
        },
        [](const char *, qsizetype) {});
    // The same bytes give the same records, unless another program wrote to the mapped file
    // meanwhile; then the columns would disagree in length.
    if (read.ok() && rows != chunk.rows && !runner.superseded(index))
        return changedWhileReadError(in.label);
    return read;
}

// Starts a final column's vector: with the first chunk's own storage when take (the first data
// chunk reserved room for the whole file, see readChunk), so the other chunks are appended in
// place and the first one is never copied; then room for all rows.
template<typename T>
void takeFirst(std::vector<T> &out, std::vector<T> &first, bool take, size_t rows)
{
    if (take)
        out = std::move(first);
    reserveAdvised(out, rows);
}

// Builds the Categorical or Text column of a string column from its chunks.
Column finishStringColumn(const QString &name, const ColumnDecision &decision,
                          std::vector<ChunkColumn *> &parts, size_t rows, TextEncoding encoding)
{
    if (!decision.knownText) {
        // Merge the chunk dictionaries in file order, so codes follow first appearance: the
        // first chunk's codes stay as they are.
        std::vector<int32_t> codes;
        const bool takeCodes = parts[0]->kind() == Kind::String;
        takeFirst(codes, parts[0]->strings.codes(), takeCodes, rows);
        std::unordered_map<Sv, int32_t> index;
        std::vector<Sv> values;
        for (size_t k = 0; k < parts.size(); ++k) {
            ChunkColumn *part = parts[k];
            const auto partRows = size_t(part->rows());
            if (part->kind() != Kind::String) {
                codes.insert(codes.end(), partRows, -1); // every cell missing
            } else {
                const std::vector<Sv> &local = part->strings.values();
                std::vector<int32_t> remap(local.size());
                for (size_t v = 0; v < local.size(); ++v) {
                    const auto [it, inserted] = index.try_emplace(local[v],
                                                                  int32_t(values.size()));
                    if (inserted)
                        values.push_back(local[v]);
                    remap[v] = it->second;
                }
                if (k == 0 && takeCodes)
                    continue; // already in codes, and remap is the identity
                for (const int32_t code : part->strings.codes())
                    codes.push_back(code >= 0 ? remap[size_t(code)] : -1);
            }
        }
        std::vector<QString> dictionary;
        dictionary.reserve(values.size());
        for (Sv v : values)
            dictionary.push_back(decode(v, encoding));
        for (ChunkColumn *part : parts)
            *part = ChunkColumn(); // the dictionaries' views are no longer needed
        const auto distinct = qint64(dictionary.size());
        if (distinct <= decision.categoricalLimit && distinct < decision.present)
            return Column::categorical(name, std::move(codes), std::move(dictionary));
        // Few values, but no repeats: an identifier.
        TextCells texts;
        std::vector<uint8_t> missing(rows);
        qsizetype units = 0;
        for (const int32_t code : codes)
            units += code >= 0 ? dictionary[size_t(code)].size() : 0;
        texts.reserve(qsizetype(rows), units);
        for (size_t r = 0; r < rows; ++r) {
            if (codes[r] >= 0) {
                texts.append(dictionary[size_t(codes[r])]);
            } else {
                texts.appendEmpty();
                missing[r] = 1;
            }
        }
        return Column::text(name, std::move(texts), std::move(missing));
    }
    // The first chunk reserved room for the whole file's cells: the others are appended to it.
    TextCells texts;
    for (ChunkColumn *part : parts) {
        if (part->kind() != Kind::String) {
            for (qsizetype r = 0; r < part->rows(); ++r)
                texts.appendEmpty(); // every cell missing
        } else {
            part->strings.encoding = encoding;
            if (!part->strings.textMode()) // stayed below the estimate of a category's size
                part->strings.switchToText();
            TextCells local = part->strings.takeTexts();
            if (texts.empty())
                texts = std::move(local);
            else
                texts.append(local);
        }
        *part = ChunkColumn();
    }
    std::vector<uint8_t> missing(rows);
    for (size_t r = 0; r < rows; ++r)
        missing[r] = texts.view(qsizetype(r)).isEmpty() ? 1 : 0; // see StringCells
    return Column::text(name, std::move(texts), std::move(missing));
}

// Concatenates a column's chunks (file order) into its final Column and frees them.
Column assembleColumn(const QString &name, const ColumnDecision &decision,
                      std::vector<ChunkColumn *> parts, size_t rows, TextEncoding encoding)
{
    if (decision.kind == Kind::String)
        return finishStringColumn(name, decision, parts, rows, encoding);
    // Each final vector is reserved at its exact size (advised, see HugePages.h) and appended to,
    // so its pages are written once.
    if (decision.kind == Kind::Empty || decision.kind == Kind::Float64) {
        // An Empty chunk holds NaN for its missing cells, like a Float64 one.
        std::vector<double> values;
        takeFirst(values, parts[0]->doubles(), true, rows);
        *parts[0] = ChunkColumn();
        for (size_t k = 1; k < parts.size(); ++k) {
            values.insert(values.end(), parts[k]->doubles().begin(), parts[k]->doubles().end());
            *parts[k] = ChunkColumn();
        }
        return Column::float64(name, std::move(values));
    }
    const bool isBool = decision.kind == Kind::Bool;
    std::vector<int64_t> ints;
    std::vector<uint8_t> bools;
    std::vector<uint8_t> missing;
    const bool takeInts = !isBool && parts[0]->kind() != Kind::Empty;
    if (isBool)
        reserveAdvised(bools, rows);
    else
        takeFirst(ints, parts[0]->ints(), takeInts, rows);
    if (decision.missing > 0)
        takeFirst(missing, parts[0]->missing(), takeInts, rows);
    if (takeInts)
        *parts[0] = ChunkColumn();
    for (size_t k = takeInts ? 1 : 0; k < parts.size(); ++k) {
        ChunkColumn *part = parts[k];
        const auto partRows = size_t(part->rows());
        if (part->kind() == Kind::Empty) {
            // Every cell missing; values 0.
            if (isBool)
                bools.insert(bools.end(), partRows, 0);
            else
                ints.insert(ints.end(), partRows, 0);
            if (decision.missing > 0)
                missing.insert(missing.end(), partRows, 1);
        } else {
            const std::vector<int64_t> &local = part->ints();
            if (isBool) {
                for (const int64_t value : local)
                    bools.push_back(uint8_t(value));
            } else {
                ints.insert(ints.end(), local.begin(), local.end());
            }
            if (decision.missing > 0)
                missing.insert(missing.end(), part->missing().begin(), part->missing().end());
        }
        *part = ChunkColumn();
    }
    switch (decision.kind) {
    case Kind::Bool: return Column::boolean(name, std::move(bools), std::move(missing));
    case Kind::DateTime:
        return Column::dateTime(name, std::move(ints),
                                dateTimeFormat(decision.dateFamily, decision.dateFeatures),
                                std::move(missing));
    default: return Column::int64(name, std::move(ints), std::move(missing));
    }
}

// Header detection (CsvHeader::Detect): a value of the first record that does not fit its non-
// string column is a name; one that fits the column's type is data; string columns say nothing.
bool looksLikeHeader(const std::vector<ColumnStats> &dataStats,
                     const std::vector<ColumnStats> &firstRowStats)
{
    bool dataEvidence = false;
    for (size_t i = 0; i < dataStats.size(); ++i) {
        const ColumnStats &first = firstRowStats[i];
        if (first.present == 0)
            continue;
        const Kind dataKind = kindOf(dataStats[i]);
        if (dataKind == Kind::String)
            continue;
        if (dataKind == Kind::Empty) {
            // Nothing below: a typed value reads as data, a word as a name.
            if (first.isString())
                return true;
            dataEvidence = true;
            continue;
        }
        ColumnStats merged = dataStats[i];
        merged.merge(first);
        if (kindOf(merged) == Kind::String)
            return true;
        dataEvidence = true;
    }
    return !dataEvidence;
}

Result<Table> parseCsv(const char *data, qsizetype size, const CsvOptions &options,
                       const JobToken *token, const std::function<void(double)> &progress,
                       const QString &label)
{
    QElapsedTimer timer;
    timer.start();
    ChunkRunner runner(token, progress);
    if (runner.cancelled())
        return cancelledError(label);

    Input in;
    in.label = label;
    in.origin = data;
    in.end = data + size;
    const bool bom = size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    if (bom)
        in.origin += 3;
    in.begin = in.origin;
    while (in.end > in.begin && (in.end[-1] == '\n' || in.end[-1] == '\r'))
        --in.end;
    while (in.begin < in.end && skipBlankLine(in.begin, in.end)) {
    }
    if (in.begin == in.end) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.empty"),
                         QStringLiteral("The CSV input holds no data"), label);
    }
    in.delimiter = options.delimiter ? options.delimiter : sniffDelimiter(in.begin, in.end);

    // The first record on its own: it decides the field count and may be the header.
    std::vector<std::string> firstRecord;
    const char *dataStart = in.begin;
    {
        std::string scratch;
        int count = 0;
        if (!parseRecord(dataStart, in.end, in.delimiter, scratch, count,
                         [&](int, Sv field) { firstRecord.emplace_back(field); })) {
            return in.unterminatedQuote(dataStart);
        }
        in.columnCount = count;
    }
    const int columns = in.columnCount;

    const int threads = std::max(1, options.threads > 0 ? options.threads
                                                        : QThread::idealThreadCount());
    const qsizetype dataBytes = in.end - dataStart;
    const int parts = int(std::clamp<qsizetype>(dataBytes / kMinChunkBytes, 1, threads));
    std::vector<const char *> starts{dataStart, in.end};
    if (parts > 1) {
        auto found = findChunkStarts(in, dataStart, parts, runner);
        if (!found)
            return found.error();
        starts = std::move(found).value();
    }
    if (progress)
        progress(0.05);

    // The reading pass: the first record as a chunk of its own (header or data), then the data
    // chunks in parallel. Each infers and converts its cells as it goes.
    std::vector<Chunk> chunks(starts.size());
    chunks[0].from = in.begin;
    chunks[0].to = dataStart;
    for (size_t k = 1; k < chunks.size(); ++k) {
        chunks[k].from = starts[k - 1];
        chunks[k].to = starts[k];
    }
    const int dataChunks = int(chunks.size()) - 1;
    if (Status first = readChunk(in, chunks[0], !bom, dataBytes, false, runner, 0); !first.ok())
        return first.error();
    Status read = runner.run(dataChunks, dataBytes, 0.05, 0.85, [&](int k) {
        return readChunk(in, chunks[size_t(k) + 1], !bom, dataBytes, k == 0, runner, k);
    });
    if (!read.ok())
        return read.error();
    const qint64 readMs = timer.elapsed();

    bool validUtf8 = true;
    std::vector<ColumnStats> stats(static_cast<size_t>(columns));
    for (size_t k = 1; k < chunks.size(); ++k) {
        validUtf8 = validUtf8 && chunks[k].validUtf8;
        for (size_t i = 0; i < size_t(columns); ++i)
            stats[i].merge(chunks[k].columns[i].stats);
    }
    validUtf8 = validUtf8 && chunks[0].validUtf8;
    const TextEncoding encoding = validUtf8 ? TextEncoding::Utf8 : TextEncoding::Latin1;

    std::vector<ColumnStats> firstStats(static_cast<size_t>(columns));
    for (size_t i = 0; i < size_t(columns); ++i)
        firstStats[i] = chunks[0].columns[i].stats;
    bool hasHeader = true;
    switch (options.header) {
    case CsvHeader::Present: hasHeader = true; break;
    case CsvHeader::Absent: hasHeader = false; break;
    case CsvHeader::Detect: hasHeader = looksLikeHeader(stats, firstStats); break;
    }
    if (hasHeader) {
        chunks.erase(chunks.begin());
    } else {
        for (size_t i = 0; i < size_t(columns); ++i)
            stats[i].merge(firstStats[i]);
    }
    qsizetype rows = 0;
    for (const Chunk &chunk : chunks)
        rows += chunk.rows;

    std::vector<ColumnDecision> decisions(static_cast<size_t>(columns));
    for (size_t i = 0; i < size_t(columns); ++i) {
        ColumnDecision &decision = decisions[i];
        decision.kind = kindOf(stats[i]);
        decision.present = stats[i].present;
        decision.missing = stats[i].missing;
        decision.categoricalLimit = std::max<qint64>(50, decision.present / 20);
        if (decision.kind == Kind::DateTime) {
            decision.dateFamily = chooseDateFamily(stats[i].dateFamilies);
            decision.dateFeatures = stats[i].dateFeatures;
        }
        for (const Chunk &chunk : chunks) {
            const StringCells &strings = chunk.columns[i].strings;
            decision.knownText = decision.knownText
                                 || (decision.kind == Kind::String && strings.textMode()
                                     && strings.distinctAtSwitch() > decision.categoricalLimit);
        }
    }

    // Chunks whose cells were converted as another type than the file's (or went stale) are
    // converted again; usually none.
    Status reconverted = runner.run(int(chunks.size()), dataBytes, 0.85, 0.9, [&](int k) {
        return reconvertChunk(in, chunks[size_t(k)], decisions, encoding, runner, k);
    });
    if (!reconverted.ok())
        return reconverted.error();
    if (runner.cancelled())
        return cancelledError(label);
    const qint64 reconvertedMs = timer.elapsed();

    QStringList names;
    for (int i = 0; i < columns; ++i) {
        names.append(hasHeader ? decode(firstRecord[size_t(i)], encoding)
                               : QStringLiteral("column_%1").arg(i + 1));
    }
    names = uniqueNames(names);

    // Each column concatenated from its chunks, columns spread over the threads.
    std::vector<Column> built(static_cast<size_t>(columns));
    std::atomic<int> nextColumn{0};
    const int workers = std::min(threads, columns);
    Status assembled = runner.run(workers, columns, 0.9, 1.0, [&](int) -> Status {
        for (int i = nextColumn++; i < columns; i = nextColumn++) {
            std::vector<ChunkColumn *> parts;
            for (Chunk &chunk : chunks)
                parts.push_back(&chunk.columns[size_t(i)]);
            built[size_t(i)] = assembleColumn(names[i], decisions[size_t(i)], std::move(parts),
                                              size_t(rows), encoding);
            runner.advance(1);
        }
        return {};
    });
    if (!assembled.ok())
        return assembled.error();

    Table table;
    table.setEncoding(encoding);
    for (Column &column : built) {
        Status added = table.addColumn(std::move(column));
        if (!added.ok())
            return added.error();
    }
    runner.finish();
    qCDebug(lcCsv).nospace() << "read " << (label.isEmpty() ? QStringLiteral("<bytes>") : label)
                             << ": " << table.rowCount() << " x " << table.columnCount()
                             << ", delimiter '" << in.delimiter << "', header " << hasHeader
                             << ", " << textEncodingName(encoding) << ", " << dataChunks
                             << " chunk(s), " << timer.elapsed() << " ms (reading pass until "
                             << readMs << ", converting again until " << reconvertedMs << ")";
    return table;
}

// ---------------------------------------------------------------------------------------------
// File input

// Cancel and progress come between blocks of this size while the file's bytes come in.
constexpr qint64 kReadBlockBytes = qint64(16) << 20;

QString dataSize(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

Error tooLargeError(const QString &label, qint64 bytes, const CsvOptions &options)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("csv.too_large"),
                     QStringLiteral("%1 is %2 bytes, more than the limit of %3 bytes")
                         .arg(label)
                         .arg(bytes)
                         .arg(options.maxBytes),
                     label);
}

Error shrankError(const QString &label, qint64 size, qint64 endFoundAt)
{
    return makeError(ErrorKind::Io, QStringLiteral("csv.changed"),
                     QStringLiteral("%1 shrank while it was being read: it was %2 bytes, its end "
                                    "came after %3; read it again once it is complete")
                         .arg(label)
                         .arg(size)
                         .arg(endFoundAt),
                     label);
}

// A file of known size is refused when it is larger than options.maxBytes, empty, or needs more
// memory than there is (its bytes and the table take about twice the file's size).
Status checkFileSize(qint64 size, const QString &label, const CsvOptions &options)
{
    if (size > options.maxBytes)
        return tooLargeError(label, size, options);
    if (size == 0) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.empty"),
                         QStringLiteral("The CSV file is empty"), label);
    }
    const qint64 memory = options.memoryBudget > 0 ? options.memoryBudget : availableMemoryBytes();
    if (memory > 0 && 2 * size > memory) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.too_large"),
                         QStringLiteral("%1 is %2; reading it takes about twice that in memory "
                                        "(the text and the table), but only %3 is available")
                             .arg(label, dataSize(size), dataSize(memory)),
                         label);
    }
    return {};
}

// A mapped file: checked for NUL bytes in blocks (progress 0..0.05, cancel between blocks; a
// file not yet cached is read from disk here), then parsed in place. A file truncated meanwhile
// reads as zeros past its new end (see MappedFile), so whatever the parse made of them gives way
// to csv.changed.
Result<Table> parseMappedFile(const QFile &file, const MappedFile &mapped, const QString &label,
                              const CsvOptions &options, const JobToken *token,
                              const std::function<void(double)> &progress)
{
    const qint64 size = mapped.size();
    // A lost page: the file shrank (its size now says where it ends), or was cut and written
    // again meanwhile.
    auto shrank = [&] {
        const qint64 now = QFileInfo(file.fileName()).size();
        return now < size ? shrankError(label, size, now) : changedWhileReadError(label);
    };
    for (qint64 at = 0; at < size; at += kReadBlockBytes) {
        if (token && token->isCancelled())
            return cancelledError(label);
        const qint64 to = std::min(size, at + kReadBlockBytes);
        mapped.prefault(at, to - at);
        const Status text = checkNoNul(mapped.data(), at, to, label);
        if (mapped.truncatedAt() >= 0)
            return shrank();
        if (!text)
            return text.error();
        if (progress)
            progress(0.05 * double(to) / double(size));
    }
    Result<Table> table = parseCsv(mapped.data(), size, options, token, progress, label);
    if (mapped.truncatedAt() >= 0)
        return shrank();
    return table;
}

// The whole file, read in blocks (progress 0..0.05, cancel between blocks): for what cannot be
// mapped. `size` is -1 for a sequential device, which is read to its end within options.maxBytes.
// Refused when it holds a NUL byte or shrinks while being read.
Result<QByteArray> readFileBytes(QFile &file, qint64 size, const QString &label,
                                 const CsvOptions &options, const JobToken *token,
                                 const std::function<void(double)> &progress)
{
    const bool sized = size >= 0;

    // Uninitialised: pages are only touched (and counted) as the blocks arrive.
    QByteArray bytes(sized ? size : 0, Qt::Uninitialized);
    adviseHugePages(bytes.constData(), size_t(bytes.size()));

    // A large file's second half is read at the same time on another thread (pread on the
    // descriptor), so copying the file in is not a serial step before the parallel parse.
    qint64 readUpTo = size;
    Status secondHalf;
    qint64 firstNulInSecondHalf = -1;
    std::jthread helper;
#ifdef Q_OS_UNIX
    const int threads = options.threads > 0 ? options.threads : QThread::idealThreadCount();
    if (sized && threads > 1 && size >= 2 * kReadBlockBytes && file.handle() >= 0) {
        readUpTo = size / 2;
        helper = std::jthread([&, fd = file.handle()](std::stop_token stop) {
            for (qint64 at = readUpTo; at < size;) {
                if (stop.stop_requested() || (token && token->isCancelled())) {
                    secondHalf = cancelledError(label);
                    return;
                }
                const qint64 want = std::min(kReadBlockBytes, size - at);
                const ssize_t n = ::pread(fd, bytes.data() + at, size_t(want), off_t(at));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0) {
                    secondHalf = makeError(ErrorKind::Io, QStringLiteral("csv.read_failed"),
                                           QStringLiteral("Cannot read %1: %2")
                                               .arg(label, QString::fromLocal8Bit(strerror(errno))),
                                           label);
                    return;
                }
                if (n == 0) {
                    secondHalf = shrankError(label, size, at);
                    return;
                }
                if (firstNulInSecondHalf < 0 && std::memchr(bytes.constData() + at, '\0', size_t(n)))
                    firstNulInSecondHalf = at;
                at += n;
            }
        });
    }
#endif

    qint64 got = 0;
    for (;;) {
        if (token && token->isCancelled())
            return cancelledError(label);
        if (sized && got == readUpTo)
            break;
        if (!sized && bytes.size() < got + kReadBlockBytes)
            bytes.resize(got + kReadBlockBytes);
        const qint64 want = sized ? std::min(kReadBlockBytes, readUpTo - got) : kReadBlockBytes;
        const qint64 n = file.read(bytes.data() + got, want);
        if (n < 0) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.read_failed"),
                             QStringLiteral("Cannot read %1: %2").arg(label, file.errorString()),
                             label);
        }
        if (n == 0 && sized)
            return shrankError(label, size, got);
        if (n == 0)
            break;
        if (Status text = checkNoNul(bytes.constData(), got, got + n, label); !text)
            return text.error();
        got += n;
        if (got > options.maxBytes)
            return tooLargeError(label, got, options);
        if (progress && sized)
            progress(0.05 * double(got) / double(size));
    }
    if (helper.joinable()) {
        helper.join();
        if (!secondHalf.ok())
            return secondHalf.error();
        // The first NUL names its line, counted from the start: known now that all is read.
        if (firstNulInSecondHalf >= 0) {
            if (Status text = checkNoNul(bytes.constData(), firstNulInSecondHalf, size, label); !text)
                return text.error();
        }
        got = size;
        if (progress)
            progress(0.05);
    }
    bytes.resize(got);
    return bytes;
}

// Mapped where the system allows, read into memory otherwise.
Result<Table> parseFile(QFile &file, const QString &label, const CsvOptions &options,
                        const JobToken *token, const std::function<void(double)> &progress)
{
    const qint64 size = file.isSequential() ? -1 : file.size();
    if (size >= 0) {
        if (Status fits = checkFileSize(size, label, options); !fits)
            return fits.error();
        MappedFile mapped;
        if (mapped.map(file.handle(), size))
            return parseMappedFile(file, mapped, label, options, token, progress);
    }
    const auto bytes = readFileBytes(file, size, label, options, token, progress);
    if (!bytes)
        return bytes.error();
    return parseCsv(bytes->constData(), bytes->size(), options, token, progress, label);
}

} // namespace

Result<Table> readCsv(const QString &path, const CsvOptions &options, const JobToken *token,
                      std::function<void(double)> progress)
{
    const QFileInfo info(path);
    const QString label = info.fileName();
    if (token && token->isCancelled())
        return cancelledError(label);
    if (!info.exists()) {
        return makeError(ErrorKind::NotFound, QStringLiteral("csv.not_found"),
                         QStringLiteral("No such file: %1").arg(path), label);
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(ErrorKind::Io, QStringLiteral("csv.open_failed"),
                         QStringLiteral("Cannot open %1: %2").arg(path, file.errorString()),
                         label);
    }
    const FileStamp before = stampOf(path);
    Result<Table> table = parseFile(file, label, options, token, progress);
    if (file.isSequential())
        return table;
    if (!table && (table.error().kind == ErrorKind::Cancelled
                   || table.error().code == QLatin1String("csv.changed"))) {
        return table;
    }
    // A table read from a file that changed meanwhile matches neither version of it, and an
    // error found in it may be the other program's half-written bytes (the mapped file shows
    // them as they are written).
    if (Status same = checkUnchanged(path, label, before); !same)
        return same.error();
    return table;
}

Result<Table> readCsvBytes(const QByteArray &bytes, const CsvOptions &options,
                           const JobToken *token)
{
    if (bytes.size() > options.maxBytes) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.too_large"),
                         QStringLiteral("The CSV input is %1 bytes, more than the limit of %2 bytes")
                             .arg(bytes.size())
                             .arg(options.maxBytes));
    }
    if (Status text = checkNoNul(bytes.constData(), 0, bytes.size(), QString()); !text)
        return text.error();
    return parseCsv(bytes.constData(), bytes.size(), options, token, {}, QString());
}

} // namespace baton
