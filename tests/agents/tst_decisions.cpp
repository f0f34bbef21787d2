// Confirming with edited decisions: an edit the current proposal already used runs the stage
// that first reads it again; any other edit is merged and the pipeline advances.

#include "../TestSupport.h"

#include <QtTest>

using namespace baton;

namespace {

struct CountingPipeline
{
    Conductor conductor{QStringLiteral("decisions")};
    test::EventRecorder recorder{&conductor};
    std::array<std::atomic<int>, kStageCount> runs{};

    CountingPipeline()
    {
        for (StageId id : kAllStages) {
            conductor.setHandler(id, std::make_shared<test::FunctionHandler>([this](StageContext &ctx) {
                ++runs[size_t(stageIndex(ctx.stage()))];
                return StageOutcome::waiting(stageName(ctx.stage()), {QStringLiteral("Confirm")});
            }));
        }
        conductor.setDecisionStage("target", StageId::Preprocess);
        conductor.setDecisionStage("metric", StageId::Train);
    }

    int runsOf(StageId id) const { return runs[size_t(stageIndex(id))]; }

    // Confirms until `stage` waits for confirmation.
    bool advanceTo(StageId stage)
    {
        conductor.startPipeline(QStringLiteral("predict prices"), {{"target", "price"}, {"metric", "rmse"}});
        for (;;) {
            if (!QTest::qWaitFor([this] { return !conductor.isBusy()
                                                 && conductor.state().at(conductor.state().current).status
                                                        == StageStatus::WaitingConfirmation; }))
                return false;
            if (conductor.state().current == stage)
                return true;
            if (!conductor.confirm().accepted)
                return false;
        }
    }
};

} // namespace

class TestDecisions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editUsedByAnEarlierStageRunsItAgain();
    void editForALaterStageAdvances();
    void unchangedValueAdvances();
    void editAtTheConsumingStageRunsItAgain();
};

void TestDecisions::editUsedByAnEarlierStageRunsItAgain()
{
    CountingPipeline p;
    QVERIFY(p.advanceTo(StageId::ModelSelect));
    const ConfirmResult result = p.conductor.confirm({{"target", "rooms"}});
    QVERIFY(result.accepted);
    QCOMPARE(p.conductor.state().current, StageId::Preprocess);
    QTRY_COMPARE(p.conductor.state().at(StageId::Preprocess).status, StageStatus::WaitingConfirmation);
    QCOMPARE(p.runsOf(StageId::Preprocess), 2);
    QCOMPARE(p.conductor.state().at(StageId::ModelSelect).status, StageStatus::Pending);
    QCOMPARE(p.conductor.context().at("target").get<std::string>(), std::string("rooms"));
}

void TestDecisions::editForALaterStageAdvances()
{
    CountingPipeline p;
    QVERIFY(p.advanceTo(StageId::ModelSelect));
    QVERIFY(p.conductor.confirm({{"metric", "mae"}}).accepted);
    QTRY_COMPARE(p.conductor.state().at(StageId::Train).status, StageStatus::WaitingConfirmation);
    QCOMPARE(p.runsOf(StageId::Preprocess), 1);
    QCOMPARE(p.conductor.context().at("metric").get<std::string>(), std::string("mae"));
}

void TestDecisions::unchangedValueAdvances()
{
    CountingPipeline p;
    QVERIFY(p.advanceTo(StageId::ModelSelect));
    QVERIFY(p.conductor.confirm({{"target", "price"}, {"comment", "same target"}}).accepted);
    QTRY_COMPARE(p.conductor.state().at(StageId::Train).status, StageStatus::WaitingConfirmation);
    QCOMPARE(p.runsOf(StageId::Preprocess), 1);
}

void TestDecisions::editAtTheConsumingStageRunsItAgain()
{
    CountingPipeline p;
    QVERIFY(p.advanceTo(StageId::Train));
    QVERIFY(p.conductor.confirm({{"metric", "mae"}}).accepted);
    QTRY_COMPARE(p.runsOf(StageId::Train), 2);
    QTRY_COMPARE(p.conductor.state().at(StageId::Train).status, StageStatus::WaitingConfirmation);
    QCOMPARE(p.conductor.state().at(StageId::ReviewEdit).status, StageStatus::Pending);
    QCOMPARE(p.runsOf(StageId::ReviewEdit), 0);
}

QTEST_GUILESS_MAIN(TestDecisions)
#include "tst_decisions.moc"
