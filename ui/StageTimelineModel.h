#pragma once

#include "core/conductor/Event.h"
#include "core/conductor/ProjectState.h"

#include <QAbstractTableModel>

#include <array>

namespace baton::ui {

// The eight stages with their live status and message, fed by the Conductor's events.
class StageTimelineModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { StageColumn, StatusColumn, MessageColumn, ColumnCount };
    enum Role { StatusRole = Qt::UserRole + 1 };

    explicit StageTimelineModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void reset(const ProjectState &state);
    void applyEvent(const Event &event);
    StageStatus status(StageId stage) const;

    static QString displayName(StageId stage);
    static QString displayStatus(StageStatus status);

private:
    std::array<StageState, kStageCount> m_stages{};
};

} // namespace baton::ui
