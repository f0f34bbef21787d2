#pragma once

// The frame every agent shares: ask the language model for a JSON object, validate it against
// the agent's schema, and fall back to the deterministic answer when there is no model, the call
// fails or the reply is invalid. Either way the caller gets the same structured result, and the
// provenance says which produced it and why.

#include "LlmClient.h"
#include "Transcript.h"

#include <memory>

namespace baton {

class StageContext;

enum class ProducedBy { Llm, Fallback };

struct Provenance
{
    ProducedBy producedBy = ProducedBy::Fallback;
    QString reason; // why the fallback answered; empty for the LLM
    QString model;  // the model that answered

    bool byLlm() const { return producedBy == ProducedBy::Llm; }
    // Adds {produced_by: "llm"|"fallback", fallback_reason?, model?} to an event payload.
    void addTo(json &payload) const;
};

template<typename T>
struct AgentResult
{
    T value;
    Provenance provenance;
};

// One question for the model: a system prompt (role, rules, the JSON schema to answer with),
// the conversation so far and the user's message.
struct AgentPrompt
{
    QString agent; // "intent", "chat", ... (transcript, logs)
    QString system;
    QList<LlmMessage> history;
    QString user;
    double temperature = 0;
};

class AgentRunner
{
public:
    // Publishes an event of the project (ARTIFACT_ADDED, LOG_LINE); thread-safe.
    using EventSink = std::function<void(const char *name, json payload)>;

    AgentRunner(LlmConfig config, LlmClient::CancelCheck isCancelled = {},
                std::shared_ptr<const Transcript> transcript = {}, EventSink events = {});

    // The LLM from the settings and the project's transcript, announced with ARTIFACT_ADDED when
    // it is created; each answer of a configured model is also logged (LOG_LINE, source "agents").
    static AgentRunner forProject(const QString &projectDir, const QString &projectId,
                                  LlmClient::CancelCheck isCancelled, EventSink events);
    // As above for a stage handler; the runner must not outlive `context`.
    static AgentRunner forStage(const StageContext &context);

    bool llmConfigured() const { return m_config.isUsable(); }
    const LlmConfig &config() const { return m_config; }

    template<typename T, typename Validate, typename Fallback>
    AgentResult<T> run(const AgentPrompt &prompt, Validate &&validate, Fallback &&fallback) const
    {
        QString reason;
        if (Result<json> reply = ask(prompt)) {
            Result<T> valid = validate(reply.value());
            if (valid) {
                Provenance provenance{ProducedBy::Llm, {}, m_config.model};
                record(prompt, provenance);
                return {std::move(valid).value(), provenance};
            }
            reason = QStringLiteral("the model's reply failed validation: %1").arg(valid.error().message);
        } else {
            reason = reply.error().message;
        }
        Provenance provenance{ProducedBy::Fallback, reason, {}};
        record(prompt, provenance);
        return {fallback(), provenance};
    }

private:
    Result<json> ask(const AgentPrompt &prompt) const;
    void record(const AgentPrompt &prompt, const Provenance &provenance) const;

    LlmConfig m_config;
    LlmClient::CancelCheck m_isCancelled;
    std::shared_ptr<const Transcript> m_transcript;
    EventSink m_events;
};

// Field checks for validating replies: each names the field and what was expected.
namespace reply {
Result<QString> string(const json &object, const char *key, bool required = true);
Result<QString> oneOf(const json &object, const char *key, const QStringList &allowed, bool required = true);
Result<QStringList> strings(const json &object, const char *key);
Error invalid(const QString &message);
} // namespace reply

} // namespace baton
