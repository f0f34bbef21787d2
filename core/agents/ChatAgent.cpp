#include "ChatAgent.h"

#include "IntentRules.h"
#include "ModelSelector.h"

#include "core/ml/Metrics.h"

#include <QRegularExpression>

namespace baton {

namespace {

bool containsAny(const QString &lower, std::initializer_list<const char *> words)
{
    for (const char *word : words) {
        if (lower.contains(QLatin1String(word)))
            return true;
    }
    return false;
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

QString statusInWords(const QString &status)
{
    if (status == QLatin1String("WAITING_CONFIRMATION"))
        return QStringLiteral("waiting for your confirmation");
    if (status == QLatin1String("IN_PROGRESS"))
        return QStringLiteral("running");
    if (status == QLatin1String("PENDING"))
        return QStringLiteral("not started");
    return status.toLower();
}

QString stageSentence(const ChatFacts &f)
{
    QString s = QStringLiteral("The pipeline is at %1 (%2)").arg(f.stage, statusInWords(f.stageStatus));
    if (!f.stageMessage.isEmpty())
        s += QStringLiteral(": ") + f.stageMessage;
    if (!s.endsWith(QLatin1Char('.')))
        s += QLatin1Char('.');
    return s;
}

QString targetSentence(const ChatFacts &f)
{
    if (f.target.isEmpty())
        return QStringLiteral("No target column is chosen yet.");
    return QStringLiteral("The model predicts “%1” (%2).")
        .arg(f.target, f.task.isEmpty() ? QStringLiteral("task not decided yet") : f.task);
}

QString scoreSentence(const ChatFacts &f)
{
    if (!f.primaryValue)
        return QStringLiteral("There is no test score yet: nothing has been trained.");
    return QStringLiteral("On the held-out test rows the final model scores %1 = %2.")
        .arg(f.primaryMetric, number(*f.primaryValue));
}

QString modelSentence(const ChatFacts &f)
{
    if (!f.finalModel.isEmpty())
        return QStringLiteral("The final model is %1.").arg(f.finalModel);
    if (!f.modelChoice.isEmpty())
        return QStringLiteral("Nothing is trained yet; the selected model is “%1”.").arg(f.modelChoice);
    return QStringLiteral("No model is selected or trained yet.");
}

QString dataSentence(const ChatFacts &f)
{
    if (f.datasetName.isEmpty())
        return QStringLiteral("No dataset is loaded yet.");
    QString s = QStringLiteral("The data is “%1”").arg(f.datasetName);
    if (f.rows)
        s += QStringLiteral(" with %1 rows and %2 columns").arg(*f.rows).arg(f.columns.size());
    s += QLatin1Char('.');
    if (!f.excludedColumns.isEmpty())
        s += QStringLiteral(" Excluded: %1.").arg(f.excludedColumns.join(QStringLiteral(", ")));
    return s;
}

QString metricSentence(const ChatFacts &f)
{
    QString s = f.metric.isEmpty() ? QStringLiteral("No metric is fixed yet (Baton picks one from the task).")
                                   : QStringLiteral("The metric is %1.").arg(f.metric);
    if (f.timeBudgetS)
        s += QStringLiteral(" The training budget is %1 s.").arg(*f.timeBudgetS);
    return s;
}

// A question answered from the facts its words ask about; the stage is always mentioned.
QString answer(const QString &lower, const ChatFacts &f)
{
    QStringList parts;
    if (containsAny(lower, {"score", "accura", "perform", "good", "well", "result", "error", "rmse", "auc", "f1"}))
        parts << scoreSentence(f);
    if (containsAny(lower, {"model", "algorithm", "ensemble", "xgboost", "forest"}))
        parts << modelSentence(f);
    if (containsAny(lower, {"target", "predict", "label", "task"}))
        parts << targetSentence(f);
    if (containsAny(lower, {"data", "rows", "column", "feature", "exclud"}))
        parts << dataSentence(f);
    if (containsAny(lower, {"metric", "budget", "time", "long"}))
        parts << metricSentence(f);
    if (parts.isEmpty()) {
        // A general question: everything known, most useful first.
        if (!f.goal.isEmpty())
            parts << QStringLiteral("Goal: “%1”.").arg(f.goal);
        parts << targetSentence(f);
        if (!f.datasetName.isEmpty())
            parts << dataSentence(f);
        if (f.primaryValue)
            parts << modelSentence(f) << scoreSentence(f);
    }
    parts << stageSentence(f);
    return parts.join(QLatin1Char(' '));
}

std::optional<QString> modelMentioned(const QString &lower)
{
    if (containsAny(lower, {"xgboost", "gradient boost", "boosted"}))
        return QStringLiteral("xgboost");
    if (containsAny(lower, {"random forest", "forest"}))
        return QStringLiteral("random_forest");
    if (containsAny(lower, {"linear", "logistic"}))
        return QStringLiteral("linear");
    if (containsAny(lower, {"automatic", "ensemble", "auto"}))
        return QStringLiteral("auto");
    return std::nullopt;
}

// A decision edit the text asks for, checked against the columns the project knows.
std::optional<ChatReply> decisionEdit(const QString &text, const QString &lower, const ChatFacts &f)
{
    std::vector<ColumnHint> columns;
    for (const QString &name : f.columns)
        columns.push_back({name, ColumnHint::Kind::Numeric, 0, 0});
    const ParsedIntent parsed = parseIntentRules(text, columns);

    if (!parsed.excludedColumns.isEmpty() && containsAny(lower, {"exclude", "ignore", "drop", "without", "remove", "don't use", "do not use"})) {
        QStringList all = f.excludedColumns;
        for (const QString &c : parsed.excludedColumns) {
            if (!all.contains(c))
                all << c;
        }
        json list = json::array();
        for (const QString &c : all)
            list.push_back({{"column", toStd(c)}, {"reason", "excluded in the chat"}});
        return ChatReply{QStringLiteral("I can exclude %1 from the features. Confirm to apply it; "
                                        "PREPROCESS and the later stages then run again.")
                             .arg(parsed.excludedColumns.join(QStringLiteral(", "))),
                         QStringLiteral("suggestion"), QStringLiteral("exclude_columns"),
                         {{"excluded_columns", list}}};
    }
    if (!parsed.metric.isEmpty() && parsed.metric != f.metric) {
        return ChatReply{QStringLiteral("I can switch the metric to %1%2. Confirm to apply it; the models are "
                                        "then trained and ranked by it.")
                             .arg(parsed.metric, f.metric.isEmpty() ? QString() : QStringLiteral(" (now %1)").arg(f.metric)),
                         QStringLiteral("suggestion"), QStringLiteral("change_metric"),
                         {{"metric", toStd(parsed.metric)}}};
    }
    if (parsed.timeBudgetS && (!f.timeBudgetS || *parsed.timeBudgetS != *f.timeBudgetS)) {
        return ChatReply{QStringLiteral("I can set the training budget to %1 s. Confirm to apply it before training.")
                             .arg(*parsed.timeBudgetS),
                         QStringLiteral("suggestion"), QStringLiteral("change_budget"),
                         {{"time_budget_s", *parsed.timeBudgetS}}};
    }
    if (containsAny(lower, {"target", "predict"}) && !parsed.target.isEmpty() && parsed.target != f.target
        && f.columns.contains(parsed.target)) {
        return ChatReply{QStringLiteral("I can make “%1” the target instead of “%2”. Confirm to apply it; the "
                                        "pipeline then runs again from PREPROCESS.")
                             .arg(parsed.target, f.target),
                         QStringLiteral("suggestion"), QStringLiteral("change_target"),
                         {{"target", toStd(parsed.target)}}};
    }
    if (const auto model = modelMentioned(lower); model && *model != f.modelChoice) {
        return ChatReply{QStringLiteral("I can train “%1” instead%2. Confirm to apply it at MODEL_SELECT.")
                             .arg(*model, f.modelChoice.isEmpty() ? QString() : QStringLiteral(" of “%1”").arg(f.modelChoice)),
                         QStringLiteral("suggestion"), QStringLiteral("change_model"),
                         {{"model_id", toStd(*model)}}};
    }
    return std::nullopt;
}

constexpr qsizetype kMaxMessageLength = 2000;

const QString kSystemPrompt = QStringLiteral(
    "You are the assistant inside Baton, an AutoML workbench. Answer the user's message about their "
    "project using only the facts below; never invent numbers. You cannot run anything yourself: "
    "you may suggest one action, which the user confirms before it runs.\n"
    "Answer with one JSON object and nothing else: {\"message\": your reply in plain words, "
    "\"intent\": \"question\"|\"suggestion\"|\"command\"|\"acknowledgment\", "
    "\"suggested_action\": \"none\"|\"retrain\"|\"export\"|\"change_target\"|\"change_metric\"|"
    "\"change_budget\"|\"exclude_columns\"|\"change_model\", \"parameters\": null or the decision to "
    "change: {\"target\": column} | {\"metric\": rmse|mae|r2|rmsle|accuracy|balanced_accuracy|f1|log_loss|"
    "roc_auc} | {\"time_budget_s\": seconds} | {\"excluded_columns\": [columns]} | {\"model_id\": "
    "auto|xgboost|random_forest|linear}}.\nProject facts: ");

// The decision a suggested action changes, checked against the project; null for the others.
Result<json> checkedParameters(const QString &action, const json &parameters, const ChatFacts &facts)
{
    const bool needsParameters = action.startsWith(QLatin1String("change_")) || action == QLatin1String("exclude_columns");
    if (!needsParameters)
        return json(nullptr);
    if (!parameters.is_object())
        return reply::invalid(QStringLiteral("“%1” needs “parameters”").arg(action));
    if (action == QLatin1String("change_target")) {
        auto target = reply::string(parameters, "target");
        if (!target)
            return target.error();
        if (!facts.columns.contains(*target))
            return reply::invalid(QStringLiteral("the target “%1” is not a column").arg(*target));
        return json{{"target", toStd(*target)}};
    }
    if (action == QLatin1String("change_metric")) {
        auto metric = reply::string(parameters, "metric");
        if (!metric)
            return metric.error();
        if (!metricFromName(metric->toLower()))
            return reply::invalid(QStringLiteral("“%1” is not a metric Baton knows").arg(*metric));
        return json{{"metric", toStd(metric->toLower())}};
    }
    if (action == QLatin1String("change_budget")) {
        const json budget = parameters.value("time_budget_s", json(nullptr));
        if (!budget.is_number() || budget.get<double>() < 1)
            return reply::invalid(QStringLiteral("“time_budget_s” must be a positive number of seconds"));
        return json{{"time_budget_s", qRound(budget.get<double>())}};
    }
    if (action == QLatin1String("change_model")) {
        auto model = reply::oneOf(parameters, "model_id", modelOptionIds());
        if (!model)
            return model.error();
        return json{{"model_id", toStd(*model)}};
    }
    auto columns = reply::strings(parameters, "excluded_columns");
    if (!columns)
        return columns.error();
    QStringList all = facts.excludedColumns;
    for (const QString &c : *columns) {
        if (!facts.columns.contains(c))
            return reply::invalid(QStringLiteral("“%1” is not a column").arg(c));
        if (c == facts.target)
            return reply::invalid(QStringLiteral("the target cannot be excluded"));
        if (!all.contains(c))
            all << c;
    }
    json list = json::array();
    for (const QString &c : all)
        list.push_back({{"column", toStd(c)}, {"reason", "excluded in the chat"}});
    return json{{"excluded_columns", list}};
}

} // namespace

Result<ChatReply> chatFromReply(const json &reply, const ChatFacts &facts)
{
    ChatReply out;
    auto message = reply::string(reply, "message");
    if (!message)
        return message.error();
    if (message->isEmpty() || message->size() > kMaxMessageLength)
        return reply::invalid(QStringLiteral("“message” must be 1 to %1 characters").arg(kMaxMessageLength));
    out.message = *message;
    auto intent = reply::oneOf(reply, "intent",
                               {QStringLiteral("question"), QStringLiteral("suggestion"), QStringLiteral("command"),
                                QStringLiteral("acknowledgment")});
    if (!intent)
        return intent.error();
    out.intent = *intent;
    auto action = reply::oneOf(reply, "suggested_action", chatActions(), false);
    if (!action)
        return action.error();
    out.action = action->isEmpty() ? QStringLiteral("none") : *action;
    auto parameters = checkedParameters(out.action, reply.value("parameters", json(nullptr)), facts);
    if (!parameters)
        return parameters.error();
    out.parameters = std::move(parameters).value();
    return out;
}

AgentResult<ChatReply> chat(const AgentRunner &runner, const QString &text, const ChatFacts &facts,
                            const QList<LlmMessage> &history)
{
    const AgentPrompt prompt{QStringLiteral("chat"), kSystemPrompt + fromStd(facts.toJson().dump()), history, text, 0.3};
    return runner.run<ChatReply>(
        prompt, [&facts](const json &reply) { return chatFromReply(reply, facts); },
        [&] { return chatRules(text, facts); });
}

json ChatFacts::toJson() const
{
    json j = {{"stage", toStd(stage)},
              {"stage_status", toStd(stageStatus)},
              {"stage_message", toStd(stageMessage)},
              {"goal", toStd(goal)},
              {"task", toStd(task)},
              {"target", toStd(target)},
              {"metric", toStd(metric)},
              {"time_budget_s", timeBudgetS ? json(*timeBudgetS) : json(nullptr)},
              {"excluded_columns", json::array()},
              {"dataset", toStd(datasetName)},
              {"rows", rows ? json(*rows) : json(nullptr)},
              {"columns", json::array()},
              {"model_choice", toStd(modelChoice)},
              {"final_model", toStd(finalModel)},
              {"test_metric", toStd(primaryMetric)},
              {"test_value", primaryValue ? json(*primaryValue) : json(nullptr)}};
    for (const QString &c : excludedColumns)
        j["excluded_columns"].push_back(toStd(c));
    for (const QString &c : columns)
        j["columns"].push_back(toStd(c));
    return j;
}

json ChatReply::toJson() const
{
    return {{"message", toStd(message)},
            {"intent", toStd(intent)},
            {"suggested_action", toStd(action)},
            {"parameters", parameters}};
}

const QStringList &chatActions()
{
    static const QStringList actions = {
        QStringLiteral("none"),          QStringLiteral("retrain"),       QStringLiteral("adjust_params"),
        QStringLiteral("change_model"),  QStringLiteral("export"),        QStringLiteral("change_target"),
        QStringLiteral("change_metric"), QStringLiteral("change_budget"), QStringLiteral("exclude_columns"),
    };
    return actions;
}

ChatReply chatRules(const QString &text, const ChatFacts &facts)
{
    const QString lower = text.toLower();
    // Whole words: "use" must not fire inside "house" or "because".
    static const QRegularExpression changeWords(
        QStringLiteral("\\b(change|switch|use|try|set|exclude|ignore|drop|remove|instead)\\b"));
    const bool asksChange = changeWords.match(lower).hasMatch();

    if (containsAny(lower, {"?", "what", "how", "why", "explain"})) {
        // "Can we use F1 instead?" is a request in question form: propose it.
        if (asksChange) {
            if (auto edit = decisionEdit(text, lower, facts))
                return *edit;
        }
        return {answer(lower, facts), QStringLiteral("question"), QStringLiteral("none"), nullptr};
    }
    if (containsAny(lower, {"retrain", "train again", "rerun", "re-run"})) {
        return {QStringLiteral("I can train again from MODEL_SELECT with the current decisions. Confirm to start; "
                               "nothing runs until you do."),
                QStringLiteral("command"), QStringLiteral("retrain"), nullptr};
    }
    if (containsAny(lower, {"export", "download", "save"})) {
        const bool trained = facts.primaryValue.has_value();
        return {trained ? QStringLiteral("The trained model can be exported as a bundle (model, preprocessing, "
                                         "report, notebook). Confirm the remaining stages to write it.")
                        : QStringLiteral("There is no trained model to export yet. %1").arg(stageSentence(facts)),
                QStringLiteral("command"), QStringLiteral("export"), nullptr};
    }
    if (asksChange) {
        if (auto edit = decisionEdit(text, lower, facts))
            return *edit;
        return {QStringLiteral("Tell me what to change: the target column, the metric (e.g. rmse, f1, roc_auc), "
                               "the time budget, the model (auto, xgboost, random_forest, linear) or columns "
                               "to exclude."),
                QStringLiteral("suggestion"), QStringLiteral("none"), nullptr};
    }
    return {QStringLiteral("Noted. %1").arg(stageSentence(facts)), QStringLiteral("acknowledgment"),
            QStringLiteral("none"), nullptr};
}

} // namespace baton
