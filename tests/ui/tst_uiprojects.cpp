// Projects in the desktop app: rename and delete from the list's context menu (delete asks
// first and is refused while the project runs), and the last project reopened at start with
// its timeline restored from the event log, or the welcome state when it is gone.

#include "tests/TestSupport.h"

#include "core/conductor/Conductor.h"
#include "ui/MainWindow.h"
#include "ui/UiSettings.h"
#include "ui/models/ProjectListModel.h"
#include "ui/models/StageTimelineModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace baton;
using namespace baton::test;
using namespace baton::ui;

namespace {

// Answers the next modal dialog the way a user would, and remembers what it said.
class DialogAnswerer : public QObject
{
public:
    enum class Answer { Accept, Reject };
    explicit DialogAnswerer(Answer answer, const QString &typed = {})
        : m_answer(answer)
        , m_typed(typed)
    {
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            QWidget *modal = QApplication::activeModalWidget();
            if (!modal)
                return;
            ++shown;
            if (auto *box = qobject_cast<QMessageBox *>(modal)) {
                text = box->text();
                box->button(m_answer == Answer::Accept ? QMessageBox::Yes : QMessageBox::Cancel)->click();
            } else if (auto *input = qobject_cast<QInputDialog *>(modal)) {
                text = input->textValue();
                input->setTextValue(m_typed);
                m_answer == Answer::Accept ? input->accept() : input->reject();
            }
        });
        m_timer.start();
    }
    int shown = 0;
    QString text;

private:
    Answer m_answer;
    QString m_typed;
    QTimer m_timer;
};

QAction *contextAction(MainWindow &window, const QString &text)
{
    auto *list = window.findChild<QListView *>(QStringLiteral("projectList"));
    for (QAction *action : list->actions()) {
        if (action->text().remove(QLatin1Char('&')) == text)
            return action;
    }
    return nullptr;
}

void selectProject(MainWindow &window, const QString &id)
{
    auto *list = window.findChild<QListView *>(QStringLiteral("projectList"));
    list->setCurrentIndex(window.projectListModel()->index(window.projectListModel()->rowOf(id)));
}

} // namespace

class TestUiProjects : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { UiSettings::setLastProject(QString()); }
    void renameFromTheContextMenu();
    void deleteAsksThenMovesTheOpenProjectAway();
    void deleteIsRefusedWhileRunning();
    void lastProjectReopensWithItsTimeline();
    void missingOrBrokenLastProjectFallsBackQuietly();
};

void TestUiProjects::renameFromTheContextMenu()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QAbstractItemModelTester tester(window.projectListModel());
    QVERIFY(window.createProject(QStringLiteral("Iris")));
    window.show();
    selectProject(window, QStringLiteral("iris"));
    QAction *rename = contextAction(window, QStringLiteral("Rename…"));
    QVERIFY(rename);
    {
        DialogAnswerer user(DialogAnswerer::Answer::Accept, QStringLiteral("Iris petals"));
        rename->trigger();
        QCOMPARE(user.shown, 1);
        QCOMPARE(user.text, QStringLiteral("Iris")); // the dialog starts from the current name
    }
    const QModelIndex row = window.projectListModel()->index(window.projectListModel()->rowOf(QStringLiteral("iris")));
    QCOMPARE(row.data().toString(), QStringLiteral("Iris petals"));
    QCOMPARE(window.windowTitle(), QStringLiteral("Iris petals — Baton"));
    QCOMPARE(window.conductor()->projectId(), QStringLiteral("iris")); // the id stays
    {
        DialogAnswerer user(DialogAnswerer::Answer::Reject, QStringLiteral("ignored"));
        rename->trigger();
    }
    QCOMPARE(Workspace(dir.path()).displayName(QStringLiteral("iris")), QStringLiteral("Iris petals"));
}

void TestUiProjects::deleteAsksThenMovesTheOpenProjectAway()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QAbstractItemModelTester tester(window.projectListModel());
    QVERIFY(window.createProject(QStringLiteral("Keep me")));
    QVERIFY(window.createProject(QStringLiteral("Throw away")));
    window.show();
    selectProject(window, QStringLiteral("throw-away"));
    QAction *remove = contextAction(window, QStringLiteral("Delete…"));
    QVERIFY(remove);
    {
        DialogAnswerer user(DialogAnswerer::Answer::Reject);
        remove->trigger();
        QVERIFY(user.text.contains(QStringLiteral("Throw away")));
    }
    QVERIFY(Workspace(dir.path()).contains(QStringLiteral("throw-away")));
    QCOMPARE(window.conductor()->projectId(), QStringLiteral("throw-away"));
    {
        DialogAnswerer user(DialogAnswerer::Answer::Accept);
        remove->trigger();
        QCOMPARE(user.shown, 1);
    }
    QVERIFY(!Workspace(dir.path()).contains(QStringLiteral("throw-away")));
    QVERIFY(window.conductor() == nullptr); // the open project closed first
    QCOMPARE(window.windowTitle(), QStringLiteral("Baton"));
    QCOMPARE(window.projectListModel()->rowCount(), 1);
    const StageTimelineModel welcome;
    for (StageId stage : kAllStages)
        QCOMPARE(window.timelineModel()->status(stage), welcome.status(stage));
    QVERIFY(UiSettings::lastProject().isEmpty());
    QVERIFY(QDir(Workspace(dir.path()).trashDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size() == 1);

    // a project that is not open goes without touching the open one
    QVERIFY(window.openProject(QStringLiteral("keep-me")));
    QVERIFY(window.createProject(QStringLiteral("Other")));
    QVERIFY(window.openProject(QStringLiteral("keep-me")));
    QVERIFY(window.deleteProject(QStringLiteral("other")));
    QCOMPARE(window.conductor()->projectId(), QStringLiteral("keep-me"));
}

void TestUiProjects::deleteIsRefusedWhileRunning()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QVERIFY(window.createProject(QStringLiteral("Busy")));
    Conductor *conductor = window.conductor();
    installEverywhere(*conductor, loopingHandler());
    conductor->startPipeline(QStringLiteral("predict y"));
    QTRY_VERIFY(conductor->isBusy());
    QVERIFY(!window.deleteProject(QStringLiteral("busy")));
    QVERIFY(Workspace(dir.path()).contains(QStringLiteral("busy")));
    QCOMPARE(window.conductor(), conductor);
    conductor->cancel();
    QTRY_VERIFY(!conductor->isBusy());
    QVERIFY(window.deleteProject(QStringLiteral("busy")));
}

void TestUiProjects::lastProjectReopensWithItsTimeline()
{
    QTemporaryDir dir;
    {
        MainWindow window(dir.path());
        QVERIFY(window.createProject(QStringLiteral("Remembered")));
        Conductor *conductor = window.conductor();
        installEverywhere(*conductor, waitingHandler(QStringLiteral("proposed")));
        window.findChild<QLineEdit *>(QStringLiteral("goalEdit"))->setText(QStringLiteral("predict y"));
        conductor->startPipeline(QStringLiteral("predict y"));
        QTRY_COMPARE(window.timelineModel()->status(StageId::ParseIntent), StageStatus::WaitingConfirmation);
        QVERIFY(conductor->confirm({}).accepted);
        QTRY_COMPARE(window.timelineModel()->status(StageId::DataSource), StageStatus::WaitingConfirmation);
        QVERIFY(window.openProject(QStringLiteral("remembered")));
    }
    QCOMPARE(UiSettings::lastProject(), QStringLiteral("remembered"));

    MainWindow reopened(dir.path());
    QVERIFY(reopened.conductor() == nullptr);
    QVERIFY(reopened.openLastProject());
    QCOMPARE(reopened.conductor()->projectId(), QStringLiteral("remembered"));
    QCOMPARE(reopened.windowTitle(), QStringLiteral("Remembered — Baton"));
    QCOMPARE(reopened.findChild<QLineEdit *>(QStringLiteral("goalEdit"))->text(), QStringLiteral("predict y"));
    StageTimelineModel *timeline = reopened.timelineModel();
    QCOMPARE(timeline->status(StageId::ParseIntent), StageStatus::Completed);
    QCOMPARE(timeline->status(StageId::DataSource), StageStatus::WaitingConfirmation);
    QCOMPARE(timeline->index(stageIndex(StageId::DataSource), StageTimelineModel::MessageColumn).data().toString(),
             QStringLiteral("DATA_SOURCE: proposed"));
    QVERIFY(!timeline->index(stageIndex(StageId::ParseIntent), StageTimelineModel::ElapsedColumn).data().toString().isEmpty());
}

void TestUiProjects::missingOrBrokenLastProjectFallsBackQuietly()
{
    QTemporaryDir dir;
    Workspace workspace(dir.path());
    MainWindow window(dir.path());
    window.show();
    DialogAnswerer noDialogExpected(DialogAnswerer::Answer::Reject);

    UiSettings::setLastProject(QStringLiteral("gone"));
    QVERIFY(!window.openLastProject());
    QVERIFY(window.conductor() == nullptr);

    // a database that is not one
    const QString broken = workspace.createProject(QStringLiteral("Broken")).value();
    QFile db(QDir(workspace.projectDir(broken)).filePath(QStringLiteral("project.sqlite")));
    QVERIFY(db.open(QIODevice::WriteOnly | QIODevice::Truncate));
    db.write(QByteArray(4096, 'x'));
    db.close();
    UiSettings::setLastProject(broken);
    QVERIFY(!window.openLastProject());
    QVERIFY(window.conductor() == nullptr);
    QTest::qWait(100);
    QCOMPARE(noDialogExpected.shown, 0);
}

QTEST_MAIN(TestUiProjects)
#include "tst_uiprojects.moc"
