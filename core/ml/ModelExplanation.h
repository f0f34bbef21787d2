#pragma once

#include "core/ml/EnsembleModel.h"
#include "core/ml/Metrics.h"

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
};

Result<Explanations> explainModel(const EnsembleModel &model, const Table &table,
                                  const std::vector<int64_t> &rows, MetricId metric, int threads,
                                  uint64_t seed);

} // namespace baton
