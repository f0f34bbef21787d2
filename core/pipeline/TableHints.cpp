#include "TableHints.h"

#include <unordered_set>

namespace baton {

namespace {

qsizetype distinctCount(const Column &column)
{
    switch (column.type()) {
    case ColumnType::Categorical: return qsizetype(column.dictionary().size());
    case ColumnType::Bool: return 2;
    case ColumnType::Int64:
    case ColumnType::DateTime: {
        std::unordered_set<int64_t> seen;
        const auto &values = column.int64Values();
        for (qsizetype i = 0; i < column.size(); ++i) {
            if (!column.isMissing(i))
                seen.insert(values[size_t(i)]);
        }
        return qsizetype(seen.size());
    }
    case ColumnType::Float64: {
        std::unordered_set<double> seen;
        for (double v : column.float64Values()) {
            if (v == v)
                seen.insert(v);
        }
        return qsizetype(seen.size());
    }
    case ColumnType::Text: return column.size();
    }
    return 0;
}

ColumnHint::Kind kindOf(ColumnType type)
{
    switch (type) {
    case ColumnType::Float64: return ColumnHint::Kind::Numeric;
    case ColumnType::Int64: return ColumnHint::Kind::Integer;
    case ColumnType::Bool: return ColumnHint::Kind::Boolean;
    case ColumnType::DateTime: return ColumnHint::Kind::DateTime;
    case ColumnType::Categorical: return ColumnHint::Kind::Categorical;
    case ColumnType::Text: return ColumnHint::Kind::Text;
    }
    return ColumnHint::Kind::Text;
}

} // namespace

std::vector<ColumnHint> columnHints(const Table &table)
{
    std::vector<ColumnHint> hints;
    hints.reserve(size_t(table.columnCount()));
    for (const Column &column : table.columns())
        hints.push_back({column.name(), kindOf(column.type()), distinctCount(column), table.rowCount()});
    return hints;
}

} // namespace baton
