#pragma once

#include "core/data/Table.h"

#include <QAbstractTableModel>

#include <memory>

namespace baton::ui {

// A read-only view of a columnar Table. Cells are formatted on demand and rows are exposed in
// batches (canFetchMore/fetchMore) so a view over 1 000 000 rows stays smooth.
class TableDataModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr qsizetype kBatchRows = 100'000;

    explicit TableDataModel(QObject *parent = nullptr);

    void setTable(std::shared_ptr<const Table> table);
    const Table *table() const { return m_table.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    std::shared_ptr<const Table> m_table;
    qsizetype m_exposedRows = 0;
    bool m_changing = false;
};

} // namespace baton::ui
