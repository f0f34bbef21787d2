#pragma once

#include "core/common/ExitCode.h"
#include "core/common/Json.h"
#include "core/conductor/Event.h"

#include <QObject>

namespace baton {

class Conductor;

// Drives a project through all eight stages without a person (`baton run`): it confirms every
// stage's proposal as it is, stops at the first failure, and summarises the outcome.
// It only listens to the event bus and calls the Conductor's public commands.
class HeadlessRun : public QObject
{
    Q_OBJECT

public:
    explicit HeadlessRun(Conductor *conductor, QObject *parent = nullptr);

    void start(const QString &prompt, const json &decisions);
    // SIGINT/SIGTERM: cancel the running job and finish with ExitCode::Cancelled.
    void cancel();

    bool isFinished() const { return m_finished; }
    ExitCode exitCode() const { return m_exitCode; }
    // Project id, stage statuses, the failure if any, final metrics and bundle path.
    json summary() const;

Q_SIGNALS:
    void finished(baton::ExitCode code);

private:
    void onEvent(const Event &event);
    void confirmCurrent();
    void finish(ExitCode code, const QString &error = {});

    Conductor *m_conductor;
    bool m_cancelRequested = false;
    bool m_finished = false;
    ExitCode m_exitCode = ExitCode::Success;
    QString m_error;
};

} // namespace baton
