#pragma once

#include "core/common/Result.h"
#include "core/data/Profile.h"
#include "core/data/Table.h"

#include <QString>

#include <functional>

namespace baton {

class JobToken;

struct ProfileOptions
{
    QString target;              // optional; must name a column when set (else profile.no_target)
    int histogramBins = 20;
    int topValues = 10;
    int maxCorrelationColumns = 60; // the numeric columns with the largest variance are kept
    // An integral numeric target with at most this many distinct values is a class label.
    int maxTargetClasses = 20;
    int threads = 0; // 0: QThread::idealThreadCount()

    // Warning thresholds (fractions, not percentages).
    double highMissingFraction = 0.40;     // high_missing: missing > 40 % of rows
    double highCardinalityFraction = 0.50; // high_cardinality: distinct > 50 % of present cells
    double skewThreshold = 2.0;            // skewed: |skewness| > 2
    double imbalanceMinorityToMajority = 0.10; // class_imbalance: minority < 10 % of majority
    double imbalanceMinorityFraction = 0.05;   // ... or minority < 5 % of the rows
    double datasetMissingPct = 5.0;            // dataset_missing: > 5 % of all cells (upstream rule)
    double leakageCorrelation = 0.98;          // target_leakage: |pearson| >= 0.98
    double leakageAccuracy = 0.99;             // ... or single-feature accuracy >= 0.99
    double leakageR2 = 0.98;                   // ... or single-feature R² >= 0.98
    int minRowsForIdLike = 10; // below this, "every value is unique" says nothing
};

// Profiles a table: summary, per-column statistics, missingness, target distribution,
// correlations, target associations and warnings with proposed actions (see Profile.h).
//
// Statistics follow pandas so numbers match what data people already know: std is the sample
// std (ddof = 1), skewness the adjusted Fisher-Pearson G1 (pandas .skew(), NaN below 3 values),
// quantiles interpolate linearly (numpy's default), distinct counts are exact and exclude
// missing cells (-0.0 and 0.0 are one value), duplicate rows count rows equal to an earlier row
// with missing == missing (pandas duplicated()). Bool columns get top values, not numeric stats.
//
// Target: a categorical, bool or text target, or a numeric one whose present values are
// integral with at most maxTargetClasses distinct values, is a classification target (class
// counts); any other numeric target is a regression target (histogram). Datetime targets are
// refused (profile.bad_target).
//
// Association of each feature with the target (on rows where both are present):
//   numeric feature,     regression target      Pearson r
//   categorical feature, regression target      correlation ratio eta = sqrt(SS_between / SS_total)
//   numeric feature,     classification target  eta of the feature grouped by class
//   categorical feature, classification target  Cramér's V (without bias correction)
// Datetime features count as numeric (ms since the epoch); bool and text as categorical.
// Each feature also gets a single-feature predictor score, evaluated leave-one-out so that a
// feature with unique values cannot score by memorising rows: rows are grouped by the feature's
// exact value and predicted by the rest of their group (mode / mean); a row alone in its group
// is predicted, for ordered features (numeric, datetime), by the nearest neighbouring value, and
// otherwise counts as wrong (classification) or gets the target mean (regression). The score is
// accuracy for classification and R² (1 - SSE/SST) for regression.
//
// Target leakage (target_leakage, critical): a feature that is neither ID-like nor constant with
//   |pearson| >= leakageCorrelation (numeric feature and target), or
//   a predictor score >= leakageR2 (regression), or
//   accuracy >= leakageAccuracy that also removes at least 90 % of the errors of always
//   predicting the majority class (otherwise a 99 %-majority target would flag every feature).
// Datetime features are not checked by nearest neighbour (a smooth series would look "leaky").
//
// ID-like: every value unique, no missing value, at least minRowsForIdLike rows, and either a
// Text column, an Int64 column dense like a counter (max - min + 1 <= 2 · rows; a measurement
// can be all different in a small table), or any column but Bool/DateTime named like an id
// (id, ID, pid, order, index, key, uuid, ..., or ending in _id / Id / ID). ID-like columns get
// no high_cardinality or skewed warning, no target association (null: unique values "explain"
// any target) and are never reported as leakage. The target is never ID-like.
//
// Speed: columns are profiled in parallel (options.threads), the costliest first, each together
// with its association to the target. Numeric and datetime columns are radix-sorted once, with
// the row of each value when there is a target: the sorted values give the quantiles and the
// exact distinct count, and their runs the leave-one-out groups. Other columns are grouped by
// hashing codes or strings (confirmed by comparison, so counts stay exact); text columns' group
// ids also stand in for the strings in the duplicate-row hashes. Correlations use at most
// maxCorrelationColumns columns, one pass per pair. Checks token->isCancelled() between columns and
// phases (ErrorKind::Cancelled). progress(phase, pct) runs on the calling thread; phase is
// "columns", "duplicates", "correlations", "target" or "warnings", pct the overall 0..1.
Result<Profile> profileTable(const Table &table, const ProfileOptions &options,
                             const JobToken *token = nullptr,
                             std::function<void(const QString &phase, double pct)> progress = {});

} // namespace baton
