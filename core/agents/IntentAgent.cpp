#include "IntentAgent.h"

#include "core/ml/Metrics.h"

namespace baton {

namespace {

constexpr int kMaxBudgetS = 24 * 3600;

const QString kSystemPrompt = QStringLiteral(
    "You are the intent parser of an AutoML tool. Read the user's goal and answer with one JSON object "
    "and nothing else:\n"
    "{\"task_type\": \"classification\"|\"regression\"|\"timeseries\"|\"vision\"|\"other\",\n"
    " \"target\": the column to predict (exactly one of the given column names when columns are given; "
    "else a short phrase; \"\" if unclear),\n"
    " \"dataset_hint\": a few search-friendly words describing the data,\n"
    " \"constraints\": {\"metric\"?: one of rmse, mae, r2, rmsle, accuracy, balanced_accuracy, f1, "
    "log_loss, roc_auc (only if the user named one), \"time_budget_s\"?: integer seconds (only if the "
    "user gave a training time limit), \"excluded_columns\"?: [column names the user said to ignore]}}\n"
    "Rules: timeseries when the goal forecasts future values of a quantity over time; vision when the "
    "data is images; never invent constraints the user did not state.");

QString columnList(const std::vector<ColumnHint> &columns)
{
    QStringList names;
    for (const ColumnHint &c : columns)
        names << c.name;
    return names.join(QStringLiteral(", "));
}

// The column the model named, in its real spelling; case and separators may differ.
std::optional<QString> resolveColumn(const QString &name, const std::vector<ColumnHint> &columns)
{
    auto normalised = [](QString s) {
        return s.toLower().remove(QLatin1Char('_')).remove(QLatin1Char(' ')).remove(QLatin1Char('-'));
    };
    for (const ColumnHint &c : columns) {
        if (c.name == name)
            return c.name;
    }
    for (const ColumnHint &c : columns) {
        if (normalised(c.name) == normalised(name))
            return c.name;
    }
    return std::nullopt;
}

} // namespace

Result<ParsedIntent> intentFromReply(const json &reply, const std::vector<ColumnHint> &columns,
                                     bool dataIsImageFolder)
{
    ParsedIntent intent;
    auto taskName = reply::string(reply, "task_type");
    if (!taskName)
        return taskName.error();
    const auto task = taskKindFromName(*taskName);
    if (!task)
        return reply::invalid(QStringLiteral("“task_type” is “%1”, not a known task").arg(*taskName));
    intent.task = *task;
    if (dataIsImageFolder && intent.task != TaskKind::Image)
        return reply::invalid(QStringLiteral("the data is an image folder but “task_type” is “%1”").arg(*taskName));
    if (!dataIsImageFolder && !columns.empty() && intent.task == TaskKind::Image)
        return reply::invalid(QStringLiteral("the data is a table but “task_type” is vision"));

    auto target = reply::string(reply, "target", false);
    if (!target)
        return target.error();
    if (!columns.empty() && !target->isEmpty()) {
        const auto column = resolveColumn(*target, columns);
        if (!column)
            return reply::invalid(QStringLiteral("“target” is “%1”, not one of the columns").arg(*target));
        intent.target = *column;
    } else {
        intent.target = *target;
    }
    auto hint = reply::string(reply, "dataset_hint", false);
    if (!hint)
        return hint.error();
    intent.datasetHint = *hint;

    const json constraints = reply.value("constraints", json::object());
    if (!constraints.is_object())
        return reply::invalid(QStringLiteral("“constraints” must be an object"));
    if (auto metric = reply::string(constraints, "metric", false); !metric) {
        return metric.error();
    } else if (!metric->isEmpty()) {
        if (!metricFromName(metric->toLower()))
            return reply::invalid(QStringLiteral("“constraints.metric” is “%1”, not a metric Baton knows").arg(*metric));
        intent.metric = metric->toLower();
    }
    if (const auto it = constraints.find("time_budget_s"); it != constraints.end() && !it->is_null()) {
        if (!it->is_number() || it->get<double>() < 1 || it->get<double>() > kMaxBudgetS)
            return reply::invalid(QStringLiteral("“constraints.time_budget_s” must be seconds between 1 and %1").arg(kMaxBudgetS));
        intent.timeBudgetS = qRound(it->get<double>());
    }
    auto excluded = reply::strings(constraints, "excluded_columns");
    if (!excluded)
        return excluded.error();
    for (const QString &name : *excluded) {
        QString column = name;
        if (!columns.empty()) {
            const auto resolved = resolveColumn(name, columns);
            if (!resolved)
                return reply::invalid(QStringLiteral("excluded column “%1” is not in the data").arg(name));
            column = *resolved;
        }
        if (column == intent.target)
            return reply::invalid(QStringLiteral("the target “%1” cannot also be excluded").arg(column));
        if (!intent.excludedColumns.contains(column))
            intent.excludedColumns << column;
    }

    if (intent.task == TaskKind::Unknown) {
        intent.needsClarification = true;
        intent.questions << QStringLiteral("Is this a classification, regression, forecasting or image task?");
    }
    if (intent.target.isEmpty() && intent.task != TaskKind::Image) {
        intent.needsClarification = true;
        intent.questions << QStringLiteral("What exactly should the model predict?");
    }
    intent.confidence = intent.needsClarification ? 0.4 : 0.9;
    return intent;
}

AgentResult<ParsedIntent> parseIntent(const AgentRunner &runner, const QString &prompt,
                                      const std::vector<ColumnHint> &columns, bool dataIsImageFolder)
{
    auto rules = [&] { return parseIntentRules(prompt, columns, dataIsImageFolder); };
    if (prompt.trimmed().isEmpty()) // protocol §7.2: a fixed clarification, no model call
        return {rules(), {ProducedBy::Fallback, QStringLiteral("the goal is empty"), {}}};

    json user = {{"goal", toStd(prompt)},
                 {"data", dataIsImageFolder ? "image folder" : columns.empty() ? "not chosen yet" : "table"}};
    if (!columns.empty())
        user["columns"] = toStd(columnList(columns));
    const AgentPrompt question{QStringLiteral("intent"), kSystemPrompt, {}, fromStd(user.dump()), 0.0};
    return runner.run<ParsedIntent>(
        question, [&](const json &reply) { return intentFromReply(reply, columns, dataIsImageFolder); }, rules);
}

} // namespace baton
