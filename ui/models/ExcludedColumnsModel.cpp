#include "ExcludedColumnsModel.h"

namespace baton::ui {

ExcludedColumnsModel::ExcludedColumnsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ExcludedColumnsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ExcludedColumnsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExcludedColumnsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole)
        return {};
    const Row &row = m_rows[size_t(index.row())];
    return index.column() == NameColumn ? row.column : row.reason;
}

bool ExcludedColumnsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::EditRole
        || index.column() != ReasonColumn)
        return false;
    m_rows[size_t(index.row())].reason = value.toString().trimmed();
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole});
    return true;
}

Qt::ItemFlags ExcludedColumnsModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == ReasonColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ExcludedColumnsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == NameColumn ? tr("Excluded column") : tr("Reason");
}

void ExcludedColumnsModel::setExclusions(const json &excluded)
{
    beginResetModel();
    m_rows.clear();
    if (excluded.is_array()) {
        for (const json &e : excluded) {
            const QString column = stringField(e, "column");
            if (!column.isEmpty() && !contains(column))
                m_rows.push_back({column, stringField(e, "reason")});
        }
    }
    endResetModel();
}

json ExcludedColumnsModel::toJson() const
{
    json out = json::array();
    for (const Row &row : m_rows)
        out.push_back({{"column", toStd(row.column)}, {"reason", toStd(row.reason)}});
    return out;
}

bool ExcludedColumnsModel::contains(const QString &column) const
{
    return std::any_of(m_rows.begin(), m_rows.end(), [&](const Row &r) { return r.column == column; });
}

void ExcludedColumnsModel::addExclusion(const QString &column, const QString &reason)
{
    if (column.isEmpty() || contains(column))
        return;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back({column, reason});
    endInsertRows();
}

void ExcludedColumnsModel::removeExclusion(int row)
{
    if (row < 0 || row >= int(m_rows.size()))
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

} // namespace baton::ui
