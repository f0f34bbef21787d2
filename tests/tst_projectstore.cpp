#include "TestSupport.h"

#include "core/pipeline/ProjectSession.h"
#include "core/project/ProjectStore.h"
#include "core/project/Workspace.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;
using namespace baton::test;

class TestProjectStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void createsFolderDatabaseAndWal();
    void eventsAreStoredBeforeDelivery();
    void reopeningRestoresStateExactly();
    void replayFromAnySeq();
    void artifactsIndexFollowsArtifactEvents();
    void manyEventsFromThreadsAreAllStored();
    void textRoundTripsThroughTheLog();
    void failedWriteIsReportedAndNotDelivered();
    void walIsCheckpointedOffTheWriter();
    void interruptedStageIsMarkedFailed();
    void corruptStateIsAClearError();
    void notADatabaseIsAClearError();
    void workspaceListsAndNamesProjects();
    void invalidProjectIdsAreRejected_data();
    void invalidProjectIdsAreRejected();

private:
    static QString journalMode(const QString &path);
};

QString TestProjectStore::journalMode(const QString &path)
{
    QString mode;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            q.exec(QStringLiteral("PRAGMA journal_mode"));
            if (q.next())
                mode = q.value(0).toString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    return mode;
}

void TestProjectStore::createsFolderDatabaseAndWal()
{
    QTemporaryDir dir;
    const QString projectDir = dir.filePath(QStringLiteral("projects/p1"));
    auto store = ProjectStore::open(projectDir, QStringLiteral("p1"));
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
    QVERIFY(QFileInfo(projectDir + QStringLiteral("/project.sqlite")).isFile());
    QVERIFY(QFileInfo(projectDir + QStringLiteral("/assets")).isDir());
    QCOMPARE(store.value()->lastSeq(), qint64(0));
    QVERIFY(!store.value()->loadedState().has_value());
    QCOMPARE(journalMode(store.value()->databasePath()), QStringLiteral("wal"));
}

void TestProjectStore::eventsAreStoredBeforeDelivery()
{
    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    Conductor c(store.get());
    bool checked = false;
    connect(&c, &Conductor::eventPublished, this, [&](const Event &event) {
        // by the time an event is delivered, it can be read back from the database
        const auto stored = store->events(event.seq, 1);
        QVERIFY(stored.ok());
        QCOMPARE(stored->size(), size_t(1));
        QCOMPARE(stored->front().toWire(), event.toWire());
        checked = true;
    });
    c.publish(StageId::Train, StageStatus::InProgress, events::LogLine, {{"text", "hello"}});
    QTRY_VERIFY(checked);
}

void TestProjectStore::reopeningRestoresStateExactly()
{
    QTemporaryDir dir;
    std::string before;
    qint64 lastSeq = 0;
    {
        auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
        Conductor c(store.get());
        installEverywhere(c, waitingHandler());
        c.startPipeline(QStringLiteral("predict house prices"), {{"data_path", "/tmp/x.csv"}});
        QTRY_COMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::WaitingConfirmation);
        QVERIFY(c.confirm({{"target", "Sale_Price"}}).accepted);
        QTRY_COMPARE(c.state().at(StageId::DataSource).status, StageStatus::WaitingConfirmation);
        c.flushEvents();
        before = toStrictJson(c.state().toJson());
        lastSeq = store->events().value().back().seq;
    }
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    QCOMPARE(store->lastSeq(), lastSeq);
    Conductor reopened(store.get());
    QCOMPARE(toStrictJson(reopened.state().toJson()), before);
    QCOMPARE(stringField(reopened.context(), "target"), QStringLiteral("Sale_Price"));
    QVERIFY(reopened.state().waiting.has_value());
    // the reopened project continues where it was
    installEverywhere(reopened, waitingHandler());
    EventRecorder rec(&reopened);
    QVERIFY(reopened.confirm().accepted);
    QTRY_COMPARE(reopened.state().at(StageId::ProfileData).status, StageStatus::WaitingConfirmation);
    QTRY_VERIFY(!rec.events.empty());
    QCOMPARE(rec.events.front().seq, lastSeq + 1); // seq continues without a gap
}

void TestProjectStore::replayFromAnySeq()
{
    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    Conductor c(store.get());
    EventRecorder rec(&c);
    for (int i = 0; i < 50; ++i)
        c.publish(StageId::Train, StageStatus::InProgress, events::MetricScalar, {{"step", i}, {"value", 0.1 * i}});
    c.flushEvents();
    QCOMPARE(rec.events.size(), size_t(50));

    for (qint64 from : {1, 17, 50}) {
        const auto replay = store->events(from);
        QVERIFY(replay.ok());
        QCOMPARE(replay->size(), size_t(50 - from + 1));
        for (size_t i = 0; i < replay->size(); ++i)
            QCOMPARE((*replay)[i].toWire(), rec.events[size_t(from - 1) + i].toWire());
    }
    QCOMPARE(store->events(51)->size(), size_t(0));
    QCOMPARE(store->events(10, 5)->size(), size_t(5));
}

void TestProjectStore::artifactsIndexFollowsArtifactEvents()
{
    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    Conductor c(store.get());
    c.publish(StageId::Train, StageStatus::InProgress, events::ArtifactAdded,
              {{"artifact",
                {{"id", "run_1_confusion"},
                 {"type", "confusion_matrix"},
                 {"name", "Confusion Matrix"},
                 {"url", "/api/assets/projects/p/assets/run_1_confusion.json"},
                 {"meta", {{"accuracy", 0.9}}}}}});
    c.flushEvents();
    const auto artifacts = store->artifacts();
    QVERIFY(artifacts.ok());
    QCOMPARE(artifacts->size(), size_t(1));
    QCOMPARE(artifacts->front().type, QStringLiteral("confusion_matrix"));
    QCOMPARE(artifacts->front().meta["accuracy"].get<double>(), 0.9);
}

void TestProjectStore::manyEventsFromThreadsAreAllStored()
{
    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    Conductor c(store.get());
    EventRecorder rec(&c);
    constexpr int kThreads = 3;
    constexpr int kPerThread = 5000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&c, t] {
            for (int i = 0; i < kPerThread; ++i)
                c.publish(StageId::Train, StageStatus::InProgress, events::MetricScalar, {{"t", t}, {"i", i}});
        });
    }
    for (auto &thread : threads)
        thread.join();
    c.flushEvents();
    QCOMPARE(rec.events.size(), size_t(kThreads * kPerThread));
    const auto stored = store->events();
    QCOMPARE(stored->size(), size_t(kThreads * kPerThread));
    for (size_t i = 0; i < stored->size(); ++i) {
        QCOMPARE((*stored)[i].seq, qint64(i + 1));
        QCOMPARE(rec.events[i].seq, qint64(i + 1));
    }
    QVERIFY(!store->writeError().has_value());
}

void TestProjectStore::textRoundTripsThroughTheLog()
{
    // The writer binds names as UTF-16 and payloads as UTF-8 through SQLite's own API.
    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    Event event;
    event.type = QString::fromUtf8("EVENT_\xc3\xa9");
    event.projectId = QStringLiteral("p");
    event.seq = 1;
    event.name = QString::fromUtf8("LOG_LINE \xe2\x82\xac \"quoted\"");
    event.payload = {{"text", "caf\xc3\xa9 \xf0\x9f\x98\x80 \\ \n"}, {"empty", ""}};
    store->append(event);
    store->flush();
    const auto stored = store->events();
    QVERIFY(stored.ok());
    QCOMPARE(stored->size(), size_t(1));
    QCOMPARE(stored->front().type, event.type);
    QCOMPARE(stored->front().name, event.name);
    QCOMPARE(QString::fromStdString(stored->front().toWire()), QString::fromStdString(event.toWire()));
}

void TestProjectStore::failedWriteIsReportedAndNotDelivered()
{
    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    std::vector<qint64> delivered;
    store->setDeliveryCallback([&](std::vector<Event> batch) {
        for (const Event &e : batch)
            delivered.push_back(e.seq);
    });
    Event event;
    event.name = QStringLiteral("LOG_LINE");
    event.seq = 7;
    store->append(event);
    store->flush();
    QVERIFY(!store->writeError().has_value());
    store->append(event); // the same seq again: the log refuses it
    store->flush();
    const auto error = store->writeError();
    QVERIFY(error.has_value());
    QVERIFY2(error->message.contains(QStringLiteral("Cannot store event 7")), qPrintable(error->message));
    QVERIFY2(error->message.contains(QStringLiteral("UNIQUE")), qPrintable(error->message));
    QCOMPARE(delivered, std::vector<qint64>{7}); // the refused batch is not delivered
    QCOMPARE(store->events()->size(), size_t(1));
}

void TestProjectStore::walIsCheckpointedOffTheWriter()
{
    // Many small commits (one event each) grow the WAL by a page or more per commit; the
    // background checkpointer must copy it into the database while the store stays open, as
    // SQLite's own checkpoint-on-commit did, or the WAL would grow without bound.
    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    const QString db = store->databasePath();
    const qint64 before = QFileInfo(db).size();
    const std::string text(600, 'x');
    for (int i = 1; i <= 2500; ++i) {
        Event event;
        event.name = QStringLiteral("LOG_LINE");
        event.seq = i;
        event.payload = {{"text", text}};
        store->append(std::move(event));
        store->flush(); // one commit per event
    }
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(db).size() > before + 1000 * 1024, 10000);
    QVERIFY(!store->writeError().has_value());
    QCOMPARE(store->events(2500)->size(), size_t(1));
}

void TestProjectStore::interruptedStageIsMarkedFailed()
{
    QTemporaryDir dir;
    {
        auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
        ProjectState state = ProjectState::initial(QStringLiteral("p"));
        state.current = StageId::Train;
        state.running = StageId::Train;
        state.at(StageId::Train).status = StageStatus::InProgress;
        store->saveState(state.toJson()); // what a process killed mid-stage leaves behind
        store->flush();
    }
    auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
    Conductor c(store.get());
    QCOMPARE(c.state().at(StageId::Train).status, StageStatus::Failed);
    QVERIFY(c.state().at(StageId::Train).message->startsWith(QLatin1String("Interrupted")));
    QVERIFY(!c.state().running.has_value());
    c.flushEvents();
    const auto log = store->events();
    QVERIFY(!log->empty());
    QCOMPARE(stringField(log->front().payload, "status"), QStringLiteral("FAILED"));
}

void TestProjectStore::corruptStateIsAClearError()
{
    QTemporaryDir dir;
    {
        auto store = ProjectStore::open(dir.path(), QStringLiteral("p")).value();
        store->saveState(json{{"current_stage", {{"id", "NOPE"}}}});
        store->flush();
    }
    const auto reopened = ProjectStore::open(dir.path(), QStringLiteral("p"));
    QVERIFY(!reopened.ok());
    QVERIFY2(reopened.error().message.contains(QLatin1String("state is invalid")),
             qPrintable(reopened.error().toString()));
}

void TestProjectStore::notADatabaseIsAClearError()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("project.sqlite")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    const auto store = ProjectStore::open(dir.path(), QStringLiteral("p"));
    QVERIFY(!store.ok());
    QCOMPARE(store.error().kind, ErrorKind::Io);
    QVERIFY(store.error().context.endsWith(QLatin1String("project.sqlite")));
}

void TestProjectStore::workspaceListsAndNamesProjects()
{
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    QVERIFY(workspace.listProjects().empty());
    const auto a = workspace.createProject(QStringLiteral("Predict house prices!"));
    QCOMPARE(a.value(), QStringLiteral("predict-house-prices"));
    QVERIFY(ProjectSession::open(workspace, a.value()).ok());
    const auto b = workspace.createProject(QStringLiteral("Predict house prices!"));
    QCOMPARE(b.value(), QStringLiteral("predict-house-prices-2"));
    QVERIFY(ProjectSession::open(workspace, b.value()).ok());
    QCOMPARE(workspace.listProjects().size(), size_t(2));
    QVERIFY(workspace.contains(QStringLiteral("predict-house-prices")));
    QVERIFY(!workspace.contains(QStringLiteral("../etc")));
}

void TestProjectStore::invalidProjectIdsAreRejected_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << QString();
    QTest::newRow("traversal") << QStringLiteral("../x");
    QTest::newRow("slash") << QStringLiteral("a/b");
    QTest::newRow("dot start") << QStringLiteral(".hidden");
    QTest::newRow("space") << QStringLiteral("a b");
}

void TestProjectStore::invalidProjectIdsAreRejected()
{
    QFETCH(QString, id);
    QTemporaryDir dir;
    const auto session = ProjectSession::open(Workspace(dir.path()), id);
    QVERIFY(!session.ok());
    QCOMPARE(session.error().kind, ErrorKind::Usage);
}

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_projectstore.moc"
