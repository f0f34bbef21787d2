#pragma once

#include "core/common/Json.h"

#include <QString>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace baton {

enum class ModelFamily { GradientBoosting, RandomForest, Linear };

QString familyId(ModelFamily family);   // "xgboost", "random_forest", "linear"
QString familyName(ModelFamily family); // "XGBoost (gradient boosted trees)", ...
std::optional<ModelFamily> familyFromId(const QString &id);

// One configuration to evaluate: a family and its hyperparameters (XGBoost parameter names).
struct CandidateConfig
{
    ModelFamily family = ModelFamily::GradientBoosting;
    QString label; // "portfolio 1", "random 7"
    std::map<std::string, std::string> params;
    int maxRounds = 2000;
    int earlyStopping = 50;

    json toJson() const;
    static Result<CandidateConfig> fromJson(const json &value);
    bool usesLinearFeatures() const { return family == ModelFamily::Linear; }
};

// Strong defaults first (zero-shot, in the spirit of AutoGluon's presets): configurations that
// do well across many tabular datasets, ordered so the first ones are the safest bets.
std::vector<CandidateConfig> portfolio(ModelFamily family, size_t rows);

// A random configuration from the family's search space (log-uniform rates and penalties).
CandidateConfig sampleConfig(ModelFamily family, std::mt19937_64 &rng, int index);

// XGBoost parameters common to every candidate of a task.
std::map<std::string, std::string> taskParams(bool classification, int classes, int threads,
                                              uint64_t seed);

} // namespace baton
