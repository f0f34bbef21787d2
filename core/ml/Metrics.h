#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace baton {

// Evaluation metrics, computed the way scikit-learn does (so the notebook reproduces them).
// Classification labels are class indices 0..k-1; probabilities are row-major [n x k].
namespace metrics {

double rmse(const std::vector<double> &truth, const std::vector<double> &pred);
double mae(const std::vector<double> &truth, const std::vector<double> &pred);
double r2(const std::vector<double> &truth, const std::vector<double> &pred);
// nullopt when a value is <= -1 (log1p undefined), as scikit-learn refuses then.
std::optional<double> rmsle(const std::vector<double> &truth, const std::vector<double> &pred);

double accuracy(const std::vector<int> &truth, const std::vector<int> &pred);
double balancedAccuracy(const std::vector<int> &truth, const std::vector<int> &pred, int classes);
// Macro F1 for multiclass, F1 of class 1 for binary (scikit-learn's defaults for those cases).
double f1(const std::vector<int> &truth, const std::vector<int> &pred, int classes);
double logLoss(const std::vector<int> &truth, const std::vector<double> &probabilities, int classes);
// Binary: AUC of class 1. Multiclass: one-vs-rest macro average. nullopt when a class is absent.
std::optional<double> rocAuc(const std::vector<int> &truth, const std::vector<double> &probabilities,
                             int classes);

// The predicted class of each row of a probability matrix.
std::vector<int> argmax(const std::vector<double> &probabilities, int classes);

} // namespace metrics

// A metric's name on the wire, whether larger is better, and how to compute it.
enum class MetricId { Rmse, Mae, R2, Rmsle, Accuracy, BalancedAccuracy, F1, LogLoss, RocAuc };

QString metricName(MetricId id);
std::optional<MetricId> metricFromName(const QString &name);
bool higherIsBetter(MetricId id);
bool isClassificationMetric(MetricId id);

} // namespace baton
