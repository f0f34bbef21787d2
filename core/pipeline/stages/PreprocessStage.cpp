#include "PreprocessStage.h"

#include "StageSupport.h"

#include "core/agents/PreprocessPlanner.h"
#include "core/conductor/EventNames.h"
#include "core/ml/Split.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/pipeline/TableHints.h"
#include "core/project/Assets.h"

namespace baton {

namespace {
constexpr double kTestFraction = 0.2;
}

PreprocessStage::PreprocessStage(std::shared_ptr<DatasetCache> cache)
    : m_cache(std::move(cache))
{}

StageOutcome PreprocessStage::run(StageContext &context)
{
    const json &project = context.projectContext();
    const QString dataPath = stringField(project, ctx::DataPath);
    const QString target = stringField(project, ctx::Target);
    if (dataPath.isEmpty())
        return stage::fail(ErrorKind::BadInput, "preprocess.no_data", QStringLiteral("No dataset: go back to DATA_SOURCE"));
    if (target.isEmpty()) {
        return stage::fail(ErrorKind::BadInput, "preprocess.no_target",
                           QStringLiteral("No target column: name the column to predict (e.g. --target)"));
    }
    auto loaded = m_cache->load(dataPath);
    if (!loaded)
        return StageOutcome::failed(loaded.error());
    const Table &table = *loaded.value();

    auto classification = stage::resolveClassification(table, target, stringField(project, ctx::Task));
    if (!classification)
        return StageOutcome::failed(classification.error());

    const std::vector<int64_t> labelled = rowsWithTarget(table, target);
    const qsizetype unlabelled = table.rowCount() - qsizetype(labelled.size());
    std::vector<Exclusion> exclusions = stage::exclusionsFrom(project);
    QStringList excludedNames;
    for (const Exclusion &e : exclusions)
        excludedNames << e.column;
    // The planner's exclusions join the user's, with reasons, so they can be read and undone.
    const auto planned = planExclusions(AgentRunner::forStage(context), columnHints(table), target,
                                        *classification, excludedNames);
    json excludedDecision = project.value(ctx::ExcludedColumns, json::array());
    json plannedJson = json::array();
    for (const PlannedExclusion &p : planned.value) {
        exclusions.push_back({p.column, p.reason});
        excludedDecision.push_back({{"column", toStd(p.column)}, {"reason", toStd(p.reason)}});
        plannedJson.push_back({{"column", toStd(p.column)}, {"reason", toStd(p.reason)}});
    }

    // stratify on the classes seen across all labelled rows
    std::vector<int> strata;
    if (*classification) {
        PreprocessSpec classesOnly;
        classesOnly.target = target;
        classesOnly.classification = true;
        classesOnly.classes = classLabels(table, target, labelled);
        strata = classIndices(classesOnly, table);
    }
    const uint64_t seed = stage::seedFrom(project);
    DataSplit split = splitTrainTest(table.rowCount(), kTestFraction, seed, strata);
    auto keepLabelled = [&](std::vector<int64_t> &rows) {
        std::erase_if(rows, [&](int64_t r) { return !std::binary_search(labelled.begin(), labelled.end(), r); });
    };
    keepLabelled(split.train);
    keepLabelled(split.test);
    if (split.test.empty() || split.train.size() < 10) {
        return stage::fail(ErrorKind::BadInput, "preprocess.too_few_rows",
                           QStringLiteral("Only %1 rows have a value for “%2”: too few to train and test")
                               .arg(labelled.size()).arg(target));
    }

    auto spec = fitPreprocess(table, split.train, {target, *classification, exclusions, 30, seed});
    if (!spec)
        return StageOutcome::failed(spec.error());

    const QString specRel = QStringLiteral("model/preprocess.json");
    if (Status s = writeJsonFile(stage::assetPath(context, specRel), spec->toJson()); !s)
        return StageOutcome::failed(s.error());
    const QString splitRel = QStringLiteral("data/split.json");
    const json splitJson = {{"seed", seed},
                            {"test_fraction", kTestFraction},
                            {"stratified", *classification},
                            {"train_rows", split.train},
                            {"test_rows", split.test}};
    if (Status s = writeJsonFile(stage::assetPath(context, splitRel), splitJson, -1); !s)
        return StageOutcome::failed(s.error());

    context.emitEvent(events::SplitSummary, {{"train_rows", split.train.size()},
                                             {"val_rows", 0},
                                             {"test_rows", split.test.size()},
                                             {"stratified", *classification},
                                             {"seed", seed},
                                             {"unlabelled_rows_dropped", unlabelled}});
    const json steps = spec->planSteps();
    json plan = {{"steps", steps},
                 {"task_type", *classification ? "classification" : "regression"},
                 {"target", toStd(target)},
                 {"planned_exclusions", plannedJson},
                 {"editable", {"excluded_columns", "target", "task"}}};
    planned.provenance.addTo(plan);
    context.emitEvent(events::PreprocessPlan, plan);
    const QString specUrl = stage::announceArtifact(context, QStringLiteral("preprocess_spec"),
                                                    QStringLiteral("preprocess_spec"),
                                                    QStringLiteral("Preprocessing spec"), specRel,
                                                    {{"version", PreprocessSpec::kVersion}});
    stage::announceArtifact(context, QStringLiteral("split"), QStringLiteral("split"),
                            QStringLiteral("Train/test split"), splitRel,
                            {{"train_rows", split.train.size()}, {"test_rows", split.test.size()}});

    const auto treeNames = spec->treeFeatureNames();
    json excluded = json::array();
    for (const Exclusion &e : spec->excluded)
        excluded.push_back({{"column", toStd(e.column)}, {"reason", toStd(e.reason)}});
    const MetricId metric = stage::resolveMetric(stringField(project, ctx::Metric), *classification,
                                                 int(spec->classes.size()));
    context.emitEvent(events::PreprocessComplete, {{"steps", steps},
                                                   {"features", treeNames.size()},
                                                   {"excluded", excluded},
                                                   {"spec_url", toStd(specUrl)},
                                                   {"message", toStd(QStringLiteral("%1 features from %2 columns")
                                                                         .arg(treeNames.size())
                                                                         .arg(spec->columns.size()))}});

    json patch = {{ctx::Task, *classification ? "classification" : "regression"},
                  {ctx::Metric, toStd(metricName(metric))},
                  {"preprocess", {{"spec", toStd(specRel)},
                                  {"split", toStd(splitRel)},
                                  {"features", treeNames.size()},
                                  {"classes", spec->classes.size()},
                                  {"excluded", excluded},
                                  {"train_rows", split.train.size()},
                                  {"test_rows", split.test.size()}}}};
    if (!planned.value.empty())
        patch[ctx::ExcludedColumns] = excludedDecision;
    QString summary = QStringLiteral("%1 on “%2”: %3 features from %4 columns, %5 excluded. Train %6 rows, test %7 rows (held out until the end). Metric: %8.")
                          .arg(*classification ? QStringLiteral("Classification") : QStringLiteral("Regression"),
                               target)
                          .arg(treeNames.size())
                          .arg(spec->columns.size())
                          .arg(spec->excluded.size())
                          .arg(split.train.size())
                          .arg(split.test.size())
                          .arg(metricName(metric));
    if (unlabelled > 0)
        summary += QStringLiteral(" %1 rows without a target are left out.").arg(unlabelled);
    return StageOutcome::waiting(summary, {QStringLiteral("Confirm to select models"),
                                           QStringLiteral("Edit excluded columns")},
                                 std::move(patch));
}

} // namespace baton
