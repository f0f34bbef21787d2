#pragma once

#include "Stage.h"
#include "core/common/Json.h"

#include <QStringList>

#include <array>
#include <optional>

namespace baton {

struct StageState
{
    StageStatus status = StageStatus::Pending;
    std::optional<QString> message; // null until something sets it (protocol §3.5)
};

struct WaitingConfirmation
{
    StageId stage = StageId::ParseIntent;
    QString summary;
    QStringList nextActions;

    json toJson() const;
};

// Everything a project's Conductor knows; persisted with every state-changing event so that
// reopening a project restores it exactly.
struct ProjectState
{
    QString projectId;
    StageId current = StageId::ParseIntent;
    std::array<StageState, kStageCount> stages{};
    std::optional<WaitingConfirmation> waiting;
    // The stage whose job was running; still set on reopen means the process died mid-stage.
    std::optional<StageId> running;
    // The decisions and facts the stages share: prompt, data path, target, metric, ...
    json context = json::object();

    // Protocol §3.3: a fresh project starts at PARSE_INTENT, IN_PROGRESS (awaiting a prompt).
    static ProjectState initial(const QString &projectId);

    StageState &at(StageId id) { return stages[static_cast<size_t>(stageIndex(id))]; }
    const StageState &at(StageId id) const { return stages[static_cast<size_t>(stageIndex(id))]; }

    // The snapshot of protocol §3.5 (GET /state), with the fields a client needs to resume.
    json toSnapshot() const;

    json toJson() const;
    static Result<ProjectState> fromJson(const json &value);
};

} // namespace baton
