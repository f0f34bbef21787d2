#include "HeadlessRun.h"

#include "core/common/Logging.h"
#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"

#include <QTimer>

namespace baton {

HeadlessRun::HeadlessRun(Conductor *conductor, QObject *parent)
    : QObject(parent)
    , m_conductor(conductor)
{
    connect(m_conductor, &Conductor::eventPublished, this, &HeadlessRun::onEvent);
}

void HeadlessRun::start(const QString &prompt, const json &decisions)
{
    m_conductor->startPipeline(prompt, decisions);
}

void HeadlessRun::cancel()
{
    if (m_finished)
        return;
    m_cancelRequested = true;
    if (m_conductor->isBusy())
        m_conductor->cancel(); // the stage ends FAILED ("Cancelled"), which finishes the run
    else
        finish(ExitCode::Cancelled, QStringLiteral("Cancelled"));
}

void HeadlessRun::onEvent(const Event &event)
{
    if (m_finished || event.name != QLatin1String(events::StageStatus))
        return;
    const auto stage = stageFromName(stringField(event.payload, "stage_id"));
    const auto status = statusFromName(stringField(event.payload, "status"));
    if (!stage || !status)
        return;

    switch (*status) {
    case StageStatus::WaitingConfirmation:
        // Confirm from a fresh event-loop turn: the Conductor is still inside its own emission.
        QTimer::singleShot(0, this, &HeadlessRun::confirmCurrent);
        break;
    case StageStatus::Failed: {
        const QString message = stringField(event.payload, "message");
        if (m_cancelRequested) {
            finish(ExitCode::Cancelled, message);
        } else {
            const bool badInput = stringField(event.payload, "error_kind")
                                  == errorKindName(ErrorKind::BadInput);
            finish(badInput ? ExitCode::BadInput : ExitCode::StageFailed,
                   QStringLiteral("%1: %2").arg(stageName(*stage), message));
        }
        break;
    }
    case StageStatus::Completed:
        if (*stage == StageId::Export)
            finish(ExitCode::Success);
        break;
    default:
        break;
    }
}

void HeadlessRun::confirmCurrent()
{
    if (m_finished)
        return;
    if (m_cancelRequested) {
        finish(ExitCode::Cancelled, QStringLiteral("Cancelled"));
        return;
    }
    const ConfirmResult result = m_conductor->confirm();
    if (!result.accepted) {
        qCWarning(lcPipeline) << "confirm rejected:" << result.error;
        finish(ExitCode::StageFailed, result.error);
    }
}

void HeadlessRun::finish(ExitCode code, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = code;
    m_error = error;
    Q_EMIT finished(code);
}

json HeadlessRun::summary() const
{
    const ProjectState &state = m_conductor->state();
    json stages = json::object();
    for (StageId id : kAllStages)
        stages[toStd(stageName(id))] = toStd(statusName(state.at(id).status));
    const json &context = state.context;
    return json{
        {"project_id", toStd(state.projectId)},
        {"project_dir", toStd(m_conductor->projectDir())},
        {"exit_code", toInt(m_exitCode)},
        {"status", m_exitCode == ExitCode::Success     ? "completed"
                   : m_exitCode == ExitCode::Cancelled ? "cancelled"
                                                       : "failed"},
        {"error", m_error.isEmpty() ? json(nullptr) : json(toStd(m_error))},
        {"stages", std::move(stages)},
        {"final_metrics", context.value("final_metrics", json(nullptr))},
        {"bundle_path", context.value("bundle_path", json(nullptr))},
    };
}

} // namespace baton
