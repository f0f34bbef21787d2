// baton: the desktop app and its command line. Parsing and wiring only; the work is in core/.

#include "CommandLine.h"
#include "UnixSignals.h"

#include "core/jobs/JobRunner.h"
#include "core/common/Settings.h"
#include "core/data/ProfileCommand.h"
#include "core/pipeline/RunCommand.h"
#include "core/review/PredictCommand.h"
#include "core/server/ServeCommand.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QGuiApplication>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>
#include <memory>

using namespace baton;

namespace {

QStringList rawArguments(int argc, char **argv)
{
    QStringList out;
    for (int i = 0; i < argc; ++i)
        out << QString::fromLocal8Bit(argv[i]);
    return out;
}

void identifyApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Baton"));
    QCoreApplication::setApplicationName(QStringLiteral("Baton"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BATON_VERSION));
    if (const int threads = Settings::jobThreads(); threads > 0)
        JobRunner::setMaxThreads(threads);
}

int runCli(const cli::Options &options)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    switch (options.command) {
    case cli::Command::Run: {
        RunRequest request;
        request.workspace = options.workspace;
        request.data = options.data;
        request.prompt = options.prompt;
        request.target = options.target;
        request.task = options.task;
        request.timeBudgetS = options.timeBudgetS;
        request.seed = options.seed;
        request.maxModels = options.maxModels;
        request.refitAllRows = options.refitAllRows;
        request.metric = options.metric;
        request.out = options.out;
        request.printEvents = options.printEvents;
        RunCommand command(request, out, err);
        UnixSignals signalsBridge;
        QObject::connect(&signalsBridge, &UnixSignals::received, &command, &RunCommand::cancel);
        return toInt(command.exec());
    }
    case cli::Command::Predict:
        return toInt(runPredict(options.bundle, options.data, options.out, err));
    case cli::Command::Profile:
        return toInt(runProfile(options.data, options.target, out, err));
    case cli::Command::Serve: {
        server::ServeRequest request;
        request.host = options.host;
        request.port = options.port;
        request.workspace = options.workspace;
        request.allowedOrigins = options.allowedOrigins;
        UnixSignals signalsBridge;
        QObject::connect(&signalsBridge, &UnixSignals::received, qApp, &QCoreApplication::quit);
        return toInt(server::runServe(request, out, err));
    }
    case cli::Command::Gui:
        break;
    }
    return toInt(ExitCode::Failure);
}

} // namespace

// libgomp (XGBoost's OpenMP) reads OMP_WAIT_POLICY once, when it loads, before main(). Its
// default spin-waiting starves the GUI, the event writer and every other thread on a 2-core
// machine (measured: 10x slower training under load), so set it and start over, once.
void ensurePassiveOpenMp(char **argv)
{
    if (qEnvironmentVariableIsSet("OMP_WAIT_POLICY"))
        return;
    qputenv("OMP_WAIT_POLICY", "PASSIVE");
    ::execv("/proc/self/exe", argv); // returns only on failure: then carry on as we are
}

int main(int argc, char **argv)
{
    ensurePassiveOpenMp(argv);
    const QStringList arguments = rawArguments(argc, argv);
    const cli::ParseResult parsed = cli::parse(arguments);
    if (!parsed.options) {
        std::FILE *stream = parsed.exitCode == ExitCode::Success ? stdout : stderr;
        std::fputs(parsed.output.toLocal8Bit().constData(), stream);
        return toInt(parsed.exitCode);
    }
    const cli::Options &options = *parsed.options;

    if (options.command != cli::Command::Gui) {
        // Charts in reports and artifacts need fonts, i.e. a GUI application; no window opens.
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        if (options.command == cli::Command::Run && options.printEvents) {
            // stderr carries one JSON event per line: only critical diagnostics may interrupt it
            // (installed before the application object, which warns about XDG_RUNTIME_DIR).
            qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
                if (type == QtCriticalMsg || type == QtFatalMsg)
                    std::fprintf(stderr, "%s\n", qPrintable(message));
            });
        }
        QGuiApplication app(argc, argv);
        identifyApplication();
        return runCli(options);
    }

    QApplication app(argc, argv);
    identifyApplication();
    ui::MainWindow window(options.workspace);
    window.show();
    if (options.demo)
        window.openDemoProject();
    else
        window.openLastProject();
    return app.exec();
}
