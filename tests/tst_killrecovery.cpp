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
};

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
    return QTest::qExec(&test, argc, argv);
}

#include "tst_killrecovery.moc"
