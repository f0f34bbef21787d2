#include "TabularTrainer.h"

#include "core/common/SystemMemory.h"
#include "core/conductor/EventNames.h"
#include "core/ml/MemoryPlan.h"
#include "core/ml/ResourceSampler.h"
#include "core/ml/Split.h"
#include "core/ml/XgbBooster.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace baton {

struct TabularTrainer::Fold
{
    std::vector<size_t> trainPos; // positions into m_trainRows
    std::vector<size_t> validPos;
    std::optional<XgbMatrix> treeTrain, treeValid, linearTrain, linearValid;
};

struct TabularTrainer::FoldFit
{
    std::vector<double> predictions; // scoring space, in validPos order
    int bestRound = 0;
    bool interrupted = false;
};

namespace {

using Clock = std::chrono::steady_clock;

// Share of the time budget after which refitting stops: the rest is for the test predictions.
constexpr double kRefitDeadline = 0.93;
// Out-of-fold predictions kept for the ensemble selection: the best this many (MemoryPlan counts them).
constexpr size_t kEnsemblePool = 12;
// Greedy ensemble-selection steps (weights in 1/25ths at the finest), as in Caruana et al. and AutoGluon.
constexpr int kEnsembleSteps = 25;

double nowS()
{
    return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

FeatureMatrix subset(const FeatureMatrix &m, const std::vector<size_t> &positions)
{
    FeatureMatrix out;
    out.rows = positions.size();
    out.cols = m.cols;
    out.values.resize(out.rows * out.cols);
    for (size_t i = 0; i < positions.size(); ++i) {
        std::copy_n(m.values.begin() + std::ptrdiff_t(positions[i] * m.cols), m.cols,
                    out.values.begin() + std::ptrdiff_t(i * m.cols));
    }
    return out;
}

bool improves(MetricId metric, double a, double b)
{
    return higherIsBetter(metric) ? a > b : a < b;
}

const char *statusName(CandidateStatus status)
{
    switch (status) {
    case CandidateStatus::Success: return "success";
    case CandidateStatus::Failed: return "failed";
    case CandidateStatus::Pruned: return "pruned";
    case CandidateStatus::Interrupted: return "cancelled";
    }
    return "failed";
}

json paramsJson(const CandidateConfig &config)
{
    json p = json::object();
    for (const auto &[k, v] : config.params)
        p[k] = v;
    return p;
}

} // namespace

TabularTrainer::TabularTrainer(const Table &table, PreprocessSpec spec, std::vector<int64_t> trainRows,
                               std::vector<int64_t> testRows, TrainerSettings settings,
                               TrainerCallbacks callbacks)
    : m_table(table)
    , m_spec(std::move(spec))
    , m_trainRows(std::move(trainRows))
    , m_testRows(std::move(testRows))
    , m_settings(std::move(settings))
    , m_callbacks(std::move(callbacks))
    , m_rng(m_settings.seed)
{}

TabularTrainer::~TabularTrainer() = default;

double TabularTrainer::elapsed() const
{
    return nowS() - m_startS;
}

bool TabularTrainer::timeUp() const
{
    // Until one candidate has finished, its refit on all rows must still fit in the budget.
    const double deadline = m_haveBest ? m_searchDeadlineS : m_settings.timeBudgetS * 0.4;
    return m_settings.maxCandidates == 0 && elapsed() > deadline;
}

bool TabularTrainer::shouldStop() const
{
    return m_callbacks.isStopRequested() || timeUp();
}

void TabularTrainer::reserveTimeForRefit(double bestFoldS)
{
    // Refitting the best model on every training row costs about one fold scaled up to all rows
    // (plus its extra rounds); keep twice that, and at least a tenth of the budget for the other
    // members and the test predictions. The refit on training + test rows for export costs that
    // again, scaled up to those rows: it gets no margin, because it is skipped when the first
    // refit shows it would not fit. The search gets the rest.
    const double folds = double(std::max<size_t>(2, m_folds.size()));
    const double refitS = bestFoldS * folds / (folds - 1.0) * (2.0 + (refitsOnAllRows() ? allRowsGrowth() : 0.0));
    const double reserveS = std::clamp(refitS, 0.1 * m_settings.timeBudgetS, 0.5 * m_settings.timeBudgetS);
    m_searchDeadlineS = m_settings.timeBudgetS - reserveS;
}

double TabularTrainer::allRowsGrowth() const
{
    return double(m_trainRows.size() + m_testRows.size()) / double(std::max<size_t>(1, m_trainRows.size()));
}

bool TabularTrainer::refitsOnAllRows() const
{
    // MemoryPlan: room for the test rows too (never after a search that had to subsample)
    return m_settings.refitOnAllRows && !m_testRows.empty() && m_refitAllRowsFits;
}

bool TabularTrainer::cannotFinishInTime(const CandidateConfig &config) const
{
    // A forest is one boosting round of many trees and cannot stop midway (on 640k rows of a
    // loaded machine one took minutes), so it starts only when the measured cost of a boosted
    // tree says its folds fit in the search's remaining time; its deeper trees count double.
    const auto trees = config.params.find("num_parallel_tree");
    if (m_settings.maxCandidates > 0 || !m_haveBest || m_secondsPerTreeRow <= 0 || trees == config.params.end())
        return false;
    const double rows = double(m_folds.front().trainPos.size());
    const double estimateS = 2.0 * std::stod(trees->second) * rows * m_secondsPerTreeRow * double(m_folds.size());
    return estimateS > m_searchDeadlineS - elapsed();
}

QString TabularTrainer::newRunId()
{
    // Deterministic for a seed, so reproducible runs also reproduce their ids.
    return QStringLiteral("run_%1").arg(quint32(m_rng() & 0xffffffffu), 8, 16, QLatin1Char('0'));
}

bool TabularTrainer::better(double a, double b) const
{
    return improves(m_settings.metric, a, b);
}

Status TabularTrainer::prepare()
{
    // Below ~100k cells XGBoost's per-round thread start-up costs more than it saves.
    if (m_trainRows.size() * std::max<size_t>(1, m_spec.treeFeatureNames().size()) < 100000)
        m_settings.threads = 1;
    m_classes = m_spec.classification ? int(m_spec.classes.size()) : 0;
    auto labels = targetValues(m_spec, m_table, m_trainRows);
    if (!labels)
        return labels.error();
    m_labels = std::move(labels).value();
    if (m_spec.classification) {
        m_classTruth.resize(m_labels.size());
        for (size_t i = 0; i < m_labels.size(); ++i)
            m_classTruth[i] = int(m_labels[i]);
    } else {
        m_truth = rawTargetValues(m_table, m_spec.target, m_trainRows);
    }

    const size_t n = m_trainRows.size();
    int k = m_settings.folds;
    if (k <= 0)
        k = n <= 20000 ? 5 : n <= 200000 ? 3 : 1;
    k = int(std::min<size_t>(size_t(k), std::max<size_t>(2, n / 2)));
    if (Status s = planSearchRows(k); !s)
        return s;

    auto tree = trainingTreeFeatures(m_spec, m_table, m_trainRows);
    if (!tree)
        return tree.error();
    m_treeFeatures = std::move(tree).value();
    if (std::find(m_settings.families.begin(), m_settings.families.end(), ModelFamily::Linear)
        != m_settings.families.end()) {
        auto linear = trainingLinearFeatures(m_spec, m_table, m_trainRows);
        if (!linear)
            return linear.error();
        m_linearFeatures = std::move(linear).value();
    }

    // stratification labels are indexed by table row
    std::vector<int> byRow;
    if (m_spec.classification) {
        byRow.assign(size_t(m_table.rowCount()), 0);
        for (size_t i = 0; i < n; ++i)
            byRow[size_t(m_trainRows[i])] = m_classTruth[i];
    }
    std::vector<int64_t> searchRows(m_searchPos.size());
    for (size_t j = 0; j < m_searchPos.size(); ++j)
        searchRows[j] = m_trainRows[m_searchPos[j]];
    if (k == 1) {
        // a single 80/20 holdout inside the training rows for big data
        const std::vector<int> fold = assignFolds(searchRows, 5, m_settings.seed, byRow);
        Fold f;
        for (size_t j = 0; j < searchRows.size(); ++j)
            (fold[j] == 0 ? f.validPos : f.trainPos).push_back(m_searchPos[j]);
        m_folds.push_back(std::move(f));
    } else {
        const std::vector<int> fold = assignFolds(searchRows, k, m_settings.seed, byRow);
        m_folds.resize(size_t(k));
        for (size_t j = 0; j < searchRows.size(); ++j) {
            for (int f = 0; f < k; ++f)
                (fold[j] == f ? m_folds[size_t(f)].validPos : m_folds[size_t(f)].trainPos).push_back(m_searchPos[j]);
        }
    }
    return {};
}

Status TabularTrainer::planSearchRows(int folds)
{
    const bool linear = std::find(m_settings.families.begin(), m_settings.families.end(), ModelFamily::Linear)
                        != m_settings.families.end();
    const bool wantsAllRows = m_settings.refitOnAllRows && !m_testRows.empty();
    const SearchShape shape{m_trainRows.size(), m_spec.treeFeatureNames().size(),
                            linear ? m_spec.linearFeatureNames().size() : 0,
                            m_spec.classification ? size_t(m_classes) : 1, folds,
                            wantsAllRows ? m_trainRows.size() + m_testRows.size() : 0};
    const MemoryPlan plan = planMemory(shape, m_settings.availableMemoryBytes
                                                  ? *m_settings.availableMemoryBytes
                                                  : double(availableMemoryBytes()));
    m_refitAllRowsFits = plan.refitAllRows;
    if (plan.decision == MemoryPlan::Decision::Refuse)
        return makeError(ErrorKind::BadInput, QStringLiteral("train.out_of_memory"), plan.explanation);
    m_callbacks.emit(events::LogLine, {{"run_id", "search"},
                                       {"level", plan.decision == MemoryPlan::Decision::Subsample ? "warn" : "info"},
                                       {"text", toStd(plan.explanation)},
                                       {"source", "trainer"}});
    m_searchPos.resize(m_trainRows.size());
    std::iota(m_searchPos.begin(), m_searchPos.end(), 0);
    if (plan.searchRows < m_searchPos.size()) {
        // a seeded random sample, so a reproducible run stays reproducible
        std::mt19937_64 rng(m_settings.seed ^ 0x6a09e667f3bcc909ULL);
        for (size_t i = 0; i < plan.searchRows; ++i)
            std::swap(m_searchPos[i], m_searchPos[i + size_t(rng() % (m_searchPos.size() - i))]);
        m_searchPos.resize(plan.searchRows);
        std::sort(m_searchPos.begin(), m_searchPos.end());
    }
    return {};
}

void TabularTrainer::releaseFoldMatrices()
{
    for (Fold &fold : m_folds) {
        fold.treeTrain.reset();
        fold.treeValid.reset();
        fold.linearTrain.reset();
        fold.linearValid.reset();
    }
}

void TabularTrainer::keepEnsemblePool(std::vector<CandidateOutcome> &candidates) const
{
    // only the best kEnsemblePool can join the ensemble: the others' predictions are dropped
    // (bounded memory on big data, see MemoryPlan)
    std::vector<CandidateOutcome *> held;
    for (CandidateOutcome &c : candidates) {
        if (c.status == CandidateStatus::Success && !c.oof.empty())
            held.push_back(&c);
    }
    if (held.size() <= kEnsemblePool)
        return;
    const MetricId metric = ensembleMetric();
    std::stable_sort(held.begin(), held.end(), [metric](const CandidateOutcome *a, const CandidateOutcome *b) {
        return improves(metric, a->ensembleScore, b->ensembleScore);
    });
    for (size_t i = kEnsemblePool; i < held.size(); ++i) {
        held[i]->oof.clear();
        held[i]->oof.shrink_to_fit();
    }
}

Result<const XgbMatrix *> TabularTrainer::matrixFor(Fold &fold, bool linear, bool train)
{
    std::optional<XgbMatrix> &slot = linear ? (train ? fold.linearTrain : fold.linearValid)
                                            : (train ? fold.treeTrain : fold.treeValid);
    if (!slot) {
        const std::vector<size_t> &positions = train ? fold.trainPos : fold.validPos;
        const FeatureMatrix features = subset(linear ? m_linearFeatures : m_treeFeatures, positions);
        auto matrix = XgbMatrix::fromDense(features.values, features.rows, features.cols, m_settings.threads);
        if (!matrix)
            return matrix.error();
        std::vector<float> labels(positions.size());
        for (size_t i = 0; i < positions.size(); ++i)
            labels[i] = m_labels[positions[i]];
        if (Status s = matrix->setLabels(labels); !s)
            return s.error();
        if (!linear) {
            if (Status s = matrix->setFeatureTypes(m_spec.treeFeatureTypes()); !s)
                return s.error();
        }
        slot = std::move(matrix).value();
    }
    return &*slot;
}

Result<TabularTrainer::FoldFit> TabularTrainer::fitFold(const QString &runId,
                                                        const CandidateConfig &config, Fold &fold,
                                                        bool emitCurve, int foldIndex)
{
    const bool linear = config.usesLinearFeatures();
    auto train = matrixFor(fold, linear, true);
    if (!train)
        return train.error();
    auto valid = matrixFor(fold, linear, false);
    if (!valid)
        return valid.error();
    auto booster = XgbBooster::create({train.value(), valid.value()});
    if (!booster)
        return booster.error();
    auto params = taskParams(m_spec.classification, m_classes, m_settings.threads, m_settings.seed);
    const std::string evalMetric = params["eval_metric"];
    params.insert(config.params.begin(), config.params.end());
    if (Status s = booster->setParams(params); !s)
        return s.error();

    FoldFit fit;
    double best = std::numeric_limits<double>::infinity();
    int sinceBest = 0;
    QByteArray bestLinearModel;
    double lastProgress = 0;
    const double foldStart = nowS();
    int rounds = 0;
    for (int round = 0; round < config.maxRounds; ++round) {
        if (m_callbacks.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("train.cancelled"), QStringLiteral("Cancelled"));
        if (round > 0 && shouldStop()) {
            fit.interrupted = true;
            break;
        }
        if (Status s = booster->updateOneIter(round, *train.value()); !s)
            return s.error();
        ++rounds;
        auto evals = booster->evalOneIter(round, {{"train", train.value()}, {"valid", valid.value()}});
        if (!evals)
            return evals.error();
        const double trainValue = evals.value()["train-" + evalMetric];
        const double validValue = evals.value()["valid-" + evalMetric];
        if (emitCurve) {
            for (const auto &[split, value] : {std::pair{"train", trainValue}, std::pair{"valid", validValue}}) {
                m_callbacks.emit(events::MetricScalar, {{"run_id", toStd(runId)},
                                                        {"name", evalMetric},
                                                        {"split", split},
                                                        {"step", round + 1},
                                                        {"value", value},
                                                        {"fold", foldIndex},
                                                        {"target_scale", m_spec.logTarget ? "log1p" : "original"}});
            }
        }
        const double now = nowS();
        if (now - lastProgress > 0.1 || round + 1 == config.maxRounds) {
            lastProgress = now;
            const double pct = m_settings.maxCandidates > 0
                                   ? 100.0 * double(m_runCounter - 1) / m_settings.maxCandidates
                                   : std::min(100.0, 100.0 * elapsed() / m_settings.timeBudgetS);
            const double eta = m_settings.maxCandidates > 0
                                   ? (now - foldStart) / double(round + 1) * double(config.maxRounds - round - 1)
                                   : std::max(0.0, m_settings.timeBudgetS - elapsed());
            m_callbacks.emit(events::TrainProgress,
                             {{"run_id", toStd(runId)},
                              {"epoch", round + 1},
                              {"epochs", config.maxRounds},
                              {"total_epochs", config.maxRounds},
                              {"step", foldIndex + 1},
                              {"steps", int(m_folds.size())},
                              {"fold", foldIndex + 1},
                              {"folds", int(m_folds.size())},
                              {"eta_s", eta},
                              {"phase", "fit"},
                              {"progress", int(pct)},
                              {"message", toStd(QStringLiteral("%1, fold %2/%3, round %4")
                                                    .arg(familyName(config.family))
                                                    .arg(foldIndex + 1)
                                                    .arg(m_folds.size())
                                                    .arg(round + 1))},
                              {"current_metrics", {{"train_" + evalMetric, trainValue},
                                                   {"valid_" + evalMetric, validValue}}}});
        }
        if (validValue < best - 1e-12) {
            best = validValue;
            fit.bestRound = round + 1;
            sinceBest = 0;
            if (linear) {
                auto saved = booster->saveJson();
                if (!saved)
                    return saved.error();
                bestLinearModel = saved.value();
            }
        } else if (config.earlyStopping > 0 && ++sinceBest >= config.earlyStopping) {
            break;
        }
    }
    if (fit.bestRound == 0)
        fit.bestRound = 1;
    if (config.family == ModelFamily::GradientBoosting && rounds > 0)
        m_secondsPerTreeRow = (nowS() - foldStart) / (double(rounds) * double(fold.trainPos.size()));

    size_t groups = 1;
    Result<std::vector<float>> raw = std::vector<float>{};
    if (linear && !bestLinearModel.isEmpty()) {
        auto bestBooster = XgbBooster::fromJson(bestLinearModel);
        if (!bestBooster)
            return bestBooster.error();
        raw = bestBooster->predict(*valid.value(), 0, &groups);
    } else {
        raw = booster->predict(*valid.value(), linear ? 0 : fit.bestRound, &groups);
    }
    if (!raw)
        return raw.error();
    fit.predictions = toScoringSpace(m_spec, raw.value(), groups);
    return fit;
}

double TabularTrainer::scoreRows(const std::vector<double> &predictions,
                                 const std::vector<size_t> &positions, MetricId metric) const
{
    if (m_spec.classification) {
        std::vector<int> truth(positions.size());
        std::vector<double> probs(positions.size() * size_t(m_classes));
        for (size_t i = 0; i < positions.size(); ++i) {
            truth[i] = m_classTruth[positions[i]];
            std::copy_n(predictions.begin() + std::ptrdiff_t(i * size_t(m_classes)), m_classes,
                        probs.begin() + std::ptrdiff_t(i * size_t(m_classes)));
        }
        const std::vector<int> predicted = metrics::argmax(probs, m_classes);
        switch (metric) {
        case MetricId::Accuracy: return metrics::accuracy(truth, predicted);
        case MetricId::BalancedAccuracy: return metrics::balancedAccuracy(truth, predicted, m_classes);
        case MetricId::F1: return metrics::f1(truth, predicted, m_classes);
        case MetricId::RocAuc: return metrics::rocAuc(truth, probs, m_classes).value_or(0.5);
        default: return metrics::logLoss(truth, probs, m_classes);
        }
    }
    std::vector<double> truth(positions.size());
    for (size_t i = 0; i < positions.size(); ++i)
        truth[i] = m_truth[positions[i]];
    switch (metric) {
    case MetricId::Mae: return metrics::mae(truth, predictions);
    case MetricId::R2: return metrics::r2(truth, predictions);
    case MetricId::Rmsle: return metrics::rmsle(truth, predictions).value_or(std::numeric_limits<double>::infinity());
    default: return metrics::rmse(truth, predictions);
    }
}

double TabularTrainer::scoreAll(const std::vector<double> &predictions, MetricId metric) const
{
    // Out-of-fold predictions are laid out by training row, scoreRows() wants them in the order
    // of the rows it scores: the same thing unless the search cross-validates on a sample.
    if (m_searchPos.size() == m_trainRows.size())
        return scoreRows(predictions, m_searchPos, metric);
    const size_t width = m_spec.classification ? size_t(m_classes) : 1;
    std::vector<double> sampled(m_searchPos.size() * width);
    for (size_t i = 0; i < m_searchPos.size(); ++i)
        std::copy_n(predictions.begin() + std::ptrdiff_t(m_searchPos[i] * width), width,
                    sampled.begin() + std::ptrdiff_t(i * width));
    return scoreRows(sampled, m_searchPos, metric);
}

MetricId TabularTrainer::ensembleMetric() const
{
    // Accuracy, F1 and ROC AUC move in steps as ensemble weights change, so greedy selection on
    // a few hundred out-of-fold rows chases noise; log loss is smooth, rewards calibrated
    // probabilities and is minimised by the true ones, which also maximise the others.
    return m_spec.classification ? MetricId::LogLoss : m_settings.metric;
}

void TabularTrainer::useLogTarget(bool logTarget)
{
    if (m_spec.logTarget == logTarget)
        return;
    m_spec.logTarget = logTarget;
    m_labels = targetValues(m_spec, m_table, m_trainRows).value(); // read once in prepare()
    releaseFoldMatrices(); // rebuilt with the new labels when next needed
}

void TabularTrainer::chooseTargetTransform(const std::vector<CandidateOutcome> &tried)
{
    // The same configuration fitted on log1p(target) and on the target itself: cross-validation
    // in the metric's own units decides. A log scale helps when errors grow with the value, and
    // hurts RMSE when the expensive rows dominate it (Ames: RMSE 24.6k log vs 24.3k raw).
    const CandidateOutcome *logged = nullptr, *raw = nullptr;
    for (const CandidateOutcome &c : tried) {
        if (c.status == CandidateStatus::Success)
            (c.logTarget ? logged : raw) = &c;
    }
    const bool keepLog = !raw || (logged && !better(raw->cvScore, logged->cvScore));
    useLogTarget(keepLog);
    if (!logged || !raw)
        return;
    m_callbacks.emit(events::LogLine,
                     {{"run_id", "search"},
                      {"level", "info"},
                      {"text", toStd(QStringLiteral("Target transform: %1 (cross-validated %2 %3 with log1p, %4 without)")
                                         .arg(keepLog ? QStringLiteral("log1p") : QStringLiteral("none"),
                                              metricName(m_settings.metric))
                                         .arg(logged->cvScore, 0, 'g', 6)
                                         .arg(raw->cvScore, 0, 'g', 6))},
                      {"source", "trainer"}});
}

CandidateOutcome TabularTrainer::evaluate(const CandidateConfig &config, bool mayPrune)
{
    CandidateOutcome out;
    out.runId = newRunId();
    out.config = config;
    out.logTarget = m_spec.logTarget;
    ++m_runCounter;
    const double start = nowS();
    m_callbacks.emit(events::TrainRunStarted,
                     {{"run_id", toStd(out.runId)},
                      {"model_id", toStd(familyId(config.family))},
                      {"model_name", toStd(familyName(config.family))},
                      {"label", toStd(config.label)},
                      {"metric_primary", toStd(metricName(m_settings.metric))},
                      {"config", {{"params", paramsJson(config)},
                                  {"folds", int(m_folds.size())},
                                  {"max_rounds", config.maxRounds},
                                  {"task_type", m_spec.classification ? "classification" : "regression"},
                                  {"target", toStd(m_spec.target)}}}});

    const size_t width = m_spec.classification ? size_t(m_classes) : 1;
    out.oof.assign(m_trainRows.size() * width, 0.0);
    std::vector<double> foldScores;
    bool partial = false;
    for (size_t f = 0; f < m_folds.size(); ++f) {
        if (f == 0 && cannotFinishInTime(config)) {
            out.status = CandidateStatus::Interrupted;
            out.error = QStringLiteral("would not finish within the time budget (one forest round cannot be interrupted)");
            break;
        }
        auto fit = fitFold(out.runId, config, m_folds[f], f == 0, int(f));
        if (!fit) {
            out.status = fit.error().kind == ErrorKind::Cancelled ? CandidateStatus::Interrupted
                                                                  : CandidateStatus::Failed;
            out.error = fit.error().toString();
            break;
        }
        // A fold cut short by Stop or the clock is only used when nothing else exists yet.
        if (fit->interrupted && (m_haveBest || f > 0)) {
            out.status = CandidateStatus::Interrupted;
            out.error = QStringLiteral("stopped before it finished");
            break;
        }
        const Fold &fold = m_folds[f];
        for (size_t i = 0; i < fold.validPos.size(); ++i) {
            std::copy_n(fit->predictions.begin() + std::ptrdiff_t(i * width), width,
                        out.oof.begin() + std::ptrdiff_t(fold.validPos[i] * width));
        }
        out.bestRounds.push_back(fit->bestRound);
        foldScores.push_back(scoreRows(fit->predictions, fold.validPos, m_settings.metric));
        if (fit->interrupted) {
            partial = true;
            out.status = CandidateStatus::Success;
            break;
        }
        if (f == 0 && mayPrune && m_haveBest && m_folds.size() > 1
            && better(m_bestScore, foldScores[0]) && !better(foldScores[0], m_bestScore)) {
            // successive halving: a random configuration that cannot beat the best on its
            // first fold does not earn the remaining folds
            const double gap = std::abs(foldScores[0] - m_bestScore) / std::max(1e-12, std::abs(m_bestScore));
            if (gap > 0.02) {
                out.status = CandidateStatus::Pruned;
                out.cvScore = foldScores[0];
                break;
            }
        }
        if (f == 0 && m_haveBest && m_settings.maxCandidates == 0 && m_folds.size() > 1) {
            // a candidate whose remaining folds cannot finish before the deadline is not started
            const double perFold = nowS() - start;
            const double left = m_searchDeadlineS - elapsed();
            if (perFold * double(m_folds.size() - 1) > left) {
                out.status = CandidateStatus::Interrupted;
                out.error = QStringLiteral("would not finish within the time budget");
                break;
            }
        }
        if (f + 1 == m_folds.size())
            out.status = CandidateStatus::Success;
    }
    out.runtimeS = nowS() - start;
    // A pruned, interrupted or failed candidate's predictions cover only some rows and it has no
    // ensemble score: it cannot join the ensemble, and must not hold a place in its pool.
    if (out.status != CandidateStatus::Success)
        out.oof.clear();

    if (out.status == CandidateStatus::Success) {
        if (partial || foldScores.size() < m_folds.size()) {
            out.cvScore = foldScores.front();
            out.cvStd = 0;
            // only the first fold's rows have predictions: keep them out of the ensemble
            out.oof.clear();
        } else {
            out.cvScore = scoreAll(out.oof, m_settings.metric);
            out.ensembleScore = scoreAll(out.oof, ensembleMetric());
            const double mean = std::accumulate(foldScores.begin(), foldScores.end(), 0.0) / double(foldScores.size());
            double ss = 0;
            for (double s : foldScores)
                ss += (s - mean) * (s - mean);
            out.cvStd = foldScores.size() > 1 ? std::sqrt(ss / double(foldScores.size() - 1)) : 0.0;
        }
        if (!m_haveBest || better(out.cvScore, m_bestScore)) {
            m_haveBest = true;
            m_bestScore = out.cvScore;
            reserveTimeForRefit(out.runtimeS / double(std::max<size_t>(1, foldScores.size())));
            m_callbacks.emit(events::BestModelUpdated,
                             {{"run_id", toStd(out.runId)},
                              {"model_id", toStd(familyId(config.family))},
                              {"model_name", toStd(familyName(config.family))},
                              {"metric", {{"name", toStd(metricName(m_settings.metric))},
                                          {"split", "cv"},
                                          {"value", out.cvScore}}},
                              {"value", out.cvScore}});
        }
    } else if (out.status == CandidateStatus::Failed) {
        m_callbacks.emit(events::LogLine, {{"run_id", toStd(out.runId)},
                                           {"level", "warn"},
                                           {"text", toStd(QStringLiteral("%1 (%2) failed and was skipped: %3")
                                                              .arg(familyName(config.family), config.label, out.error))},
                                           {"source", "trainer"}});
    }

    json finalMetrics = {{"task_type", m_spec.classification ? "classification" : "regression"},
                         {"primary", nullptr},
                         {"metrics", json::array()}};
    if (out.status == CandidateStatus::Success || out.status == CandidateStatus::Pruned) {
        const char *split = out.status == CandidateStatus::Pruned ? "fold1" : "cv";
        finalMetrics["primary"] = {{"name", toStd(metricName(m_settings.metric))}, {"split", split}, {"value", out.cvScore}};
        finalMetrics["metrics"].push_back({{"name", toStd(metricName(m_settings.metric))}, {"split", split}, {"value", out.cvScore}});
        if (out.status == CandidateStatus::Success && foldScores.size() > 1)
            finalMetrics["metrics"].push_back({{"name", toStd(metricName(m_settings.metric) + QStringLiteral("_std"))}, {"split", "cv"}, {"value", out.cvStd}});
    }
    m_callbacks.emit(events::TrainRunFinished, {{"run_id", toStd(out.runId)},
                                                {"status", statusName(out.status)},
                                                {"runtime_s", out.runtimeS},
                                                {"final_metrics", finalMetrics},
                                                {"error", out.error.isEmpty() ? json(nullptr) : json(toStd(out.error))}});
    return out;
}

void TabularTrainer::emitLeaderboard(const std::vector<CandidateOutcome> &candidates)
{
    std::vector<const CandidateOutcome *> ok;
    for (const CandidateOutcome &c : candidates) {
        if (c.status == CandidateStatus::Success)
            ok.push_back(&c);
    }
    std::stable_sort(ok.begin(), ok.end(), [this](const CandidateOutcome *a, const CandidateOutcome *b) {
        return better(a->cvScore, b->cvScore);
    });
    json rows = json::array();
    int rank = 1;
    for (const CandidateOutcome *c : ok) {
        rows.push_back({{"rank", rank++},
                        {"run_id", toStd(c->runId)},
                        {"model", toStd(familyName(c->config.family))},
                        {"model_id", toStd(familyId(c->config.family))},
                        {"label", toStd(c->config.label)},
                        {"params", paramsJson(c->config)},
                        {"metric", c->cvScore},
                        {"cv_std", c->cvStd},
                        {"rounds", c->bestRounds},
                        {"runtime_s", c->runtimeS}});
    }
    const json payload = {{"metric", toStd(metricName(m_settings.metric))},
                          {"higher_is_better", higherIsBetter(m_settings.metric)},
                          {"rows", rows},
                          {"entries", rows},
                          {"evaluated", candidates.size()}};
    m_callbacks.emit(events::LeaderboardUpdated, payload);
}

std::vector<std::pair<size_t, double>> TabularTrainer::selectEnsemble(const std::vector<CandidateOutcome> &all) const
{
    const MetricId metric = ensembleMetric();
    // candidates with complete out-of-fold predictions (and the chosen target transform: the
    // refit uses one), best first by the selection metric, at most 12
    std::vector<std::pair<size_t, double>> pool;
    for (size_t i = 0; i < all.size(); ++i) {
        if (all[i].status == CandidateStatus::Success && !all[i].oof.empty()
            && all[i].logTarget == m_spec.logTarget)
            pool.emplace_back(i, all[i].ensembleScore);
    }
    std::stable_sort(pool.begin(), pool.end(),
                     [&](const auto &a, const auto &b) { return improves(metric, a.second, b.second); });
    if (pool.size() > kEnsemblePool)
        pool.resize(kEnsemblePool);
    if (pool.empty()) {
        // only partial candidates: the best of them alone
        std::optional<size_t> bestPartial;
        for (size_t i = 0; i < all.size(); ++i) {
            if (all[i].status == CandidateStatus::Success && all[i].logTarget == m_spec.logTarget
                && (!bestPartial || better(all[i].cvScore, all[*bestPartial].cvScore)))
                bestPartial = i;
        }
        if (bestPartial)
            return {{*bestPartial, 1.0}};
        return {};
    }
    // Greedy selection with replacement for a fixed number of steps, kept at the step that scored
    // best. A step may add a member without improving the score: it shifts the weights by a
    // smaller amount, which the next step can build on (1/2 + 1/2 may lose where 2/3 + 1/3 wins);
    // stopping at the first step that does not improve would never reach those weights.
    const size_t width = all[pool.front().first].oof.size();
    std::vector<double> sum(width, 0.0);
    std::vector<int> counts(pool.size(), 0), bestCounts;
    double bestEnsembleScore = 0;
    std::vector<double> trial(width);
    for (int step = 0; step < kEnsembleSteps; ++step) {
        std::optional<size_t> bestJ;
        double bestScore = 0;
        for (size_t j = 0; j < pool.size(); ++j) {
            const std::vector<double> &p = all[pool[j].first].oof;
            for (size_t i = 0; i < width; ++i)
                trial[i] = (sum[i] + p[i]) / double(step + 1);
            const double score = scoreAll(trial, metric);
            if (!bestJ || improves(metric, score, bestScore)) {
                bestJ = j;
                bestScore = score;
            }
        }
        const std::vector<double> &p = all[pool[*bestJ].first].oof;
        for (size_t i = 0; i < width; ++i)
            sum[i] += p[i];
        ++counts[*bestJ];
        if (bestCounts.empty() || improves(metric, bestScore, bestEnsembleScore)) {
            bestEnsembleScore = bestScore;
            bestCounts = counts;
        }
    }
    const int total = std::accumulate(bestCounts.begin(), bestCounts.end(), 0);
    std::vector<std::pair<size_t, double>> weights;
    for (size_t j = 0; j < pool.size(); ++j) {
        if (bestCounts[j] > 0)
            weights.emplace_back(pool[j].first, double(bestCounts[j]) / double(total));
    }
    return weights;
}

Result<QByteArray> TabularTrainer::fitBooster(const CandidateConfig &config, const FeatureMatrix &features,
                                              const std::vector<float> &labels, int rounds,
                                              const std::function<bool(int done)> &stopBefore, int *roundsDone)
{
    const bool linear = config.usesLinearFeatures();
    auto matrix = XgbMatrix::fromDense(features.values, features.rows, features.cols, m_settings.threads);
    if (!matrix)
        return matrix.error();
    if (Status s = matrix->setLabels(labels); !s)
        return s.error();
    if (!linear) {
        if (Status s = matrix->setFeatureTypes(m_spec.treeFeatureTypes()); !s)
            return s.error();
    }
    auto booster = XgbBooster::create({&matrix.value()});
    if (!booster)
        return booster.error();
    auto params = taskParams(m_spec.classification, m_classes, m_settings.threads, m_settings.seed);
    params.insert(config.params.begin(), config.params.end());
    if (Status s = booster->setParams(params); !s)
        return s.error();
    int done = 0;
    for (; done < rounds; ++done) {
        if (m_callbacks.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("train.cancelled"), QStringLiteral("Cancelled"));
        if (done > 0 && stopBefore(done))
            break;
        if (Status s = booster->updateOneIter(done, matrix.value()); !s)
            return s.error();
    }
    *roundsDone = done;
    return booster->saveJson();
}

Result<EnsembleMember> TabularTrainer::refit(const CandidateOutcome &candidate, double weight,
                                             bool &cutShort)
{
    const bool linear = candidate.config.usesLinearFeatures();
    const double meanRounds = std::accumulate(candidate.bestRounds.begin(), candidate.bestRounds.end(), 0.0)
                              / double(std::max<size_t>(1, candidate.bestRounds.size()));
    // more rows than any fold saw: a few more rounds, as is common practice after CV
    const int rounds = candidate.config.maxRounds == 1
                           ? 1
                           : std::max(1, int(std::lround(meanRounds * (m_folds.size() > 1 ? 1.1 : 1.0))));
    // the budget is a promise: a refit that would break it keeps the rounds it has (fewer rounds
    // of boosting is still a sound model, just a less fitted one)
    auto pastDeadline = [this, &candidate, rounds](int done) {
        if (m_settings.maxCandidates > 0 || elapsed() <= m_settings.timeBudgetS * kRefitDeadline)
            return false;
        m_callbacks.emit(events::LogLine,
                         {{"run_id", toStd(candidate.runId)},
                          {"level", "warn"},
                          {"text", toStd(QStringLiteral("Refit stopped at round %1 of %2 to stay within the time budget")
                                             .arg(done)
                                             .arg(rounds))},
                          {"source", "trainer"}});
        return true;
    };
    int done = 0;
    auto saved = fitBooster(candidate.config, linear ? m_linearFeatures : m_treeFeatures, m_labels, rounds,
                            pastDeadline, &done);
    if (!saved)
        return saved.error();
    cutShort = done < rounds;
    CandidateConfig config = candidate.config;
    config.maxRounds = done;
    return EnsembleMember{candidate.runId, config, weight, saved.value()};
}

Result<std::optional<EnsembleModel>> TabularTrainer::refitOnAllRows(const EnsembleModel &evaluated,
                                                                    double trainingRefitS)
{
    auto skip = [this](const QString &why) -> Result<std::optional<EnsembleModel>> {
        m_callbacks.emit(events::LogLine,
                         {{"run_id", "search"},
                          {"level", "info"},
                          {"text", toStd(QStringLiteral("The exported model is the one fitted on the training rows: %1")
                                             .arg(why))},
                          {"source", "trainer"}});
        return std::optional<EnsembleModel>();
    };
    if (m_callbacks.isStopRequested())
        return skip(QStringLiteral("training was stopped, so it was not refitted on the test rows too"));
    // the last step of the search: the test predictions are made, so it may use the whole budget
    const double deadlineS = m_settings.timeBudgetS;
    if (m_settings.maxCandidates == 0 && elapsed() + 1.1 * trainingRefitS * allRowsGrowth() > deadlineS)
        return skip(QStringLiteral("refitting it on the test rows too would not finish within the time budget"));

    // The test rows get the features prediction gives them (the spec was fitted on the training
    // rows), the training rows keep their out-of-fold ones. The training matrices are not needed
    // any more: they grow in place rather than being copied (MemoryPlan counts this refit).
    auto append = [this](FeatureMatrix &training, bool linear) -> Result<FeatureMatrix> {
        auto test = linear ? linearFeatures(m_spec, m_table, &m_testRows) : treeFeatures(m_spec, m_table, &m_testRows);
        if (!test)
            return test.error();
        FeatureMatrix all = std::move(training);
        all.values.insert(all.values.end(), test->values.begin(), test->values.end());
        all.rows += test->rows;
        return all;
    };
    auto testLabels = targetValues(m_spec, m_table, m_testRows);
    if (!testLabels)
        return testLabels.error();
    std::vector<float> labels = m_labels;
    labels.insert(labels.end(), testLabels->begin(), testLabels->end());
    std::optional<FeatureMatrix> tree, linear;
    m_callbacks.emit(events::LogLine,
                     {{"run_id", "search"},
                      {"level", "info"},
                      {"text", toStd(QStringLiteral("Refitting the ensemble on all %1 labelled rows (training and test) "
                                                    "for export; the test figures are those of the model fitted on the "
                                                    "%2 training rows")
                                         .arg(labels.size())
                                         .arg(m_trainRows.size()))},
                      {"source", "trainer"}});
    std::vector<EnsembleMember> members;
    for (const EnsembleMember &fitted : evaluated.members()) {
        const bool usesLinear = fitted.config.usesLinearFeatures();
        std::optional<FeatureMatrix> &features = usesLinear ? linear : tree;
        if (!features) {
            auto built = append(usesLinear ? m_linearFeatures : m_treeFeatures, usesLinear);
            if (!built)
                return built.error();
            features = std::move(built).value();
        }
        bool late = false;
        auto pastDeadline = [&](int) {
            late = m_callbacks.isStopRequested() || (m_settings.maxCandidates == 0 && elapsed() > deadlineS);
            return late;
        };
        int done = 0;
        auto saved = fitBooster(fitted.config, *features, labels, fitted.config.maxRounds, pastDeadline, &done);
        if (!saved)
            return saved.error();
        if (late) // half a refit is not the model that was evaluated: keep that one whole
            return skip(m_callbacks.isStopRequested()
                            ? QStringLiteral("training was stopped while it was being refitted on the test rows too")
                            : QStringLiteral("refitting it on the test rows too ran out of time"));
        members.push_back(EnsembleMember{fitted.runId, fitted.config, fitted.weight, saved.value()});
    }
    return std::optional<EnsembleModel>(EnsembleModel(m_spec, std::move(members), evaluated.metric()));
}

json TabularTrainer::allMetrics(const Predictions &predictions, const std::vector<int64_t> &rows) const
{
    json out = json::object();
    if (m_spec.classification) {
        const std::vector<int> byRow = classIndices(m_spec, m_table);
        std::vector<int> truth(rows.size());
        for (size_t i = 0; i < rows.size(); ++i)
            truth[i] = byRow[size_t(rows[i])];
        const std::vector<int> predicted = predictions.predictedClass();
        out["accuracy"] = metrics::accuracy(truth, predicted);
        out["balanced_accuracy"] = metrics::balancedAccuracy(truth, predicted, m_classes);
        out["f1"] = metrics::f1(truth, predicted, m_classes);
        out["log_loss"] = metrics::logLoss(truth, predictions.probabilities, m_classes);
        const auto auc = metrics::rocAuc(truth, predictions.probabilities, m_classes);
        out["roc_auc"] = auc ? json(*auc) : json(nullptr);
        return out;
    }
    const std::vector<double> truth = rawTargetValues(m_table, m_spec.target, rows);
    out["rmse"] = metrics::rmse(truth, predictions.values);
    out["mae"] = metrics::mae(truth, predictions.values);
    out["r2"] = metrics::r2(truth, predictions.values);
    const auto rmsle = metrics::rmsle(truth, predictions.values);
    out["rmsle"] = rmsle ? json(*rmsle) : json(nullptr);
    return out;
}

Result<TrainOutcome> TabularTrainer::run()
{
    m_startS = nowS();
    reserveTimeForRefit(0);
    if (Status s = prepare(); !s)
        return s.error();

    const QString sampleRunId = QStringLiteral("search");
    ResourceSampler sampler([this](double cpu, double rss) {
        m_callbacks.emit(events::ResourceStats, {{"run_id", "search"}, {"cpu_pct", cpu}, {"ram_mb", rss}});
    });
    m_callbacks.emit(events::SplitSummary, {{"train_rows", m_trainRows.size()},
                                            {"test_rows", m_testRows.size()},
                                            {"val_rows", m_folds.front().validPos.size()},
                                            {"folds", int(m_folds.size())},
                                            {"stratified", m_spec.classification},
                                            {"seed", m_settings.seed}});

    // the queue: every family's portfolio (interleaved so each family gets a say early),
    // then random configurations of the families that do best
    std::vector<CandidateConfig> queue;
    std::vector<std::vector<CandidateConfig>> portfolios;
    for (ModelFamily f : m_settings.families)
        portfolios.push_back(portfolio(f, m_trainRows.size()));
    for (size_t i = 0;; ++i) {
        bool any = false;
        for (const auto &p : portfolios) {
            if (i < p.size()) {
                queue.push_back(p[i]);
                any = true;
            }
        }
        if (!any)
            break;
    }

    TrainOutcome outcome;
    outcome.folds = int(m_folds.size());
    size_t next = 0;
    int randomIndex = 0;
    std::mt19937_64 searchRng(m_settings.seed + 1);
    // A positive, skewed regression target: the first configuration runs on log1p(target) (as
    // proposed by PREPROCESS) and on the raw target, and the better one sets the scale.
    const bool tryTargetTransforms = !m_spec.classification && m_spec.logTarget && !queue.empty();
    const QString firstLabel = queue.empty() ? QString() : queue.front().label;
    if (tryTargetTransforms) {
        queue.front().label = firstLabel + QStringLiteral(", log1p target");
        queue.insert(queue.begin() + 1, queue.front());
        queue[1].label = firstLabel + QStringLiteral(", raw target");
    }
    while (true) {
        if (m_callbacks.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("train.cancelled"), QStringLiteral("Cancelled"));
        if (m_haveBest && shouldStop())
            break;
        if (m_settings.maxCandidates > 0 && int(outcome.candidates.size()) >= m_settings.maxCandidates)
            break;
        CandidateConfig config;
        bool mayPrune = false;
        bool rawTargetTrial = false;
        if (next < queue.size()) {
            rawTargetTrial = tryTargetTransforms && next == 1;
            config = queue[next++];
        } else {
            // random search concentrates on gradient boosting, the family that wins most often
            const bool gbm = std::find(m_settings.families.begin(), m_settings.families.end(),
                                       ModelFamily::GradientBoosting) != m_settings.families.end();
            const ModelFamily family = gbm ? ModelFamily::GradientBoosting : m_settings.families.front();
            config = sampleConfig(family, searchRng, ++randomIndex);
            mayPrune = true;
        }
        if (rawTargetTrial)
            useLogTarget(false);
        outcome.candidates.push_back(evaluate(config, mayPrune));
        if (rawTargetTrial)
            chooseTargetTransform(outcome.candidates);
        keepEnsemblePool(outcome.candidates);
        emitLeaderboard(outcome.candidates);
        if (outcome.candidates.back().status == CandidateStatus::Interrupted && m_callbacks.isCancelled())
            return makeError(ErrorKind::Cancelled, QStringLiteral("train.cancelled"), QStringLiteral("Cancelled"));
        // a search whose every candidate fails is not going to recover
        if (!m_haveBest && outcome.candidates.size() >= queue.size() && next >= queue.size())
            break;
    }
    outcome.stoppedEarly = m_callbacks.isStopRequested();
    if (!m_haveBest) {
        QString reason;
        for (const CandidateOutcome &c : outcome.candidates) {
            if (!c.error.isEmpty())
                reason = c.error;
        }
        return makeError(ErrorKind::Internal, QStringLiteral("train.no_model"),
                         QStringLiteral("No candidate model could be trained%1")
                             .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason));
    }

    // ensemble: refit the chosen members on every training row
    const auto weights = selectEnsemble(outcome.candidates);
    releaseFoldMatrices();
    outcome.finalRunId = newRunId();
    m_callbacks.emit(events::TrainRunStarted,
                     {{"run_id", toStd(outcome.finalRunId)},
                      {"model_id", "ensemble"},
                      {"model_name", "Weighted ensemble"},
                      {"metric_primary", toStd(metricName(m_settings.metric))},
                      {"config", {{"members", weights.size()},
                                  {"refit", refitsOnAllRows() ? "all training rows, then (time allowing) all labelled rows for export"
                                                              : "all training rows"}}}});
    const double refitStartS = elapsed();
    std::vector<EnsembleMember> members;
    for (const auto &[index, weight] : weights) {
        // past the budget, keep what is refitted (always at least the first member)
        if (!members.empty() && m_settings.maxCandidates == 0 && elapsed() > m_settings.timeBudgetS * 0.95)
            break;
        bool cutShort = false;
        auto member = refit(outcome.candidates[index], weight, cutShort);
        if (!member)
            return member.error();
        if (cutShort && !members.empty()) {
            // A member stopped after a few of its rounds predicts little better than a constant,
            // yet would keep the weight its full fit earned: the ensemble does without it (and
            // without the members after it, since the budget is spent).
            m_callbacks.emit(events::LogLine,
                             {{"run_id", toStd(outcome.finalRunId)},
                              {"level", "warn"},
                              {"text", toStd(QStringLiteral("Ensemble member %1 left out: its refit could not finish within the time budget")
                                                 .arg(outcome.candidates[index].runId))},
                              {"source", "trainer"}});
            break;
        }
        members.push_back(std::move(member).value());
    }
    double totalWeight = 0;
    for (const EnsembleMember &m : members)
        totalWeight += m.weight;
    for (EnsembleMember &m : members)
        m.weight /= totalWeight;
    outcome.evaluatedModel = EnsembleModel(m_spec, std::move(members), metricName(m_settings.metric));
    const double trainingRefitS = elapsed() - refitStartS;

    // the one look at the test rows
    auto predictions = outcome.evaluatedModel.predict(m_table, m_settings.threads, &m_testRows);
    if (!predictions)
        return predictions.error();
    outcome.testPredictions = std::move(predictions).value();
    outcome.testMetrics = allMetrics(outcome.testPredictions, m_testRows);

    outcome.model = outcome.evaluatedModel;
    if (refitsOnAllRows()) {
        auto refitted = refitOnAllRows(outcome.evaluatedModel, trainingRefitS);
        if (!refitted)
            return refitted.error();
        if (refitted.value()) {
            outcome.model = std::move(*refitted.value());
            outcome.refittedOnAllRows = true;
        }
    }
    std::stable_sort(outcome.candidates.begin(), outcome.candidates.end(),
                     [this](const CandidateOutcome &a, const CandidateOutcome &b) {
                         const bool okA = a.status == CandidateStatus::Success;
                         const bool okB = b.status == CandidateStatus::Success;
                         if (okA != okB)
                             return okA;
                         return okA && better(a.cvScore, b.cvScore);
                     });
    json metricList = json::array();
    for (const auto &[name, value] : outcome.testMetrics.items())
        metricList.push_back({{"name", name}, {"split", "test"}, {"value", value}});
    const std::string primary = toStd(metricName(m_settings.metric));
    m_callbacks.emit(events::TrainRunFinished,
                     {{"run_id", toStd(outcome.finalRunId)},
                      {"status", outcome.stoppedEarly ? "cancelled" : "success"},
                      {"final_metrics", {{"task_type", m_spec.classification ? "classification" : "regression"},
                                         {"primary", {{"name", primary}, {"split", "test"},
                                                      {"value", outcome.testMetrics.value(primary, json(nullptr))}}},
                                         {"metrics", metricList}}}});
    outcome.elapsedS = elapsed();
    return outcome;
}

} // namespace baton
