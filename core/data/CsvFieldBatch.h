#pragma once

// A block of records split into fields and kept column by column, for the CSV reader: converting
// one column's cells one after another keeps that type's code and branches hot, where converting
// record by record switches type (and parser) at every cell. Internal to core/data.

#include "core/data/CsvValues.h"

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

namespace baton::csv {

class FieldBatch
{
public:
    // input: the bytes the fields point into (fields unescaped elsewhere are copied, see
    // transient()). About kCells views (32 KB) for a few dozen KB of input: the batch is still in
    // the L1/L2 cache when its cells are converted.
    FieldBatch(int columns, const char *inputBegin, const char *inputEnd)
        : m_capacity(std::clamp<qsizetype>(kCells / std::max(1, columns), 1, 1024))
        , m_fields(size_t(m_capacity) * size_t(std::max(1, columns)))
        , m_inputBegin(inputBegin)
        , m_inputEnd(inputEnd)
    {}

    qsizetype rows() const { return m_rows; }
    bool full() const { return m_rows == m_capacity; }

    void clear()
    {
        m_rows = 0;
        m_owned.clear();
        m_hasOwned = false;
    }

    // A field of the record being added; scratch: the field was unescaped into space that the
    // next one reuses, so the batch keeps a copy.
    void set(size_t column, Sv field, bool scratch)
    {
        if (scratch) {
            field = m_owned.emplace_back(field);
            m_hasOwned = true;
        }
        // Stored as its two words: GCC otherwise reloads the view with one 16-byte load right
        // after two 8-byte stores, a store-forwarding stall that was a tenth of the reader's time.
        Sv &slot = m_fields[column * size_t(m_capacity) + size_t(m_rows)];
        const char *data = field.data();
        const size_t size = field.size();
        slot = Sv(data, size);
    }
    void endRecord() { ++m_rows; }

    // The column's fields, rows() of them.
    const Sv *column(size_t i) const { return m_fields.data() + i * size_t(m_capacity); }

    // A field copied into the batch (not in the input) is gone once the batch is cleared: a
    // dictionary that keeps it must copy it again.
    bool transient(Sv field) const
    {
        return m_hasOwned && (field.data() < m_inputBegin || field.data() > m_inputEnd);
    }

private:
    static constexpr qsizetype kCells = 2048;

    qsizetype m_capacity;
    qsizetype m_rows = 0;
    std::vector<Sv> m_fields; // column-major: m_capacity per column
    std::deque<std::string> m_owned;
    bool m_hasOwned = false; // cheaper to ask per cell than the deque
    const char *m_inputBegin;
    const char *m_inputEnd;
};

} // namespace baton::csv
