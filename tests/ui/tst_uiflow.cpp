// The whole tabular flow driven like a user: keys and clicks on a small CSV, checking what each
// panel shows, that the GUI thread never stalls while training runs, and screenshots of each panel.

#include "GuiStallSampler.h"

#include "core/conductor/Conductor.h"
#include "core/pipeline/ContextKeys.h"
#include "ui/MainWindow.h"
#include "ui/charts/ChartView.h"
#include "ui/charts/HeatMapWidget.h"
#include "ui/charts/LiveMetricChart.h"
#include "ui/dialogs/ExportDialog.h"
#include "ui/models/ArtifactListModel.h"
#include "ui/models/ColumnProfileModel.h"
#include "ui/models/LeaderboardModel.h"
#include "ui/models/StageTimelineModel.h"
#include "ui/models/TableDataModel.h"
#include "ui/panels/ConfirmationPanel.h"
#include "ui/panels/DataPanel.h"
#include "ui/panels/DecisionsForm.h"
#include "ui/panels/ExportPanel.h"
#include "ui/panels/PlanPanel.h"
#include "ui/panels/ProfilePanel.h"
#include "ui/panels/ReportBrowser.h"
#include "ui/panels/ResultsPanel.h"
#include "ui/panels/TrainingPanel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QProgressBar>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <ctime>

using namespace baton;
using namespace baton::ui;

namespace {

constexpr int kStageTimeoutMs = 180'000;

void screenshot(QWidget *window, const QString &name)
{
    QDir().mkpath(QStringLiteral(BATON_SCREENSHOT_DIR));
    const QString path = QDir(QStringLiteral(BATON_SCREENSHOT_DIR)).filePath(name + QStringLiteral(".png"));
    QVERIFY2(window->grab().save(path), qPrintable(path));
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Ticks on the GUI thread every 5 ms. A long gap in which the GUI thread itself burnt the CPU is
// a stall caused by our code; a gap while the thread slept is the OS giving the core to others.
class StallMonitor : public QObject
{
public:
    StallMonitor()
    {
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double wall = m_clock.nsecsElapsed() / 1e6, cpu = threadCpuMs();
            maxBusyMs = std::max(maxBusyMs, cpu - m_lastCpu);
            longStretches += cpu - m_lastCpu >= 50 ? 1 : 0;
            maxGapMs = std::max(maxGapMs, wall - m_lastWall);
            m_lastWall = wall;
            m_lastCpu = cpu;
            ++ticks;
        });
    }
    void start()
    {
        m_clock.start(); // restarts: a pause is not a gap
        m_lastWall = 0;
        m_lastCpu = threadCpuMs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    double maxBusyMs = 0, maxGapMs = 0;
    int ticks = 0;
    int longStretches = 0; // busy for 50 ms or more

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_lastWall = 0, m_lastCpu = 0;
};

} // namespace

class TestUiFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void fullTabularFlowByClicksAndKeys();

private:
    void waitFor(MainWindow &window, StageId stage, StageStatus status);
};

void TestUiFlow::waitFor(MainWindow &window, StageId stage, StageStatus status)
{
    QTRY_VERIFY2_WITH_TIMEOUT(window.timelineModel()->status(stage) == status
                                  || window.timelineModel()->status(stage) == StageStatus::Failed,
                              qPrintable(stageName(stage)), kStageTimeoutMs);
    QVERIFY2(window.timelineModel()->status(stage) == status,
             qPrintable(window.timelineModel()
                            ->index(stageIndex(stage), StageTimelineModel::MessageColumn)
                            .data()
                            .toString()));
}

void TestUiFlow::fullTabularFlowByClicksAndKeys()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QAbstractItemModelTester timelineTester(window.timelineModel());
    window.resize(1400, 900);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));

    // DATA: the file opens a project, its table is shown before anything runs
    QVERIFY(window.openData(QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv")));
    QCOMPARE(window.conductor()->projectId(), QStringLiteral("iris"));
    QTRY_COMPARE(window.dataPanel()->tableModel()->rowCount(), 150);
    QAbstractItemModelTester dataTester(window.dataPanel()->tableModel());

    // the goal typed and entered
    auto *goal = window.findChild<QLineEdit *>(QStringLiteral("goalEdit"));
    QVERIFY(goal);
    goal->setFocus();
    QTest::keyClicks(goal, QStringLiteral("predict target"));
    QTest::keyClick(goal, Qt::Key_Return);
    waitFor(window, StageId::ParseIntent, StageStatus::WaitingConfirmation);
    ConfirmationPanel *confirmation = window.confirmationPanel();
    QTRY_VERIFY(confirmation->confirmButton()->isEnabled());
    QCOMPARE(confirmation->form()->targetBox()->currentText(), QStringLiteral("target"));
    screenshot(&window, QStringLiteral("1-goal-confirmation"));

    // Ctrl+Return confirms
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    waitFor(window, StageId::DataSource, StageStatus::WaitingConfirmation);
    QCOMPARE(window.currentPanel(), static_cast<QWidget *>(window.dataPanel()));
    screenshot(&window, QStringLiteral("2-data"));
    QTRY_VERIFY(confirmation->confirmButton()->isEnabled());
    QTest::mouseClick(confirmation->confirmButton(), Qt::LeftButton);

    // PROFILE: cards, columns, warnings
    waitFor(window, StageId::ProfileData, StageStatus::WaitingConfirmation);
    ProfilePanel *profile = window.profilePanel();
    QAbstractItemModelTester profileTester(profile->columnModel());
    QTRY_COMPARE(profile->columnModel()->rowCount(), 5);
    QCOMPARE(window.currentPanel(), static_cast<QWidget *>(profile));
    screenshot(&window, QStringLiteral("3-profile"));
    profile->tabs()->setCurrentIndex(3); // target distribution
    screenshot(&window, QStringLiteral("3-profile-target"));
    profile->tabs()->setCurrentIndex(0);

    // Ctrl+E opens the decisions; the budget is typed, then confirmed with the keyboard
    QTRY_VERIFY(confirmation->editButton()->isEnabled());
    QTest::keyClick(&window, Qt::Key_E, Qt::ControlModifier);
    QVERIFY(confirmation->form()->isVisible());
    QSpinBox *budget = confirmation->form()->budgetBox();
    budget->setFocus();
    QTest::keyClick(budget, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(budget, QStringLiteral("6"));
    QCOMPARE(budget->value(), 6);
    screenshot(&window, QStringLiteral("4-decisions-form"));
    QTest::keyClick(&window, Qt::Key_Return, Qt::ControlModifier);
    waitFor(window, StageId::Preprocess, StageStatus::WaitingConfirmation);
    QCOMPARE(window.conductor()->context().value(ctx::TimeBudgetS, 0), 6);
    QTRY_VERIFY(confirmation->confirmButton()->isEnabled());
    QTest::mouseClick(confirmation->confirmButton(), Qt::LeftButton);

    // MODEL_SELECT: candidates with reasons
    waitFor(window, StageId::ModelSelect, StageStatus::WaitingConfirmation);
    QCOMPARE(window.planPanel()->modelsTree()->topLevelItemCount(), 4);
    screenshot(&window, QStringLiteral("5-plan"));
    QTRY_VERIFY(confirmation->confirmButton()->isEnabled());

    // TRAIN: live chart, leaderboard; the GUI thread never stalls
    TrainingPanel *training = window.trainingPanel();
    QAbstractItemModelTester leaderboardTester(training->leaderboard());
    StallMonitor monitor;
    test::GuiStallSampler sampler; // says where the GUI thread was if it stalls
    monitor.start();
    sampler.start();
    QTest::mouseClick(confirmation->confirmButton(), Qt::LeftButton);
    QTRY_COMPARE(window.timelineModel()->status(StageId::Train), StageStatus::InProgress);
    QTRY_VERIFY(training->stopButton()->isEnabled());
    QCOMPARE(window.currentPanel(), static_cast<QWidget *>(training));
    QTRY_VERIFY_WITH_TIMEOUT(training->leaderboard()->rowCount() > 0
                                 || window.timelineModel()->status(StageId::Train) != StageStatus::InProgress,
                             kStageTimeoutMs);
    if (window.timelineModel()->status(StageId::Train) == StageStatus::InProgress) {
        monitor.stop(); // grabbing the window is the test's work, not the app's
        sampler.stop();
        screenshot(&window, QStringLiteral("6-training-live"));
        monitor.start();
        sampler.start();
    }
    waitFor(window, StageId::Train, StageStatus::WaitingConfirmation);
    monitor.stop();
    sampler.stop();
    qInfo("GUI thread during training: %d ticks, longest busy stretch %.1f ms, longest wall gap %.1f ms",
          monitor.ticks, monitor.maxBusyMs, monitor.maxGapMs);
    QVERIFY(monitor.ticks > 10); // the monitor really ran while training (iris trains in ~1 s)
    // issue #8: the GUI thread never works more than 50 ms at a stretch while training runs
    // (it used to spend 300-600 ms in QXYSeries::append, found with the sampler's stacks). It
    // measures 17-34 ms here; on this shared 2-core VM one stretch in a run has read 51 ms while
    // another test ran beside it, so one overrun is tolerated, never a second or a long one.
    QVERIFY2(monitor.longStretches <= 1 && monitor.maxBusyMs < 100,
             qPrintable(QStringLiteral("%1 ms busy at a stretch, %2 stretches of 50 ms or more; where:\n%3")
                            .arg(monitor.maxBusyMs)
                            .arg(monitor.longStretches)
                            .arg(sampler.report(25).join(QLatin1Char('\n')))));
    QVERIFY(training->leaderboard()->rowCount() > 0);
    QVERIFY(training->chart()->shownPoints() > 0);
    // batched: many points, far fewer repaints (counted over every run: the chart shows only the
    // last one's curve, which can be short)
    QVERIFY2(training->chart()->repaints() < training->chart()->receivedPoints(),
             qPrintable(QStringLiteral("%1 repaints for %2 points")
                            .arg(training->chart()->repaints())
                            .arg(training->chart()->receivedPoints())));
    QCOMPARE(training->progressBar()->value(), 100);
    QVERIFY(!training->stopButton()->isEnabled());
    screenshot(&window, QStringLiteral("6-training"));

    // REVIEW: every artifact draws as an interactive chart; report and notebook render
    QTRY_VERIFY(confirmation->confirmButton()->isEnabled());
    QTest::mouseClick(confirmation->confirmButton(), Qt::LeftButton);
    waitFor(window, StageId::ReviewEdit, StageStatus::WaitingConfirmation);
    ResultsPanel *results = window.resultsPanel();
    QAbstractItemModelTester artifactsTester(results->artifacts());
    QVERIFY(results->artifacts()->rowCount() >= 3);
    QVERIFY(results->artifacts()->rowOfType(QStringLiteral("confusion_matrix")) >= 0);
    for (int row = 0; row < results->artifacts()->rowCount(); ++row) {
        QWidget *viewer = results->showArtifact(row);
        QVERIFY2(qobject_cast<ChartView *>(viewer) || qobject_cast<HeatMapWidget *>(viewer),
                 qPrintable(results->artifacts()->index(row).data().toString()));
    }
    results->showArtifact(results->artifacts()->rowOfType(QStringLiteral("confusion_matrix")));
    auto *heat = qobject_cast<HeatMapWidget *>(results->currentViewer());
    QVERIFY(heat);
    QCOMPARE(heat->rowCount(), 3);
    double total = 0;
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c)
            total += heat->valueAt(r, c);
    }
    QCOMPARE(int(total), 30); // the 20 % held-out iris rows
    screenshot(&window, QStringLiteral("7-results-confusion"));
    if (const int fi = results->artifacts()->rowOfType(QStringLiteral("feature_importance")); fi >= 0) {
        results->showArtifact(fi);
        screenshot(&window, QStringLiteral("7-results-importance"));
    }
    QTRY_VERIFY(!results->report()->toPlainText().isEmpty());
    results->tabs()->setCurrentIndex(1);
    screenshot(&window, QStringLiteral("8-report"));
    QVERIFY(!results->notebook()->toPlainText().isEmpty());
    results->tabs()->setCurrentIndex(2);
    screenshot(&window, QStringLiteral("8-notebook"));

    // EXPORT: the verified bundle, saved elsewhere with its checksum checked
    QTRY_VERIFY(confirmation->confirmButton()->isEnabled());
    QTest::mouseClick(confirmation->confirmButton(), Qt::LeftButton);
    waitFor(window, StageId::Export, StageStatus::WaitingConfirmation);
    ExportPanel *exportPanel = window.exportPanel();
    QVERIFY(QFileInfo::exists(exportPanel->bundlePath()));
    QVERIFY(exportPanel->saveButton()->isEnabled());
    screenshot(&window, QStringLiteral("9-export"));
    ExportDialog dialog(exportPanel->bundlePath(), {QStringLiteral("model/ensemble.json")}, QString());
    dialog.destinationEdit()->setText(dir.filePath(QStringLiteral("copy/bundle.zip")));
    QVERIFY(dialog.save());
    QVERIFY(QFileInfo::exists(dialog.savedPath()));
    QTRY_VERIFY(confirmation->confirmButton()->isEnabled());
    QTest::mouseClick(confirmation->confirmButton(), Qt::LeftButton);
    QTRY_COMPARE(window.timelineModel()->status(StageId::Export), StageStatus::Completed);
}

QTEST_MAIN(TestUiFlow)
#include "tst_uiflow.moc"
