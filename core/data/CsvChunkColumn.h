#pragma once

// One chunk's cells of one column, typed while they are read: the CSV reader infers and converts
// in the same pass over the bytes (see readCsv's rules in CsvReader.h). Internal to core/data.

#include "core/data/CsvFieldBatch.h"
#include "core/data/CsvSyntax.h"
#include "core/data/HugePages.h"

#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <string>
#include <vector>

namespace baton::csv {

// What the values of a column allow: the evidence inference decides on.
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

inline Kind kindOf(const ColumnStats &s)
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

// One chunk's cells of a string column. They are dictionary-encoded (distinct values in order of
// first appearance) until there are more distinct values than a category of the whole column
// could have (switchAbove, an estimate the chunk loop keeps up to date); from then on each cell
// is kept as text, since a dictionary as large as the column would only cost time and memory.
// A missing cell is kept as an empty one: a present value is never empty (see isMissingToken).
class StringCells
{
public:
    TextEncoding encoding = TextEncoding::Utf8;
    qint64 switchAbove = std::numeric_limits<qint64>::max();

    bool textMode() const { return m_textMode; }
    // Distinct values seen when the chunk switched to text (0 while it has not).
    qint64 distinctAtSwitch() const { return m_distinctAtSwitch; }
    const std::vector<Sv> &values() const { return m_values; }
    std::vector<int32_t> &codes() { return m_codes; }

    void reserve(size_t rows)
    {
        if (m_textMode)
            reserveTexts(rows, m_texts);
        else
            reserveAdvised(m_codes, rows);
    }

    void addMissing()
    {
        if (m_textMode)
            m_texts.appendEmpty();
        else
            m_codes.push_back(-1);
    }

    // transient: field points into scratch space that is reused, so the dictionary copies it.
    void add(Sv field, bool transient)
    {
        if (m_textMode) {
            appendDecoded(m_texts, field, encoding);
            return;
        }
        m_codes.push_back(codeFor(field, transient));
        if (qint64(m_values.size()) > switchAbove)
            switchToText();
    }

    void switchToText()
    {
        m_distinctAtSwitch = qint64(m_values.size());
        TextCells decoded;
        for (Sv v : m_values)
            appendDecoded(decoded, v, encoding);
        reserveTexts(m_codes.capacity(), decoded);
        for (const int32_t code : m_codes) {
            if (code >= 0)
                m_texts.append(decoded.view(code));
            else
                m_texts.appendEmpty();
        }
        m_textMode = true;
        m_codes = {};
        m_slots = {};
        m_values = {};
        m_owned = {};
    }

    TextCells takeTexts() { return std::move(m_texts); }

private:
    // Room for `rows` in all, at the mean length of the sample's cells.
    void reserveTexts(size_t rows, const TextCells &sample)
    {
        const double meanUnits = sample.empty() ? 16.0
                                                : double(sample.unitCount()) / double(sample.size());
        const auto more = qsizetype(rows) - m_texts.size();
        if (more > 0)
            m_texts.reserve(more, qsizetype(double(more) * meanUnits * 1.1) + 64);
    }

    // Open addressing with the hash beside the code. A value of up to 16 bytes is kept in its
    // slot too (size and the two words of shortWords()), so a lookup compares without reaching
    // for the value's first occurrence, wherever in the file that is (a cache miss, mostly).
    struct Slot
    {
        uint64_t hash = 0;
        uint64_t a = 0;
        uint64_t b = 0;
        int32_t code = -1; // -1: empty
        uint32_t size = 0;
    };

    // Cells are short (categories, identifiers): for up to 16 bytes, two overlapping loads cover
    // every byte, so hashing and comparing take a few instructions and no calls.
    static uint64_t load64(const char *p)
    {
        uint64_t word;
        std::memcpy(&word, p, 8);
        return word;
    }
    static uint64_t load32(const char *p)
    {
        uint32_t word;
        std::memcpy(&word, p, 4);
        return word;
    }
    // Two words that, with the size, identify a value of at most 16 bytes.
    static void shortWords(Sv v, uint64_t &a, uint64_t &b)
    {
        const char *p = v.data();
        const size_t n = v.size();
        if (n >= 8) {
            a = load64(p);
            b = load64(p + n - 8);
        } else if (n >= 4) {
            a = load32(p);
            b = load32(p + n - 4);
        } else {
            a = n ? (uint64_t(uint8_t(p[0])) << 16 | uint64_t(uint8_t(p[n / 2])) << 8
                     | uint8_t(p[n - 1]))
                  : 0;
            b = 0;
        }
    }

    static uint64_t mix(uint64_t h, uint64_t word)
    {
        h = (h ^ word) * 0xbf58476d1ce4e5b9ULL;
        return h ^ (h >> 29);
    }

    static uint64_t hashOf(Sv value, uint64_t a, uint64_t b)
    {
        uint64_t h = uint64_t(value.size()) * 0x9e3779b97f4a7c15ULL;
        if (value.size() <= 16) {
            h = mix(mix(h, a), b);
        } else {
            for (size_t i = 0; i + 8 <= value.size(); i += 8)
                h = mix(h, load64(value.data() + i));
            h = mix(h, load64(value.data() + value.size() - 8));
        }
        h *= 0x94d049bb133111ebULL;
        return h ^ (h >> 31);
    }

    int32_t codeFor(Sv value, bool transient)
    {
        if (m_slots.empty())
            rehash(64);
        uint64_t a = 0;
        uint64_t b = 0;
        const bool isShort = value.size() <= 16;
        if (isShort)
            shortWords(value, a, b);
        const uint64_t hash = hashOf(value, a, b);
        const auto size = uint32_t(value.size());
        size_t slot = size_t(hash) & (m_slots.size() - 1);
        for (; m_slots[slot].code >= 0; slot = (slot + 1) & (m_slots.size() - 1)) {
            const Slot &s = m_slots[slot];
            if (s.hash != hash || s.size != size)
                continue;
            if (isShort ? s.a == a && s.b == b : m_values[size_t(s.code)] == value)
                return s.code;
        }
        if (transient)
            value = m_owned.emplace_back(value);
        const auto code = int32_t(m_values.size());
        m_values.push_back(value);
        m_slots[slot] = {hash, a, b, code, size};
        if (m_values.size() * 2 > m_slots.size())
            rehash(m_slots.size() * 2);
        return code;
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

    bool m_textMode = false;
    qint64 m_distinctAtSwitch = 0;
    std::vector<int32_t> m_codes; // per row; -1 = missing
    std::vector<Sv> m_values;
    std::deque<std::string> m_owned; // values unescaped into scratch need a home of their own
    std::vector<Slot> m_slots;       // size a power of two, at most half full
    TextCells m_texts;               // text mode: per row; empty = missing
};

// One chunk's cells of one column. In the reading pass (add) each cell is converted as the type
// the column's values so far allow (kindOf(stats)); a cell that does not fit widens the type.
// Widening from Empty keeps the cells (they were all missing); any other widening, or a change of
// the date layout the values were converted with, makes the column stale: from then on only the
// evidence is kept, and the chunk's column is converted again once the whole file has decided its
// type. Once the type is known, store() converts without inferring (that second conversion, and
// chunks whose own type is narrower than the file's).
class ChunkColumn
{
public:
    ColumnStats stats;
    StringCells strings; // Kind::String

    Kind kind() const { return m_kind; }
    uint8_t dateFamily() const { return m_dateFamily; }
    bool stale() const { return m_stale; }
    qsizetype rows() const { return m_rows; }
    std::vector<double> &doubles() { return m_doubles; }
    std::vector<int64_t> &ints() { return m_ints; }
    std::vector<uint8_t> &missing() { return m_missing; }

    // A column converted as a known type (no inference).
    void fixType(Kind kind, uint8_t dateFamily)
    {
        m_kind = kind;
        m_dateFamily = dateFamily;
    }

    void reserve(size_t rows)
    {
        switch (m_kind) {
        case Kind::Empty:
        case Kind::Float64: reserveAdvised(m_doubles, rows); break;
        case Kind::String: strings.reserve(rows); break;
        default:
            reserveAdvised(m_ints, rows);
            reserveAdvised(m_missing, rows);
            break;
        }
    }

    // Reading pass: infer and convert.
    void add(Sv field, bool transient)
    {
        const Sv s = trimmed(field);
        if (isMissingToken(s)) {
            ++stats.missing;
            if (!m_stale)
                storeMissing();
            ++m_rows;
            return;
        }
        if (!m_stale && storeFitting(s, field, transient))
            ++stats.present;
        else
            widen(s, field, transient);
        ++m_rows;
    }

    // The reading pass over this column's cells of a batch (column i), one after another. Runs
    // of cells that fit the column's type go through a loop made for that type, with no dispatch
    // per cell; a cell that does not fit goes through add(), which may widen the type.
    void add(const FieldBatch &batch, size_t i)
    {
        const Sv *cells = batch.column(i);
        const qsizetype rows = batch.rows();
        for (qsizetype r = 0; r < rows; ++r) {
            if (!m_stale)
                r = addFitting(batch, cells, r, rows);
            if (r < rows)
                add(cells[r], batch.transient(cells[r]));
        }
    }

    // Known type: convert only.
    void store(const FieldBatch &batch, size_t i)
    {
        const Sv *cells = batch.column(i);
        for (qsizetype r = 0; r < batch.rows(); ++r)
            store(cells[r], batch.transient(cells[r]));
    }

    void store(Sv field, bool transient)
    {
        const Sv s = trimmed(field);
        if (isMissingToken(s))
            storeMissing();
        else
            storePresent(s, field, transient);
        ++m_rows;
    }

private:
    // Cells from r on while they fit the column's type; returns the first that does not (or rows).
    qsizetype addFitting(const FieldBatch &batch, const Sv *cells, qsizetype r, qsizetype rows)
    {
        switch (m_kind) {
        case Kind::Bool: return addFittingAs<Kind::Bool>(batch, cells, r, rows);
        case Kind::Int64: return addFittingAs<Kind::Int64>(batch, cells, r, rows);
        case Kind::Float64: return addFittingAs<Kind::Float64>(batch, cells, r, rows);
        case Kind::DateTime: return addFittingAs<Kind::DateTime>(batch, cells, r, rows);
        case Kind::String: return addFittingAs<Kind::String>(batch, cells, r, rows);
        case Kind::Empty: return r;
        }
        return r;
    }

    template<Kind K>
    qsizetype addFittingAs(const FieldBatch &batch, const Sv *cells, qsizetype r, qsizetype rows)
    {
        for (; r < rows; ++r) {
            const Sv field = cells[r];
            const Sv s = trimmed(field);
            if (isMissingToken(s)) {
                ++stats.missing;
                storeMissingAs<K>();
            } else if (storeFittingAs<K>(s, field, batch.transient(field))) {
                ++stats.present;
            } else {
                break;
            }
            ++m_rows;
        }
        return r;
    }

    void storeMissing()
    {
        switch (m_kind) {
        case Kind::Empty:
        case Kind::Float64: storeMissingAs<Kind::Float64>(); break;
        case Kind::String: storeMissingAs<Kind::String>(); break;
        default: storeMissingAs<Kind::Int64>(); break;
        }
    }

    template<Kind K>
    void storeMissingAs()
    {
        if constexpr (K == Kind::Empty || K == Kind::Float64) {
            m_doubles.push_back(std::numeric_limits<double>::quiet_NaN());
        } else if constexpr (K == Kind::String) {
            strings.addMissing();
        } else {
            m_ints.push_back(0);
            m_missing.push_back(1);
        }
    }

    void pushInt(int64_t value)
    {
        m_ints.push_back(value);
        m_missing.push_back(0);
    }

    // Stores a present value that the column's type is known to admit.
    void storePresent(Sv s, Sv field, bool transient)
    {
        switch (m_kind) {
        case Kind::Bool: pushInt(parseBool(s) == 1 ? 1 : 0); break;
        case Kind::Int64: {
            int64_t value = 0;
            parseInt64(s, value);
            pushInt(value);
            break;
        }
        case Kind::Float64: {
            double value = std::numeric_limits<double>::quiet_NaN();
            parseDouble(s, value);
            m_doubles.push_back(value);
            break;
        }
        case Kind::DateTime: {
            DateParts parts;
            parseDateTime(s, parts);
            pushInt(toEpochMs(parts, m_dateFamily));
            break;
        }
        case Kind::String: strings.add(field, transient); break;
        case Kind::Empty: break;
        }
    }

    // Stores the value if it fits the column's current type without changing the evidence
    // (beyond the presence count and date features, which the caller and this add). The
    // evidence stays as ColumnStats::observe would leave it: a Bool column has had a word that no
    // other type reads, an Int64 one an integer (never a date, always a double), a Float64 one a
    // number, a DateTime one a date (neither boolean nor number), and a String one needs no more.
    bool storeFitting(Sv s, Sv field, bool transient)
    {
        switch (m_kind) {
        case Kind::Bool: return storeFittingAs<Kind::Bool>(s, field, transient);
        case Kind::Int64: return storeFittingAs<Kind::Int64>(s, field, transient);
        case Kind::Float64: return storeFittingAs<Kind::Float64>(s, field, transient);
        case Kind::DateTime: return storeFittingAs<Kind::DateTime>(s, field, transient);
        case Kind::String: return storeFittingAs<Kind::String>(s, field, transient);
        case Kind::Empty: return false;
        }
        return false;
    }

    template<Kind K>
    bool storeFittingAs(Sv s, Sv field, bool transient)
    {
        if constexpr (K == Kind::Bool) {
            const int value = parseBool(s);
            if (value < 0)
                return false;
            pushInt(value);
        } else if constexpr (K == Kind::Int64) {
            int64_t value = 0;
            if (stats.dateFamilies || !parseInt64(s, value))
                return false;
            pushInt(value);
        } else if constexpr (K == Kind::Float64) {
            double value = 0;
            if (stats.dateFamilies || !parseDouble(s, value))
                return false;
            m_doubles.push_back(value);
        } else if constexpr (K == Kind::DateTime) {
            DateParts parts;
            const uint8_t families = parseDateTime(s, parts);
            if ((families & stats.dateFamilies) != stats.dateFamilies)
                return false;
            stats.dateFeatures |= parts.features;
            pushInt(toEpochMs(parts, m_dateFamily));
        } else if constexpr (K == Kind::String) {
            strings.add(field, transient);
        } else {
            return false;
        }
        return true;
    }

    // The value does not fit (or the column is stale): full evidence, then the type it implies.
    void widen(Sv s, Sv field, bool transient)
    {
        stats.observe(field);
        if (m_stale)
            return;
        const Kind kind = kindOf(stats);
        const uint8_t family = kind == Kind::DateTime ? chooseDateFamily(stats.dateFamilies) : 0;
        if (kind == m_kind && family == m_dateFamily) {
            storePresent(s, field, transient); // a narrower date layout, converted the same way
            return;
        }
        if (m_kind != Kind::Empty) {
            // Cells already stored were converted as another type: redo the chunk's column later.
            m_stale = true;
            m_doubles = {};
            m_ints = {};
            m_missing = {};
            strings = StringCells();
            return;
        }
        // Every cell so far was missing: restate them in the new type.
        const auto rows = size_t(m_rows);
        m_kind = kind;
        m_dateFamily = family;
        m_doubles = {};
        switch (kind) {
        case Kind::Float64: m_doubles.assign(rows, std::numeric_limits<double>::quiet_NaN()); break;
        case Kind::String:
            for (size_t r = 0; r < rows; ++r)
                strings.addMissing();
            break;
        default:
            m_ints.assign(rows, 0);
            m_missing.assign(rows, 1);
            break;
        }
        storePresent(s, field, transient);
    }

    Kind m_kind = Kind::Empty;
    uint8_t m_dateFamily = 0;
    bool m_stale = false;
    qsizetype m_rows = 0;
    std::vector<double> m_doubles;  // Empty (NaN), Float64
    std::vector<int64_t> m_ints;    // Int64, DateTime (ms since the epoch), Bool (0/1)
    std::vector<uint8_t> m_missing; // Int64, DateTime, Bool: 1 = missing
};

} // namespace baton::csv
