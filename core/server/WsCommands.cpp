#include "WsCommands.h"

#include "Decisions.h"
#include "ServerLogging.h"
#include "WsClient.h"

#include "core/pipeline/ProjectSession.h"

#include <QDateTime>

namespace baton::server {

namespace {

void confirm(Conductor &conductor, WsClient &client, const json &message)
{
    auto decisions = validateDecisions(message.value("decisions", json(nullptr)));
    if (!decisions) {
        client.sendError(decisions.error().toString(), message);
        return;
    }
    const ConfirmResult result = conductor.confirm(decisions.value());
    if (!result.accepted)
        client.sendError(QStringLiteral("Confirm rejected: %1").arg(result.error), message);
}

void command(Conductor &conductor, WsClient &client, const json &message)
{
    const QString name = stringField(message, "command");
    const json args = message.value("args", json::object());
    if (name == QLatin1String("restart_stage")) {
        const auto stage = stageFromName(stringField(args, "stage_id"));
        if (!stage) {
            client.sendError(QStringLiteral("restart_stage needs args.stage_id, one of the eight stage ids"), message);
            return;
        }
        if (Status restarted = conductor.restartStage(*stage); !restarted)
            client.sendError(restarted.error().toString(), message);
    } else if (name == QLatin1String("cancel_run") || name == QLatin1String("stop_run")) {
        if (!conductor.isBusy()) {
            client.sendError(QStringLiteral("Nothing is running"), message);
            return;
        }
        if (name == QLatin1String("cancel_run"))
            conductor.cancel();
        else
            conductor.requestStop();
    } else {
        qCInfo(lcServer) << "unknown command" << name;
        client.sendError(QStringLiteral("Unknown command '%1' (expected restart_stage, cancel_run or stop_run)").arg(name),
                         message);
    }
}

void pong(const Conductor &conductor, WsClient &client, const json &message)
{
    const StageId stage = conductor.state().current;
    const auto ts = message.find("ts");
    // Protocol §9.10 fixed: to the sender only, server_ts is a time, project_id present; no seq
    // is consumed, so the event stream keeps one unique seq per envelope.
    client.sendJson({{"type", "pong"},
                     {"v", Event::kProtocolVersion},
                     {"project_id", toStd(conductor.projectId())},
                     {"ts", ts != message.end() && ts->is_number() ? *ts : json(nullptr)},
                     {"server_ts", QDateTime::currentMSecsSinceEpoch()},
                     {"stage",
                      {{"id", toStd(stageName(stage))},
                       {"index", stageIndex(stage)},
                       {"status", toStd(statusName(conductor.state().at(stage).status))}}},
                     {"event", json::object()}});
}

} // namespace

void handleClientMessage(ProjectSession &session, WsClient &client, const QString &text)
{
    auto parsed = parseJson(text.toUtf8(), QStringLiteral("WebSocket message"));
    if (!parsed) {
        client.sendError(QStringLiteral("Failed to process message: not valid JSON"), json(toStd(text.left(1000))));
        return;
    }
    const json &message = parsed.value();
    if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
        client.sendError(QStringLiteral("Failed to process message: expected an object with a string 'type'"), message);
        return;
    }
    Conductor &conductor = session.conductor();
    const QString type = stringField(message, "type");
    if (type == QLatin1String("chat")) {
        const QString chatText = stringField(message, "text").trimmed();
        if (!message.contains("text") || !message["text"].is_string())
            client.sendError(QStringLiteral("chat needs a string 'text'"), message);
        else if (!chatText.isEmpty())
            session.chat(chatText);
    } else if (type == QLatin1String("confirm")) {
        confirm(conductor, client, message);
    } else if (type == QLatin1String("command")) {
        command(conductor, client, message);
    } else if (type == QLatin1String("ping")) {
        pong(conductor, client, message);
    } else {
        qCInfo(lcServer) << "ignoring WebSocket message of unknown type" << type; // protocol §1.6
    }
}

} // namespace baton::server
