#pragma once

#include "core/common/Result.h"
#include "core/data/TextCells.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace baton {

// Physical type of a column. The names from columnTypeName() are stable (protocol, logs, store).
enum class ColumnType {
    Float64,     // std::vector<double>; NaN marks a missing value
    Int64,       // std::vector<int64_t> + missing mask
    Bool,        // std::vector<uint8_t> (0/1) + missing mask
    DateTime,    // std::vector<int64_t>, ms since the epoch (UTC) + missing mask + source format
    Categorical, // std::vector<int32_t> codes into a dictionary; -1 marks a missing value
    Text,        // TextCells + missing mask
};

QString columnTypeName(ColumnType type);

// How the bytes of a text file were decoded.
enum class TextEncoding { Utf8, Latin1 };

QString textEncodingName(TextEncoding encoding); // "UTF-8", "ISO-8859-1"

// One named, typed column. A plain value type: cheap to move, copyable, no QObject.
// Only the storage that belongs to type() is filled; the other accessors return empty vectors.
// Missing masks hold 1 for a missing cell and are empty when nothing is missing, so the common
// complete column costs nothing extra.
class Column
{
public:
    Column() = default;

    static Column float64(QString name, std::vector<double> values);
    static Column int64(QString name, std::vector<int64_t> values,
                        std::vector<uint8_t> missing = {});
    static Column boolean(QString name, std::vector<uint8_t> values,
                          std::vector<uint8_t> missing = {});
    // format: how the source wrote the values, in QDateTime::toString() terms ("dd/MM/yyyy HH:mm").
    static Column dateTime(QString name, std::vector<int64_t> msSinceEpochUtc, QString format,
                           std::vector<uint8_t> missing = {});
    static Column categorical(QString name, std::vector<int32_t> codes,
                              std::vector<QString> dictionary);
    static Column text(QString name, std::vector<QString> values,
                       std::vector<uint8_t> missing = {});
    static Column text(QString name, TextCells values, std::vector<uint8_t> missing = {});

    const QString &name() const { return m_name; }
    void setName(QString name) { m_name = std::move(name); }
    ColumnType type() const { return m_type; }
    qsizetype size() const { return m_size; }

    bool isMissing(qsizetype row) const;
    qsizetype missingCount() const { return m_missingCount; }

    // The cell as a user would read it; a null QString for a missing cell.
    QString displayValue(qsizetype row) const;
    // Rough heap footprint, for the memory indicator and size guards.
    qint64 memoryBytes() const;

    const std::vector<double> &float64Values() const { return m_doubles; }
    // Int64 values, or DateTime ms since the epoch (UTC).
    const std::vector<int64_t> &int64Values() const { return m_ints; }
    const std::vector<uint8_t> &boolValues() const { return m_bools; }
    const std::vector<int32_t> &codes() const { return m_codes; }
    const std::vector<QString> &dictionary() const { return m_dictionary; }
    const TextCells &texts() const { return m_texts; }
    // Int64, Bool, DateTime and Text: 1 = missing; empty when no cell is missing.
    const std::vector<uint8_t> &missingMask() const { return m_missing; }
    const QString &dateTimeFormat() const { return m_dateTimeFormat; }

private:
    void adoptMask(std::vector<uint8_t> missing);

    QString m_name;
    ColumnType m_type = ColumnType::Float64;
    qsizetype m_size = 0;
    qsizetype m_missingCount = 0;
    std::vector<double> m_doubles;
    std::vector<int64_t> m_ints;
    std::vector<uint8_t> m_bools;
    std::vector<int32_t> m_codes;
    std::vector<QString> m_dictionary;
    TextCells m_texts;
    std::vector<uint8_t> m_missing;
    QString m_dateTimeFormat;
};

// A columnar table: every column has rowCount() cells and a unique name.
class Table
{
public:
    Table() = default;

    qsizetype rowCount() const { return m_rowCount; }
    int columnCount() const { return static_cast<int>(m_columns.size()); }

    const Column &column(int index) const { return m_columns.at(static_cast<size_t>(index)); }
    const std::vector<Column> &columns() const { return m_columns; }
    std::optional<int> columnIndex(const QString &name) const;
    QStringList columnNames() const;

    // Appends a column; fails if its name is taken or its length differs from rowCount().
    Status addColumn(Column column);

    // The cell as display text; a null QString for a missing cell.
    QString cellText(qsizetype row, int column) const;

    TextEncoding encoding() const { return m_encoding; }
    void setEncoding(TextEncoding encoding) { m_encoding = encoding; }

    qint64 memoryBytes() const;

private:
    std::vector<Column> m_columns;
    qsizetype m_rowCount = 0;
    TextEncoding m_encoding = TextEncoding::Utf8;
};

} // namespace baton
