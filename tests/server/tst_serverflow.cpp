// The whole tabular flow driven only through REST + WebSocket, in the exact call order the
// reference React app uses (protocol §11), with Baton's real stage handlers on a small CSV.

#include "ServerTestSupport.h"

#include "core/server/ProtocolServer.h"

#include <QBuffer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <quazip/quazip.h>

using namespace baton;
using namespace baton::server;
using namespace baton::test;

namespace {
const QByteArray kOrigin = QByteArrayLiteral("http://localhost:5173");
}

class TestServerFlow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ProtocolServer m_server;
    QNetworkAccessManager m_nam;
    QStringList m_calls; // the order of REST calls, for the record

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://localhost:%1%2").arg(m_server.port()).arg(path));
    }
    // A browser-like call: pre-flight for JSON bodies, Origin on every request.
    HttpResult call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        if (!body.isEmpty()) {
            const HttpResult preflight = http(m_nam, "OPTIONS", url(path), {},
                                              {{"Origin", kOrigin}, {"Access-Control-Request-Method", method},
                                               {"Access-Control-Request-Headers", "content-type"}});
            if (preflight.status != 200 || preflight.header("Access-Control-Allow-Origin") != kOrigin)
                return preflight;
            m_calls << QStringLiteral("OPTIONS");
        }
        m_calls << QStringLiteral("%1 %2").arg(QString::fromLatin1(method), path.section(QLatin1Char('/'), 4));
        HttpResult result = http(m_nam, method, url(path), body, {{"Origin", kOrigin}});
        if (result.header("Access-Control-Allow-Origin") != kOrigin)
            result.status = -result.status; // the browser could not read it
        return result;
    }
    static bool waiting(const WsProbe &ws, const char *stage)
    {
        return ws.stageStatuses().endsWith(QStringLiteral("%1:WAITING_CONFIRMATION").arg(QLatin1String(stage)));
    }
    static bool failed(const WsProbe &ws)
    {
        return !ws.stageStatuses().isEmpty() && ws.stageStatuses().last().endsWith(QLatin1String(":FAILED"));
    }
    // The UI's "Confirm & Continue": only once the stage is announced as waiting.
    void confirmWhenWaiting(WsProbe &ws, const char *stage, int timeoutMs = 90000)
    {
        QVERIFY2(ws.waitFor([&] { return waiting(ws, stage) || failed(ws); }, timeoutMs),
                 qPrintable(ws.stageStatuses().join(QLatin1Char(' '))));
        QVERIFY2(waiting(ws, stage), qPrintable(ws.stageStatuses().join(QLatin1Char(' ')) + lastLog(ws)));
        const HttpResult confirmed = call("POST", QStringLiteral("/api/projects/demo-project/confirm"));
        QCOMPARE(confirmed.status, 200);
        QVERIFY2(!confirmed.toJson().contains("error"), confirmed.body.constData());
    }
    static QString lastLog(const WsProbe &ws)
    {
        const auto logs = ws.named("LOG_LINE");
        return logs.empty() ? QString() : QStringLiteral(" / ") + fromStd(logs.back()["event"]["payload"].value("text", ""));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        ServerOptions options;
        options.workspaceRoot = m_dir.path();
        QVERIFY(m_server.start(QStringLiteral("127.0.0.1"), 0, options).ok());
    }

    void reachesExportAndDownloadsAValidBundle()
    {
        WsProbe ws;
        QVERIFY(ws.open(QUrl(QStringLiteral("ws://localhost:%1/ws/projects/demo-project").arg(m_server.port())), kOrigin));
        QVERIFY(ws.waitFor([&] { return !ws.named("STAGE_STATUS").empty(); }));

        const HttpResult state = call("GET", QStringLiteral("/api/projects/demo-project/state"));
        QCOMPARE(state.status, 200);
        QCOMPARE_JSON(state.toJson()["current_stage"]["status"], json("IN_PROGRESS"));

        // A small time budget keeps the search short; the UI itself sends only the prompt.
        QCOMPARE(call("POST", QStringLiteral("/api/projects/demo-project/parse"),
                      R"({"prompt":"classify the species of iris flowers","time_budget_s":4,"seed":7})").status, 200);
        QVERIFY(ws.waitFor([&] { return !ws.named("PROMPT_PARSED").empty(); }));
        confirmWhenWaiting(ws, "PARSE_INTENT");

        // DATA_SOURCE lists candidates, the upload option last; with no data yet it waits for one.
        QVERIFY(ws.waitFor([&] { return !ws.named("DATASET_CANDIDATES").empty(); }, 60000));
        const json datasets = ws.named("DATASET_CANDIDATES").back()["event"]["payload"]["datasets"];
        QCOMPARE_JSON(datasets.back()["id"], json("upload_csv"));
        QVERIFY(ws.waitFor([&] { return waiting(ws, "DATA_SOURCE") || failed(ws); }, 60000));

        const HttpResult selected = call("POST", QStringLiteral("/api/projects/demo-project/dataset/select"), R"({"dataset_id":"upload_csv"})");
        QCOMPARE(selected.status, 200);
        QCOMPARE_JSON(selected.toJson()["requires_upload"], json(true));

        QFile iris(QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"));
        QVERIFY(iris.open(QIODevice::ReadOnly));
        m_calls << QStringLiteral("POST upload");
        const HttpResult uploaded = uploadFile(m_nam, url(QStringLiteral("/api/projects/demo-project/upload")),
                                               QStringLiteral("iris.csv"), iris.readAll());
        QCOMPARE(uploaded.status, 200);
        QCOMPARE_JSON(uploaded.toJson()["rows"], json(150));
        QVERIFY(ws.waitFor([&] { return !ws.named("DATASET_SAMPLE_READY").empty(); }));

        // download completes first (DATA_SOURCE loads the upload), then confirm goes through.
        const HttpResult downloaded = call("POST", QStringLiteral("/api/projects/demo-project/dataset/download"));
        QVERIFY2(downloaded.status == 200, downloaded.body.constData());
        QVERIFY(waiting(ws, "DATA_SOURCE"));
        QCOMPARE_JSON(downloaded.toJson()["selected"]["rows"], json(150));
        confirmWhenWaiting(ws, "DATA_SOURCE");
        QVERIFY(ws.waitFor([&] { return !ws.named("PROFILE_SUMMARY").empty(); }, 60000));
        QVERIFY(ws.named("PROFILE_SUMMARY").back()["event"]["payload"].contains("profile"));
        confirmWhenWaiting(ws, "PROFILE_DATA");

        confirmWhenWaiting(ws, "PREPROCESS");
        QVERIFY(ws.named("PREPROCESS_COMPLETE").size() + ws.named("PREPROCESS_PLAN").size() >= 1);

        QVERIFY(ws.waitFor([&] { return !ws.named("MODEL_CANDIDATES").empty() && waiting(ws, "MODEL_SELECT"); }, 60000));
        const json models = ws.named("MODEL_CANDIDATES").back()["event"]["payload"]["models"];
        QVERIFY(models.size() >= 2);
        for (const json &m : models)
            QVERIFY(m.contains("id") && m.contains("name") && m.contains("why"));
        QCOMPARE(call("POST", QStringLiteral("/api/projects/demo-project/model/select"), R"({"model_id":"nope"})").status, 404);
        const HttpResult model = call("POST", QStringLiteral("/api/projects/demo-project/model/select"), R"({"model_id":"xgboost"})");
        QCOMPARE(model.status, 200);
        QCOMPARE_JSON(model.toJson()["selected"]["id"], json("xgboost"));
        confirmWhenWaiting(ws, "MODEL_SELECT");

        QVERIFY(ws.waitFor([&] { return !ws.named("TRAIN_PROGRESS").empty(); }, 60000));
        confirmWhenWaiting(ws, "TRAIN", 180000);
        QVERIFY(!ws.named("TRAIN_RUN_FINISHED").empty());
        QVERIFY(!ws.named("EVALUATION_COMPLETE").empty());
        confirmWhenWaiting(ws, "REVIEW_EDIT", 120000);

        // EXPORT: IN_PROGRESS, then EXPORT_READY with the download card's fields, then waiting.
        QVERIFY(ws.waitFor([&] { return waiting(ws, "EXPORT") || failed(ws); }, 120000));
        QVERIFY2(waiting(ws, "EXPORT"), qPrintable(ws.stageStatuses().join(QLatin1Char(' ')) + lastLog(ws)));
        const auto ready = ws.named("EXPORT_READY");
        QCOMPARE(ready.size(), 1u);
        const json exportInfo = ready.front()["event"]["payload"]["export"];
        QVERIFY(exportInfo.contains("zip_filename"));
        const QString downloadUrl = fromStd(exportInfo["download_url"].get<std::string>());
        QVERIFY(downloadUrl.startsWith(QLatin1String("/api/assets/")));

        // The link the UI shows (localhost:8000 + download_url) and the export endpoint.
        for (const QString &path : {downloadUrl, QStringLiteral("/api/projects/demo-project/export/download")}) {
            const HttpResult zip = call("GET", path);
            QCOMPARE(zip.status, 200);
            QCOMPARE(zip.header("Content-Type"), QByteArray("application/zip"));
            QVERIFY2(zip.header("Content-Disposition").startsWith("attachment; filename=\""), zip.header("Content-Disposition").constData());
            QBuffer buffer;
            buffer.setData(zip.body);
            QuaZip archive(&buffer);
            QVERIFY(archive.open(QuaZip::mdUnzip));
            QVERIFY2(archive.getFileNameList().contains(QStringLiteral("manifest.json")),
                     qPrintable(archive.getFileNameList().join(QLatin1Char(','))));
        }
        confirmWhenWaiting(ws, "EXPORT");
        QVERIFY(ws.waitFor([&] { return ws.stageStatuses().endsWith(QStringLiteral("EXPORT:COMPLETED")); }));
        QCOMPARE_JSON(call("GET", QStringLiteral("/api/projects/demo-project/state")).toJson()["current_stage"]["status"], json("COMPLETED"));

        // Every frame was strict JSON with one unique, increasing seq.
        qint64 last = 0;
        for (const json &frame : ws.ofType("EVENT")) {
            QVERIFY(frame["seq"].get<qint64>() > last);
            last = frame["seq"].get<qint64>();
        }
        qInfo().noquote() << "calls:" << m_calls.join(QStringLiteral(", "));
    }

    void trainingEnginesThatDoNotExistSaySo()
    {
        for (const char *path : {"/api/projects/demo-project/train/image", "/api/projects/demo-project/train/time_series"}) {
            const HttpResult answer = call("POST", QString::fromLatin1(path), "{}");
            QCOMPARE(answer.status, 501);
            QVERIFY(answer.toJson()["detail"].get<std::string>().find("not available") != std::string::npos);
        }
    }

    void cleanupTestCase() { m_server.stop(); }
};

QTEST_GUILESS_MAIN(TestServerFlow)
#include "tst_serverflow.moc"
