#include "TextCells.h"

#include "HugePages.h"

namespace baton {

TextCells::TextCells(const std::vector<QString> &values)
{
    qsizetype units = 0;
    for (const QString &value : values)
        units += value.size();
    reserve(qsizetype(values.size()), units);
    for (const QString &value : values)
        append(value);
}

void TextCells::reserve(qsizetype cells, qsizetype units)
{
    csv::reserveAdvised(m_ends, m_ends.size() + size_t(cells));
    csv::reserveAdvised(m_units, m_units.size() + size_t(units));
}

void TextCells::append(QStringView text)
{
    const auto *units = reinterpret_cast<const char16_t *>(text.utf16());
    m_units.insert(m_units.end(), units, units + text.size());
    endCell();
}

void TextCells::appendLatin1(const char *data, qsizetype size)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(data);
    m_units.insert(m_units.end(), bytes, bytes + size);
    endCell();
}

bool TextCells::appendAscii(const char *data, qsizetype size)
{
    unsigned high = 0;
    for (qsizetype i = 0; i < size; ++i)
        high |= static_cast<unsigned char>(data[i]);
    if (high >= 0x80)
        return false;
    appendLatin1(data, size);
    return true;
}

void TextCells::append(const TextCells &other)
{
    const auto offset = qint64(m_units.size());
    m_units.insert(m_units.end(), other.m_units.begin(), other.m_units.end());
    csv::reserveAdvised(m_ends, m_ends.size() + other.m_ends.size());
    for (const qint64 end : other.m_ends)
        m_ends.push_back(offset + end);
}

qint64 TextCells::memoryBytes() const
{
    // Like the other columns, the cells written: room reserved beyond them is never touched.
    return qint64(m_units.size() * sizeof(char16_t) + m_ends.size() * sizeof(qint64));
}

} // namespace baton
