#include "Table.h"

#include <QDateTime>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace baton {

QString columnTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Float64: return QStringLiteral("float64");
    case ColumnType::Int64: return QStringLiteral("int64");
    case ColumnType::Bool: return QStringLiteral("bool");
    case ColumnType::DateTime: return QStringLiteral("datetime");
    case ColumnType::Categorical: return QStringLiteral("categorical");
    case ColumnType::Text: return QStringLiteral("text");
    }
    return QStringLiteral("text");
}

QString textEncodingName(TextEncoding encoding)
{
    switch (encoding) {
    case TextEncoding::Utf8: return QStringLiteral("UTF-8");
    case TextEncoding::Latin1: return QStringLiteral("ISO-8859-1");
    }
    return QStringLiteral("UTF-8");
}

namespace {

// Heap bytes of a QString's payload (array header + UTF-16 data); the QString itself is counted
// with its vector.
qint64 stringPayloadBytes(const QString &s)
{
    return s.isNull() ? 0 : 16 + qint64(s.capacity()) * 2;
}

// The values' bytes: room reserved beyond them (the CSV reader reserves a column for an estimate
// of the whole file's rows) is address space that is never written, so it takes no memory.
template<typename T>
qint64 vectorBytes(const std::vector<T> &v)
{
    return qint64(v.size()) * qint64(sizeof(T));
}

} // namespace

void Column::adoptMask(std::vector<uint8_t> missing)
{
    Q_ASSERT_X(missing.empty() || qsizetype(missing.size()) == m_size, "Column",
               "missing mask length must match the values");
    m_missingCount = std::count_if(missing.begin(), missing.end(), [](uint8_t m) { return m != 0; });
    // An all-clear mask is dropped so "empty mask" reliably means "nothing missing".
    if (m_missingCount == 0)
        missing = {};
    m_missing = std::move(missing);
}

Column Column::float64(QString name, std::vector<double> values)
{
    Column c;
    c.m_name = std::move(name);
    c.m_type = ColumnType::Float64;
    c.m_size = qsizetype(values.size());
    c.m_missingCount = std::count_if(values.begin(), values.end(),
                                     [](double v) { return std::isnan(v); });
    c.m_doubles = std::move(values);
    return c;
}

Column Column::int64(QString name, std::vector<int64_t> values, std::vector<uint8_t> missing)
{
    Column c;
    c.m_name = std::move(name);
    c.m_type = ColumnType::Int64;
    c.m_size = qsizetype(values.size());
    c.m_ints = std::move(values);
    c.adoptMask(std::move(missing));
    return c;
}

Column Column::boolean(QString name, std::vector<uint8_t> values, std::vector<uint8_t> missing)
{
    Column c;
    c.m_name = std::move(name);
    c.m_type = ColumnType::Bool;
    c.m_size = qsizetype(values.size());
    c.m_bools = std::move(values);
    c.adoptMask(std::move(missing));
    return c;
}

Column Column::dateTime(QString name, std::vector<int64_t> msSinceEpochUtc, QString format,
                        std::vector<uint8_t> missing)
{
    Column c;
    c.m_name = std::move(name);
    c.m_type = ColumnType::DateTime;
    c.m_size = qsizetype(msSinceEpochUtc.size());
    c.m_ints = std::move(msSinceEpochUtc);
    c.m_dateTimeFormat = std::move(format);
    c.adoptMask(std::move(missing));
    return c;
}

Column Column::categorical(QString name, std::vector<int32_t> codes,
                           std::vector<QString> dictionary)
{
    Column c;
    c.m_name = std::move(name);
    c.m_type = ColumnType::Categorical;
    c.m_size = qsizetype(codes.size());
    c.m_missingCount = std::count_if(codes.begin(), codes.end(), [](int32_t v) { return v < 0; });
    Q_ASSERT_X(std::all_of(codes.begin(), codes.end(),
                           [n = int32_t(dictionary.size())](int32_t v) { return v < n; }),
               "Column::categorical", "code outside the dictionary");
    c.m_codes = std::move(codes);
    c.m_dictionary = std::move(dictionary);
    return c;
}

Column Column::text(QString name, std::vector<QString> values, std::vector<uint8_t> missing)
{
    return text(std::move(name), TextCells(values), std::move(missing));
}

Column Column::text(QString name, TextCells values, std::vector<uint8_t> missing)
{
    Column c;
    c.m_name = std::move(name);
    c.m_type = ColumnType::Text;
    c.m_size = values.size();
    c.m_texts = std::move(values);
    c.adoptMask(std::move(missing));
    return c;
}

bool Column::isMissing(qsizetype row) const
{
    switch (m_type) {
    case ColumnType::Float64: return std::isnan(m_doubles[size_t(row)]);
    case ColumnType::Categorical: return m_codes[size_t(row)] < 0;
    default: return !m_missing.empty() && m_missing[size_t(row)] != 0;
    }
}

QString Column::displayValue(qsizetype row) const
{
    if (isMissing(row))
        return {};
    const auto i = size_t(row);
    switch (m_type) {
    case ColumnType::Float64: {
        // Shortest text that reads back to the same double ("0.1", not "0.10000000000000001").
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, m_doubles[i]);
        return QString::fromLatin1(buffer, result.ptr - buffer);
    }
    case ColumnType::Int64: return QString::number(m_ints[i]);
    case ColumnType::Bool: return m_bools[i] ? QStringLiteral("true") : QStringLiteral("false");
    case ColumnType::DateTime:
        return QDateTime::fromMSecsSinceEpoch(m_ints[i], Qt::UTC).toString(m_dateTimeFormat);
    case ColumnType::Categorical: return m_dictionary[size_t(m_codes[i])];
    case ColumnType::Text: return m_texts.at(row);
    }
    return {};
}

qint64 Column::memoryBytes() const
{
    qint64 bytes = qint64(sizeof(Column)) + vectorBytes(m_doubles) + vectorBytes(m_ints)
                   + vectorBytes(m_bools) + vectorBytes(m_codes) + vectorBytes(m_missing)
                   + vectorBytes(m_dictionary) + m_texts.memoryBytes();
    for (const QString &s : m_dictionary)
        bytes += stringPayloadBytes(s);
    return bytes;
}

std::optional<int> Table::columnIndex(const QString &name) const
{
    for (size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].name() == name)
            return int(i);
    }
    return std::nullopt;
}

QStringList Table::columnNames() const
{
    QStringList names;
    names.reserve(qsizetype(m_columns.size()));
    for (const Column &c : m_columns)
        names.append(c.name());
    return names;
}

Status Table::addColumn(Column column)
{
    if (!m_columns.empty() && column.size() != m_rowCount) {
        return makeError(ErrorKind::Usage, QStringLiteral("table.length_mismatch"),
                         QStringLiteral("Column \"%1\" has %2 rows, the table has %3")
                             .arg(column.name())
                             .arg(column.size())
                             .arg(m_rowCount));
    }
    if (columnIndex(column.name())) {
        return makeError(ErrorKind::Usage, QStringLiteral("table.duplicate_column"),
                         QStringLiteral("The table already has a column \"%1\"").arg(column.name()));
    }
    m_rowCount = column.size();
    m_columns.push_back(std::move(column));
    return {};
}

QString Table::cellText(qsizetype row, int column) const
{
    return m_columns.at(size_t(column)).displayValue(row);
}

qint64 Table::memoryBytes() const
{
    qint64 bytes = qint64(sizeof(Table));
    for (const Column &c : m_columns)
        bytes += c.memoryBytes();
    return bytes;
}

} // namespace baton
