#pragma once

#include "core/ml/EnsembleModel.h"
#include "core/ml/Metrics.h"
#include "core/ml/ModelCandidate.h"
#include "core/ml/Preprocessor.h"
#include "core/ml/XgbBooster.h"

#include <functional>
#include <optional>
#include <vector>

namespace baton {

struct TrainerSettings
{
    MetricId metric = MetricId::Rmse;
    double timeBudgetS = 120;
    // > 0: evaluate exactly this many candidates and ignore the clock (bit-for-bit reproducible
    // with a fixed seed); 0: search until the time budget is spent.
    int maxCandidates = 0;
    uint64_t seed = 42;
    int threads = 2;
    std::vector<ModelFamily> families = {ModelFamily::GradientBoosting, ModelFamily::RandomForest,
                                         ModelFamily::Linear};
    int folds = 0; // 0: 5 up to 20k rows, 3 up to 200k, else a single 80/20 holdout
    // Memory the search may plan with (see MemoryPlan.h); unset: what the system has available now.
    std::optional<double> availableMemoryBytes;
    // After the one look at the test rows, fit the chosen members again on training + test rows
    // (same configurations, rounds and weights) for export: more rows make a better model, and the
    // test figures stay those of the model that never saw the test rows (AutoGluon's refit_full).
    bool refitOnAllRows = true;
};

struct TrainerCallbacks
{
    std::function<void(const char *name, json payload)> emit;
    std::function<bool()> isCancelled;
    std::function<bool()> isStopRequested;
};

enum class CandidateStatus { Success, Failed, Pruned, Interrupted };

struct CandidateOutcome
{
    QString runId;
    CandidateConfig config;
    CandidateStatus status = CandidateStatus::Failed;
    double cvScore = 0;
    double cvStd = 0;
    double runtimeS = 0;
    bool logTarget = false;       // regression: fitted on log1p(target)
    std::vector<int> bestRounds;  // per fold
    std::vector<double> oof;      // scoring space: values, or probabilities [rows x classes]
    double ensembleScore = 0;     // the out-of-fold score the ensemble selection ranks by
    QString error;
};

struct TrainOutcome
{
    std::vector<CandidateOutcome> candidates; // best first (successful ones), then the rest
    EnsembleModel model;          // the model to export: fitted on every labelled row when refittedOnAllRows
    EnsembleModel evaluatedModel; // fitted on the training rows only: the one scored on the test rows
    bool refittedOnAllRows = false;
    QString finalRunId;
    Predictions testPredictions;
    json testMetrics = json::object(); // {name: value} on the held-out test rows
    bool stoppedEarly = false;         // the user pressed Stop (the best model so far is kept)
    double elapsedS = 0;
    int folds = 0;
};

// The tabular search: a portfolio of strong defaults, then random search with successive halving
// until the budget is spent, greedy ensemble selection (Caruana et al. 2004) over out-of-fold
// predictions, a refit of the chosen members on all training rows, one final look at the test
// rows, and (time allowing) the same members fitted once more on training + test rows for export.
// Everything it reports is measured: every curve point comes from XGBoost's own evaluation of
// that round.
class TabularTrainer
{
public:
    TabularTrainer(const Table &table, PreprocessSpec spec, std::vector<int64_t> trainRows,
                   std::vector<int64_t> testRows, TrainerSettings settings,
                   TrainerCallbacks callbacks);
    ~TabularTrainer();

    Result<TrainOutcome> run();

private:
    struct Fold;
    struct FoldFit;

    Status prepare();
    Status planSearchRows(int folds);
    void releaseFoldMatrices();
    void keepEnsemblePool(std::vector<CandidateOutcome> &candidates) const;
    Result<const XgbMatrix *> matrixFor(Fold &fold, bool linear, bool train);
    CandidateOutcome evaluate(const CandidateConfig &config, bool mayPrune);
    Result<FoldFit> fitFold(const QString &runId, const CandidateConfig &config, Fold &fold,
                            bool emitCurve, int foldIndex);
    double scoreRows(const std::vector<double> &predictions, const std::vector<size_t> &positions,
                     MetricId metric) const;
    double scoreAll(const std::vector<double> &predictions, MetricId metric) const;
    bool better(double a, double b) const;
    MetricId ensembleMetric() const;
    void useLogTarget(bool logTarget);
    void chooseTargetTransform(const std::vector<CandidateOutcome> &tried);
    std::vector<std::pair<size_t, double>> selectEnsemble(const std::vector<CandidateOutcome> &ok) const;
    // cutShort: set when the time budget stopped the refit before its planned rounds.
    Result<EnsembleMember> refit(const CandidateOutcome &candidate, double weight, bool &cutShort);
    Result<QByteArray> fitBooster(const CandidateConfig &config, const FeatureMatrix &features,
                                  const std::vector<float> &labels, int rounds,
                                  const std::function<bool(int done)> &stopBefore, int *roundsDone);
    Result<std::optional<EnsembleModel>> refitOnAllRows(const EnsembleModel &evaluated, double trainingRefitS);
    json allMetrics(const Predictions &predictions, const std::vector<int64_t> &rows) const;
    void emitLeaderboard(const std::vector<CandidateOutcome> &candidates);
    void reserveTimeForRefit(double bestFoldS);
    bool refitsOnAllRows() const;
    double allRowsGrowth() const; // (training + test rows) / training rows
    bool timeUp() const;
    bool cannotFinishInTime(const CandidateConfig &config) const;
    bool shouldStop() const;
    double elapsed() const;
    QString newRunId();

    const Table &m_table;
    PreprocessSpec m_spec;
    std::vector<int64_t> m_trainRows;
    std::vector<int64_t> m_testRows;
    std::vector<size_t> m_searchPos; // positions in m_trainRows the search cross-validates on
    bool m_refitAllRowsFits = false; // MemoryPlan: the refit on training + test rows fits
    TrainerSettings m_settings;
    TrainerCallbacks m_callbacks;

    int m_classes = 0;
    std::vector<float> m_labels;       // model space (log1p when m_spec.logTarget), per training row
    std::vector<int> m_classTruth;     // classification truth per training row
    std::vector<double> m_truth;       // regression truth (original units) per training row
    FeatureMatrix m_treeFeatures, m_linearFeatures;
    std::vector<Fold> m_folds;
    std::mt19937_64 m_rng;
    double m_startS = 0;
    double m_searchDeadlineS = 0;
    int m_runCounter = 0;
    double m_bestScore = 0;
    double m_secondsPerTreeRow = 0; // measured on gradient boosting folds: one tree over one row
    bool m_haveBest = false;
};

} // namespace baton
