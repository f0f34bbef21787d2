#pragma once

// The chat agent (protocol §7.8): answers questions about the project's real state and proposes
// actions (change target, metric, budget, excluded columns; retrain; export) that the user
// confirms before anything runs. Never executes an action itself.

#include "AgentRunner.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace baton {

// What the chat may talk about: a snapshot of the project taken on the Conductor's thread.
struct ChatFacts
{
    QString stage;        // "TRAIN"
    QString stageStatus;  // "WAITING_CONFIRMATION"
    QString stageMessage; // the stage's summary or failure
    QString goal;
    QString task;         // classification | regression | forecast | image | unknown
    QString target;
    QString metric;
    std::optional<int> timeBudgetS;
    QStringList excludedColumns;
    QString datasetName;
    std::optional<qint64> rows;
    QStringList columns;
    QString modelChoice;  // what MODEL_SELECT will train: auto, xgboost, ...
    QString finalModel;   // "XGBoost 70%, Linear 30%" once trained
    QString primaryMetric;
    std::optional<double> primaryValue;

    json toJson() const;
};

struct ChatReply
{
    QString message;
    QString intent = QStringLiteral("acknowledgment"); // question|suggestion|command|acknowledgment
    QString action = QStringLiteral("none");           // see chatActions()
    // For actions that change a decision: the context patch to apply when the user confirms it
    // (e.g. {"metric":"f1"}); null otherwise.
    json parameters = nullptr;

    json toJson() const;
};

// The actions a reply may suggest: the protocol's (retrain, adjust_params, change_model, export,
// none) plus the decision edits Baton can apply (change_target, change_metric, change_budget,
// exclude_columns).
const QStringList &chatActions();

// The deterministic chat of protocol §7.8 (substring rules, in order), made useful: questions are
// answered from `facts`, and suggestions carry the decision they would change.
ChatReply chatRules(const QString &text, const ChatFacts &facts);

// The chat agent: the model answers from the facts and the conversation so far (`history`,
// oldest first); a reply whose action or parameters do not fit the project falls back to the rules.
AgentResult<ChatReply> chat(const AgentRunner &runner, const QString &text, const ChatFacts &facts,
                            const QList<LlmMessage> &history = {});

// The reply check, public for tests.
Result<ChatReply> chatFromReply(const json &reply, const ChatFacts &facts);

} // namespace baton
