#include "RestApi.h"

#include "Decisions.h"
#include "ProjectHub.h"

#include "core/conductor/EventNames.h"
#include "core/pipeline/ProjectSession.h"

#include <QSet>

namespace baton::server {

Result<json> jsonBody(const HttpRequest &request)
{
    if (request.bodyFile)
        return makeError(ErrorKind::BadInput, QStringLiteral("413"), QStringLiteral("JSON body too large"));
    if (request.body.trimmed().isEmpty())
        return json(nullptr);
    auto parsed = parseJson(request.body, QStringLiteral("request body"));
    if (!parsed)
        return makeError(ErrorKind::BadInput, QStringLiteral("422"), QStringLiteral("JSON decode error"));
    return parsed;
}

HttpResponse validationError(const QString &field, const QString &message, const QString &type)
{
    return HttpResponse::json(
        {{"detail", json::array({{{"type", toStd(type)},
                                  {"loc", json::array({"body", toStd(field)})},
                                  {"msg", toStd(message)},
                                  {"input", nullptr}}})}},
        422);
}

HttpResponse bodyError(const Error &error)
{
    if (error.code == QLatin1String("413"))
        return HttpResponse::error(413, error.message);
    return validationError(QString(), error.message, QStringLiteral("json_invalid"));
}

// Reads a JSON object body with one required string field (prompt, dataset_id, model_id, ...).
std::optional<json> requireStringField(const HttpRequest &request, const char *field,
                                       const HttpResponder &responder)
{
    auto body = jsonBody(request);
    if (!body) {
        responder.send(bodyError(body.error()));
        return std::nullopt;
    }
    const json &value = body.value();
    const QString name = QString::fromLatin1(field);
    if (!value.is_object() || !value.contains(field)) {
        responder.send(validationError(name, QStringLiteral("Field required"), QStringLiteral("missing")));
        return std::nullopt;
    }
    if (!value[field].is_string()) {
        responder.send(validationError(name, QStringLiteral("Input should be a valid string"),
                                       QStringLiteral("string_type")));
        return std::nullopt;
    }
    return value;
}

namespace {

json overview()
{
    return {{"message", "AutoML Agentic Builder API"},
            {"server", "Baton"},
            {"version", BATON_VERSION},
            {"endpoints", {{"health", "/health"}, {"websocket", "/ws/projects/{project_id}"}, {"docs", "/ws/docs"}}},
            {"websocket_info",
             {{"url", "ws://localhost:8000/ws/projects/{project_id}"},
              {"protocol", "JSON text frames, envelope v1"},
              {"description", "Every Conductor event of the project; ?since=SEQ replays the stored events after SEQ"},
              {"documentation", "/ws/docs"}}}};
}

json wsDocs()
{
    json names = json::array();
    for (const char *name : {events::Hello, events::StageStatus, events::WaitingConfirmation, events::LogLine,
                             events::PromptParsed, events::DatasetCandidates, events::DatasetSelected,
                             events::DatasetSampleReady, events::ProfileSummary, events::PreprocessPlan,
                             events::PreprocessComplete, events::ModelCandidates, events::ModelSelected,
                             events::TrainRunStarted, events::TrainProgress, events::MetricScalar,
                             events::LeaderboardUpdated, events::BestModelUpdated, events::TrainRunFinished,
                             events::TrainComplete, events::EvaluationStarted,
                             events::ClassificationMetricsReady, events::RegressionMetricsReady,
                             events::ConfusionMatrixReady, events::RocCurveReady,
                             events::PrecisionRecallCurveReady, events::FeatureImportanceReady,
                             events::ShapExplanationsReady, events::EvaluationComplete, events::ReportReady,
                             events::NotebookReady, events::ExportReady, events::ArtifactAdded})
        names.push_back(name);
    return {{"title", "Baton WebSocket protocol"},
            {"endpoint", "/ws/projects/{project_id}"},
            {"description", "HELLO, then (with ?since=SEQ) the stored events after SEQ, then the current "
                            "STAGE_STATUS and every later event of the project."},
            {"connection", {{"url", "ws://localhost:8000/ws/projects/{project_id}[?since=SEQ]"},
                            {"example", "ws://localhost:8000/ws/projects/demo-project"}}},
            {"server_to_client_events", names},
            {"client_to_server_messages",
             {{"chat", {{"type", "chat"}, {"text", "str"}}},
              {"confirm", {{"type", "confirm"}, {"decisions", "obj?"}}},
              {"command", {{"type", "command"}, {"command", "restart_stage|cancel_run|stop_run"}, {"args", {{"stage_id", "StageID"}}}}},
              {"ping", {{"type", "ping"}, {"ts", "int?"}}}}},
            {"full_documentation", "shared/protocol.md"}};
}

} // namespace

RestApi::RestApi(ProjectHub &hub, const AssetResolver &assets, const ServerOptions &options)
    : m_hub(hub)
    , m_assets(assets)
    , m_options(options)
{
    m_io.setMaxThreadCount(2);
}

RestApi::~RestApi()
{
    m_io.waitForDone();
}

void RestApi::addRoutes(Router &router)
{
    addServiceRoutes(router);
    addStageRoutes(router);
    addDataRoutes(router);
    addAssetRoutes(router);
}

ProjectSession *RestApi::sessionOrReply(const QString &projectId, const HttpResponder &responder)
{
    auto session = m_hub.session(projectId);
    if (!session) {
        responder.send(HttpResponse::error(session.error()));
        return nullptr;
    }
    return session.value();
}

std::optional<RestApi::StageTarget> RestApi::stageTargetOrReply(const QString &projectId, const QString &stageId,
                                                                const HttpRequest &request,
                                                                const HttpResponder &responder)
{
    const auto stage = stageFromName(stageId);
    const auto status = statusFromName(request.query.queryItemValue(QStringLiteral("status")));
    if (!stage || !status) {
        responder.send(HttpResponse::error(400, QStringLiteral("Invalid stage id or status")));
        return std::nullopt;
    }
    ProjectSession *session = sessionOrReply(projectId, responder);
    if (!session)
        return std::nullopt;
    return StageTarget{session, *stage, *status};
}

void RestApi::restart(const QString &projectId, int stage, const HttpResponder &responder)
{
    ProjectSession *session = sessionOrReply(projectId, responder);
    if (!session)
        return;
    const StageId id = *stageAt(stage);
    if (Status restarted = session->conductor().restartStage(id); !restarted) {
        responder.send(HttpResponse::error(restarted.error()));
        return;
    }
    responder.send(HttpResponse::json(
        {{"status", "started"}, {"project_id", toStd(projectId)}, {"stage", toStd(stageName(id))}}));
}

void RestApi::addServiceRoutes(Router &router)
{
    router.get(QStringLiteral("/health"), [](const RouteParams &, HttpRequest &, HttpResponder r) {
        r.send(HttpResponse::json({{"status", "healthy"}, {"service", "automl-backend"}, {"version", BATON_VERSION}}));
    });
    router.get(QStringLiteral("/"), [](const RouteParams &, HttpRequest &, HttpResponder r) {
        r.send(HttpResponse::json(overview()));
    });
    router.get(QStringLiteral("/ws/docs"), [](const RouteParams &, HttpRequest &, HttpResponder r) {
        r.send(HttpResponse::json(wsDocs()));
    });

    router.post(QStringLiteral("/api/test/emit/{pid}"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        ProjectSession *session = sessionOrReply(p.value(QStringLiteral("pid")), r);
        if (!session)
            return;
        const QString message = request.query.hasQueryItem(QStringLiteral("message"))
                                    ? request.query.queryItemValue(QStringLiteral("message"), QUrl::FullyDecoded)
                                    : QStringLiteral("Test event");
        session->conductor().publish(StageId::ParseIntent, StageStatus::InProgress, events::LogLine,
                                     {{"run_id", "test"}, {"level", "info"}, {"text", toStd(message)},
                                      {"source", "test_endpoint"}});
        const int clients = m_hub.clientCount(session->conductor().projectId());
        r.send(HttpResponse::json({{"status", "emitted"}, {"project_id", toStd(session->conductor().projectId())},
                                   {"connections", clients}, {"subscribers", clients}}));
    });
    router.post(QStringLiteral("/api/test/stage-update/{pid}"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        const auto target = stageTargetOrReply(p.value(QStringLiteral("pid")),
                                               request.query.queryItemValue(QStringLiteral("stage_id")), request, r);
        if (!target)
            return;
        ProjectSession *session = target->session;
        const QString stage = stageName(target->stage);
        const QString status = statusName(target->status);
        // Announces without changing the Conductor (a client test aid, as upstream).
        session->conductor().publish(target->stage, target->status, events::StageStatus,
                                     {{"stage_id", toStd(stage)}, {"status", toStd(status)},
                                      {"message", toStd(QStringLiteral("Stage %1 is now %2").arg(stage, status))}});
        r.send(HttpResponse::json({{"status", "emitted"}, {"stage_id", toStd(stage)}, {"stage_status", toStd(status)}}));
    });
    router.get(QStringLiteral("/api/test/connections/{pid}"), [this](const RouteParams &p, HttpRequest &, HttpResponder r) {
        const QString pid = p.value(QStringLiteral("pid"));
        const int clients = m_hub.clientCount(pid);
        r.send(HttpResponse::json({{"project_id", toStd(pid)}, {"connections", clients}, {"subscribers", clients}}));
    });
}

void RestApi::addStageRoutes(Router &router)
{
    router.get(QStringLiteral("/api/projects/{pid}/state"), [this](const RouteParams &p, HttpRequest &, HttpResponder r) {
        if (ProjectSession *session = sessionOrReply(p.value(QStringLiteral("pid")), r))
            r.send(HttpResponse::json(session->conductor().snapshot()));
    });

    router.post(QStringLiteral("/api/projects/{pid}/confirm"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        auto body = jsonBody(request);
        if (!body) {
            r.send(bodyError(body.error()));
            return;
        }
        auto decisions = validateDecisions(body.value());
        if (!decisions) {
            r.send(validationError(QString(), decisions.error().message));
            return;
        }
        ProjectSession *session = sessionOrReply(p.value(QStringLiteral("pid")), r);
        if (!session)
            return;
        // Protocol §3.6/§9.2: 200 with the snapshot either way, plus `error` when rejected.
        const ConfirmResult result = session->conductor().confirm(decisions.value());
        json snapshot = session->conductor().snapshot();
        if (!result.accepted)
            snapshot["error"] = toStd(result.error);
        r.send(HttpResponse::json(snapshot));
    });

    router.post(QStringLiteral("/api/projects/{pid}/stages/{stage_id}/status"),
                [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        const auto target = stageTargetOrReply(p.value(QStringLiteral("pid")), p.value(QStringLiteral("stage_id")),
                                               request, r);
        if (!target)
            return;
        ProjectSession *session = target->session;
        const QString message = request.query.queryItemValue(QStringLiteral("message"), QUrl::FullyDecoded);
        if (Status changed = session->conductor().setStageStatus(target->stage, target->status, message); !changed) {
            r.send(HttpResponse::error(changed.error()));
            return;
        }
        r.send(HttpResponse::json(session->conductor().snapshot()));
    });

    router.post(QStringLiteral("/api/projects/{pid}/parse"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        const auto body = requireStringField(request, "prompt", r);
        if (!body)
            return;
        auto decisions = validateDecisions(*body, "prompt");
        if (!decisions) {
            r.send(validationError(QString(), decisions.error().message));
            return;
        }
        ProjectSession *session = sessionOrReply(p.value(QStringLiteral("pid")), r);
        if (!session)
            return;
        // Baton starts over on a new prompt (protocol §9.9: upstream kept the old state).
        session->conductor().startPipeline(fromStd((*body)["prompt"].get<std::string>()), decisions.value());
        r.send(HttpResponse::json({{"status", "started"}, {"project_id", toStd(p.value(QStringLiteral("pid")))}}));
    });

    router.post(QStringLiteral("/api/projects/{pid}/train/tabular"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        const auto body = requireStringField(request, "target", r);
        if (!body)
            return;
        const QString task = stringField(*body, "task_type", QStringLiteral("classification"));
        if (task != QLatin1String("classification") && task != QLatin1String("regression") && task != QLatin1String("auto")) {
            r.send(validationError(QStringLiteral("task_type"),
                                   QStringLiteral("The tabular trainer handles classification or regression, not '%1'").arg(task)));
            return;
        }
        ProjectSession *session = sessionOrReply(p.value(QStringLiteral("pid")), r);
        if (!session)
            return;
        json patch = {{"target", (*body)["target"]}, {"task", toStd(task)}};
        if (const QString model = stringField(*body, "model_id"); !model.isEmpty())
            patch["model_id"] = toStd(model);
        session->conductor().updateContext(patch);
        restart(p.value(QStringLiteral("pid")), stageIndex(StageId::Train), r);
    });
    router.post(QStringLiteral("/api/projects/{pid}/train/image"), [](const RouteParams &, HttpRequest &, HttpResponder r) {
        r.send(HttpResponse::error(501, QStringLiteral("Image training is not available in this build of Baton: "
                                                       "there is no vision engine yet. Tabular data trains with /train/tabular.")));
    });
    router.post(QStringLiteral("/api/projects/{pid}/train/time_series"), [](const RouteParams &, HttpRequest &, HttpResponder r) {
        r.send(HttpResponse::error(501, QStringLiteral("Time-series training is not available in this build of Baton: "
                                                       "there is no forecasting engine yet. Tabular data trains with /train/tabular.")));
    });
    router.post(QStringLiteral("/api/projects/{pid}/report"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        auto body = jsonBody(request);
        if (!body || !(body->is_null() || body->is_object())) {
            r.send(body ? validationError(QString(), QStringLiteral("The body must be a JSON object")) : bodyError(body.error()));
            return;
        }
        // REVIEW_EDIT writes the report and the notebook from the project's real results;
        // REPORT_READY / NOTEBOOK_READY carry their URLs.
        restart(p.value(QStringLiteral("pid")), stageIndex(StageId::ReviewEdit), r);
    });
    router.post(QStringLiteral("/api/projects/{pid}/export"), [this](const RouteParams &p, HttpRequest &, HttpResponder r) {
        restart(p.value(QStringLiteral("pid")), stageIndex(StageId::Export), r);
    });
}

} // namespace baton::server
