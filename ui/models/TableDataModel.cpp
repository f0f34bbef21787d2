#include "TableDataModel.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

namespace baton::ui {

TableDataModel::TableDataModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void TableDataModel::setTable(std::shared_ptr<const Table> table)
{
    beginResetModel();
    m_table = std::move(table);
    m_exposedRows = m_table ? std::min(m_table->rowCount(), kBatchRows) : 0;
    // views (and model testers) ask for more while a change is announced; rows cannot be
    // inserted inside a reset or inside another insertion
    m_changing = true;
    endResetModel();
    m_changing = false;
}

int TableDataModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_exposedRows);
}

int TableDataModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : m_table->columnCount();
}

QVariant TableDataModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Column &column = m_table->column(index.column());
    switch (role) {
    case Qt::DisplayRole: {
        const QString text = m_table->cellText(index.row(), index.column());
        return text.isNull() ? QVariant() : QVariant(text);
    }
    case Qt::TextAlignmentRole: {
        const bool numeric = column.type() == ColumnType::Float64 || column.type() == ColumnType::Int64;
        return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    case Qt::BackgroundRole:
        // missing cells stand out without shouting
        if (m_table->cellText(index.row(), index.column()).isNull())
            return QBrush(QGuiApplication::palette().color(QPalette::AlternateBase).darker(108));
        return {};
    default: return {};
    }
}

QVariant TableDataModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (!m_table || section < 0 || section >= m_table->columnCount())
        return {};
    const Column &column = m_table->column(section);
    if (role == Qt::ToolTipRole)
        return tr("%1 (%2)").arg(column.name(), columnTypeName(column.type()));
    return column.name();
}

bool TableDataModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_changing && m_table && m_exposedRows < m_table->rowCount();
}

void TableDataModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const qsizetype next = std::min(m_table->rowCount(), m_exposedRows + kBatchRows);
    m_changing = true;
    beginInsertRows({}, int(m_exposedRows), int(next - 1));
    m_exposedRows = next;
    endInsertRows();
    m_changing = false;
}

} // namespace baton::ui
