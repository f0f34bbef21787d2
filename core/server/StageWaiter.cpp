#include "StageWaiter.h"

#include "core/conductor/EventNames.h"

namespace baton::server {

void StageWaiter::watch(Conductor *conductor, StageId stage, int timeoutMs, Callback callback)
{
    new StageWaiter(conductor, stage, timeoutMs, std::move(callback));
}

StageWaiter::StageWaiter(Conductor *conductor, StageId stage, int timeoutMs, Callback callback)
    : QObject(conductor)
    , m_stage(stage)
    , m_callback(std::move(callback))
{
    m_connection = connect(conductor, &Conductor::eventPublished, this, [this](const Event &event) {
        if (event.name != QLatin1String(events::StageStatus)
            || stageFromName(stringField(event.payload, "stage_id")) != m_stage)
            return;
        const auto status = statusFromName(stringField(event.payload, "status"));
        const QString message = stringField(event.payload, "message");
        if (status == StageStatus::Failed)
            finish(false, message);
        else if (status == StageStatus::WaitingConfirmation || status == StageStatus::Completed
                 || status == StageStatus::Skipped)
            finish(true, message);
    });
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this,
            [this] { finish(false, tr("%1 did not finish in time").arg(stageName(m_stage))); });
    m_timeout.start(timeoutMs);
}

void StageWaiter::finish(bool ok, const QString &message)
{
    if (!m_callback)
        return;
    const Callback callback = std::exchange(m_callback, nullptr);
    QObject::disconnect(m_connection);
    m_timeout.stop();
    callback(ok, message);
    deleteLater();
}

} // namespace baton::server
