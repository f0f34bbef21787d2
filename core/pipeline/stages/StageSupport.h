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

// The model the test figures belong to, fitted on the training rows only: kept by TRAIN beside
// assets/model/ when the exported model was refitted on every labelled row (see EnsembleModel.h).
QString evaluatedModelFolder(); // "model/evaluated", relative to assets/
bool hasEvaluatedModel(const StageContext &context);

// Announces a file the stage wrote (ARTIFACT_ADDED) and returns its URL.
QString announceArtifact(const StageContext &context, const QString &id, const QString &type,
                         const QString &name, const QString &relative, json meta = json::object());

// The files a stage writes under assets/<folder>/ and the events that announce them, all or
// nothing. Files go to a staging folder beside it and events wait; commit() moves the staging
// folder in place of the old one (what an earlier run left) and only then publishes the events,
// in order. Destroyed without commit() -- the stage failed or was cancelled -- it removes the
// staging folder and publishes nothing, so no partial artifact and no ARTIFACT_ADDED remain.
class StagedAssets
{
public:
    StagedAssets(const StageContext &context, QString folder);
    ~StagedAssets();
    StagedAssets(const StagedAssets &) = delete;
    StagedAssets &operator=(const StagedAssets &) = delete;

    // Where to write assets/<relative> until commit(); relative starts with "<folder>/".
    QString path(const QString &relative) const;
    // ARTIFACT_ADDED for assets/<relative>, published by commit(); returns the artifact's URL.
    QString announce(const QString &id, const QString &type, const QString &name,
                     const QString &relative, json meta = json::object());
    // Any other event, published by commit() after the events queued before it.
    void emitLater(const char *name, json payload);

    Status commit();

private:
    const StageContext &m_context;
    QString m_folder;  // e.g. "profile"
    QString m_staging; // absolute; empty when it could not be created
    std::vector<std::pair<const char *, json>> m_events;
    bool m_committed = false;
};

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
