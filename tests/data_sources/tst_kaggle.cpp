// Kaggle downloads against a fake Kaggle on loopback: real HTTP, real zips, the failures a user
// meets (bad credentials, unknown dataset, broken archive, cancel) and DATA_SOURCE / `baton run`
// using `kaggle:owner/name`.

#include "FakeKaggleServer.h"
#include "TestSupport.h"

#include "core/agents/DatasetFinder.h"
#include "core/data/KaggleDataset.h"
#include "core/data/KaggleSearch.h"
#include "core/jobs/JobRunner.h"
#include "core/pipeline/ProjectSession.h"

#include <QDirIterator>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

using namespace baton;
using baton::test::FakeKaggleServer;

namespace {

const QByteArray kDownloadPath = "/api/v1/datasets/download/acme/houses";
const QByteArray kSearchPath = "/api/v1/datasets/list";

// Kaggle's reply to a dataset search: the fields its REST API sends (and a ref that is not an
// owner/name pair, which must be skipped).
QByteArray searchReply()
{
    const json reply = json::array({
        {{"ref", "acme/houses"}, {"title", "House Prices"}, {"subtitle", "Sales in Ames, Iowa"},
         {"url", "https://www.kaggle.com/datasets/acme/houses"}, {"totalBytes", 123456},
         {"downloadCount", 4200}, {"voteCount", 77}, {"usabilityRating", 0.88}, {"licenseName", "CC0-1.0"}},
        {{"ref", "not a ref"}, {"title", "Broken"}},
        {{"ref", "zed/homes"}, {"title", "Homes"}, {"downloadCount", 12}},
    });
    return QByteArray::fromStdString(reply.dump());
}

QByteArray zipOf(const QList<QPair<QString, QByteArray>> &files)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("archive.zip"));
    {
        QuaZip zip(path);
        if (!zip.open(QuaZip::mdCreate))
            return {};
        for (const auto &[name, bytes] : files) {
            QuaZipFile entry(&zip);
            if (!entry.open(QIODevice::WriteOnly, QuaZipNewInfo(name)))
                return {};
            entry.write(bytes);
            entry.close();
        }
        zip.close();
    }
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray csvRows(int rows)
{
    QByteArray csv = "area,rooms,price\n";
    for (int i = 0; i < rows; ++i)
        csv += QByteArray::number(50 + i % 97) + ',' + QByteArray::number(1 + i % 5) + ','
               + QByteArray::number(100000 + 731 * i) + '\n';
    return csv;
}

// Every file and folder below root, relative: "nothing left behind" compares these.
QStringList tree(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(root).relativeFilePath(it.next());
    out.sort();
    return out;
}

KaggleDownloadOptions optionsFor(const FakeKaggleServer &server)
{
    KaggleDownloadOptions options;
    options.baseUrl = server.baseUrl();
    options.credentials = KaggleCredentials{QStringLiteral("ada"), QStringLiteral("s3cret"),
                                            QStringLiteral("test")};
    return options;
}

KaggleDatasetRef houses(const QString &file = {})
{
    return {QStringLiteral("acme"), QStringLiteral("houses"), file};
}

// Sets environment variables for one scope and restores what was there.
class ScopedEnv
{
public:
    void set(const char *name, const QByteArray &value)
    {
        m_saved.append({name, qgetenv(name), qEnvironmentVariableIsSet(name)});
        qputenv(name, value);
    }
    void unset(const char *name)
    {
        m_saved.append({name, qgetenv(name), qEnvironmentVariableIsSet(name)});
        qunsetenv(name);
    }
    ~ScopedEnv()
    {
        for (auto it = m_saved.rbegin(); it != m_saved.rend(); ++it) {
            if (it->wasSet)
                qputenv(it->name, it->value);
            else
                qunsetenv(it->name);
        }
    }

private:
    struct Saved
    {
        const char *name;
        QByteArray value;
        bool wasSet;
    };
    QList<Saved> m_saved;
};

// Writes <config>/kaggle.json; its path, or empty when it cannot be written.
QString writeKaggleJson(const QTemporaryDir &config, const QByteArray &content)
{
    QFile file(config.filePath(QStringLiteral("kaggle.json")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return {};
    return file.fileName();
}

// Credentials may come only from <config>/kaggle.json (or the settings), not the environment.
void useConfigDirOnly(ScopedEnv &env, const QTemporaryDir &config)
{
    env.unset("KAGGLE_USERNAME");
    env.unset("KAGGLE_KEY");
    env.set("KAGGLE_CONFIG_DIR", config.path().toUtf8());
}

} // namespace

class TestKaggle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void references_data();
    void references();
    void credentialsFromTheEnvironment();
    void credentialsFromKaggleJson();
    void credentialsFromSettings();
    void missingCredentialsSayHowToAddThem();
    void downloadsTheLargestCsv();
    void namedCsv();
    void redirectToStorageKeepsTheKeyAtHome();
    void httpErrors_data();
    void httpErrors();
    void brokenArchives_data();
    void brokenArchives();
    void unreachableServer();
    void cancelledDownloadLeavesNothing();
    void completeDownloadIsReused();
    void dataSourceStageDownloadsIntoTheProject();
    void cancelledStageLeavesTheProjectUnchanged();
    void batonRunWithKaggleData();
    void searchParsesKaggleReplies();
    void searchFailures_data();
    void searchFailures();
    void searchTermsFromTheIntent();
    void dataSourceOffersKaggleResults();
    void dataSourceWithoutCredentialsSearchesNothing();
    void dataSourceSucceedsWhenTheSearchFails();

private:
    // A new project in its own workspace whose stages reach server as Kaggle (env keeps the
    // variables that say so until the test ends). Null if the project cannot be created.
    std::unique_ptr<ProjectSession> openProject(const FakeKaggleServer &server, ScopedEnv &env,
                                                const QString &workspaceName);
    // Runs "predict house prices" to DATA_SOURCE with server as Kaggle (and, unless
    // withCredentials is false, Kaggle credentials): its DATASET_CANDIDATES datasets and the
    // intent's dataset hint.
    void offeredDatasets(const FakeKaggleServer &server, bool withCredentials, const QString &workspace,
                         json &datasets, QString &datasetHint);

    QTemporaryDir m_tmp;
};

std::unique_ptr<ProjectSession> TestKaggle::openProject(const FakeKaggleServer &server,
                                                        ScopedEnv &env, const QString &workspaceName)
{
    env.set("BATON_KAGGLE_API_URL", server.baseUrl().toEncoded());
    env.set("KAGGLE_USERNAME", "ada");
    env.set("KAGGLE_KEY", "s3cret");
    Workspace workspace(m_tmp.filePath(workspaceName));
    const auto id = workspace.createProject(QStringLiteral("a Kaggle project"));
    if (!id)
        return nullptr;
    auto session = ProjectSession::open(workspace, id.value());
    return session ? std::move(session).value() : nullptr;
}

void TestKaggle::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_tmp.isValid());
}

void TestKaggle::references_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("slug");
    QTest::addColumn<QString>("file");
    QTest::newRow("owner/name") << "kaggle:acme/houses" << true << "acme/houses"
                                << "";
    QTest::newRow("with a file") << "kaggle:acme/houses/data/train.csv" << true << "acme/houses"
                                 << "data/train.csv";
    QTest::newRow("dots, dashes") << "kaggle:a.b-c/d_e-1" << true << "a.b-c/d_e-1"
                                  << "";
    QTest::newRow("no name") << "kaggle:acme" << false << ""
                             << "";
    QTest::newRow("empty name") << "kaggle:acme/" << false << ""
                                << "";
    QTest::newRow("spaces") << "kaggle:ac me/houses" << false << ""
                            << "";
    QTest::newRow("escaping file") << "kaggle:acme/houses/../../etc/passwd" << false << ""
                                   << "";
    QTest::newRow("not kaggle") << "/tmp/houses.csv" << false << ""
                                << "";
}

void TestKaggle::references()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, slug);
    QFETCH(QString, file);
    const auto ref = parseKaggleReference(text);
    QCOMPARE(ref.ok(), valid);
    if (!valid) {
        QCOMPARE(ref.error().code, QStringLiteral("kaggle.bad_reference"));
        QVERIFY(ref.error().message.contains(text));
        return;
    }
    QCOMPARE(ref->slug(), slug);
    QCOMPARE(ref->file, file);
    QCOMPARE(ref->toString(), text);
}

void TestKaggle::credentialsFromTheEnvironment()
{
    ScopedEnv env;
    env.set("KAGGLE_USERNAME", "ada");
    env.set("KAGGLE_KEY", "k3y");
    env.set("KAGGLE_CONFIG_DIR", m_tmp.filePath(QStringLiteral("nowhere")).toUtf8());
    const auto credentials = kaggleCredentials();
    QVERIFY(credentials.ok());
    QCOMPARE(credentials->username, QStringLiteral("ada"));
    QCOMPARE(credentials->key, QStringLiteral("k3y"));
}

void TestKaggle::credentialsFromKaggleJson()
{
    QTemporaryDir config;
    const QString path = writeKaggleJson(config, R"({"username":"grace","key":"abc123"})");
    QVERIFY(!path.isEmpty());
    ScopedEnv env;
    useConfigDirOnly(env, config);
    auto credentials = kaggleCredentials();
    QVERIFY(credentials.ok());
    QCOMPARE(credentials->username, QStringLiteral("grace"));
    QCOMPARE(credentials->key, QStringLiteral("abc123"));
    QCOMPARE(credentials->origin, path);

    QVERIFY(!writeKaggleJson(config, R"({"username":"grace"})").isEmpty());
    credentials = kaggleCredentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(credentials.error().code, QStringLiteral("kaggle.no_credentials"));
    QVERIFY(credentials.error().message.contains(QStringLiteral("\"key\"")));
}

void TestKaggle::credentialsFromSettings()
{
    // The Settings dialog's credentials: used when the environment has none, before kaggle.json.
    QTemporaryDir config;
    QVERIFY(!writeKaggleJson(config, R"({"username":"grace","key":"abc123"})").isEmpty());
    ScopedEnv env;
    useConfigDirOnly(env, config);
    KaggleSettings::setCredentials(QStringLiteral(" lin "), QStringLiteral("s3cret"));
    auto credentials = kaggleCredentials();
    QVERIFY(credentials.ok());
    QCOMPARE(credentials->username, QStringLiteral("lin"));
    QCOMPARE(credentials->key, QStringLiteral("s3cret"));
    QCOMPARE(credentials->origin, QStringLiteral("Baton's settings"));

    env.set("KAGGLE_USERNAME", "ada");
    env.set("KAGGLE_KEY", "k3y");
    QCOMPARE(kaggleCredentials()->username, QStringLiteral("ada"));
    env.unset("KAGGLE_USERNAME");

    // A user name without a key is not a credential: kaggle.json is next.
    KaggleSettings::setCredentials(QStringLiteral("lin"), QString());
    QCOMPARE(kaggleCredentials()->username, QStringLiteral("grace"));
    KaggleSettings::setCredentials(QString(), QString());
}

void TestKaggle::missingCredentialsSayHowToAddThem()
{
    ScopedEnv env;
    env.unset("KAGGLE_USERNAME");
    env.unset("KAGGLE_KEY");
    env.set("KAGGLE_CONFIG_DIR", m_tmp.filePath(QStringLiteral("empty-config")).toUtf8());
    const auto credentials = kaggleCredentials();
    QVERIFY(!credentials.ok());
    QCOMPARE(credentials.error().kind, ErrorKind::BadInput);
    QCOMPARE(credentials.error().code, QStringLiteral("kaggle.no_credentials"));
    QVERIFY(credentials.error().message.contains(QStringLiteral("KAGGLE_USERNAME")));
    QVERIFY(credentials.error().message.contains(QStringLiteral("kaggle.json")));

    // The download asks for them only when it has to download.
    QTemporaryDir project;
    const auto result = downloadKaggleDataset(houses(), project.filePath(QStringLiteral("d")));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("kaggle.no_credentials"));
    QCOMPARE(tree(project.path()), QStringList());
}

void TestKaggle::downloadsTheLargestCsv()
{
    FakeKaggleServer server;
    QVERIFY(server.isListening());
    const QByteArray train = csvRows(100000); // ~2.3 MB: several pieces, several progress calls
    const QByteArray test = csvRows(300);
    server.route(
        kDownloadPath,
        {200, zipOf({{QStringLiteral("README.md"), "# houses\n"},
                     {QStringLiteral("test.csv"), test},
                     {QStringLiteral("data/train.csv"), train},
                     {QStringLiteral("__MACOSX/data/._train.csv"), QByteArray(900000, 'x')}})});

    QTemporaryDir project;
    const QString destination = project.filePath(QStringLiteral("assets/data/kaggle/acme/houses"));
    QList<QPair<qint64, qint64>> progress;
    const auto result = downloadKaggleDataset(
        houses(), destination, nullptr,
        [&](qint64 received, qint64 total) {
            progress.append({received, total});
        },
        optionsFor(server));
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));

    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().authorization,
             "Basic " + QByteArray("ada:s3cret").toBase64());
    QCOMPARE(result->csvEntry, QStringLiteral("data/train.csv"));
    QCOMPARE(result->csvFiles,
             (QStringList{QStringLiteral("data/train.csv"), QStringLiteral("test.csv")}));
    QCOMPARE(result->choice, QStringLiteral("the largest of 2 CSV files"));
    QCOMPARE(result->csvPath, QDir(destination).filePath(QStringLiteral("train.csv")));
    QCOMPARE(result->csvBytes, qint64(train.size()));
    QVERIFY(!result->reused);
    QFile csv(result->csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll(), train);
    // Only the chosen CSV and the marker stay: no archive, no staging folder.
    QCOMPARE(tree(destination),
             (QStringList{QStringLiteral("kaggle_source.json"), QStringLiteral("train.csv")}));
    QCOMPARE(tree(project.filePath(QStringLiteral("assets/data/kaggle"))),
             (QStringList{QStringLiteral("acme"), QStringLiteral("acme/houses"),
                          QStringLiteral("acme/houses/kaggle_source.json"),
                          QStringLiteral("acme/houses/train.csv")}));

    QVERIFY(progress.size() >= 2);
    QCOMPARE(progress.last().first, result->downloadedBytes);
    QCOMPARE(progress.last().second, result->downloadedBytes);
    for (qsizetype i = 1; i < progress.size(); ++i)
        QVERIFY(progress[i].first >= progress[i - 1].first);
}

void TestKaggle::namedCsv()
{
    FakeKaggleServer server;
    server.route(kDownloadPath, {200, zipOf({{QStringLiteral("train.csv"), csvRows(500)},
                                             {QStringLiteral("test.csv"), csvRows(50)}})});
    QTemporaryDir project;
    auto result = downloadKaggleDataset(houses(QStringLiteral("test.csv")),
                                        project.filePath(QStringLiteral("d")), nullptr, {},
                                        optionsFor(server));
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(result->csvEntry, QStringLiteral("test.csv"));
    QCOMPARE(result->choice, QStringLiteral("the file you named"));

    QTemporaryDir other;
    result = downloadKaggleDataset(houses(QStringLiteral("valid.csv")),
                                   other.filePath(QStringLiteral("d")), nullptr, {},
                                   optionsFor(server));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("kaggle.no_such_file"));
    QVERIFY2(result.error().message.contains(QStringLiteral("train.csv, test.csv")),
             qPrintable(result.error().message));
    QCOMPARE(tree(other.path()), QStringList());
}

void TestKaggle::redirectToStorageKeepsTheKeyAtHome()
{
    FakeKaggleServer api;
    FakeKaggleServer storage;
    const QByteArray signedPath = "/bucket/houses.zip?X-Goog-Signature=abc";
    storage.route(signedPath, {200, zipOf({{QStringLiteral("houses.csv"), csvRows(100)}})});
    api.route(kDownloadPath, {302, {}, storage.url(signedPath).toEncoded()});

    QTemporaryDir project;
    const auto result = downloadKaggleDataset(houses(), project.filePath(QStringLiteral("d")),
                                              nullptr, {}, optionsFor(api));
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(result->choice, QStringLiteral("the only CSV"));
    QCOMPARE(api.requests().size(), 1);
    QVERIFY(!api.requests().first().authorization.isEmpty());
    QCOMPARE(storage.requests().size(), 1);
    QCOMPARE(storage.requests().first().path, signedPath);
    QVERIFY2(storage.requests().first().authorization.isEmpty(), "the key must not leave kaggle");
}

void TestKaggle::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("401") << 401 << "kaggle.unauthorized" << ErrorKind::BadInput << "ada";
    QTest::newRow("403") << 403 << "kaggle.forbidden" << ErrorKind::BadInput << "rules";
    QTest::newRow("404") << 404 << "kaggle.not_found" << ErrorKind::NotFound << "acme/houses";
    QTest::newRow("500") << 500 << "kaggle.http_error" << ErrorKind::Network << "HTTP 500";
}

void TestKaggle::httpErrors()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, mentions);
    FakeKaggleServer server;
    server.route(kDownloadPath, {status, R"({"code":)" + QByteArray::number(status)
                                             + R"(,"message":"The server says no"})"});
    QTemporaryDir project;
    const auto result = downloadKaggleDataset(
        houses(), project.filePath(QStringLiteral("assets/d")), nullptr, {}, optionsFor(server));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, code);
    QCOMPARE(result.error().kind, kind);
    QVERIFY2(result.error().message.contains(mentions), qPrintable(result.error().message));
    QVERIFY2(result.error().message.contains(QStringLiteral("The server says no")),
             qPrintable(result.error().message));
    QCOMPARE(result.error().context, QStringLiteral("kaggle:acme/houses"));
    QCOMPARE(tree(project.path()), QStringList());
}

void TestKaggle::brokenArchives_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<double>("maxRatio");
    QTest::addColumn<QString>("code");

    const QByteArray good = zipOf({{QStringLiteral("houses.csv"), csvRows(3000)}});
    QTest::newRow("not a zip") << QByteArray("<html>maintenance</html>") << 1000.0
                               << "zip.open_failed";
    QTest::newRow("truncated zip") << good.left(good.size() / 2) << 1000.0 << "zip.open_failed";
    QByteArray corrupt = good;
    for (qsizetype i = 100; i < 400; ++i) // inside the deflated data of the only entry
        corrupt[i] = char(corrupt[i] ^ 0x5a);
    QTest::newRow("corrupt data") << corrupt << 1000.0 << "zip.corrupt";
    QTest::newRow("no csv") << zipOf(
        {{QStringLiteral("images/cat.png"), "png"}, {QStringLiteral("README.md"), "hi"}})
                            << 1000.0 << "kaggle.no_csv";
    QTest::newRow("zip bomb") << zipOf({{QStringLiteral("zeros.csv"), QByteArray(4 << 20, '0')}})
                              << 50.0 << "zip.bomb";
    QTest::newRow("unsafe path") << zipOf({{QStringLiteral("../../escape.csv"), csvRows(10)}})
                                 << 1000.0 << "zip.unsafe_path";
}

void TestKaggle::brokenArchives()
{
    QFETCH(QByteArray, body);
    QFETCH(double, maxRatio);
    QFETCH(QString, code);
    QVERIFY(!body.isEmpty());
    FakeKaggleServer server;
    server.route(kDownloadPath, {200, body});
    KaggleDownloadOptions options = optionsFor(server);
    options.zipLimits.maxCompressionRatio = maxRatio;
    QTemporaryDir project;
    const auto result = downloadKaggleDataset(
        houses(), project.filePath(QStringLiteral("assets/d")), nullptr, {}, options);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().code == code,
             qPrintable(result.error().code + QLatin1String(": ") + result.error().toString()));
    QCOMPARE(result.error().kind, ErrorKind::BadInput);
    QVERIFY2(result.error().message.contains(QStringLiteral("acme/houses"))
                 || result.error().message.contains(QStringLiteral(".zip")),
             qPrintable(result.error().message));
    QCOMPARE(tree(project.path()), QStringList());
}

void TestKaggle::unreachableServer()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    KaggleDownloadOptions options;
    options.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1").arg(port));
    options.credentials = KaggleCredentials{QStringLiteral("ada"), QStringLiteral("k"), {}};
    QTemporaryDir project;
    const auto result = downloadKaggleDataset(houses(), project.filePath(QStringLiteral("d")),
                                              nullptr, {}, options);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Network);
    QCOMPARE(result.error().code, QStringLiteral("kaggle.network"));
    QVERIFY2(result.error().message.contains(QStringLiteral("127.0.0.1")),
             qPrintable(result.error().message));
    QCOMPARE(tree(project.path()), QStringList());
}

void TestKaggle::cancelledDownloadLeavesNothing()
{
    FakeKaggleServer server;
    const QByteArray body = zipOf({{QStringLiteral("houses.csv"), csvRows(60000)}});
    // Half the archive, then silence: only a cancel ends this download.
    server.route(kDownloadPath, {200, body, {}, body.size() / 2});

    QTemporaryDir project;
    JobToken token;
    const JobHandle handle(token);
    QElapsedTimer timer;
    timer.start();
    qint64 seen = 0;
    const auto result = downloadKaggleDataset(
        houses(), project.filePath(QStringLiteral("assets/data/kaggle/acme/houses")), &token,
        [&](qint64 received, qint64) {
            seen = received;
            if (received >= body.size() / 4)
                handle.cancel();
        },
        optionsFor(server));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Cancelled);
    QCOMPARE(result.error().code, QStringLiteral("kaggle.cancelled"));
    QVERIFY(seen > 0 && seen < body.size());
    QVERIFY2(timer.elapsed() < 10000, "the cancel must not wait for the stalled transfer");
    QCOMPARE(tree(project.path()), QStringList());
}

void TestKaggle::completeDownloadIsReused()
{
    QTemporaryDir project;
    const QString destination = project.filePath(QStringLiteral("d"));
    {
        FakeKaggleServer server;
        server.route(kDownloadPath, {200, zipOf({{QStringLiteral("houses.csv"), csvRows(100)}})});
        const auto first
            = downloadKaggleDataset(houses(), destination, nullptr, {}, optionsFor(server));
        QVERIFY(first.ok());
        QVERIFY(!first->reused);
    }
    // The server is gone: a second download of the same reference needs no network.
    KaggleDownloadOptions offline;
    offline.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1/api/v1"));
    offline.credentials = KaggleCredentials{QStringLiteral("ada"), QStringLiteral("k"), {}};
    const auto again = downloadKaggleDataset(houses(), destination, nullptr, {}, offline);
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
    QVERIFY(again->reused);
    QCOMPARE(again->choice, QStringLiteral("the only CSV"));

    // A CSV that changed since (truncated by hand) is not trusted: download again.
    QFile csv(again->csvPath);
    QVERIFY(csv.resize(10));
    const auto stale = downloadKaggleDataset(houses(), destination, nullptr, {}, offline);
    QVERIFY(!stale.ok());
    QCOMPARE(stale.error().code, QStringLiteral("kaggle.network"));
}

void TestKaggle::dataSourceStageDownloadsIntoTheProject()
{
    FakeKaggleServer server;
    QFile iris(QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"));
    QVERIFY(iris.open(QIODevice::ReadOnly));
    server.route(kDownloadPath, {200, zipOf({{QStringLiteral("Iris.csv"), iris.readAll()}})});
    ScopedEnv env;
    const auto session = openProject(server, env, QStringLiteral("ws-stage"));
    QVERIFY(session);
    Conductor &conductor = session->conductor();
    test::EventRecorder recorder(&conductor);
    conductor.startPipeline(QStringLiteral("classify iris species"),
                            {{"dataset_id", "kaggle:acme/houses"}, {"target", "species"}});
    QTRY_COMPARE_WITH_TIMEOUT(conductor.state().at(StageId::ParseIntent).status,
                              StageStatus::WaitingConfirmation, 30000);
    QVERIFY(conductor.confirm().accepted);
    QTRY_VERIFY_WITH_TIMEOUT(
        conductor.state().at(StageId::DataSource).status == StageStatus::WaitingConfirmation
            || conductor.state().at(StageId::DataSource).status == StageStatus::Failed,
        30000);
    QCOMPARE(conductor.state().at(StageId::DataSource).status, StageStatus::WaitingConfirmation);

    const QString csv = QDir(conductor.projectDir())
                            .filePath(QStringLiteral("assets/data/kaggle/acme/houses/Iris.csv"));
    QCOMPARE(stringField(conductor.context(), "data_path"), csv);
    const auto selected = recorder.named(events::DatasetSelected);
    QCOMPARE(selected.size(), size_t(1));
    QCOMPARE(selected.front().payload["dataset"]["rows"].get<int>(), 150);
    // The data was chosen: Kaggle is not searched for alternatives.
    QVERIFY(std::none_of(server.requests().begin(), server.requests().end(),
                         [](const auto &r) { return r.path.startsWith(kSearchPath); }));

    // Progress as protocol §5.3's ad-hoc STAGE_STATUS, ending with the choice explained.
    std::vector<Event> downloads;
    for (const Event &e : recorder.named(events::StageStatus)) {
        if (stringField(e.payload, "source") == QLatin1String("kaggle"))
            downloads.push_back(e);
    }
    QVERIFY(downloads.size() >= 2);
    QCOMPARE(stringField(downloads.front().payload, "stage"), QStringLiteral("DATA_SOURCE"));
    QCOMPARE(stringField(downloads.front().payload, "status"), QStringLiteral("IN_PROGRESS"));
    QCOMPARE(downloads.back().payload["progress"].get<double>(), 1.0);
    QVERIFY(
        stringField(downloads.back().payload, "message").contains(QStringLiteral("the only CSV")));
    bool announced = false;
    for (const Event &e : recorder.named(events::ArtifactAdded))
        announced = announced || e.payload["artifact"]["id"] == "kaggle_dataset";
    QVERIFY(announced);
}

void TestKaggle::cancelledStageLeavesTheProjectUnchanged()
{
    FakeKaggleServer server;
    const QByteArray body = zipOf({{QStringLiteral("houses.csv"), csvRows(60000)}});
    server.route(kDownloadPath, {200, body, {}, body.size() / 2});
    ScopedEnv env;
    const auto session = openProject(server, env, QStringLiteral("ws-cancel"));
    QVERIFY(session);
    Conductor &conductor = session->conductor();
    conductor.startPipeline(QStringLiteral("predict price"), {{"dataset_id", "kaggle:acme/houses"}});
    QTRY_COMPARE_WITH_TIMEOUT(conductor.state().at(StageId::ParseIntent).status,
                              StageStatus::WaitingConfirmation, 30000);
    auto withoutStore = [&] {
        QStringList files = tree(conductor.projectDir());
        files.removeIf(
            [](const QString &f) { return f.startsWith(QLatin1String("project.sqlite")); });
        return files;
    };
    const QStringList before = withoutStore();

    bool cancelled = false;
    connect(&conductor, &Conductor::eventPublished, this, [&](const Event &e) {
        if (!cancelled && e.name == QLatin1String(events::StageStatus)
            && e.payload.value("bytes_received", 0) > 0) {
            cancelled = true;
            // From a fresh event-loop turn: the Conductor is still inside its own emission.
            QTimer::singleShot(0, &conductor, &Conductor::cancel);
        }
    });
    QVERIFY(conductor.confirm().accepted);
    QTRY_COMPARE_WITH_TIMEOUT(conductor.state().at(StageId::DataSource).status, StageStatus::Failed,
                              30000);
    QVERIFY(cancelled);
    QTRY_VERIFY_WITH_TIMEOUT(!conductor.isBusy(), 10000);
    QCOMPARE(withoutStore(), before);
    QCOMPARE(stringField(conductor.context(), "dataset_id"), QStringLiteral("kaggle:acme/houses"));
    QCOMPARE(stringField(conductor.context(), "data_path"), QString());
}

void TestKaggle::batonRunWithKaggleData()
{
    FakeKaggleServer server;
    ScopedEnv env; // for the child: credentials and the fake API
    env.set("BATON_KAGGLE_API_URL", server.baseUrl().toEncoded());
    env.set("KAGGLE_USERNAME", "ada");
    env.set("KAGGLE_KEY", "s3cret");

    QTemporaryDir dir;
    QProcess baton;
    QProcessEnvironment processEnv = QProcessEnvironment::systemEnvironment();
    processEnv.insert(QStringLiteral("HOME"), dir.path());
    processEnv.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    baton.setProcessEnvironment(processEnv);
    QSignalSpy finished(&baton, &QProcess::finished);
    // The server lives on this thread: wait with the event loop running, never blocking.
    baton.start(QStringLiteral(BATON_EXECUTABLE),
                {QStringLiteral("run"), QStringLiteral("--data"),
                 QStringLiteral("kaggle:acme/nothing-here"), QStringLiteral("--prompt"),
                 QStringLiteral("predict price"), QStringLiteral("--out"),
                 dir.filePath(QStringLiteral("out")), QStringLiteral("--workspace"),
                 dir.filePath(QStringLiteral("ws"))});
    QVERIFY(finished.wait(60000));
    const QByteArray out = baton.readAllStandardOutput();
    QCOMPARE(baton.exitCode(), 4);
    const json summary = json::parse(out.toStdString(), nullptr, false);
    QVERIFY2(summary.is_object(), out.constData());
    QCOMPARE(summary["stages"]["DATA_SOURCE"], "FAILED");
    QVERIFY2(stringField(summary, "error").contains(QStringLiteral("no Kaggle dataset acme/nothing-here")),
             out.constData());
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().path,
             QByteArray("/api/v1/datasets/download/acme/nothing-here"));
}

void TestKaggle::searchParsesKaggleReplies()
{
    FakeKaggleServer server;
    server.route(kSearchPath, {200, searchReply(), {}, -1, 64 * 1024, "application/json"});
    KaggleSearchOptions options;
    options.baseUrl = server.baseUrl();
    options.credentials = KaggleCredentials{QStringLiteral("ada"), QStringLiteral("s3cret"), QStringLiteral("test")};
    auto found = searchKaggleDatasets(QStringLiteral("house prices"), options);
    QVERIFY2(found.ok(), found.ok() ? "" : qPrintable(found.error().toString()));
    QCOMPARE(found->size(), size_t(2));
    const KaggleSearchResult &first = found->front();
    QCOMPARE(first.ref, QStringLiteral("acme/houses"));
    QCOMPARE(first.title, QStringLiteral("House Prices"));
    QCOMPARE(first.subtitle, QStringLiteral("Sales in Ames, Iowa"));
    QCOMPARE(first.totalBytes, qint64(123456));
    QCOMPARE(first.downloadCount, qint64(4200));
    QCOMPARE(first.voteCount, qint64(77));
    QCOMPARE(first.usabilityRating, 0.88);
    QCOMPARE(first.licenseName, QStringLiteral("CC0-1.0"));
    QCOMPARE(found->back().url, QStringLiteral("https://www.kaggle.com/datasets/zed/homes")); // derived
    QCOMPARE(found->back().totalBytes, qint64(-1));

    QCOMPARE(server.requests().size(), qsizetype(1));
    const auto &request = server.requests().front();
    QCOMPARE(request.path, QByteArray("/api/v1/datasets/list?search=house%20prices&filetype=csv"));
    QCOMPARE(request.authorization, "Basic " + QByteArray("ada:s3cret").toBase64());

    options.maxResults = 1;
    found = searchKaggleDatasets(QStringLiteral("houses"), options);
    QVERIFY(found.ok());
    QCOMPARE(found->size(), size_t(1));
}

void TestKaggle::searchFailures_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("stallAfter");
    QTest::addColumn<QString>("code");
    QTest::newRow("401") << 401 << QByteArray("{\"message\":\"Unauthenticated\"}") << qint64(-1) << "kaggle.unauthorized";
    QTest::newRow("500") << 500 << QByteArray("{}") << qint64(-1) << "kaggle.http_error";
    QTest::newRow("not a list") << 200 << QByteArray("{\"datasets\":[]}") << qint64(-1) << "kaggle.bad_reply";
    QTest::newRow("not JSON") << 200 << QByteArray("<html>maintenance</html>") << qint64(-1) << "kaggle.bad_reply";
    QTest::newRow("too slow") << 200 << searchReply() << qint64(10) << "kaggle.timeout";
}

void TestKaggle::searchFailures()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(qint64, stallAfter);
    QFETCH(QString, code);
    FakeKaggleServer server;
    server.route(kSearchPath, {status, body, {}, stallAfter, 64 * 1024, "application/json"});
    KaggleSearchOptions options;
    options.baseUrl = server.baseUrl();
    options.credentials = KaggleCredentials{QStringLiteral("ada"), QStringLiteral("s3cret"), QStringLiteral("test")};
    options.timeoutMs = 500;
    QElapsedTimer clock;
    clock.start();
    const auto found = searchKaggleDatasets(QStringLiteral("houses"), options);
    QVERIFY(!found.ok());
    QCOMPARE(found.error().code, code);
    QVERIFY(clock.elapsed() < 5000);
}

void TestKaggle::searchTermsFromTheIntent()
{
    QCOMPARE(kaggleSearchTerms(QStringLiteral("predict house prices"), QStringLiteral(" ames  houses ")),
             QStringLiteral("ames houses"));
    QCOMPARE(kaggleSearchTerms(QStringLiteral("Predict the price of used cars from their mileage"), QString()),
             QStringLiteral("price used cars mileage"));
    QCOMPARE(kaggleSearchTerms(QStringLiteral("classify it"), QString()), QString());
}

void TestKaggle::offeredDatasets(const FakeKaggleServer &server, bool withCredentials, const QString &workspace,
                                 json &datasets, QString &datasetHint)
{
    ScopedEnv env;
    const auto session = openProject(server, env, workspace);
    QVERIFY(session);
    if (!withCredentials) {
        env.unset("KAGGLE_USERNAME");
        env.unset("KAGGLE_KEY");
        env.set("KAGGLE_CONFIG_DIR", m_tmp.filePath(QStringLiteral("no-kaggle-here")).toUtf8());
    }
    Conductor &conductor = session->conductor();
    test::EventRecorder recorder(&conductor);
    conductor.startPipeline(QStringLiteral("predict house prices"), {});
    QTRY_COMPARE_WITH_TIMEOUT(conductor.state().at(StageId::ParseIntent).status, StageStatus::WaitingConfirmation, 30000);
    QVERIFY(conductor.confirm().accepted);
    QTRY_VERIFY_WITH_TIMEOUT(conductor.state().at(StageId::DataSource).status == StageStatus::WaitingConfirmation
                                 || conductor.state().at(StageId::DataSource).status == StageStatus::Failed,
                             30000);
    QCOMPARE(conductor.state().at(StageId::DataSource).status, StageStatus::WaitingConfirmation);
    const auto offers = recorder.named(events::DatasetCandidates);
    QCOMPARE(offers.size(), size_t(1));
    datasets = offers.front().payload["datasets"];
    QCOMPARE(offers.front().payload["count"].get<size_t>(), datasets.size());
    QCOMPARE(datasets.back()["id"].get<std::string>(), std::string("upload_csv"));
    datasetHint = fromStd(conductor.context()["intent"].value("dataset_hint", std::string()));
}

namespace {

std::vector<json> fromKaggle(const json &datasets)
{
    std::vector<json> kaggle;
    for (const json &d : datasets) {
        if (d.value("source", "") == "kaggle")
            kaggle.push_back(d);
    }
    return kaggle;
}

qsizetype searches(const FakeKaggleServer &server)
{
    return std::count_if(server.requests().begin(), server.requests().end(),
                         [](const auto &r) { return r.path.startsWith(kSearchPath); });
}

} // namespace

// With credentials, DATA_SOURCE's candidates include Kaggle's results (before the upload option),
// searched for with the intent's dataset hint; choosing one is a kaggle: reference.
void TestKaggle::dataSourceOffersKaggleResults()
{
    FakeKaggleServer server;
    server.route(kSearchPath, {200, searchReply(), {}, -1, 64 * 1024, "application/json"});
    json datasets;
    QString hint;
    offeredDatasets(server, true, QStringLiteral("ws-search"), datasets, hint);
    if (QTest::currentTestFailed())
        return;
    const std::vector<json> kaggle = fromKaggle(datasets);
    QCOMPARE(kaggle.size(), size_t(2));
    QCOMPARE(kaggle[0]["id"].get<std::string>(), std::string("kaggle:acme/houses"));
    QCOMPARE(kaggle[0]["name"].get<std::string>(), std::string("House Prices"));
    QCOMPARE(kaggle[0]["full_name"].get<std::string>(), std::string("acme/houses"));
    QCOMPARE(kaggle[0]["url"].get<std::string>(), std::string("https://www.kaggle.com/datasets/acme/houses"));
    QCOMPARE(kaggle[0]["downloads"].get<int>(), 4200);
    QCOMPARE(kaggle[0]["size_bytes"].get<int>(), 123456);
    QVERIFY(parseKaggleReference(fromStd(kaggle[1]["id"].get<std::string>())).ok());

    QCOMPARE(searches(server), qsizetype(1));
    QVERIFY(!hint.isEmpty());
    const QByteArray path = server.requests().front().path;
    QVERIFY2(path.contains("search=" + QUrl::toPercentEncoding(hint.simplified())), path.constData());
}

void TestKaggle::dataSourceWithoutCredentialsSearchesNothing()
{
    FakeKaggleServer server;
    server.route(kSearchPath, {200, searchReply(), {}, -1, 64 * 1024, "application/json"});
    json datasets;
    QString hint;
    offeredDatasets(server, false, QStringLiteral("ws-nocreds"), datasets, hint);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(fromKaggle(datasets).empty());
    QCOMPARE(server.requests().size(), qsizetype(0));
}

void TestKaggle::dataSourceSucceedsWhenTheSearchFails()
{
    FakeKaggleServer server;
    server.route(kSearchPath, {503, "{\"message\":\"down for maintenance\"}"});
    json datasets;
    QString hint;
    offeredDatasets(server, true, QStringLiteral("ws-searchfail"), datasets, hint);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(fromKaggle(datasets).empty());
    QCOMPARE(searches(server), qsizetype(1));
}

QTEST_GUILESS_MAIN(TestKaggle)
#include "tst_kaggle.moc"
