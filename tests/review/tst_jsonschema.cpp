// The JSON Schema validator and report.json's published schema: a real report shape passes, and
// each kind of violation is caught and located by a JSON pointer.

#include "core/common/JsonSchema.h"
#include "core/review/ReportSchema.h"

#include <QTest>

using namespace baton;

namespace {

// A minimal report with every required member, shaped as REVIEW_EDIT writes it.
json validReport()
{
    const std::string sha(64, 'a');
    return {
        {"format", "baton.report"}, {"version", 1}, {"project_id", "p"}, {"generated_at", "2026-11-27T19:30:25Z"},
        {"goal", "predict y"}, {"intent", {{"task_type", "regression"}, {"target", "y"}}},
        {"task", {{"type", "regression"}, {"target", "y"}, {"classes", json::array()}, {"metric", "rmse"}}},
        {"data", {{"name", "d.csv"}, {"path", "/d.csv"}, {"rows", 10}, {"columns", {"x", "y"}},
                  {"column_types", {{"x", "float64"}, {"y", "float64"}}}, {"sha256", sha},
                  {"summary", json::object()},
                  {"warnings", {{{"code", "constant"}, {"column", "x"}, {"message", "x is constant"}, {"severity", "warning"}}}},
                  {"excluded_columns", {{{"column", "x"}, {"reason", "constant"}}}}}},
        {"preprocessing", {{"spec", "model/preprocess.json"}, {"steps", {{{"name", "impute_numeric"}}}},
                           {"target_transform", "none"}, {"tree_features", {"x"}}, {"excluded", json::array()},
                           {"split", {{"train_rows", 8}, {"test_rows", 2}, {"stratified", false}, {"seed", 1}}}}},
        {"leaderboard", {{{"run_id", "run_1"}, {"model_id", "xgboost"}, {"label", "default"}, {"cv_score", 1.5}}}},
        {"search", {{"candidates", 1}}},
        {"model", {{"format", "xgboost-json"}, {"folder", "model"},
                   {"members", {{{"run_id", "run_1"}, {"family", "xgboost"}, {"weight", 1.0}, {"features", "tree"},
                                 {"params", json::object()}}}}}},
        {"metrics", {{"split", "test"}, {"primary", {{"name", "rmse"}, {"value", 1.2}}}, {"test", {{"rmse", 1.2}}}}},
        {"evaluation_artifacts", json::array()},
        {"narrative", {"A regression model."}},
        {"reproducibility", {{"baton_version", "0.1.0"}, {"seed", 1}, {"time_budget_s", 60},
                             {"xgboost_version", "1.7.4"}, {"qt_version", "6.4.2"}, {"data_sha256", sha}}},
    };
}

} // namespace

class TestJsonSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publishedSchemaIsCompiledIn()
    {
        QVERIFY(reportSchema().is_object());
        QCOMPARE(reportSchema()["properties"]["version"]["const"].get<int>(), 1);
    }

    void validReportPasses()
    {
        const QStringList violations = reportSchemaViolations(validReport());
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
    }

    void violationsAreLocated_data()
    {
        QTest::addColumn<QString>("pointer");   // where to break the report ("/a/b")
        QTest::addColumn<QString>("value");     // JSON to put there; empty = remove the member
        QTest::addColumn<QString>("expected");  // a substring of the violation

        QTest::newRow("missing member") << "/metrics" << "" << "(root): missing required member \"metrics\"";
        QTest::newRow("wrong type") << "/data/rows" << "\"ten\"" << "/data/rows: expected \"integer\"";
        QTest::newRow("fraction is not an integer") << "/data/rows" << "10.5" << "/data/rows: expected";
        QTest::newRow("const") << "/version" << "2" << "/version: must be 1";
        QTest::newRow("enum") << "/task/type" << "\"clustering\"" << "/task/type: \"clustering\" is not one of";
        QTest::newRow("pattern via $ref") << "/reproducibility/data_sha256" << "\"abc\"" << "does not match";
        QTest::newRow("additionalProperties schema") << "/data/column_types/x" << "\"complex\"" << "/data/column_types/x:";
        QTest::newRow("minItems") << "/narrative" << "[]" << "/narrative: has 0 items, minItems is 1";
        QTest::newRow("minimum") << "/model/members/0/weight" << "-0.5" << "/model/members/0/weight: -0.5 is out of range";
        QTest::newRow("item of an array") << "/leaderboard/0/run_id" << "\"\"" << "/leaderboard/0/run_id: is shorter than 1";
        QTest::newRow("nested required") << "/metrics/primary/name" << "" << "/metrics/primary: missing required member \"name\"";
    }

    void violationsAreLocated()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        json report = validReport();
        const json::json_pointer where(pointer.toStdString());
        if (value.isEmpty())
            report.at(where.parent_pointer()).erase(where.back());
        else
            report[where] = json::parse(value.toStdString());
        const QStringList violations = reportSchemaViolations(report);
        QVERIFY2(!violations.isEmpty(), "the broken report passed");
        QVERIFY2(violations.join(QLatin1Char('\n')).contains(expected), qPrintable(violations.join(QLatin1Char('\n'))));
    }

    void anyOfAndOneOf()
    {
        const json schema = {{"oneOf", {{{"type", "integer"}}, {{"type", "number"}}}}};
        QVERIFY(validateJsonSchema(json("x"), schema).join(QString()).contains("matches 0 of the 2"));
        QVERIFY(validateJsonSchema(json(1), schema).join(QString()).contains("matches 2 of the 2"));
        QVERIFY(validateJsonSchema(json(1.5), schema).isEmpty());
        const json any = {{"anyOf", {{{"type", "integer"}}, {{"type", "number"}}}}};
        QVERIFY(validateJsonSchema(json(1), any).isEmpty());
    }

    void schemaProblemsAreNotIgnored()
    {
        QVERIFY(validateJsonSchema(json(1), {{"multipleOf", 2}}).join(QString()).contains("unsupported keyword"));
        QVERIFY(validateJsonSchema(json(1), {{"$ref", "#/$defs/none"}}).join(QString()).contains("unresolvable $ref"));
        QVERIFY(validateJsonSchema(json(1), json(false)).join(QString()).contains("no value is allowed"));
        QVERIFY(validateJsonSchema(json(1), json(true)).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "tst_jsonschema.moc"
