#include "XgbBooster.h"

#include "core/common/Json.h"

#include <xgboost/c_api.h>

#include <QStringList>

#include <cstdio>
#include <limits>

namespace baton {

namespace {

// The single checked path for every XGBoost call.
Status check(int rc, const char *what)
{
    if (rc == 0)
        return {};
    return makeError(ErrorKind::Internal, QStringLiteral("xgboost.call"),
                     QStringLiteral("XGBoost %1 failed: %2")
                         .arg(QString::fromLatin1(what), QString::fromUtf8(XGBGetLastError())));
}

#define XGB_CHECK(call)                                                                            \
    do {                                                                                           \
        if (Status status_ = check((call), #call); !status_)                                       \
            return status_.error();                                                                \
    } while (false)

std::shared_ptr<void> ownMatrix(DMatrixHandle handle)
{
    return std::shared_ptr<void>(handle, [](void *h) { XGDMatrixFree(h); });
}

std::shared_ptr<void> ownBooster(BoosterHandle handle)
{
    return std::shared_ptr<void>(handle, [](void *h) { XGBoosterFree(h); });
}

Status setFloatInfo(void *handle, const char *field, const std::vector<float> &values)
{
    XGB_CHECK(XGDMatrixSetFloatInfo(handle, field, values.data(), values.size()));
    return {};
}

Status setStringFeatureInfo(void *handle, const char *field, const std::vector<std::string> &values)
{
    std::vector<const char *> pointers;
    pointers.reserve(values.size());
    for (const auto &v : values)
        pointers.push_back(v.c_str());
    XGB_CHECK(XGDMatrixSetStrFeatureInfo(handle, field, pointers.data(), pointers.size()));
    return {};
}

} // namespace

Result<XgbMatrix> XgbMatrix::fromDense(const std::vector<float> &values, size_t rows, size_t cols,
                                       int threads)
{
    if (values.size() != rows * cols) {
        return makeError(ErrorKind::Internal, QStringLiteral("xgboost.shape"),
                         QStringLiteral("Matrix has %1 values, expected %2 x %3")
                             .arg(values.size()).arg(rows).arg(cols));
    }
    DMatrixHandle handle = nullptr;
    XGB_CHECK(XGDMatrixCreateFromMat_omp(values.data(), rows, cols, std::numeric_limits<float>::quiet_NaN(),
                                         &handle, threads));
    XgbMatrix m;
    m.m_handle = ownMatrix(handle);
    m.m_rows = rows;
    m.m_cols = cols;
    return m;
}

Status XgbMatrix::setLabels(const std::vector<float> &labels)
{
    return setFloatInfo(handle(), "label", labels);
}

Status XgbMatrix::setWeights(const std::vector<float> &weights)
{
    return setFloatInfo(handle(), "weight", weights);
}

Status XgbMatrix::setFeatureTypes(const std::vector<std::string> &types)
{
    return setStringFeatureInfo(handle(), "feature_type", types);
}

Status XgbMatrix::setFeatureNames(const std::vector<std::string> &names)
{
    return setStringFeatureInfo(handle(), "feature_name", names);
}

Result<XgbBooster> XgbBooster::create(const std::vector<const XgbMatrix *> &cache)
{
    std::vector<DMatrixHandle> handles;
    for (const XgbMatrix *m : cache)
        handles.push_back(m->handle());
    BoosterHandle handle = nullptr;
    XGB_CHECK(XGBoosterCreate(handles.data(), handles.size(), &handle));
    XgbBooster b;
    b.m_handle = ownBooster(handle);
    return b;
}

Result<XgbBooster> XgbBooster::fromJson(const QByteArray &modelJson)
{
    BoosterHandle handle = nullptr;
    XGB_CHECK(XGBoosterCreate(nullptr, 0, &handle));
    XgbBooster b;
    b.m_handle = ownBooster(handle);
    XGB_CHECK(XGBoosterLoadModelFromBuffer(handle, modelJson.constData(),
                                           static_cast<bst_ulong>(modelJson.size())));
    return b;
}

Status XgbBooster::setParam(const std::string &name, const std::string &value)
{
    XGB_CHECK(XGBoosterSetParam(handle(), name.c_str(), value.c_str()));
    return {};
}

Status XgbBooster::setParams(const std::map<std::string, std::string> &params)
{
    for (const auto &[name, value] : params) {
        if (Status s = setParam(name, value); !s)
            return s;
    }
    return {};
}

Status XgbBooster::updateOneIter(int iteration, const XgbMatrix &train)
{
    XGB_CHECK(XGBoosterUpdateOneIter(handle(), iteration, train.handle()));
    return {};
}

Result<std::map<std::string, double>> XgbBooster::evalOneIter(
    int iteration, const std::vector<std::pair<std::string, const XgbMatrix *>> &sets)
{
    std::vector<DMatrixHandle> handles;
    std::vector<const char *> names;
    for (const auto &[name, matrix] : sets) {
        handles.push_back(matrix->handle());
        names.push_back(name.c_str());
    }
    const char *out = nullptr;
    XGB_CHECK(XGBoosterEvalOneIter(handle(), iteration, handles.data(), names.data(),
                                   handles.size(), &out));
    // "[3]\tvalid-rmse:0.4213\ttrain-rmse:0.3"
    std::map<std::string, double> metrics;
    const QString text = QString::fromUtf8(out);
    const QStringList parts = text.split(QLatin1Char('\t'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const qsizetype colon = part.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0 || part.startsWith(QLatin1Char('[')))
            continue;
        bool ok = false;
        const double value = part.mid(colon + 1).toDouble(&ok);
        if (ok)
            metrics[part.left(colon).toStdString()] = value;
    }
    return metrics;
}

namespace {
// XGBoosterPredictFromDMatrix with a config; the values, row-major, and the last dimension.
Result<std::vector<float>> predictFromMatrix(void *booster, const XgbMatrix &data, int type,
                                             int iterationEnd, bool strictShape, size_t *lastDim)
{
    const std::string config = json{{"type", type},
                                    {"training", false},
                                    {"iteration_begin", 0},
                                    {"iteration_end", iterationEnd},
                                    {"strict_shape", strictShape}}
                                   .dump();
    const bst_ulong *shape = nullptr;
    bst_ulong dims = 0;
    const float *result = nullptr;
    XGB_CHECK(XGBoosterPredictFromDMatrix(booster, data.handle(), config.c_str(), &shape, &dims,
                                          &result));
    size_t total = 1;
    for (bst_ulong i = 0; i < dims; ++i)
        total *= shape[i];
    if (lastDim)
        *lastDim = dims > 0 ? shape[dims - 1] : 0;
    return std::vector<float>(result, result + total);
}
} // namespace

Result<std::vector<float>> XgbBooster::predict(const XgbMatrix &data, int iterationEnd,
                                               size_t *groups) const
{
    // strict shape: [rows x groups] (groups = 1 for regression and binary)
    return predictFromMatrix(handle(), data, 0, iterationEnd, true, groups);
}

Result<std::vector<float>> XgbBooster::contributions(const XgbMatrix &data, size_t *width) const
{
    return predictFromMatrix(handle(), data, 2, 0, false, width);
}

Result<int> XgbBooster::boostedRounds() const
{
    int rounds = 0;
    XGB_CHECK(XGBoosterBoostedRounds(handle(), &rounds));
    return rounds;
}

Result<QByteArray> XgbBooster::saveJson() const
{
    bst_ulong length = 0;
    const char *bytes = nullptr;
    XGB_CHECK(XGBoosterSaveModelToBuffer(handle(), R"({"format": "json"})", &length, &bytes));
    return QByteArray(bytes, static_cast<qsizetype>(length));
}

Result<std::map<std::string, double>> XgbBooster::featureImportance(const std::string &type) const
{
    const std::string config = json{{"importance_type", type}}.dump();
    bst_ulong nFeatures = 0;
    const char **names = nullptr;
    bst_ulong dims = 0;
    const bst_ulong *shape = nullptr;
    const float *scores = nullptr;
    XGB_CHECK(XGBoosterFeatureScore(handle(), config.c_str(), &nFeatures, &names, &dims, &shape,
                                    &scores));
    std::map<std::string, double> out;
    for (bst_ulong i = 0; i < nFeatures; ++i)
        out[names[i]] = scores[i];
    return out;
}

QString xgboostVersion()
{
    int major = 0, minor = 0, patch = 0;
    XGBoostVersion(&major, &minor, &patch);
    return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch);
}

} // namespace baton
