#include "TestSupport.h"

#include <QtTest>

#include <set>
#include <stdexcept>

using namespace baton;
using namespace baton::test;

class TestConductor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void confirmBeforeAnythingIsRejectedWithReason();
    void missingHandlerFailsVisibly();
    void waitingAlsoEmitsStageStatus();
    void confirmAdvancesInProtocolOrder();
    void walksAllEightStages();
    void failedOutcomeAndExceptionsBecomeFailed();
    void failedStageCannotBeConfirmed();
    void contextPatchIsMerged();
    void restartResetsEveryLaterStage();
    void restartNeedsEarlierStagesDone();
    void cancelStopsTheRunningJob();
    void stopKeepsTheResult();
    void restartWhileRunningCancelsFirst();
    void skippedStageAdvances();
    void setStageStatusIsRejectedWhileBusy();
    void seqIsGapFreeAcrossThreads();
    void nonFinitePayloadIsStoredAsNull();

private:
    static void waitUntilWaiting(Conductor &c, StageId stage);
};

void TestConductor::waitUntilWaiting(Conductor &c, StageId stage)
{
    QTRY_COMPARE_WITH_TIMEOUT(c.state().at(stage).status, StageStatus::WaitingConfirmation, 10000);
}

void TestConductor::confirmBeforeAnythingIsRejectedWithReason()
{
    Conductor c(QStringLiteral("p"));
    EventRecorder rec(&c);
    const ConfirmResult result = c.confirm();
    QVERIFY(!result.accepted);
    QVERIFY2(result.error.contains(QLatin1String("PARSE_INTENT")), qPrintable(result.error));
    QVERIFY(result.error.contains(QLatin1String("IN_PROGRESS")));
    QCoreApplication::processEvents();
    QVERIFY(rec.events.empty()); // a rejection changes nothing
    QCOMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::InProgress);
}

void TestConductor::missingHandlerFailsVisibly()
{
    Conductor c(QStringLiteral("p"));
    EventRecorder rec(&c);
    c.startPipeline(QStringLiteral("predict house prices"));
    QTRY_COMPARE(rec.stageStatuses(),
                 QStringList({"PARSE_INTENT:IN_PROGRESS", "PARSE_INTENT:FAILED"}));
    const Event failed = rec.named(events::StageStatus).back();
    QVERIFY(stringField(failed.payload, "message").contains(QLatin1String("not available")));
    QCOMPARE(stringField(failed.payload, "error_kind"), QStringLiteral("not_implemented"));
    QCOMPARE(failed.stageStatus, StageStatus::Failed);
    QCOMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Failed);
    QVERIFY(!rec.named(events::LogLine).empty());
}

void TestConductor::waitingAlsoEmitsStageStatus()
{
    Conductor c(QStringLiteral("p"));
    c.setHandler(StageId::ParseIntent, waitingHandler(QStringLiteral("task regression")));
    EventRecorder rec(&c);
    c.startPipeline(QStringLiteral("predict house prices"));
    waitUntilWaiting(c, StageId::ParseIntent);
    QTRY_COMPARE(rec.named(events::WaitingConfirmation).size(), size_t(1));

    QCOMPARE(rec.stageStatuses(),
             QStringList({"PARSE_INTENT:IN_PROGRESS", "PARSE_INTENT:WAITING_CONFIRMATION"}));
    const Event status = rec.named(events::StageStatus).back();
    QCOMPARE(stringField(status.payload, "message"), QStringLiteral("PARSE_INTENT: task regression"));
    QCOMPARE(status.stageStatus, StageStatus::WaitingConfirmation);
    const Event waiting = rec.named(events::WaitingConfirmation).front();
    QCOMPARE(stringField(waiting.payload, "stage_id"), QStringLiteral("PARSE_INTENT"));
    QCOMPARE(waiting.payload["next_actions"].size(), size_t(1));
    QVERIFY(status.seq < waiting.seq);

    const json snapshot = c.snapshot();
    QCOMPARE(snapshot["waiting_confirmation"]["stage_id"].get<std::string>(), "PARSE_INTENT");
    QCOMPARE(snapshot["current_stage"]["status"].get<std::string>(), "WAITING_CONFIRMATION");
}

void TestConductor::confirmAdvancesInProtocolOrder()
{
    Conductor c(QStringLiteral("p"));
    c.setHandler(StageId::ParseIntent, waitingHandler());
    c.setHandler(StageId::DataSource, waitingHandler());
    EventRecorder rec(&c);
    c.startPipeline(QStringLiteral("goal"));
    waitUntilWaiting(c, StageId::ParseIntent);
    rec.events.clear();

    const ConfirmResult result = c.confirm();
    QVERIFY2(result.accepted, qPrintable(result.error));
    waitUntilWaiting(c, StageId::DataSource);
    QTRY_COMPARE(rec.stageStatuses(),
                 QStringList({"PARSE_INTENT:COMPLETED", "DATA_SOURCE:IN_PROGRESS",
                              "DATA_SOURCE:WAITING_CONFIRMATION"}));
    const auto statuses = rec.named(events::StageStatus);
    QCOMPARE(stringField(statuses[0].payload, "message"), QStringLiteral("Stage confirmed"));
    QCOMPARE(stringField(statuses[1].payload, "message"), QStringLiteral("Advancing to next stage"));
    QCOMPARE(c.state().current, StageId::DataSource);
    QCOMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Completed);
}

void TestConductor::walksAllEightStages()
{
    Conductor c(QStringLiteral("p"));
    installEverywhere(c, waitingHandler());
    EventRecorder rec(&c);
    c.startPipeline(QStringLiteral("goal"));
    for (StageId stage : kAllStages) {
        waitUntilWaiting(c, stage);
        const ConfirmResult result = c.confirm();
        QVERIFY2(result.accepted, qPrintable(result.error));
    }
    for (StageId stage : kAllStages)
        QCOMPARE(c.state().at(stage).status, StageStatus::Completed);
    QCOMPARE(c.state().current, StageId::Export);
    const ConfirmResult again = c.confirm();
    QVERIFY(!again.accepted);
    QVERIFY(again.error.contains(QLatin1String("finished")));
    QTRY_VERIFY(rec.sawStatus(StageId::Export, StageStatus::Completed));
}

void TestConductor::failedOutcomeAndExceptionsBecomeFailed()
{
    Conductor c(QStringLiteral("p"));
    c.setHandler(StageId::ParseIntent, std::make_shared<FunctionHandler>([](StageContext &) {
        return StageOutcome::failed(makeError(ErrorKind::BadInput, QStringLiteral("csv.bad"),
                                              QStringLiteral("Column 'x' is missing"),
                                              QStringLiteral("data.csv:line 3")));
    }));
    EventRecorder rec(&c);
    c.startPipeline(QStringLiteral("goal"));
    QTRY_COMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Failed);
    QCOMPARE(*c.state().at(StageId::ParseIntent).message,
             QStringLiteral("Column 'x' is missing (data.csv:line 3)"));
    QTRY_VERIFY(rec.sawStatus(StageId::ParseIntent, StageStatus::Failed));
    QCOMPARE(stringField(rec.named(events::StageStatus).back().payload, "error_kind"),
             QStringLiteral("bad_input"));

    c.setHandler(StageId::ParseIntent, std::make_shared<FunctionHandler>([](StageContext &) -> StageOutcome {
        throw std::runtime_error("handler exploded");
    }));
    QVERIFY(c.restartStage(StageId::ParseIntent).ok());
    QTRY_COMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Failed);
    QVERIFY(c.state().at(StageId::ParseIntent).message->contains(QLatin1String("handler exploded")));
}

void TestConductor::failedStageCannotBeConfirmed()
{
    Conductor c(QStringLiteral("p"));
    c.startPipeline(QStringLiteral("goal")); // no handler: fails
    QTRY_COMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Failed);
    const ConfirmResult result = c.confirm();
    QVERIFY(!result.accepted);
    QVERIFY2(result.error.contains(QLatin1String("restart")), qPrintable(result.error));
}

void TestConductor::contextPatchIsMerged()
{
    Conductor c(QStringLiteral("p"));
    c.setHandler(StageId::ParseIntent, std::make_shared<FunctionHandler>([](StageContext &ctx) {
        // the handler sees the context as it was when the stage started
        const QString prompt = stringField(ctx.projectContext(), "prompt");
        return StageOutcome::waiting(prompt, {}, {{"target", "Sale_Price"}});
    }));
    c.startPipeline(QStringLiteral("predict house prices"), {{"seed", 7}});
    waitUntilWaiting(c, StageId::ParseIntent);
    QCOMPARE(stringField(c.context(), "target"), QStringLiteral("Sale_Price"));
    QCOMPARE(c.context()["seed"].get<int>(), 7);
    QCOMPARE(*c.state().at(StageId::ParseIntent).message, QStringLiteral("predict house prices"));

    c.confirm({{"target", "Lot_Area"}}); // the user's edit wins
    QCOMPARE(stringField(c.context(), "target"), QStringLiteral("Lot_Area"));
}

void TestConductor::restartResetsEveryLaterStage()
{
    Conductor c(QStringLiteral("p"));
    installEverywhere(c, waitingHandler());
    EventRecorder rec(&c);
    c.startPipeline(QStringLiteral("goal"));
    for (StageId stage : {StageId::ParseIntent, StageId::DataSource, StageId::ProfileData,
                          StageId::Preprocess}) {
        waitUntilWaiting(c, stage);
        QVERIFY(c.confirm().accepted);
    }
    waitUntilWaiting(c, StageId::ModelSelect);
    QCoreApplication::processEvents();
    rec.events.clear();

    QVERIFY(c.restartStage(StageId::DataSource).ok());
    for (StageId later : {StageId::ProfileData, StageId::Preprocess, StageId::ModelSelect})
        QCOMPARE(c.state().at(later).status, StageStatus::Pending);
    QCOMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Completed);
    QVERIFY(!c.state().waiting.has_value());
    QTRY_COMPARE(rec.stageStatuses().mid(0, 4),
                 QStringList({"PROFILE_DATA:PENDING", "PREPROCESS:PENDING", "MODEL_SELECT:PENDING",
                              "DATA_SOURCE:IN_PROGRESS"}));
    waitUntilWaiting(c, StageId::DataSource);
    QCOMPARE(c.state().current, StageId::DataSource);
}

void TestConductor::restartNeedsEarlierStagesDone()
{
    Conductor c(QStringLiteral("p"));
    installEverywhere(c, waitingHandler());
    const Status status = c.restartStage(StageId::Train);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().kind, ErrorKind::Conflict);
    QVERIFY(status.error().message.contains(QLatin1String("PARSE_INTENT")));
}

void TestConductor::cancelStopsTheRunningJob()
{
    Conductor c(QStringLiteral("p"));
    std::atomic<bool> sawCancel{false};
    c.setHandler(StageId::ParseIntent, loopingHandler(&sawCancel));
    EventRecorder rec(&c);
    QSignalSpy busy(&c, &Conductor::busyChanged);
    c.startPipeline(QStringLiteral("goal"));
    QVERIFY(c.isBusy());
    QTRY_VERIFY(!rec.named(events::TrainProgress).empty());
    c.cancel();
    QTRY_COMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Failed);
    QVERIFY(sawCancel.load());
    QVERIFY(!c.isBusy());
    QCOMPARE(*c.state().at(StageId::ParseIntent).message, QStringLiteral("Cancelled by user"));
    QVERIFY(!c.state().running.has_value());
    QTRY_COMPARE(busy.count(), 2);
    QCOMPARE(busy.at(1).at(0).toBool(), false);
}

void TestConductor::stopKeepsTheResult()
{
    Conductor c(QStringLiteral("p"));
    std::atomic<bool> sawCancel{true};
    c.setHandler(StageId::ParseIntent, loopingHandler(&sawCancel));
    c.startPipeline(QStringLiteral("goal"));
    QTest::qWait(20);
    c.requestStop();
    waitUntilWaiting(c, StageId::ParseIntent);
    QVERIFY(!sawCancel.load());
    QVERIFY(c.state().at(StageId::ParseIntent).message->startsWith(QLatin1String("stopped after")));
}

void TestConductor::restartWhileRunningCancelsFirst()
{
    Conductor c(QStringLiteral("p"));
    std::atomic<int> runs{0};
    c.setHandler(StageId::ParseIntent, std::make_shared<FunctionHandler>([&runs](StageContext &ctx) {
        if (++runs == 1) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            while (!ctx.isCancelled() && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return StageOutcome::waiting(QStringLiteral("run %1").arg(runs.load()), {});
    }));
    c.startPipeline(QStringLiteral("first"));
    QTRY_COMPARE(runs.load(), 1);
    c.startPipeline(QStringLiteral("second")); // a new goal while the first still runs
    waitUntilWaiting(c, StageId::ParseIntent);
    QCOMPARE(runs.load(), 2);
    QCOMPARE(*c.state().at(StageId::ParseIntent).message, QStringLiteral("run 2"));
    QCOMPARE(stringField(c.context(), "prompt"), QStringLiteral("second"));
}

void TestConductor::skippedStageAdvances()
{
    Conductor c(QStringLiteral("p"));
    c.setHandler(StageId::ParseIntent, std::make_shared<FunctionHandler>([](StageContext &) {
        return StageOutcome::skipped(QStringLiteral("nothing to parse"));
    }));
    c.setHandler(StageId::DataSource, waitingHandler());
    c.startPipeline(QStringLiteral("goal"));
    waitUntilWaiting(c, StageId::DataSource);
    QCOMPARE(c.state().at(StageId::ParseIntent).status, StageStatus::Skipped);
}

void TestConductor::setStageStatusIsRejectedWhileBusy()
{
    Conductor c(QStringLiteral("p"));
    c.setHandler(StageId::ParseIntent, loopingHandler());
    c.startPipeline(QStringLiteral("goal"));
    const Status status = c.setStageStatus(StageId::Train, StageStatus::Completed);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().kind, ErrorKind::Conflict);
    c.cancel();
    QTRY_VERIFY(!c.isBusy());
    QVERIFY(c.setStageStatus(StageId::Train, StageStatus::Completed, QStringLiteral("forced")).ok());
    QCOMPARE(c.state().current, StageId::Train);
    QCOMPARE(*c.state().at(StageId::Train).message, QStringLiteral("forced"));
}

void TestConductor::seqIsGapFreeAcrossThreads()
{
    Conductor c(QStringLiteral("p"));
    constexpr int kThreads = 4;
    constexpr int kPerThread = 2500;
    c.setHandler(StageId::ParseIntent, std::make_shared<FunctionHandler>([](StageContext &ctx) {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&ctx, t] {
                for (int i = 0; i < kPerThread; ++i)
                    ctx.emitEvent(events::MetricScalar, {{"thread", t}, {"step", i}});
            });
        }
        for (auto &thread : threads)
            thread.join();
        return StageOutcome::waiting(QStringLiteral("done"), {});
    }));
    EventRecorder rec(&c);
    c.startPipeline(QStringLiteral("goal"));
    for (int i = 0; i < 200; ++i)
        c.publish(StageId::ParseIntent, StageStatus::InProgress, events::LogLine, {{"i", i}});
    waitUntilWaiting(c, StageId::ParseIntent);
    QTRY_COMPARE(rec.named(events::MetricScalar).size(), size_t(kThreads * kPerThread));
    QTRY_COMPARE(rec.named(events::WaitingConfirmation).size(), size_t(1));
    for (size_t i = 0; i < rec.events.size(); ++i)
        QCOMPARE(rec.events[i].seq, qint64(i + 1)); // delivered in order, no gaps, no repeats
    // each thread's own events stay in order
    std::vector<int> last(kThreads, -1);
    for (const Event &e : rec.named(events::MetricScalar)) {
        const int t = e.payload["thread"].get<int>();
        const int step = e.payload["step"].get<int>();
        QCOMPARE(step, last[t] + 1);
        last[t] = step;
    }
}

void TestConductor::nonFinitePayloadIsStoredAsNull()
{
    Conductor c(QStringLiteral("p"));
    EventRecorder rec(&c);
    c.publish(StageId::Train, StageStatus::InProgress, events::MetricScalar,
              {{"value", std::numeric_limits<double>::quiet_NaN()}});
    QTRY_COMPARE(rec.events.size(), size_t(1));
    QVERIFY(rec.events[0].payload["value"].is_null());
}

QTEST_GUILESS_MAIN(TestConductor)
#include "tst_conductor.moc"
