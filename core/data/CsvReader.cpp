#include "CsvReader.h"

#include "CsvSyntax.h"

#include "core/common/SystemMemory.h"
#include "core/jobs/JobRunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <locale.h>
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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
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

// What the first pass learns about one column.
struct ColumnStats
{
    qint64 present = 0;
    qint64 missing = 0;
    bool canBool = true;
    bool canInt = true;
    bool canDouble = true;
    uint8_t dateFamilies = DateFamily::All;
    uint8_t dateFeatures = 0;

    bool isString() const { return !canBool && !canInt && !canDouble && dateFamilies == 0; }

    void observe(Sv field)
    {
        const Sv s = trimmed(field);
        if (isMissingToken(s)) {
            ++missing;
            return;
        }
        ++present;
        if (isString())
            return;
        if (canBool)
            canBool = parseBool(s) >= 0;
        if (canInt) {
            int64_t i;
            canInt = parseInt64(s, i);
        }
        if (!canInt && canDouble)
            canDouble = isDoubleSyntax(s);
        if (dateFamilies) {
            DateParts parts;
            dateFamilies &= parseDateTime(s, parts);
            dateFeatures |= parts.features;
        }
    }

    void merge(const ColumnStats &other)
    {
        present += other.present;
        missing += other.missing;
        canBool = canBool && other.canBool;
        canInt = canInt && other.canInt;
        canDouble = canDouble && other.canDouble;
        dateFamilies &= other.dateFamilies;
        dateFeatures |= other.dateFeatures;
    }
};

enum class Kind { Empty, Bool, Int64, Float64, DateTime, String };

Kind kindOf(const ColumnStats &s)
{
    if (s.present == 0)
        return Kind::Empty;
    if (s.canBool)
        return Kind::Bool;
    if (s.canInt)
        return Kind::Int64;
    if (s.canDouble)
        return Kind::Float64;
    if (s.dateFamilies)
        return Kind::DateTime;
    return Kind::String;
}

struct ChunkScan
{
    std::vector<ColumnStats> stats;
    qsizetype rows = 0;
    bool validUtf8 = true;
};

// Pass 1 over a chunk: field counts, per-column type evidence, UTF-8 validity.
Status scanChunk(const Input &in, const char *from, const char *to, bool checkUtf8,
                 ChunkRunner &runner, int chunk, ChunkScan &out)
{
    out.stats.assign(size_t(in.columnCount), ColumnStats{});
    if (checkUtf8)
        out.validUtf8 = isValidUtf8(from, to);
    ColumnStats *stats = out.stats.data();
    const int columns = in.columnCount;
    const bool skipBlank = columns > 1;
    std::string scratch;
    const char *p = from;
    const char *reported = from;
    qsizetype rows = 0;
    unsigned iterations = 0;
    while (p < to) {
        if (++iterations % kCheckEvery == 0) {
            if (runner.cancelled())
                return cancelledError(in.label);
            if (runner.superseded(chunk))
                return {};
            runner.advance(p - reported);
            reported = p;
        }
        if (skipBlank && skipBlankLine(p, to))
            continue;
        const char *record = p;
        int count = 0;
        const bool closed = parseRecord(p, to, in.delimiter, scratch, count, [&](int i, Sv field) {
            if (i < columns)
                stats[i].observe(field);
        });
        if (!closed)
            return in.unterminatedQuote(p);
        if (count != columns)
            return in.raggedRow(record, count);
        ++rows;
    }
    runner.advance(p - reported);
    out.rows = rows;
    return {};
}

// The typed destination of one column, filled in place by all chunks (disjoint row ranges).
struct ColumnPlan
{
    Kind kind = Kind::Empty;
    uint8_t dateFamily = 0;
    uint8_t dateFeatures = 0;
    qint64 present = 0;
    // String columns: more distinct values than this can only end as Text (see readCsv docs).
    qint64 categoricalLimit = 0;
    std::vector<double> doubles;
    std::vector<int64_t> ints;
    std::vector<uint8_t> bools;
    std::vector<int32_t> codes;
    std::vector<uint8_t> missing; // sized only if some cell is missing
};

// One chunk's view of a string column. It starts dictionary-encoding (codes in the plan, distinct
// values here in order of first appearance); once the column is known to be Text (too many
// distinct values here or in another chunk) it stops hashing and keeps a QString per cell, since
// a dictionary as large as the column would only cost time and memory.
struct ChunkStrings
{
    qsizetype baseRow = 0; // first row of this chunk (chunk 0 includes a data first record)
    qsizetype rowCount = 0;
    std::vector<Sv> values;
    std::deque<std::string> owned; // values unescaped into scratch need a home of their own
    bool textMode = false;
    std::vector<QString> texts; // textMode: per row from baseRow; null = missing

    int32_t codeFor(Sv value, bool transient)
    {
        if (m_slots.empty())
            rehash(64);
        const uint64_t hash = hashOf(value);
        size_t slot = size_t(hash) & (m_slots.size() - 1);
        for (; m_slots[slot].code >= 0; slot = (slot + 1) & (m_slots.size() - 1)) {
            const Slot &s = m_slots[slot];
            if (s.hash == hash && values[size_t(s.code)] == value)
                return s.code;
        }
        if (transient)
            value = owned.emplace_back(value);
        const auto code = int32_t(values.size());
        values.push_back(value);
        m_slots[slot] = {hash, code};
        if (values.size() * 2 > m_slots.size())
            rehash(m_slots.size() * 2);
        return code;
    }

    // Re-expresses the rows encoded so far as strings and drops the dictionary.
    void switchToText(const std::vector<int32_t> &codes, qsizetype rowsDone, TextEncoding encoding)
    {
        std::vector<QString> decoded;
        decoded.reserve(values.size());
        for (Sv v : values)
            decoded.push_back(decode(v, encoding));
        texts.resize(size_t(rowCount));
        for (qsizetype r = 0; r < rowsDone; ++r) {
            const int32_t code = codes[size_t(baseRow + r)];
            if (code >= 0)
                texts[size_t(r)] = decoded[size_t(code)];
        }
        textMode = true;
        m_slots = {};
        values = {};
        owned = {};
    }

private:
    // Open addressing with the hash beside the code: a lookup reads one slot and compares the
    // bytes only when the hashes agree (std::unordered_map took a node and a pointer chase).
    struct Slot
    {
        uint64_t hash = 0;
        int32_t code = -1; // -1: empty
    };

    static uint64_t hashOf(Sv value)
    {
        // std::hash's low bits are fine for a power-of-two table once mixed (splitmix64).
        uint64_t x = std::hash<Sv>{}(value);
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 27;
        return x;
    }

    void rehash(size_t capacity)
    {
        std::vector<Slot> slots(capacity);
        for (const Slot &s : m_slots) {
            if (s.code < 0)
                continue;
            size_t slot = size_t(s.hash) & (capacity - 1);
            while (slots[slot].code >= 0)
                slot = (slot + 1) & (capacity - 1);
            slots[slot] = s;
        }
        m_slots = std::move(slots);
    }

    std::vector<Slot> m_slots; // size a power of two, at most half full
};

// What every chunk of the conversion pass shares.
struct ConvertContext
{
    const Input &in;
    TextEncoding encoding;
    std::vector<ColumnPlan> &plans;
    // Per column: some chunk found it must be Text; the others switch at their next check.
    std::vector<std::atomic<bool>> &textColumns;
};

void storeField(const ConvertContext &context, size_t column, ChunkStrings &strings, size_t row,
                Sv field, bool transient)
{
    ColumnPlan &plan = context.plans[column];
    if (plan.kind == Kind::Empty)
        return; // pre-filled with NaN
    const Sv s = trimmed(field);
    if (isMissingToken(s)) {
        switch (plan.kind) {
        case Kind::Float64: plan.doubles[row] = kNaN; break;
        case Kind::String:
            if (!strings.textMode)
                plan.codes[row] = -1;
            break;
        default: plan.missing[row] = 1; break;
        }
        return;
    }
    switch (plan.kind) {
    case Kind::Bool: plan.bools[row] = parseBool(s) == 1 ? 1 : 0; break;
    case Kind::Int64: parseInt64(s, plan.ints[row]); break;
    case Kind::Float64: {
        double v = kNaN;
        parseDouble(s, v);
        plan.doubles[row] = v;
        break;
    }
    case Kind::DateTime: {
        DateParts parts;
        parseDateTime(s, parts);
        plan.ints[row] = toEpochMs(parts, plan.dateFamily);
        break;
    }
    case Kind::String:
        if (strings.textMode) {
            strings.texts[row - size_t(strings.baseRow)] = decode(field, context.encoding);
            break;
        }
        plan.codes[row] = strings.codeFor(field, transient);
        if (qint64(strings.values.size()) > plan.categoricalLimit) {
            strings.switchToText(plan.codes, qsizetype(row) + 1 - strings.baseRow,
                                 context.encoding);
            context.textColumns[column].store(true, std::memory_order_relaxed);
        }
        break;
    case Kind::Empty: break;
    }
}

// Pass 2 over a chunk: converts every field into its column at rows firstRow, firstRow + 1, ...
Status convertChunk(const ConvertContext &context, const char *from, const char *to,
                    qsizetype firstRow, std::vector<ChunkStrings> &strings, ChunkRunner &runner,
                    int chunk)
{
    const Input &in = context.in;
    const int columns = in.columnCount;
    const bool skipBlank = columns > 1;
    std::string scratch;
    const char *p = from;
    const char *reported = from;
    auto row = size_t(firstRow);
    unsigned iterations = 0;
    while (p < to) {
        if (++iterations % kCheckEvery == 0) {
            if (runner.cancelled())
                return cancelledError(in.label);
            if (runner.superseded(chunk))
                return {};
            runner.advance(p - reported);
            reported = p;
            for (size_t i = 0; i < size_t(columns); ++i) {
                ChunkStrings &s = strings[i];
                if (context.plans[i].kind == Kind::String && !s.textMode
                    && context.textColumns[i].load(std::memory_order_relaxed)) {
                    s.switchToText(context.plans[i].codes, qsizetype(row) - s.baseRow,
                                   context.encoding);
                }
            }
        }
        if (skipBlank && skipBlankLine(p, to))
            continue;
        const char *record = p;
        int count = 0;
        const bool closed = parseRecord(p, to, in.delimiter, scratch, count, [&](int i, Sv field) {
            if (i < columns) {
                const bool transient = !scratch.empty() && field.data() == scratch.data();
                storeField(context, size_t(i), strings[size_t(i)], row, field, transient);
            }
        });
        // The first pass accepted these bytes; reaching this means the input changed under us.
        if (!closed)
            return in.unterminatedQuote(p);
        if (count != columns)
            return in.raggedRow(record, count);
        ++row;
    }
    runner.advance(p - reported);
    return {};
}

// Builds the Categorical or Text column of a string plan from its chunks.
Column finishStringColumn(const QString &name, ColumnPlan &plan,
                          std::vector<std::vector<ChunkStrings>> &chunks, size_t column,
                          bool knownText, TextEncoding encoding)
{
    const size_t rows = plan.codes.size();
    if (!knownText) {
        // Merge the chunk dictionaries in file order, so codes follow first appearance.
        std::unordered_map<Sv, int32_t> index;
        std::vector<Sv> values;
        for (auto &perChunk : chunks) {
            const ChunkStrings &local = perChunk[column];
            std::vector<int32_t> remap(local.values.size());
            bool identity = true;
            for (size_t v = 0; v < local.values.size(); ++v) {
                const auto [it, inserted] = index.try_emplace(local.values[v],
                                                              int32_t(values.size()));
                if (inserted)
                    values.push_back(local.values[v]);
                remap[v] = it->second;
                identity = identity && remap[v] == int32_t(v);
            }
            if (identity)
                continue;
            const auto end = size_t(local.baseRow + local.rowCount);
            for (size_t r = size_t(local.baseRow); r < end; ++r) {
                if (plan.codes[r] >= 0)
                    plan.codes[r] = remap[size_t(plan.codes[r])];
            }
        }
        std::vector<QString> dictionary;
        dictionary.reserve(values.size());
        for (Sv v : values)
            dictionary.push_back(decode(v, encoding));
        const auto distinct = qint64(dictionary.size());
        if (distinct <= plan.categoricalLimit && distinct < plan.present)
            return Column::categorical(name, std::move(plan.codes), std::move(dictionary));
        // Few values, but no repeats: an identifier. Cells share the dictionary's strings.
        std::vector<QString> texts(rows);
        for (size_t r = 0; r < rows; ++r) {
            if (plan.codes[r] >= 0)
                texts[r] = dictionary[size_t(plan.codes[r])];
        }
        plan.codes = {};
        std::vector<uint8_t> missing(rows);
        for (size_t r = 0; r < rows; ++r)
            missing[r] = texts[r].isNull() ? 1 : 0;
        return Column::text(name, std::move(texts), std::move(missing));
    }
    std::vector<QString> texts(rows);
    for (auto &perChunk : chunks) {
        ChunkStrings &local = perChunk[column];
        if (!local.textMode) // finished before it heard the column was Text
            local.switchToText(plan.codes, local.rowCount, encoding);
        std::move(local.texts.begin(), local.texts.end(), texts.begin() + local.baseRow);
        local = ChunkStrings();
    }
    plan.codes = {};
    std::vector<uint8_t> missing(rows);
    for (size_t r = 0; r < rows; ++r)
        missing[r] = texts[r].isNull() ? 1 : 0; // present values are never empty (see missing)
    return Column::text(name, std::move(texts), std::move(missing));
}

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
    const int chunks = int(starts.size()) - 1;
    if (progress)
        progress(0.05);

    // Pass 1: evidence per column and chunk, then merged in file order.
    std::vector<ChunkScan> scans(static_cast<size_t>(chunks));
    Status scanned = runner.run(chunks, dataBytes, 0.05, 0.5, [&](int k) {
        return scanChunk(in, starts[size_t(k)], starts[size_t(k) + 1], !bom, runner, k,
                         scans[size_t(k)]);
    });
    if (!scanned.ok())
        return scanned.error();

    bool validUtf8 = bom || isValidUtf8(in.origin, dataStart);
    std::vector<ColumnStats> stats(static_cast<size_t>(columns));
    std::vector<ColumnStats> firstStats(static_cast<size_t>(columns));
    qsizetype dataRows = 0;
    for (const ChunkScan &scan : scans) {
        validUtf8 = validUtf8 && scan.validUtf8;
        dataRows += scan.rows;
        for (size_t i = 0; i < size_t(columns); ++i)
            stats[i].merge(scan.stats[i]);
    }
    for (size_t i = 0; i < size_t(columns); ++i)
        firstStats[i].observe(firstRecord[i]);
    const TextEncoding encoding = validUtf8 ? TextEncoding::Utf8 : TextEncoding::Latin1;

    bool hasHeader = true;
    switch (options.header) {
    case CsvHeader::Present: hasHeader = true; break;
    case CsvHeader::Absent: hasHeader = false; break;
    case CsvHeader::Detect: hasHeader = looksLikeHeader(stats, firstStats); break;
    }
    if (!hasHeader) {
        for (size_t i = 0; i < size_t(columns); ++i)
            stats[i].merge(firstStats[i]);
    }
    const qsizetype rows = dataRows + (hasHeader ? 0 : 1);

    // Plans: allocate each column once at its final size; chunks fill disjoint ranges.
    std::vector<ColumnPlan> plans(static_cast<size_t>(columns));
    for (size_t i = 0; i < size_t(columns); ++i) {
        ColumnPlan &plan = plans[i];
        plan.kind = kindOf(stats[i]);
        plan.present = stats[i].present;
        plan.categoricalLimit = std::max<qint64>(50, plan.present / 20);
        const auto n = size_t(rows);
        const bool masked = stats[i].missing > 0;
        switch (plan.kind) {
        case Kind::Empty: plan.doubles.assign(n, kNaN); break;
        case Kind::Float64: plan.doubles.resize(n); break;
        case Kind::Int64: plan.ints.resize(n); break;
        case Kind::Bool: plan.bools.resize(n); break;
        case Kind::DateTime:
            plan.ints.resize(n);
            plan.dateFamily = chooseDateFamily(stats[i].dateFamilies);
            plan.dateFeatures = stats[i].dateFeatures;
            break;
        case Kind::String: plan.codes.resize(n); break;
        }
        if (masked && plan.kind != Kind::Float64 && plan.kind != Kind::String
            && plan.kind != Kind::Empty) {
            plan.missing.resize(n);
        }
    }

    // Pass 2: convert. Chunk 0 also takes the first record when it is data.
    std::vector<qsizetype> firstRows(static_cast<size_t>(chunks));
    std::vector<std::vector<ChunkStrings>> strings(static_cast<size_t>(chunks));
    qsizetype nextRow = hasHeader ? 0 : 1;
    for (size_t k = 0; k < size_t(chunks); ++k) {
        firstRows[k] = nextRow;
        strings[k].resize(size_t(columns));
        for (ChunkStrings &s : strings[k]) {
            s.baseRow = k == 0 ? 0 : nextRow;
            s.rowCount = nextRow + scans[k].rows - s.baseRow;
        }
        nextRow += scans[k].rows;
    }
    std::vector<std::atomic<bool>> textColumns(static_cast<size_t>(columns));
    const ConvertContext context{in, encoding, plans, textColumns};
    if (!hasHeader) {
        for (size_t i = 0; i < size_t(columns); ++i)
            storeField(context, i, strings[0][i], 0, firstRecord[i], false);
    }
    Status converted = runner.run(chunks, dataBytes, 0.5, 0.95, [&](int k) {
        return convertChunk(context, starts[size_t(k)], starts[size_t(k) + 1],
                            firstRows[size_t(k)], strings[size_t(k)], runner, k);
    });
    if (!converted.ok())
        return converted.error();
    if (runner.cancelled())
        return cancelledError(label);

    QStringList names;
    for (int i = 0; i < columns; ++i) {
        names.append(hasHeader ? decode(firstRecord[size_t(i)], encoding)
                               : QStringLiteral("column_%1").arg(i + 1));
    }
    names = uniqueNames(names);

    Table table;
    table.setEncoding(encoding);
    for (size_t i = 0; i < size_t(columns); ++i) {
        ColumnPlan &plan = plans[i];
        const QString &name = names[qsizetype(i)];
        Column column;
        switch (plan.kind) {
        case Kind::Empty:
        case Kind::Float64: column = Column::float64(name, std::move(plan.doubles)); break;
        case Kind::Int64:
            column = Column::int64(name, std::move(plan.ints), std::move(plan.missing));
            break;
        case Kind::Bool:
            column = Column::boolean(name, std::move(plan.bools), std::move(plan.missing));
            break;
        case Kind::DateTime:
            column = Column::dateTime(name, std::move(plan.ints),
                                      dateTimeFormat(plan.dateFamily, plan.dateFeatures),
                                      std::move(plan.missing));
            break;
        case Kind::String:
            column = finishStringColumn(name, plan, strings, i, textColumns[i].load(), encoding);
            // Free this column's chunk dictionaries now rather than at the end.
            for (auto &perChunk : strings)
                perChunk[i] = ChunkStrings();
            break;
        }
        Status added = table.addColumn(std::move(column));
        if (!added.ok())
            return added.error();
    }
    runner.finish();
    qCDebug(lcCsv).nospace() << "read " << (label.isEmpty() ? QStringLiteral("<bytes>") : label)
                             << ": " << table.rowCount() << " x " << table.columnCount()
                             << ", delimiter '" << in.delimiter << "', header " << hasHeader
                             << ", " << textEncodingName(encoding) << ", " << chunks
                             << " chunk(s), " << timer.elapsed() << " ms";
    return table;
}

// ---------------------------------------------------------------------------------------------
// File input

// The bytes are read, not memory-mapped: a mapped file that another program truncates kills the
// reader with SIGBUS, while read() just returns fewer bytes, which becomes a clear error.
constexpr qint64 kReadBlockBytes = qint64(16) << 20;

QString dataSize(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

// The whole file, read in blocks (progress 0..0.05, cancel between blocks), refused when it is
// larger than options.maxBytes, needs more memory than there is (the bytes and the table take
// about twice the file's size), holds a NUL byte, or shrinks while being read.
Result<QByteArray> readFileBytes(QFile &file, const QString &label, const CsvOptions &options,
                                 const JobToken *token, const std::function<void(double)> &progress)
{
    auto tooLarge = [&](qint64 bytes) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.too_large"),
                         QStringLiteral("%1 is %2 bytes, more than the limit of %3 bytes")
                             .arg(label)
                             .arg(bytes)
                             .arg(options.maxBytes),
                         label);
    };
    const bool sized = !file.isSequential();
    const qint64 size = sized ? file.size() : -1;
    if (sized) {
        if (size > options.maxBytes)
            return tooLarge(size);
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
    }

    // Uninitialised: pages are only touched (and counted) as the blocks arrive.
    QByteArray bytes(sized ? size : 0, Qt::Uninitialized);
    qint64 got = 0;
    for (;;) {
        if (token && token->isCancelled())
            return cancelledError(label);
        if (sized && got == size)
            break;
        if (!sized && bytes.size() < got + kReadBlockBytes)
            bytes.resize(got + kReadBlockBytes);
        const qint64 want = sized ? std::min(kReadBlockBytes, size - got) : kReadBlockBytes;
        const qint64 n = file.read(bytes.data() + got, want);
        if (n < 0) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.read_failed"),
                             QStringLiteral("Cannot read %1: %2").arg(label, file.errorString()),
                             label);
        }
        if (n == 0 && sized) {
            return makeError(ErrorKind::Io, QStringLiteral("csv.changed"),
                             QStringLiteral("%1 shrank while it was being read: it was %2 bytes, "
                                            "its end came after %3; read it again once it is "
                                            "complete")
                                 .arg(label)
                                 .arg(size)
                                 .arg(got),
                             label);
        }
        if (n == 0)
            break;
        if (Status text = checkNoNul(bytes.constData(), got, got + n, label); !text)
            return text.error();
        got += n;
        if (got > options.maxBytes)
            return tooLarge(got);
        if (progress && sized)
            progress(0.05 * double(got) / double(size));
    }
    bytes.resize(got);
    return bytes;
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
    auto bytes = readFileBytes(file, label, options, token, progress);
    if (!bytes)
        return bytes.error();
    Result<Table> table = parseCsv(bytes->constData(), bytes->size(), options, token, progress, label);
    bytes = QByteArray(); // the table stands alone: give the bytes back before returning
    // A table read from a file that changed meanwhile matches neither version of it.
    if (table && !file.isSequential()) {
        if (Status same = checkUnchanged(path, label, before); !same)
            return same.error();
    }
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
