#include "core/conductor/EventNames.h"
#include "core/ml/Evaluation.h"
#include "core/project/Assets.h"
#include "core/report/Charts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace baton;

// Evaluation maths and artifact files in a QCoreApplication, as the headless CLI runs them.
// Expected numbers come from scikit-learn 1.2.1 (script in the comment of each block); the chart
// side (QGuiApplication needed for text) is covered by tst_charts.

namespace {

const QString kProject = QStringLiteral("proj-1");

// Binary example with tied scores (three rows at 0.4, mixed labels).
//   y  = [0,0,1,1,0,1,0,1,1,0,1,0]
//   p1 = [0.1,0.4,0.35,0.8,0.4,0.9,0.05,0.65,0.4,0.7,0.55,0.2];  P = np.c_[1-p1, p1]
const std::vector<int> kBinaryTruth = {0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0};
const std::vector<double> kBinaryScores
    = {0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.05, 0.65, 0.4, 0.7, 0.55, 0.2};

// Three classes; every class present.
const std::vector<int> kMultiTruth = {0, 1, 2, 2, 1, 0, 2, 1, 0, 2};
const std::vector<double> kMultiProbabilities
    = {0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.3, 0.4, 0.5,  0.4,  0.1,
       0.6, 0.1, 0.3, 0.2, 0.2, 0.6, 0.1, 0.8, 0.1, 0.3, 0.4, 0.3, 0.25, 0.45, 0.3};

const std::vector<double> kRegressionTruth = {3, -0.5, 2, 7, 4.2, 0, 1.5, 10};
const std::vector<double> kRegressionPrediction = {2.5, 0.0, 2.1, 7.8, 3.9, 0.3, 1.2, 8.5};

EvaluationInput binaryInput()
{
    EvaluationInput in;
    in.runId = QStringLiteral("run_ab12cd34");
    in.classification = true;
    in.classLabels = {QStringLiteral("0"), QStringLiteral("1")};
    in.classTruth = kBinaryTruth;
    for (double p : kBinaryScores) {
        in.probabilities.push_back(1 - p);
        in.probabilities.push_back(p);
    }
    return in;
}

EvaluationInput multiclassInput()
{
    EvaluationInput in;
    in.runId = QStringLiteral("run_multi");
    in.classification = true;
    in.classLabels
        = {QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")};
    in.classTruth = kMultiTruth;
    in.probabilities = kMultiProbabilities;
    return in;
}

EvaluationInput regressionInput()
{
    EvaluationInput in;
    in.runId = QStringLiteral("run_reg");
    in.truth = kRegressionTruth;
    in.prediction = kRegressionPrediction;
    return in;
}

void addExplanations(EvaluationInput &in)
{
    in.featureNames = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    in.gainImportance = {3, 1, 0};
    in.permutationImportance = {0.02, 0.10, -0.01};
    // 3 rows × (3 features + bias)
    in.contributions = {0.5f,  -1.0f, 0.0f, -0.2f, //
                        -0.5f, 2.0f,  0.0f, -0.2f, //
                        1.0f,  0.0f,  0.3f, -0.2f};
}

bool close(double actual, double expected, double relative = 1e-12)
{
    return std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected));
}

#define COMPARE_CLOSE(actual, expected)                                                            \
    do {                                                                                           \
        const double a_ = (actual), e_ = (expected);                                               \
        if (!close(a_, e_))                                                                        \
            QFAIL(qPrintable(QStringLiteral("%1 = %2, expected %3")                                \
                                 .arg(QLatin1String(#actual))                                      \
                                 .arg(a_, 0, 'g', 17)                                              \
                                 .arg(e_, 0, 'g', 17)));                                           \
    } while (false)

#define COMPARE_VECTOR(actual, ...)                                                                \
    do {                                                                                           \
        const std::vector<double> a_ = (actual), e_ = __VA_ARGS__;                                 \
        QCOMPARE(a_.size(), e_.size());                                                            \
        for (size_t i_ = 0; i_ < a_.size(); ++i_) {                                                \
            if (!close(a_[i_], e_[i_]))                                                            \
                QFAIL(qPrintable(QStringLiteral("%1[%2] = %3, expected %4")                        \
                                     .arg(QLatin1String(#actual))                                  \
                                     .arg(i_)                                                      \
                                     .arg(a_[i_], 0, 'g', 17)                                      \
                                     .arg(e_[i_], 0, 'g', 17)));                                   \
        }                                                                                          \
    } while (false)

std::vector<double> doubles(const json &array)
{
    std::vector<double> out;
    for (const json &v : array)
        out.push_back(v.get<double>());
    return out;
}

// Reads a written artifact back through the strict parser and checks the text for NaN/Infinity.
json readStrict(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return json();
    const QByteArray text = file.readAll();
    if (text.contains("NaN") || text.contains("Infinity"))
        return json();
    const Result<json> parsed = parseJson(text, path);
    return parsed.ok() ? parsed.value() : json();
}

QString fileOf(const QTemporaryDir &dir, const QString &runId, const QString &suffix)
{
    return dir.filePath(QStringLiteral("evaluation/%1_%2").arg(runId, suffix));
}

} // namespace

class TestEvaluation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void binaryMetricsMatchSklearn();
    void rocCurveMatchesSklearn();
    void precisionRecallMatchesSklearn();
    void calibrationMatchesSklearn();
    void multiclassMetricsMatchSklearn();
    void regressionMetricsMatchSklearn();
    void regressionUndefinedPercentagesAreNull();
    void classificationArtifacts();
    void multiclassArtifacts();
    void regressionArtifacts();
    void largeRegressionIsSampled();
    void largeCurvesAreCappedInline();
    void singleClassTruthSkipsCurves();
    void invalidInputIsRejected_data();
    void invalidInputIsRejected();
    void chartsWithoutGuiApplicationReturnNull();
};

void TestEvaluation::binaryMetricsMatchSklearn()
{
    const json m = classificationMetricsPayload(binaryInput());
    QVERIFY2(!m.contains("error"), m.dump().c_str());
    QCOMPARE(m["run_id"].get<std::string>(), std::string("run_ab12cd34"));
    COMPARE_CLOSE(m["accuracy"].get<double>(), 0.75);
    COMPARE_CLOSE(m["balanced_accuracy"].get<double>(), 0.75);
    COMPARE_CLOSE(m["precision"].get<double>(), 0.7571428571428571);
    COMPARE_CLOSE(m["recall"].get<double>(), 0.75);
    COMPARE_CLOSE(m["f1"].get<double>(), 0.7482517482517482);
    COMPARE_CLOSE(m["roc_auc"].get<double>(), 0.8055555555555556);
    COMPARE_CLOSE(m["mcc"].get<double>(), 0.50709255283711);
    COMPARE_CLOSE(m["cohen_kappa"].get<double>(), 0.5);
    COMPARE_CLOSE(m["log_loss"].get<double>(), 0.49405485445087066);
    COMPARE_CLOSE(m["average_precision"].get<double>(), 0.8069444444444444);
    COMPARE_VECTOR(doubles(m["precision_per_class"]), {0.7142857142857143, 0.8});
    COMPARE_VECTOR(doubles(m["recall_per_class"]), {0.8333333333333334, 0.6666666666666666});
    COMPARE_VECTOR(doubles(m["f1_per_class"]), {0.7692307692307692, 0.7272727272727272});
    // confusion [[5, 1], [2, 4]]
    QCOMPARE(m["true_positives"].get<int>(), 4);
    QCOMPARE(m["true_negatives"].get<int>(), 5);
    QCOMPARE(m["false_positives"].get<int>(), 1);
    QCOMPARE(m["false_negatives"].get<int>(), 2);
    COMPARE_CLOSE(m["sensitivity"].get<double>(), 4.0 / 6.0);
    COMPARE_CLOSE(m["specificity"].get<double>(), 5.0 / 6.0);
    QCOMPARE(m["n_classes"].get<int>(), 2);
    QCOMPARE(m["n_samples"].get<int>(), 12);
    QCOMPARE(m["class_labels"], json::parse("[0, 1]")); // integer-looking labels stay numbers
    QCOMPARE(m["class_distribution"], json::parse(R"({"0": 6, "1": 6})"));
}

void TestEvaluation::rocCurveMatchesSklearn()
{
    std::vector<int> positive(kBinaryTruth.begin(), kBinaryTruth.end());
    const auto roc = evaluation::rocCurve(positive, kBinaryScores);
    QVERIFY(roc);
    // roc_curve(y, p1) with the default drop_intermediate=True
    COMPARE_VECTOR(roc->fpr,
                   {0.0, 0.0, 0.0, 0.16666666666666666, 0.16666666666666666, 0.5, 0.5, 1.0});
    COMPARE_VECTOR(roc->tpr, {0.0, 0.16666666666666666, 0.3333333333333333, 0.3333333333333333,
                              0.6666666666666666, 0.8333333333333334, 1.0, 1.0});
    COMPARE_VECTOR(roc->thresholds, {1.9, 0.9, 0.8, 0.7, 0.55, 0.4, 0.35, 0.05});
    COMPARE_CLOSE(roc->auc, 0.8055555555555556);

    QVERIFY(!evaluation::rocCurve({1, 1, 1}, {0.1, 0.2, 0.3})); // no negatives
    QVERIFY(!evaluation::rocCurve({0, 1}, {0.1, std::nan("")}));
    QVERIFY(!evaluation::rocCurve({}, {}));
}

void TestEvaluation::precisionRecallMatchesSklearn()
{
    std::vector<int> positive(kBinaryTruth.begin(), kBinaryTruth.end());
    const auto pr = evaluation::precisionRecallCurve(positive, kBinaryScores);
    QVERIFY(pr);
    COMPARE_VECTOR(pr->precision, {0.5, 0.5454545454545454, 0.6, 0.6666666666666666, 0.625, 0.8,
                                   0.75, 0.6666666666666666, 1.0, 1.0, 1.0});
    COMPARE_VECTOR(pr->recall, {1.0, 1.0, 1.0, 1.0, 0.8333333333333334, 0.6666666666666666, 0.5,
                                0.3333333333333333, 0.3333333333333333, 0.16666666666666666, 0.0});
    COMPARE_VECTOR(pr->thresholds, {0.05, 0.1, 0.2, 0.35, 0.4, 0.55, 0.65, 0.7, 0.8, 0.9});
    COMPARE_CLOSE(pr->averagePrecision, 0.8069444444444444);
    QVERIFY(!evaluation::precisionRecallCurve({0, 0}, {0.3, 0.6})); // no positives
}

void TestEvaluation::calibrationMatchesSklearn()
{
    std::vector<int> positive(kBinaryTruth.begin(), kBinaryTruth.end());
    const auto cal = evaluation::calibrationCurve(positive, kBinaryScores, 10);
    COMPARE_VECTOR(cal.probTrue, {0.0, 0.0, 0.5, 1.0, 0.5, 1.0, 1.0});
    COMPARE_VECTOR(cal.probPred,
                   {0.07500000000000001, 0.2, 0.38749999999999996, 0.55, 0.675, 0.8, 0.9});
    COMPARE_VECTOR(cal.binCounts, {2, 1, 4, 1, 2, 1, 1});
}

void TestEvaluation::multiclassMetricsMatchSklearn()
{
    const json m = classificationMetricsPayload(multiclassInput());
    QVERIFY2(!m.contains("error"), m.dump().c_str());
    COMPARE_CLOSE(m["accuracy"].get<double>(), 0.7);
    COMPARE_CLOSE(m["balanced_accuracy"].get<double>(), 0.6944444444444443);
    COMPARE_CLOSE(m["precision"].get<double>(), 0.75);
    COMPARE_CLOSE(m["recall"].get<double>(), 0.7);
    COMPARE_CLOSE(m["f1"].get<double>(), 0.7142857142857142);
    // roc_auc_score(multi_class="ovr", average="weighted")
    COMPARE_CLOSE(m["roc_auc"].get<double>(), 0.9321428571428572);
    COMPARE_CLOSE(m["mcc"].get<double>(), 0.5606060606060606);
    COMPARE_CLOSE(m["cohen_kappa"].get<double>(), 0.5522388059701493);
    COMPARE_CLOSE(m["log_loss"].get<double>(), 0.7045969619511041);
    COMPARE_VECTOR(doubles(m["f1_per_class"]),
                   {0.6666666666666666, 0.5714285714285715, 0.8571428571428571});
    QVERIFY(m["average_precision"].is_null()); // scikit-learn 1.2 has no multiclass AP
    QVERIFY(!m.contains("specificity"));
    QCOMPARE(m["class_labels"], json::parse(R"(["setosa", "versicolor", "virginica"])"));
    QCOMPARE(m["class_distribution"],
             json::parse(R"({"setosa": 3, "versicolor": 3, "virginica": 4})"));
}

void TestEvaluation::regressionMetricsMatchSklearn()
{
    const json m = regressionMetricsPayload(regressionInput());
    QVERIFY2(!m.contains("error"), m.dump().c_str());
    COMPARE_CLOSE(m["mse"].get<double>(), 0.45875);
    COMPARE_CLOSE(m["rmse"].get<double>(), 0.6773108592072034);
    COMPARE_CLOSE(m["mae"].get<double>(), 0.5375000000000001);
    COMPARE_CLOSE(m["median_ae"].get<double>(), 0.40000000000000013);
    COMPARE_CLOSE(m["r2"].get<double>(), 0.9590675886683024);
    COMPARE_CLOSE(m["explained_variance"].get<double>(), 0.9601968547847424);
    COMPARE_CLOSE(m["max_error"].get<double>(), 1.5);
    // 100 * mean_absolute_percentage_error on the non-zero targets
    COMPARE_CLOSE(m["mape"].get<double>(), 25.03401360544218);
    COMPARE_CLOSE(m["smape"].get<double>(), 59.96456545237032);
    QCOMPARE(m["n_samples"].get<int>(), 8);
}

void TestEvaluation::regressionUndefinedPercentagesAreNull()
{
    EvaluationInput in = regressionInput();
    in.truth = {0, 0, 0};
    in.prediction = {0, 1, 0};
    const json m = regressionMetricsPayload(in);
    QVERIFY(m["mape"].is_null());
    COMPARE_CLOSE(m["smape"].get<double>(), 200.0 / 3.0); // 0 vs 0 counts as exact
    COMPARE_CLOSE(m["r2"].get<double>(), 0.0);            // constant truth, imperfect fit
    COMPARE_CLOSE(m["explained_variance"].get<double>(), 0.0);
    QVERIFY(toStrictJson(m).find("NaN") == std::string::npos);
}

void TestEvaluation::classificationArtifacts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EvaluationInput in = binaryInput();
    addExplanations(in);
    const auto result = writeEvaluationArtifacts(in, dir.path(), kProject);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    const std::vector<ArtifactEvent> &events = result.value();

    const QStringList expectedTypes
        = {"confusion_matrix",  "roc_curve",          "pr_curve",
           "calibration_curve", "feature_importance", "permutation_importance",
           "shap_explanations", "full_metrics"};
    const QStringList expectedReady = {events::ConfusionMatrixReady,      events::RocCurveReady,
                                       events::PrecisionRecallCurveReady, QString(),
                                       events::FeatureImportanceReady,    QString(),
                                       events::ShapExplanationsReady,     QString()};
    QStringList types, ready;
    for (const ArtifactEvent &e : events) {
        types << e.type;
        ready << e.readyEvent;
        QVERIFY(e.pngUrl.isEmpty()); // no QGuiApplication here: JSON only, no crash
        QVERIFY(e.meta.is_object());
        QVERIFY(e.url.startsWith(QStringLiteral("/api/assets/projects/proj-1/assets/evaluation/")));
        const QString file
            = dir.filePath(QStringLiteral("evaluation/") + QFileInfo(e.url).fileName());
        QVERIFY2(!readStrict(file).is_null(), qPrintable(file));
        QVERIFY(
            !QFile::exists(QString(file).replace(QStringLiteral(".json"), QStringLiteral(".png"))));
        if (!e.readyEvent.isEmpty()) {
            QCOMPARE(QString::fromStdString(e.readyPayload["asset_url"].get<std::string>()), e.url);
            QCOMPARE(e.readyPayload["run_id"].get<std::string>(), std::string("run_ab12cd34"));
        }
        const json added = artifactAddedPayload(e);
        QCOMPARE(QString::fromStdString(added["artifact"]["id"].get<std::string>()), e.id);
        QVERIFY(added["artifact"]["meta"].is_object());
    }
    QCOMPARE(types, expectedTypes);
    QCOMPARE(ready, expectedReady);
    QCOMPARE(events[0].url,
             assetUrl(kProject, QStringLiteral("evaluation/run_ab12cd34_confusion.json")));
    QCOMPARE(events[0].id, QStringLiteral("run_ab12cd34_confusion"));
    QCOMPARE(events[1].id, QStringLiteral("run_ab12cd34_roc"));
    QCOMPARE(events[2].id, QStringLiteral("run_ab12cd34_pr"));
    QCOMPARE(events[4].id, QStringLiteral("run_ab12cd34_fi"));
    QCOMPARE(events[6].id, QStringLiteral("run_ab12cd34_shap"));

    // confusion matrix: rows = true, columns = predicted
    const json &cm = events[0].readyPayload;
    QCOMPARE(cm["matrix"], json::parse("[[5, 1], [2, 4]]"));
    QCOMPARE(cm["labels"], json::parse("[0, 1]"));
    QCOMPARE(cm["true_positives"].get<int>(), 4);
    QCOMPARE(cm["false_negatives"].get<int>(), 2);
    COMPARE_CLOSE(events[0].meta["accuracy"].get<double>(), 0.75);
    const json cmFile = readStrict(fileOf(dir, in.runId, QStringLiteral("confusion.json")));
    QCOMPARE(cmFile["confusion"], json::parse("[[5, 1], [2, 4]]"));
    COMPARE_CLOSE(cmFile["f1"].get<double>(), 0.7482517482517482);

    // ROC: inline arrays, finite first threshold
    const json &roc = events[1].readyPayload;
    QCOMPARE(roc["fpr"].size(), size_t(8));
    COMPARE_CLOSE(roc["thresholds"][0].get<double>(), 1.9);
    COMPARE_CLOSE(roc["auc"].get<double>(), 0.8055555555555556);
    COMPARE_CLOSE(events[1].meta["auc"].get<double>(), 0.8055555555555556);

    const json &pr = events[2].readyPayload;
    QCOMPARE(pr["precision"].size(), size_t(11));
    QCOMPARE(pr["thresholds"].size(), size_t(10));
    COMPARE_CLOSE(pr["average_precision"].get<double>(), 0.8069444444444444);

    const json cal = readStrict(fileOf(dir, in.runId, QStringLiteral("calibration.json")));
    QCOMPARE(cal["prob_true"].size(), size_t(7));
    COMPARE_CLOSE(cal["brier_score"].get<double>(), 0.16833333333333333);

    // gain normalised to shares, sorted descending; permutation inline too
    const json &fi = events[4].readyPayload;
    QCOMPARE(fi["features"], json::parse(R"([{"feature":"a","importance":0.75},
                                            {"feature":"b","importance":0.25},
                                            {"feature":"c","importance":0.0}])"));
    QCOMPARE(fi["permutation"][0]["feature"].get<std::string>(), std::string("b"));
    QCOMPARE(fi["permutation"][2]["feature"].get<std::string>(), std::string("c"));

    // SHAP: mean |contribution| = a 2/3, b 1, c 0.1; expected value = mean bias
    const json &shap = events[6].readyPayload;
    QVERIFY(shap["available"].get<bool>());
    QCOMPARE(shap["importance_ranking"][0]["feature"].get<std::string>(), std::string("b"));
    COMPARE_CLOSE(shap["importance_ranking"][0]["importance"].get<double>(), 1.0);
    COMPARE_CLOSE(shap["global_importance"]["a"].get<double>(), 2.0 / 3.0);
    QVERIFY(close(shap["global_importance"]["c"].get<double>(), 0.1, 1e-6)); // float input
    QVERIFY(close(shap["expected_value"].get<double>(), -0.2, 1e-6));
    const json shapFile = readStrict(fileOf(dir, in.runId, QStringLiteral("shap.json")));
    QCOMPARE(shapFile["sample_shap_values"].size(), size_t(3));
    QCOMPARE(shapFile["sample_shap_values"][0].size(), size_t(3));

    const json full = readStrict(fileOf(dir, in.runId, QStringLiteral("full_metrics.json")));
    QCOMPARE(full["task_type"].get<std::string>(), std::string("classification"));
    QCOMPARE(full["metrics"]["confusion_matrix"], json::parse("[[5, 1], [2, 4]]"));

    const json complete = evaluationCompleteArtifacts(events);
    QCOMPARE(complete[0]["type"].get<std::string>(), std::string("confusion"));
    QCOMPARE(complete[6]["type"].get<std::string>(), std::string("shap"));
    QCOMPARE(complete.size(), events.size());
}

void TestEvaluation::multiclassArtifacts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto result = writeEvaluationArtifacts(multiclassInput(), dir.path(), kProject);
    QVERIFY(result.ok());
    QStringList types;
    for (const ArtifactEvent &e : result.value())
        types << e.type;
    // PR and calibration are binary-only; ROC is one-vs-rest per class
    QCOMPARE(types, QStringList({"confusion_matrix", "roc_curve", "full_metrics"}));
    const json &cm = result.value()[0].readyPayload;
    QCOMPARE(cm["matrix"], json::parse("[[2, 1, 0], [1, 2, 0], [0, 1, 3]]"));
    QVERIFY(!cm.contains("true_positives"));
    const json &roc = result.value()[1].readyPayload;
    QCOMPARE(roc["curves"].size(), size_t(3));
    QCOMPARE(roc["curves"][2]["label"].get<std::string>(), std::string("virginica"));
    COMPARE_CLOSE(roc["auc"].get<double>(), 0.9321428571428572);
    QVERIFY(roc["fpr"].is_array());
}

void TestEvaluation::regressionArtifacts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EvaluationInput in = regressionInput();
    addExplanations(in);
    in.permutationImportance.clear();
    const auto result = writeEvaluationArtifacts(in, dir.path(), kProject);
    QVERIFY(result.ok());
    QStringList types, ready;
    for (const ArtifactEvent &e : result.value()) {
        types << e.type;
        ready << e.readyEvent;
    }
    QCOMPARE(types, QStringList({"residuals", "predicted_vs_actual", "feature_importance",
                                 "shap_explanations", "full_metrics"}));
    QCOMPARE(ready,
             QStringList({events::ResidualsPlotReady, QString(), events::FeatureImportanceReady,
                          events::ShapExplanationsReady, QString()}));
    const ArtifactEvent &resid = result.value()[0];
    QCOMPARE(resid.id, QStringLiteral("run_reg_resid"));
    COMPARE_CLOSE(resid.meta["rmse"].get<double>(), 0.6773108592072034);
    const json file = readStrict(fileOf(dir, in.runId, QStringLiteral("residuals.json")));
    std::vector<double> expected;
    for (size_t i = 0; i < kRegressionTruth.size(); ++i)
        expected.push_back(kRegressionTruth[i] - kRegressionPrediction[i]);
    COMPARE_VECTOR(doubles(file["residuals"]), expected);
    COMPARE_CLOSE(file["mean"].get<double>(), 0.11250000000000004);
    COMPARE_CLOSE(file["std"].get<double>(), 0.6679025003696273); // numpy std, ddof=0
    COMPARE_CLOSE(file["y_true_stats"]["max"].get<double>(), 10.0);
    COMPARE_CLOSE(file["y_pred_stats"]["min"].get<double>(), 0.0);
    QVERIFY(!file["sampled"].get<bool>());
    QVERIFY(resid.readyPayload.contains("mean"));

    const json pva = readStrict(fileOf(dir, in.runId, QStringLiteral("pred_vs_actual.json")));
    COMPARE_CLOSE(pva["r2"].get<double>(), 0.9590675886683024);
    QCOMPARE(pva["y_true"].size(), kRegressionTruth.size());
    const json full = readStrict(fileOf(dir, in.runId, QStringLiteral("full_metrics.json")));
    QCOMPARE(full["task_type"].get<std::string>(), std::string("regression"));
    COMPARE_CLOSE(full["metrics"]["mse"].get<double>(), 0.45875);
}

void TestEvaluation::largeRegressionIsSampled()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EvaluationInput in = regressionInput();
    in.truth.clear();
    in.prediction.clear();
    for (int i = 0; i < 5000; ++i) {
        in.truth.push_back(i);
        in.prediction.push_back(i + (i % 7) - 3);
    }
    const auto result = writeEvaluationArtifacts(in, dir.path(), kProject);
    QVERIFY(result.ok());
    const json file = readStrict(fileOf(dir, in.runId, QStringLiteral("residuals.json")));
    QCOMPARE(file["residuals"].size(), size_t(1000));
    QVERIFY(file["sampled"].get<bool>());
    QCOMPARE(file["n_samples"].get<int>(), 5000);
    // first and last rows are always in the sample: residual = 3 - (i % 7)
    COMPARE_CLOSE(file["residuals"][0].get<double>(), 3.0);
    COMPARE_CLOSE(file["residuals"][999].get<double>(), 3.0 - (4999 % 7));
}

void TestEvaluation::largeCurvesAreCappedInline()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EvaluationInput in = binaryInput();
    in.classTruth.clear();
    in.probabilities.clear();
    for (int i = 0; i < 6000; ++i) {
        const double p = (i + 0.5) / 6000.0;
        in.classTruth.push_back(i % 3 == 0 ? 1 - int(p > 0.5) : int(p > 0.5));
        in.probabilities.push_back(1 - p);
        in.probabilities.push_back(p);
    }
    const auto result = writeEvaluationArtifacts(in, dir.path(), kProject);
    QVERIFY(result.ok());
    const ArtifactEvent &roc = result.value()[1];
    QCOMPARE(roc.type, QStringLiteral("roc_curve"));
    const json file = readStrict(fileOf(dir, in.runId, QStringLiteral("roc_curve.json")));
    const size_t full = file["fpr"].size();
    QVERIFY(full > 1000);
    QCOMPARE(roc.readyPayload["fpr"].size(), size_t(1000));
    QCOMPARE(roc.readyPayload["tpr"].size(), size_t(1000));
    QCOMPARE(roc.readyPayload["downsampled_from"].get<size_t>(), full);
    // the ends of the curve survive the thinning
    COMPARE_CLOSE(roc.readyPayload["fpr"][0].get<double>(), 0.0);
    COMPARE_CLOSE(roc.readyPayload["tpr"][999].get<double>(), 1.0);
    COMPARE_CLOSE(roc.readyPayload["auc"].get<double>(), file["auc"].get<double>());
    const ArtifactEvent &pr = result.value()[2];
    QCOMPARE(pr.readyPayload["precision"].size(), size_t(1000));
    QVERIFY(pr.readyPayload["thresholds"].size() <= size_t(1000));
}

void TestEvaluation::singleClassTruthSkipsCurves()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EvaluationInput in = binaryInput();
    in.classTruth.assign(in.classTruth.size(), 0);
    const json m = classificationMetricsPayload(in);
    QVERIFY(m["roc_auc"].is_null());
    QVERIFY(m["average_precision"].is_null());
    QVERIFY(m["sensitivity"].is_null()); // no positives
    const auto result = writeEvaluationArtifacts(in, dir.path(), kProject);
    QVERIFY(result.ok());
    QStringList types;
    for (const ArtifactEvent &e : result.value()) {
        types << e.type;
        QVERIFY(
            !readStrict(dir.filePath(QStringLiteral("evaluation/") + QFileInfo(e.url).fileName()))
                 .is_null());
    }
    QCOMPARE(types, QStringList({"confusion_matrix", "calibration_curve", "full_metrics"}));
}

void TestEvaluation::invalidInputIsRejected_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("run id with a path") << 0;
    QTest::newRow("probabilities too short") << 1;
    QTest::newRow("class index out of range") << 2;
    QTest::newRow("NaN probability") << 3;
    QTest::newRow("no rows") << 4;
    QTest::newRow("regression size mismatch") << 5;
    QTest::newRow("regression NaN") << 6;
    QTest::newRow("importance size mismatch") << 7;
    QTest::newRow("SHAP not rows of features + 1") << 8;
    QTest::newRow("one class") << 9;
}

void TestEvaluation::invalidInputIsRejected()
{
    QFETCH(int, kind);
    EvaluationInput in = kind >= 5 && kind <= 6 ? regressionInput() : binaryInput();
    switch (kind) {
    case 0:
        in.runId = QStringLiteral("../escape");
        break;
    case 1:
        in.probabilities.pop_back();
        break;
    case 2:
        in.classTruth[3] = 2;
        break;
    case 3:
        in.probabilities[5] = std::nan("");
        break;
    case 4:
        in.classTruth.clear();
        in.probabilities.clear();
        break;
    case 5:
        in.prediction.pop_back();
        break;
    case 6:
        in.truth[2] = std::numeric_limits<double>::infinity();
        break;
    case 7:
        addExplanations(in);
        in.gainImportance.pop_back();
        break;
    case 8:
        addExplanations(in);
        in.contributions.pop_back();
        break;
    case 9:
        in.classLabels = {QStringLiteral("only")};
        in.classTruth.assign(in.classTruth.size(), 0);
        in.probabilities.assign(in.classTruth.size(), 1.0);
        break;
    }
    QVERIFY(!validateEvaluationInput(in).ok());
    QTemporaryDir dir;
    const auto result = writeEvaluationArtifacts(in, dir.path(), kProject);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::BadInput);
    QVERIFY(!QDir(dir.filePath(QStringLiteral("evaluation"))).exists());
    const json payload
        = in.classification ? classificationMetricsPayload(in) : regressionMetricsPayload(in);
    QVERIFY(payload.contains("error"));
}

void TestEvaluation::chartsWithoutGuiApplicationReturnNull()
{
    // QFontDatabase would abort the process here; the renderers must notice and step aside.
    QVERIFY(!charts::available());
    QVERIFY(charts::barChart({{QStringLiteral("a"), 1}}, {}).isNull());
    QVERIFY(charts::histogram({0, 1}, {3}, {}).isNull());
    QVERIFY(charts::lineChart({{QStringLiteral("s"), {{0, 0}, {1, 1}}}}, {}).isNull());
    QVERIFY(charts::scatter({{0, 0}}, {}).isNull());
    QVERIFY(charts::heatmap({{1}}, {}, {}, {}).isNull());
}

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
