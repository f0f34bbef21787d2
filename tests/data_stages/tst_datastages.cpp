#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/pipeline/stages/ParseIntentStage.h"
#include "core/pipeline/stages/ProfileStage.h"
#include "core/pipeline/stages/StageSupport.h"
#include "core/project/Assets.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <thread>

using namespace baton;

namespace {

const QString kAmes = QStringLiteral(BATON_TEST_DATA_DIR "/ames_housing.csv");

// Every file below dir, relative to it, sorted.
QStringList filesBelow(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

// Events published so far, delivered on this thread.
QStringList eventNames(QSignalSpy &spy)
{
    QCoreApplication::processEvents();
    QStringList names;
    for (const QList<QVariant> &args : spy)
        names << args.at(0).value<Event>().name;
    return names;
}

json profileContext(const QString &target)
{
    return {{ctx::DataPath, toStd(kAmes)}, {ctx::Target, toStd(target)}};
}

} // namespace

class TestDataStages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<Event>(); }
    void stagedAssetsWithoutCommitLeaveNothing();
    void stagedAssetsCommitReplacesTheFolder();
    void cancelledProfileLeavesNoArtifacts();
    void profileReplacesAnEarlierRun();
    void intentTakesAKaggleDataPath_data();
    void intentTakesAKaggleDataPath();
};

void TestDataStages::stagedAssetsWithoutCommitLeaveNothing()
{
    QTemporaryDir dir;
    Conductor conductor(QStringLiteral("p1"));
    QSignalSpy spy(&conductor, &Conductor::eventPublished);
    StageContext context(&conductor, StageId::ProfileData, json::object(), dir.path(), JobToken());
    {
        stage::StagedAssets assets(context, QStringLiteral("profile"));
        QVERIFY(writeJsonFile(assets.path(QStringLiteral("profile/a.json")), {{"a", 1}}).ok());
        assets.announce(QStringLiteral("a"), QStringLiteral("profile"), QStringLiteral("A"),
                        QStringLiteral("profile/a.json"));
        // A write failing halfway through the stage: "a.json" is a file, not a folder.
        QVERIFY(!writeJsonFile(assets.path(QStringLiteral("profile/a.json/b.json")), {}).ok());
        // ... so the stage returns without commit().
    }
    QCOMPARE(filesBelow(dir.path()), QStringList());
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("assets/profile"))));
    QCOMPARE(eventNames(spy), QStringList());
}

void TestDataStages::stagedAssetsCommitReplacesTheFolder()
{
    QTemporaryDir dir;
    Conductor conductor(QStringLiteral("p1"));
    QSignalSpy spy(&conductor, &Conductor::eventPublished);
    StageContext context(&conductor, StageId::ProfileData, json::object(), dir.path(), JobToken());
    {
        stage::StagedAssets assets(context, QStringLiteral("profile"));
        QVERIFY(writeJsonFile(assets.path(QStringLiteral("profile/old.json")), {{"run", 1}}).ok());
        assets.announce(QStringLiteral("old"), QStringLiteral("profile"), QStringLiteral("Old"),
                        QStringLiteral("profile/old.json"));
        QVERIFY(assets.commit().ok());
    }
    QCOMPARE(filesBelow(dir.path()), QStringList{QStringLiteral("assets/profile/old.json")});
    {
        stage::StagedAssets assets(context, QStringLiteral("profile"));
        QVERIFY(writeJsonFile(assets.path(QStringLiteral("profile/new.json")), {{"run", 2}}).ok());
        assets.announce(QStringLiteral("new"), QStringLiteral("profile"), QStringLiteral("New"),
                        QStringLiteral("profile/new.json"));
        assets.emitLater(events::ProfileSummary, {{"n_rows", 2}});
        // Nothing is published before the files are in place.
        QCOMPARE(eventNames(spy), QStringList{QString::fromLatin1(events::ArtifactAdded)});
        QVERIFY(assets.commit().ok());
    }
    // The second run replaced the first: no mixture of both runs' files.
    QCOMPARE(filesBelow(dir.path()), QStringList{QStringLiteral("assets/profile/new.json")});
    QCOMPARE(eventNames(spy), (QStringList{QString::fromLatin1(events::ArtifactAdded),
                                           QString::fromLatin1(events::ArtifactAdded),
                                           QString::fromLatin1(events::ProfileSummary)}));
    const json announced = spy.at(1).at(0).value<Event>().payload;
    QCOMPARE(announced["artifact"]["url"].get<std::string>(),
             toStd(assetUrl(QStringLiteral("p1"), QStringLiteral("profile/new.json"))));
}

void TestDataStages::cancelledProfileLeavesNoArtifacts()
{
    // Cancel at different moments of the run (before, while profiling, while writing): whenever
    // the stage ends cancelled, neither a file nor an ARTIFACT_ADDED of it remains.
    auto cache = std::make_shared<DatasetCache>();
    QVERIFY(cache->load(kAmes).ok()); // read once, so the delays below fall into the stage itself
    int cancelledRuns = 0;
    for (const int delayMs : {-1, 5, 20, 60, 150}) { // -1: cancelled before it starts
        QTemporaryDir dir;
        Conductor conductor(QStringLiteral("p1"));
        QSignalSpy spy(&conductor, &Conductor::eventPublished);
        JobToken token;
        StageContext context(&conductor, StageId::ProfileData, profileContext(QStringLiteral("Sale_Price")),
                             dir.path(), token);
        if (delayMs < 0)
            JobHandle(token).cancel();
        std::thread canceller([token, delayMs] {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::max(0, delayMs)));
            JobHandle(token).cancel();
        });
        ProfileStage stage(cache);
        const StageOutcome outcome = stage.run(context);
        canceller.join();
        const QStringList names = eventNames(spy);
        if (outcome.kind == StageOutcome::Kind::Failed) {
            ++cancelledRuns;
            QVERIFY2(outcome.error && outcome.error->kind == ErrorKind::Cancelled,
                     qPrintable(outcome.summary));
            QCOMPARE(filesBelow(dir.path()), QStringList());
            QVERIFY2(!names.contains(QString::fromLatin1(events::ArtifactAdded)),
                     qPrintable(names.join(QLatin1Char(' '))));
            QVERIFY(!names.contains(QString::fromLatin1(events::ProfileSummary)));
        } else {
            QCOMPARE(outcome.kind, StageOutcome::Kind::WaitingConfirmation);
            QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("assets/profile/profile.json"))));
        }
    }
    QVERIFY(cancelledRuns > 0); // at least the run cancelled before it started
}

void TestDataStages::profileReplacesAnEarlierRun()
{
    QTemporaryDir dir;
    Conductor conductor(QStringLiteral("p1"));
    QSignalSpy spy(&conductor, &Conductor::eventPublished);
    StageContext context(&conductor, StageId::ProfileData, profileContext(QStringLiteral("Sale_Price")),
                         dir.path(), JobToken());
    ProfileStage stage(std::make_shared<DatasetCache>());
    // Leftovers of an earlier run are replaced, not mixed with the new files.
    QVERIFY(writeJsonFile(stage::assetPath(context, QStringLiteral("profile/stale.json")), {}).ok());
    const StageOutcome outcome = stage.run(context);
    QCOMPARE(outcome.kind, StageOutcome::Kind::WaitingConfirmation);
    const QStringList names = eventNames(spy);
    QStringList announced;
    for (const QList<QVariant> &args : spy) {
        const Event event = args.at(0).value<Event>();
        if (event.name != QLatin1String(events::ArtifactAdded))
            continue;
        const json &artifact = event.payload["artifact"];
        announced << fromStd(artifact["url"].get<std::string>()).section(QStringLiteral("/assets/"), -1);
        if (artifact["meta"].contains("png_url"))
            announced << fromStd(artifact["meta"]["png_url"].get<std::string>()).section(QStringLiteral("/assets/"), -1);
    }
    announced.sort();
    const QStringList files = filesBelow(dir.filePath(QStringLiteral("assets")));
    // Exactly the announced files are there: nothing stale, no staging folder left behind.
    QVERIFY2(files == announced, qPrintable(QStringLiteral("on disk: %1\nannounced: %2")
                                                .arg(files.join(QLatin1Char(' ')), announced.join(QLatin1Char(' ')))));
    // (No missingness chart: Ames as shipped has no missing cell.)
    for (const char *file : {"profile.json", "missingness.json",
                             "target_distribution.json", "target_distribution.png",
                             "correlations.json", "correlations.png"}) {
        QVERIFY2(files.contains(QStringLiteral("profile/") + QLatin1String(file)), file);
    }
    QVERIFY(names.contains(QString::fromLatin1(events::ProfileSummary)));
    QVERIFY(names.contains(QString::fromLatin1(events::MissingnessTableReady)));
    QVERIFY(names.contains(QString::fromLatin1(events::TargetDistributionReady)));
}

void TestDataStages::intentTakesAKaggleDataPath_data()
{
    QTest::addColumn<QString>("dataPath");
    QTest::addColumn<QString>("errorCode"); // empty: the stage succeeds
    QTest::newRow("owner/name") << QStringLiteral("kaggle:acme/houses") << QString();
    QTest::newRow("with a file") << QStringLiteral("kaggle:acme/houses/train.csv") << QString();
    QTest::newRow("no name") << QStringLiteral("kaggle:acme") << QStringLiteral("kaggle.bad_reference");
}

void TestDataStages::intentTakesAKaggleDataPath()
{
    // PARSE_INTENT runs before DATA_SOURCE downloads the data: it must not try to read the
    // reference as a file, only check its form.
    QFETCH(QString, dataPath);
    QFETCH(QString, errorCode);
    QTemporaryDir dir;
    Conductor conductor(QStringLiteral("p1"));
    const json project = {{ctx::Prompt, "predict the sale price of houses"},
                          {ctx::DataPath, toStd(dataPath)},
                          {ctx::Target, "price"}};
    StageContext context(&conductor, StageId::ParseIntent, project, dir.path(), JobToken());
    ParseIntentStage stage(std::make_shared<DatasetCache>());
    const StageOutcome outcome = stage.run(context);
    if (errorCode.isEmpty()) {
        QVERIFY2(outcome.kind == StageOutcome::Kind::WaitingConfirmation, qPrintable(outcome.summary));
    } else {
        QCOMPARE(outcome.kind, StageOutcome::Kind::Failed);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->code, errorCode);
    }
}

// QGuiApplication on the offscreen platform: the stage renders its charts too.
QTEST_MAIN(TestDataStages)
#include "tst_datastages.moc"
