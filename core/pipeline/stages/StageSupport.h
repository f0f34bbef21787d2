#pragma once

// Small pieces the tabular stages share: reading the decisions out of the project context and
// the files a stage leaves for the next one.

#include "core/common/Result.h"
#include "core/conductor/StageHandler.h"
#include "core/data/Table.h"
#include "core/ml/Metrics.h"
#include "core/ml/Preprocessor.h"

#include <QString>

namespace baton::stage {

// assets/<relative> inside the project folder.
QString assetPath(const StageContext &context, const QString &relative);

// Announces a file the stage wrote (ARTIFACT_ADDED) and returns its URL.
QString announceArtifact(const StageContext &context, const QString &id, const QString &type,
                         const QString &name, const QString &relative, json meta = json::object());

// The task for a target column: the user's choice when it is classification or regression;
// otherwise inferred (categories, booleans and integers with few distinct values are classes).
Result<bool> resolveClassification(const Table &table, const QString &target, const QString &task);

// The primary metric: the user's choice when it fits the task, else ROC AUC (binary),
// log loss (multiclass) or RMSE (regression).
MetricId resolveMetric(const QString &requested, bool classification, int classes);

std::vector<Exclusion> exclusionsFrom(const json &context);
uint64_t seedFrom(const json &context);

inline StageOutcome fail(ErrorKind kind, const char *code, const QString &message,
                         const QString &where = {})
{
    return StageOutcome::failed(makeError(kind, QString::fromLatin1(code), message, where));
}

} // namespace baton::stage
