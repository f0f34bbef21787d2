#pragma once

#include "core/common/Result.h"

#include <QByteArray>
#include <QString>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace baton {

// Owners of XGBoost's C handles. Every C call goes through one checked helper that turns
// XGBGetLastError() into an Error; nothing here throws. A matrix or booster stays on the job
// thread that created it.

class XgbMatrix
{
public:
    // Row-major dense features; NaN marks missing. Labels and weights are optional.
    static Result<XgbMatrix> fromDense(const std::vector<float> &values, size_t rows, size_t cols,
                                       int threads);
    Status setLabels(const std::vector<float> &labels);
    Status setWeights(const std::vector<float> &weights);
    // Marks which features are categorical ("c") or numeric ("q") for native categorical splits.
    Status setFeatureTypes(const std::vector<std::string> &types);
    Status setFeatureNames(const std::vector<std::string> &names);

    void *handle() const { return m_handle.get(); }
    size_t rows() const { return m_rows; }
    size_t cols() const { return m_cols; }

private:
    std::shared_ptr<void> m_handle;
    size_t m_rows = 0;
    size_t m_cols = 0;
};

class XgbBooster
{
public:
    // A booster trained on `train` (the cache list must include every matrix used with it).
    static Result<XgbBooster> create(const std::vector<const XgbMatrix *> &cache);
    static Result<XgbBooster> fromJson(const QByteArray &modelJson);

    Status setParam(const std::string &name, const std::string &value);
    Status setParams(const std::map<std::string, std::string> &params);
    Status updateOneIter(int iteration, const XgbMatrix &train);
    // One round's metrics on named matrices: {"valid-rmse": 0.42, ...}.
    Result<std::map<std::string, double>> evalOneIter(
        int iteration, const std::vector<std::pair<std::string, const XgbMatrix *>> &sets);

    // Predictions (probabilities for classification), row-major [rows x groups];
    // `iterationEnd` 0 uses all trees. `groups` is set to the number of outputs per row.
    Result<std::vector<float>> predict(const XgbMatrix &data, int iterationEnd, size_t *groups) const;
    // Per-feature contributions (SHAP values) with the bias as the last column of each row.
    Result<std::vector<float>> contributions(const XgbMatrix &data, size_t *width) const;
    Result<int> boostedRounds() const;
    Result<QByteArray> saveJson() const;
    // Gain importance per feature name ("f0".. or set names).
    Result<std::map<std::string, double>> featureImportance(const std::string &type = "total_gain") const;

    void *handle() const { return m_handle.get(); }

private:
    std::shared_ptr<void> m_handle;
};

// The XGBoost library version, e.g. "1.7.4" (for reproducibility facts).
QString xgboostVersion();

} // namespace baton
