// Workspace: projects named, renamed and moved to the trash; SessionPool: one session per
// project, shared, and no deletion while a project is open or running.

#include "tests/TestSupport.h"

#include "core/pipeline/SessionPool.h"
#include "core/project/ProjectMeta.h"
#include "core/project/Workspace.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;
using namespace baton::test;

class TestWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void createdProjectKeepsItsDisplayName();
    void renameStoresTheNameNotTheFolder();
    void renameRefusesBadInput_data();
    void renameRefusesBadInput();
    void renameWorksWhileTheProjectIsOpen();
    void deleteMovesTheFolderToTheTrash();
    void deleteRefusesUnknownProjects();
    void trashKeepsDeletedProjectsForThirtyDays();
    void poolSharesOneSessionPerProject();
    void poolRefusesToDeleteOpenOrRunningProjects();
};

void TestWorkspace::createdProjectKeepsItsDisplayName()
{
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    auto id = workspace.createProject(QStringLiteral("  House   prices "));
    QVERIFY(id.ok());
    QCOMPARE(id.value(), QStringLiteral("house-prices"));
    QVERIFY(workspace.contains(id.value()));
    QCOMPARE(workspace.displayName(id.value()), QStringLiteral("House prices"));
    const auto projects = workspace.listProjects();
    QCOMPARE(projects.size(), size_t(1));
    QCOMPARE(projects[0].id, QStringLiteral("house-prices"));
    QCOMPARE(projects[0].name, QStringLiteral("House prices"));
    // the store opens on the database the name was written to, and keeps the name
    auto store = ProjectStore::open(workspace.projectDir(id.value()), id.value());
    QVERIFY(store.ok());
    QCOMPARE(store.value()->metaValue(QStringLiteral("display_name")).value(), QStringLiteral("House prices"));
}

void TestWorkspace::renameStoresTheNameNotTheFolder()
{
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    const QString id = workspace.createProject(QStringLiteral("Iris")).value();
    QVERIFY(workspace.renameProject(id, QStringLiteral("Iris — petals only")).ok());
    QCOMPARE(workspace.displayName(id), QStringLiteral("Iris — petals only"));
    QCOMPARE(workspace.listProjects().at(0).name, QStringLiteral("Iris — petals only"));
    QCOMPARE(workspace.listProjects().at(0).id, id);
    QVERIFY(QFileInfo::exists(workspace.projectDir(id)));
    // a second workspace object (another process) reads it from the database
    QCOMPARE(Workspace(dir.path()).displayName(id), QStringLiteral("Iris — petals only"));
}

void TestWorkspace::renameRefusesBadInput_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("code");
    QTest::newRow("empty") << "p" << "   " << "project.empty_name";
    QTest::newRow("too long") << "p" << QString(201, QLatin1Char('x')) << "project.long_name";
    QTest::newRow("unknown project") << "nope" << "Name" << "project.not_found";
    QTest::newRow("traversal") << "../p" << "Name" << "project.not_found";
}

void TestWorkspace::renameRefusesBadInput()
{
    QFETCH(QString, id);
    QFETCH(QString, name);
    QFETCH(QString, code);
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    QVERIFY(workspace.createProject(QStringLiteral("p")).ok());
    const Status renamed = workspace.renameProject(id, name);
    QVERIFY(!renamed.ok());
    QCOMPARE(renamed.error().code, code);
    QCOMPARE(workspace.displayName(QStringLiteral("p")), QStringLiteral("p"));
}

void TestWorkspace::renameWorksWhileTheProjectIsOpen()
{
    QTemporaryDir dir;
    SessionPool pool{Workspace(dir.path())};
    const QString id = pool.workspace().createProject(QStringLiteral("Open one")).value();
    auto session = pool.acquire(id);
    QVERIFY(session.ok());
    session.value()->conductor().publish(StageId::ParseIntent, StageStatus::Pending, "LOG_LINE", {{"text", "busy writer"}});
    QVERIFY(pool.workspace().renameProject(id, QStringLiteral("Renamed while open")).ok());
    session.value()->store().flush();
    QCOMPARE(pool.workspace().displayName(id), QStringLiteral("Renamed while open"));
    QVERIFY(!session.value()->store().writeError());
}

void TestWorkspace::deleteMovesTheFolderToTheTrash()
{
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    const QString id = workspace.createProject(QStringLiteral("Doomed")).value();
    QVERIFY(workspace.createProject(QStringLiteral("Kept")).ok());
    QVERIFY(workspace.deleteProject(id).ok());
    QVERIFY(!workspace.contains(id));
    QVERIFY(!QFileInfo::exists(workspace.projectDir(id)));
    QCOMPARE(workspace.listProjects().size(), size_t(1));
    const QStringList trashed = QDir(workspace.trashDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(trashed.size(), 1);
    QVERIFY(trashed[0].startsWith(id + QLatin1Char('-')));
    // recoverable: the database went along, name included
    QCOMPARE(ProjectMeta::read(QDir(workspace.trashDir()).filePath(trashed[0] + QStringLiteral("/project.sqlite")),
                               QStringLiteral("display_name"))
                 .value(),
             QStringLiteral("Doomed"));
    // the id is free again
    QCOMPARE(workspace.createProject(QStringLiteral("Doomed")).value(), id);
}

void TestWorkspace::trashKeepsDeletedProjectsForThirtyDays()
{
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    const QString id = workspace.createProject(QStringLiteral("Old")).value();
    QVERIFY(workspace.deleteProject(id).ok());
    QVERIFY(QDir().mkpath(QDir(workspace.trashDir()).filePath(QStringLiteral("notes")))); // not Baton's
    const QDateTime now = QDateTime::currentDateTimeUtc();

    QCOMPARE(workspace.emptyTrash(now).value(), 0);
    QCOMPARE(workspace.emptyTrash(now.addDays(Workspace::kTrashKeptDays)).value(), 0);
    QCOMPARE(QDir(workspace.trashDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 2);

    QCOMPARE(workspace.emptyTrash(now.addDays(Workspace::kTrashKeptDays + 1)).value(), 1);
    QCOMPARE(QDir(workspace.trashDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{QStringLiteral("notes")});
    QCOMPARE(Workspace(dir.filePath(QStringLiteral("none"))).emptyTrash().value(), 0); // no trash yet
}

void TestWorkspace::deleteRefusesUnknownProjects()
{
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    for (const QString &id : {QStringLiteral("missing"), QStringLiteral(".."), QStringLiteral("/etc")}) {
        const Status deleted = workspace.deleteProject(id);
        QVERIFY(!deleted.ok());
        QCOMPARE(deleted.error().code, QStringLiteral("project.not_found"));
    }
}

void TestWorkspace::poolSharesOneSessionPerProject()
{
    QTemporaryDir dir;
    SessionPool pool{Workspace(dir.path())};
    {
        auto first = pool.acquire(QStringLiteral("shared"));
        auto second = pool.acquire(QStringLiteral("shared"));
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(first.value().get(), second.value().get());
        QCOMPARE(pool.find(QStringLiteral("shared")).get(), first.value().get());
        QVERIFY(!pool.find(QStringLiteral("other")));
    }
    QVERIFY(!pool.find(QStringLiteral("shared"))); // the last holder let go: closed
    QVERIFY(!pool.acquire(QStringLiteral("../escape")).ok());
}

void TestWorkspace::poolRefusesToDeleteOpenOrRunningProjects()
{
    QTemporaryDir dir;
    SessionPool pool{Workspace(dir.path())};
    const QString id = pool.workspace().createProject(QStringLiteral("Busy")).value();
    auto session = pool.acquire(id).value();
    std::atomic<bool> sawCancel = false;
    installEverywhere(session->conductor(), loopingHandler(&sawCancel));
    session->conductor().startPipeline(QStringLiteral("predict y"));
    QTRY_VERIFY(session->conductor().isBusy());
    Status deleted = pool.deleteProject(id);
    QVERIFY(!deleted.ok());
    QCOMPARE(deleted.error().code, QStringLiteral("project.running"));

    session->conductor().cancel();
    QTRY_VERIFY(!session->conductor().isBusy());
    deleted = pool.deleteProject(id);
    QCOMPARE(deleted.error().code, QStringLiteral("project.open"));
    QVERIFY(pool.workspace().contains(id));

    session.reset();
    QVERIFY(pool.deleteProject(id).ok());
    QVERIFY(!pool.workspace().contains(id));
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
