#pragma once

#include "core/conductor/Event.h"
#include "core/conductor/ProjectState.h"

#include <QAbstractTableModel>

#include <array>

class QTimer;

namespace baton::ui {

// The eight stages with their live status, message and elapsed time, fed by the Conductor's events.
class StageTimelineModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { StageColumn, StatusColumn, ElapsedColumn, MessageColumn, ColumnCount };
    enum Role { StatusRole = Qt::UserRole + 1, ElapsedMsRole };

    explicit StageTimelineModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Statuses and messages from the restored state; timings are kept (replayed events set them).
    void reset(const ProjectState &state);
    void applyEvent(const Event &event);
    StageStatus status(StageId stage) const;
    // How long the stage ran (or has been running); -1 when unknown.
    qint64 elapsedMs(StageId stage) const;
    void clearTimings();

    static QString displayName(StageId stage);
    static QString displayStatus(StageStatus status);
    static QString formatDuration(qint64 ms);

private:
    struct Timing
    {
        qint64 startMs = -1;
        qint64 endMs = -1;
    };
    void refreshRunningRows();
    void emitRowChanged(int row);

    std::array<StageState, kStageCount> m_stages{};
    std::array<Timing, kStageCount> m_timings{};
    QTimer *m_clock = nullptr;
};

} // namespace baton::ui
