#pragma once

#include "Event.h"
#include "ProjectState.h"
#include "StageHandler.h"
#include "core/jobs/JobRunner.h"

#include <QObject>

#include <array>
#include <map>
#include <memory>
#include <mutex>

namespace baton {

class ProjectStore;

struct ConfirmResult
{
    bool accepted = false;
    QString error; // why a confirm was rejected (protocol §9.2: never silent)
};

// One per open project: owns the eight stages, runs their handlers on job threads and publishes
// every change as an Event. eventPublished() is the single event bus: the GUI, the protocol
// server and the CLI subscribe to it. With a store, an event is committed before it is delivered.
//
// Commands (start, confirm, restart, cancel, ...) are called on the Conductor's thread.
// publish() and everything a StageContext does are thread-safe.
class Conductor : public QObject
{
    Q_OBJECT

public:
    // Without a store the project lives in memory only (tests, previews).
    explicit Conductor(const QString &projectId, QObject *parent = nullptr);
    // Restores the project's state from its store; a stage left running by a dead process is
    // marked FAILED ("interrupted").
    explicit Conductor(ProjectStore *store, QObject *parent = nullptr);
    ~Conductor() override;

    QString projectId() const { return m_state.projectId; }
    const ProjectState &state() const { return m_state; }
    json snapshot() const { return m_state.toSnapshot(); }
    const json &context() const { return m_state.context; }
    // A stage job runs; cleared when its result is applied (not when the thread lets go).
    bool isBusy() const { return m_jobActive; }
    QString projectDir() const;

    void setHandler(StageId stage, std::shared_ptr<StageHandler> handler);
    bool hasHandler(StageId stage) const;
    // The first stage that reads a decision (context key), e.g. "target" -> PREPROCESS. A confirm
    // that changes such a decision at or after that stage runs it again with the edit instead
    // of advancing past a proposal computed without it.
    void setDecisionStage(const std::string &key, StageId stage);

    // Starts (or starts over) the pipeline from PARSE_INTENT with a goal in plain words.
    // `decisions` holds what the user fixed up front (data path, target, task, budget, seed).
    void startPipeline(const QString &prompt, const json &decisions = json::object());
    // Accepts the current stage's proposal (with the user's edited decisions merged into the
    // context) and runs the next stage.
    ConfirmResult confirm(const json &decisions = json::object());
    // Runs `stage` again; every later stage goes back to PENDING.
    Status restartStage(StageId stage);
    // Forces a stage's status (protocol `transition_to`, REST stages/{id}/status).
    Status setStageStatus(StageId stage, StageStatus status, const QString &message = {});
    // Merges edits into the shared context (dataset/model selection, chat actions, ...).
    void updateContext(const json &patch);
    // Cancels the running job: the stage ends FAILED ("Cancelled").
    void cancel();
    // Asks the running job to finish early and keep its best result (training).
    void requestStop();
    // Re-announces the current stage (a client just connected).
    void emitCurrentStatus();

    // Thread-safe: assigns the next seq, stores, then delivers through eventPublished().
    void publish(StageId stage, StageStatus envelopeStatus, const char *name, json payload);
    // Publishes an event with a non-EVENT type (HELLO) that still takes a seq.
    void publishTyped(const QString &type, StageId stage, StageStatus envelopeStatus,
                      const char *name, json payload);

    // Blocks until every published event has been committed and delivered (CLI exit, tests).
    void flushEvents();

Q_SIGNALS:
    void eventPublished(const baton::Event &event);
    void busyChanged(bool busy);

private:
    void transition(StageId stage, StageStatus status, const std::optional<QString> &message);
    void enterWaiting(StageId stage, const QString &summary, const QStringList &nextActions);
    void runStage(StageId stage, const QString &message);
    void launchStage(StageId stage, const std::shared_ptr<StageHandler> &handler);
    void finishStage(StageId stage, quint64 generation, Result<StageOutcome> result,
                     const JobToken &token);
    void failStage(StageId stage, const QString &message, const std::optional<Error> &error = {});
    void advanceFrom(StageId stage);
    void recoverInterruptedStage();
    void deliver(const Event &event);
    void persistState();

    ProjectState m_state;
    ProjectStore *m_store = nullptr;
    std::array<std::shared_ptr<StageHandler>, kStageCount> m_handlers;
    std::map<std::string, StageId> m_decisionStages;

    JobHandle m_job;
    bool m_jobActive = false;
    quint64 m_jobGeneration = 0;
    struct PendingStart
    {
        StageId stage;
        QString message;
    };
    std::optional<PendingStart> m_pendingStart; // a run waiting for a cancelled job to return

    mutable std::mutex m_publishMutex;
    qint64 m_lastSeq = 0;
};

} // namespace baton
