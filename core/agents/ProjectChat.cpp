#include "ProjectChat.h"

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "core/pipeline/ContextKeys.h"

namespace baton {

namespace {

constexpr qsizetype kHistoryMessages = 10;

QStringList excludedNames(const json &context)
{
    QStringList out;
    const json list = context.value(ctx::ExcludedColumns, json::array());
    for (const json &item : list) {
        if (item.is_string())
            out << fromStd(item.get<std::string>());
        else if (item.is_object() && !stringField(item, "column").isEmpty())
            out << stringField(item, "column");
    }
    return out;
}

QString finalModelText(const json &context)
{
    const json model = context.value("model", json::object());
    QStringList members;
    for (const json &m : model.value("members", json::array())) {
        if (!m.is_object())
            continue;
        const double weight = m.value("weight", 0.0);
        members << QStringLiteral("%1 (%2%)").arg(stringField(m, "model_id")).arg(qRound(weight * 100));
    }
    return members.join(QStringLiteral(", "));
}

void publishReply(Conductor &conductor, StageId stage, const ChatReply &reply, const Provenance &provenance)
{
    json answer = {{"run_id", "chat"},
                   {"level", "info"},
                   {"text", toStd(QStringLiteral("🤖 Assistant: ") + reply.message)},
                   {"source", "chat_agent"},
                   {"intent", toStd(reply.intent)}};
    provenance.addTo(answer);
    conductor.publish(stage, StageStatus::InProgress, events::LogLine, std::move(answer));
    if (reply.action == QLatin1String("none"))
        return;
    // Superset of protocol §1.6: the action and the decisions it would change, so a client can
    // offer "apply" (Conductor::updateContext + restartStage) after the user agrees.
    conductor.publish(stage, StageStatus::InProgress, events::LogLine,
                      {{"run_id", "chat"},
                       {"level", "warn"},
                       {"text", toStd(QStringLiteral("💡 Suggested action: ") + reply.action)},
                       {"source", "chat_agent"},
                       {"action", toStd(reply.action)},
                       {"parameters", reply.parameters}});
}

} // namespace

ChatFacts chatFacts(const ProjectState &state)
{
    const json &c = state.context;
    ChatFacts f;
    f.stage = stageName(state.current);
    f.stageStatus = statusName(state.at(state.current).status);
    f.stageMessage = state.at(state.current).message.value_or(QString());
    f.goal = stringField(c, ctx::Prompt);
    f.task = stringField(c, ctx::Task);
    f.target = stringField(c, ctx::Target);
    f.metric = stringField(c, ctx::Metric);
    if (const auto it = c.find(ctx::TimeBudgetS); it != c.end() && it->is_number_integer())
        f.timeBudgetS = it->get<int>();
    f.excludedColumns = excludedNames(c);
    const json dataset = c.value(ctx::Dataset, json::object());
    f.datasetName = stringField(dataset, "name");
    if (const auto it = dataset.find("rows"); it != dataset.end() && it->is_number_integer())
        f.rows = it->get<qint64>();
    for (const json &name : dataset.value("columns", json::array())) {
        if (name.is_string())
            f.columns << fromStd(name.get<std::string>());
    }
    f.modelChoice = stringField(c, "model_id");
    f.finalModel = finalModelText(c);
    const json primary = c.value(ctx::FinalMetrics, json::object()).value("primary", json::object());
    f.primaryMetric = stringField(primary, "name");
    if (const auto it = primary.find("value"); it != primary.end() && it->is_number())
        f.primaryValue = it->get<double>();
    return f;
}

ProjectChat::ProjectChat(Conductor &conductor)
    : m_conductor(conductor)
{
    m_thread.setMaxThreadCount(1);
    m_thread.setObjectName(QStringLiteral("baton-chat"));
}

ProjectChat::~ProjectChat()
{
    m_cancelled->store(true);
    m_thread.waitForDone();
}

void ProjectChat::ask(const QString &text)
{
    const QString message = text.trimmed();
    if (message.isEmpty())
        return;
    const ProjectState &state = m_conductor.state();
    const StageId stage = state.current;
    ChatFacts facts = chatFacts(state);
    Conductor *conductor = &m_conductor;
    const QString projectDir = m_conductor.projectDir();
    const QString projectId = m_conductor.projectId();
    m_thread.start([conductor, stage, message, projectDir, projectId, facts = std::move(facts), cancelled = m_cancelled,
                    history = m_history] {
        if (cancelled->load())
            return;
        const AgentRunner runner = AgentRunner::forProject(
            projectDir, projectId, [cancelled] { return cancelled->load(); },
            [conductor, stage](const char *name, json payload) {
                conductor->publish(stage, StageStatus::InProgress, name, std::move(payload));
            });
        const AgentResult<ChatReply> reply = chat(runner, message, facts, *history);
        if (cancelled->load())
            return;
        history->append({QStringLiteral("user"), message});
        history->append({QStringLiteral("assistant"), fromStd(reply.value.toJson().dump())});
        while (history->size() > kHistoryMessages)
            history->removeFirst();
        publishReply(*conductor, stage, reply.value, reply.provenance);
    });
}

} // namespace baton
