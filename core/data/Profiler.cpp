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

// Overall progress at the start of each phase (the columns phase assesses the features against
// the target too, so the target phase only puts the results together).
constexpr double kColumnsStart = 0.0;
constexpr double kDuplicatesStart = 0.8;
constexpr double kCorrelationsStart = 0.85;
constexpr double kTargetStart = 0.97;
constexpr double kWarningsStart = 0.98;

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
        return insert(key, isNew, [](uint32_t) { return true; });
    }

    // The same when key is only a hash of the value: sameValue(id) confirms that the value
    // inserted as id is this one, so colliding hashes still get ids of their own (exact counts).
    template<typename SameValue>
    uint32_t insert(uint64_t key, bool &isNew, SameValue sameValue)
    {
        size_t slot = size_t(mix64(key)) & m_mask;
        while (true) {
            Slot &s = m_slots[slot];
            if (s.id == 0)
                break;
            if (s.key == key && sameValue(s.id - 1)) {
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
        // Keyed by a 64-bit hash and confirmed by one comparison with the group's first value:
        // about twice as fast as QHash<QString>, whose buckets compare strings on every probe.
        DenseIndex index;
        const TextCells &values = column.texts();
        for (size_t r = 0; r < rows; ++r) {
            if (missingAt(r))
                continue;
            const QStringView value = values.view(qsizetype(r));
            bool isNew = false;
            const uint32_t id = index.insert(qHash(value, size_t(0x5bd1e995U)), isNew, [&](uint32_t id) {
                return values.view(qsizetype(g.firstRow[id])) == value;
            });
            add(r, id, isNew);
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
    case ColumnType::Text: return column.texts().view(qsizetype(a)) == column.texts().view(qsizetype(b));
    }
    return false;
}

// Adds this column's contribution to the row hashes. Addition is order independent, so each
// thread can accumulate its own columns and the sums are combined afterwards. A Text column
// hashes its group ids (equal strings share one), which groupValues() has already computed.
void addRowHashes(const Column &column, int columnIndex, const Groups &groups,
                  std::vector<uint64_t> &rowHashes)
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
        const auto &ids = groups.ids;
        Q_ASSERT(ids.size() == rows);
        add([&](size_t r) { return ids[r] == kNoGroup ? kMissingHash : uint64_t(ids[r]); });
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
    radixSort(sorted, [](const auto &pair) { return pair.first; });
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

// Doubles back from orderedBits().
inline double fromOrderedBits(uint64_t key)
{
    const uint64_t bits = (key >> 63) ? (key & ~(uint64_t(1) << 63)) : ~key;
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

// An ordered column's present values in ascending order and, when asked for, the row of each:
// the target pass walks them in this order (runs of equal values are its groups), so one sort
// serves the quantiles, the distinct count and the leave-one-out score.
struct SortedValues
{
    std::vector<double> values;
    std::vector<uint32_t> rows; // empty unless asked for
};

// Radix-sorts the present rows by keyOf(row), an unsigned integer in the order of the values;
// valueOfKey(key) gives the value back.
template<typename Present, typename KeyOf, typename ValueOfKey>
SortedValues sortPresentBy(size_t rows, bool withRows, Present present, KeyOf keyOf,
                           ValueOfKey valueOfKey)
{
    SortedValues out;
    if (!withRows) {
        std::vector<uint64_t> keys;
        csv::reserveAdvised(keys, rows); // radix-sorted next: huge pages spare it TLB misses
        for (size_t r = 0; r < rows; ++r) {
            if (present(r))
                keys.push_back(keyOf(r));
        }
        radixSort(keys, [](uint64_t key) { return key; });
        out.values.resize(keys.size());
        for (size_t i = 0; i < keys.size(); ++i)
            out.values[i] = valueOfKey(keys[i]);
        return out;
    }
    struct Keyed
    {
        uint64_t key;
        uint32_t row;
    };
    std::vector<Keyed> keyed;
    csv::reserveAdvised(keyed, rows);
    for (size_t r = 0; r < rows; ++r) {
        if (present(r))
            keyed.push_back({keyOf(r), uint32_t(r)});
    }
    radixSort(keyed, [](const Keyed &k) { return k.key; });
    out.values.resize(keyed.size());
    out.rows.resize(keyed.size());
    for (size_t i = 0; i < keyed.size(); ++i) {
        out.values[i] = valueOfKey(keyed[i].key);
        out.rows[i] = keyed[i].row;
    }
    return out;
}

SortedValues sortPresent(const Column &column, bool withRows)
{
    const auto rows = size_t(column.size());
    if (column.type() == ColumnType::Float64) {
        const std::vector<double> &values = column.float64Values();
        return sortPresentBy(
            rows, withRows, [&](size_t r) { return !std::isnan(values[r]); },
            [&](size_t r) { return orderedBits(values[r]); }, fromOrderedBits);
    }
    // Int64 and DateTime: keys relative to the minimum span only the column's range, so the
    // radix sort skips the digits above it (ids, counts, ratings: one or two passes, not six).
    const std::vector<int64_t> &values = column.int64Values();
    const std::vector<uint8_t> &mask = column.missingMask();
    auto present = [&](size_t r) { return mask.empty() || mask[r] == 0; };
    int64_t lo = std::numeric_limits<int64_t>::max();
    for (size_t r = 0; r < rows; ++r) {
        if (present(r))
            lo = std::min(lo, values[r]);
    }
    return sortPresentBy(
        rows, withRows, present, [&](size_t r) { return uint64_t(values[r]) - uint64_t(lo); },
        [&](uint64_t key) { return double(int64_t(key + uint64_t(lo))); });
}

// Statistics of present values in ascending order (see sortPresent()).
NumericStats numericStats(const std::vector<double> &sorted, int bins, bool integral)
{
    NumericStats s;
    const size_t n = sorted.size();
    if (n == 0) {
        for (double q : kQuantiles)
            s.quantiles.push_back({q, kNaN});
        return s;
    }
    // Neumaier summation: the mean is then within an ulp or two of pandas' pairwise sum.
    double sum = 0, compensation = 0;
    for (double v : sorted) {
        const double t = sum + v;
        compensation += std::abs(sum) >= std::abs(v) ? (sum - t) + v : (v - t) + sum;
        sum = t;
        if (v == 0)
            ++s.zeros;
    }
    s.min = sorted.front();
    s.max = sorted.back();
    const auto firstFinite = std::find_if(sorted.begin(), sorted.end(),
                                          [](double v) { return std::isfinite(v); });
    const auto lastFinite = std::find_if(sorted.rbegin(), sorted.rend(),
                                         [](double v) { return std::isfinite(v); });
    const double finiteLo = firstFinite != sorted.end() ? *firstFinite : kNaN;
    const double finiteHi = lastFinite != sorted.rend() ? *lastFinite : kNaN;
    // An infinite value makes the compensation NaN; the plain sum then says inf (or NaN for
    // +inf and -inf together), as pandas does.
    s.mean = (std::isfinite(sum) ? sum + compensation : sum) / double(n);
    // Two-pass central moments, as pandas' nanvar / nanskew.
    double m2 = 0, m3 = 0;
    for (double v : sorted) {
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
    s.histogram = makeHistogram(sorted, finiteLo, finiteHi, bins, integral);
    for (double q : kQuantiles) {
        const double h = double(n - 1) * q;
        const auto below = size_t(std::floor(h));
        const size_t above = std::min(below + 1, n - 1);
        s.quantiles.push_back({q, lerp(sorted[below], sorted[above], h - double(below))});
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

// One column's profile and what the target pass reuses from computing it.
struct ColumnScan
{
    ColumnProfile profile;
    Groups groups;       // Bool, Categorical, Text (ids per row kept when asked for, and for Text)
    SortedValues sorted; // Float64, Int64, DateTime (rows kept when asked for)
};

// withRows: the column will be assessed against the target, which needs every row's group.
ColumnScan scanColumn(const Column &column, qint64 rows, const ProfileOptions &options,
                      bool withRows)
{
    ColumnScan scan;
    ColumnProfile &p = scan.profile;
    p.name = column.name();
    p.type = column.type();
    p.missing = column.missingCount();
    p.count = rows - p.missing;
    p.missingPct = rows > 0 ? 100.0 * double(p.missing) / double(rows) : 0.0;

    // Ordered values are counted on their sorted values (no hashing); the rest by grouping.
    if (isOrdered(column.type())) {
        scan.sorted = sortPresent(column, withRows);
        const std::vector<double> &sorted = scan.sorted.values;
        p.distinct = runCount(sorted);
    } else {
        // Text keeps its ids for the row hashes of the duplicate check.
        scan.groups = groupValues(column, withRows || column.type() == ColumnType::Text);
        p.distinct = qint64(scan.groups.size());
    }

    switch (column.type()) {
    case ColumnType::Float64:
    case ColumnType::Int64: {
        p.numeric = numericStats(scan.sorted.values, options.histogramBins,
                                 column.type() == ColumnType::Int64);
        // Integers beyond 2^53 may share a double: count those exactly.
        constexpr double exactIntegers = 9007199254740992.0;
        if (column.type() == ColumnType::Int64
            && (p.numeric->min < -exactIntegers || p.numeric->max > exactIntegers)) {
            p.distinct = qint64(groupValues(column, false).size());
        }
        break;
    }
    case ColumnType::DateTime: {
        // ms since the epoch stay exact as doubles for the next 280,000 years.
        const std::vector<double> &sorted = scan.sorted.values;
        if (!sorted.empty()) {
            p.dateMin = QDateTime::fromMSecsSinceEpoch(int64_t(sorted.front()), Qt::UTC)
                            .toString(Qt::ISODateWithMs);
            p.dateMax = QDateTime::fromMSecsSinceEpoch(int64_t(sorted.back()), Qt::UTC)
                            .toString(Qt::ISODateWithMs);
        }
        break;
    }
    case ColumnType::Bool:
    case ColumnType::Categorical:
    case ColumnType::Text: {
        const std::vector<uint32_t> order = groupsByCount(scan.groups);
        const size_t top = std::min(order.size(), size_t(std::max(0, options.topValues)));
        for (size_t i = 0; i < top; ++i) {
            const uint32_t g = order[i];
            p.topValues.push_back({column.displayValue(scan.groups.firstRow[g]),
                                   scan.groups.counts[g]});
        }
        break;
    }
    }
    if (!withRows)
        scan.sorted = {}; // only the target pass reads them
    p.idLike = looksIdLike(column, p, rows, options, p.numeric ? &*p.numeric : nullptr);
    return scan;
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
    double mean = kNaN;                // of the present values
    std::vector<double> standardized; // (x - mean) / sqrt(Σ(x - mean)²), complete series only
};

NumericSeries makeSeries(const Column &column, int index)
{
    NumericSeries s;
    s.column = index;
    s.values = orderedValues(column);
    s.complete = column.missingCount() == 0;
    double sum = 0;
    qint64 n = 0;
    for (double v : s.values) {
        if (!std::isnan(v)) {
            sum += v;
            ++n;
        }
    }
    if (n == 0)
        return s;
    s.mean = sum / double(n);
    if (s.complete) {
        double m2 = 0;
        for (double v : s.values)
            m2 += (v - s.mean) * (v - s.mean);
        if (m2 > 0 && std::isfinite(m2)) {
            const double scale = 1.0 / std::sqrt(m2);
            s.standardized.resize(s.values.size());
            for (size_t r = 0; r < s.values.size(); ++r)
                s.standardized[r] = (s.values[r] - s.mean) * scale;
        }
    }
    return s;
}

// Pearson r from sums of deviations around fixed centres (close to the means, so the
// subtractions below lose next to nothing); NaN when either side is constant.
double pearsonFromSums(double n, double sx, double sy, double sxx, double syy, double sxy)
{
    if (n < 2)
        return kNaN;
    const double cxx = sxx - sx * sx / n;
    const double cyy = syy - sy * sy / n;
    const double cxy = sxy - sx * sy / n;
    // What is left of a constant column after rounding is not a variance.
    constexpr double kRoundOff = 1e-12;
    if (!(cxx > kRoundOff * sxx) || !(cyy > kRoundOff * syy))
        return kNaN;
    return std::clamp(cxy / std::sqrt(cxx * cyy), -1.0, 1.0);
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
    // Pairwise complete rows, in one pass: deviations from each series' own mean, which is
    // close to the mean over the shared rows.
    if (std::isnan(a.mean) || std::isnan(b.mean))
        return kNaN;
    double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    const double *x = a.values.data();
    const double *y = b.values.data();
    for (size_t r = 0, rows = a.values.size(); r < rows; ++r) {
        const double dx = x[r] - a.mean;
        const double dy = y[r] - b.mean;
        // Branch-free: missing cells are spread at random, a branch would mispredict often.
        const bool both = !std::isnan(dx) && !std::isnan(dy);
        const double mx = both ? dx : 0.0;
        const double my = both ? dy : 0.0;
        n += both ? 1.0 : 0.0;
        sx += mx;
        sy += my;
        sxx += mx * mx;
        syy += my * my;
        sxy += mx * my;
    }
    return pearsonFromSums(n, sx, sy, sxx, syy, sxy);
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
    // Classification: dense class id per row (kNoGroup = missing), the class count and the
    // classes' counts and first rows (classGroups.ids is moved into classes).
    std::vector<uint32_t> classes;
    size_t classCount = 0;
    Groups classGroups;
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

// Classes for a categorical, bool or text target, or a numeric one with few integral values;
// values for any other numeric target (see Profiler.h).
TargetData targetData(const Column &column, const ProfileOptions &options)
{
    TargetData data;
    const bool numeric = column.type() == ColumnType::Float64 || column.type() == ColumnType::Int64;
    Groups groups;
    bool classes = !numeric;
    if (numeric && integralValues(column)) {
        groups = groupValues(column, true);
        classes = groups.size() <= size_t(std::max(0, options.maxTargetClasses));
    } else if (!numeric) {
        groups = groupValues(column, true);
    }
    if (!classes) {
        data.kind = TargetKind::Numeric;
        data.values = orderedValues(column);
        return data;
    }
    data.kind = TargetKind::Classes;
    data.classCount = groups.size();
    data.classes = std::move(groups.ids);
    data.classGroups = std::move(groups);
    return data;
}

// Leave-one-out single-feature predictor (see Profiler.h). Works on the rows where both the
// feature and the target are present.
struct PredictorScore
{
    double score = kNaN;
    double baselineError = kNaN; // classification: error of always predicting the majority class
};

// An ordered feature's usable (value, target) points in ascending order of value, taken from
// the sort the column's own statistics needed; runs of equal values are the groups.
template<typename Payload>
struct SortedRuns
{
    std::vector<std::pair<double, Payload>> points;
    std::vector<size_t> runStart; // runStart.back() == points.size()

    size_t runCount() const { return runStart.size() - 1; }
    size_t runSize(size_t run) const { return runStart[run + 1] - runStart[run]; }
    double runValue(size_t run) const { return points[runStart[run]].first; }
};

template<typename Payload, typename TargetPresent, typename PayloadOf>
SortedRuns<Payload> sortedRuns(const SortedValues &sorted, TargetPresent targetPresent,
                               PayloadOf payloadOf)
{
    SortedRuns<Payload> s;
    s.points.reserve(sorted.values.size());
    for (size_t i = 0; i < sorted.values.size(); ++i) {
        const uint32_t r = sorted.rows[i];
        if (targetPresent(r))
            s.points.emplace_back(sorted.values[i], payloadOf(r));
    }
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

// The most frequent class of a group, and how many rows have it and the runner-up.
struct ClassMode
{
    qint64 top = 0;
    qint64 second = 0;
    uint32_t mode = kNoGroup;

    // Its rows are predicted correctly without themselves only with a strict margin.
    qint64 correctLeavingOneOut() const { return top - 1 > second ? top : 0; }
};

class ClassModeCounter
{
public:
    explicit ClassModeCounter(size_t classCount) : m_counts(classCount, 0) {}

    // forEachRow(visit) calls visit(class) for each row of the group; onCell(class, rows) then
    // sees each class present in the group once.
    template<typename ForEachRow>
    ClassMode modeOf(ForEachRow forEachRow)
    {
        return modeOf(forEachRow, [](uint32_t, qint64) {});
    }

    template<typename ForEachRow, typename OnCell>
    ClassMode modeOf(ForEachRow forEachRow, OnCell onCell)
    {
        m_touched.clear();
        forEachRow([&](uint32_t c) {
            if (m_counts[c]++ == 0)
                m_touched.push_back(c);
        });
        ClassMode m;
        for (uint32_t c : m_touched) {
            const qint64 k = m_counts[c];
            onCell(c, k);
            if (k > m.top) {
                m.second = m.top;
                m.top = k;
                m.mode = c;
            } else if (k > m.second) {
                m.second = k;
            }
            m_counts[c] = 0;
        }
        return m;
    }

private:
    std::vector<qint64> m_counts;
    std::vector<uint32_t> m_touched;
};

// Error of always predicting the majority class; forEachClass(visit) visits every usable row.
template<typename ForEachClass>
double majorityBaselineError(size_t classCount, size_t n, ForEachClass forEachClass)
{
    std::vector<qint64> totals(classCount, 0);
    forEachClass([&](uint32_t c) { ++totals[c]; });
    const qint64 majority = *std::max_element(totals.begin(), totals.end());
    return 1.0 - double(majority) / double(n);
}

PredictorScore classificationScore(const SortedRuns<uint32_t> &s, const TargetData &target,
                                   bool useNeighbours)
{
    PredictorScore out;
    const size_t n = s.points.size();
    if (n == 0)
        return out;
    out.baselineError = majorityBaselineError(target.classCount, n, [&](auto visit) {
        for (const auto &point : s.points)
            visit(point.second);
    });
    const size_t runs = s.runCount();
    ClassModeCounter counter(target.classCount);
    std::vector<uint32_t> modes(runs);
    qint64 correct = 0;
    for (size_t run = 0; run < runs; ++run) {
        const size_t begin = s.runStart[run];
        if (s.runSize(run) == 1) {
            modes[run] = s.points[begin].second; // the common case of unique values: no counting
            continue;
        }
        const ClassMode m = counter.modeOf([&](auto visit) {
            for (size_t i = begin; i < s.runStart[run + 1]; ++i)
                visit(s.points[i].second);
        });
        modes[run] = m.mode;
        correct += m.correctLeavingOneOut();
    }
    if (useNeighbours) {
        for (size_t run = 0; run < runs; ++run) {
            if (s.runSize(run) != 1)
                continue;
            const long other = neighbourRun(s, run);
            if (other >= 0 && modes[size_t(other)] == s.points[s.runStart[run]].second)
                ++correct;
        }
    }
    out.score = double(correct) / double(n);
    return out;
}

// Rows grouped by feature value (counting sort by group id): rows of group g are
// byGroup[start[g] .. start[g + 1]).
struct GroupedRows
{
    std::vector<size_t> start;
    std::vector<uint32_t> byGroup;
};

GroupedRows groupRows(const Groups &groups, const std::vector<uint32_t> &usable)
{
    GroupedRows out;
    out.start.assign(groups.size() + 1, 0);
    for (uint32_t r : usable)
        ++out.start[groups.ids[r] + 1];
    std::partial_sum(out.start.begin(), out.start.end(), out.start.begin());
    out.byGroup.resize(usable.size());
    std::vector<size_t> fill(out.start.begin(), out.start.end() - 1);
    for (uint32_t r : usable)
        out.byGroup[fill[groups.ids[r]]++] = r;
    return out;
}

// A grouped (not ordered) feature against classes: Cramér's V (without bias correction) and the
// leave-one-out accuracy, both from each group's class counts. chi² = n (Σ O²/(R·C) − 1) over
// the non-empty cells, found by walking each group's rows: no contingency table, no hashing.
struct GroupedClassification
{
    double cramersV = kNaN;
    PredictorScore score;
};

GroupedClassification classifyByGroups(const Groups &groups, const std::vector<uint32_t> &usable,
                                       const TargetData &target)
{
    GroupedClassification out;
    const size_t n = usable.size();
    if (n == 0)
        return out;
    std::vector<qint64> classTotals(target.classCount, 0);
    for (uint32_t r : usable)
        ++classTotals[target.classes[r]];
    const qint64 majority = *std::max_element(classTotals.begin(), classTotals.end());
    out.score.baselineError = 1.0 - double(majority) / double(n);
    const auto usedClasses = size_t(std::count_if(classTotals.begin(), classTotals.end(),
                                                  [](qint64 c) { return c > 0; }));

    const GroupedRows grouped = groupRows(groups, usable);
    ClassModeCounter counter(target.classCount);
    qint64 correct = 0;
    size_t usedGroups = 0;
    double s = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
        const size_t begin = grouped.start[g];
        const size_t size = grouped.start[g + 1] - begin;
        if (size == 0)
            continue;
        ++usedGroups;
        if (size == 1) {
            // One row: one cell of 1; alone in its group, nothing is left to learn from.
            s += 1.0 / double(classTotals[target.classes[grouped.byGroup[begin]]]);
            continue;
        }
        double cells = 0;
        const ClassMode mode = counter.modeOf(
            [&](auto visit) {
                for (size_t i = begin; i < begin + size; ++i)
                    visit(target.classes[grouped.byGroup[i]]);
            },
            [&](uint32_t c, qint64 k) { cells += double(k) * double(k) / double(classTotals[c]); });
        s += cells / double(size);
        correct += mode.correctLeavingOneOut();
    }
    out.score.score = double(correct) / double(n);
    const size_t k = std::min(usedGroups, usedClasses);
    if (k >= 2) {
        const double chi2 = std::max(0.0, double(n) * (s - 1.0));
        out.cramersV = std::sqrt(std::clamp(chi2 / (double(n) * double(k - 1)), 0.0, 1.0));
    }
    return out;
}

// Mean and total sum of squares of the target over the usable rows (forEach visits each value).
template<typename ForEachValue>
std::pair<double, double> meanAndSst(size_t n, ForEachValue forEach)
{
    double sum = 0;
    forEach([&](double y) { sum += y; });
    const double mean = sum / double(n);
    double sst = 0;
    forEach([&](double y) { sst += (y - mean) * (y - mean); });
    return {mean, sst};
}

PredictorScore regressionScore(const SortedRuns<double> &s, bool useNeighbours)
{
    PredictorScore out;
    const size_t n = s.points.size();
    if (n < 2)
        return out;
    const auto [mean, sst] = meanAndSst(n, [&](auto visit) {
        for (const auto &point : s.points)
            visit(point.second);
    });
    if (!(sst > 0))
        return out;
    const size_t runs = s.runCount();
    std::vector<double> sums(runs, 0.0);
    for (size_t run = 0; run < runs; ++run) {
        for (size_t i = s.runStart[run]; i < s.runStart[run + 1]; ++i)
            sums[run] += s.points[i].second;
    }
    double sse = 0;
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
    out.score = 1.0 - sse / sst;
    return out;
}

PredictorScore regressionScore(const Groups &groups, const std::vector<uint32_t> &usable,
                               const std::vector<double> &y)
{
    PredictorScore out;
    const size_t n = usable.size();
    if (n < 2)
        return out;
    const auto [mean, sst] = meanAndSst(n, [&](auto visit) {
        for (uint32_t r : usable)
            visit(y[r]);
    });
    if (!(sst > 0))
        return out;
    std::vector<double> sums(groups.size(), 0.0);
    std::vector<qint64> sizes(groups.size(), 0);
    for (uint32_t r : usable) {
        sums[groups.ids[r]] += y[r];
        ++sizes[groups.ids[r]];
    }
    double sse = 0;
    for (uint32_t r : usable) {
        const uint32_t g = groups.ids[r];
        const double prediction = sizes[g] >= 2 ? (sums[g] - y[r]) / double(sizes[g] - 1) : mean;
        sse += (y[r] - prediction) * (y[r] - prediction);
    }
    out.score = 1.0 - sse / sst;
    return out;
}

// sqrt(SS_between / SS_total) of values grouped by id (ids < groupCount); forEach(visit) calls
// visit(id, value) for every usable row, twice.
template<typename ForEach>
double correlationRatio(size_t groupCount, ForEach forEach)
{
    if (groupCount == 0)
        return kNaN;
    std::vector<double> sums(groupCount, 0.0);
    std::vector<qint64> sizes(groupCount, 0);
    double sum = 0;
    qint64 n = 0;
    forEach([&](uint32_t id, double v) {
        sums[id] += v;
        ++sizes[id];
        sum += v;
        ++n;
    });
    if (n < 2)
        return kNaN;
    const double mean = sum / double(n);
    double sst = 0;
    forEach([&](uint32_t, double v) { sst += (v - mean) * (v - mean); });
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

// Pearson r of (x, y) points, two passes (exact means first).
double pearson(const std::vector<std::pair<double, double>> &points)
{
    const size_t n = points.size();
    if (n < 2)
        return kNaN;
    double sx = 0, sy = 0;
    for (const auto &[x, y] : points) {
        sx += x;
        sy += y;
    }
    const double mx = sx / double(n), my = sy / double(n);
    double sxx = 0, syy = 0, sxy = 0;
    for (const auto &[x, y] : points) {
        const double dx = x - mx, dy = y - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if (sxx <= 0 || syy <= 0)
        return kNaN;
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

struct FeatureFinding
{
    TargetAssociation association;
    bool leak = false;
    QString leakReason;
};

// The association and predictor score of one feature, from what scanColumn() kept: the sorted
// values of an ordered feature, the group ids of any other.
FeatureFinding assessFeature(const Column &feature, const ColumnScan &scan,
                             const TargetData &target, const ProfileOptions &options)
{
    const ColumnProfile &profile = scan.profile;
    FeatureFinding f;
    f.association.column = feature.name();
    const bool classification = target.kind == TargetKind::Classes;
    f.association.predictorMetric =
        classification ? QStringLiteral("accuracy") : QStringLiteral("r2");

    const bool ordered = isOrdered(feature.type());
    f.association.measure = classification ? (ordered ? QStringLiteral("eta")
                                                      : QStringLiteral("cramers_v"))
                                           : (ordered ? QStringLiteral("pearson")
                                                      : QStringLiteral("eta"));
    // Unique values "explain" any target (Cramér's V, eta and group means all reach 1): no
    // number is better than a misleading one, and an ID is never reported as a leak.
    if (profile.idLike)
        return f;
    auto classOf = [&](uint32_t r) { return target.classes[r]; };
    auto hasClass = [&](uint32_t r) { return target.classes[r] != kNoGroup; };
    auto valueOf = [&](uint32_t r) { return target.values[r]; };
    auto hasValue = [&](uint32_t r) { return !std::isnan(target.values[r]); };
    // Nearest neighbours along a time axis would mistake a smooth series for a leak.
    const bool useNeighbours = feature.type() != ColumnType::DateTime;

    PredictorScore score;
    size_t usableRows = 0;
    if (ordered && classification) {
        const auto runs = sortedRuns<uint32_t>(scan.sorted, hasClass, classOf);
        usableRows = runs.points.size();
        f.association.value = correlationRatio(target.classCount, [&](auto visit) {
            for (const auto &[x, c] : runs.points)
                visit(c, x);
        });
        score = classificationScore(runs, target, useNeighbours);
    } else if (ordered) {
        const auto runs = sortedRuns<double>(scan.sorted, hasValue, valueOf);
        usableRows = runs.points.size();
        f.association.value = pearson(runs.points);
        score = regressionScore(runs, useNeighbours);
    } else {
        const Groups &groups = scan.groups;
        std::vector<uint32_t> usable;
        usable.reserve(groups.ids.size());
        for (size_t r = 0; r < groups.ids.size(); ++r) {
            if (groups.ids[r] != kNoGroup && (classification ? hasClass(uint32_t(r)) : hasValue(uint32_t(r))))
                usable.push_back(uint32_t(r));
        }
        usableRows = usable.size();
        if (classification) {
            const GroupedClassification c = classifyByGroups(groups, usable, target);
            f.association.value = c.cramersV;
            score = c.score;
        } else {
            f.association.value = correlationRatio(groups.size(), [&](auto visit) {
                for (uint32_t r : usable)
                    visit(groups.ids[r], target.values[r]);
            });
            score = regressionScore(groups, usable, target.values);
        }
    }
    f.association.rows = qint64(usableRows);
    f.association.predictorScore = score.score;

    if (profile.distinct <= 1 || usableRows < 2)
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

    // The target first: every feature is assessed against it while its own data is at hand.
    TargetData target;
    if (targetIndex) {
        const Column &targetColumn = table.column(*targetIndex);
        target = targetData(targetColumn, options);
        target.column = *targetIndex;
        TargetProfile &tp = result.target;
        tp.column = targetColumn.name();
        tp.kind = target.kind;
        tp.missing = targetColumn.missingCount();
        if (target.kind == TargetKind::Classes) {
            for (uint32_t g : groupsByCount(target.classGroups)) {
                tp.classes.push_back({targetColumn.displayValue(target.classGroups.firstRow[g]),
                                      target.classGroups.counts[g]});
            }
        }
    }
    const bool assessFeatures = target.kind == TargetKind::Numeric || target.classCount > 0;

    // Phase 1: every column on its own, its share of the row hashes and, for a feature, its
    // association with the target. The costliest columns go first so that both threads finish
    // at about the same time.
    report("columns", kColumnsStart);
    result.columns.resize(size_t(columnCount));
    std::vector<FeatureFinding> findings(static_cast<size_t>(columnCount));
    std::vector<int> byCost(static_cast<size_t>(columnCount));
    std::iota(byCost.begin(), byCost.end(), 0);
    auto cost = [&](int i) {
        const ColumnType type = table.column(i).type();
        return type == ColumnType::Text ? 2 : isOrdered(type) ? 1 : 0;
    };
    std::stable_sort(byCost.begin(), byCost.end(), [&](int a, int b) { return cost(a) > cost(b); });
    const int workers = std::clamp(threads, 1, std::max(1, columnCount));
    std::vector<std::vector<uint64_t>> rowHashes(static_cast<size_t>(workers));
    parallelFor(
        columnCount, workers, token,
        [&](int k, int worker) {
            const int i = byCost[size_t(k)];
            const Column &column = table.column(i);
            const bool isFeature = assessFeatures && i != *targetIndex;
            ColumnScan scan = scanColumn(column, rows, options, isFeature);
            std::vector<uint64_t> &hashes = rowHashes[size_t(worker)];
            if (hashes.empty())
                hashes.assign(size_t(rows), 0);
            addRowHashes(column, i, scan.groups, hashes);
            if (isFeature)
                findings[size_t(i)] = assessFeature(column, scan, target, options);
            result.columns[size_t(i)] = std::move(scan.profile);
        },
        [&](int done) {
            // The fraction first: at the end it is exactly 1, so the next phase never starts lower.
            report("columns", kColumnsStart
                                  + (kDuplicatesStart - kColumnsStart) * (double(done) / columnCount));
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

    // Phase 4: the target's histogram and the associations, strongest first.
    report("target", kTargetStart);
    if (target.kind == TargetKind::Numeric) {
        const ColumnProfile &targetProfile = result.columns[size_t(*targetIndex)];
        result.target.histogram = targetProfile.numeric ? targetProfile.numeric->histogram
                                                        : Histogram{};
    }
    for (const FeatureFinding &f : findings) {
        if (!f.association.column.isEmpty())
            result.associations.push_back(f.association);
    }
    // Undefined associations last.
    std::stable_sort(result.associations.begin(), result.associations.end(),
                     [](const TargetAssociation &a, const TargetAssociation &b) {
                         const double x = std::isfinite(a.value) ? std::abs(a.value) : -1.0;
                         const double y = std::isfinite(b.value) ? std::abs(b.value) : -1.0;
                         return x > y;
                     });

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
