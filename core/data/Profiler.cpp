#include "Profiler.h"

#include "core/data/RadixSort.h"
#include "core/jobs/JobRunner.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QRegularExpression>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <new>
#include <numeric>
#include <thread>

namespace baton {
namespace {

// Warning texts are user-visible; the codes and proposal actions are protocol and stay English.
struct ProfilerText
{
    Q_DECLARE_TR_FUNCTIONS(Profiler)
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kQuantiles[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
constexpr uint32_t kNoGroup = std::numeric_limits<uint32_t>::max();
// Contingency tables up to this many cells are counted in a dense array (8 MB at most).
constexpr size_t kDenseContingencyCells = size_t(1) << 20;

// Overall progress at the start of each phase.
constexpr double kColumnsStart = 0.0;
constexpr double kDuplicatesStart = 0.55;
constexpr double kCorrelationsStart = 0.65;
constexpr double kTargetStart = 0.8;
constexpr double kWarningsStart = 0.97;

bool isCancelled(const JobToken *token)
{
    return token && token->isCancelled();
}

Error cancelledError()
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("profile.cancelled"),
                     QStringLiteral("Profiling was cancelled"));
}

// splitmix64's finaliser: cheap and good enough to spread sequential keys over a table.
inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

// Bit pattern of a double with -0.0 folded onto 0.0 (pandas counts them as one value).
inline uint64_t doubleKey(double v)
{
    if (v == 0.0)
        v = 0.0;
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
}

inline bool isOrdered(ColumnType type)
{
    return type == ColumnType::Float64 || type == ColumnType::Int64 || type == ColumnType::DateTime;
}

// An ordered column as doubles, NaN for missing cells (DateTime: ms since the epoch). Loops over
// the raw vectors: Column::isMissing() per cell costs a call and a switch each.
std::vector<double> orderedValues(const Column &column)
{
    switch (column.type()) {
    case ColumnType::Float64: return column.float64Values();
    case ColumnType::Int64:
    case ColumnType::DateTime: {
        const auto &ints = column.int64Values();
        const auto &mask = column.missingMask();
        std::vector<double> out(ints.size());
        for (size_t r = 0; r < ints.size(); ++r)
            out[r] = double(ints[r]);
        if (!mask.empty()) {
            for (size_t r = 0; r < ints.size(); ++r) {
                if (mask[r])
                    out[r] = kNaN;
            }
        }
        return out;
    }
    default: return std::vector<double>(size_t(column.size()), kNaN);
    }
}

// ---------------------------------------------------------------------------------------------
// Exact grouping of values: dense ids in order of first appearance.

// Open addressing map from 64-bit keys to dense ids (0, 1, 2, ... in order of insertion).
// Key and id share a slot so a probe touches one cache line, not the slot and a key array.
class DenseIndex
{
public:
    // Starts small and doubles: a large table for a few distinct values would miss the cache.
    DenseIndex() { rehash(1024); }

    // The dense id of key, inserting it when new (then isNew is set).
    uint32_t insert(uint64_t key, bool &isNew)
    {
        size_t slot = size_t(mix64(key)) & m_mask;
        while (true) {
            Slot &s = m_slots[slot];
            if (s.id == 0)
                break;
            if (s.key == key) {
                isNew = false;
                return s.id - 1;
            }
            slot = (slot + 1) & m_mask;
        }
        isNew = true;
        const auto id = uint32_t(++m_size);
        m_slots[slot] = {key, id};
        if (m_size * 2 > m_slots.size())
            rehash(m_slots.size() * 2);
        return id - 1;
    }

    size_t size() const { return m_size; }

private:
    struct Slot
    {
        uint64_t key = 0;
        uint32_t id = 0; // dense id + 1; 0 = empty
    };

    void rehash(size_t capacity)
    {
        std::vector<Slot> old(capacity);
        old.swap(m_slots);
        m_mask = capacity - 1;
        for (const Slot &s : old) {
            if (s.id == 0)
                continue;
            size_t slot = size_t(mix64(s.key)) & m_mask;
            while (m_slots[slot].id != 0)
                slot = (slot + 1) & m_mask;
            m_slots[slot] = s;
        }
    }

    std::vector<Slot> m_slots;
    size_t m_size = 0;
    size_t m_mask = 0;
};

struct Groups
{
    std::vector<uint32_t> ids; // per row, kNoGroup when missing; empty unless asked for
    std::vector<qint64> counts;
    std::vector<qsizetype> firstRow;

    size_t size() const { return counts.size(); }
};

Groups groupValues(const Column &column, bool keepIds)
{
    Groups g;
    const auto rows = size_t(column.size());
    if (keepIds)
        g.ids.assign(rows, kNoGroup);
    auto add = [&](size_t row, uint32_t id, bool isNew) {
        if (isNew) {
            g.counts.push_back(0);
            g.firstRow.push_back(qsizetype(row));
        }
        ++g.counts[id];
        if (keepIds)
            g.ids[row] = id;
    };
    // Small domains (codes, bools) use a lookup table instead of hashing.
    auto groupSmall = [&](size_t domain, auto codeOf) {
        std::vector<uint32_t> remap(domain, kNoGroup);
        for (size_t r = 0; r < rows; ++r) {
            const int64_t code = codeOf(r);
            if (code < 0)
                continue;
            uint32_t &id = remap[size_t(code)];
            const bool isNew = id == kNoGroup;
            if (isNew)
                id = uint32_t(g.counts.size());
            add(r, id, isNew);
        }
    };
    const std::vector<uint8_t> &mask = column.missingMask();
    auto missingAt = [&mask](size_t r) { return !mask.empty() && mask[r] != 0; };

    switch (column.type()) {
    case ColumnType::Categorical: {
        const auto &codes = column.codes();
        groupSmall(column.dictionary().size(), [&](size_t r) { return int64_t(codes[r]); });
        break;
    }
    case ColumnType::Bool: {
        const auto &values = column.boolValues();
        groupSmall(2, [&](size_t r) { return missingAt(r) ? int64_t(-1) : int64_t(values[r] != 0); });
        break;
    }
    case ColumnType::Float64: {
        DenseIndex index;
        const auto &values = column.float64Values();
        for (size_t r = 0; r < rows; ++r) {
            if (std::isnan(values[r]))
                continue;
            bool isNew = false;
            const uint32_t id = index.insert(doubleKey(values[r]), isNew);
            add(r, id, isNew);
        }
        break;
    }
    case ColumnType::Int64:
    case ColumnType::DateTime: {
        DenseIndex index;
        const auto &values = column.int64Values();
        for (size_t r = 0; r < rows; ++r) {
            if (missingAt(r))
                continue;
            bool isNew = false;
            const uint32_t id = index.insert(uint64_t(values[r]), isNew);
            add(r, id, isNew);
        }
        break;
    }
    case ColumnType::Text: {
        QHash<QString, uint32_t> index;
        const auto &values = column.textValues();
        for (size_t r = 0; r < rows; ++r) {
            if (missingAt(r))
                continue;
            auto it = index.find(values[r]);
            const bool isNew = it == index.end();
            if (isNew)
                it = index.insert(values[r], uint32_t(g.counts.size()));
            add(r, it.value(), isNew);
        }
        break;
    }
    }
    return g;
}

// Group ids ordered by count (highest first), ties in order of first appearance.
std::vector<uint32_t> groupsByCount(const Groups &g)
{
    std::vector<uint32_t> order(g.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return g.counts[a] > g.counts[b]; });
    return order;
}

// ---------------------------------------------------------------------------------------------
// Row hashes for duplicate detection and exact cell comparison to confirm them.

bool cellsEqual(const Column &column, size_t a, size_t b)
{
    const bool missingA = column.isMissing(qsizetype(a));
    const bool missingB = column.isMissing(qsizetype(b));
    if (missingA || missingB)
        return missingA == missingB;
    switch (column.type()) {
    case ColumnType::Float64: return column.float64Values()[a] == column.float64Values()[b];
    case ColumnType::Int64:
    case ColumnType::DateTime: return column.int64Values()[a] == column.int64Values()[b];
    case ColumnType::Bool: return column.boolValues()[a] == column.boolValues()[b];
    case ColumnType::Categorical: return column.codes()[a] == column.codes()[b];
    case ColumnType::Text: return column.textValues()[a] == column.textValues()[b];
    }
    return false;
}

// Adds this column's contribution to the row hashes. Addition is order independent, so each
// thread can accumulate its own columns and the sums are combined afterwards.
void addRowHashes(const Column &column, int columnIndex, std::vector<uint64_t> &rowHashes)
{
    const uint64_t seed = mix64(uint64_t(columnIndex) + 0x9e3779b97f4a7c15ULL);
    const size_t rows = rowHashes.size();
    const auto &mask = column.missingMask();
    auto add = [&](auto valueHash) {
        for (size_t r = 0; r < rows; ++r)
            rowHashes[r] += mix64(valueHash(r) ^ seed);
    };
    // Missing cells hash alike, so rows with the same gaps collide as they should; rows that
    // collide are confirmed with cellsEqual(), so a value hashing like a gap does no harm.
    constexpr uint64_t kMissingHash = 0x6a09e667f3bcc909ULL;
    switch (column.type()) {
    case ColumnType::Float64: {
        const auto &v = column.float64Values();
        add([&](size_t r) { return std::isnan(v[r]) ? kMissingHash : doubleKey(v[r]); });
        break;
    }
    case ColumnType::Int64:
    case ColumnType::DateTime: {
        const auto &v = column.int64Values();
        if (mask.empty())
            add([&](size_t r) { return uint64_t(v[r]); });
        else
            add([&](size_t r) { return mask[r] ? kMissingHash : uint64_t(v[r]); });
        break;
    }
    case ColumnType::Bool: {
        const auto &v = column.boolValues();
        add([&](size_t r) { return !mask.empty() && mask[r] ? kMissingHash : uint64_t(v[r]); });
        break;
    }
    case ColumnType::Categorical: {
        const auto &v = column.codes();
        add([&](size_t r) { return v[r] < 0 ? kMissingHash : uint64_t(v[r]); });
        break;
    }
    case ColumnType::Text: {
        const auto &v = column.textValues();
        add([&](size_t r) {
            return !mask.empty() && mask[r] ? kMissingHash : uint64_t(qHash(v[r], 0x5bd1e995U));
        });
        break;
    }
    }
}

qint64 countDuplicateRows(const Table &table, const std::vector<uint64_t> &rowHashes)
{
    const size_t rows = rowHashes.size();
    // Sorting (hash, row) pairs keeps the comparisons in cache.
    std::vector<std::pair<uint64_t, uint32_t>> sorted(rows);
    for (size_t r = 0; r < rows; ++r)
        sorted[r] = {rowHashes[r], uint32_t(r)};
    std::sort(sorted.begin(), sorted.end());
    auto rowsEqual = [&](size_t a, size_t b) {
        for (const Column &c : table.columns()) {
            if (!cellsEqual(c, a, b))
                return false;
        }
        return true;
    };
    qint64 duplicates = 0;
    std::vector<uint32_t> representatives;
    for (size_t i = 0; i < rows;) {
        size_t j = i + 1;
        while (j < rows && sorted[j].first == sorted[i].first)
            ++j;
        if (j - i > 1) {
            // Hash collisions are rare but possible: confirm against each distinct row so far.
            representatives.clear();
            for (size_t k = i; k < j; ++k) {
                const uint32_t row = sorted[k].second;
                const bool seen = std::any_of(representatives.begin(), representatives.end(),
                                              [&](uint32_t rep) { return rowsEqual(rep, row); });
                if (seen)
                    ++duplicates;
                else
                    representatives.push_back(row);
            }
        }
        i = j;
    }
    return duplicates;
}

// ---------------------------------------------------------------------------------------------
// Numeric statistics.

// numpy's lerp, including its choice of end point for t >= 0.5 (exact at both ends).
inline double lerp(double a, double b, double t)
{
    const double diff = b - a;
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

Histogram makeHistogram(const std::vector<double> &values, double lo, double hi, int bins,
                        bool integral)
{
    Histogram h;
    if (values.empty() || bins < 1 || !std::isfinite(lo) || !std::isfinite(hi))
        return h;
    if (integral && hi - lo + 1 <= bins) {
        // Few integers: one bin per integer, centred on it, reads better than 20 mostly empty bins.
        bins = int(hi - lo) + 1;
        lo -= 0.5;
        hi += 0.5;
    } else if (lo == hi) {
        lo -= 0.5; // numpy's choice for a single value
        hi += 0.5;
    }
    h.edges.resize(size_t(bins) + 1);
    const double step = (hi - lo) / bins;
    for (int i = 0; i < bins; ++i)
        h.edges[size_t(i)] = lo + i * step;
    h.edges[size_t(bins)] = hi;
    h.counts.assign(size_t(bins), 0);
    const double norm = bins / (hi - lo);
    for (double v : values) {
        if (!std::isfinite(v))
            continue;
        // numpy.histogram: estimate the bin, then correct it against the actual edges.
        // Clamped as a double first: converting an out-of-range double to an integer is UB.
        const double estimate = (v - lo) * norm;
        auto i = std::isfinite(estimate) ? qint64(std::clamp(estimate, 0.0, double(bins - 1))) : 0;
        if (v < h.edges[size_t(i)] && i > 0)
            --i;
        else if (i < bins - 1 && v >= h.edges[size_t(i) + 1])
            ++i;
        ++h.counts[size_t(i)];
    }
    return h;
}

// Sorts values (present ones only) in place: the quantiles are read off the sorted order.
NumericStats numericStats(std::vector<double> &values, int bins, bool integral)
{
    NumericStats s;
    const size_t n = values.size();
    if (n == 0) {
        for (double q : kQuantiles)
            s.quantiles.push_back({q, kNaN});
        return s;
    }
    // Neumaier summation: the mean is then within an ulp or two of pandas' pairwise sum.
    double sum = 0, compensation = 0;
    double lo = values.front(), hi = values.front();
    double finiteLo = std::numeric_limits<double>::infinity();
    double finiteHi = -std::numeric_limits<double>::infinity();
    for (double v : values) {
        const double t = sum + v;
        compensation += std::abs(sum) >= std::abs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        if (std::isfinite(v)) {
            finiteLo = std::min(finiteLo, v);
            finiteHi = std::max(finiteHi, v);
        }
        if (v == 0)
            ++s.zeros;
    }
    s.min = lo;
    s.max = hi;
    // An infinite value makes the compensation NaN; the plain sum then says inf (or NaN for
    // +inf and -inf together), as pandas does.
    s.mean = (std::isfinite(sum) ? sum + compensation : sum) / double(n);
    // Two-pass central moments, as pandas' nanvar / nanskew.
    double m2 = 0, m3 = 0;
    for (double v : values) {
        const double d = v - s.mean;
        const double d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
    }
    if (n >= 2)
        s.std = std::sqrt(m2 / double(n - 1));
    if (n >= 3) {
        // pandas zeroes round-off sized moments so a constant column has skew 0, not noise.
        if (std::abs(m2) < 1e-14)
            m2 = 0;
        if (std::abs(m3) < 1e-14)
            m3 = 0;
        const double dn = double(n);
        s.skewness = m2 == 0 ? 0.0 : (dn * std::sqrt(dn - 1) / (dn - 2)) * (m3 / std::pow(m2, 1.5));
    }
    s.histogram = makeHistogram(values, finiteLo, finiteHi, bins, integral);

    // Quantiles from the sorted values; the caller counts distinct values on them too.
    radixSort(values, [](double v) { return orderedBits(v); });
    auto orderStat = [&](size_t k) { return values[k]; };
    for (double q : kQuantiles) {
        const double h = double(n - 1) * q;
        const auto below = size_t(std::floor(h));
        const size_t above = std::min(below + 1, n - 1);
        s.quantiles.push_back({q, lerp(orderStat(below), orderStat(above), h - double(below))});
    }
    return s;
}

// Distinct values among sorted ones: the runs of equal values (-0.0 == 0.0, as in pandas).
qint64 runCount(const std::vector<double> &sorted)
{
    qint64 runs = sorted.empty() ? 0 : 1;
    for (size_t i = 1; i < sorted.size(); ++i)
        runs += sorted[i] != sorted[i - 1] ? 1 : 0;
    return runs;
}

std::vector<double> presentValues(const Column &column)
{
    std::vector<double> out = orderedValues(column);
    out.erase(std::remove_if(out.begin(), out.end(), [](double v) { return std::isnan(v); }),
              out.end());
    return out;
}

// ---------------------------------------------------------------------------------------------
// Per-column profile.

bool hasIdLikeName(const QString &name)
{
    static const QRegularExpression exact(
        QStringLiteral("^(id|pid|order|index|idx|key|uuid|guid|row_?id|row_?num(ber)?|record_?id)$"),
        QRegularExpression::CaseInsensitiveOption);
    // Case-sensitive on purpose: "PassengerId", "customerID", "user_id", but not "Paid".
    static const QRegularExpression suffix(QStringLiteral("(_id|_ID|Id|ID)$"));
    const QString trimmed = name.trimmed();
    return exact.match(trimmed).hasMatch() || suffix.match(trimmed).hasMatch();
}

bool looksIdLike(const Column &column, const ColumnProfile &p, qint64 rows,
                 const ProfileOptions &options, const NumericStats *stats)
{
    if (rows < options.minRowsForIdLike || p.missing > 0 || p.distinct != p.count)
        return false;
    if (column.type() == ColumnType::Bool || column.type() == ColumnType::DateTime)
        return false;
    if (hasIdLikeName(column.name()) || column.type() == ColumnType::Text)
        return true;
    if (column.type() == ColumnType::Int64 && stats) {
        // Unique integers are an identifier when they are dense like a counter; a measurement
        // (prices, counts) can be all different in a small table without being one.
        return (stats->max - stats->min + 1) <= 2.0 * double(p.count);
    }
    return false;
}

ColumnProfile profileColumn(const Column &column, qint64 rows, const ProfileOptions &options)
{
    ColumnProfile p;
    p.name = column.name();
    p.type = column.type();
    p.missing = column.missingCount();
    p.count = rows - p.missing;
    p.missingPct = rows > 0 ? 100.0 * double(p.missing) / double(rows) : 0.0;

    // Numbers are counted on their sorted values (no hashing); the rest by grouping.
    const bool numeric = column.type() == ColumnType::Float64 || column.type() == ColumnType::Int64;
    const Groups groups = numeric ? Groups() : groupValues(column, false);
    p.distinct = qint64(groups.size());

    switch (column.type()) {
    case ColumnType::Float64:
    case ColumnType::Int64: {
        std::vector<double> values = presentValues(column);
        p.numeric = numericStats(values, options.histogramBins, column.type() == ColumnType::Int64);
        // Integers beyond 2^53 may share a double: count those exactly.
        constexpr double exactIntegers = 9007199254740992.0;
        const bool exact = column.type() == ColumnType::Float64
                           || (p.numeric->min >= -exactIntegers && p.numeric->max <= exactIntegers);
        p.distinct = exact ? runCount(values) : qint64(groupValues(column, false).size());
        break;
    }
    case ColumnType::DateTime: {
        const auto &values = column.int64Values();
        const auto &mask = column.missingMask();
        std::optional<int64_t> lo, hi;
        for (size_t r = 0; r < values.size(); ++r) {
            if (!mask.empty() && mask[r])
                continue;
            lo = lo ? std::min(*lo, values[r]) : values[r];
            hi = hi ? std::max(*hi, values[r]) : values[r];
        }
        if (lo) {
            p.dateMin = QDateTime::fromMSecsSinceEpoch(*lo, Qt::UTC).toString(Qt::ISODateWithMs);
            p.dateMax = QDateTime::fromMSecsSinceEpoch(*hi, Qt::UTC).toString(Qt::ISODateWithMs);
        }
        break;
    }
    case ColumnType::Bool:
    case ColumnType::Categorical:
    case ColumnType::Text: {
        const std::vector<uint32_t> order = groupsByCount(groups);
        const size_t top = std::min(order.size(), size_t(std::max(0, options.topValues)));
        for (size_t i = 0; i < top; ++i) {
            const uint32_t g = order[i];
            p.topValues.push_back({column.displayValue(groups.firstRow[g]), groups.counts[g]});
        }
        break;
    }
    }
    p.idLike = looksIdLike(column, p, rows, options, p.numeric ? &*p.numeric : nullptr);
    return p;
}

// ---------------------------------------------------------------------------------------------
// Work on both cores.

// Runs work(item, worker) for every item on `threads` threads, the caller being worker 0;
// afterEach(done) runs on the calling thread after each of its own items. Stops taking new items
// once the token is cancelled. The first exception is rethrown on the calling thread.
void parallelFor(int count, int threads, const JobToken *token,
                 const std::function<void(int item, int worker)> &work,
                 const std::function<void(int done)> &afterEach = {})
{
    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto loop = [&](int worker, bool isCaller) {
        try {
            while (!failed.load() && !isCancelled(token)) {
                const int item = next.fetch_add(1);
                if (item >= count)
                    break;
                work(item, worker);
                const int finished = done.fetch_add(1) + 1;
                if (isCaller && afterEach)
                    afterEach(finished);
            }
        } catch (...) {
            std::lock_guard lock(errorMutex);
            if (!error)
                error = std::current_exception();
            failed = true;
        }
    };
    threads = std::clamp(threads, 1, std::max(1, count));
    std::vector<std::thread> helpers;
    for (int w = 1; w < threads; ++w)
        helpers.emplace_back(loop, w, false);
    loop(0, true);
    for (std::thread &t : helpers)
        t.join();
    if (error)
        std::rethrow_exception(error);
}

// ---------------------------------------------------------------------------------------------
// Correlations.

struct NumericSeries
{
    int column = -1;
    std::vector<double> values; // NaN = missing
    bool complete = true;
    double mean = kNaN;
    std::vector<double> standardized; // (x - mean) / sqrt(Σ(x - mean)²), complete series only
};

NumericSeries makeSeries(const Column &column, int index)
{
    NumericSeries s;
    s.column = index;
    const auto rows = size_t(column.size());
    s.values = orderedValues(column);
    s.complete = column.missingCount() == 0;
    if (s.complete && rows > 0) {
        double sum = 0;
        for (double v : s.values)
            sum += v;
        s.mean = sum / double(rows);
        double m2 = 0;
        for (double v : s.values)
            m2 += (v - s.mean) * (v - s.mean);
        if (m2 > 0 && std::isfinite(m2)) {
            const double scale = 1.0 / std::sqrt(m2);
            s.standardized.resize(rows);
            for (size_t r = 0; r < rows; ++r)
                s.standardized[r] = (s.values[r] - s.mean) * scale;
        }
    }
    return s;
}

// Pearson r on the rows where both are present; NaN when either is constant there.
double pearson(const std::vector<double> &x, const std::vector<double> &y, qint64 *pairs = nullptr)
{
    double sx = 0, sy = 0;
    qint64 n = 0;
    for (size_t r = 0; r < x.size(); ++r) {
        if (std::isnan(x[r]) || std::isnan(y[r]))
            continue;
        sx += x[r];
        sy += y[r];
        ++n;
    }
    if (pairs)
        *pairs = n;
    if (n < 2)
        return kNaN;
    const double mx = sx / double(n), my = sy / double(n);
    double sxx = 0, syy = 0, sxy = 0;
    for (size_t r = 0; r < x.size(); ++r) {
        if (std::isnan(x[r]) || std::isnan(y[r]))
            continue;
        const double dx = x[r] - mx, dy = y[r] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if (sxx <= 0 || syy <= 0)
        return kNaN;
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

double seriesCorrelation(const NumericSeries &a, const NumericSeries &b)
{
    if (a.complete && b.complete) {
        if (a.standardized.empty() || b.standardized.empty())
            return kNaN;
        double dot = 0;
        for (size_t r = 0; r < a.standardized.size(); ++r)
            dot += a.standardized[r] * b.standardized[r];
        return std::clamp(dot, -1.0, 1.0);
    }
    return pearson(a.values, b.values);
}

CorrelationMatrix correlations(const Table &table, const std::vector<ColumnProfile> &columns,
                               const ProfileOptions &options, int threads, const JobToken *token,
                               const std::function<void(double)> &progress)
{
    CorrelationMatrix m;
    std::vector<int> numeric;
    for (int i = 0; i < table.columnCount(); ++i) {
        if (columns[size_t(i)].numeric)
            numeric.push_back(i);
    }
    m.numericColumnCount = int(numeric.size());
    const auto cap = size_t(std::max(0, options.maxCorrelationColumns));
    if (numeric.size() > cap) {
        // Keep the columns with the largest variance (undefined variance last), in table order.
        auto variance = [&](int i) {
            const double v = columns[size_t(i)].numeric->variance();
            return std::isfinite(v) ? v : -1.0;
        };
        std::vector<int> byVariance = numeric;
        std::stable_sort(byVariance.begin(), byVariance.end(),
                         [&](int a, int b) { return variance(a) > variance(b); });
        byVariance.resize(cap);
        std::sort(byVariance.begin(), byVariance.end());
        numeric = std::move(byVariance);
        m.truncated = true;
    }
    const int k = int(numeric.size());
    for (int i : numeric)
        m.columns.append(table.column(i).name());
    m.values.assign(size_t(k) * size_t(k), kNaN);
    if (k == 0)
        return m;

    std::vector<NumericSeries> series(static_cast<size_t>(k));
    parallelFor(k, threads, token, [&](int i, int) {
        series[size_t(i)] = makeSeries(table.column(numeric[size_t(i)]), numeric[size_t(i)]);
    });
    if (isCancelled(token))
        return m;

    std::vector<std::pair<int, int>> pairs;
    for (int i = 0; i < k; ++i) {
        for (int j = i; j < k; ++j)
            pairs.emplace_back(i, j);
    }
    const int total = int(pairs.size());
    parallelFor(
        total, threads, token,
        [&](int p, int) {
            const auto [i, j] = pairs[size_t(p)];
            double r = seriesCorrelation(series[size_t(i)], series[size_t(j)]);
            // The diagonal is exactly 1 where defined (NaN for a constant column, like pandas).
            if (i == j && !std::isnan(r))
                r = 1.0;
            m.values[size_t(i) * size_t(k) + size_t(j)] = r;
            m.values[size_t(j) * size_t(k) + size_t(i)] = r;
        },
        [&](int done) {
            if (progress && done % 64 == 0)
                progress(double(done) / total);
        });
    return m;
}

// ---------------------------------------------------------------------------------------------
// Target and associations.

struct TargetData
{
    int column = -1;
    TargetKind kind = TargetKind::None;
    // Classification: dense class id per row (kNoGroup = missing) and the class count.
    std::vector<uint32_t> classes;
    size_t classCount = 0;
    std::vector<qint64> classCounts;
    // Regression: the value per row (NaN = missing).
    std::vector<double> values;
};

bool integralValues(const Column &column)
{
    if (column.type() == ColumnType::Int64)
        return true;
    for (double v : column.float64Values()) {
        if (!std::isnan(v) && (!std::isfinite(v) || v != std::floor(v)))
            return false;
    }
    return true;
}

// Leave-one-out single-feature predictor (see Profiler.h). Works on the rows where both the
// feature and the target are present.
struct PredictorScore
{
    double score = kNaN;
    double baselineError = kNaN; // classification: error of always predicting the majority class
};

// (feature value, target) pairs sorted by value; runs of equal values are the groups. Sorting
// the pairs themselves, not row indices, keeps the comparisons in cache.
template<typename Payload>
struct SortedRuns
{
    std::vector<std::pair<double, Payload>> points;
    std::vector<size_t> runStart; // runStart.back() == points.size()

    size_t runCount() const { return runStart.size() - 1; }
    size_t runSize(size_t run) const { return runStart[run + 1] - runStart[run]; }
    double runValue(size_t run) const { return points[runStart[run]].first; }
};

template<typename Payload, typename PayloadOf>
SortedRuns<Payload> sortedRuns(const std::vector<double> &x, const std::vector<uint32_t> &usable,
                               PayloadOf payloadOf)
{
    SortedRuns<Payload> s;
    s.points.reserve(usable.size());
    for (uint32_t r : usable)
        s.points.emplace_back(x[r], payloadOf(r));
    radixSort(s.points, [](const auto &point) { return orderedBits(point.first); });
    for (size_t i = 0; i < s.points.size(); ++i) {
        if (i == 0 || s.points[i].first != s.points[i - 1].first)
            s.runStart.push_back(i);
    }
    s.runStart.push_back(s.points.size());
    return s;
}

// For a run of one row: the closer neighbouring run (the left one on a tie), or -1.
template<typename Runs>
long neighbourRun(const Runs &s, size_t run)
{
    const bool hasLeft = run > 0;
    const bool hasRight = run + 1 < s.runCount();
    if (!hasLeft && !hasRight)
        return -1;
    if (!hasRight)
        return long(run) - 1;
    if (!hasLeft)
        return long(run) + 1;
    const double v = s.runValue(run);
    const double left = v - s.runValue(run - 1);
    const double right = s.runValue(run + 1) - v;
    return right < left ? long(run) + 1 : long(run) - 1;
}

PredictorScore classificationScore(const Column &feature, const std::vector<double> &orderedX,
                                   const Groups &featureGroups, const TargetData &target,
                                   const std::vector<uint32_t> &usable, bool useNeighbours)
{
    PredictorScore out;
    const size_t n = usable.size();
    if (n == 0)
        return out;
    std::vector<qint64> classTotals(target.classCount, 0);
    for (uint32_t r : usable)
        ++classTotals[target.classes[r]];
    const qint64 majority = *std::max_element(classTotals.begin(), classTotals.end());
    out.baselineError = 1.0 - double(majority) / double(n);

    qint64 correct = 0;
    std::vector<qint64> counts(target.classCount, 0);
    std::vector<uint32_t> touched;
    // Mode and runner-up of one group's classes (forEachRow visits each row's class).
    auto summarise = [&](auto forEachRow, qint64 &m1, qint64 &m2, uint32_t &mode) {
        touched.clear();
        forEachRow([&](uint32_t c) {
            if (counts[c]++ == 0)
                touched.push_back(c);
        });
        m1 = 0;
        m2 = 0;
        mode = kNoGroup;
        for (uint32_t c : touched) {
            const qint64 k = counts[c];
            if (k > m1) {
                m2 = m1;
                m1 = k;
                mode = c;
            } else if (k > m2) {
                m2 = k;
            }
        }
        for (uint32_t c : touched)
            counts[c] = 0;
    };

    if (isOrdered(feature.type())) {
        const auto s = sortedRuns<uint32_t>(orderedX, usable,
                                            [&](uint32_t r) { return target.classes[r]; });
        const size_t runs = s.runCount();
        std::vector<qint64> m1s(runs), m2s(runs);
        std::vector<uint32_t> modes(runs);
        for (size_t run = 0; run < runs; ++run) {
            summarise(
                [&](auto visit) {
                    for (size_t i = s.runStart[run]; i < s.runStart[run + 1]; ++i)
                        visit(s.points[i].second);
                },
                m1s[run], m2s[run], modes[run]);
        }
        for (size_t run = 0; run < runs; ++run) {
            if (s.runSize(run) >= 2) {
                // The row of the mode class still wins without itself only with a strict margin.
                if (m1s[run] - 1 > m2s[run])
                    correct += m1s[run];
            } else if (useNeighbours) {
                const long other = neighbourRun(s, run);
                if (other >= 0 && modes[size_t(other)] == s.points[s.runStart[run]].second)
                    ++correct;
            }
        }
    } else {
        // Group rows by feature value (counting sort by group id), then summarise each group.
        const size_t groups = featureGroups.size();
        std::vector<size_t> start(groups + 1, 0);
        for (uint32_t r : usable)
            ++start[featureGroups.ids[r] + 1];
        std::partial_sum(start.begin(), start.end(), start.begin());
        std::vector<uint32_t> byGroup(n);
        std::vector<size_t> fill(start.begin(), start.end() - 1);
        for (uint32_t r : usable)
            byGroup[fill[featureGroups.ids[r]]++] = r;
        for (size_t g = 0; g < groups; ++g) {
            if (start[g + 1] - start[g] < 2)
                continue; // alone in its group: nothing left to learn from
            qint64 m1 = 0, m2 = 0;
            uint32_t mode = 0;
            summarise(
                [&](auto visit) {
                    for (size_t i = start[g]; i < start[g + 1]; ++i)
                        visit(target.classes[byGroup[i]]);
                },
                m1, m2, mode);
            if (m1 - 1 > m2)
                correct += m1;
        }
    }
    out.score = double(correct) / double(n);
    return out;
}

PredictorScore regressionScore(const Column &feature, const std::vector<double> &orderedX,
                               const Groups &featureGroups, const std::vector<double> &y,
                               const std::vector<uint32_t> &usable, bool useNeighbours)
{
    PredictorScore out;
    const size_t n = usable.size();
    if (n < 2)
        return out;
    double sum = 0;
    for (uint32_t r : usable)
        sum += y[r];
    const double mean = sum / double(n);
    double sst = 0;
    for (uint32_t r : usable)
        sst += (y[r] - mean) * (y[r] - mean);
    if (!(sst > 0))
        return out;

    double sse = 0;
    if (isOrdered(feature.type())) {
        const auto s = sortedRuns<double>(orderedX, usable, [&](uint32_t r) { return y[r]; });
        const size_t runs = s.runCount();
        std::vector<double> sums(runs, 0.0);
        for (size_t run = 0; run < runs; ++run) {
            for (size_t i = s.runStart[run]; i < s.runStart[run + 1]; ++i)
                sums[run] += s.points[i].second;
        }
        for (size_t run = 0; run < runs; ++run) {
            const size_t size = s.runSize(run);
            for (size_t i = s.runStart[run]; i < s.runStart[run + 1]; ++i) {
                const double yi = s.points[i].second;
                double prediction = mean;
                if (size >= 2) {
                    prediction = (sums[run] - yi) / double(size - 1);
                } else if (useNeighbours) {
                    const long other = neighbourRun(s, run);
                    if (other >= 0)
                        prediction = sums[size_t(other)] / double(s.runSize(size_t(other)));
                }
                sse += (yi - prediction) * (yi - prediction);
            }
        }
    } else {
        std::vector<double> sums(featureGroups.size(), 0.0);
        std::vector<qint64> sizes(featureGroups.size(), 0);
        for (uint32_t r : usable) {
            sums[featureGroups.ids[r]] += y[r];
            ++sizes[featureGroups.ids[r]];
        }
        for (uint32_t r : usable) {
            const uint32_t g = featureGroups.ids[r];
            const double prediction =
                sizes[g] >= 2 ? (sums[g] - y[r]) / double(sizes[g] - 1) : mean;
            sse += (y[r] - prediction) * (y[r] - prediction);
        }
    }
    out.score = 1.0 - sse / sst;
    return out;
}

// sqrt(SS_between / SS_total) of values grouped by id (ids < groupCount).
double correlationRatio(const std::vector<uint32_t> &usable, const std::vector<double> &values,
                        const std::vector<uint32_t> &ids, size_t groupCount)
{
    if (usable.size() < 2 || groupCount == 0)
        return kNaN;
    std::vector<double> sums(groupCount, 0.0);
    std::vector<qint64> sizes(groupCount, 0);
    double sum = 0;
    for (uint32_t r : usable) {
        sums[ids[r]] += values[r];
        ++sizes[ids[r]];
        sum += values[r];
    }
    const double mean = sum / double(usable.size());
    double sst = 0;
    for (uint32_t r : usable)
        sst += (values[r] - mean) * (values[r] - mean);
    double ssb = 0;
    for (size_t g = 0; g < groupCount; ++g) {
        if (sizes[g] > 0) {
            const double d = sums[g] / double(sizes[g]) - mean;
            ssb += double(sizes[g]) * d * d;
        }
    }
    if (!(sst > 0))
        return kNaN;
    return std::sqrt(std::clamp(ssb / sst, 0.0, 1.0));
}

// Cramér's V from the contingency table of two groupings, using only its non-empty cells:
// chi² = n (Σ O²/(R·C) − 1).
double cramersV(const std::vector<uint32_t> &usable, const std::vector<uint32_t> &a, size_t aCount,
                const std::vector<uint32_t> &b, size_t bCount)
{
    const auto n = double(usable.size());
    if (usable.empty())
        return kNaN;
    std::vector<qint64> rowTotals(aCount, 0), columnTotals(bCount, 0);
    std::vector<qint64> cellCounts;
    std::vector<std::pair<uint32_t, uint32_t>> cellKeys;
    if (aCount * bCount <= kDenseContingencyCells) {
        // A small table is counted in place: no hashing per row.
        std::vector<qint64> table(aCount * bCount, 0);
        for (uint32_t r : usable) {
            ++rowTotals[a[r]];
            ++columnTotals[b[r]];
            ++table[size_t(a[r]) * bCount + b[r]];
        }
        for (size_t cell = 0; cell < table.size(); ++cell) {
            if (table[cell] > 0) {
                cellCounts.push_back(table[cell]);
                cellKeys.emplace_back(uint32_t(cell / bCount), uint32_t(cell % bCount));
            }
        }
    } else {
        DenseIndex cells;
        for (uint32_t r : usable) {
            ++rowTotals[a[r]];
            ++columnTotals[b[r]];
            bool isNew = false;
            const uint32_t cell = cells.insert((uint64_t(a[r]) << 32) | b[r], isNew);
            if (isNew) {
                cellCounts.push_back(0);
                cellKeys.emplace_back(a[r], b[r]);
            }
            ++cellCounts[cell];
        }
    }
    const auto usedA = size_t(std::count_if(rowTotals.begin(), rowTotals.end(), [](qint64 c) { return c > 0; }));
    const auto usedB = size_t(std::count_if(columnTotals.begin(), columnTotals.end(), [](qint64 c) { return c > 0; }));
    const size_t k = std::min(usedA, usedB);
    if (k < 2)
        return kNaN;
    double s = 0;
    for (size_t c = 0; c < cellCounts.size(); ++c) {
        const double o = double(cellCounts[c]);
        s += o * o
             / (double(rowTotals[cellKeys[c].first]) * double(columnTotals[cellKeys[c].second]));
    }
    const double chi2 = std::max(0.0, n * (s - 1.0));
    return std::sqrt(std::clamp(chi2 / (n * double(k - 1)), 0.0, 1.0));
}

struct FeatureFinding
{
    TargetAssociation association;
    bool leak = false;
    QString leakReason;
};

FeatureFinding assessFeature(const Column &feature, const ColumnProfile &profile,
                             const TargetData &target, const ProfileOptions &options)
{
    FeatureFinding f;
    f.association.column = feature.name();
    const bool classification = target.kind == TargetKind::Classes;
    f.association.predictorMetric =
        classification ? QStringLiteral("accuracy") : QStringLiteral("r2");

    const auto rows = size_t(feature.size());
    const bool ordered = isOrdered(feature.type());
    f.association.measure = classification ? (ordered ? QStringLiteral("eta")
                                                      : QStringLiteral("cramers_v"))
                                           : (ordered ? QStringLiteral("pearson")
                                                      : QStringLiteral("eta"));
    // Unique values "explain" any target (Cramér's V, eta and group means all reach 1): no
    // number is better than a misleading one, and an ID is never reported as a leak.
    if (profile.idLike)
        return f;
    std::vector<double> x;
    Groups groups;
    if (ordered) {
        x = orderedValues(feature);
    } else {
        groups = groupValues(feature, true);
    }
    auto featurePresent = [&](size_t r) { return ordered ? !std::isnan(x[r]) : groups.ids[r] != kNoGroup; };
    auto targetPresent = [&](size_t r) {
        return classification ? target.classes[r] != kNoGroup : !std::isnan(target.values[r]);
    };
    std::vector<uint32_t> usable;
    usable.reserve(rows);
    for (size_t r = 0; r < rows; ++r) {
        if (featurePresent(r) && targetPresent(r))
            usable.push_back(uint32_t(r));
    }
    f.association.rows = qint64(usable.size());

    if (classification) {
        f.association.value =
            ordered ? correlationRatio(usable, x, target.classes, target.classCount)
                    : cramersV(usable, groups.ids, groups.size(), target.classes, target.classCount);
    } else if (ordered) {
        std::vector<double> xs, ys;
        xs.reserve(usable.size());
        ys.reserve(usable.size());
        for (uint32_t r : usable) {
            xs.push_back(x[r]);
            ys.push_back(target.values[r]);
        }
        f.association.value = pearson(xs, ys);
    } else {
        f.association.value = correlationRatio(usable, target.values, groups.ids, groups.size());
    }

    // Nearest neighbours along a time axis would mistake a smooth series for a leak.
    const bool useNeighbours = feature.type() != ColumnType::DateTime;
    const PredictorScore score =
        classification
            ? classificationScore(feature, x, groups, target, usable, useNeighbours)
            : regressionScore(feature, x, groups, target.values, usable, useNeighbours);
    f.association.predictorScore = score.score;

    if (profile.distinct <= 1 || usable.size() < 2)
        return f;
    const double value = f.association.value;
    if (!classification && f.association.measure == QLatin1String("pearson")
        && std::abs(value) >= options.leakageCorrelation) {
        f.leak = true;
        f.leakReason = ProfilerText::tr("Pearson correlation with the target is %1")
                           .arg(value, 0, 'f', 4);
    } else if (!classification && score.score >= options.leakageR2) {
        f.leak = true;
        f.leakReason = ProfilerText::tr("on its own it predicts the target with R² = %1")
                           .arg(score.score, 0, 'f', 4);
    } else if (classification && score.score >= options.leakageAccuracy
               && (1.0 - score.score) <= 0.1 * score.baselineError) {
        f.leak = true;
        f.leakReason = ProfilerText::tr("on its own it predicts the target with accuracy %1 "
                                        "(always guessing the majority class: %2)")
                           .arg(score.score, 0, 'f', 4)
                           .arg(1.0 - score.baselineError, 0, 'f', 4);
    }
    return f;
}

// ---------------------------------------------------------------------------------------------
// Warnings.

json excludeProposal(const QString &column, const char *reason)
{
    return {{"action", "exclude_column"}, {"column", toStd(column)}, {"reason", reason}};
}

void addColumnWarnings(const ColumnProfile &c, qint64 rows, const ProfileOptions &options,
                       std::vector<ProfileWarning> &out)
{
    using T = ProfilerText;
    if (c.idLike) {
        out.push_back({QStringLiteral("id_like"), c.name, WarningSeverity::Warning,
                       T::tr("Column \"%1\" looks like an identifier").arg(c.name),
                       T::tr("all %1 values are unique").arg(c.count),
                       excludeProposal(c.name, "ID-like")});
    }
    if (c.distinct <= 1) {
        out.push_back({QStringLiteral("constant"), c.name, WarningSeverity::Warning,
                       T::tr("Column \"%1\" is constant").arg(c.name),
                       T::tr("%1 distinct value(s) among %2 present").arg(c.distinct).arg(c.count),
                       excludeProposal(c.name, "constant")});
    }
    const bool stringLike = c.type == ColumnType::Categorical || c.type == ColumnType::Text;
    if (stringLike && !c.idLike && c.count > 0
        && double(c.distinct) > options.highCardinalityFraction * double(c.count)) {
        const json proposal =
            c.type == ColumnType::Text
                ? excludeProposal(c.name, "high-cardinality text")
                : json{{"action", "frequency_encode"}, {"column", toStd(c.name)},
                       {"reason", "high-cardinality categorical"}};
        out.push_back({QStringLiteral("high_cardinality"), c.name, WarningSeverity::Warning,
                       T::tr("Column \"%1\" has many distinct values").arg(c.name),
                       T::tr("%1 distinct values among %2 present").arg(c.distinct).arg(c.count),
                       proposal});
    }
    if (rows > 0 && double(c.missing) > options.highMissingFraction * double(rows)) {
        out.push_back({QStringLiteral("high_missing"), c.name, WarningSeverity::Warning,
                       T::tr("Column \"%1\" is mostly missing").arg(c.name),
                       T::tr("%1 of %2 values are missing (%3 %)")
                           .arg(c.missing)
                           .arg(rows)
                           .arg(c.missingPct, 0, 'f', 1),
                       excludeProposal(c.name, "high missing")});
    }
    if (c.numeric && !c.idLike && std::isfinite(c.numeric->skewness)
        && std::abs(c.numeric->skewness) > options.skewThreshold) {
        const bool nonNegative = c.numeric->min >= 0;
        out.push_back({QStringLiteral("skewed"), c.name, WarningSeverity::Info,
                       T::tr("Column \"%1\" is strongly skewed").arg(c.name),
                       T::tr("skewness %1").arg(c.numeric->skewness, 0, 'f', 2),
                       {{"action", nonNegative ? "log_transform" : "yeo_johnson_transform"},
                        {"column", toStd(c.name)},
                        {"reason", "skewed"}}});
    }
}

void addTargetWarnings(const ColumnProfile &c, const TargetProfile &target,
                       const ProfileOptions &options, std::vector<ProfileWarning> &out)
{
    using T = ProfilerText;
    if (target.missing > 0) {
        out.push_back({QStringLiteral("target_missing"), c.name, WarningSeverity::Warning,
                       T::tr("The target \"%1\" has missing values").arg(c.name),
                       T::tr("%1 rows without a target value").arg(target.missing),
                       {{"action", "drop_rows_missing_target"},
                        {"column", toStd(c.name)},
                        {"reason", "missing target"}}});
    }
    if (target.kind == TargetKind::Classes && target.classes.size() >= 2) {
        qint64 total = 0;
        for (const ValueCount &v : target.classes)
            total += v.count;
        const ValueCount &majority = target.classes.front();
        const ValueCount &minority = target.classes.back();
        if (double(minority.count) < options.imbalanceMinorityToMajority * double(majority.count)
            || double(minority.count) < options.imbalanceMinorityFraction * double(total)) {
            out.push_back({QStringLiteral("class_imbalance"), c.name, WarningSeverity::Warning,
                           T::tr("The classes of \"%1\" are imbalanced").arg(c.name),
                           T::tr("smallest class \"%1\": %2 rows, largest \"%3\": %4 rows")
                               .arg(minority.value)
                               .arg(minority.count)
                               .arg(majority.value)
                               .arg(majority.count),
                           {{"action", "use_class_weights"},
                            {"column", toStd(c.name)},
                            {"reason", "class imbalance"}}});
        }
    }
    if (target.kind == TargetKind::Numeric && c.numeric && std::isfinite(c.numeric->skewness)
        && std::abs(c.numeric->skewness) > options.skewThreshold) {
        out.push_back({QStringLiteral("target_skewed"), c.name, WarningSeverity::Info,
                       T::tr("The target \"%1\" is strongly skewed").arg(c.name),
                       T::tr("skewness %1").arg(c.numeric->skewness, 0, 'f', 2),
                       {{"action", c.numeric->min >= 0 ? "log_transform" : "yeo_johnson_transform"},
                        {"column", toStd(c.name)},
                        {"reason", "skewed target"}}});
    }
}

Result<Profile> profile(const Table &table, const ProfileOptions &options, const JobToken *token,
                        const std::function<void(const QString &, double)> &progress)
{
    auto report = [&](const char *phase, double pct) {
        if (progress)
            progress(QString::fromLatin1(phase), std::clamp(pct, 0.0, 1.0));
    };
    const int threads = std::max(1, options.threads > 0 ? options.threads
                                                        : QThread::idealThreadCount());
    const qint64 rows = table.rowCount();
    const int columnCount = table.columnCount();

    std::optional<int> targetIndex;
    if (!options.target.isEmpty()) {
        targetIndex = table.columnIndex(options.target);
        if (!targetIndex) {
            return makeError(ErrorKind::NotFound, QStringLiteral("profile.no_target"),
                             QStringLiteral("The target column \"%1\" does not exist")
                                 .arg(options.target));
        }
        if (table.column(*targetIndex).type() == ColumnType::DateTime) {
            return makeError(ErrorKind::BadInput, QStringLiteral("profile.bad_target"),
                             QStringLiteral("The target column \"%1\" holds dates; choose a "
                                            "numeric or categorical target")
                                 .arg(options.target));
        }
    }
    if (rows >= qint64(kNoGroup)) {
        return makeError(ErrorKind::BadInput, QStringLiteral("profile.too_many_rows"),
                         QStringLiteral("Tables of more than %1 rows cannot be profiled")
                             .arg(qint64(kNoGroup) - 1));
    }
    if (isCancelled(token))
        return cancelledError();

    Profile result;

    // Phase 1: every column on its own, plus its share of the row hashes.
    report("columns", kColumnsStart);
    result.columns.resize(size_t(columnCount));
    const int workers = std::clamp(threads, 1, std::max(1, columnCount));
    std::vector<std::vector<uint64_t>> rowHashes(static_cast<size_t>(workers));
    parallelFor(
        columnCount, workers, token,
        [&](int i, int worker) {
            const Column &column = table.column(i);
            result.columns[size_t(i)] = profileColumn(column, rows, options);
            std::vector<uint64_t> &hashes = rowHashes[size_t(worker)];
            if (hashes.empty())
                hashes.assign(size_t(rows), 0);
            addRowHashes(column, i, hashes);
        },
        [&](int done) {
            report("columns", kColumnsStart + (kDuplicatesStart - kColumnsStart) * done / columnCount);
        });
    if (isCancelled(token))
        return cancelledError();
    if (targetIndex) {
        // The target is what we predict, not a feature to drop for looking like an ID.
        result.columns[size_t(*targetIndex)].isTarget = true;
        result.columns[size_t(*targetIndex)].idLike = false;
    }

    // Summary.
    ProfileSummary &summary = result.summary;
    summary.rows = rows;
    summary.columns = columnCount;
    for (const ColumnProfile &c : result.columns)
        summary.missingCells += c.missing;
    const qint64 cells = rows * qint64(columnCount);
    summary.missingPct = cells > 0 ? 100.0 * double(summary.missingCells) / double(cells) : 0.0;
    for (ColumnType type : {ColumnType::Float64, ColumnType::Int64, ColumnType::Bool,
                            ColumnType::DateTime, ColumnType::Categorical, ColumnType::Text}) {
        const auto n = int(std::count_if(result.columns.begin(), result.columns.end(),
                                         [type](const ColumnProfile &c) { return c.type == type; }));
        summary.typeCounts.emplace_back(columnTypeName(type), n);
    }
    for (TypeGroup group : {TypeGroup::Numeric, TypeGroup::Categorical, TypeGroup::DateTime,
                            TypeGroup::Other}) {
        const auto n = int(std::count_if(result.columns.begin(), result.columns.end(),
                                         [group](const ColumnProfile &c) { return c.group() == group; }));
        summary.groupCounts.emplace_back(typeGroupName(group), n);
    }
    summary.memoryBytes = table.memoryBytes();

    // Phase 2: duplicate rows.
    report("duplicates", kDuplicatesStart);
    if (rows > 1 && columnCount > 0) {
        // A worker that got no column left its vector empty.
        std::vector<uint64_t> combined(size_t(rows), 0);
        for (const std::vector<uint64_t> &part : rowHashes) {
            for (size_t r = 0; r < part.size(); ++r)
                combined[r] += part[r];
        }
        rowHashes.clear();
        summary.duplicateRows = countDuplicateRows(table, combined);
    }
    if (isCancelled(token))
        return cancelledError();

    // Phase 3: correlations among numeric columns.
    report("correlations", kCorrelationsStart);
    result.correlations = correlations(table, result.columns, options, threads, token, [&](double f) {
        report("correlations", kCorrelationsStart + (kTargetStart - kCorrelationsStart) * f);
    });
    if (isCancelled(token))
        return cancelledError();

    // Phase 4: the target's distribution and every feature against it.
    report("target", kTargetStart);
    std::vector<FeatureFinding> findings;
    if (targetIndex) {
        const Column &targetColumn = table.column(*targetIndex);
        const ColumnProfile &targetProfile = result.columns[size_t(*targetIndex)];
        TargetData data;
        data.column = *targetIndex;
        const bool numericTarget = targetColumn.type() == ColumnType::Float64
                                   || targetColumn.type() == ColumnType::Int64;
        data.kind = (!numericTarget
                     || (targetProfile.distinct <= options.maxTargetClasses
                         && integralValues(targetColumn)))
                        ? TargetKind::Classes
                        : TargetKind::Numeric;

        TargetProfile &tp = result.target;
        tp.column = targetColumn.name();
        tp.kind = data.kind;
        tp.missing = targetProfile.missing;
        if (data.kind == TargetKind::Classes) {
            Groups classes = groupValues(targetColumn, true);
            for (uint32_t g : groupsByCount(classes))
                tp.classes.push_back({targetColumn.displayValue(classes.firstRow[g]), classes.counts[g]});
            data.classCount = classes.size();
            data.classCounts = classes.counts;
            data.classes = std::move(classes.ids);
        } else {
            data.values = orderedValues(targetColumn);
            tp.histogram = targetProfile.numeric ? targetProfile.numeric->histogram : Histogram{};
        }

        std::vector<int> features;
        for (int i = 0; i < columnCount; ++i) {
            if (i != *targetIndex)
                features.push_back(i);
        }
        findings.resize(features.size());
        if (data.classCount > 0 || data.kind == TargetKind::Numeric) {
            parallelFor(
                int(features.size()), threads, token,
                [&](int k, int) {
                    const int i = features[size_t(k)];
                    findings[size_t(k)] =
                        assessFeature(table.column(i), result.columns[size_t(i)], data, options);
                },
                [&](int done) {
                    report("target", kTargetStart
                                         + (kWarningsStart - kTargetStart) * done
                                               / double(features.size()));
                });
        }
        if (isCancelled(token))
            return cancelledError();
        for (const FeatureFinding &f : findings) {
            if (!f.association.column.isEmpty())
                result.associations.push_back(f.association);
        }
        // Strongest first; undefined associations last.
        std::stable_sort(result.associations.begin(), result.associations.end(),
                         [](const TargetAssociation &a, const TargetAssociation &b) {
                             const double x = std::isfinite(a.value) ? std::abs(a.value) : -1.0;
                             const double y = std::isfinite(b.value) ? std::abs(b.value) : -1.0;
                             return x > y;
                         });
    }

    // Phase 5: warnings, the most severe first.
    report("warnings", kWarningsStart);
    using T = ProfilerText;
    std::vector<ProfileWarning> &warnings = result.warnings;
    for (const FeatureFinding &f : findings) {
        if (!f.leak)
            continue;
        const QString &name = f.association.column;
        warnings.push_back({QStringLiteral("target_leakage"), name, WarningSeverity::Critical,
                            T::tr("Column \"%1\" may leak the target \"%2\"")
                                .arg(name, result.target.column),
                            f.leakReason, excludeProposal(name, "target leakage")});
    }
    if (summary.duplicateRows > 0) {
        warnings.push_back({QStringLiteral("duplicated_rows"), QString(), WarningSeverity::Warning,
                            T::tr("The table has %1 duplicated rows").arg(summary.duplicateRows),
                            T::tr("%1 of %2 rows repeat an earlier row")
                                .arg(summary.duplicateRows)
                                .arg(rows),
                            {{"action", "drop_duplicate_rows"},
                             {"count", summary.duplicateRows},
                             {"reason", "duplicated rows"}}});
    }
    if (summary.missingPct > options.datasetMissingPct) {
        warnings.push_back({QStringLiteral("dataset_missing"), QString(), WarningSeverity::Info,
                            T::tr("Dataset has >%1% missing values.").arg(options.datasetMissingPct),
                            T::tr("%1 of %2 cells are missing (%3 %)")
                                .arg(summary.missingCells)
                                .arg(cells)
                                .arg(summary.missingPct, 0, 'f', 1),
                            {{"action", "impute_missing"}, {"reason", "missing values"}}});
    }
    if (targetIndex)
        addTargetWarnings(result.columns[size_t(*targetIndex)], result.target, options, warnings);
    for (const ColumnProfile &c : result.columns) {
        if (!c.isTarget)
            addColumnWarnings(c, rows, options, warnings);
    }
    std::stable_sort(warnings.begin(), warnings.end(),
                     [](const ProfileWarning &a, const ProfileWarning &b) {
                         return int(a.severity) > int(b.severity);
                     });
    report("warnings", 1.0);
    return result;
}

} // namespace

Result<Profile> profileTable(const Table &table, const ProfileOptions &options,
                             const JobToken *token,
                             std::function<void(const QString &phase, double pct)> progress)
{
    // Out of memory on a huge table must become an error, not a crash of the job thread.
    try {
        return profile(table, options, token, progress);
    } catch (const std::bad_alloc &) {
        return makeError(ErrorKind::Internal, QStringLiteral("profile.out_of_memory"),
                         QStringLiteral("Not enough memory to profile %1 rows × %2 columns")
                             .arg(table.rowCount())
                             .arg(table.columnCount()));
    }
}

} // namespace baton
