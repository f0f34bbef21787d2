#include "ExportStage.h"

#include "ExportBundle.h"
#include "ReportSchema.h"

#include "core/conductor/EventNames.h"
#include "core/ml/EnsembleModel.h"
#include "core/ml/XgbBooster.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/pipeline/stages/StageSupport.h"
#include "core/project/Assets.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <cmath>

namespace baton {

namespace {

constexpr double kTolerance = 1e-6; // the largest difference between in-app and bundle predictions
constexpr int kSampleRows = 200;

Result<QByteArray> readBytes(const QString &path, const char *hint)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Conflict, QStringLiteral("export.missing_file"),
                         QStringLiteral("Missing %1: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(hint)), path);
    return file.readAll();
}

// The header and the first `rows` data lines.
QByteArray headLines(const QByteArray &csv, int rows)
{
    qsizetype pos = 0;
    for (int line = 0; line <= rows && pos < csv.size(); ++line) {
        const qsizetype next = csv.indexOf('\n', pos);
        pos = next < 0 ? csv.size() : next + 1;
    }
    return csv.left(pos);
}

// The in-app predictions from test_predictions.csv (TrainStage's layout: row, target, prediction,
// p_<class>...): the last `width` fields of each line, read from the right so a target label
// holding commas cannot shift them.
Result<std::vector<double>> savedPredictions(const QByteArray &csv, int width)
{
    std::vector<double> out;
    const QList<QByteArray> lines = csv.split('\n');
    for (qsizetype l = 1; l < lines.size(); ++l) {
        QByteArray line = lines.at(l);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        std::vector<double> fields(static_cast<size_t>(width));
        qsizetype end = line.size();
        for (int f = width - 1; f >= 0; --f) {
            const qsizetype comma = line.lastIndexOf(',', end - 1);
            bool ok = false;
            fields[size_t(f)] = line.mid(comma + 1, end - comma - 1).toDouble(&ok);
            if (!ok || comma < 0)
                return makeError(ErrorKind::BadInput, QStringLiteral("export.bad_predictions"),
                                 QStringLiteral("test_predictions.csv line %1 is not readable").arg(l + 1));
            end = comma;
        }
        out.insert(out.end(), fields.begin(), fields.end());
    }
    return out;
}

QByteArray readme(const QString &projectId, const PreprocessSpec &spec, const json &finalMetrics,
                  const QString &zipName, bool refitted)
{
    QString columns;
    for (const ColumnRule &rule : spec.columns)
        columns += QStringLiteral("- `%1` (%2)\n").arg(rule.name, columnTypeName(rule.type));
    const json primary = finalMetrics.value("primary", json::object());
    const QString metric = primary.contains("value") && primary["value"].is_number()
        ? QStringLiteral("%1 %2").arg(stringField(primary, "name")).arg(primary["value"].get<double>(), 0, 'g', 6)
        : stringField(primary, "name");
    QString text = QStringLiteral(
        "# Baton export: %1\n\n"
        "A %2 model predicting `%3` (test %4), exported by Baton %5.\n\n"
        "## Contents\n\n"
        "- `model/`: `preprocess.json` (the preprocessing spec), `ensemble.json` (members and weights), "
        "`models/*.json` (XGBoost boosters in XGBoost's JSON format)%9\n"
        "- `manifest.json`: task, target, classes, the input schema, metrics and the SHA-256 of every file\n"
        "- `report.html`, `report.md`, `report.json`: the report (schema: `report.schema.json`); `notebook.ipynb`: reproduces the metrics in Python\n"
        "- `data/split.json`: the training/test rows; `test_predictions_sample.csv`: the first test predictions\n\n"
        "## Input columns\n\n%6\n"
        "Other columns are ignored. Unseen categories are handled as in training (missing for trees, "
        "\"other\" for linear models).\n\n"
        "## Use from Baton\n\n"
        "```\nbaton predict --bundle %7 --data new_rows.csv --out predictions.csv\n```\n\n"
        "`baton predict` checks every checksum in `manifest.json` first (a modified bundle is refused) and "
        "then the columns of the CSV. The output has `row`, `prediction`%8.\n\n"
        "## Use from Python\n\n"
        "Unzip the bundle and open `notebook.ipynb` (pandas, numpy, xgboost, scikit-learn): it applies "
        "`model/preprocess.json` exactly as Baton does, loads each booster with "
        "`xgboost.Booster(model_file=...)`, averages the members by weight and recomputes the test metrics. "
        "Its `tree_features` / `linear_features` functions work on any DataFrame holding the input columns.\n")
        .arg(projectId, spec.classification ? QStringLiteral("classification") : QStringLiteral("regression"),
             spec.target, metric, QStringLiteral(BATON_VERSION), columns, zipName,
             spec.classification ? QStringLiteral(" (the class) and one `p_<class>` probability per class") : QString(),
             refitted ? QStringLiteral("; fitted on every labelled row (training and test) after the evaluation\n"
                                       "- `model/evaluated/`: the same ensemble fitted on the training rows only, the "
                                       "one the test metrics belong to (the notebook scores it); both use "
                                       "`preprocess.json`, fitted on the training rows")
                      : QString());
    return text.toUtf8();
}

} // namespace

ExportStage::ExportStage(std::shared_ptr<DatasetCache> cache)
    : m_cache(std::move(cache))
{}

StageOutcome ExportStage::run(StageContext &context)
{
    const json &project = context.projectContext();
    const QString projectId = context.projectId();
    const QString assetsDir = QFileInfo(stage::assetPath(context, QString())).absoluteFilePath();
    auto asset = [&](const char *relative) { return stage::assetPath(context, QString::fromUtf8(relative)); };
    auto progress = [&context](int pct, const QString &message) {
        context.emitEvent(events::ExportProgress, {{"pct", pct}, {"message", toStd(message)}});
    };

    progress(0, QStringLiteral("Collecting the model and the report"));
    auto specBytes = readBytes(asset("model/preprocess.json"), "run TRAIN first");
    if (!specBytes)
        return StageOutcome::failed(specBytes.error());
    auto specJson = parseJson(specBytes.value(), QStringLiteral("model/preprocess.json"));
    if (!specJson)
        return StageOutcome::failed(specJson.error());
    auto spec = PreprocessSpec::fromJson(specJson.value());
    if (!spec)
        return StageOutcome::failed(spec.error());
    auto ensembleBytes = readBytes(asset("model/ensemble.json"), "run TRAIN first");
    if (!ensembleBytes)
        return StageOutcome::failed(ensembleBytes.error());
    auto ensemble = parseJson(ensembleBytes.value(), QStringLiteral("model/ensemble.json"));
    if (!ensemble)
        return StageOutcome::failed(ensemble.error());
    auto splitBytes = readBytes(asset("data/split.json"), "run PREPROCESS first");
    if (!splitBytes)
        return StageOutcome::failed(splitBytes.error());
    auto split = parseJson(splitBytes.value(), QStringLiteral("data/split.json"));
    if (!split)
        return StageOutcome::failed(split.error());

    std::vector<BundleEntry> entries;
    json members = json::array();
    // every file of a model folder: its spec, its member list and each member's booster
    auto addModelFolder = [&](const QString &folder, const json &memberList) {
        for (const char *name : {"preprocess.json", "ensemble.json"}) {
            const QString rel = folder + QLatin1Char('/') + QLatin1String(name);
            entries.push_back({rel, stage::assetPath(context, rel), {}});
        }
        for (const json &m : memberList.value("members", json::array())) {
            const QString rel = folder + QLatin1Char('/') + stringField(m, "file");
            entries.push_back({rel, stage::assetPath(context, rel), {}});
            if (folder == QLatin1String("model"))
                members.push_back({{"run_id", m.value("run_id", "")}, {"family", m.value("family", "")},
                                   {"weight", m.value("weight", 0.0)}, {"file", toStd(rel)}});
        }
    };
    addModelFolder(QStringLiteral("model"), ensemble.value());
    // a model refitted on every labelled row: the test figures belong to the one fitted on the
    // training rows, which travels with it so they stay reproducible
    const QString evaluatedFolder = stage::evaluatedModelFolder();
    const bool refitted = stage::hasEvaluatedModel(context);
    if (refitted) {
        auto evaluatedEnsemble = readJsonFile(stage::assetPath(context, evaluatedFolder + QStringLiteral("/ensemble.json")),
                                              ErrorKind::Conflict, QStringLiteral("export.missing_file"),
                                              QStringLiteral("run TRAIN again"));
        if (!evaluatedEnsemble)
            return StageOutcome::failed(evaluatedEnsemble.error());
        addModelFolder(evaluatedFolder, evaluatedEnsemble.value());
    }
    entries.push_back({QStringLiteral("data/split.json"), asset("data/split.json"), {}});
    for (const char *name : {"report.json", "report.md", "report.html", "notebook.ipynb"}) {
        const QString path = stage::assetPath(context, QStringLiteral("report/") + QString::fromUtf8(name));
        if (!QFileInfo::exists(path))
            return stage::fail(ErrorKind::Conflict, "export.no_report",
                               QStringLiteral("The report is missing (%1): run REVIEW_EDIT first").arg(QString::fromUtf8(name)));
        entries.push_back({QString::fromUtf8(name), path, {}});
    }
    entries.push_back({QStringLiteral("report.schema.json"), {}, reportSchemaBytes()});
    const QString predictionsPath = asset("model/test_predictions.csv");
    QByteArray predictionsCsv;
    if (QFile file(predictionsPath); file.open(QIODevice::ReadOnly)) {
        predictionsCsv = file.readAll();
        entries.push_back({QStringLiteral("test_predictions_sample.csv"), {}, headLines(predictionsCsv, kSampleRows)});
    }

    const QString timestamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd_HHmmss"));
    const QString zipName = QStringLiteral("%1_export_%2.zip").arg(projectId, timestamp);
    entries.push_back({QStringLiteral("README.md"), {}, readme(projectId, spec.value(), project.value(ctx::FinalMetrics, json::object()), zipName, refitted)});

    const json finalMetrics = project.value(ctx::FinalMetrics, json::object());
    const json &dataset = project.value(ctx::Dataset, json::object());
    json manifestBase = {
        {"created_at", toStd(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))},
        {"project_id", toStd(projectId)},
        {"baton_version", BATON_VERSION},
        {"xgboost_version", toStd(xgboostVersion())},
        {"task", spec->classification ? "classification" : "regression"},
        {"target", toStd(spec->target)},
        {"classes", specJson->value("classes", json::array())},
        {"target_transform", specJson->value("target_transform", "none")},
        {"features", featureSchema(spec.value())},
        {"metrics", {{"split", "test"},
                     {"primary", finalMetrics.value("primary", json::object())},
                     {"values", finalMetrics.value("values", json::object())}}},
        {"model", {{"format", "xgboost-json"}, {"members", members}, {"folder", "model"},
                   {"evaluated_folder", refitted ? json(toStd(evaluatedFolder)) : json(nullptr)}}},
        {"data", {{"name", dataset.value("name", "")}, {"sha256", dataset.value("sha256", "")},
                  {"rows", dataset.value("rows", json(nullptr))}}},
        {"seed", stage::seedFrom(project)},
    };

    const QString outputDir = stringField(project, ctx::OutputDir).isEmpty()
        ? QDir(assetsDir).filePath(QStringLiteral("export"))
        : QFileInfo(stringField(project, ctx::OutputDir)).absoluteFilePath();
    const QString zipPath = QDir(outputDir).filePath(zipName);
    auto written = writeBundle(zipPath, entries, manifestBase, progress);
    if (!written)
        return StageOutcome::failed(written.error());
    if (context.isCancelled()) {
        QFile::remove(zipPath);
        return stage::fail(ErrorKind::Cancelled, "export.cancelled", QStringLiteral("Cancelled"));
    }

    // Verification: the bundle as a user receives it must reproduce the in-app predictions.
    progress(85, QStringLiteral("Verifying the bundle: checksums, model, test predictions"));
    auto refuse = [&](const QString &reason) {
        QFile::remove(zipPath); // never leave an unverified bundle where users would pick it up
        return stage::fail(ErrorKind::Internal, "export.verification_failed",
                           QStringLiteral("Export verification failed: %1").arg(reason));
    };
    auto opened = openBundle(zipPath);
    if (!opened)
        return refuse(opened.error().toString());
    auto table = m_cache->load(stringField(project, ctx::DataPath));
    if (!table)
        return refuse(table.error().toString());
    const auto testRows = split->value("test_rows", std::vector<int64_t>{});
    for (int64_t r : testRows) {
        if (r < 0 || r >= table.value()->rowCount())
            return refuse(QStringLiteral("the saved split does not fit the data any more"));
    }
    const int threads = std::max(1, QThread::idealThreadCount());
    const int width = spec->classification ? int(spec->classes.size()) : 1;
    // What a model folder predicts for the test rows, as the flat list test_predictions.csv holds.
    auto predictTestRows = [&](const QString &folder) -> Result<std::vector<double>> {
        auto model = EnsembleModel::load(folder);
        if (!model)
            return model.error();
        auto predicted = model->predict(*table.value(), threads, &testRows);
        if (!predicted)
            return predicted.error();
        return spec->classification ? predicted->probabilities : predicted->values;
    };
    double worst = 0;
    auto compare = [&](const std::vector<double> &actual, const std::vector<double> &expected,
                       const QString &what) -> std::optional<QString> {
        if (expected.size() != actual.size())
            return QStringLiteral("%1: the bundle scored %2 values, the app %3").arg(what).arg(actual.size()).arg(expected.size());
        for (size_t i = 0; i < actual.size(); ++i) {
            const double diff = std::abs(actual[i] - expected[i]);
            if (!(diff <= kTolerance)) // also catches NaN
                return QStringLiteral("%1, test row %2: the bundle predicts %3, the app %4 (difference %5 > %6)")
                    .arg(what)
                    .arg(testRows[i / size_t(width)])
                    .arg(actual[i], 0, 'g', 17)
                    .arg(expected[i], 0, 'g', 17)
                    .arg(diff, 0, 'g', 3)
                    .arg(kTolerance);
            worst = std::max(worst, diff);
        }
        return std::nullopt;
    };
    // 1. the model the test figures belong to reproduces the test predictions Baton saved
    const QString scoredFolder = refitted ? evaluatedFolder : QStringLiteral("model");
    auto rescored = predictTestRows(opened->filePath(scoredFolder));
    if (!rescored)
        return refuse(rescored.error().toString());
    std::vector<double> expected;
    if (!predictionsCsv.isEmpty()) {
        auto saved = savedPredictions(predictionsCsv, width);
        if (!saved)
            return refuse(saved.error().toString());
        expected = std::move(saved).value();
    } else {
        // no saved predictions: the in-app model folder is the reference
        auto inApp = predictTestRows(stage::assetPath(context, scoredFolder));
        if (!inApp)
            return refuse(inApp.error().toString());
        expected = std::move(inApp).value();
    }
    if (auto mismatch = compare(rescored.value(), expected, scoredFolder))
        return refuse(*mismatch);
    // 2. the refitted model, the one `baton predict` uses, predicts as it does in the app
    if (refitted) {
        auto bundled = predictTestRows(opened->filePath(QStringLiteral("model")));
        if (!bundled)
            return refuse(bundled.error().toString());
        auto inApp = predictTestRows(asset("model"));
        if (!inApp)
            return refuse(inApp.error().toString());
        if (auto mismatch = compare(bundled.value(), inApp.value(), QStringLiteral("model")))
            return refuse(*mismatch);
    }
    auto checksum = sha256OfFile(zipPath);
    if (!checksum)
        return StageOutcome::failed(checksum.error());
    progress(100, QStringLiteral("Bundle verified: %1 test rows reproduced").arg(testRows.size()));

    const QString absoluteZip = QFileInfo(zipPath).absoluteFilePath();
    const QString assetsPrefix = QDir(assetsDir).absolutePath() + QLatin1Char('/');
    const bool inAssets = absoluteZip.startsWith(assetsPrefix);
    const QString relative = inAssets ? absoluteZip.mid(assetsPrefix.size()) : QString();
    const QString url = inAssets ? assetUrl(projectId, relative) : absoluteZip;
    json contents = json::array();
    for (const QString &c : written->contents)
        contents.push_back(toStd(c));
    const double sizeMb = std::round(double(written->sizeBytes) / (1024.0 * 1024.0) * 1000.0) / 1000.0;
    context.emitEvent(events::ExportReady,
                      {{"asset_url", toStd(url)},
                       {"contents", contents},
                       {"checksum", toStd(checksum.value())},
                       {"verified", {{"rows", testRows.size()}, {"max_abs_difference", worst}, {"tolerance", kTolerance}}},
                       {"export", {{"download_url", toStd(url)},
                                   {"zip_filename", toStd(zipName)},
                                   {"files", {{"manifest", "manifest.json"},
                                              {"model", "model/ensemble.json"},
                                              {"preprocess", "model/preprocess.json"},
                                              {"notebook", "notebook.ipynb"},
                                              {"report", "report.html"},
                                              {"report_md", "report.md"},
                                              {"report_json", "report.json"},
                                              {"instructions", "README.md"}}},
                                   {"size_mb", sizeMb},
                                   {"timestamp", toStd(timestamp)},
                                   {"zip_path", toStd(absoluteZip)}}}});
    if (inAssets)
        stage::announceArtifact(context, QStringLiteral("export_bundle"), QStringLiteral("bundle"),
                                zipName, relative, {{"sha256", toStd(checksum.value())}});

    const QString summary = QStringLiteral("Export bundle ready: %1 (%2 files, %3 MB). Verified: the bundle "
                                           "reproduces all %4 test predictions (max difference %5).")
                                .arg(absoluteZip)
                                .arg(written->contents.size())
                                .arg(sizeMb)
                                .arg(testRows.size())
                                .arg(worst, 0, 'g', 3);
    return StageOutcome::waiting(summary, {QStringLiteral("Confirm to finish")},
                                 {{ctx::BundlePath, toStd(absoluteZip)},
                                  {"bundle", {{"checksum", toStd(checksum.value())}, {"files", contents}}}});
}

} // namespace baton
