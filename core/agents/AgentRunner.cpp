#include "AgentRunner.h"

#include "AgentLog.h"

#include "core/conductor/EventNames.h"
#include "core/conductor/StageHandler.h"
#include "core/project/Assets.h"

#include <QDir>

Q_LOGGING_CATEGORY(lcAgents, "baton.agents", QtInfoMsg)

namespace baton {

namespace {
constexpr qsizetype kMaxRecordedBody = 64 * 1024;
}

void Provenance::addTo(json &payload) const
{
    payload["produced_by"] = byLlm() ? "llm" : "fallback";
    if (!reason.isEmpty())
        payload["fallback_reason"] = toStd(reason);
    if (!model.isEmpty())
        payload["model"] = toStd(model);
}

AgentRunner::AgentRunner(LlmConfig config, LlmClient::CancelCheck isCancelled,
                         std::shared_ptr<const Transcript> transcript, EventSink events)
    : m_config(std::move(config))
    , m_isCancelled(std::move(isCancelled))
    , m_transcript(std::move(transcript))
    , m_events(std::move(events))
{}

AgentRunner AgentRunner::forProject(const QString &projectDir, const QString &projectId,
                                    LlmClient::CancelCheck isCancelled, EventSink events)
{
    LlmConfig config = LlmConfig::fromSettings();
    std::shared_ptr<const Transcript> transcript;
    if (!projectDir.isEmpty()) {
        const QString relative = Transcript::relativePath();
        const QString url = assetUrl(projectId, relative);
        transcript = std::make_shared<const Transcript>(
            QDir(projectDir).filePath(QStringLiteral("assets/") + relative), QStringList{config.apiKey},
            [events, url] {
                if (events) {
                    events(events::ArtifactAdded, {{"artifact",
                                                    {{"id", "agent_transcript"},
                                                     {"type", "transcript"},
                                                     {"name", "Agent transcript"},
                                                     {"url", toStd(url)},
                                                     {"meta", {{"format", "jsonl"}}}}}});
                }
            });
    }
    return AgentRunner(std::move(config), std::move(isCancelled), std::move(transcript), std::move(events));
}

AgentRunner AgentRunner::forStage(const StageContext &context)
{
    return forProject(
        context.projectDir(), context.projectId(), [&context] { return context.isCancelled(); },
        [&context](const char *name, json payload) { context.emitEvent(name, std::move(payload)); });
}

Result<json> AgentRunner::ask(const AgentPrompt &prompt) const
{
    if (!m_config.isUsable()) {
        return makeError(ErrorKind::NotImplemented, QStringLiteral("llm.not_configured"),
                         QStringLiteral("no language model is configured"));
    }
    QList<LlmMessage> messages{{QStringLiteral("system"), prompt.system}};
    messages += prompt.history;
    messages.append({QStringLiteral("user"), prompt.user});

    const LlmClient client(m_config, m_isCancelled);
    if (m_transcript) {
        m_transcript->append({{"agent", toStd(prompt.agent)},
                              {"kind", "request"},
                              {"endpoint", toStd(m_config.completionsUrl().toString(QUrl::RemoveUserInfo))},
                              {"request", client.requestBody(messages, prompt.temperature)}});
    }
    return client.completeJson(messages, prompt.temperature, [this, &prompt](const LlmAttempt &attempt) {
        if (!m_transcript)
            return;
        json entry = {{"agent", toStd(prompt.agent)},
                      {"kind", "reply"},
                      {"attempt", attempt.number},
                      {"http_status", attempt.httpStatus},
                      {"elapsed_ms", attempt.elapsedMs},
                      {"body", toStd(QString::fromUtf8(attempt.body.left(kMaxRecordedBody)))}};
        if (!attempt.error.isEmpty())
            entry["error"] = toStd(attempt.error);
        m_transcript->append(std::move(entry));
    });
}

void AgentRunner::record(const AgentPrompt &prompt, const Provenance &provenance) const
{
    if (!m_config.isUsable())
        return; // nothing was asked: the fallback is simply how Baton works offline
    json outcome = {{"agent", toStd(prompt.agent)}, {"kind", "outcome"}};
    provenance.addTo(outcome);
    if (m_transcript)
        m_transcript->append(outcome);
    const QString text = provenance.byLlm()
        ? QStringLiteral("%1 agent: answered by %2").arg(prompt.agent, provenance.model)
        : QStringLiteral("%1 agent: deterministic fallback (%2)").arg(prompt.agent, provenance.reason);
    qCInfo(lcAgents).noquote() << text;
    if (m_events) {
        m_events(events::LogLine, {{"run_id", "agents"},
                                   {"level", provenance.byLlm() ? "info" : "warn"},
                                   {"text", toStd(text)},
                                   {"source", toStd(QStringLiteral("agent.") + prompt.agent)}});
    }
}

namespace reply {

Error invalid(const QString &message)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("llm.schema"), message);
}

Result<QString> string(const json &object, const char *key, bool required)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        if (required)
            return invalid(QStringLiteral("“%1” is missing").arg(QLatin1String(key)));
        return QString();
    }
    if (!it->is_string())
        return invalid(QStringLiteral("“%1” must be a string").arg(QLatin1String(key)));
    return fromStd(it->get<std::string>()).trimmed();
}

Result<QString> oneOf(const json &object, const char *key, const QStringList &allowed, bool required)
{
    auto value = string(object, key, required);
    if (!value)
        return value;
    if (value->isEmpty() && !required)
        return value;
    const QString lower = value->toLower();
    if (!allowed.contains(lower)) {
        return invalid(QStringLiteral("“%1” is “%2”, not one of %3")
                           .arg(QLatin1String(key), *value, allowed.join(QStringLiteral(", "))));
    }
    return lower;
}

Result<QStringList> strings(const json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return QStringList();
    if (!it->is_array())
        return invalid(QStringLiteral("“%1” must be an array of strings").arg(QLatin1String(key)));
    QStringList out;
    for (const json &item : *it) {
        if (!item.is_string())
            return invalid(QStringLiteral("“%1” must hold only strings").arg(QLatin1String(key)));
        out << fromStd(item.get<std::string>()).trimmed();
    }
    return out;
}

} // namespace reply

} // namespace baton
