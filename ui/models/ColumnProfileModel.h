#pragma once

#include "core/common/Json.h"

#include <QAbstractTableModel>

#include <vector>

namespace baton::ui {

// One row per column of a profile (profile.json "columns"): type, missing %, distinct values,
// headline statistics and the histogram the HistogramDelegate draws.
class ColumnProfileModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, TypeColumn, MissingColumn, DistinctColumn, StatsColumn, HistogramColumn, ColumnCount };
    enum Role { HistogramRole = Qt::UserRole + 1, MissingFractionRole };

    explicit ColumnProfileModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void setColumns(const json &columns);
    QString columnName(int row) const;

private:
    struct Row
    {
        QString name, type, stats;
        double missingPct = 0;
        qint64 distinct = 0;
        bool isTarget = false;
        QList<qreal> histogram; // bar heights (counts or top-value counts)
    };
    std::vector<Row> m_rows;
};

} // namespace baton::ui
