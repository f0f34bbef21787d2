// REVIEW_EDIT and EXPORT end to end: real pipelines (regression and classification) through the
// Conductor, then the bundle is used the way a user would: `baton predict`, a tampered copy, a CSV
// with a missing column, the report's schema and the notebook executed headless.

#include "TestSupport.h"

#include "core/common/Json.h"
#include "core/conductor/Conductor.h"
#include "core/data/CsvReader.h"
#include "core/ml/EnsembleModel.h"
#include "core/pipeline/ProjectSession.h"
#include "core/project/Workspace.h"
#include "core/review/ReportSchema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <quazip/JlCompress.h>

#include <map>

using namespace baton;

namespace {

struct RunResult
{
    QString projectDir;
    QString dataPath;
    json context;
    std::vector<Event> events;
};

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

json readJson(const QString &path)
{
    auto parsed = parseJson(readAll(path), path);
    return parsed ? parsed.value() : json();
}

const Event *lastNamed(const std::vector<Event> &events, const char *name)
{
    const Event *found = nullptr;
    for (const Event &e : events) {
        if (e.name == QLatin1String(name))
            found = &e;
    }
    return found;
}

// Data lines (header kept) of the given 0-based rows: the test datasets have no quoted newlines.
QByteArray csvRows(const QString &path, const std::vector<int64_t> &rows)
{
    const QList<QByteArray> lines = readAll(path).split('\n');
    QByteArray out = lines.value(0) + '\n';
    for (int64_t r : rows)
        out += lines.value(qsizetype(r) + 1) + '\n';
    return out;
}

struct Csv
{
    QList<QByteArray> header;
    QList<QList<QByteArray>> rows;
    int column(const QByteArray &name) const { return int(header.indexOf(name)); }
};

Csv parseSimpleCsv(const QByteArray &bytes)
{
    Csv csv;
    const QList<QByteArray> lines = bytes.split('\n');
    csv.header = lines.value(0).trimmed().split(',');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!lines.at(i).trimmed().isEmpty())
            csv.rows << lines.at(i).trimmed().split(',');
    }
    return csv;
}

struct Process
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Process run(const QString &program, const QStringList &arguments, int timeoutMs = 120000)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OMP_WAIT_POLICY"), QStringLiteral("PASSIVE"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    Process result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

Process predict(const QString &bundle, const QString &data, const QString &out)
{
    return run(QStringLiteral(BATON_EXECUTABLE),
               {QStringLiteral("predict"), QStringLiteral("--bundle"), bundle, QStringLiteral("--data"), data,
                QStringLiteral("--out"), out});
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Offset of an entry's data inside a zip (from its local file header), or -1.
qsizetype zipEntryData(const QByteArray &zip, const QByteArray &name)
{
    auto u16 = [&](qsizetype at) { return int(uchar(zip[at])) | (int(uchar(zip[at + 1])) << 8); };
    for (qsizetype pos = zip.indexOf("PK\x03\x04"); pos >= 0; pos = zip.indexOf("PK\x03\x04", pos + 4)) {
        const int nameLength = u16(pos + 26);
        const int extraLength = u16(pos + 28);
        if (zip.mid(pos + 30, nameLength) == name)
            return pos + 30 + nameLength + extraLength;
    }
    return -1;
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void stageEvents_data() { rows(); }
    void stageEvents();
    void reportSchema_data() { rows(); }
    void reportSchema();
    void notebookIsNbformat4_data() { rows(); }
    void notebookIsNbformat4();
    void predictReproducesInApp_data() { rows(); }
    void predictReproducesInApp();
    void tamperedBundleRefused_data() { rows(); }
    void tamperedBundleRefused();
    void schemaMismatchRefused_data() { rows(); }
    void schemaMismatchRefused();
    void notebookExecutes_data();
    void notebookExecutes();

private:
    void rows()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("regression") << QStringLiteral("regression");
        QTest::newRow("classification") << QStringLiteral("classification");
        QTest::newRow("target_encoded") << QStringLiteral("target_encoded");
    }
    void runPipeline(const QString &name, const QString &data, const QString &prompt, json decisions);
    QString bundlePath(const QString &name) const { return stringFieldOf(m_runs.at(name).context, "bundle_path"); }
    static QString stringFieldOf(const json &object, const char *key) { return stringField(object, key); }

    QTemporaryDir m_tmp;
    std::map<QString, RunResult> m_runs;
};

void TestExport::runPipeline(const QString &name, const QString &data, const QString &prompt, json decisions)
{
    Workspace workspace(m_tmp.filePath(QStringLiteral("workspace")));
    auto id = workspace.createProject(prompt);
    QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().toString()));
    auto session = ProjectSession::open(workspace, id.value());
    QVERIFY2(session.ok(), session.ok() ? "" : qPrintable(session.error().toString()));
    Conductor &conductor = session.value()->conductor();
    test::EventRecorder recorder(&conductor);

    decisions["data_path"] = toStd(data);
    decisions["output_dir"] = toStd(m_tmp.filePath(QStringLiteral("out-") + name));
    conductor.startPipeline(prompt, decisions);
    for (StageId stage : kAllStages) {
        QTRY_VERIFY_WITH_TIMEOUT(conductor.state().at(stage).status == StageStatus::WaitingConfirmation
                                     || conductor.state().at(stage).status == StageStatus::Failed
                                     || conductor.state().at(stage).status == StageStatus::Completed,
                                 300000);
        const StageState &state = conductor.state().at(stage);
        QVERIFY2(state.status != StageStatus::Failed,
                 qPrintable(QStringLiteral("%1 failed: %2").arg(stageName(stage), state.message.value_or(QString()))));
        if (state.status == StageStatus::WaitingConfirmation) {
            const ConfirmResult confirmed = conductor.confirm();
            QVERIFY2(confirmed.accepted, qPrintable(confirmed.error));
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(conductor.state().at(StageId::Export).status, StageStatus::Completed, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!conductor.isBusy(), 60000);
    conductor.flushEvents();
    m_runs[name] = {conductor.projectDir(), data, conductor.context(), recorder.events};
}

void TestExport::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_tmp.isValid());
    QVERIFY(QFileInfo(QStringLiteral(BATON_EXECUTABLE)).isExecutable());
    const QString dataDir = QStringLiteral(BATON_TEST_DATA_DIR);
    const json common = {{"time_budget_s", 5}, {"max_models", 2}, {"seed", 1}};
    json regression = common;
    regression["target"] = "target";
    runPipeline(QStringLiteral("regression"), dataDir + QStringLiteral("/diabetes.csv"),
                QStringLiteral("predict diabetes progression"), regression);
    if (QTest::currentTestFailed())
        return;
    json classification = common;
    classification["target"] = "target";
    classification["task"] = "classification";
    runPipeline(QStringLiteral("classification"), dataDir + QStringLiteral("/iris.csv"),
                QStringLiteral("classify the target"), classification);
    if (QTest::currentTestFailed())
        return;

    // a high-cardinality text column (90 shops) that PREPROCESS target-encodes; the notebook,
    // the bundle and `baton predict` must all apply the same encoding
    QByteArray csv = "x,shop,amount\n";
    for (int i = 0; i < 450; ++i) {
        const int shop = (i * 7) % 90;
        csv += QByteArray::number((i % 13) * 0.5) + ",shop-" + QByteArray::number(shop) + ','
               + QByteArray::number(10 + shop % 17 + (i % 13) * 0.3 + (i % 5) * 0.1) + '\n';
    }
    const QString encodedData = m_tmp.filePath(QStringLiteral("shops.csv"));
    QVERIFY(writeFile(encodedData, csv));
    json encoded = common;
    encoded["target"] = "amount";
    runPipeline(QStringLiteral("target_encoded"), encodedData, QStringLiteral("predict the amount"), encoded);
    const json spec = readJson(m_runs.at(QStringLiteral("target_encoded")).projectDir
                               + QStringLiteral("/assets/model/preprocess.json"));
    QCOMPARE(spec["columns"][1]["role"].get<std::string>(), std::string("target_encoded"));
}

void TestExport::stageEvents()
{
    QFETCH(QString, name);
    const RunResult &r = m_runs.at(name);
    const Event *report = lastNamed(r.events, events::ReportReady);
    QVERIFY(report);
    for (const char *key : {"asset_url", "html_url", "md_url"})
        QVERIFY2(stringField(report->payload, key).startsWith(QLatin1String("/api/assets/projects/")), key);
    const Event *notebook = lastNamed(r.events, events::NotebookReady);
    QVERIFY(notebook);
    QVERIFY(stringField(notebook->payload, "asset_url").endsWith(QLatin1String("report/notebook.ipynb")));

    const Event *progress = lastNamed(r.events, events::ExportProgress);
    QVERIFY(progress);
    QCOMPARE(progress->payload.value("pct", -1), 100);
    const Event *ready = lastNamed(r.events, events::ExportReady);
    QVERIFY(ready);
    const json &p = ready->payload;
    QCOMPARE(stringField(p, "checksum").size(), 64);
    QVERIFY(p["contents"].is_array());
    QStringList contents;
    for (const json &c : p["contents"])
        contents << fromStd(c.get<std::string>());
    for (const char *file : {"manifest.json", "model/preprocess.json", "model/ensemble.json", "report.html",
                             "report.md", "report.json", "report.schema.json", "notebook.ipynb", "README.md", "test_predictions_sample.csv"})
        QVERIFY2(contents.contains(QString::fromUtf8(file)), file);
    const json &exp = p["export"];
    for (const char *key : {"download_url", "zip_filename", "files", "size_mb", "timestamp", "zip_path"})
        QVERIFY2(exp.contains(key), key);
    const QString zip = stringField(exp, "zip_path");
    QCOMPARE(zip, bundlePath(name));
    QVERIFY(QFileInfo(zip).isFile());
    QCOMPARE(QFileInfo(zip).absolutePath(), QDir(m_tmp.filePath(QStringLiteral("out-") + name)).absolutePath());
    QVERIFY(stringField(exp, "zip_filename").contains(QLatin1String("_export_")));
    QVERIFY(stringField(exp, "zip_filename").endsWith(QLatin1String(".zip")));
}

void TestExport::reportSchema()
{
    QFETCH(QString, name);
    const RunResult &r = m_runs.at(name);
    const QString dir = r.projectDir + QStringLiteral("/assets/report/");
    const json report = readJson(dir + QStringLiteral("report.json"));
    QVERIFY(report.is_object());
    const QStringList violations = reportSchemaViolations(report);
    QVERIFY2(violations.isEmpty(), qPrintable(violations.join(QLatin1Char('\n'))));
    QCOMPARE(stringField(report, "format"), QStringLiteral("baton.report"));
    QCOMPARE(report.value("version", 0), 1);
    for (const char *key : {"goal", "intent", "task", "data", "preprocessing", "leaderboard", "metrics",
                            "evaluation_artifacts", "narrative", "reproducibility"})
        QVERIFY2(report.contains(key), key);
    QVERIFY(report["data"]["warnings"].is_array());
    QVERIFY(report["preprocessing"]["steps"].is_array() && !report["preprocessing"]["steps"].empty());
    QVERIFY(report["leaderboard"].is_array() && !report["leaderboard"].empty());
    QVERIFY(report["narrative"].is_array() && report["narrative"].size() >= 3);
    QVERIFY(report["metrics"]["test"] == r.context["final_metrics"]["values"]);
    const json &rep = report["reproducibility"];
    QCOMPARE(stringField(rep, "baton_version"), QStringLiteral(BATON_VERSION));
    QCOMPARE(rep.value("seed", -1), 1);
    QVERIFY(!stringField(rep, "xgboost_version").isEmpty());
    QCOMPARE(stringField(rep, "qt_version"), QString::fromLatin1(qVersion()));
    QCOMPARE(stringField(rep, "data_sha256"), stringField(r.context["dataset"], "sha256"));
    QCOMPARE(stringField(rep, "data_sha256").size(), 64);
    // the narrative quotes the run's own headline number
    const double primary = report["metrics"]["primary"]["value"].get<double>();
    QVERIFY(fromStd(report["narrative"].dump()).contains(QString::number(primary, 'g', 6)));

    const QByteArray html = readAll(dir + QStringLiteral("report.html"));
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    QVERIFY(html.contains("<style>"));
    QVERIFY2(html.contains("src=\"data:image/png;base64,"), "charts are embedded");
    QVERIFY(!html.contains("src=\"http") && !html.contains("<link"));
    QVERIFY(readAll(dir + QStringLiteral("report.md")).startsWith("# Baton report"));
}

void TestExport::notebookIsNbformat4()
{
    QFETCH(QString, name);
    const json nb = readJson(m_runs.at(name).projectDir + QStringLiteral("/assets/report/notebook.ipynb"));
    QVERIFY(nb.is_object());
    QCOMPARE(nb.value("nbformat", 0), 4);
    QVERIFY(nb.value("nbformat_minor", -1) >= 0);
    QCOMPARE(stringField(nb["metadata"]["kernelspec"], "language"), QStringLiteral("python"));
    QVERIFY(nb["cells"].is_array() && nb["cells"].size() >= 8);
    int code = 0, markdown = 0;
    for (const json &cell : nb["cells"]) {
        QVERIFY(cell["source"].is_array());
        for (const json &line : cell["source"])
            QVERIFY(line.is_string());
        QVERIFY(cell.contains("id") && cell["metadata"].is_object());
        if (stringField(cell, "cell_type") == QLatin1String("code")) {
            ++code;
            QVERIFY(cell["outputs"].is_array() && cell["execution_count"].is_null());
        } else {
            QCOMPARE(stringField(cell, "cell_type"), QStringLiteral("markdown"));
            ++markdown;
        }
    }
    QVERIFY(code >= 5 && markdown >= 4);
}

void TestExport::predictReproducesInApp()
{
    QFETCH(QString, name);
    const RunResult &r = m_runs.at(name);
    const json split = readJson(r.projectDir + QStringLiteral("/assets/data/split.json"));
    const auto testRows = split.value("test_rows", std::vector<int64_t>{});
    QVERIFY(!testRows.empty());
    const QString input = m_tmp.filePath(name + QStringLiteral("-test-rows.csv"));
    QVERIFY(writeFile(input, csvRows(r.dataPath, testRows)));
    const QString output = m_tmp.filePath(name + QStringLiteral("-predicted.csv"));
    const Process p = predict(bundlePath(name), input, output);
    QVERIFY2(p.exitCode == 0, p.err.constData());

    // `baton predict` uses the exported model, refitted on every labelled row after the evaluation:
    // it must predict what that model predicts in the app
    auto table = readCsv(r.dataPath);
    QVERIFY(table.ok());
    auto inApp = EnsembleModel::load(r.projectDir + QStringLiteral("/assets/model"));
    QVERIFY(inApp.ok());
    auto expected = inApp->predict(table.value(), 2, &testRows);
    QVERIFY(expected.ok());
    const Csv mine = parseSimpleCsv(readAll(output));
    QCOMPARE(mine.rows.size(), qsizetype(testRows.size()));
    const bool classification = expected->classification;
    const QStringList classes = inApp->spec().classes;
    double worst = 0;
    for (qsizetype i = 0; i < mine.rows.size(); ++i) {
        auto value = [&](const QByteArray &column) {
            bool ok = false;
            const double v = mine.rows[i].value(mine.column(column)).toDouble(&ok);
            return ok ? v : std::numeric_limits<double>::quiet_NaN();
        };
        if (classification) {
            QCOMPARE(QString::fromUtf8(mine.rows[i].value(mine.column("prediction"))),
                     classes.at(expected->predictedClass()[size_t(i)]));
            for (int c = 0; c < classes.size(); ++c) {
                const double p = expected->probabilities[size_t(i) * size_t(classes.size()) + size_t(c)];
                worst = std::max(worst, std::abs(value("p_" + classes.at(c).toUtf8()) - p));
            }
        } else {
            worst = std::max(worst, std::abs(value("prediction") - expected->values[size_t(i)]));
        }
    }
    QVERIFY2(worst <= 1e-6, qPrintable(QStringLiteral("max difference %1").arg(worst)));

    // the held-out predictions (and so every test figure) are those of the model fitted on the
    // training rows only, kept beside the exported one
    QVERIFY(r.context["model"]["refitted_on_all_rows"].get<bool>());
    QCOMPARE(r.context["model"]["fitted_rows"].get<size_t>(),
             split["train_rows"].size() + split["test_rows"].size());
    auto evaluated = EnsembleModel::load(r.projectDir + QStringLiteral("/assets/model/evaluated"));
    QVERIFY(evaluated.ok());
    auto scored = evaluated->predict(table.value(), 2, &testRows);
    QVERIFY(scored.ok());
    const Csv app = parseSimpleCsv(readAll(r.projectDir + QStringLiteral("/assets/model/test_predictions.csv")));
    QCOMPARE(app.rows.size(), mine.rows.size());
    worst = 0;
    const int width = classification ? int(classes.size()) : 1;
    for (qsizetype i = 0; i < app.rows.size(); ++i) {
        for (int c = 0; c < width; ++c) {
            const QByteArray column = classification ? "p_" + classes.at(c).toUtf8() : QByteArray("prediction");
            const double saved = app.rows[i].value(app.column(column)).toDouble();
            const std::vector<double> &values = classification ? scored->probabilities : scored->values;
            worst = std::max(worst, std::abs(saved - values[size_t(i) * size_t(width) + size_t(c)]));
        }
    }
    QVERIFY2(worst <= 1e-6, qPrintable(QStringLiteral("held-out predictions: max difference %1").arg(worst)));
}

void TestExport::tamperedBundleRefused()
{
    QFETCH(QString, name);
    const QString original = bundlePath(name);
    const QString input = m_tmp.filePath(name + QStringLiteral("-test-rows.csv"));
    QVERIFY(writeFile(input, csvRows(m_runs.at(name).dataPath, {0, 1, 2})));

    // one changed byte inside a compressed entry: the zip's CRC (or inflate) catches it
    QByteArray zip = readAll(original);
    const qsizetype data = zipEntryData(zip, "model/ensemble.json");
    QVERIFY(data > 0);
    zip[data + 20] = char(zip[data + 20] ^ 0x01);
    const QString flipped = m_tmp.filePath(name + QStringLiteral("-flipped.zip"));
    QVERIFY(writeFile(flipped, zip));
    Process p = predict(flipped, input, m_tmp.filePath(name + QStringLiteral("-never.csv")));
    QCOMPARE(p.exitCode, 3);
    QVERIFY2(p.err.contains("model/ensemble.json"), p.err.constData());
    QVERIFY(!QFileInfo::exists(m_tmp.filePath(name + QStringLiteral("-never.csv"))));

    // a valid zip whose model file was edited: the manifest's SHA-256 catches it
    const QString unpacked = m_tmp.filePath(name + QStringLiteral("-unpacked"));
    QVERIFY(!JlCompress::extractDir(original, unpacked).isEmpty());
    const QString preprocess = unpacked + QStringLiteral("/model/preprocess.json");
    QByteArray spec = readAll(preprocess);
    QVERIFY(!spec.isEmpty());
    spec.replace("\"median\"", "\"median\" ");
    QVERIFY(writeFile(preprocess, spec));
    const QString edited = m_tmp.filePath(name + QStringLiteral("-edited.zip"));
    QVERIFY(JlCompress::compressDir(edited, unpacked));
    p = predict(edited, input, m_tmp.filePath(name + QStringLiteral("-never.csv")));
    QCOMPARE(p.exitCode, 3);
    QVERIFY2(p.err.contains("Checksum mismatch") && p.err.contains("model/preprocess.json"), p.err.constData());

    // the untouched bundle still works
    p = predict(original, input, m_tmp.filePath(name + QStringLiteral("-ok.csv")));
    QVERIFY2(p.exitCode == 0, p.err.constData());
}

void TestExport::schemaMismatchRefused()
{
    QFETCH(QString, name);
    const RunResult &r = m_runs.at(name);
    const json spec = readJson(r.projectDir + QStringLiteral("/assets/model/preprocess.json"));
    const QByteArray dropped = QByteArray::fromStdString(spec["columns"][0]["name"].get<std::string>());
    const Csv data = parseSimpleCsv(csvRows(r.dataPath, {0, 1, 2, 3}));
    const int dropIndex = data.column(dropped);
    QVERIFY(dropIndex >= 0);

    auto rebuild = [&](const std::function<QByteArray(int row, int column, const QByteArray &cell)> &cell, bool dropColumn) {
        QByteArray out;
        QList<QByteArray> header = data.header;
        if (dropColumn)
            header.removeAt(dropIndex);
        out += header.join(',') + '\n';
        for (int i = 0; i < data.rows.size(); ++i) {
            QList<QByteArray> fields;
            for (int c = 0; c < data.rows[i].size(); ++c) {
                if (!(dropColumn && c == dropIndex))
                    fields << cell(i, c, data.rows[i][c]);
            }
            out += fields.join(',') + '\n';
        }
        return out;
    };

    const QString missing = m_tmp.filePath(name + QStringLiteral("-missing-column.csv"));
    QVERIFY(writeFile(missing, rebuild([](int, int, const QByteArray &v) { return v; }, true)));
    Process p = predict(bundlePath(name), missing, m_tmp.filePath(name + QStringLiteral("-never.csv")));
    QCOMPARE(p.exitCode, 3);
    QVERIFY2(p.err.contains("“" + dropped + "”"), p.err.constData());

    // a word in a numeric column: refused, naming the column and the row
    const QString wrongType = m_tmp.filePath(name + QStringLiteral("-wrong-type.csv"));
    QVERIFY(writeFile(wrongType, rebuild([&](int row, int column, const QByteArray &v) {
                          return row == 2 && column == dropIndex ? QByteArray("oops") : v;
                      }, false)));
    p = predict(bundlePath(name), wrongType, m_tmp.filePath(name + QStringLiteral("-never.csv")));
    QCOMPARE(p.exitCode, 3);
    QVERIFY2(p.err.contains(dropped) && p.err.contains("row 3") && p.err.contains("oops"), p.err.constData());
}

void TestExport::notebookExecutes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("fromBundle");
    QTest::newRow("regression, project") << QStringLiteral("regression") << false;
    QTest::newRow("regression, bundle") << QStringLiteral("regression") << true;
    QTest::newRow("classification, project") << QStringLiteral("classification") << false;
    QTest::newRow("classification, bundle") << QStringLiteral("classification") << true;
    QTest::newRow("target_encoded, bundle") << QStringLiteral("target_encoded") << true;
}

void TestExport::notebookExecutes()
{
    QFETCH(QString, name);
    QFETCH(bool, fromBundle);
    const QString jupyter = QStandardPaths::findExecutable(QStringLiteral("jupyter"));
    if (jupyter.isEmpty() || run(jupyter, {QStringLiteral("nbconvert"), QStringLiteral("--version")}).exitCode != 0)
        QSKIP("jupyter nbconvert is not installed (Debian: jupyter-nbconvert python3-ipykernel)");
    bool pythonReady = false;
    for (const QString &python : {QStringLiteral("/usr/bin/python3"), QStandardPaths::findExecutable(QStringLiteral("python3"))}) {
        if (!python.isEmpty()
            && run(python, {QStringLiteral("-c"), QStringLiteral("import xgboost, sklearn, pandas, numpy")}).exitCode == 0)
            pythonReady = true;
    }
    if (!pythonReady)
        QSKIP("python3-xgboost, python3-sklearn or python3-pandas is not installed");

    const RunResult &r = m_runs.at(name);
    QString notebook = r.projectDir + QStringLiteral("/assets/report/notebook.ipynb");
    if (fromBundle) {
        const QString unpacked = m_tmp.filePath(name + QStringLiteral("-bundle-nb"));
        QVERIFY(!JlCompress::extractDir(bundlePath(name), unpacked).isEmpty());
        notebook = unpacked + QStringLiteral("/notebook.ipynb");
    }
    const QString executed = m_tmp.filePath(name + (fromBundle ? QStringLiteral("-bundle") : QStringLiteral("-project"))
                                            + QStringLiteral("-executed.ipynb"));
    const Process p = run(jupyter, {QStringLiteral("nbconvert"), QStringLiteral("--to"), QStringLiteral("notebook"),
                                    QStringLiteral("--execute"), QStringLiteral("--ExecutePreprocessor.timeout=120"),
                                    QStringLiteral("--output"), executed, notebook},
                          300000);
    QVERIFY2(p.exitCode == 0, p.err.right(3000).constData());

    const json nb = readJson(executed);
    QString printed;
    for (const json &cell : nb["cells"]) {
        for (const json &output : cell.value("outputs", json::array())) {
            if (output.contains("text"))
                printed += fromStd(output["text"].is_array() ? [&] {
                    std::string s;
                    for (const json &line : output["text"])
                        s += line.get<std::string>();
                    return s;
                }() : output["text"].get<std::string>());
        }
    }
    const qsizetype at = printed.indexOf(QLatin1String("BATON_NOTEBOOK_METRICS "));
    QVERIFY2(at >= 0, qPrintable(printed));
    const QString line = printed.mid(at + 23).section(QLatin1Char('\n'), 0, 0);
    auto recomputed = parseJson(line.toUtf8());
    QVERIFY2(recomputed.ok() && recomputed->is_object(), qPrintable(line));
    const json &baton = r.context["final_metrics"]["values"];
    QVERIFY(!baton.empty());
    for (const auto &[metric, value] : baton.items()) {
        if (!value.is_number())
            continue;
        QVERIFY2(recomputed->contains(metric), metric.c_str());
        const double diff = std::abs((*recomputed)[metric].get<double>() - value.get<double>());
        QVERIFY2(diff <= 1e-6, qPrintable(QStringLiteral("%1: notebook %2, Baton %3")
                                              .arg(fromStd(metric))
                                              .arg((*recomputed)[metric].get<double>(), 0, 'g', 17)
                                              .arg(value.get<double>(), 0, 'g', 17)));
    }
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
