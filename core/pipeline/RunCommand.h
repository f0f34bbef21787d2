#pragma once

#include "core/common/ExitCode.h"
#include "core/common/Json.h"

#include <QObject>
#include <QString>

#include <optional>

class QTextStream;

namespace baton {

class HeadlessRun;

struct RunRequest
{
    QString workspace; // empty: the default workspace
    QString data;
    QString prompt;
    QString target;
    QString task = QStringLiteral("auto");
    int timeBudgetS = 120;
    std::optional<qint64> seed;
    int maxModels = 0; // > 0: train exactly this many candidates (reproducible with a seed)
    bool refitAllRows = true; // false: export the model fitted on the training rows only
    QString metric;
    QString out;
    bool printEvents = false;
};

// `baton run`: validates the request, creates a project, drives it with HeadlessRun and prints
// one JSON summary on stdout (events as JSON lines on stderr with --events).
class RunCommand : public QObject
{
    Q_OBJECT

public:
    RunCommand(RunRequest request, QTextStream &out, QTextStream &err, QObject *parent = nullptr);

    // Runs to the end in a local event loop.
    ExitCode exec();
    // Thread-affine: call on the command's thread (the app forwards SIGINT/SIGTERM here).
    void cancel();

    // The decisions the run fixes up front, as stored in the project context.
    static json decisionsFor(const RunRequest &request);

private:
    RunRequest m_request;
    QTextStream &m_out;
    QTextStream &m_err;
    HeadlessRun *m_run = nullptr;
    bool m_cancelledEarly = false;
};

} // namespace baton
