#include "StageTimelineModel.h"

#include "core/conductor/EventNames.h"

#include <QColor>
#include <QPalette>
#include <QGuiApplication>

namespace baton::ui {

StageTimelineModel::StageTimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int StageTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : kStageCount;
}

int StageTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString StageTimelineModel::displayName(StageId stage)
{
    switch (stage) {
    case StageId::ParseIntent: return tr("Understand the goal");
    case StageId::DataSource: return tr("Data source");
    case StageId::ProfileData: return tr("Profile data");
    case StageId::Preprocess: return tr("Preprocess");
    case StageId::ModelSelect: return tr("Select models");
    case StageId::Train: return tr("Train");
    case StageId::ReviewEdit: return tr("Review");
    case StageId::Export: return tr("Export");
    }
    return {};
}

QString StageTimelineModel::displayStatus(StageStatus status)
{
    switch (status) {
    case StageStatus::Pending: return tr("Pending");
    case StageStatus::InProgress: return tr("In progress");
    case StageStatus::WaitingConfirmation: return tr("Waiting for you");
    case StageStatus::Completed: return tr("Completed");
    case StageStatus::Failed: return tr("Failed");
    case StageStatus::Skipped: return tr("Skipped");
    }
    return {};
}

QVariant StageTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const auto stage = stageAt(index.row());
    const StageState &entry = m_stages[static_cast<size_t>(index.row())];
    if (role == StatusRole)
        return static_cast<int>(entry.status);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case StageColumn: return displayName(*stage);
        case StatusColumn: return displayStatus(entry.status);
        case MessageColumn: return entry.message.value_or(QString());
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        switch (entry.status) {
        case StageStatus::Failed: return QColor(0xd3, 0x2f, 0x2f);
        case StageStatus::Completed: return QColor(0x2e, 0x7d, 0x32);
        case StageStatus::WaitingConfirmation: return QColor(0xef, 0x6c, 0x00);
        case StageStatus::InProgress: return QGuiApplication::palette().color(QPalette::Highlight);
        default: return {};
        }
    }
    return {};
}

QVariant StageTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StageColumn: return tr("Stage");
    case StatusColumn: return tr("Status");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

void StageTimelineModel::reset(const ProjectState &state)
{
    m_stages = state.stages;
    Q_EMIT dataChanged(index(0, 0), index(kStageCount - 1, ColumnCount - 1),
                       {Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole, StatusRole});
}

void StageTimelineModel::applyEvent(const Event &event)
{
    if (event.name != QLatin1String(events::StageStatus))
        return;
    const auto stage = stageFromName(stringField(event.payload, "stage_id"));
    const auto status = statusFromName(stringField(event.payload, "status"));
    if (!stage || !status)
        return;
    StageState &entry = m_stages[static_cast<size_t>(stageIndex(*stage))];
    entry.status = *status;
    const QString message = stringField(event.payload, "message");
    // A confirmed stage keeps its summary ("Stage confirmed" says less than what it found).
    const bool keepSummary = *status == StageStatus::Completed && entry.message.has_value();
    if (!keepSummary)
        entry.message = message.isEmpty() ? std::nullopt : std::optional(message);
    const int row = stageIndex(*stage);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1),
                       {Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole, StatusRole});
}

StageStatus StageTimelineModel::status(StageId stage) const
{
    return m_stages[static_cast<size_t>(stageIndex(stage))].status;
}

} // namespace baton::ui
