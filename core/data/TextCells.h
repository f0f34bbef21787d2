#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <vector>

namespace baton {

// The cells of a text column: the UTF-16 code units of every cell in one buffer, and where each
// cell ends. A million cells are two allocations instead of a million QStrings, each of which
// was its own allocation (and, reading a CSV file with a free-text column, a large part of the
// time and of the page faults).
class TextCells
{
public:
    TextCells() = default;
    explicit TextCells(const std::vector<QString> &values);

    qsizetype size() const { return qsizetype(m_ends.size()); }
    bool empty() const { return m_ends.empty(); }

    QStringView view(qsizetype i) const
    {
        const qint64 begin = i > 0 ? m_ends[size_t(i) - 1] : 0;
        return {m_units.data() + begin, qsizetype(m_ends[size_t(i)] - begin)};
    }
    // Never null, even when empty: a null QString stands for a missing cell (Column's mask).
    QString at(qsizetype i) const
    {
        const QStringView text = view(i);
        return text.isEmpty() ? QStringLiteral("") : text.toString();
    }

    // Room for `cells` more cells of `units` code units in all, without reallocating.
    void reserve(qsizetype cells, qsizetype units);

    void append(QStringView text);
    void appendEmpty() { endCell(); }
    // Bytes widened one to one: Latin-1 text (ASCII is the same).
    void appendLatin1(const char *data, qsizetype size);
    // ASCII bytes widened; false, and nothing appended, when one is not ASCII.
    bool appendAscii(const char *data, qsizetype size);
    // The cells of `other`, after these.
    void append(const TextCells &other);

    qsizetype unitCount() const { return qsizetype(m_units.size()); }
    qint64 memoryBytes() const;

    bool operator==(const TextCells &other) const = default;

private:
    void endCell() { m_ends.push_back(qint64(m_units.size())); }

    std::vector<char16_t> m_units;
    std::vector<qint64> m_ends; // one past each cell's last unit
};

} // namespace baton
