#pragma once

// Every event name Baton puts on the bus (protocol §5.1 plus the UI-only names of §6/§10).
// Wire names are never translated. Add a name here before emitting it anywhere.
namespace baton::events {

// connection and conductor
inline constexpr char Hello[] = "HELLO";
inline constexpr char StageStatus[] = "STAGE_STATUS";
inline constexpr char WaitingConfirmation[] = "WAITING_CONFIRMATION";
inline constexpr char LogLine[] = "LOG_LINE";
inline constexpr char PlanProposed[] = "PLAN_PROPOSED";
inline constexpr char PlanApproved[] = "PLAN_APPROVED";
inline constexpr char FileTreeUpdate[] = "FILE_TREE_UPDATE";
inline constexpr char ArtifactAdded[] = "ARTIFACT_ADDED";

// intent and data
inline constexpr char PromptParsed[] = "PROMPT_PARSED";
inline constexpr char DatasetCandidates[] = "DATASET_CANDIDATES";
inline constexpr char DatasetSelected[] = "DATASET_SELECTED";
inline constexpr char DatasetSampleReady[] = "DATASET_SAMPLE_READY";
inline constexpr char ProfileProgress[] = "PROFILE_PROGRESS";
inline constexpr char ProfileSummary[] = "PROFILE_SUMMARY";
inline constexpr char MissingnessTableReady[] = "MISSINGNESS_TABLE_READY";
inline constexpr char TargetDistributionReady[] = "TARGET_DISTRIBUTION_READY";

// preprocessing and models
inline constexpr char SplitSummary[] = "SPLIT_SUMMARY";
inline constexpr char PreprocessPlan[] = "PREPROCESS_PLAN";
inline constexpr char PreprocessComplete[] = "PREPROCESS_COMPLETE";
inline constexpr char ModelCandidates[] = "MODEL_CANDIDATES";
inline constexpr char ModelSelected[] = "MODEL_SELECTED";

// training
inline constexpr char TrainRunStarted[] = "TRAIN_RUN_STARTED";
inline constexpr char TrainProgress[] = "TRAIN_PROGRESS";
inline constexpr char MetricScalar[] = "METRIC_SCALAR";
inline constexpr char LeaderboardUpdated[] = "LEADERBOARD_UPDATED";
inline constexpr char BestModelUpdated[] = "BEST_MODEL_UPDATED";
inline constexpr char ResourceStats[] = "RESOURCE_STATS";
inline constexpr char TrainRunFinished[] = "TRAIN_RUN_FINISHED";
inline constexpr char TrainComplete[] = "TRAIN_COMPLETE";

// evaluation
inline constexpr char EvaluationStarted[] = "EVALUATION_STARTED";
inline constexpr char EvaluationMetricsReady[] = "EVALUATION_METRICS_READY";
inline constexpr char ClassificationMetricsReady[] = "CLASSIFICATION_METRICS_READY";
inline constexpr char RegressionMetricsReady[] = "REGRESSION_METRICS_READY";
inline constexpr char ConfusionMatrixReady[] = "CONFUSION_MATRIX_READY";
inline constexpr char RocCurveReady[] = "ROC_CURVE_READY";
inline constexpr char PrecisionRecallCurveReady[] = "PRECISION_RECALL_CURVE_READY";
inline constexpr char ResidualsPlotReady[] = "RESIDUALS_PLOT_READY";
inline constexpr char FeatureImportanceReady[] = "FEATURE_IMPORTANCE_READY";
inline constexpr char ShapExplanationsReady[] = "SHAP_EXPLANATIONS_READY";
inline constexpr char EvaluationComplete[] = "EVALUATION_COMPLETE";

// review and export
inline constexpr char ReportReady[] = "REPORT_READY";
inline constexpr char NotebookReady[] = "NOTEBOOK_READY";
inline constexpr char CodeWorkspaceReady[] = "CODE_WORKSPACE_READY";
inline constexpr char EditSuggestions[] = "EDIT_SUGGESTIONS";
inline constexpr char ExportProgress[] = "EXPORT_PROGRESS";
inline constexpr char ExportReady[] = "EXPORT_READY";

} // namespace baton::events
