#include "Conductor.h"

#include "EventNames.h"
#include "core/common/Logging.h"
#include "core/project/ProjectStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThread>

namespace baton {

namespace {

json statusPayload(StageId stage, StageStatus status, const QString &message)
{
    return {{"stage_id", toStd(stageName(stage))},
            {"status", toStd(statusName(status))},
            {"message", toStd(message)}};
}

bool isDone(StageStatus status)
{
    return status == StageStatus::Completed || status == StageStatus::Skipped;
}

} // namespace

Conductor::Conductor(const QString &projectId, QObject *parent)
    : QObject(parent)
    , m_state(ProjectState::initial(projectId))
{}

Conductor::Conductor(ProjectStore *store, QObject *parent)
    : QObject(parent)
    , m_state(store->loadedState().value_or(ProjectState::initial(store->projectId())))
    , m_store(store)
    , m_lastSeq(store->lastSeq())
{
    m_store->setDeliveryCallback([this](std::vector<Event> batch) {
        QMetaObject::invokeMethod(
            this,
            [this, batch = std::move(batch)] {
                for (const Event &event : batch)
                    deliver(event);
            },
            Qt::QueuedConnection);
    });
    if (!store->loadedState())
        persistState();
    recoverInterruptedStage();
}

Conductor::~Conductor()
{
    m_pendingStart.reset();
    m_job.cancel();
    m_job.wait();
    if (m_store) {
        m_store->flush();
        m_store->setDeliveryCallback(nullptr);
    }
}

QString Conductor::projectDir() const
{
    return m_store ? m_store->projectDir() : QString();
}

void Conductor::setHandler(StageId stage, std::shared_ptr<StageHandler> handler)
{
    m_handlers[static_cast<size_t>(stageIndex(stage))] = std::move(handler);
}

bool Conductor::hasHandler(StageId stage) const
{
    return m_handlers[static_cast<size_t>(stageIndex(stage))] != nullptr;
}

void Conductor::setDecisionStage(const std::string &key, StageId stage)
{
    m_decisionStages[key] = stage;
}

// ---- commands -------------------------------------------------------------------------------

void Conductor::startPipeline(const QString &prompt, const json &decisions)
{
    json context = decisions.is_object() ? decisions : json::object();
    context["prompt"] = toStd(prompt);
    m_state.context = std::move(context);
    qCInfo(lcConductor) << m_state.projectId << "pipeline started";
    runStage(StageId::ParseIntent, QStringLiteral("Understanding the goal"));
}

ConfirmResult Conductor::confirm(const json &decisions)
{
    const StageId stage = m_state.current;
    const StageStatus status = m_state.at(stage).status;
    if (isBusy()) {
        return {false, tr("%1 is still running; wait for it to finish or cancel it.")
                           .arg(stageName(stage))};
    }
    if (status == StageStatus::Failed) {
        return {false, tr("%1 failed (%2); restart the stage before confirming.")
                           .arg(stageName(stage), m_state.at(stage).message.value_or(QString()))};
    }
    if (status != StageStatus::WaitingConfirmation && status != StageStatus::Completed) {
        return {false, tr("%1 is %2: there is nothing to confirm yet.")
                           .arg(stageName(stage), statusName(status))};
    }
    if (stage == StageId::Export && status == StageStatus::Completed)
        return {false, tr("The pipeline is finished; restart a stage to run it again.")};
    // An edit to a decision an earlier (or this) stage already used invalidates its proposal.
    std::optional<StageId> rerun;
    if (decisions.is_object()) {
        for (const auto &[key, value] : decisions.items()) {
            const auto consumer = m_decisionStages.find(key);
            if (consumer == m_decisionStages.end() || stageIndex(consumer->second) > stageIndex(stage)
                || m_state.context.value(key, json()) == value)
                continue;
            if (!rerun || stageIndex(consumer->second) < stageIndex(*rerun))
                rerun = consumer->second;
        }
        if (!decisions.empty())
            m_state.context.merge_patch(decisions);
    }
    if (rerun) {
        runStage(*rerun, tr("Running again with your edits"));
        return {true, {}};
    }
    advanceFrom(stage);
    return {true, {}};
}

Status Conductor::restartStage(StageId stage)
{
    for (StageId earlier : kAllStages) {
        if (earlier == stage)
            break;
        if (!isDone(m_state.at(earlier).status)) {
            return makeError(ErrorKind::Conflict, QStringLiteral("conductor.stage_not_ready"),
                             tr("%1 cannot run before %2 is completed.")
                                 .arg(stageName(stage), stageName(earlier)));
        }
    }
    runStage(stage, QStringLiteral("Stage restarted by user"));
    return {};
}

Status Conductor::setStageStatus(StageId stage, StageStatus status, const QString &message)
{
    if (isBusy()) {
        return makeError(ErrorKind::Conflict, QStringLiteral("conductor.busy"),
                         tr("%1 is running; cancel it before changing stage statuses.")
                             .arg(stageName(m_state.running.value_or(m_state.current))));
    }
    if (status == StageStatus::WaitingConfirmation) {
        enterWaiting(stage, message, {});
        return {};
    }
    m_state.waiting.reset();
    m_state.current = stage;
    transition(stage, status, message.isEmpty() ? std::nullopt : std::optional(message));
    return {};
}

void Conductor::updateContext(const json &patch)
{
    if (!patch.is_object() || patch.empty())
        return;
    m_state.context.merge_patch(patch);
    persistState();
}

void Conductor::cancel()
{
    if (!isBusy())
        return;
    m_job.cancel();
    publish(m_state.running.value_or(m_state.current), StageStatus::InProgress, events::LogLine,
            {{"run_id", "system"},
             {"level", "warn"},
             {"text", "Cancellation requested"},
             {"source", "conductor"}});
}

void Conductor::requestStop()
{
    if (!isBusy())
        return;
    m_job.requestStop();
    publish(m_state.running.value_or(m_state.current), StageStatus::InProgress, events::LogLine,
            {{"run_id", "system"},
             {"level", "info"},
             {"text", "Stop requested: finishing with the best result so far"},
             {"source", "conductor"}});
}

void Conductor::emitCurrentStatus()
{
    const StageId stage = m_state.current;
    const StageStatus status = m_state.at(stage).status;
    publish(stage, status, events::StageStatus,
            statusPayload(stage, status, m_state.at(stage).message.value_or(QString())));
}

// ---- stage machinery ------------------------------------------------------------------------

void Conductor::transition(StageId stage, StageStatus status,
                           const std::optional<QString> &message)
{
    StageState &entry = m_state.at(stage);
    entry.status = status;
    if (message)
        entry.message = message;
    if (status != StageStatus::WaitingConfirmation && m_state.waiting
        && m_state.waiting->stage == stage)
        m_state.waiting.reset();
    publish(stage, status, events::StageStatus,
            statusPayload(stage, status, message.value_or(entry.message.value_or(QString()))));
}

void Conductor::enterWaiting(StageId stage, const QString &summary, const QStringList &nextActions)
{
    m_state.current = stage;
    m_state.waiting = WaitingConfirmation{stage, summary, nextActions};
    // Protocol §9.1: announce the waiting state as a STAGE_STATUS too, or clients keep
    // showing IN_PROGRESS and never enable Confirm.
    transition(stage, StageStatus::WaitingConfirmation, summary);
    publish(stage, StageStatus::WaitingConfirmation, events::WaitingConfirmation,
            m_state.waiting->toJson());
}

void Conductor::failStage(StageId stage, const QString &message, const std::optional<Error> &error)
{
    qCWarning(lcConductor) << m_state.projectId << stageName(stage) << "failed:" << message;
    m_state.current = stage;
    StageState &entry = m_state.at(stage);
    entry.status = StageStatus::Failed;
    entry.message = message;
    if (m_state.waiting && m_state.waiting->stage == stage)
        m_state.waiting.reset();
    json payload = statusPayload(stage, StageStatus::Failed, message);
    const ErrorKind kind = error ? error->kind : ErrorKind::Internal;
    payload["error_kind"] = toStd(errorKindName(kind));
    payload["error_code"] = error ? toStd(error->code) : std::string("stage.failed");
    publish(stage, StageStatus::Failed, events::StageStatus, std::move(payload));
    publish(stage, StageStatus::Failed, events::LogLine,
            {{"run_id", "system"},
             {"level", "error"},
             {"text", toStd(QStringLiteral("%1 failed: %2").arg(stageName(stage), message))},
             {"source", "conductor"}});
}

void Conductor::advanceFrom(StageId stage)
{
    if (m_state.at(stage).status != StageStatus::Completed) {
        m_state.at(stage).status = StageStatus::Completed;
        m_state.waiting.reset();
        // The stored message stays the stage's summary; the event says what happened.
        publish(stage, StageStatus::Completed, events::StageStatus,
                statusPayload(stage, StageStatus::Completed, QStringLiteral("Stage confirmed")));
    }
    m_state.waiting.reset();
    if (const auto next = nextStage(stage))
        runStage(*next, QStringLiteral("Advancing to next stage"));
    else
        persistState();
}

void Conductor::runStage(StageId stage, const QString &message)
{
    if (isBusy()) {
        // Let the running job see the cancellation and return first; never two jobs at once.
        m_pendingStart = PendingStart{stage, message};
        m_job.cancel();
        return;
    }
    for (StageId later : kAllStages) {
        if (stageIndex(later) <= stageIndex(stage))
            continue;
        StageState &entry = m_state.at(later);
        if (entry.status == StageStatus::Pending && !entry.message)
            continue;
        entry = StageState{};
        publish(later, StageStatus::Pending, events::StageStatus,
                statusPayload(later, StageStatus::Pending, QString()));
    }
    m_state.waiting.reset();
    m_state.current = stage;

    const auto &handler = m_handlers[static_cast<size_t>(stageIndex(stage))];
    if (!handler) {
        transition(stage, StageStatus::InProgress, message);
        failStage(stage,
                  tr("%1 is not available in this build of Baton: no handler is installed "
                     "for this stage.")
                      .arg(stageName(stage)),
                  makeError(ErrorKind::NotImplemented, QStringLiteral("conductor.no_handler"),
                            QStringLiteral("no handler")));
        return;
    }
    m_state.running = stage;
    transition(stage, StageStatus::InProgress, message);
    launchStage(stage, handler);
}

void Conductor::launchStage(StageId stage, const std::shared_ptr<StageHandler> &handler)
{
    const JobToken token;
    const quint64 generation = ++m_jobGeneration;
    auto context = std::make_shared<StageContext>(this, stage, m_state.context, projectDir(), token);
    m_job = JobRunner::start<StageOutcome>(
        token,
        [handler, context](const JobToken &) -> Result<StageOutcome> {
            return handler->run(*context);
        },
        this,
        [this, stage, generation, token](Result<StageOutcome> result) {
            finishStage(stage, generation, std::move(result), token);
        });
    m_jobActive = true;
    Q_EMIT busyChanged(true);
}

void Conductor::finishStage(StageId stage, quint64 generation, Result<StageOutcome> result,
                            const JobToken &token)
{
    if (generation != m_jobGeneration)
        return;
    m_jobActive = false;
    m_state.running.reset();

    if (token.isCancelled()) {
        failStage(stage, tr("Cancelled by user"),
                  makeError(ErrorKind::Cancelled, QStringLiteral("conductor.cancelled"),
                            QStringLiteral("cancelled")));
    } else if (!result.ok()) {
        failStage(stage, result.error().toString(), result.error());
    } else {
        StageOutcome &outcome = result.value();
        if (outcome.contextPatch.is_object() && !outcome.contextPatch.empty())
            m_state.context.merge_patch(outcome.contextPatch);
        switch (outcome.kind) {
        case StageOutcome::Kind::WaitingConfirmation:
            enterWaiting(stage, outcome.summary, outcome.nextActions);
            break;
        case StageOutcome::Kind::Skipped:
            transition(stage, StageStatus::Skipped, outcome.summary);
            if (!m_pendingStart) {
                if (const auto next = nextStage(stage))
                    m_pendingStart = PendingStart{*next, QStringLiteral("Advancing to next stage")};
            }
            break;
        case StageOutcome::Kind::Failed:
            failStage(stage, outcome.summary, outcome.error);
            break;
        }
    }

    if (m_pendingStart) {
        const PendingStart pending = *m_pendingStart;
        m_pendingStart.reset();
        runStage(pending.stage, pending.message);
    }
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

void Conductor::recoverInterruptedStage()
{
    if (!m_state.running)
        return;
    const StageId stage = *m_state.running;
    m_state.running.reset();
    m_state.waiting.reset();
    failStage(stage, tr("Interrupted: Baton stopped while this stage was running. Restart the "
                        "stage to run it again."));
}

// ---- the bus --------------------------------------------------------------------------------

void Conductor::publish(StageId stage, StageStatus envelopeStatus, const char *name, json payload)
{
    publishTyped(QStringLiteral("EVENT"), stage, envelopeStatus, name, std::move(payload));
}

void Conductor::publishTyped(const QString &type, StageId stage, StageStatus envelopeStatus,
                             const char *name, json payload)
{
    Event event;
    event.type = type;
    event.projectId = m_state.projectId;
    event.stage = stage;
    event.stageStatus = envelopeStatus;
    event.name = QString::fromLatin1(name);
    event.payload = payload.is_null() ? json::object() : std::move(payload);
    replaceNonFinite(event.payload);
    // Serialised here, on the publishing thread, once for the log and every socket.
    event.payloadJson = QByteArray::fromStdString(toStrictJson(event.payload));

    // Only the Conductor's own thread mutates m_state, so only it may attach a state snapshot.
    const bool onOwnThread = QThread::currentThread() == thread();

    std::lock_guard lock(m_publishMutex);
    event.seq = ++m_lastSeq;
    event.tsMs = QDateTime::currentMSecsSinceEpoch();
    if (m_store) {
        m_store->append(std::move(event), onOwnThread ? std::optional(m_state.toJson()) : std::nullopt);
    } else {
        QMetaObject::invokeMethod(this, [this, event] { deliver(event); }, Qt::QueuedConnection);
    }
}

void Conductor::persistState()
{
    if (!m_store)
        return;
    std::lock_guard lock(m_publishMutex);
    m_store->saveState(m_state.toJson());
}

void Conductor::deliver(const Event &event)
{
    Q_EMIT eventPublished(event);
}

void Conductor::flushEvents()
{
    if (m_store)
        m_store->flush();
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

} // namespace baton
