#pragma once

#include "AssetResolver.h"
#include "Router.h"
#include "ServerOptions.h"

#include "core/conductor/Stage.h"

#include <QThreadPool>

#include <optional>

namespace baton {
class ProjectSession;
}

namespace baton::server {

class ProjectHub;

// The REST endpoints of protocol §2, mapped onto Conductor commands. Nothing here waits for
// stage work: the Conductor runs it on its jobs and clients follow the events. The one
// exception, dataset/download, answers when DATA_SOURCE has loaded the data (protocol §3.8)
// without blocking the event loop.
class RestApi
{
public:
    RestApi(ProjectHub &hub, const AssetResolver &assets, const ServerOptions &options);
    ~RestApi();

    void addRoutes(Router &router);

private:
    // RestApi.cpp: service, state and stage commands
    void addServiceRoutes(Router &router);
    void addStageRoutes(Router &router);
    // RestDataRoutes.cpp: upload, dataset and model choice, ingestion
    void addDataRoutes(Router &router);
    void upload(const QString &projectId, HttpRequest &request, const HttpResponder &responder);
    void selectDataset(const QString &projectId, const json &body, const HttpResponder &responder);
    void downloadDataset(const QString &projectId, const HttpResponder &responder);
    void selectModel(const QString &projectId, const json &body, const HttpResponder &responder);
    void ingest(const QString &projectId, const QString &datasetId, const HttpResponder &responder);
    // RestAssetRoutes.cpp: assets and the export download
    void addAssetRoutes(Router &router);

    // The project's session, or an error answered on `responder` (nullptr then).
    ProjectSession *sessionOrReply(const QString &projectId, const HttpResponder &responder);
    // The stage-status endpoints' target: the session, `stageId` and the `status` query value,
    // or an error answered on `responder` (nullopt then).
    struct StageTarget
    {
        ProjectSession *session;
        StageId stage;
        StageStatus status;
    };
    std::optional<StageTarget> stageTargetOrReply(const QString &projectId, const QString &stageId,
                                                  const HttpRequest &request, const HttpResponder &responder);
    // Runs `stage` again; answers {"status":"started"} or the reason it cannot run.
    void restart(const QString &projectId, int stage, const HttpResponder &responder);

    ProjectHub &m_hub;
    const AssetResolver &m_assets;
    const ServerOptions &m_options;
    // File work (multipart extraction of up to 2 GB) runs here, never on the server thread
    // and never behind a training job in the Conductor's pool.
    QThreadPool m_io;
};

// A JSON request body: null when empty; errors as 422 (FastAPI's validation shape) or 413.
Result<json> jsonBody(const HttpRequest &request);
// FastAPI's 422 {"detail":[{type, loc, msg, input}]} for one field.
HttpResponse validationError(const QString &field, const QString &message,
                             const QString &type = QStringLiteral("value_error"));
// The answer to a jsonBody() error.
HttpResponse bodyError(const Error &error);
// Reads a JSON object body with one required string field (prompt, dataset_id, ...); answers
// the validation error itself and returns nullopt when it is missing.
std::optional<json> requireStringField(const HttpRequest &request, const char *field,
                                       const HttpResponder &responder);

} // namespace baton::server
