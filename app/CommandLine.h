#pragma once

#include "core/common/ExitCode.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace baton::cli {

enum class Command { Gui, Run, Predict, Profile, Serve };

struct Options
{
    Command command = Command::Gui;
    QString workspace; // empty: the default workspace
    bool demo = false; // GUI: open the built-in demo project

    // run
    QString data;
    QString prompt;
    QString target;
    QString task = QStringLiteral("auto");
    int timeBudgetS = 120;
    std::optional<qint64> seed;
    int maxModels = 0;   // > 0: an iteration budget instead of the clock (reproducible)
    bool refitAllRows = true; // --no-refit: export the model fitted on the training rows only
    QString metric;      // empty: the task's default
    QString out;
    bool printEvents = false;

    // predict
    QString bundle;

    // serve
    QString host = QStringLiteral("127.0.0.1");
    int port = 8000;
    QStringList allowedOrigins;
};

// What the command line asked for: options to run, or text to print and an exit code
// (help and version print to stdout with 0; usage errors to stderr with 2).
struct ParseResult
{
    std::optional<Options> options;
    QString output;
    ExitCode exitCode = ExitCode::Success;
};

// The subcommand named by argv[1], if any; decides whether a GUI application is needed.
QString subcommandName(const QStringList &arguments);

ParseResult parse(const QStringList &arguments);

} // namespace baton::cli
