#pragma once

#include "core/common/Json.h"
#include "core/common/Result.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace baton {

// What a finished run hands to evaluation: hold-out truth and predictions plus explanations.
struct EvaluationInput
{
    QString runId; // file-name safe: letters, digits, '_', '-', '.'
    bool classification = false;
    QStringList classLabels;               // classification: label text per class index
    std::vector<int> classTruth;           // classification: class index per row
    std::vector<double> probabilities;     // classification: row-major [rows x classes]
    std::vector<double> truth, prediction; // regression
    std::vector<QString> featureNames;
    std::vector<double> gainImportance;        // per feature, may be empty
    std::vector<double> permutationImportance; // per feature, may be empty
    std::vector<float>
        contributions; // SHAP: row-major [rows x (features+1)], last = bias; may be empty
};

// One artifact: the ARTIFACT_ADDED pieces (protocol §4.3) and, when the protocol has one, the
// *_READY event announcing it with the inline data the web UI reads (§5.4, §6.2).
struct ArtifactEvent
{
    QString type; // confusion_matrix, roc_curve, pr_curve, calibration_curve, feature_importance,
                  // permutation_importance, shap_explanations, residuals, predicted_vs_actual,
                  // full_metrics
    QString id;   // {run_id}_confusion, {run_id}_roc, ...
    QString name; // human title
    QString url;  // the JSON file, /api/assets/...
    json meta;    // small summary, e.g. {"auc": 0.91}; carries png_url when a PNG was written
    QString readyEvent; // e.g. ROC_CURVE_READY; empty when the protocol has none (emit only
                        // ARTIFACT_ADDED)
    json readyPayload;  // run_id, inline data, asset_url (and png_url)
    QString
        pngUrl; // the chart next to the JSON; empty when charts cannot render (no QGuiApplication)
};

// Checks sizes, ranges and finiteness; the other functions rely on it.
Status validateEvaluationInput(const EvaluationInput &input);

// Writes <assetsDir>/evaluation/<runId>_*.json (+ .png) and returns the artifacts in the order of
// protocol §5.5 (confusion, ROC, PR, calibration, importance, SHAP, full metrics; regression:
// residuals, predicted vs actual, importance, SHAP, full metrics). Emit, for each: readyEvent (when
// non-empty) then ARTIFACT_ADDED with artifactAddedPayload().
Result<std::vector<ArtifactEvent>> writeEvaluationArtifacts(const EvaluationInput &input,
                                                            const QString &assetsDir,
                                                            const QString &projectId);

// CLASSIFICATION_METRICS_READY / REGRESSION_METRICS_READY payloads (§5.4), computed like
// scikit-learn; undefined values are null. Invalid input yields {"run_id", "error"}.
json classificationMetricsPayload(const EvaluationInput &input);
json regressionMetricsPayload(const EvaluationInput &input);

// {"artifact": {id, type, name, url, meta}} for ARTIFACT_ADDED.
json artifactAddedPayload(const ArtifactEvent &artifact);
// EVALUATION_COMPLETE.artifacts: [{type, url}] with the protocol's short type names.
json evaluationCompleteArtifacts(const std::vector<ArtifactEvent> &artifacts);

// The curves, exactly as scikit-learn 1.2 computes them (binary; `positive` is 0/1 per row).
namespace evaluation {

struct RocCurve
{
    std::vector<double> fpr, tpr, thresholds;
    double auc = 0;
};
// roc_curve(drop_intermediate=True) + auc(fpr, tpr). thresholds[0] is max(score) + 1 as in
// scikit-learn 1.2 (1.3+ writes inf, which JSON cannot carry). nullopt without positives or
// negatives.
std::optional<RocCurve> rocCurve(const std::vector<int> &positive,
                                 const std::vector<double> &scores);

struct PrCurve
{
    std::vector<double> precision, recall, thresholds; // precision/recall end with 1 and 0
    double averagePrecision = 0;
};
// precision_recall_curve + average_precision_score (step integral, no interpolation).
// nullopt without positives.
std::optional<PrCurve> precisionRecallCurve(const std::vector<int> &positive,
                                            const std::vector<double> &scores);

struct CalibrationCurve
{
    std::vector<double> probTrue, probPred; // non-empty bins only, like calibration_curve
    std::vector<double> binCounts;
};
// calibration_curve(strategy="uniform"); scores must lie in [0, 1].
CalibrationCurve calibrationCurve(const std::vector<int> &positive,
                                  const std::vector<double> &scores, int bins = 10);

} // namespace evaluation

} // namespace baton
