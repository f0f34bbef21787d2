#pragma once

#include "core/ml/EnsembleModel.h"
#include "core/ml/Metrics.h"

#include <QDeadlineTimer>

#include <vector>

namespace baton {

// Why the model predicts what it does, measured on held-out rows with the strongest tree member
// of the ensemble: XGBoost's gain importance, permutation importance (how much the metric
// worsens when one feature's values are shuffled) and per-row SHAP contributions.
struct Explanations
{
    QString runId; // the member explained
    std::vector<QString> featureNames;
    std::vector<double> gainImportance;
    std::vector<double> permutationImportance;
    std::vector<float> contributions; // [rows x (features + 1)], empty for multiclass
    QString shortened; // what the deadline cut short, empty when nothing was
};

// Work stops at the deadline (the stage's time budget): permutation importance runs over the
// features by descending gain (a feature no tree splits on has exactly zero, no shuffle needed)
// and the features it did not reach keep zero; SHAP runs on as many rows (up to 500) as a timed
// probe says fit in the time left.
Result<Explanations> explainModel(const EnsembleModel &model, const Table &table,
                                  const std::vector<int64_t> &rows, MetricId metric, int threads,
                                  uint64_t seed,
                                  QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

} // namespace baton
