#include "Conductor.h"
#include "EventNames.h"

namespace baton {

StageContext::StageContext(Conductor *conductor, StageId stage, json projectContext,
                           QString projectDir, JobToken token)
    : m_conductor(conductor)
    , m_stage(stage)
    , m_projectContext(std::move(projectContext))
    , m_projectDir(std::move(projectDir))
    , m_token(std::move(token))
{}

QString StageContext::projectId() const
{
    return m_conductor->projectId();
}

void StageContext::emitEvent(const char *name, json payload,
                             std::optional<StageStatus> envelopeStatus) const
{
    m_conductor->publish(m_stage, envelopeStatus.value_or(StageStatus::InProgress), name,
                         std::move(payload));
}

void StageContext::log(const QString &level, const QString &text, const QString &source) const
{
    emitEvent(events::LogLine,
              {{"run_id", "system"},
               {"level", toStd(level)},
               {"text", toStd(text)},
               {"source", toStd(source.isEmpty() ? stageName(m_stage).toLower() : source)}});
}

} // namespace baton
