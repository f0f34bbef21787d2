#include "ModelCandidate.h"

#include <cmath>

namespace baton {

QString familyId(ModelFamily family)
{
    switch (family) {
    case ModelFamily::GradientBoosting: return QStringLiteral("xgboost");
    case ModelFamily::RandomForest: return QStringLiteral("random_forest");
    case ModelFamily::Linear: return QStringLiteral("linear");
    }
    return {};
}

QString familyName(ModelFamily family)
{
    switch (family) {
    case ModelFamily::GradientBoosting: return QStringLiteral("XGBoost (gradient boosted trees)");
    case ModelFamily::RandomForest: return QStringLiteral("Random forest");
    case ModelFamily::Linear: return QStringLiteral("Regularised linear model");
    }
    return {};
}

std::optional<ModelFamily> familyFromId(const QString &id)
{
    for (ModelFamily f : {ModelFamily::GradientBoosting, ModelFamily::RandomForest, ModelFamily::Linear}) {
        if (familyId(f) == id)
            return f;
    }
    return std::nullopt;
}

json CandidateConfig::toJson() const
{
    json p = json::object();
    for (const auto &[k, v] : params)
        p[k] = v;
    return {{"family", toStd(familyId(family))},
            {"label", toStd(label)},
            {"params", p},
            {"max_rounds", maxRounds},
            {"early_stopping", earlyStopping}};
}

Result<CandidateConfig> CandidateConfig::fromJson(const json &value)
{
    const auto family = familyFromId(stringField(value, "family"));
    if (!family)
        return makeError(ErrorKind::BadInput, QStringLiteral("model.family"),
                         QStringLiteral("Unknown model family “%1”").arg(stringField(value, "family")));
    CandidateConfig config;
    config.family = *family;
    config.label = stringField(value, "label");
    config.maxRounds = value.value("max_rounds", 1);
    config.earlyStopping = value.value("early_stopping", 0);
    if (const auto it = value.find("params"); it != value.end() && it->is_object()) {
        for (const auto &[k, v] : it->items()) {
            if (v.is_string())
                config.params[k] = v.get<std::string>();
        }
    }
    return config;
}

namespace {

std::string num(double v)
{
    return QString::number(v, 'g', 6).toStdString();
}

CandidateConfig gbm(const char *label, double eta, int depth, double subsample, double colsample,
                    double minChild, double lambda)
{
    return {ModelFamily::GradientBoosting,
            QString::fromLatin1(label),
            {{"booster", "gbtree"},
             {"tree_method", "hist"},
             {"eta", num(eta)},
             {"max_depth", std::to_string(depth)},
             {"subsample", num(subsample)},
             {"colsample_bytree", num(colsample)},
             {"min_child_weight", num(minChild)},
             {"lambda", num(lambda)},
             {"max_cat_to_onehot", "8"},
             {"max_bin", "256"}},
            3000,
            50};
}

CandidateConfig forest(const char *label, int trees, double colsample, int depth)
{
    return {ModelFamily::RandomForest,
            QString::fromLatin1(label),
            {{"booster", "gbtree"},
             {"tree_method", "hist"},
             {"eta", "1"},
             {"num_parallel_tree", std::to_string(trees)},
             {"subsample", "0.632"},
             {"colsample_bynode", num(colsample)},
             {"max_depth", std::to_string(depth)},
             {"min_child_weight", "1"},
             {"lambda", "1e-05"},
             {"max_bin", "64"},
             {"max_cat_to_onehot", "8"}},
            1,
            0};
}

CandidateConfig linear(const char *label, double lambda, double alpha)
{
    return {ModelFamily::Linear,
            QString::fromLatin1(label),
            {{"booster", "gblinear"},
             {"updater", "coord_descent"},
             {"feature_selector", "cyclic"},
             {"eta", "0.5"},
             {"lambda", num(lambda)},
             {"alpha", num(alpha)}},
            300,
            10};
}

double logUniform(std::mt19937_64 &rng, double lo, double hi)
{
    std::uniform_real_distribution<double> u(std::log(lo), std::log(hi));
    return std::exp(u(rng));
}

double uniform(std::mt19937_64 &rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

} // namespace

std::vector<CandidateConfig> portfolio(ModelFamily family, size_t rows)
{
    switch (family) {
    case ModelFamily::GradientBoosting: {
        std::vector<CandidateConfig> out = {
            gbm("portfolio: balanced", 0.05, 6, 0.8, 0.8, 1, 1),
            gbm("portfolio: shallow", 0.08, 3, 0.9, 0.7, 1, 1),
            gbm("portfolio: deep, feature-sampled", 0.03, 8, 0.7, 0.5, 3, 5),
            gbm("portfolio: slow and regularised", 0.02, 5, 0.8, 0.6, 2, 10),
        };
        if (rows < 2000) // small data: stronger regularisation wins more often
            out.push_back(gbm("portfolio: small-data", 0.03, 4, 0.7, 0.7, 3, 20));
        return out;
    }
    case ModelFamily::RandomForest:
        // 100 trees of depth 10: most of a forest's accuracy at a fraction of the time of deep,
        // wide forests (one "round" cannot be interrupted, so it must stay short)
        return {forest("portfolio: forest", 100, 0.5, 10)};
    case ModelFamily::Linear:
        // XGBoost multiplies the linear penalties by the row count, so lambda = 1 / (C n) in
        // scikit-learn's terms. The grid spans C from about 0.2 to 2000 on a few hundred rows:
        // the strength matters more than anything else for a linear model, and each fit is cheap.
        return {linear("portfolio: ridge", 1e-3, 0.0), linear("portfolio: ridge, strong", 1e-2, 0.0),
                linear("portfolio: ridge, weak", 1e-4, 0.0), linear("portfolio: elastic net", 1e-3, 1e-4),
                linear("portfolio: ridge, very weak", 1e-5, 0.0)};
    }
    return {};
}

CandidateConfig sampleConfig(ModelFamily family, std::mt19937_64 &rng, int index)
{
    const QByteArray label = QStringLiteral("random %1").arg(index).toUtf8();
    switch (family) {
    case ModelFamily::GradientBoosting:
        return gbm(label.constData(), logUniform(rng, 0.01, 0.2),
                   int(uniform(rng, 2, 10.999)), uniform(rng, 0.5, 1.0), uniform(rng, 0.3, 1.0),
                   logUniform(rng, 0.5, 20), logUniform(rng, 0.1, 50));
    case ModelFamily::RandomForest:
        return forest(label.constData(), 60 + int(uniform(rng, 0, 90)), uniform(rng, 0.2, 0.9),
                      int(uniform(rng, 6, 12.999)));
    case ModelFamily::Linear:
        return linear(label.constData(), logUniform(rng, 1e-6, 0.1), logUniform(rng, 1e-7, 1e-2));
    }
    return {};
}

std::map<std::string, std::string> taskParams(bool classification, int classes, int threads,
                                              uint64_t seed)
{
    std::map<std::string, std::string> p = {{"nthread", std::to_string(threads)},
                                            {"seed", std::to_string(seed % 2147483647ULL)},
                                            {"verbosity", "0"}};
    if (!classification) {
        p["objective"] = "reg:squarederror";
        p["eval_metric"] = "rmse";
    } else if (classes == 2) {
        p["objective"] = "binary:logistic";
        p["eval_metric"] = "logloss";
    } else {
        p["objective"] = "multi:softprob";
        p["num_class"] = std::to_string(classes);
        p["eval_metric"] = "mlogloss";
    }
    return p;
}

} // namespace baton
