#include "ProjectState.h"

namespace baton {

namespace {

json messageJson(const std::optional<QString> &message)
{
    return message ? json(toStd(*message)) : json(nullptr);
}

json stringListJson(const QStringList &list)
{
    json out = json::array();
    for (const QString &s : list)
        out.push_back(toStd(s));
    return out;
}

Error stateError(const QString &what)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("state.invalid"),
                     QStringLiteral("Stored project state is invalid: %1").arg(what));
}

} // namespace

json WaitingConfirmation::toJson() const
{
    return json{{"stage_id", toStd(stageName(stage))},
                {"summary", toStd(summary)},
                {"next_actions", stringListJson(nextActions)}};
}

ProjectState ProjectState::initial(const QString &projectId)
{
    ProjectState state;
    state.projectId = projectId;
    state.at(StageId::ParseIntent).status = StageStatus::InProgress;
    return state;
}

json ProjectState::toSnapshot() const
{
    json stageList = json::array();
    for (StageId id : kAllStages) {
        stageList.push_back({{"id", toStd(stageName(id))},
                             {"index", stageIndex(id)},
                             {"status", toStd(statusName(at(id).status))},
                             {"message", messageJson(at(id).message)}});
    }
    return json{
        {"project_id", toStd(projectId)},
        {"current_stage",
         {{"id", toStd(stageName(current))},
          {"index", stageIndex(current)},
          {"status", toStd(statusName(at(current).status))},
          {"message", messageJson(at(current).message)}}},
        {"stages", std::move(stageList)},
        {"waiting_confirmation", waiting ? waiting->toJson() : json(nullptr)},
        {"running_stage", running ? json(toStd(stageName(*running))) : json(nullptr)},
    };
}

json ProjectState::toJson() const
{
    json out = toSnapshot();
    out["context"] = context;
    out["format"] = 1;
    return out;
}

Result<ProjectState> ProjectState::fromJson(const json &value)
{
    if (!value.is_object())
        return stateError(QStringLiteral("not an object"));
    ProjectState state;
    state.projectId = stringField(value, "project_id");

    const auto currentIt = value.find("current_stage");
    if (currentIt == value.end() || !currentIt->is_object())
        return stateError(QStringLiteral("no current stage"));
    const auto current = stageFromName(stringField(*currentIt, "id"));
    if (!current)
        return stateError(QStringLiteral("unknown current stage"));
    state.current = *current;

    const auto stagesIt = value.find("stages");
    if (stagesIt == value.end() || !stagesIt->is_array() || stagesIt->size() != kStageCount)
        return stateError(QStringLiteral("stages must list all eight stages"));
    for (const json &item : *stagesIt) {
        const auto id = stageFromName(stringField(item, "id"));
        const auto status = statusFromName(stringField(item, "status"));
        if (!id || !status)
            return stateError(QStringLiteral("unknown stage id or status"));
        state.at(*id).status = *status;
        const auto messageIt = item.find("message");
        if (messageIt != item.end() && messageIt->is_string())
            state.at(*id).message = fromStd(messageIt->get<std::string>());
    }

    const auto waitingIt = value.find("waiting_confirmation");
    if (waitingIt != value.end() && waitingIt->is_object()) {
        const auto stage = stageFromName(stringField(*waitingIt, "stage_id"));
        if (!stage)
            return stateError(QStringLiteral("unknown waiting stage"));
        WaitingConfirmation waiting{*stage, stringField(*waitingIt, "summary"), {}};
        if (const auto actions = waitingIt->find("next_actions"); actions != waitingIt->end()
                                                                    && actions->is_array()) {
            for (const json &action : *actions) {
                if (action.is_string())
                    waiting.nextActions << fromStd(action.get<std::string>());
            }
        }
        state.waiting = waiting;
    }

    const QString running = stringField(value, "running_stage");
    if (!running.isEmpty()) {
        state.running = stageFromName(running);
        if (!state.running)
            return stateError(QStringLiteral("unknown running stage"));
    }

    if (const auto contextIt = value.find("context"); contextIt != value.end()
                                                      && contextIt->is_object())
        state.context = *contextIt;
    return state;
}

} // namespace baton
