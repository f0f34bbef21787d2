#pragma once

// The deterministic (offline) intent parser: turns a goal in plain words into a structured intent
// without any model or network. The LLM parser may refine it; this one must stand on its own.

#include "core/common/Json.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace baton {

enum class TaskKind { Unknown, Classification, Regression, Forecast, Image };

// Our own names: "classification", "regression", "forecast", "image", "unknown".
QString taskKindName(TaskKind kind);

// Accepts our names and the protocol's ("timeseries", "time_series", "vision", "other"), any case.
// "unknown"/"other" give TaskKind::Unknown. "auto", an empty string and anything unrecognised give
// std::nullopt, which callers read as "no explicit choice: let the parser decide".
std::optional<TaskKind> taskKindFromName(const QString &name);

// Wire names of protocol §5.4: classification, regression, timeseries, vision, other.
QString protocolTaskType(TaskKind kind);

// What the parser may know about a column of the selected table (from the profiler).
struct ColumnHint
{
    enum class Kind { Numeric, Integer, Categorical, Boolean, DateTime, Text };

    QString name;
    Kind kind = Kind::Numeric;
    qsizetype distinct = 0; // 0 = unknown
    qsizetype rows = 0;     // 0 = unknown
};

struct ParsedIntent
{
    TaskKind task = TaskKind::Unknown;
    QString target;          // a name from `columns` when a table is known; else the phrase
    QString datasetHint;     // words that describe the data ("house", "electricity demand")
    QString metric;          // rmse, mae, r2, accuracy, f1, roc_auc, log_loss, balanced_accuracy, rmsle
    std::optional<int> timeBudgetS;
    QStringList excludedColumns;
    bool needsClarification = false;
    QStringList questions;
    double confidence = 0; // 0..1

    // The PROMPT_PARSED payload: {task_type, task, target, dataset_hint,
    // constraints:{metric?, time_budget_s?, excluded_columns[], needs_clarification?, questions?},
    // confidence}. task_type uses the protocol's names.
    json toJson() const;
};

// Rules over the prompt and, when the columns are known, fuzzy matching of the prompt against them.
// `dataIsImageFolder` says the selected data is an ImageFolder tree (the task is then Image).
// Never throws; any text is accepted.
ParsedIntent parseIntentRules(const QString &prompt, const std::vector<ColumnHint> &columns = {},
                              bool dataIsImageFolder = false);

} // namespace baton
