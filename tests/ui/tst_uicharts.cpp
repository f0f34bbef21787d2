// Artifact viewers drawn from the artifacts' JSON, live metric batching and chart zoom.

#include "core/conductor/EventNames.h"
#include "ui/charts/ArtifactCharts.h"
#include "ui/charts/ChartView.h"
#include "ui/charts/HeatMapWidget.h"
#include "ui/charts/LiveMetricChart.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLabel>
#include <QValueAxis>
#include <QWheelEvent>
#include <QXYSeries>
#include <QtTest>

using namespace baton;
using namespace baton::ui;

namespace {

Event trainEvent(const char *name, json payload)
{
    Event e;
    e.name = QString::fromLatin1(name);
    e.stage = StageId::Train;
    e.payload = std::move(payload);
    return e;
}

QXYSeries *firstXy(QChart *chart)
{
    return chart ? qobject_cast<QXYSeries *>(chart->series().value(0)) : nullptr;
}

} // namespace

class TestUiCharts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rocBinaryAndOneVsRest();
    void regressionCharts();
    void importanceBarsBestOnTop();
    void confusionHeatMap();
    void badJsonSaysSo();
    void wheelZoomsAndEscapeResets();
    void liveChartBatchesPoints();
};

void TestUiCharts::rocBinaryAndOneVsRest()
{
    std::unique_ptr<QChart> binary(rocChart(json::parse(R"({"fpr": [0, 0.5, 1], "tpr": [0, 0.9, 1], "auc": 0.7})")));
    QVERIFY(binary);
    QCOMPARE(binary->series().size(), 2); // the curve and the chance diagonal
    QCOMPARE(firstXy(binary.get())->count(), 3);
    QVERIFY(firstXy(binary.get())->name().contains(QStringLiteral("0.700")));
    std::unique_ptr<QChart> multi(rocChart(json::parse(R"({"curves": [
        {"label": "a", "fpr": [0, 1], "tpr": [0, 1], "auc": 0.5},
        {"label": "b", "fpr": [0, 0.2, 1], "tpr": [0, 0.8, 1], "auc": 0.8}], "fpr": []})")));
    QVERIFY(multi);
    QCOMPARE(multi->series().size(), 3);
    QVERIFY(!rocChart(json::parse(R"({"fpr": []})")));
}

void TestUiCharts::regressionCharts()
{
    std::unique_ptr<QChart> residuals(residualsChart(json::parse(R"({"residuals": [1.5, -2, null, 0.5]})")));
    QVERIFY(residuals);
    QCOMPARE(firstXy(residuals.get())->count(), 3); // null is skipped, not drawn at 0
    std::unique_ptr<QChart> scatter(
        predictedVsActualChart(json::parse(R"({"y_true": [1, 2, 3], "y_pred": [1.1, 1.9, 3.2], "r2": 0.98})")));
    QVERIFY(scatter);
    QCOMPARE(firstXy(scatter.get())->count(), 3);
    QCOMPARE(scatter->series().size(), 2);
    QVERIFY(!predictedVsActualChart(json::parse(R"({"y_true": [1, 2], "y_pred": [1]})")));
}

void TestUiCharts::importanceBarsBestOnTop()
{
    std::unique_ptr<QChart> chart(importanceChart(json::parse(R"({"feature_importance": [
        {"feature": "area", "importance": 0.6}, {"feature": "rooms", "importance": 0.3},
        {"feature": "age", "importance": 0.1}]})"),
                                                  QStringLiteral("Feature importance")));
    QVERIFY(chart);
    auto *bars = qobject_cast<QAbstractBarSeries *>(chart->series().value(0));
    QVERIFY(bars);
    QBarSet *set = bars->barSets().value(0);
    QCOMPARE(set->count(), 3);
    QCOMPARE(set->at(2), 0.6); // horizontal bars: the last one is drawn on top
    std::unique_ptr<QChart> shap(importanceChart(
        json::parse(R"({"importance_ranking": [{"feature": "x", "importance": 2}]})"), QStringLiteral("SHAP")));
    QVERIFY(shap);
}

void TestUiCharts::confusionHeatMap()
{
    std::unique_ptr<QWidget> view(createArtifactView(
        QStringLiteral("confusion_matrix"),
        json::parse(R"({"confusion": [[5, 1], [2, 7]], "labels": ["no", "yes"]})")));
    auto *heat = qobject_cast<HeatMapWidget *>(view.get());
    QVERIFY(heat);
    QCOMPARE(heat->rowCount(), 2);
    QCOMPARE(heat->valueAt(1, 0), 2.0);
    heat->resize(400, 300);
    QVERIFY(!heat->grab().isNull());
}

void TestUiCharts::badJsonSaysSo()
{
    std::unique_ptr<QWidget> view(createArtifactView(QStringLiteral("roc_curve"), json::parse(R"({"oops": 1})")));
    QVERIFY(qobject_cast<QLabel *>(view.get()));
    std::unique_ptr<QWidget> unknown(createArtifactView(QStringLiteral("nonsense"), json::object()));
    QVERIFY(qobject_cast<QLabel *>(unknown.get()));
}

void TestUiCharts::wheelZoomsAndEscapeResets()
{
    ChartView view;
    view.showChart(rocChart(json::parse(R"({"fpr": [0, 0.5, 1], "tpr": [0, 0.9, 1], "auc": 0.7})")));
    view.resize(500, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *x = qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(x);
    const double before = x->max() - x->min();
    const QPointF centre = view.rect().center();
    QWheelEvent wheel(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &wheel);
    QVERIFY(x->max() - x->min() < before * 0.9);
    QTest::keyClick(&view, Qt::Key_Escape);
    QCOMPARE(x->max() - x->min(), before);
}

void TestUiCharts::liveChartBatchesPoints()
{
    LiveMetricChart chart;
    chart.applyEvent(trainEvent(events::TrainRunStarted,
                                {{"run_id", "r1"}, {"model_id", "xgboost"}, {"model_name", "XGBoost"}, {"label", "a"}}));
    for (int step = 1; step <= 300; ++step) {
        for (const char *split : {"train", "valid"}) {
            chart.applyEvent(trainEvent(events::MetricScalar, {{"run_id", "r1"}, {"name", "mlogloss"}, {"split", split},
                                                               {"step", step}, {"value", 1.0 / step}, {"fold", 0}}));
        }
    }
    // other folds, other runs and the test score never reach the curve
    chart.applyEvent(trainEvent(events::MetricScalar, {{"run_id", "r1"}, {"split", "valid"}, {"step", 1}, {"value", 9}, {"fold", 1}}));
    chart.applyEvent(trainEvent(events::MetricScalar, {{"run_id", "r2"}, {"split", "valid"}, {"step", 1}, {"value", 9}, {"fold", 0}}));
    chart.applyEvent(trainEvent(events::MetricScalar, {{"run_id", "r1"}, {"split", "test"}, {"step", 1}, {"value", 9}, {"fold", 0}}));
    QCOMPARE(chart.shownPoints(), 0); // nothing is drawn per event
    QTRY_COMPARE(chart.shownPoints(), 600);
    QCOMPARE(chart.repaints(), 1);
    // the ensemble's refit keeps the last candidate's curve on screen
    chart.applyEvent(trainEvent(events::TrainRunStarted, {{"run_id", "final"}, {"model_id", "ensemble"}}));
    QCOMPARE(chart.shownPoints(), 600);
    chart.applyEvent(trainEvent(events::TrainRunStarted, {{"run_id", "r3"}, {"model_id", "linear"}}));
    QCOMPARE(chart.shownPoints(), 0);
}

QTEST_MAIN(TestUiCharts)
#include "tst_uicharts.moc"
