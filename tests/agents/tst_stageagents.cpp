// The agents behind MODEL_SELECT, PREPROCESS, DATA_SOURCE and REVIEW_EDIT: their rules, and their
// model path against a fake OpenAI-compatible server (valid and schema-violating replies).

#include "FakeLlmServer.h"

#include "core/agents/DatasetFinder.h"
#include "core/agents/ModelSelector.h"
#include "core/agents/Narrator.h"
#include "core/agents/PreprocessPlanner.h"

#include <QThread>
#include <QtTest>

#include <optional>

using namespace baton;
using test::FakeLlmServer;
using test::ScriptedResponse;
using test::onWorker;

namespace {

AgentRunner runnerFor(const FakeLlmServer &server)
{
    LlmConfig config;
    config.baseUrl = QUrl(server.baseUrl());
    config.model = QStringLiteral("test/model");
    config.apiKey = QStringLiteral("sk-test-agents");
    config.timeoutMs = 3000;
    config.backoffMs = 10;
    return AgentRunner(config);
}

AgentRunner offline()
{
    return AgentRunner(LlmConfig{});
}

QStringList ids(const std::vector<ModelOption> &options)
{
    QStringList out;
    for (const ModelOption &o : options)
        out << o.id;
    return out;
}

DataTraits houseTraits()
{
    DataTraits t;
    t.trainRows = 2344;
    t.features = 79;
    t.numericColumns = 35;
    t.categoricalColumns = 44;
    t.timeBudgetS = 120;
    return t;
}

std::vector<ColumnHint> leakyColumns()
{
    using K = ColumnHint::Kind;
    return {{QStringLiteral("Order"), K::Integer, 2930, 2930},
            {QStringLiteral("Lot_Area"), K::Integer, 1960, 2930},
            {QStringLiteral("Neighborhood"), K::Categorical, 28, 2930},
            {QStringLiteral("Sale_Price"), K::Integer, 1032, 2930},
            {QStringLiteral("sale_price_log"), K::Numeric, 1032, 2930}};
}

json reportFacts()
{
    return {{"goal", "predict house prices"},
            {"task", {{"type", "regression"}, {"target", "Sale_Price"}}},
            {"data", {{"name", "Ames housing"}, {"rows", 2930}, {"columns", 74}}},
            {"split", {{"train_rows", 2344}, {"test_rows", 586}}},
            {"metrics", {{"primary", {{"name", "rmse"}, {"value", 23456.789}}},
                         {"test", {{"rmse", 23456.789}, {"r2", 0.91234}, {"mae", 15000.5}}}}}};
}

} // namespace

class TestStageAgents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelRules_data();
    void modelRules();
    void modelSelectorFromTheModel();
    void modelSelectorRejectsUnknownIds();

    void plannerRulesFindTargetLeaks();
    void plannerFromTheModel();
    void plannerRejectsInvalidPlans_data();
    void plannerRejectsInvalidPlans();

    void narrativeCheck_data();
    void narrativeCheck();
    void narratorFromTheModel();
    void narratorRejectsInventedNumbers();
    void narrateReportKeepsTheRulesOffline();
    void narratorIsToldAboutTheRefit();

    void datasetFinderRules();
    void datasetFinderFromTheModel();
    void datasetFinderRejectsUnknownDatasets();
};

void TestStageAgents::modelRules_data()
{
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<int>("features");
    QTest::addColumn<int>("budget");
    QTest::addColumn<QString>("first");
    QTest::newRow("a usual table: search and ensemble") << qint64(2344) << 79 << 120 << "auto";
    QTest::newRow("tiny: linear overfits least") << qint64(40) << 8 << 120 << "linear";
    QTest::newRow("too big for the budget: XGBoost alone") << qint64(2000000) << 100 << 60 << "xgboost";
    QTest::newRow("big but enough time") << qint64(2000000) << 100 << 3600 << "auto";
}

void TestStageAgents::modelRules()
{
    QFETCH(qint64, rows);
    QFETCH(int, features);
    QFETCH(int, budget);
    QFETCH(QString, first);
    DataTraits t;
    t.trainRows = rows;
    t.features = features;
    t.timeBudgetS = budget;
    const auto result = onWorker([&] { return selectModels(offline(), t); });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QCOMPARE(result.value.front().id, first);
    QStringList all = ids(result.value);
    all.sort();
    QStringList expected = modelOptionIds();
    expected.sort();
    QCOMPARE(all, expected); // every option once
    for (const ModelOption &o : result.value)
        QVERIFY(!o.why.isEmpty());
}

void TestStageAgents::modelSelectorFromTheModel()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"ranking", {"random_forest", "XGBoost"}},
                                           {"why", {{"random_forest", "Robust on this mix of columns."}}}})});
    const auto result = onWorker([&] { return selectModels(runnerFor(server), houseTraits()); });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Llm);
    QCOMPARE(ids(result.value), (QStringList{"random_forest", "xgboost", "auto", "linear"}));
    QCOMPARE(result.value.front().why, QStringLiteral("Robust on this mix of columns."));
    const json request = json::parse(server.requests().front().body.toStdString());
    QVERIFY(request.at("messages").back().at("content").get<std::string>().find("\"train_rows\":2344") != std::string::npos);
}

void TestStageAgents::modelSelectorRejectsUnknownIds()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"ranking", {"svm", "auto"}}})});
    const auto result = onWorker([&] { return selectModels(runnerFor(server), houseTraits()); });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(QStringLiteral("“svm” is not one of")), qPrintable(result.provenance.reason));
    QCOMPARE(result.value.front().id, QStringLiteral("auto"));
}

void TestStageAgents::plannerRulesFindTargetLeaks()
{
    const auto planned = planExclusionsByRules(leakyColumns(), QStringLiteral("Sale_Price"), {});
    QCOMPARE(planned.size(), size_t(1));
    QCOMPARE(planned.front().column, QStringLiteral("sale_price_log"));
    QVERIFY(planned.front().reason.contains(QLatin1String("derived from the target")));
    QVERIFY(planExclusionsByRules(leakyColumns(), QStringLiteral("Sale_Price"), {QStringLiteral("sale_price_log")}).empty());
    QVERIFY(planExclusionsByRules(leakyColumns(), QStringLiteral("Lot_Area"), {}).empty());
}

void TestStageAgents::plannerFromTheModel()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"exclude", {{{"column", "Order"}, {"reason", "a row identifier"}},
                                                        {{"column", "sale_price_log"}, {"reason", "computed from the target"}}}}})});
    const auto result = onWorker([&] {
        return planExclusions(runnerFor(server), leakyColumns(), QStringLiteral("Sale_Price"), false, {});
    });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Llm);
    QCOMPARE(result.value.size(), size_t(2));
    QCOMPARE(result.value[0].column, QStringLiteral("Order"));
    QCOMPARE(result.value[0].reason, QStringLiteral("a row identifier"));
}

void TestStageAgents::plannerRejectsInvalidPlans_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QString>("reason");
    QTest::newRow("the target") << QByteArray(R"({"exclude":[{"column":"Sale_Price","reason":"leak"}]})") << "cannot be excluded";
    QTest::newRow("unknown column") << QByteArray(R"({"exclude":[{"column":"Colour","reason":"noise"}]})") << "not a column";
    QTest::newRow("no reason") << QByteArray(R"({"exclude":[{"column":"Order"}]})") << "“reason” is missing";
    QTest::newRow("everything") << QByteArray(R"({"exclude":[{"column":"Order","reason":"a"},{"column":"Lot_Area","reason":"b"},{"column":"Neighborhood","reason":"c"},{"column":"sale_price_log","reason":"d"}]})")
                                << "no feature";
    QTest::newRow("not a list") << QByteArray(R"({"exclude":"Order"})") << "must be an array";
}

void TestStageAgents::plannerRejectsInvalidPlans()
{
    QFETCH(QByteArray, reply);
    QFETCH(QString, reason);
    FakeLlmServer server;
    server.script({ScriptedResponse::completion(reply)});
    const auto result = onWorker([&] {
        return planExclusions(runnerFor(server), leakyColumns(), QStringLiteral("Sale_Price"), false, {});
    });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(reason), qPrintable(result.provenance.reason));
    QCOMPARE(result.value.size(), size_t(1)); // the rules' leak
}

void TestStageAgents::narrativeCheck_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problem"); // empty: accepted
    QTest::newRow("exact") << "On 586 held-out rows the RMSE is 23456.789." << "";
    QTest::newRow("rounded") << "The typical error (RMSE) is about 23,457 dollars on 2,930 houses." << "";
    QTest::newRow("percentage") << "It explains 91.2% of the variance; RMSE 23457." << "";
    QTest::newRow("small counts are free") << "Three models, 5-fold validation, RMSE 23456.79." << "";
    QTest::newRow("invented number") << "RMSE 23456.79, better than the 30000 of a typical agent." << "not in the run: 30000";
    QTest::newRow("invented precision") << "RMSE 23456.79 and an R² of 0.95." << "not in the run: 0.95";
    QTest::newRow("metric not stated") << "The model predicts prices from 2930 houses." << "not stated";
}

void TestStageAgents::narrativeCheck()
{
    QFETCH(QString, text);
    QFETCH(QString, problem);
    const QString found = uncheckedNumbers(text, reportFacts(), 23456.789);
    if (problem.isEmpty())
        QVERIFY2(found.isEmpty(), qPrintable(found));
    else
        QVERIFY2(found.contains(problem), qPrintable(found));
}

void TestStageAgents::narratorFromTheModel()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"paragraphs", {"Baton learned to predict a house's sale price from 2,930 sales.",
                                                           "On 586 houses it never saw, its typical error (RMSE) is about $23,457."}}})});
    const QStringList rules{QStringLiteral("deterministic")};
    const auto result = onWorker([&] { return narrate(runnerFor(server), reportFacts(), rules); });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Llm);
    QCOMPARE(result.value.size(), qsizetype(2));
}

void TestStageAgents::narratorRejectsInventedNumbers()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"paragraphs", {"The model is 97% accurate with an RMSE of 23457."}}})});
    const QStringList rules{QStringLiteral("deterministic")};
    const auto result = onWorker([&] { return narrate(runnerFor(server), reportFacts(), rules); });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(QLatin1String("disagrees with the run")), qPrintable(result.provenance.reason));
    QCOMPARE(result.value, rules);
}

void TestStageAgents::narrateReportKeepsTheRulesOffline()
{
    json report = reportFacts();
    report["narrative"] = {"First.", "Second."};
    onWorker([&] {
        narrateReport(offline(), report);
        return 0;
    });
    QCOMPARE(report.at("narrative"), json({"First.", "Second."}));
    QCOMPARE(report.at("narrative_source").at("produced_by").get<std::string>(), std::string("fallback"));
}

void TestStageAgents::narratorIsToldAboutTheRefit()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"paragraphs", {"On held-out rows its RMSE is 23456.789."}}})});
    json report = reportFacts();
    report["model"] = {{"refitted_on_all_rows", true}, {"fitted_rows", 2930}, {"members", json::array()}};
    report["narrative"] = {"Deterministic."};
    onWorker([&] {
        narrateReport(runnerFor(server), report);
        return 0;
    });
    QCOMPARE(report.at("narrative_source").at("produced_by").get<std::string>(), std::string("llm"));
    QCOMPARE(server.requests().size(), size_t(1));
    const json request = json::parse(server.requests().front().body.toStdString());
    const json facts = json::parse(request.at("messages").back().at("content").get<std::string>());
    QCOMPARE(facts.at("exported_model"), json({{"refitted_on_all_rows", true}, {"fitted_rows", 2930}}));
}

void TestStageAgents::datasetFinderRules()
{
    const auto houses = onWorker([] { return findDatasets(offline(), QStringLiteral("predict house prices"), {}, {}); });
    QCOMPARE(houses.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY(!houses.value.empty());
    QCOMPARE(houses.value.front().id, QStringLiteral("demo_ames_housing"));
    const auto nothing = onWorker([] { return findDatasets(offline(), QStringLiteral("classify galaxies"), {}, {}); });
    QVERIFY(nothing.value.empty());
}

void TestStageAgents::datasetFinderFromTheModel()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"matching", {"demo_electricity_taylor"}}})});
    const auto result = onWorker([&] {
        return findDatasets(runnerFor(server), QStringLiteral("how much power will the grid need"), {}, QStringLiteral("forecast"));
    });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Llm);
    QCOMPARE(result.value.size(), size_t(1));
    QCOMPARE(result.value.front().id, QStringLiteral("demo_electricity_taylor"));
}

void TestStageAgents::datasetFinderRejectsUnknownDatasets()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object({{"matching", {"kaggle/titanic"}}})});
    const auto result = onWorker([&] {
        return findDatasets(runnerFor(server), QStringLiteral("predict house prices"), {}, {});
    });
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY(result.provenance.reason.contains(QLatin1String("not in the catalogue")));
    QCOMPARE(result.value.front().id, QStringLiteral("demo_ames_housing"));
}

QTEST_GUILESS_MAIN(TestStageAgents)
#include "tst_stageagents.moc"
