// Baton's side of the WebSocket broadcast benchmark (driven by ws_bench.py): serves the protocol
// on 127.0.0.1:PORT, waits for CLIENTS sockets on /ws/projects/bench, then publishes EVENTS
// METRIC_SCALAR events through the project's Conductor (with its SQLite event log, as in real
// use) from a worker thread, like a training loop, optionally paced at RATE events/s. Each
// payload carries t_us (wall clock at publish, microseconds) for the clients' latency.
//
// Usage: bench_wsbroadcast PORT CLIENTS EVENTS [RATE]

#include "core/conductor/EventNames.h"
#include "core/pipeline/ProjectSession.h"
#include "core/server/ProtocolServer.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <chrono>
#include <cstdio>
#include <thread>

using namespace baton;

namespace {
qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_wsbroadcast PORT CLIENTS EVENTS [RATE]\n");
        return 2;
    }
    const quint16 port = quint16(QByteArray(argv[1]).toUInt());
    const int clients = QByteArray(argv[2]).toInt();
    const int events = QByteArray(argv[3]).toInt();
    const double rate = argc > 4 ? QByteArray(argv[4]).toDouble() : 0.0;

    QTemporaryDir workspace;
    std::shared_ptr<ProjectSession> session;
    server::ProtocolServer server;
    server.setSessionSource([&](const QString &projectId) -> Result<std::shared_ptr<ProjectSession>> {
        auto opened = ProjectSession::open(Workspace(workspace.path()), projectId);
        if (!opened)
            return opened.error();
        session = std::move(opened).value();
        return session;
    });
    server::ServerOptions options;
    options.workspaceRoot = workspace.path();
    if (Status listening = server.start(QStringLiteral("127.0.0.1"), port, options); !listening) {
        std::fprintf(stderr, "%s\n", qPrintable(listening.error().toString()));
        return 1;
    }
    std::printf("ready\n");
    std::fflush(stdout);

    std::thread producer;
    bool started = false;
    QObject::connect(&server, &server::ProtocolServer::clientCountChanged, &app, [&](int count) {
        if (started) {
            if (count == 0)
                QCoreApplication::quit(); // every client got its events and left
            return;
        }
        if (count < clients || !session)
            return;
        started = true;
        Conductor *conductor = &session->conductor();
        // A moment for the last greetings to go out, then the burst (or the paced stream).
        QTimer::singleShot(300, &app, [&producer, conductor, events, rate] {
            producer = std::thread([conductor, events, rate] {
                const auto begin = std::chrono::steady_clock::now();
                for (int i = 0; i < events; ++i) {
                    if (rate > 0)
                        std::this_thread::sleep_until(begin + std::chrono::microseconds(qint64(i * 1e6 / rate)));
                    conductor->publish(StageId::Train, StageStatus::InProgress, events::MetricScalar,
                                       {{"run_id", "run_bench"}, {"name", "loss"}, {"split", "train"},
                                        {"step", i}, {"value", 1.0 / (i + 1)}, {"t_us", nowUs()}});
                }
            });
        });
    });
    const int code = app.exec();
    if (producer.joinable())
        producer.join();
    server.stop();
    return code;
}
