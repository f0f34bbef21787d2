#pragma once

// The keys of the project context the stages share (ProjectState::context). One place, so a
// stage reading "target" and the one writing it cannot drift apart.
namespace baton::ctx {

inline constexpr char Prompt[] = "prompt";                  // str: the goal in plain words
inline constexpr char DataPath[] = "data_path";             // str: CSV file, image folder or zip
inline constexpr char DatasetId[] = "dataset_id";           // str: the chosen candidate
inline constexpr char Dataset[] = "dataset";                // obj: what DATA_SOURCE loaded
inline constexpr char Target[] = "target";                  // str: target column
inline constexpr char Task[] = "task";                      // str: auto|classification|regression|forecast|image
inline constexpr char Metric[] = "metric";                  // str: primary metric
inline constexpr char TimeBudgetS[] = "time_budget_s";      // int
inline constexpr char Seed[] = "seed";                      // int
inline constexpr char RefitAllRows[] = "refit_all_rows";    // bool: export a model refitted on train + test rows (default)
inline constexpr char OutputDir[] = "output_dir";           // str: where `baton run` exports
inline constexpr char ExcludedColumns[] = "excluded_columns"; // arr<{column, reason}>
inline constexpr char Intent[] = "intent";                  // obj: PROMPT_PARSED payload
inline constexpr char Profile[] = "profile";                // obj: summary of PROFILE_DATA
inline constexpr char Proposals[] = "proposals";            // arr: actions the user may confirm
inline constexpr char FinalMetrics[] = "final_metrics";     // obj: test metrics of the final model
inline constexpr char BundlePath[] = "bundle_path";         // str: the export bundle

} // namespace baton::ctx
