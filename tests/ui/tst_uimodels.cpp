// Every item model of the UI under QAbstractItemModelTester, fed the way the events feed them.

#include "core/conductor/EventNames.h"
#include "ui/models/ArtifactListModel.h"
#include "ui/models/ColumnProfileModel.h"
#include "ui/models/ExcludedColumnsModel.h"
#include "ui/models/LeaderboardModel.h"
#include "ui/models/StageTimelineModel.h"
#include "ui/models/TableDataModel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

using namespace baton;
using namespace baton::ui;

namespace {

std::shared_ptr<const Table> numbersTable(qsizetype rows)
{
    std::vector<double> a(static_cast<size_t>(rows)), b(static_cast<size_t>(rows));
    for (qsizetype i = 0; i < rows; ++i) {
        a[size_t(i)] = double(i);
        b[size_t(i)] = double(i) * 0.5;
    }
    auto table = std::make_shared<Table>();
    if (!table->addColumn(Column::float64(QStringLiteral("id"), std::move(a)))
        || !table->addColumn(Column::float64(QStringLiteral("half"), std::move(b))))
        return nullptr;
    return table;
}

Event stageEvent(StageId stage, const char *status, qint64 tsMs, const QString &message = {})
{
    Event e;
    e.name = QString::fromLatin1(events::StageStatus);
    e.stage = stage;
    e.tsMs = tsMs;
    e.payload = {{"stage_id", toStd(stageName(stage))}, {"status", status}};
    if (!message.isEmpty())
        e.payload["message"] = toStd(message);
    return e;
}

json leaderboardRows(int n)
{
    json rows = json::array();
    for (int i = 0; i < n; ++i) {
        rows.push_back({{"rank", i + 1}, {"run_id", "run_" + std::to_string(i)}, {"model", "XGBoost"},
                        {"label", "depth " + std::to_string(i)}, {"metric", 0.9 - 0.01 * i},
                        {"cv_std", 0.01}, {"runtime_s", 1.5}});
    }
    return {{"metric", "accuracy"}, {"higher_is_better", true}, {"rows", rows}};
}

} // namespace

class TestUiModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timelineTracksStatusAndElapsedTime();
    void leaderboardGrowsAndReranks();
    void columnProfileReadsProfileJson();
    void excludedColumnsAreEditable();
    void artifactsReplaceById();
    void tableModelFetchesLazily();
    void millionRowsScrollWithoutMaterialising();
};

void TestUiModels::timelineTracksStatusAndElapsedTime()
{
    StageTimelineModel model;
    QAbstractItemModelTester tester(&model);
    QCOMPARE(model.rowCount(), kStageCount);
    model.applyEvent(stageEvent(StageId::Train, "IN_PROGRESS", 1'000));
    QCOMPARE(model.status(StageId::Train), StageStatus::InProgress);
    model.applyEvent(stageEvent(StageId::Train, "WAITING_CONFIRMATION", 13'500, QStringLiteral("trained")));
    QCOMPARE(model.elapsedMs(StageId::Train), 12'500);
    const QModelIndex elapsed = model.index(stageIndex(StageId::Train), StageTimelineModel::ElapsedColumn);
    QCOMPARE(elapsed.data().toString(), StageTimelineModel::formatDuration(12'500));
    QCOMPARE(model.index(stageIndex(StageId::Train), StageTimelineModel::MessageColumn).data().toString(),
             QStringLiteral("trained"));
    // confirming keeps the summary and does not extend the stage's time
    model.applyEvent(stageEvent(StageId::Train, "COMPLETED", 60'000, QStringLiteral("Stage confirmed")));
    QCOMPARE(model.elapsedMs(StageId::Train), 12'500);
    QCOMPARE(model.index(stageIndex(StageId::Train), StageTimelineModel::MessageColumn).data().toString(),
             QStringLiteral("trained"));
    model.applyEvent(stageEvent(StageId::Train, "PENDING", 61'000));
    QCOMPARE(model.elapsedMs(StageId::Train), -1);
}

void TestUiModels::leaderboardGrowsAndReranks()
{
    LeaderboardModel model;
    QAbstractItemModelTester tester(&model);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.update(leaderboardRows(2));
    model.update(leaderboardRows(5));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(model.index(4, LeaderboardModel::ConfigColumn).data().toString(), QStringLiteral("depth 4"));
    QCOMPARE(model.headerData(LeaderboardModel::ScoreColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
             QStringLiteral("CV accuracy"));
    model.update(leaderboardRows(3));
    QCOMPARE(model.rowCount(), 3);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestUiModels::columnProfileReadsProfileJson()
{
    ColumnProfileModel model;
    QAbstractItemModelTester tester(&model);
    const json columns = json::parse(R"([
        {"name": "price", "type": "float64", "missing_pct": 12.5, "distinct": 40, "is_target": true,
         "numeric": {"mean": 3.5, "std": 1.25, "min": 1, "max": 9,
                     "histogram": {"edges": [1, 5, 9], "counts": [30, 10]}}},
        {"name": "city", "type": "categorical", "missing_pct": 0, "distinct": 2,
         "top_values": [{"value": "Graz", "count": 25}, {"value": "Linz", "count": 15}]},
        {"name": "bad", "type": 7, "missing_pct": "x"}
    ])");
    model.setColumns(columns);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.index(0, ColumnProfileModel::NameColumn).data().toString().contains(QStringLiteral("target")));
    QVERIFY(model.index(0, ColumnProfileModel::StatsColumn).data().toString().contains(QStringLiteral("3.5")));
    const auto bars = model.index(0, 0).data(ColumnProfileModel::HistogramRole).value<QList<qreal>>();
    QCOMPARE(bars, (QList<qreal>{30, 10}));
    QCOMPARE(model.index(1, 0).data(ColumnProfileModel::HistogramRole).value<QList<qreal>>(), (QList<qreal>{25, 15}));
    QCOMPARE(model.index(2, ColumnProfileModel::NameColumn).data().toString(), QStringLiteral("bad"));
    QCOMPARE(model.columnName(1), QStringLiteral("city"));
}

void TestUiModels::excludedColumnsAreEditable()
{
    ExcludedColumnsModel model;
    QAbstractItemModelTester tester(&model);
    model.setExclusions(json::parse(R"([{"column": "Id", "reason": "id_like"}, {"column": "Id"}, {"x": 1}])"));
    QCOMPARE(model.rowCount(), 1);
    model.addExclusion(QStringLiteral("Street"), QStringLiteral("constant"));
    model.addExclusion(QStringLiteral("Street"), QStringLiteral("again"));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(!(model.flags(model.index(0, ExcludedColumnsModel::NameColumn)) & Qt::ItemIsEditable));
    QVERIFY(model.setData(model.index(1, ExcludedColumnsModel::ReasonColumn), QStringLiteral(" leaks the target ")));
    QCOMPARE(model.toJson()[1]["reason"], "leaks the target");
    model.removeExclusion(0);
    QCOMPARE(model.toJson(), json::parse(R"([{"column": "Street", "reason": "leaks the target"}])"));
}

void TestUiModels::artifactsReplaceById()
{
    ArtifactListModel model;
    QAbstractItemModelTester tester(&model);
    model.addArtifact({{"id", "r_roc"}, {"type", "roc_curve"}, {"name", "ROC"}, {"url", "/api/a"}});
    model.addArtifact({{"id", "r_cm"}, {"type", "confusion_matrix"}, {"name", "Confusion"}, {"url", "/api/b"}});
    model.addArtifact({{"id", "r_roc"}, {"type", "roc_curve"}, {"name", "ROC again"}, {"url", "/api/c"}});
    model.addArtifact({{"id", "no_url"}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data().toString(), QStringLiteral("ROC again"));
    QCOMPARE(model.rowOfType(QStringLiteral("confusion_matrix")), 1);
}

void TestUiModels::tableModelFetchesLazily()
{
    TableDataModel model;
    QAbstractItemModelTester tester(&model);
    model.setTable(numbersTable(250'000));
    QCOMPARE(model.rowCount(), int(TableDataModel::kBatchRows));
    QVERIFY(model.canFetchMore({}));
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 250'000);
    QCOMPARE(model.index(249'999, 0).data().toString(), QStringLiteral("249999"));
    QCOMPARE(model.headerData(1, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("half"));
    model.setTable(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestUiModels::millionRowsScrollWithoutMaterialising()
{
    TableDataModel model;
    model.setTable(numbersTable(1'000'000));
    QTableView view;
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.setModel(&model);
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // jump to the end the way a user drags the scroll bar, batch by batch
    QElapsedTimer timer;
    timer.start();
    qint64 slowest = 0;
    for (int step = 0; step < 40 && (model.canFetchMore({}) || view.verticalScrollBar()->value() < view.verticalScrollBar()->maximum()); ++step) {
        QElapsedTimer one;
        one.start();
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
        QCoreApplication::processEvents();
        slowest = std::max(slowest, one.elapsed());
    }
    QCOMPARE(model.rowCount(), 1'000'000);
    view.scrollToBottom();
    QCoreApplication::processEvents();
    const QModelIndex last = view.indexAt(QPoint(5, view.viewport()->height() - 5));
    QVERIFY(last.isValid());
    QVERIFY2(last.row() > 999'900, qPrintable(QString::number(last.row())));
    qInfo("1M rows: reached the end in %lld ms, slowest scroll step %lld ms", timer.elapsed(), slowest);
}

QTEST_MAIN(TestUiModels)
#include "tst_uimodels.moc"
