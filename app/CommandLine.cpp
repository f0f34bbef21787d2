#include "CommandLine.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace baton::cli {

namespace {

const QStringList kSubcommands = {QStringLiteral("run"), QStringLiteral("predict"),
                                  QStringLiteral("profile"), QStringLiteral("serve")};
const QStringList kTasks = {QStringLiteral("auto"), QStringLiteral("classification"),
                            QStringLiteral("regression"), QStringLiteral("forecast"),
                            QStringLiteral("image")};

const char kExitCodesHelp[] =
    "Exit codes: 0 success, 2 usage error, 3 bad input data, 4 a stage failed, 130 cancelled.";

ParseResult usageError(const QString &command, const QString &message)
{
    const QString prefix = command.isEmpty() ? QStringLiteral("baton")
                                             : QStringLiteral("baton %1").arg(command);
    return {std::nullopt,
            QStringLiteral("%1: %2\nTry '%3 --help'.\n").arg(prefix, message, prefix),
            ExitCode::Usage};
}

ParseResult helpText(QCommandLineParser &parser, const QString &usage, const QString &description)
{
    parser.setApplicationDescription(description);
    // Parsing happens before the application object exists, so Qt cannot name the program.
    QString text = parser.helpText();
    text.replace(QStringLiteral("<executable_name>"), usage);
    return {std::nullopt, text + QLatin1Char('\n') + QLatin1String(kExitCodesHelp) + QLatin1Char('\n'),
            ExitCode::Success};
}

// Rejects positional arguments nobody asked for: a typo must not be silently ignored.
std::optional<ParseResult> rejectPositionals(const QCommandLineParser &parser, const QString &command,
                                             int allowed)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > allowed)
        return usageError(command, QStringLiteral("unexpected argument '%1'").arg(positional.at(allowed)));
    return std::nullopt;
}

std::optional<QString> requireValue(const QCommandLineParser &parser, const QString &name)
{
    const QString value = parser.value(name);
    if (value.isEmpty())
        return std::nullopt;
    return value;
}

ParseResult parseGui(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version."));
    const QCommandLineOption workspace(QStringLiteral("workspace"),
                                       QStringLiteral("Workspace folder holding the projects."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Open the built-in demo project."));
    parser.addOptions({help, version, workspace, demo});
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("run | predict | profile | serve (see "
                                                "'baton COMMAND --help'); none opens the window."),
                                 QStringLiteral("[command]"));
    if (!parser.parse(arguments))
        return usageError({}, parser.errorText());
    if (parser.isSet(help)) {
        return helpText(parser, QStringLiteral("baton"), QStringLiteral("Baton: describe a goal, drop in data, get a trained "
                                               "and verified model. Data: a CSV file, an image folder or "
                                               "zip, or kaggle:OWNER/NAME (see 'baton run --help')."));
    }
    if (parser.isSet(version)) {
        return {std::nullopt, QStringLiteral("baton %1\n").arg(QStringLiteral(BATON_VERSION)),
                ExitCode::Success};
    }
    if (!parser.positionalArguments().isEmpty()) {
        return usageError({}, QStringLiteral("unknown command '%1' (expected one of: %2)")
                                  .arg(parser.positionalArguments().first(),
                                       kSubcommands.join(QStringLiteral(", "))));
    }
    Options options;
    options.command = Command::Gui;
    options.workspace = parser.value(workspace);
    options.demo = parser.isSet(demo);
    return {options, {}, ExitCode::Success};
}

ParseResult parseRun(const QStringList &arguments)
{
    const QString cmd = QStringLiteral("run");
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("A CSV file; an image folder (one subfolder of images per class) or a zip of one; "
                                                                  "or kaggle:OWNER/NAME[/FILE.csv], downloaded with KAGGLE_USERNAME and "
                                                                  "KAGGLE_KEY or ~/.kaggle/kaggle.json."), QStringLiteral("PATH"));
    const QCommandLineOption prompt(QStringLiteral("prompt"), QStringLiteral("The goal in plain words."), QStringLiteral("TEXT"));
    const QCommandLineOption target(QStringLiteral("target"), QStringLiteral("Target column (default: inferred from the prompt)."), QStringLiteral("COL"));
    const QCommandLineOption task(QStringLiteral("task"), QStringLiteral("auto | classification | regression | forecast | image."), QStringLiteral("TASK"), QStringLiteral("auto"));
    const QCommandLineOption budget(QStringLiteral("time-budget"), QStringLiteral("Training time budget in seconds (default 120)."), QStringLiteral("SECONDS"), QStringLiteral("120"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed for a reproducible run."), QStringLiteral("N"));
    const QCommandLineOption workspace(QStringLiteral("workspace"), QStringLiteral("Workspace folder holding the projects."), QStringLiteral("DIR"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Folder for the export bundle and report."), QStringLiteral("DIR"));
    const QCommandLineOption events(QStringLiteral("events"), QStringLiteral("Print every event as one JSON line on stderr."));
    const QCommandLineOption maxModels(QStringLiteral("max-models"), QStringLiteral("Train exactly N candidate models instead of searching until the time budget is spent (with --seed: bit-for-bit reproducible)."), QStringLiteral("N"));
    const QCommandLineOption metric(QStringLiteral("metric"), QStringLiteral("Primary metric: rmse, mae, r2, rmsle, accuracy, balanced_accuracy, f1, log_loss, roc_auc."), QStringLiteral("NAME"));
    const QCommandLineOption noRefit(QStringLiteral("no-refit"), QStringLiteral("Export the model fitted on the training rows only. By default, after the one evaluation on the held-out test rows, the chosen models are fitted again on training and test rows for export (the reported test figures stay those of the first fit)."));
    parser.addOptions({help, data, prompt, target, task, budget, seed, maxModels, metric, noRefit, workspace, out, events});
    if (!parser.parse(arguments))
        return usageError(cmd, parser.errorText());
    if (parser.isSet(help)) {
        return helpText(parser, QStringLiteral("baton run"), QStringLiteral("baton run: run all eight stages without a person, "
                                               "confirming each stage's proposal, and print a JSON "
                                               "summary on stdout."));
    }
    if (auto rejected = rejectPositionals(parser, cmd, 0))
        return *rejected;

    Options options;
    options.command = Command::Run;
    const auto dataValue = requireValue(parser, data.names().first());
    const auto promptValue = requireValue(parser, prompt.names().first());
    const auto outValue = requireValue(parser, out.names().first());
    if (!dataValue)
        return usageError(cmd, QStringLiteral("--data PATH is required"));
    if (!promptValue)
        return usageError(cmd, QStringLiteral("--prompt TEXT is required"));
    if (!outValue)
        return usageError(cmd, QStringLiteral("--out DIR is required"));
    options.data = *dataValue;
    options.prompt = *promptValue;
    options.out = *outValue;
    options.target = parser.value(target);
    options.task = parser.value(task);
    if (!kTasks.contains(options.task)) {
        return usageError(cmd, QStringLiteral("--task must be one of %1, not '%2'")
                                   .arg(kTasks.join(QStringLiteral(", ")), options.task));
    }
    bool ok = false;
    options.timeBudgetS = parser.value(budget).toInt(&ok);
    if (!ok || options.timeBudgetS <= 0) {
        return usageError(cmd, QStringLiteral("--time-budget must be a positive number of seconds, "
                                              "not '%1'")
                                   .arg(parser.value(budget)));
    }
    if (parser.isSet(seed)) {
        const qint64 value = parser.value(seed).toLongLong(&ok);
        if (!ok || value < 0)
            return usageError(cmd, QStringLiteral("--seed must be a non-negative integer, not '%1'")
                                       .arg(parser.value(seed)));
        options.seed = value;
    }
    if (parser.isSet(maxModels)) {
        options.maxModels = parser.value(maxModels).toInt(&ok);
        if (!ok || options.maxModels <= 0)
            return usageError(cmd, QStringLiteral("--max-models must be a positive integer, not '%1'")
                                       .arg(parser.value(maxModels)));
    }
    const QStringList metrics = {QStringLiteral("rmse"), QStringLiteral("mae"), QStringLiteral("r2"),
                                 QStringLiteral("rmsle"), QStringLiteral("accuracy"),
                                 QStringLiteral("balanced_accuracy"), QStringLiteral("f1"),
                                 QStringLiteral("log_loss"), QStringLiteral("roc_auc")};
    options.metric = parser.value(metric);
    if (!options.metric.isEmpty() && !metrics.contains(options.metric)) {
        return usageError(cmd, QStringLiteral("--metric must be one of %1, not '%2'")
                                   .arg(metrics.join(QStringLiteral(", ")), options.metric));
    }
    options.refitAllRows = !parser.isSet(noRefit);
    options.workspace = parser.value(workspace);
    options.printEvents = parser.isSet(events);
    return {options, {}, ExitCode::Success};
}

ParseResult parsePredict(const QStringList &arguments)
{
    const QString cmd = QStringLiteral("predict");
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption bundle(QStringLiteral("bundle"), QStringLiteral("Export bundle (.zip) made by Baton."), QStringLiteral("PATH"));
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("CSV file to score."), QStringLiteral("PATH"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("CSV file for the predictions."), QStringLiteral("PATH"));
    parser.addOptions({help, bundle, data, out});
    if (!parser.parse(arguments))
        return usageError(cmd, parser.errorText());
    if (parser.isSet(help))
        return helpText(parser, QStringLiteral("baton predict"), QStringLiteral("baton predict: score new data with an exported bundle."));
    if (auto rejected = rejectPositionals(parser, cmd, 0))
        return *rejected;
    Options options;
    options.command = Command::Predict;
    options.bundle = parser.value(bundle);
    options.data = parser.value(data);
    options.out = parser.value(out);
    if (options.bundle.isEmpty() || options.data.isEmpty() || options.out.isEmpty())
        return usageError(cmd, QStringLiteral("--bundle, --data and --out are all required"));
    return {options, {}, ExitCode::Success};
}

ParseResult parseProfile(const QStringList &arguments)
{
    const QString cmd = QStringLiteral("profile");
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("CSV file to profile."), QStringLiteral("PATH"));
    const QCommandLineOption target(QStringLiteral("target"), QStringLiteral("Target column."), QStringLiteral("COL"));
    parser.addOptions({help, data, target});
    if (!parser.parse(arguments))
        return usageError(cmd, parser.errorText());
    if (parser.isSet(help))
        return helpText(parser, QStringLiteral("baton profile"), QStringLiteral("baton profile: print a data profile as JSON."));
    if (auto rejected = rejectPositionals(parser, cmd, 0))
        return *rejected;
    Options options;
    options.command = Command::Profile;
    options.data = parser.value(data);
    options.target = parser.value(target);
    if (options.data.isEmpty())
        return usageError(cmd, QStringLiteral("--data PATH is required"));
    return {options, {}, ExitCode::Success};
}

ParseResult parseServe(const QStringList &arguments)
{
    const QString cmd = QStringLiteral("serve");
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port (default 8000)."), QStringLiteral("PORT"), QStringLiteral("8000"));
    const QCommandLineOption workspace(QStringLiteral("workspace"), QStringLiteral("Workspace folder holding the projects."), QStringLiteral("DIR"));
    const QCommandLineOption allowOrigin(QStringLiteral("allow-origin"), QStringLiteral("Also accept browser pages from this origin (e.g. https://lab.example:8443); repeatable. Local origins are always accepted."), QStringLiteral("ORIGIN"));
    parser.addOptions({help, host, port, workspace, allowOrigin});
    if (!parser.parse(arguments))
        return usageError(cmd, parser.errorText());
    if (parser.isSet(help))
        return helpText(parser, QStringLiteral("baton serve"), QStringLiteral("baton serve: the WebSocket + REST protocol server without a window."));
    if (auto rejected = rejectPositionals(parser, cmd, 0))
        return *rejected;
    Options options;
    options.command = Command::Serve;
    options.host = parser.value(host);
    bool ok = false;
    options.port = parser.value(port).toInt(&ok);
    if (!ok || options.port <= 0 || options.port > 65535)
        return usageError(cmd, QStringLiteral("--port must be 1-65535, not '%1'").arg(parser.value(port)));
    options.workspace = parser.value(workspace);
    options.allowedOrigins = parser.values(allowOrigin);
    return {options, {}, ExitCode::Success};
}

} // namespace

QString subcommandName(const QStringList &arguments)
{
    if (arguments.size() > 1 && kSubcommands.contains(arguments.at(1)))
        return arguments.at(1);
    return {};
}

ParseResult parse(const QStringList &arguments)
{
    const QString command = subcommandName(arguments);
    if (command.isEmpty())
        return parseGui(arguments);
    // QCommandLineParser treats arguments[0] as the program name: drop the subcommand.
    QStringList rest = arguments;
    rest.removeAt(1);
    if (command == QLatin1String("run"))
        return parseRun(rest);
    if (command == QLatin1String("predict"))
        return parsePredict(rest);
    if (command == QLatin1String("profile"))
        return parseProfile(rest);
    return parseServe(rest);
}

} // namespace baton::cli
