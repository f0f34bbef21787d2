#pragma once

#include "core/common/Json.h"
#include "core/data/Table.h"
#include "core/ml/TargetEncoding.h"

#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace baton {

struct Exclusion
{
    QString column;
    QString reason;
};

// How one input column becomes features. Fitted on training rows only.
struct ColumnRule
{
    enum class Role { Numeric, Categorical, DateTime, TargetEncoded };

    QString name;
    ColumnType type = ColumnType::Float64; // as seen in training
    Role role = Role::Numeric;

    // Numeric (Float64, Int64, Bool as 0/1): imputation and scaling for linear models.
    double median = 0;
    double mean = 0;
    double std = 1;
    bool missingIndicator = false;

    // Categorical: training categories (code = index); the first `oneHot` of them (most frequent
    // first) get a one-hot column in linear models, the rest share "other".
    QStringList categories;
    int oneHot = 0;

    // DateTime: which parts become features, with their imputation and scaling.
    QStringList parts;
    std::vector<double> partMedian, partMean, partStd;

    // TargetEncoded (high-cardinality categories, `categories` as above): per category and
    // output the smoothed target mean fitted on every training row (regression: the mean;
    // binary: P(second class); multiclass: P(class) for each of `encodedClasses`), the prior for
    // unseen categories, and the linear models' scaling of the out-of-fold training values.
    std::vector<int> encodedClasses;
    std::vector<double> encoding; // [categories x outputs]
    std::vector<double> prior;
    std::vector<double> encodedMean, encodedStd;
    QString reason; // why this column is target-encoded, for the plan
    size_t encodedOutputs() const { return prior.size(); }
};

const char *roleName(ColumnRule::Role role);

// The versioned, JSON-serialisable preprocessing that training, export and `baton predict`
// apply identically. Tree models get raw numbers, native categorical codes and date parts
// (missing stays NaN); linear models get imputed, standardised numbers with missing indicators
// and one-hot categories.
struct PreprocessSpec
{
    // 2: target-encoded columns and their parameters. Version 1 specs still load.
    static constexpr int kVersion = 2;

    QString target;
    bool classification = false;
    QStringList classes;        // classification: label text per class index
    bool logTarget = false;     // regression: the model is fitted on log1p(target)
    std::vector<ColumnRule> columns;
    std::vector<Exclusion> excluded;
    TargetEncodingParams targetEncoding;

    std::vector<std::string> treeFeatureNames() const;
    std::vector<std::string> treeFeatureTypes() const; // "q" numeric, "c" categorical
    std::vector<std::string> linearFeatureNames() const;

    json toJson() const;
    static Result<PreprocessSpec> fromJson(const json &value);
    // Human-readable steps for PREPROCESS_PLAN (protocol §7.5): {name, strategy, columns, reason}.
    json planSteps() const;
};

struct PreprocessOptions
{
    QString target;
    bool classification = false;
    std::vector<Exclusion> exclusions; // decided by the user (profile proposals, goal)
    int maxOneHot = 30; // more categories than this are target-encoded
    uint64_t seed = 42; // the target encoding's folds
};

struct FeatureMatrix
{
    std::vector<float> values; // row-major
    size_t rows = 0;
    size_t cols = 0;
};

// Rows whose target is present (others cannot train or be scored).
std::vector<int64_t> rowsWithTarget(const Table &table, const QString &target);

// The class labels present in `rows` of the target, sorted (numbers numerically, text
// alphabetically); their order defines the class indices.
QStringList classLabels(const Table &table, const QString &target, const std::vector<int64_t> &rows);

// Class index per row (-1 where the target is missing or unseen) for stratification and training.
std::vector<int> classIndices(const PreprocessSpec &spec, const Table &table);

Result<PreprocessSpec> fitPreprocess(const Table &table, const std::vector<int64_t> &trainRows,
                                     const PreprocessOptions &options);

// Features for the given rows (all rows when `rows` is null) of any table holding the trained
// columns by name, in any order. Missing columns, or values that cannot be read as the trained
// type, are clear BadInput errors; unseen categories become missing (trees) / "other" (linear).
Result<FeatureMatrix> treeFeatures(const PreprocessSpec &spec, const Table &table,
                                   const std::vector<int64_t> *rows = nullptr);
Result<FeatureMatrix> linearFeatures(const PreprocessSpec &spec, const Table &table,
                                     const std::vector<int64_t> *rows = nullptr);

// The features the models are fitted on, for the training rows: as above, except that
// target-encoded columns get out-of-fold values (see TargetEncoding.h), so no training row's
// feature was computed from its own target.
Result<FeatureMatrix> trainingTreeFeatures(const PreprocessSpec &spec, const Table &table,
                                           const std::vector<int64_t> &rows);
Result<FeatureMatrix> trainingLinearFeatures(const PreprocessSpec &spec, const Table &table,
                                             const std::vector<int64_t> &rows);

// The model's training label per row: class index, or the (log1p) value for regression.
Result<std::vector<float>> targetValues(const PreprocessSpec &spec, const Table &table,
                                        const std::vector<int64_t> &rows);
// Regression target in its own units (for metrics).
std::vector<double> rawTargetValues(const Table &table, const QString &target,
                                    const std::vector<int64_t> &rows);

} // namespace baton
