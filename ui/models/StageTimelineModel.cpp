#include "StageTimelineModel.h"

#include "core/conductor/EventNames.h"

#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>
#include <QTimer>

namespace baton::ui {

StageTimelineModel::StageTimelineModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_clock(new QTimer(this))
{
    // the running stage's elapsed time ticks; nothing else changes without an event
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, &StageTimelineModel::refreshRunningRows);
}

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

QString StageTimelineModel::formatDuration(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 10'000)
        return tr("%1 s").arg(QString::number(double(ms) / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return tr("%1:%2 min").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("%1:%2 h").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
}

qint64 StageTimelineModel::elapsedMs(StageId stage) const
{
    const Timing &t = m_timings[static_cast<size_t>(stageIndex(stage))];
    if (t.startMs < 0)
        return -1;
    const qint64 end = t.endMs >= 0 ? t.endMs : QDateTime::currentMSecsSinceEpoch();
    return std::max<qint64>(0, end - t.startMs);
}

QVariant StageTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const auto stage = stageAt(index.row());
    const StageState &entry = m_stages[static_cast<size_t>(index.row())];
    if (role == StatusRole)
        return static_cast<int>(entry.status);
    if (role == ElapsedMsRole)
        return elapsedMs(*stage);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case StageColumn: return displayName(*stage);
        case StatusColumn: return displayStatus(entry.status);
        case ElapsedColumn: return formatDuration(elapsedMs(*stage));
        case MessageColumn: return entry.message.value_or(QString());
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == ElapsedColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
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
    case ElapsedColumn: return tr("Time");
    case MessageColumn: return tr("Message");
    default: return {};
    }
}

void StageTimelineModel::reset(const ProjectState &state)
{
    m_stages = state.stages;
    for (size_t i = 0; i < m_stages.size(); ++i) {
        // a stage that is not running has no open clock (the process that ran it may be gone)
        if (m_stages[i].status != StageStatus::InProgress && m_timings[i].endMs < 0)
            m_timings[i] = {};
    }
    Q_EMIT dataChanged(index(0, 0), index(kStageCount - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1); // the language may have changed
    refreshRunningRows();
}

void StageTimelineModel::clearTimings()
{
    m_timings = {};
    Q_EMIT dataChanged(index(0, ElapsedColumn), index(kStageCount - 1, ElapsedColumn));
}

void StageTimelineModel::applyEvent(const Event &event)
{
    if (event.name != QLatin1String(events::StageStatus))
        return;
    const auto stage = stageFromName(stringField(event.payload, "stage_id"));
    const auto status = statusFromName(stringField(event.payload, "status"));
    if (!stage || !status)
        return;
    const int row = stageIndex(*stage);
    StageState &entry = m_stages[static_cast<size_t>(row)];
    Timing &timing = m_timings[static_cast<size_t>(row)];
    if (*status == StageStatus::InProgress && entry.status != StageStatus::InProgress)
        timing = {event.tsMs, -1};
    else if (*status == StageStatus::Pending)
        timing = {};
    else if (*status != StageStatus::InProgress && timing.startMs >= 0 && timing.endMs < 0)
        timing.endMs = event.tsMs; // confirmation time is the user's, not the stage's
    entry.status = *status;
    const QString message = stringField(event.payload, "message");
    // A confirmed stage keeps its summary ("Stage confirmed" says less than what it found).
    const bool keepSummary = *status == StageStatus::Completed && entry.message.has_value();
    if (!keepSummary)
        entry.message = message.isEmpty() ? std::nullopt : std::optional(message);
    emitRowChanged(row);
    refreshRunningRows();
}

void StageTimelineModel::refreshRunningRows()
{
    bool running = false;
    for (int row = 0; row < kStageCount; ++row) {
        const Timing &t = m_timings[static_cast<size_t>(row)];
        if (t.startMs >= 0 && t.endMs < 0) {
            running = true;
            Q_EMIT dataChanged(index(row, ElapsedColumn), index(row, ElapsedColumn),
                               {Qt::DisplayRole, Qt::ToolTipRole, ElapsedMsRole});
        }
    }
    if (running && !m_clock->isActive())
        m_clock->start();
    else if (!running)
        m_clock->stop();
}

void StageTimelineModel::emitRowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

StageStatus StageTimelineModel::status(StageId stage) const
{
    return m_stages[static_cast<size_t>(stageIndex(stage))].status;
}

} // namespace baton::ui
