#pragma once

#include "core/common/Json.h"
#include "core/data/Table.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace baton {

// The result of profiling a Table: plain values, no QObject (see Profiler.h for how each number
// is computed). NaN in a double means "not defined" (e.g. the std of a single value) and is
// written as null by toJson().

// How a physical type is grouped for summaries (the "numeric|categorical|datetime|other" keys).
enum class TypeGroup { Numeric, Categorical, DateTime, Other };

QString typeGroupName(TypeGroup group); // "numeric", "categorical", "datetime", "other"
// Float64/Int64 -> numeric, Categorical/Bool -> categorical, DateTime -> datetime, Text -> other.
TypeGroup typeGroupOf(ColumnType type);

// Equal-width bins: edges.size() == counts.size() + 1; the last bin includes its right edge.
struct Histogram
{
    std::vector<double> edges;
    std::vector<qint64> counts;

    bool isEmpty() const { return counts.empty(); }
    json toJson() const;
};

struct ValueCount
{
    QString value;
    qint64 count = 0;
};

struct Quantile
{
    double q = 0;     // 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99
    double value = 0; // linear interpolation between order statistics (numpy/pandas default)
};

struct NumericStats
{
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    double mean = std::numeric_limits<double>::quiet_NaN();
    double std = std::numeric_limits<double>::quiet_NaN();      // sample (ddof = 1), like pandas
    double skewness = std::numeric_limits<double>::quiet_NaN(); // adjusted Fisher-Pearson, like pandas
    qint64 zeros = 0;
    std::vector<Quantile> quantiles;
    Histogram histogram;

    double variance() const { return std * std; }
    // The quantile for q, NaN when it was not computed.
    double quantile(double q) const;
};

struct ColumnProfile
{
    QString name;
    ColumnType type = ColumnType::Float64;
    qint64 count = 0;   // present cells
    qint64 missing = 0; // missing cells
    double missingPct = 0;
    qint64 distinct = 0; // exact, missing excluded
    bool idLike = false;
    bool isTarget = false;
    std::optional<NumericStats> numeric;   // Float64, Int64
    std::vector<ValueCount> topValues;     // Categorical, Text, Bool: most frequent first
    QString dateMin;                       // DateTime: ISO 8601 (UTC), empty when all missing
    QString dateMax;

    TypeGroup group() const { return typeGroupOf(type); }
    json toJson() const;
};

enum class WarningSeverity { Info, Warning, Critical };

QString warningSeverityName(WarningSeverity severity); // "info", "warning", "critical"

// A finding plus the action we would suggest; the user confirms or ignores the proposal.
// proposal is null or {"action": ..., "column"?: ..., "reason": ..., ...}; actions are
// exclude_column, drop_duplicate_rows, log_transform, yeo_johnson_transform, frequency_encode,
// use_class_weights, drop_rows_missing_target, impute_missing.
struct ProfileWarning
{
    QString code; // stable: id_like, constant, high_cardinality, high_missing, duplicated_rows,
                  // skewed, class_imbalance, target_leakage, target_missing, target_skewed,
                  // dataset_missing
    QString column; // empty for table-wide warnings
    WarningSeverity severity = WarningSeverity::Warning;
    QString message; // one sentence for people
    QString reason;  // the numbers behind it
    json proposal;

    json toJson() const;
};

enum class TargetKind {
    None,    // no target given
    Classes, // class counts (categorical, bool, text, or few distinct integral numbers)
    Numeric, // histogram (regression)
};

struct TargetProfile
{
    QString column;
    TargetKind kind = TargetKind::None;
    qint64 missing = 0;
    std::vector<ValueCount> classes; // most frequent first; every class
    Histogram histogram;

    bool isClassification() const { return kind == TargetKind::Classes; }
    json toJson() const;
};

// Pearson correlation among numeric columns, on pairwise-complete rows (like pandas.corr()).
struct CorrelationMatrix
{
    QStringList columns;
    std::vector<double> values; // row-major, columns.size()^2; NaN where undefined
    int numericColumnCount = 0; // numeric columns before the cap
    bool truncated = false;     // the cap kept only the highest-variance columns

    double at(int i, int j) const { return values[size_t(i) * size_t(columns.size()) + size_t(j)]; }
    double value(const QString &a, const QString &b) const; // NaN when either is absent
    json toJson() const;
};

// How strongly one feature relates to the target, and how well it predicts it on its own.
struct TargetAssociation
{
    QString column;
    QString measure; // "pearson", "eta" (correlation ratio) or "cramers_v"
    double value = std::numeric_limits<double>::quiet_NaN();
    QString predictorMetric; // "accuracy" (classification) or "r2" (regression)
    double predictorScore = std::numeric_limits<double>::quiet_NaN();
    qint64 rows = 0; // rows where both the feature and the target are present

    json toJson() const;
};

struct ProfileSummary
{
    qint64 rows = 0;
    int columns = 0;
    qint64 missingCells = 0;
    double missingPct = 0;
    std::vector<std::pair<QString, int>> typeCounts;  // by columnTypeName(), in enum order
    std::vector<std::pair<QString, int>> groupCounts; // numeric, categorical, datetime, other
    qint64 memoryBytes = 0;
    qint64 duplicateRows = 0; // rows equal to an earlier row (pandas duplicated().sum())

    double memoryMb() const { return double(memoryBytes) / (1024.0 * 1024.0); }
    int typeCount(ColumnType type) const;
    int groupCount(TypeGroup group) const;
    json toJson() const;
};

struct Profile
{
    ProfileSummary summary;
    std::vector<ColumnProfile> columns;
    TargetProfile target;
    CorrelationMatrix correlations;
    std::vector<TargetAssociation> associations; // one per feature, strongest first
    std::vector<ProfileWarning> warnings;

    const ColumnProfile *column(const QString &name) const;
    const TargetAssociation *association(const QString &column) const;
    std::vector<const ProfileWarning *> warningsWithCode(const QString &code) const;
    bool hasWarning(const QString &code, const QString &column = {}) const;

    // Everything, strict JSON (non-finite numbers are null).
    json toJson() const;
    // The PROFILE_SUMMARY payload (protocol §10 superset): the contract fields n_rows, n_cols,
    // missing_pct, types_breakdown, warnings[] and the stage shape's profile{...}.
    json toProtocolSummary() const;
};

} // namespace baton
