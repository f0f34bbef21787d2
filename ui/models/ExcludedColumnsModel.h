#pragma once

#include "core/common/Json.h"

#include <QAbstractTableModel>

#include <vector>

namespace baton::ui {

// The columns left out of training, each with the reason shown to the user (context
// "excluded_columns": [{column, reason}]). The reason is editable.
class ExcludedColumnsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ReasonColumn, ColumnCount };

    explicit ExcludedColumnsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void setExclusions(const json &excluded);
    json toJson() const;
    bool contains(const QString &column) const;
    // Adds a column (no-op when already excluded).
    void addExclusion(const QString &column, const QString &reason);
    void removeExclusion(int row);

private:
    struct Row
    {
        QString column, reason;
    };
    std::vector<Row> m_rows;
};

} // namespace baton::ui
