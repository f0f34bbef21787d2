// The baton executable as a user runs it: usage errors, exit codes, and `baton run` whose
// printed events equal the event log stored in the project database.

#include "core/project/ProjectStore.h"
#include "core/conductor/Event.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;

namespace {

struct Outcome
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void versionAndHelp();
    void usageErrors_data();
    void usageErrors();
    void missingDataIsBadInput();
    void runPrintsEventsEqualToTheStoredLog();
    void notYetAvailableCommandsFailVisibly();
    void seededIterationBudgetRunIsReproducible();
    void noRefitExportsTheEvaluatedModel();

private:
    Outcome baton(const QStringList &arguments);
    QTemporaryDir m_home;
};

void TestCli::initTestCase()
{
    QVERIFY(QFileInfo(QStringLiteral(BATON_EXECUTABLE)).isExecutable());
}

Outcome TestCli::baton(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // never touch the real user's settings or workspace
    env.insert(QStringLiteral("HOME"), m_home.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BATON_EXECUTABLE), arguments);
    if (!process.waitForFinished(60000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

void TestCli::versionAndHelp()
{
    const Outcome version = baton({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out.trimmed(), QByteArray("baton " BATON_VERSION));

    const Outcome help = baton({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("Exit codes"));
    QVERIFY(help.out.contains("--workspace"));
    QVERIFY(help.out.contains("kaggle:OWNER/NAME"));

    const Outcome runHelp = baton({QStringLiteral("run"), QStringLiteral("--help")});
    QCOMPARE(runHelp.exitCode, 0);
    QVERIFY(runHelp.out.contains("Usage: baton run"));
    QVERIFY(runHelp.out.contains("--time-budget"));
    // --data names every source it takes.
    const QByteArray dataHelp = runHelp.out.simplified();
    QVERIFY2(dataHelp.contains("kaggle:OWNER/NAME"), dataHelp.constData());
    QVERIFY(dataHelp.contains("image folder"));
    QVERIFY(dataHelp.contains("zip"));
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("mentions");
    const QString data = QStringLiteral("--data=x.csv");
    const QString prompt = QStringLiteral("--prompt=p");
    const QString out = QStringLiteral("--out=o");
    QTest::newRow("unknown command") << QStringList{"bogus"} << QByteArray("unknown command 'bogus'");
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << QByteArray("frobnicate");
    QTest::newRow("run without data") << QStringList{"run", prompt, out} << QByteArray("--data");
    QTest::newRow("run without prompt") << QStringList{"run", data, out} << QByteArray("--prompt");
    QTest::newRow("run without out") << QStringList{"run", data, prompt} << QByteArray("--out");
    QTest::newRow("bad task") << QStringList{"run", data, prompt, out, "--task=clustering"}
                              << QByteArray("--task");
    QTest::newRow("bad budget") << QStringList{"run", data, prompt, out, "--time-budget=-5"}
                                << QByteArray("--time-budget");
    QTest::newRow("bad seed") << QStringList{"run", data, prompt, out, "--seed=abc"}
                              << QByteArray("--seed");
    QTest::newRow("bad max-models") << QStringList{"run", data, prompt, out, "--max-models=0"}
                                    << QByteArray("--max-models");
    QTest::newRow("bad metric") << QStringList{"run", data, prompt, out, "--metric=speed"}
                                << QByteArray("--metric");
    QTest::newRow("stray argument") << QStringList{"run", data, prompt, out, "extra"}
                                    << QByteArray("unexpected argument 'extra'");
    QTest::newRow("predict incomplete") << QStringList{"predict", "--bundle=b.zip"}
                                        << QByteArray("required");
    QTest::newRow("profile without data") << QStringList{"profile"} << QByteArray("--data");
    QTest::newRow("serve bad port") << QStringList{"serve", "--port=70000"} << QByteArray("--port");
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, mentions);
    const Outcome outcome = baton(arguments);
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains(mentions), outcome.err.constData());
    QVERIFY(outcome.out.isEmpty());
}

void TestCli::missingDataIsBadInput()
{
    QTemporaryDir dir;
    const Outcome outcome = baton({QStringLiteral("run"), QStringLiteral("--data"),
                                   dir.filePath(QStringLiteral("missing.csv")),
                                   QStringLiteral("--prompt"), QStringLiteral("predict y"),
                                   QStringLiteral("--out"), dir.filePath(QStringLiteral("out")),
                                   QStringLiteral("--workspace"), dir.path()});
    QCOMPARE(outcome.exitCode, 3);
    QVERIFY2(outcome.err.contains("missing.csv"), outcome.err.constData());
}

void TestCli::runPrintsEventsEqualToTheStoredLog()
{
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("small.csv"));
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray rows = "x,colour,y\n";
        for (int i = 0; i < 60; ++i)
            rows += QByteArray::number(i * 1.5 + 0.25) + (i % 3 ? ",red," : ",blue,") + QByteArray::number(2 * i + i % 5) + '\n';
        file.write(rows);
    }
    const QString workspace = dir.filePath(QStringLiteral("ws"));
    const Outcome outcome = baton({QStringLiteral("run"), QStringLiteral("--data"), csv, QStringLiteral("--time-budget"), QStringLiteral("5"),
                                   QStringLiteral("--prompt"), QStringLiteral("predict y"),
                                   QStringLiteral("--out"), dir.filePath(QStringLiteral("out")),
                                   QStringLiteral("--workspace"), workspace,
                                   QStringLiteral("--seed"), QStringLiteral("3"),
                                   QStringLiteral("--events")});

    // One JSON summary on stdout.
    const json summary = json::parse(outcome.out.toStdString(), nullptr, false);
    QVERIFY2(summary.is_object(), outcome.out.constData());
    const QString projectId = QString::fromStdString(summary["project_id"].get<std::string>());
    QVERIFY(!projectId.isEmpty());
    QCOMPARE(summary["stages"].size(), size_t(8));
    QCOMPARE(summary["exit_code"].get<int>(), outcome.exitCode);
    // Stages that are not built yet fail visibly (exit 4); once all land the run succeeds.
    if (outcome.exitCode != 0) {
        QVERIFY2(outcome.exitCode == 4, outcome.out.constData());
        QCOMPARE(summary["status"].get<std::string>(), "failed");
        QVERIFY(summary["error"].is_string());
    }

    // Every stderr line is one strict JSON event; together they equal the stored log.
    QList<QByteArray> lines = outcome.err.split('\n');
    lines.removeAll(QByteArray());
    QVERIFY(!lines.isEmpty());
    auto store = ProjectStore::open(workspace + QStringLiteral("/projects/") + projectId, projectId);
    QVERIFY(store.ok());
    const auto log = store.value()->events();
    QVERIFY(log.ok());
    QCOMPARE(size_t(lines.size()), log->size());
    for (size_t i = 0; i < log->size(); ++i) {
        const json printed = json::parse(lines[int(i)].toStdString(), nullptr, false);
        QVERIFY2(!printed.is_discarded(), lines[int(i)].constData());
        QCOMPARE(printed["seq"].get<qint64>(), qint64(i + 1));
        QCOMPARE(lines[int(i)].toStdString(), (*log)[i].toWire());
    }
    // The decisions from the command line are in the project's context.
    const json &context = store.value()->loadedState()->context;
    QCOMPARE(context["seed"].get<int>(), 3);
    QCOMPARE(context["data_path"].get<std::string>(), csv.toStdString());
    const json first = json::parse(lines.first().toStdString());
    QCOMPARE(first["event"]["payload"]["stage_id"].get<std::string>(), "PARSE_INTENT");
}

void TestCli::notYetAvailableCommandsFailVisibly()
{
    // Whether or not batch prediction is built yet, a missing bundle never "succeeds".
    QTemporaryDir dir;
    const Outcome predict = baton({QStringLiteral("predict"), QStringLiteral("--bundle"),
                                   dir.filePath(QStringLiteral("none.zip")), QStringLiteral("--data"),
                                   dir.filePath(QStringLiteral("d.csv")), QStringLiteral("--out"),
                                   dir.filePath(QStringLiteral("p.csv"))});
    QVERIFY(predict.exitCode == 3 || predict.exitCode == 4);
    QVERIFY(!predict.err.isEmpty());
    QVERIFY(predict.out.isEmpty());
}

void TestCli::seededIterationBudgetRunIsReproducible()
{
    QTemporaryDir dir;
    std::vector<json> summaries;
    std::vector<QByteArray> predictions;
    for (int attempt = 0; attempt < 2; ++attempt) {
        const QString workspace = dir.filePath(QStringLiteral("ws%1").arg(attempt));
        const Outcome outcome = baton({QStringLiteral("run"), QStringLiteral("--data"),
                                       QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"),
                                       QStringLiteral("--prompt"), QStringLiteral("classify iris species"),
                                       QStringLiteral("--target"), QStringLiteral("target"),
                                       QStringLiteral("--seed"), QStringLiteral("5"),
                                       QStringLiteral("--max-models"), QStringLiteral("3"),
                                       QStringLiteral("--metric"), QStringLiteral("accuracy"),
                                       QStringLiteral("--workspace"), workspace,
                                       QStringLiteral("--out"), dir.filePath(QStringLiteral("out%1").arg(attempt))});
        QVERIFY2(outcome.exitCode == 0 || outcome.exitCode == 4, outcome.err.right(400).constData());
        const json summary = json::parse(outcome.out.toStdString(), nullptr, false);
        QVERIFY(summary.is_object());
        QCOMPARE(summary["final_metrics"]["primary"]["name"].get<std::string>(), "accuracy");
        summaries.push_back(summary);
        const QString assets = QString::fromStdString(summary["project_dir"].get<std::string>()) + QStringLiteral("/assets");
        // refitted on every labelled row for export; the evaluated model is kept beside it
        QVERIFY(QFileInfo::exists(assets + QStringLiteral("/model/evaluated/ensemble.json")));
        QFile file(assets + QStringLiteral("/model/test_predictions.csv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        predictions.push_back(file.readAll());
    }
    // same seed, same iteration budget: the same models, predictions and metrics, bit for bit
    QCOMPARE(summaries[0]["final_metrics"].dump(), summaries[1]["final_metrics"].dump());
    QCOMPARE(predictions[0], predictions[1]);
}

void TestCli::noRefitExportsTheEvaluatedModel()
{
    QTemporaryDir dir;
    const Outcome outcome = baton({QStringLiteral("run"), QStringLiteral("--data"),
                                   QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"),
                                   QStringLiteral("--prompt"), QStringLiteral("classify iris species"),
                                   QStringLiteral("--target"), QStringLiteral("target"),
                                   QStringLiteral("--max-models"), QStringLiteral("2"), QStringLiteral("--no-refit"),
                                   QStringLiteral("--workspace"), dir.filePath(QStringLiteral("ws")),
                                   QStringLiteral("--out"), dir.filePath(QStringLiteral("out"))});
    QVERIFY2(outcome.exitCode == 0, outcome.err.right(400).constData());
    const json summary = json::parse(outcome.out.toStdString(), nullptr, false);
    QVERIFY(summary.is_object());
    const QString assets = QString::fromStdString(summary["project_dir"].get<std::string>()) + QStringLiteral("/assets");
    QVERIFY(QFileInfo::exists(assets + QStringLiteral("/model/ensemble.json")));
    QVERIFY(!QFileInfo::exists(assets + QStringLiteral("/model/evaluated")));
    QFile report(assets + QStringLiteral("/report/report.json"));
    QVERIFY(report.open(QIODevice::ReadOnly));
    const json parsed = json::parse(report.readAll().toStdString(), nullptr, false);
    QCOMPARE(parsed["model"]["refitted_on_all_rows"].get<bool>(), false);
    QCOMPARE(parsed["model"]["fitted_rows"].get<size_t>(), size_t(120)); // iris: 150 rows, 20 % held out
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
