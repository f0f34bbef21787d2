// The protocol server with real loopback clients: handshake, seq, replay, client messages,
// broadcast to many sockets, CORS, origins, tokens, limits and malformed input. Stage work is
// replaced by small test handlers so each case is quick and deterministic.

#include "ServerTestSupport.h"
#include "tests/TestSupport.h"

#include "core/pipeline/ProjectSession.h"
#include "core/server/ProtocolServer.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace baton;
using namespace baton::server;
using namespace baton::test;

namespace {
const QByteArray kToken = QByteArrayLiteral("0123456789abcdef0123456789abcdef");
}

class TestProtocolServer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ProtocolServer> m_server;
    std::map<QString, std::shared_ptr<ProjectSession>> m_sessions;
    QNetworkAccessManager m_nam;
    std::shared_ptr<StageHandler> m_handlerOverride;

    QString workspace() const { return m_dir.filePath(QStringLiteral("ws")); }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path));
    }
    QUrl wsUrl(const QString &pid, const QString &query = {}) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/projects/%2%3").arg(m_server->port()).arg(pid, query));
    }
    ProjectSession *session(const QString &pid)
    {
        auto it = m_sessions.find(pid);
        return it == m_sessions.end() ? nullptr : it->second.get();
    }
    ServerOptions options() const
    {
        ServerOptions o;
        o.workspaceRoot = workspace();
        o.accessToken = QString::fromLatin1(kToken);
        return o;
    }
    // Sessions the test owns, with quick handlers: every stage proposes and waits, except
    // PREPROCESS, which runs until cancelled (for restart/cancel).
    void startServer(ServerOptions o)
    {
        m_server = std::make_unique<ProtocolServer>();
        m_server->setSessionSource([this](const QString &pid) -> Result<std::shared_ptr<ProjectSession>> {
            auto opened = ProjectSession::open(Workspace(workspace()), pid);
            if (!opened)
                return opened.error();
            std::shared_ptr<ProjectSession> s = std::move(opened).value();
            installEverywhere(s->conductor(), waitingHandler());
            s->conductor().setHandler(StageId::Preprocess, loopingHandler());
            m_sessions[pid] = s;
            return s;
        });
        QVERIFY(m_server->start(QStringLiteral("127.0.0.1"), 0, o).ok());
        QVERIFY(m_server->isListening());
    }
    void openProbe(WsProbe &probe, const QString &pid, const QString &query = {})
    {
        QVERIFY(probe.open(wsUrl(pid, query)));
        QVERIFY(probe.waitFor([&] { return !probe.named("STAGE_STATUS").empty(); }));
    }
    // Drives a project to PREPROCESS (running until cancelled) over REST.
    void driveToPreprocess(const QString &pid, WsProbe &probe)
    {
        QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/parse").arg(pid)), R"({"prompt":"predict y"})").status, 200);
        for (const char *stage : {"PARSE_INTENT", "DATA_SOURCE", "PROFILE_DATA"}) {
            const QString waiting = QStringLiteral("%1:WAITING_CONFIRMATION").arg(QLatin1String(stage));
            QVERIFY2(probe.waitFor([&] { return probe.stageStatuses().contains(waiting); }), stage);
            const json snapshot = http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/confirm").arg(pid))).toJson();
            QVERIFY2(!snapshot.contains("error"), snapshot.dump().c_str());
        }
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("PREPROCESS:IN_PROGRESS")); }));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }
    void init() { startServer(options()); }
    void cleanup()
    {
        m_server.reset();
        m_sessions.clear();
    }

    void helloThenStageStatusWithEnvelopeFields()
    {
        WsProbe probe;
        openProbe(probe, QStringLiteral("p-hello"));
        QVERIFY(probe.frames.size() >= 2);
        const json &hello = probe.frames[0];
        QCOMPARE_JSON(hello.value("type", ""), std::string("HELLO"));
        QCOMPARE(hello.value("v", 0), 1);
        QCOMPARE_JSON(hello.value("project_id", ""), std::string("p-hello"));
        QVERIFY(hello["seq"].is_number_integer());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(std::llabs(hello["ts"].get<qint64>() - now) < 60000);
        QCOMPARE_JSON(hello["stage"], json({{"id", "PARSE_INTENT"}, {"index", 0}, {"status", "PENDING"}}));
        QCOMPARE_JSON(hello["event"]["name"], json("HELLO"));
        QCOMPARE_JSON(hello["event"]["payload"]["project_id"], json("p-hello"));
        QVERIFY(hello["event"]["payload"]["server_time"].get<std::string>().ends_with("+00:00"));

        const json &status = probe.frames[1];
        QCOMPARE_JSON(status.value("type", ""), std::string("EVENT"));
        QCOMPARE_JSON(status["event"]["name"], json("STAGE_STATUS"));
        QCOMPARE_JSON(status["event"]["payload"]["stage_id"], json("PARSE_INTENT"));
        QCOMPARE_JSON(status["event"]["payload"]["status"], json("IN_PROGRESS"));
        QVERIFY(status["event"]["payload"]["message"].is_string());
        QCOMPARE_JSON(status["stage"]["index"], json(0));
        QVERIFY(status["seq"].get<qint64>() > hello["seq"].get<qint64>());
    }

    void seqIsIncreasingAndUniqueAcrossSockets()
    {
        WsProbe a;
        WsProbe b;
        openProbe(a, QStringLiteral("p-seq"));
        openProbe(b, QStringLiteral("p-seq"));
        QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/projects/p-seq/parse")), R"({"prompt":"predict y"})").status, 200);
        QVERIFY(a.waitFor([&] { return a.stageStatuses().contains(QStringLiteral("PARSE_INTENT:WAITING_CONFIRMATION")); }));
        QVERIFY(b.waitFor([&] { return b.stageStatuses().contains(QStringLiteral("PARSE_INTENT:WAITING_CONFIRMATION")); }));
        // the WAITING_CONFIRMATION event follows its STAGE_STATUS; it may still be on the wire
        QVERIFY(a.waitFor([&] { return !a.named("WAITING_CONFIRMATION").empty(); }));

        QCOMPARE(a.ofType("HELLO").size(), 1u); // b's greeting went to b only
        std::map<qint64, std::string> bySeq;
        for (WsProbe *probe : {&a, &b}) {
            qint64 last = 0;
            for (const json &frame : probe->ofType("EVENT")) {
                const qint64 seq = frame["seq"].get<qint64>();
                QVERIFY2(seq > last, "seq must increase on each socket");
                last = seq;
                const auto [it, inserted] = bySeq.emplace(seq, frame.dump());
                QVERIFY2(inserted || it->second == frame.dump(), "one seq, one envelope");
            }
        }
        QCOMPARE(a.named("WAITING_CONFIRMATION").size(), 1u);
    }

    void sinceReplaysTheLogThenContinuesLive()
    {
        const QString pid = QStringLiteral("p-replay");
        qint64 seenUpTo = 0;
        {
            WsProbe first;
            openProbe(first, pid);
            QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/parse").arg(pid)), R"({"prompt":"predict y"})").status, 200);
            QVERIFY(first.waitFor([&] { return !first.named("WAITING_CONFIRMATION").empty(); }));
            seenUpTo = first.named("WAITING_CONFIRMATION").front()["seq"].get<qint64>();
        }
        // Missed while disconnected:
        for (int i = 0; i < 3; ++i)
            QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/test/emit/%1?message=missed%2").arg(pid).arg(i))).status, 200);

        WsProbe again;
        QVERIFY(again.open(wsUrl(pid, QStringLiteral("?since=%1").arg(seenUpTo))));
        QVERIFY(again.waitFor([&] { return again.named("LOG_LINE").size() >= 3 && !again.named("STAGE_STATUS").empty(); }));
        QCOMPARE_JSON(again.frames.front().value("type", ""), std::string("HELLO"));
        const qint64 helloSeq = again.frames.front()["seq"].get<qint64>();

        // Exactly the stored events after `since` (other sockets' HELLOs excluded), in order.
        session(pid)->conductor().flushEvents();
        auto stored = session(pid)->store().events(seenUpTo + 1);
        QVERIFY(stored.ok());
        std::vector<qint64> expected;
        for (const Event &e : stored.value()) {
            if (e.type == QLatin1String("EVENT") && e.seq < helloSeq)
                expected.push_back(e.seq);
        }
        std::vector<qint64> replayed;
        for (size_t i = 1; i < again.frames.size() && again.frames[i]["seq"].get<qint64>() < helloSeq; ++i)
            replayed.push_back(again.frames[i]["seq"].get<qint64>());
        QCOMPARE(replayed, expected);
        QVERIFY(!expected.empty());
        QCOMPARE_JSON(again.named("LOG_LINE").front()["event"]["payload"]["text"], json("missed0"));

        // Then live: a new event arrives once, after the current STAGE_STATUS.
        QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/test/emit/%1?message=live").arg(pid))).status, 200);
        QVERIFY(again.waitFor([&] { return again.named("LOG_LINE").back()["event"]["payload"]["text"] == "live"; }));
        qint64 last = helloSeq;
        for (size_t i = 1 + replayed.size(); i < again.frames.size(); ++i) {
            QVERIFY(again.frames[i]["seq"].get<qint64>() > last);
            last = again.frames[i]["seq"].get<qint64>();
        }
    }

    void confirmOverWebSocketAndRestRunsTheNextStage()
    {
        const QString pid = QStringLiteral("p-confirm");
        WsProbe probe;
        openProbe(probe, pid);
        QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/parse").arg(pid)), R"({"prompt":"predict y"})").status, 200);
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("PARSE_INTENT:WAITING_CONFIRMATION")); }));

        probe.send({{"type", "confirm"}});
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("DATA_SOURCE:WAITING_CONFIRMATION")); }));
        const QStringList order = probe.stageStatuses();
        QVERIFY(order.indexOf(QStringLiteral("PARSE_INTENT:COMPLETED")) < order.indexOf(QStringLiteral("DATA_SOURCE:IN_PROGRESS")));

        const HttpResult rest = http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/confirm").arg(pid)));
        QCOMPARE(rest.status, 200);
        QCOMPARE_JSON(rest.toJson()["stages"].size(), 8u);
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("PROFILE_DATA:WAITING_CONFIRMATION")); }));

        // With decisions, validated: a wrong type is refused, a right one reaches the context.
        QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/confirm").arg(pid)), R"({"time_budget_s":"3"})").status, 422);
        QCOMPARE(http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/confirm").arg(pid)), R"({"time_budget_s":3})").status, 200);
        QCOMPARE(session(pid)->conductor().context().value("time_budget_s", 0), 3);

        // PREPROCESS runs until cancelled: confirming now is rejected, visibly, on both paths.
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("PREPROCESS:IN_PROGRESS")); }));
        const json rejected = http(m_nam, "POST", url(QStringLiteral("/api/projects/%1/confirm").arg(pid))).toJson();
        QVERIFY(rejected.contains("error"));
        QCOMPARE_JSON(rejected["current_stage"]["id"], json("PREPROCESS"));
        probe.send({{"type", "confirm"}});
        QVERIFY(probe.waitFor([&] { return !probe.ofType("error").empty(); }));
        QVERIFY(probe.ofType("error").front()["message"].get<std::string>().find("Confirm rejected") != std::string::npos);
        session(pid)->conductor().cancel();
    }

    void chatIsAnsweredWithLogLines()
    {
        WsProbe probe;
        openProbe(probe, QStringLiteral("p-chat"));
        probe.send({{"type", "chat"}, {"text", "  what can you do?  "}});
        QVERIFY(probe.waitFor([&] {
            for (const json &f : probe.named("LOG_LINE")) {
                if (f["event"]["payload"].value("run_id", "") == "chat")
                    return true;
            }
            return false;
        }, 30000));
        const json reply = probe.named("LOG_LINE").front()["event"]["payload"];
        QVERIFY(!reply.value("text", "").empty());
        probe.send({{"type", "chat"}, {"text", "   "}}); // empty after trimming: ignored, no error
        probe.send({{"type", "ping"}});
        QVERIFY(probe.waitFor([&] { return !probe.ofType("pong").empty(); }));
        QVERIFY(probe.ofType("error").empty());
    }

    void cancelAndRestartReallyAct()
    {
        const QString pid = QStringLiteral("p-cancel");
        WsProbe probe;
        openProbe(probe, pid);
        driveToPreprocess(pid, probe);
        QVERIFY(session(pid)->conductor().isBusy());

        probe.send({{"type", "command"}, {"command", "cancel_run"}});
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("PREPROCESS:FAILED")); }));
        QVERIFY(!session(pid)->conductor().isBusy());
        probe.send({{"type", "command"}, {"command", "cancel_run"}}); // nothing runs now
        QVERIFY(probe.waitFor([&] { return !probe.ofType("error").empty(); }));

        const qsizetype before = probe.stageStatuses().size();
        probe.send({{"type", "command"}, {"command", "restart_stage"}, {"args", {{"stage_id", "PROFILE_DATA"}}}});
        QVERIFY(probe.waitFor([&] {
            const QStringList after = probe.stageStatuses().mid(before);
            return after.contains(QStringLiteral("PREPROCESS:PENDING")) && after.contains(QStringLiteral("PROFILE_DATA:WAITING_CONFIRMATION"));
        }));
        QCOMPARE(session(pid)->conductor().state().current, StageId::ProfileData);

        probe.send({{"type", "command"}, {"command", "restart_stage"}, {"args", {{"stage_id", "NOPE"}}}});
        QVERIFY(probe.waitFor([&] { return probe.ofType("error").size() >= 2; }));
    }

    void stageStatusEndpointsActOrRefuse()
    {
        const QString pid = QStringLiteral("p-stage");
        WsProbe probe;
        openProbe(probe, pid);
        // REST stages/{id}/status really changes the Conductor's state.
        const HttpResult set = http(m_nam, "POST",
                                    url(QStringLiteral("/api/projects/%1/stages/DATA_SOURCE/status?status=SKIPPED").arg(pid)));
        QCOMPARE(set.status, 200);
        QCOMPARE(session(pid)->conductor().state().at(StageId::DataSource).status, StageStatus::Skipped);
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("DATA_SOURCE:SKIPPED")); }));

        // The test aid only announces: the state stays as it was.
        const HttpResult announced = http(
            m_nam, "POST", url(QStringLiteral("/api/test/stage-update/%1?stage_id=TRAIN&status=IN_PROGRESS").arg(pid)));
        QCOMPARE(announced.status, 200);
        QCOMPARE_JSON(announced.toJson()["stage_status"], json("IN_PROGRESS"));
        QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("TRAIN:IN_PROGRESS")); }));
        QCOMPARE(session(pid)->conductor().state().at(StageId::Train).status, StageStatus::Pending);

        // A bad stage id or status is refused before the project is touched.
        for (const QString &path : {QStringLiteral("/api/projects/%1/stages/EVALUATE/status?status=COMPLETED"),
                                    QStringLiteral("/api/projects/%1/stages/TRAIN/status?status=done"),
                                    QStringLiteral("/api/test/stage-update/%1?stage_id=TRAIN")}) {
            QCOMPARE(http(m_nam, "POST", url(path.arg(QStringLiteral("p-never-opened")))).status, 400);
        }
        QVERIFY(!session(QStringLiteral("p-never-opened")));
    }

    void fiftyClientsReceiveEveryEventInOrder()
    {
        const QString pid = QStringLiteral("p-fifty");
        std::vector<std::unique_ptr<WsProbe>> probes;
        for (int i = 0; i < 50; ++i) {
            probes.push_back(std::make_unique<WsProbe>());
            QVERIFY(probes.back()->open(wsUrl(pid)));
        }
        for (auto &p : probes)
            QVERIFY(p->waitFor([&] { return !p->ofType("HELLO").empty(); }));
        Conductor &conductor = session(pid)->conductor();
        const int count = 300;
        for (int i = 0; i < count; ++i) {
            conductor.publish(StageId::Train, StageStatus::InProgress, events::MetricScalar,
                              {{"run_id", "r"}, {"name", "loss"}, {"split", "train"}, {"step", i}, {"value", 1.0 / (i + 1)}});
        }
        for (auto &p : probes) {
            QVERIFY(p->waitFor([&] { return p->named("METRIC_SCALAR").size() == size_t(count); }, 60000));
        }
        const auto reference = probes.front()->named("METRIC_SCALAR");
        for (auto &p : probes) {
            const auto got = p->named("METRIC_SCALAR");
            for (int i = 0; i < count; ++i) {
                QCOMPARE_JSON(got[i]["event"]["payload"]["step"].get<int>(), i);
                QCOMPARE_JSON(got[i]["seq"], reference[i]["seq"]);
            }
        }
        QCOMPARE_JSON(http(m_nam, "GET", url(QStringLiteral("/api/test/connections/%1").arg(pid))).toJson()["connections"], json(50));
    }

    void corsPreflightForAllowedOrigins()
    {
        const HttpResult preflight = http(m_nam, "OPTIONS", url(QStringLiteral("/api/projects/p-cors/parse")), {},
                                          {{"Origin", "http://localhost:5173"},
                                           {"Access-Control-Request-Method", "POST"},
                                           {"Access-Control-Request-Headers", "content-type"}});
        QCOMPARE(preflight.status, 200);
        QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:5173"));
        QCOMPARE(preflight.header("Access-Control-Allow-Credentials"), QByteArray("true"));
        QVERIFY(preflight.header("Access-Control-Allow-Methods").contains("POST"));
        QCOMPARE(preflight.header("Access-Control-Allow-Headers"), QByteArray("content-type"));

        const HttpResult state = http(m_nam, "GET", url(QStringLiteral("/api/projects/p-cors/state")), {}, {{"Origin", "http://localhost:5173"}});
        QCOMPARE(state.status, 200);
        QCOMPARE(state.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:5173"));
        QCOMPARE_JSON(state.toJson()["current_stage"]["id"], json("PARSE_INTENT"));
        // Errors carry CORS too, so the browser can read `detail`.
        const HttpResult missing = http(m_nam, "POST", url(QStringLiteral("/api/projects/p-cors/dataset/download")), {}, {{"Origin", "http://localhost:5173"}});
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:5173"));
        QCOMPARE_JSON(missing.toJson()["detail"], json("No dataset selected - select a dataset first"));
    }

    void foreignOriginIsRefused()
    {
        const HttpResult preflight = http(m_nam, "OPTIONS", url(QStringLiteral("/api/projects/p-evil/parse")), {},
                                          {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(preflight.status, 403);
        QVERIFY(preflight.header("Access-Control-Allow-Origin").isEmpty());
        const HttpResult post = http(m_nam, "POST", url(QStringLiteral("/api/projects/p-evil/parse")), R"({"prompt":"x"})",
                                     {{"Origin", "http://evil.example"}});
        QCOMPARE(post.status, 403);
        QVERIFY(!session(QStringLiteral("p-evil"))); // never even opened

        WsProbe hijack;
        QVERIFY(!hijack.open(wsUrl(QStringLiteral("p-evil")), "http://evil.example", 3000));
        QVERIFY(hijack.frames.empty());
        WsProbe local;
        QVERIFY(local.open(wsUrl(QStringLiteral("p-evil")), "http://localhost:5173"));
    }

    void tokenRequiredBeyondLoopback()
    {
        // A non-loopback address cannot start without a token...
        ProtocolServer open;
        ServerOptions noToken = options();
        noToken.accessToken.clear();
        const Status refused = open.start(QStringLiteral("0.0.0.0"), 0, noToken);
        QVERIFY(!refused.ok());
        QVERIFY(!open.isListening());
        QVERIFY(open.start(QStringLiteral("0.0.0.0"), 0, options()).ok());
        QVERIFY(open.requiresToken());
        open.stop();

        // ...and then every request needs it (forced here on loopback to stay on loopback).
        ServerOptions guarded = options();
        guarded.requireToken = true;
        startServer(guarded);
        QCOMPARE(http(m_nam, "GET", url(QStringLiteral("/health"))).status, 401);
        QCOMPARE(http(m_nam, "GET", url(QStringLiteral("/health")), {}, {{"Authorization", "Bearer wrong"}}).status, 401);
        QCOMPARE(http(m_nam, "GET", url(QStringLiteral("/health")), {}, {{"Authorization", "Bearer " + kToken}}).status, 200);
        WsProbe anonymous;
        QVERIFY(!anonymous.open(wsUrl(QStringLiteral("p-token")), {}, 3000));
        WsProbe withToken;
        QVERIFY(withToken.open(wsUrl(QStringLiteral("p-token"), QStringLiteral("?token=") + QString::fromLatin1(kToken))));
        QVERIFY(withToken.waitFor([&] { return !withToken.ofType("HELLO").empty(); }));
    }

    void uploadSizeLimitRefusesBeforeReadingTheBody()
    {
        ServerOptions small = options();
        small.maxUploadBytes = 64 * 1024;
        startServer(small);
        const QByteArray head = "POST /api/projects/p-limit/upload HTTP/1.1\r\nHost: x\r\n"
                                "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n\r\n";
        const QByteArray answer = rawExchange(m_server->port(), head); // no body sent at all
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
        QVERIFY(answer.contains("\"detail\""));

        // Chunked: refused once the streamed size passes the limit.
        QByteArray chunked = "POST /api/projects/p-limit/upload HTTP/1.1\r\nHost: x\r\n"
                             "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n";
        const QByteArray block(32 * 1024, 'a');
        for (int i = 0; i < 4; ++i)
            chunked += QByteArray::number(block.size(), 16) + "\r\n" + block + "\r\n";
        chunked += "0\r\n\r\n";
        QVERIFY(rawExchange(m_server->port(), chunked).startsWith("HTTP/1.1 413"));

        // JSON endpoints keep to 1 MB.
        const QByteArray bigJson = "POST /api/projects/p-limit/parse HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n";
        QVERIFY(rawExchange(m_server->port(), bigJson).startsWith("HTTP/1.1 413"));

        // Within the limit: stored under a sanitised name, announced, answered.
        WsProbe probe;
        openProbe(probe, QStringLiteral("p-limit"));
        const HttpResult ok = uploadFile(m_nam, url(QStringLiteral("/api/projects/p-limit/upload")),
                                         QStringLiteral("../../evil name.csv"), "a,b\n1,2\n3,4\n");
        QCOMPARE(ok.status, 200);
        QCOMPARE_JSON(ok.toJson()["columns"], json({"a", "b"}));
        QCOMPARE_JSON(ok.toJson()["rows"], json(2));
        QVERIFY(QFile::exists(session(QStringLiteral("p-limit"))->store().assetsDir() + QStringLiteral("/data/uploads/evil name.csv")));
        QVERIFY(probe.waitFor([&] { return !probe.named("DATASET_SAMPLE_READY").empty(); }));
        const HttpResult notCsv = uploadFile(m_nam, url(QStringLiteral("/api/projects/p-limit/upload")), QStringLiteral("x.csv"), "");
        QCOMPARE(notCsv.status, 400);
    }

    void traversalAttemptsAreRefused()
    {
        QVERIFY(http(m_nam, "GET", url(QStringLiteral("/api/projects/p-assets/state"))).status == 200);
        QFile secret(m_dir.filePath(QStringLiteral("secret.txt")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("secret");
        secret.close();
        const QString assets = session(QStringLiteral("p-assets"))->store().assetsDir();
        QVERIFY(QDir().mkpath(assets));
        QVERIFY(QFile::link(secret.fileName(), assets + QStringLiteral("/link.txt")));
        QFile fine(assets + QStringLiteral("/fine.csv"));
        QVERIFY(fine.open(QIODevice::WriteOnly));
        fine.write("a\n1\n");
        fine.close();

        for (const QByteArray &path : {QByteArray("/api/assets/../secret.txt"), QByteArray("/api/assets/%2e%2e/secret.txt"),
                                       QByteArray("/api/assets/projects/%2E%2E/%2e%2e/secret.txt"),
                                       QByteArray("/api/assets/%2F" + QDir::root().absolutePath().toLatin1() + "etc/passwd"),
                                       QByteArray("/api/assets/projects/p-assets/assets/link.txt")}) {
            const QByteArray answer = rawExchange(m_server->port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            QVERIFY2(answer.startsWith("HTTP/1.1 400"), (path + " -> " + answer.left(40)).constData());
            QVERIFY(!answer.contains("secret\r") && !answer.endsWith("secret"));
        }
        const HttpResult served = http(m_nam, "GET", url(QStringLiteral("/api/assets/projects/p-assets/assets/fine.csv")));
        QCOMPARE(served.status, 200);
        QCOMPARE(served.body, QByteArray("a\n1\n"));
        QVERIFY(served.header("Content-Type").startsWith("text/csv"));
        QCOMPARE(http(m_nam, "GET", url(QStringLiteral("/api/assets/projects/p-assets/project.sqlite"))).status, 404);
        const json listed = http(m_nam, "GET", url(QStringLiteral("/api/assets/"))).toJson();
        QVERIFY(listed["assets"].size() >= 1u);
        for (const json &a : listed["assets"])
            QVERIFY(a.get<std::string>().find("sqlite") == std::string::npos);
    }

    void malformedInputGetsAnErrorAndTheConnectionStays()
    {
        WsProbe probe;
        openProbe(probe, QStringLiteral("p-bad"));
        probe.socket.sendTextMessage(QStringLiteral("{not json"));
        QVERIFY(probe.waitFor([&] { return probe.ofType("error").size() == 1; }));
        probe.socket.sendBinaryMessage(QByteArray("\x00\x01", 2));
        QVERIFY(probe.waitFor([&] { return probe.ofType("error").size() == 2; }));
        probe.send(json::array({1, 2}));
        QVERIFY(probe.waitFor([&] { return probe.ofType("error").size() == 3; }));
        probe.send({{"type", "chat"}, {"text", 42}});
        QVERIFY(probe.waitFor([&] { return probe.ofType("error").size() == 4; }));
        QCOMPARE(probe.socket.state(), QAbstractSocket::ConnectedState);
        probe.send({{"type", "ping"}, {"ts", 1234}});
        QVERIFY(probe.waitFor([&] { return !probe.ofType("pong").empty(); }));
        QCOMPARE_JSON(probe.ofType("pong").front()["ts"], json(1234));

        // REST: strict JSON in, FastAPI-shaped 422 out.
        const HttpResult bad = http(m_nam, "POST", url(QStringLiteral("/api/projects/p-bad/parse")), "{bad");
        QCOMPARE(bad.status, 422);
        QVERIFY(bad.toJson()["detail"].is_array());
        const HttpResult missing = http(m_nam, "POST", url(QStringLiteral("/api/projects/p-bad/parse")), R"({"text":"x"})");
        QCOMPARE(missing.status, 422);
        QCOMPARE_JSON(missing.toJson()["detail"][0]["loc"], json({"body", "prompt"}));
        QCOMPARE_JSON(http(m_nam, "GET", url(QStringLiteral("/api/nothing"))).toJson()["detail"], json("Not Found"));
        QCOMPARE(http(m_nam, "GET", url(QStringLiteral("/api/projects/bad%20id/state"))).status, 400);
        QVERIFY(rawExchange(m_server->port(), "NONSENSE\r\n\r\n").startsWith("HTTP/1.1 400"));
    }

    void pongGoesToTheSenderOnly()
    {
        WsProbe a;
        WsProbe b;
        openProbe(a, QStringLiteral("p-ping"));
        openProbe(b, QStringLiteral("p-ping"));
        a.send({{"type", "ping"}, {"ts", 99}});
        QVERIFY(a.waitFor([&] { return !a.ofType("pong").empty(); }));
        const json pong = a.ofType("pong").front();
        QCOMPARE_JSON(pong["project_id"], json("p-ping"));
        QVERIFY(std::llabs(pong["server_ts"].get<qint64>() - QDateTime::currentMSecsSinceEpoch()) < 60000);
        QTest::qWait(200);
        QVERIFY(b.ofType("pong").empty());
    }

    void keepAliveServesSeveralRequestsOnOneConnection()
    {
        const QByteArray two = "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        const QByteArray answer = rawExchange(m_server->port(), two);
        QCOMPARE(answer.count("HTTP/1.1 200"), 2);
        QVERIFY(answer.contains("Connection: keep-alive"));
    }
};

QTEST_GUILESS_MAIN(TestProtocolServer)
#include "tst_protocolserver.moc"
