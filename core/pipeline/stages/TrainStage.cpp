#include "TrainStage.h"

#include "StageSupport.h"

#include "core/conductor/EventNames.h"
#include "core/data/CsvWriter.h"
#include "core/ml/Evaluation.h"
#include "core/ml/ModelExplanation.h"
#include "core/ml/TabularTrainer.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/project/Assets.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLocale>
#include <QThread>

namespace baton {

namespace {

// TRAIN as a whole keeps the time budget (within 5 %): the search gets what is left after loading,
// minus a reserve for the one evaluation on the test rows (importance, SHAP, charts), which itself
// stops at the budget less a moment for writing its files.
constexpr double kEvaluationShare = 0.1;
constexpr double kMinEvaluationS = 1.0;
constexpr double kMaxEvaluationS = 30.0;
constexpr double kArtifactWritingShare = 0.03;


std::vector<ModelFamily> familiesFor(const QString &modelId)
{
    if (const auto family = familyFromId(modelId))
        return {*family};
    return {ModelFamily::GradientBoosting, ModelFamily::RandomForest, ModelFamily::Linear};
}

QByteArray predictionsCsv(const PreprocessSpec &spec, const Table &table, const std::vector<int64_t> &rows,
                          const Predictions &predictions)
{
    QByteArray out = "row," + spec.target.toUtf8() + ",prediction";
    if (predictions.classification) {
        for (const QString &c : spec.classes)
            out += ",p_" + c.toUtf8();
    }
    out += '\n';
    const auto targetIndex = table.columnIndex(spec.target);
    const std::vector<int> predicted = predictions.predictedClass();
    for (size_t i = 0; i < rows.size(); ++i) {
        out += QByteArray::number(rows[i]) + ',';
        out += table.cellText(rows[i], *targetIndex).toUtf8() + ',';
        if (predictions.classification) {
            out += spec.classes.at(predicted[i]).toUtf8();
            for (int c = 0; c < predictions.classes; ++c)
                out += ',' + QByteArray::number(predictions.probabilities[i * size_t(predictions.classes) + size_t(c)], 'g', 17);
        } else {
            out += QByteArray::number(predictions.values[i], 'g', 17);
        }
        out += '\n';
    }
    return out;
}

// The one evaluation on the test rows: metrics, curves, importance and SHAP as files and events.
void evaluate(const StageContext &context, const Table &table, const PreprocessSpec &spec,
              const std::vector<int64_t> &testRows, const TrainOutcome &outcome,
              const TrainerSettings &settings, QDeadlineTimer deadline)
{
    const std::string runId = toStd(outcome.finalRunId);
    const char *task = spec.classification ? "classification" : "regression";
    context.emitEvent(events::EvaluationStarted,
                      {{"run_id", runId}, {"task_type", task}, {"message", "Evaluating on the held-out test rows"}});
    EvaluationInput input;
    input.runId = outcome.finalRunId;
    input.classification = spec.classification;
    if (spec.classification) {
        input.classLabels = spec.classes;
        const std::vector<int> byRow = classIndices(spec, table);
        for (int64_t r : testRows)
            input.classTruth.push_back(byRow[size_t(r)]);
        input.probabilities = outcome.testPredictions.probabilities;
    } else {
        input.truth = rawTargetValues(table, spec.target, testRows);
        input.prediction = outcome.testPredictions.values;
    }
    // the model that never saw the test rows: importance and SHAP on them must come from it
    auto explained = explainModel(outcome.evaluatedModel, table, testRows, settings.metric, settings.threads, settings.seed,
                                  deadline);
    if (explained && !explained->shortened.isEmpty())
        context.log(QStringLiteral("info"), explained->shortened, QStringLiteral("evaluation"));
    if (explained) {
        input.featureNames = explained->featureNames;
        input.gainImportance = explained->gainImportance;
        input.permutationImportance = explained->permutationImportance;
        input.contributions = explained->contributions;
    } else {
        context.log(QStringLiteral("info"), QStringLiteral("No feature importance: %1").arg(explained.error().message),
                    QStringLiteral("evaluation"));
    }
    const std::string primary = toStd(metricName(settings.metric));
    context.emitEvent(events::MetricScalar, {{"run_id", runId},
                                             {"name", primary},
                                             {"split", "test"},
                                             {"step", 1},
                                             {"value", outcome.testMetrics.value(primary, json(nullptr))}});
    context.emitEvent(spec.classification ? events::ClassificationMetricsReady : events::RegressionMetricsReady,
                      spec.classification ? classificationMetricsPayload(input) : regressionMetricsPayload(input));
    auto artifacts = writeEvaluationArtifacts(input, stage::assetPath(context, QString()), context.projectId());
    if (!artifacts) {
        context.log(QStringLiteral("warn"), QStringLiteral("Evaluation artifacts failed: %1").arg(artifacts.error().toString()),
                    QStringLiteral("evaluation"));
        return;
    }
    bool shap = false;
    for (const ArtifactEvent &artifact : artifacts.value()) {
        if (!artifact.readyEvent.isEmpty())
            context.emitEvent(artifact.readyEvent.toLatin1().constData(), artifact.readyPayload);
        context.emitEvent(events::ArtifactAdded, artifactAddedPayload(artifact));
        shap |= artifact.type == QLatin1String("shap_explanations");
    }
    context.emitEvent(events::EvaluationComplete, {{"run_id", runId},
                                                   {"task_type", task},
                                                   {"primary_metric", primary},
                                                   {"primary_value", outcome.testMetrics.value(primary, json(nullptr))},
                                                   {"all_metrics", outcome.testMetrics},
                                                   {"artifacts", evaluationCompleteArtifacts(artifacts.value())},
                                                   {"shap_available", shap}});
}

} // namespace

TrainStage::TrainStage(std::shared_ptr<DatasetCache> cache)
    : m_cache(std::move(cache))
{}

StageOutcome TrainStage::run(StageContext &context)
{
    QElapsedTimer stageClock;
    stageClock.start();
    const json &project = context.projectContext();
    auto loaded = m_cache->load(stringField(project, ctx::DataPath));
    if (!loaded)
        return StageOutcome::failed(loaded.error());
    const Table &table = *loaded.value();

    auto readAsset = [&context](const QString &relative) {
        return readJsonFile(stage::assetPath(context, relative), ErrorKind::NotFound,
                            QStringLiteral("train.missing_file"), QStringLiteral("run PREPROCESS again"));
    };
    auto specJson = readAsset(QStringLiteral("model/preprocess.json"));
    if (!specJson)
        return StageOutcome::failed(specJson.error());
    auto spec = PreprocessSpec::fromJson(specJson.value());
    if (!spec)
        return StageOutcome::failed(spec.error());
    auto splitJson = readAsset(QStringLiteral("data/split.json"));
    if (!splitJson)
        return StageOutcome::failed(splitJson.error());
    const auto trainRows = splitJson->value("train_rows", std::vector<int64_t>{});
    const auto testRows = splitJson->value("test_rows", std::vector<int64_t>{});
    for (const auto *rows : {&trainRows, &testRows}) {
        for (int64_t r : *rows) {
            if (r < 0 || r >= table.rowCount())
                return stage::fail(ErrorKind::BadInput, "train.stale_split",
                                   QStringLiteral("The saved split does not fit the data any more: run PREPROCESS again"));
        }
    }

    TrainerSettings settings;
    settings.metric = stage::resolveMetric(stringField(project, ctx::Metric), spec->classification,
                                           int(spec->classes.size()));
    const double budgetS = std::max(1, project.value(ctx::TimeBudgetS, 120));
    const double evaluationS = std::clamp(kEvaluationShare * budgetS, kMinEvaluationS, kMaxEvaluationS);
    settings.timeBudgetS = std::max(0.5 * budgetS, budgetS - evaluationS - double(stageClock.elapsed()) / 1000.0);
    settings.maxCandidates = std::max(0, project.value("max_models", 0));
    settings.seed = stage::seedFrom(project);
    settings.threads = std::max(1, QThread::idealThreadCount());
    settings.families = familiesFor(stringField(project, "model_id", QStringLiteral("auto")));
    settings.refitOnAllRows = project.value(ctx::RefitAllRows, true);

    TrainerCallbacks callbacks{
        [&context](const char *name, json payload) { context.emitEvent(name, std::move(payload)); },
        [&context] { return context.isCancelled(); },
        [&context] { return context.isStopRequested(); }};
    context.log(QStringLiteral("info"),
                settings.maxCandidates > 0
                    ? QStringLiteral("Training: %1 candidates, seed %2").arg(settings.maxCandidates).arg(settings.seed)
                    : QStringLiteral("Training: %1 s budget (%2 s for the search, the rest for the evaluation on "
                                     "the test rows), seed %3")
                          .arg(budgetS)
                          .arg(settings.timeBudgetS, 0, 'f', 1)
                          .arg(settings.seed),
                QStringLiteral("trainer"));
    TabularTrainer trainer(table, spec.value(), trainRows, testRows, settings, callbacks);
    auto outcome = trainer.run();
    if (!outcome)
        return StageOutcome::failed(outcome.error());

    // the model as export and `baton predict` will load it; when it was refitted on the test rows
    // too, the one the test figures belong to is kept beside it
    const QString evaluatedDir = stage::assetPath(context, stage::evaluatedModelFolder());
    // an earlier run's evaluated model would make export verify against the wrong one
    if (QDir dir(evaluatedDir); dir.exists() && !dir.removeRecursively())
        return stage::fail(ErrorKind::Io, "train.stale_model",
                           QStringLiteral("Cannot remove the previous evaluated model in %1").arg(evaluatedDir));
    if (Status s = outcome->model.save(stage::assetPath(context, QStringLiteral("model"))); !s)
        return StageOutcome::failed(s.error());
    if (outcome->refittedOnAllRows) {
        if (Status s = outcome->evaluatedModel.save(evaluatedDir); !s)
            return StageOutcome::failed(s.error());
    }
    stage::announceArtifact(context, QStringLiteral("model"), QStringLiteral("model"), QStringLiteral("Trained model"),
                            QStringLiteral("model/ensemble.json"),
                            {{"members", outcome->model.members().size()}, {"format", "xgboost-json"}});
    const QString predictionsRel = QStringLiteral("model/test_predictions.csv");
    if (Status s = writeTextFile(stage::assetPath(context, predictionsRel),
                                 predictionsCsv(spec.value(), table, testRows, outcome->testPredictions));
        !s)
        return StageOutcome::failed(s.error());
    stage::announceArtifact(context, QStringLiteral("test_predictions"), QStringLiteral("predictions"),
                            QStringLiteral("Test predictions"), predictionsRel, {{"rows", testRows.size()}});

    // an iteration budget (--max-models) is reproducible and ignores the clock
    const QDeadlineTimer evaluationDeadline =
        settings.maxCandidates > 0
            ? QDeadlineTimer(QDeadlineTimer::Forever)
            : QDeadlineTimer(qint64(1000.0 * budgetS * (1.0 - kArtifactWritingShare)) - stageClock.elapsed());
    evaluate(context, table, spec.value(), testRows, *outcome, settings, evaluationDeadline);

    const std::string primary = toStd(metricName(settings.metric));
    json metricList = json::array();
    for (const auto &[name, value] : outcome->testMetrics.items())
        metricList.push_back({{"name", name}, {"split", "test"}, {"value", value}});
    const json finalMetrics = {{"task_type", spec->classification ? "classification" : "regression"},
                               {"primary", {{"name", primary}, {"split", "test"},
                                            {"value", outcome->testMetrics.value(primary, json(nullptr))}}},
                               {"metrics", metricList},
                               {"values", outcome->testMetrics}};
    context.emitEvent(events::TrainComplete, {{"run_id", toStd(outcome->finalRunId)},
                                              {"metrics", outcome->testMetrics},
                                              {"primary_metric", primary},
                                              {"stopped_early", outcome->stoppedEarly}});

    json leaderboard = json::array();
    int successful = 0;
    for (const CandidateOutcome &c : outcome->candidates) {
        if (c.status != CandidateStatus::Success)
            continue;
        ++successful;
        if (leaderboard.size() < 10) {
            leaderboard.push_back({{"run_id", toStd(c.runId)},
                                   {"model_id", toStd(familyId(c.config.family))},
                                   {"label", toStd(c.config.label)},
                                   {"cv_score", c.cvScore},
                                   {"cv_std", c.cvStd},
                                   {"runtime_s", c.runtimeS}});
        }
    }
    json members = json::array();
    QStringList memberNames;
    for (const EnsembleMember &m : outcome->model.members()) {
        members.push_back({{"run_id", toStd(m.runId)}, {"model_id", toStd(familyId(m.config.family))}, {"weight", m.weight}});
        memberNames << QStringLiteral("%1 %2%").arg(familyName(m.config.family)).arg(qRound(m.weight * 100));
    }
    const size_t fittedRows = trainRows.size() + (outcome->refittedOnAllRows ? testRows.size() : 0);
    json patch = {{ctx::FinalMetrics, finalMetrics},
                  {"model", {{"dir", "model"},
                             {"run_id", toStd(outcome->finalRunId)},
                             {"members", members},
                             {"fitted_rows", fittedRows},
                             {"refitted_on_all_rows", outcome->refittedOnAllRows},
                             {"evaluated_dir", outcome->refittedOnAllRows ? json(toStd(stage::evaluatedModelFolder())) : json(nullptr)}}},
                  {"leaderboard", leaderboard},
                  {"search", {{"candidates", outcome->candidates.size()},
                              {"successful", successful},
                              {"folds", outcome->folds},
                              {"elapsed_s", outcome->elapsedS},
                              {"stopped_early", outcome->stoppedEarly},
                              {"time_budget_s", budgetS},
                              {"search_budget_s", settings.timeBudgetS},
                              {"max_models", settings.maxCandidates}}}};

    const QLocale locale;
    const json primaryValue = outcome->testMetrics.value(primary, json(nullptr));
    const QString summary =
        QStringLiteral("%1 %2 candidates in %3 s (%4-fold cross-validation). Final model: %5. Test %6: %7.%8")
            .arg(outcome->stoppedEarly ? QStringLiteral("Stopped early after") : QStringLiteral("Trained"))
            .arg(outcome->candidates.size())
            .arg(locale.toString(outcome->elapsedS, 'f', 1))
            .arg(outcome->folds)
            .arg(memberNames.join(QStringLiteral(", ")))
            .arg(QString::fromStdString(primary))
            .arg(primaryValue.is_number() ? locale.toString(primaryValue.get<double>(), 'g', 5) : QStringLiteral("n/a"))
            .arg(outcome->refittedOnAllRows
                     ? QStringLiteral(" Exported model refitted on all %1 labelled rows.").arg(fittedRows)
                     : QString());
    return StageOutcome::waiting(summary, {QStringLiteral("Confirm to review the results")}, std::move(patch));
}

} // namespace baton
