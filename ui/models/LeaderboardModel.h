#pragma once

#include "core/common/Json.h"

#include <QAbstractTableModel>

#include <vector>

namespace baton::ui {

// The candidates that finished, best first, from LEADERBOARD_UPDATED.
class LeaderboardModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RankColumn, ModelColumn, ConfigColumn, ScoreColumn, StdColumn, RuntimeColumn, ColumnCount };

    explicit LeaderboardModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The payload of LEADERBOARD_UPDATED: {metric, higher_is_better, rows:[...]}.
    void update(const json &payload);
    void clear();
    QString metric() const { return m_metric; }

private:
    struct Row
    {
        int rank = 0;
        QString runId, model, label;
        double score = 0, std = 0, runtimeS = 0;
    };
    std::vector<Row> m_rows;
    QString m_metric;
};

} // namespace baton::ui
