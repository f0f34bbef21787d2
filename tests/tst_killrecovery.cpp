// A process killed with SIGKILL in the middle of a stage must leave a project that reopens with
// that stage FAILED ("interrupted"), every committed event intact and the database consistent.
// The child is this same executable started with --child: it runs a stage that emits events
// continuously until it is killed.

#include "TestSupport.h"

#include "core/project/ProjectStore.h"

#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>

using namespace baton;
using namespace baton::test;

namespace {

int runChild(const QString &projectDir)
{
    auto store = ProjectStore::open(projectDir, QStringLiteral("victim"));
    if (!store)
        return 1;
    Conductor conductor(store.value().get());
    conductor.setHandler(StageId::ParseIntent, loopingHandler());
    bool announced = false;
    QObject::connect(&conductor, &Conductor::eventPublished, [&](const Event &event) {
        if (!announced && event.name == QLatin1String(events::TrainProgress)) {
            announced = true;
            std::fputs("READY\n", stdout);
            std::fflush(stdout);
        }
    });
    conductor.startPipeline(QStringLiteral("run until killed"));
    return QCoreApplication::exec();
}

QString integrityCheck(const QString &path)
{
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next())
                result = q.value(0).toString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return result;
}

} // namespace

class TestKillRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sigkillMidStageIsRecovered();
    void sigkilledBatonRunIsRecovered();
    void sigtermCancelsBatonRunCleanly();

private:
    // Starts `baton run --events` on iris and waits until training has started.
    static bool startTraining(QProcess &process, const QString &workspace);
};

bool TestKillRecovery::startTraining(QProcess &process, const QString &workspace)
{
    process.start(QStringLiteral(BATON_EXECUTABLE),
                  {QStringLiteral("run"), QStringLiteral("--data"),
                   QStringLiteral(BATON_TEST_DATA_DIR "/breast_cancer.csv"), QStringLiteral("--prompt"),
                   QStringLiteral("classify tumours"), QStringLiteral("--target"), QStringLiteral("target"),
                   QStringLiteral("--time-budget"), QStringLiteral("120"), QStringLiteral("--workspace"),
                   workspace, QStringLiteral("--out"), workspace + QStringLiteral("/out"),
                   QStringLiteral("--events")});
    if (!process.waitForStarted(10000))
        return false;
    process.setReadChannel(QProcess::StandardError);
    QByteArray buffer;
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (!process.waitForReadyRead(1000) && process.state() != QProcess::Running)
            return false;
        buffer += process.readAllStandardError();
        if (buffer.contains("\"TRAIN_RUN_STARTED\""))
            return true;
    }
    return false;
}

void TestKillRecovery::sigkilledBatonRunIsRecovered()
{
    QTemporaryDir dir;
    QProcess baton;
    QVERIFY(startTraining(baton, dir.path()));
    baton.kill(); // SIGKILL in the middle of TRAIN
    QVERIFY(baton.waitForFinished(10000));

    const QString projectDir = dir.filePath(QStringLiteral("projects/classify-tumours"));
    auto store = ProjectStore::open(projectDir, QStringLiteral("classify-tumours"));
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
    Conductor reopened(store.value().get());
    QCOMPARE(reopened.state().at(StageId::Train).status, StageStatus::Failed);
    QVERIFY(reopened.state().at(StageId::Train).message->startsWith(QLatin1String("Interrupted")));
    for (StageId done : {StageId::ParseIntent, StageId::DataSource, StageId::ProfileData,
                         StageId::Preprocess, StageId::ModelSelect})
        QCOMPARE(reopened.state().at(done).status, StageStatus::Completed);
    reopened.flushEvents();
    const auto log = store.value()->events();
    for (size_t i = 0; i < log->size(); ++i)
        QCOMPARE((*log)[i].seq, qint64(i + 1));
    QCOMPARE(integrityCheck(store.value()->databasePath()), QStringLiteral("ok"));
}

void TestKillRecovery::sigtermCancelsBatonRunCleanly()
{
    QTemporaryDir dir;
    QProcess baton;
    QVERIFY(startTraining(baton, dir.path()));
    baton.terminate(); // SIGTERM: cancel the running job, leave the project consistent
    QVERIFY(baton.waitForFinished(30000));
    QCOMPARE(baton.exitStatus(), QProcess::NormalExit);
    QCOMPARE(baton.exitCode(), 130);
    const json summary = json::parse(baton.readAllStandardOutput().toStdString(), nullptr, false);
    QVERIFY(summary.is_object());
    QCOMPARE(summary["status"].get<std::string>(), "cancelled");

    auto store = ProjectStore::open(dir.filePath(QStringLiteral("projects/classify-tumours")),
                                    QStringLiteral("classify-tumours"));
    QVERIFY(store.ok());
    Conductor reopened(store.value().get());
    QCOMPARE(reopened.state().at(StageId::Train).status, StageStatus::Failed);
    QCOMPARE(*reopened.state().at(StageId::Train).message, QStringLiteral("Cancelled by user"));
    QVERIFY(!reopened.state().running.has_value());
}

void TestKillRecovery::sigkillMidStageIsRecovered()
{
    QTemporaryDir dir;
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child"), dir.path()});
    QVERIFY(child.waitForStarted(10000));
    QVERIFY(child.waitForReadyRead(20000));
    QCOMPARE(child.readLine().trimmed(), QByteArray("READY"));
    QTest::qWait(300); // let it write a few hundred events mid-stage
    child.kill();      // SIGKILL: no chance to clean up
    QVERIFY(child.waitForFinished(10000));
    QCOMPARE(child.exitStatus(), QProcess::CrashExit);

    auto store = ProjectStore::open(dir.path(), QStringLiteral("victim"));
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
    const qint64 committed = store.value()->lastSeq();
    QVERIFY2(committed > 10, qPrintable(QString::number(committed)));

    Conductor reopened(store.value().get());
    const StageState &stage = reopened.state().at(StageId::ParseIntent);
    QCOMPARE(stage.status, StageStatus::Failed);
    QVERIFY(stage.message->startsWith(QLatin1String("Interrupted")));
    QCOMPARE(stringField(reopened.context(), "prompt"), QStringLiteral("run until killed"));
    reopened.flushEvents();

    const auto log = store.value()->events();
    QVERIFY(log.ok());
    for (size_t i = 0; i < log->size(); ++i)
        QCOMPARE((*log)[i].seq, qint64(i + 1)); // nothing committed was lost or torn
    QCOMPARE((*log)[size_t(committed)].name, QStringLiteral("STAGE_STATUS"));
    QCOMPARE(stringField((*log)[size_t(committed)].payload, "status"), QStringLiteral("FAILED"));
    QCOMPARE(integrityCheck(store.value()->databasePath()), QStringLiteral("ok"));
}

int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--child") == 0) {
        QCoreApplication app(argc, argv);
        return runChild(QString::fromLocal8Bit(argv[2]));
    }
    QCoreApplication app(argc, argv);
    TestKillRecovery test;
    qputenv("OMP_WAIT_POLICY", "PASSIVE");
    return QTest::qExec(&test, argc, argv);
}

#include "tst_killrecovery.moc"
