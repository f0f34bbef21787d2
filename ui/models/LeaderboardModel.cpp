#include "LeaderboardModel.h"

#include "ui/JsonFields.h"

#include <QLocale>

#include <algorithm>

namespace baton::ui {

LeaderboardModel::LeaderboardModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int LeaderboardModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LeaderboardModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LeaderboardModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const QLocale locale;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case RankColumn: return row.rank;
        case ModelColumn: return row.model;
        case ConfigColumn: return row.label;
        case ScoreColumn: return locale.toString(row.score, 'g', 5);
        case StdColumn: return locale.toString(row.std, 'g', 3);
        case RuntimeColumn: return tr("%1 s").arg(locale.toString(row.runtimeS, 'f', 1));
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole)
        return tr("Run %1").arg(row.runId);
    if (role == Qt::TextAlignmentRole && index.column() != ModelColumn && index.column() != ConfigColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant LeaderboardModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RankColumn: return tr("#");
    case ModelColumn: return tr("Model");
    case ConfigColumn: return tr("Configuration");
    case ScoreColumn: return m_metric.isEmpty() ? tr("CV score") : tr("CV %1").arg(m_metric);
    case StdColumn: return tr("± std");
    case RuntimeColumn: return tr("Time");
    default: return {};
    }
}

void LeaderboardModel::update(const json &payload)
{
    std::vector<Row> rows;
    for (const json &r : arrayField(payload, "rows")) {
        rows.push_back({int(intField(r, "rank", qint64(rows.size()) + 1)), stringField(r, "run_id"),
                        stringField(r, "model"), stringField(r, "label"), doubleField(r, "metric"),
                        doubleField(r, "cv_std"), doubleField(r, "runtime_s")});
    }
    const QString metric = stringField(payload, "metric");
    if (metric != m_metric) {
        m_metric = metric;
        Q_EMIT headerDataChanged(Qt::Horizontal, ScoreColumn, ScoreColumn);
    }
    // the table only grows during a search; rows re-rank, so the old ones change too
    const size_t old = m_rows.size();
    if (rows.size() < old) {
        beginRemoveRows({}, int(rows.size()), int(old - 1));
        m_rows.resize(rows.size());
        endRemoveRows();
    }
    const size_t kept = std::min(old, rows.size());
    std::copy_n(rows.begin(), kept, m_rows.begin());
    if (kept > 0)
        Q_EMIT dataChanged(index(0, 0), index(int(kept) - 1, ColumnCount - 1), {Qt::DisplayRole, Qt::ToolTipRole});
    if (rows.size() > old) {
        beginInsertRows({}, int(old), int(rows.size() - 1));
        m_rows.insert(m_rows.end(), rows.begin() + std::ptrdiff_t(old), rows.end());
        endInsertRows();
    }
}

void LeaderboardModel::clear()
{
    if (m_rows.empty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

} // namespace baton::ui
