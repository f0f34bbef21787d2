#pragma once

#include "Stage.h"
#include "core/common/Json.h"
#include "core/jobs/JobRunner.h"

#include <QStringList>

#include <optional>

namespace baton {

class Conductor;

// How a stage's work ended. Every stage that succeeds ends awaiting the user's confirmation.
struct StageOutcome
{
    enum class Kind { WaitingConfirmation, Skipped, Failed };

    Kind kind = Kind::Failed;
    QString summary; // the WAITING_CONFIRMATION summary, the skip reason or the failure message
    QStringList nextActions;
    json contextPatch = json::object(); // merged into the project context on the Conductor's thread
    std::optional<Error> error;         // for Failed: what went wrong, with its kind and code

    static StageOutcome waiting(QString summary, QStringList nextActions,
                                json contextPatch = json::object())
    {
        return {Kind::WaitingConfirmation, std::move(summary), std::move(nextActions),
                std::move(contextPatch), std::nullopt};
    }
    static StageOutcome skipped(QString reason, json contextPatch = json::object())
    {
        return {Kind::Skipped, std::move(reason), {}, std::move(contextPatch), std::nullopt};
    }
    static StageOutcome failed(const Error &error)
    {
        return {Kind::Failed, error.toString(), {}, json::object(), error};
    }
};

// What a handler sees while it runs on a job thread. Thread-safe.
class StageContext
{
public:
    StageContext(Conductor *conductor, StageId stage, json projectContext, QString projectDir,
                 JobToken token);

    StageId stage() const { return m_stage; }
    QString projectId() const;
    // The project's folder (assets live in its `assets/` subfolder); empty without a store.
    QString projectDir() const { return m_projectDir; }
    // The shared context as it was when the stage started.
    const json &projectContext() const { return m_projectContext; }

    bool isCancelled() const { return m_token.isCancelled(); }
    bool isStopRequested() const { return m_token.isStopRequested(); }
    // For work that polls cancellation itself (readers, downloads).
    const JobToken &token() const { return m_token; }

    // Publishes an event attributed to this stage (envelope status IN_PROGRESS unless given).
    void emitEvent(const char *name, json payload,
                   std::optional<StageStatus> envelopeStatus = std::nullopt) const;
    void log(const QString &level, const QString &text, const QString &source = {}) const;

private:
    Conductor *m_conductor;
    StageId m_stage;
    json m_projectContext;
    QString m_projectDir;
    JobToken m_token;
};

// The pluggable work of one stage. run() executes on a job thread; it must poll
// isCancelled() in long loops and never throw across its boundary (the runner catches anyway).
class StageHandler
{
public:
    virtual ~StageHandler() = default;
    virtual StageOutcome run(StageContext &context) = 0;
};

} // namespace baton
