// The data side of the REST API: upload, dataset choice and download, model choice, ingestion.

#include "MultipartReader.h"
#include "ProjectHub.h"
#include "RestApi.h"
#include "StageWaiter.h"

#include "core/conductor/EventNames.h"
#include "core/data/CsvReader.h"
#include "core/data/CsvWriter.h"
#include "core/data/DemoDatasets.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/ProjectSession.h"
#include "core/pipeline/TableHints.h"
#include "core/agents/IntentRules.h"
#include "core/project/Assets.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QTemporaryFile>

namespace baton::server {

namespace {

constexpr qint64 kUploadCheckBytes = 1 << 20; // the head of the file that must parse as CSV
constexpr int kUploadCheckRows = 500;         // protocol §2.2 (9)
constexpr int kSampleRows = 200;
const char kUploadKey[] = "upload"; // context: {filename, path, rows, columns} of the last upload

struct StoredUpload
{
    QString fileName;
    QString path;
    qsizetype rows = 0;
    QStringList columns;
    qint64 size = 0;
    QString suggestedTarget; // the goal's target resolved against these columns, if any
};

// Worker thread: the file field into <project>/assets/data/uploads/<safe name>, then a CSV check
// of its head and the sample the UI previews.
Result<StoredUpload> storeUpload(HttpRequest request, const QByteArray &boundary, const QString &assetsDir,
                                 const QString &prompt)
{
    QBuffer memory(&request.body);
    QIODevice *body = request.bodyFile ? static_cast<QIODevice *>(request.bodyFile.get()) : &memory;
    if (!body->isOpen() && !body->open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("upload.read"), QStringLiteral("Cannot read the request body"));
    body->seek(0);

    const QString folder = QDir(assetsDir).filePath(QStringLiteral("data/uploads"));
    if (!QDir().mkpath(folder))
        return makeError(ErrorKind::Io, QStringLiteral("upload.write"), QStringLiteral("Cannot create the upload folder"), folder);
    QTemporaryFile part(QDir(folder).filePath(QStringLiteral(".part-XXXXXX")));
    if (!part.open())
        return makeError(ErrorKind::Io, QStringLiteral("upload.write"), part.errorString(), folder);
    auto file = MultipartReader::extractFile(*body, boundary, "file", part);
    if (!file)
        return file.error();
    if (file->size == 0)
        return makeError(ErrorKind::BadInput, QStringLiteral("upload.empty"), QStringLiteral("The uploaded file is empty"));

    QString name = sanitizeFileName(file->fileName);
    if (name.isEmpty())
        name = QStringLiteral("upload.csv");
    if (!name.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        name += QStringLiteral(".csv");

    part.seek(0);
    QByteArray head = part.read(kUploadCheckBytes);
    if (!part.atEnd() && head.lastIndexOf('\n') > 0)
        head.truncate(head.lastIndexOf('\n') + 1); // whole rows only
    auto table = readCsvBytes(head);
    if (!table)
        return makeError(ErrorKind::BadInput, QStringLiteral("upload.not_csv"),
                         QStringLiteral("Failed to read CSV: %1").arg(table.error().toString()));
    if (table->columnCount() == 0 || table->rowCount() == 0)
        return makeError(ErrorKind::BadInput, QStringLiteral("upload.not_csv"),
                         QStringLiteral("Failed to read CSV: no data rows"));

    const QString destination = QDir(folder).filePath(name);
    QFile::remove(destination); // a new upload of the same name replaces the old one
    part.setAutoRemove(false);
    if (!part.rename(destination)) {
        part.setAutoRemove(true);
        return makeError(ErrorKind::Io, QStringLiteral("upload.write"), part.errorString(), destination);
    }
    if (Status sample = writeTextFile(QDir(assetsDir).filePath(QStringLiteral("data/sample.csv")),
                                      tableToCsv(*table, 0, kSampleRows));
        !sample)
        return sample.error();

    StoredUpload stored;
    stored.fileName = name;
    stored.path = QFileInfo(destination).absoluteFilePath();
    stored.rows = std::min<qsizetype>(table->rowCount(), kUploadCheckRows);
    stored.columns = table->columnNames();
    stored.size = file->size;
    // The web UI parses the goal before any data exists, so its target is still a phrase
    // ("species"); the same rules, now with the columns, name the column it means.
    if (!prompt.isEmpty())
        stored.suggestedTarget = parseIntentRules(prompt, columnHints(*table)).target;
    if (!stored.columns.contains(stored.suggestedTarget))
        stored.suggestedTarget.clear();
    return stored;
}

json toJson(const QStringList &list)
{
    json out = json::array();
    for (const QString &s : list)
        out.push_back(toStd(s));
    return out;
}

json findById(const json &items, const QString &id)
{
    if (!items.is_array())
        return nullptr;
    for (const json &item : items) {
        if (stringField(item, "id") == id || (!id.isEmpty() && stringField(item, "full_name") == id))
            return item;
    }
    return nullptr;
}

void logLine(Conductor &conductor, StageId stage, const QString &text, const char *source)
{
    conductor.publish(stage, conductor.state().at(stage).status, events::LogLine,
                      {{"run_id", "system"}, {"level", "info"}, {"text", toStd(text)}, {"source", source}});
}

} // namespace

void RestApi::addDataRoutes(Router &router)
{
    router.post(QStringLiteral("/api/projects/{pid}/upload"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        upload(p.value(QStringLiteral("pid")), request, r);
    });
    router.post(QStringLiteral("/api/projects/{pid}/dataset/select"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        if (const auto body = requireStringField(request, "dataset_id", r))
            selectDataset(p.value(QStringLiteral("pid")), *body, r);
    });
    router.post(QStringLiteral("/api/projects/{pid}/dataset/download"), [this](const RouteParams &p, HttpRequest &, HttpResponder r) {
        downloadDataset(p.value(QStringLiteral("pid")), r);
    });
    router.post(QStringLiteral("/api/projects/{pid}/model/select"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        if (const auto body = requireStringField(request, "model_id", r))
            selectModel(p.value(QStringLiteral("pid")), *body, r);
    });
    router.post(QStringLiteral("/api/projects/{pid}/ingest/kaggle"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        const auto body = requireStringField(request, "dataset", r);
        if (!body)
            return;
        const QString slug = fromStd((*body)["dataset"].get<std::string>()).trimmed();
        if (slug.count(QLatin1Char('/')) != 1) {
            r.send(HttpResponse::error(400, QStringLiteral("A Kaggle dataset is 'owner/name', not '%1'").arg(slug)));
            return;
        }
        ingest(p.value(QStringLiteral("pid")), QStringLiteral("kaggle:") + slug, r);
    });
    router.post(QStringLiteral("/api/projects/{pid}/ingest/auto"), [this](const RouteParams &p, HttpRequest &request, HttpResponder r) {
        const auto body = requireStringField(request, "dataset_hint", r);
        if (!body)
            return;
        const QString hint = fromStd((*body)["dataset_hint"].get<std::string>()).trimmed();
        if (hint.isEmpty()) {
            r.send(HttpResponse::error(400, QStringLiteral("dataset_hint is empty")));
            return;
        }
        if (hint.count(QLatin1Char('/')) == 1 && !hint.contains(QLatin1Char(' '))) {
            ingest(p.value(QStringLiteral("pid")), QStringLiteral("kaggle:") + hint, r);
            return;
        }
        const auto matches = demoDatasetsMatching(hint);
        if (matches.empty()) {
            r.send(HttpResponse::error(404, QStringLiteral("No dataset found for '%1': upload a CSV or name a Kaggle "
                                                           "dataset as owner/name").arg(hint)));
        } else if (matches.size() > 1) {
            json candidates = json::array();
            for (const DemoDataset &demo : matches)
                candidates.push_back(toStd(demo.id));
            r.send(HttpResponse::json({{"status", "needs_confirmation"}, {"candidates", candidates}}));
        } else {
            ingest(p.value(QStringLiteral("pid")), matches.front().id, r);
        }
    });
}

void RestApi::upload(const QString &projectId, HttpRequest &request, const HttpResponder &responder)
{
    auto boundary = MultipartReader::boundaryOf(request.header("content-type"));
    if (!boundary) {
        responder.send(validationError(QStringLiteral("file"), boundary.error().message, QStringLiteral("missing")));
        return;
    }
    ProjectSession *session = sessionOrReply(projectId, responder);
    if (!session)
        return;
    const QString assetsDir = session->store().assetsDir();
    QPointer<Conductor> conductor = &session->conductor();
    const QString prompt = stringField(session->conductor().context(), ctx::Prompt);
    auto work = [request = std::move(request), boundary = boundary.value(), assetsDir, conductor, responder,
                 projectId, prompt, hub = &m_hub]() mutable {
        Result<StoredUpload> stored = storeUpload(std::move(request), boundary, assetsDir, prompt);
        // Back on the server thread (the hub outlives this pool: ~RestApi waits for it).
        QMetaObject::invokeMethod(hub, [conductor, responder, projectId, stored = std::move(stored)] {
            if (!conductor)
                return;
            if (!stored) {
                responder.send(HttpResponse::error(stored.error()));
                return;
            }
            const StoredUpload &upload = stored.value();
            const json columns = toJson(upload.columns);
            json patch = {{ctx::DataPath, toStd(upload.path)},
                          {kUploadKey, {{"filename", toStd(upload.fileName)}, {"path", toStd(upload.path)},
                                        {"rows", upload.rows}, {"columns", columns}, {"size_bytes", upload.size}}}};
            const QString target = stringField(conductor->context(), ctx::Target);
            if (!upload.columns.contains(target) && !upload.suggestedTarget.isEmpty())
                patch[ctx::Target] = toStd(upload.suggestedTarget);
            conductor->updateContext(patch);
            const QString sampleUrl = assetUrl(projectId, QStringLiteral("data/sample.csv"));
            conductor->publish(StageId::DataSource, StageStatus::InProgress, events::DatasetSampleReady,
                               {{"asset_url", toStd(sampleUrl)}, {"columns", columns}, {"n_rows", std::min(upload.rows, qsizetype(kSampleRows))},
                                {"source", "upload"}, {"filename", toStd(upload.fileName)}});
            responder.send(HttpResponse::json({{"status", "ok"}, {"rows", upload.rows}, {"columns", columns},
                                               {"filename", toStd(upload.fileName)}, {"sample_url", toStd(sampleUrl)}}));
        });
    };
    m_io.start(std::move(work));
}

void RestApi::selectDataset(const QString &projectId, const json &body, const HttpResponder &responder)
{
    ProjectSession *session = sessionOrReply(projectId, responder);
    if (!session)
        return;
    Conductor &conductor = session->conductor();
    const QString id = fromStd(body["dataset_id"].get<std::string>());
    const json candidates = m_hub.latestPayload(projectId, events::DatasetCandidates).value("datasets", json::array());
    const json candidate = findById(candidates, id);
    if (candidate.is_null()) {
        responder.send(HttpResponse::error(404, QStringLiteral("Dataset %1 not found in candidates").arg(id)));
        return;
    }
    const json &context = conductor.context();
    const QString candidateId = stringField(candidate, "id");
    const QString uploadedPath = stringField(context.value(kUploadKey, json::object()), "path");
    const QString loadedId = stringField(context.value(ctx::Dataset, json::object()), "id");

    if (candidateId == QLatin1String("upload_csv") || candidate.value("is_upload_prompt", false)) {
        // The data is whatever the user uploads (or already uploaded), never the previous choice.
        conductor.updateContext({{ctx::DatasetId, "upload_csv"},
                                 {ctx::DataPath, uploadedPath.isEmpty() ? json(nullptr) : json(toStd(uploadedPath))}});
        const QString message = QStringLiteral("📤 Ready to upload CSV file");
        logLine(conductor, StageId::DataSource, message, "dataset_select");
        responder.send(HttpResponse::json({{"status", "ok"}, {"message", toStd(message)}, {"requires_upload", true},
                                           {"selected", candidate}}));
        return;
    }
    json patch = {{ctx::DatasetId, toStd(candidateId)}};
    if (const QString path = stringField(candidate, "path"); !path.isEmpty())
        patch[ctx::DataPath] = toStd(path);
    else if (loadedId != candidateId)
        patch[ctx::DataPath] = nullptr; // DATA_SOURCE fetches the chosen dataset
    conductor.updateContext(patch);
    const QString message = QStringLiteral("✅ Selected: %1").arg(stringField(candidate, "name", candidateId));
    logLine(conductor, StageId::DataSource, message, "dataset_select");
    responder.send(HttpResponse::json({{"status", "ok"}, {"message", toStd(message)}, {"selected", candidate}}));
}

void RestApi::downloadDataset(const QString &projectId, const HttpResponder &responder)
{
    ProjectSession *session = sessionOrReply(projectId, responder);
    if (!session)
        return;
    Conductor &conductor = session->conductor();
    const json &context = conductor.context();
    const QString datasetId = stringField(context, ctx::DatasetId);
    const QString dataPath = stringField(context, ctx::DataPath);
    if (datasetId.isEmpty() && dataPath.isEmpty()) {
        responder.send(HttpResponse::error(400, QStringLiteral("No dataset selected - select a dataset first")));
        return;
    }
    if (datasetId == QLatin1String("upload_csv") && dataPath.isEmpty()) {
        responder.send(HttpResponse::error(400, QStringLiteral("Upload CSV required - use /upload first")));
        return;
    }

    auto answer = [responder, conductor = QPointer<Conductor>(&conductor)](const QString &message) {
        const json &ctx = conductor->context();
        responder.send(HttpResponse::json({{"status", "ok"}, {"message", toStd(message)},
                                           {"selected", ctx.value(ctx::Dataset, json(nullptr))},
                                           {"path", ctx.value(ctx::DataPath, json(nullptr))}}));
    };
    const StageStatus status = conductor.state().at(StageId::DataSource).status;
    const QString loadedPath = stringField(context.value(ctx::Dataset, json::object()), "path");
    const bool loaded = status == StageStatus::WaitingConfirmation || status == StageStatus::Completed;
    if (loaded && !dataPath.isEmpty() && QFileInfo(loadedPath) == QFileInfo(dataPath)) {
        answer(QStringLiteral("Dataset already downloaded"));
        return;
    }
    const bool loading = conductor.isBusy() && conductor.state().running == StageId::DataSource;
    if (!loading) {
        // The selection changed since DATA_SOURCE last ran: run it again on the new data.
        if (Status restarted = conductor.restartStage(StageId::DataSource); !restarted) {
            responder.send(HttpResponse::error(restarted.error()));
            return;
        }
    }
    StageWaiter::watch(&conductor, StageId::DataSource, m_options.datasetLoadTimeoutMs,
                       [responder, answer](bool ok, const QString &message) {
                           if (ok)
                               answer(message);
                           else
                               responder.send(HttpResponse::error(400, message));
                       });
}

void RestApi::selectModel(const QString &projectId, const json &body, const HttpResponder &responder)
{
    ProjectSession *session = sessionOrReply(projectId, responder);
    if (!session)
        return;
    Conductor &conductor = session->conductor();
    const QString id = fromStd(body["model_id"].get<std::string>());
    json models = conductor.context().value("model_candidates", json::array());
    if (models.empty())
        models = m_hub.latestPayload(projectId, events::ModelCandidates).value("models", json::array());
    const json model = findById(models, id);
    if (model.is_null()) {
        responder.send(HttpResponse::error(404, QStringLiteral("Model %1 not found in candidates").arg(id)));
        return;
    }
    conductor.updateContext({{"model_id", toStd(id)}});
    const QString message = QStringLiteral("✅ Selected model: %1").arg(stringField(model, "name", id));
    conductor.publish(StageId::ModelSelect, conductor.state().at(StageId::ModelSelect).status, events::ModelSelected,
                      {{"model_id", toStd(id)}, {"model", model}, {"models", models}, {"message", toStd(message)}});
    responder.send(HttpResponse::json({{"status", "ok"}, {"selected", model}}));
}

void RestApi::ingest(const QString &projectId, const QString &datasetId, const HttpResponder &responder)
{
    ProjectSession *session = sessionOrReply(projectId, responder);
    if (!session)
        return;
    session->conductor().updateContext({{ctx::DatasetId, toStd(datasetId)}, {ctx::DataPath, nullptr}});
    restart(projectId, stageIndex(StageId::DataSource), responder);
}

} // namespace baton::server
