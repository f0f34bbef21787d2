// The server's small parts on their own: request heads, routes, multipart bodies, file names,
// origins and asset path confinement.

#include "core/server/AssetResolver.h"
#include "core/server/Decisions.h"
#include "core/server/HttpRequest.h"
#include "core/server/MultipartReader.h"
#include "core/server/OriginPolicy.h"
#include "core/server/Router.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace baton;
using namespace baton::server;

class TestHttpParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesRequestHead()
    {
        auto parsed = parseRequestHead("POST /api/projects/p/parse?x=1&y=%20z HTTP/1.1\r\nHost: a\r\n"
                                       "Content-Length: 12\r\nX-Thing:  spaced  \r\nConnection: close");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->method, QByteArray("POST"));
        QCOMPARE(parsed->rawPath, QByteArray("/api/projects/p/parse"));
        QCOMPARE(parsed->query.queryItemValue(QStringLiteral("y"), QUrl::FullyDecoded), QStringLiteral(" z"));
        QCOMPARE(parsed->header("x-thing"), QByteArray("spaced"));
        QCOMPARE(parsed->contentLength().value(), 12);
        QVERIFY(!parsed->keepAlive());
    }

    void refusesBadHeads_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("status");
        QTest::newRow("no version") << QByteArray("GET /") << "400";
        QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\nHost: a") << "505";
        QTest::newRow("no host") << QByteArray("GET / HTTP/1.1") << "400";
        QTest::newRow("relative target") << QByteArray("GET x HTTP/1.1\r\nHost: a") << "400";
        QTest::newRow("bad length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -3") << "400";
        QTest::newRow("gzip coding") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip") << "501";
        QTest::newRow("smuggling") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3") << "400";
        QTest::newRow("folding") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n continued") << "400";
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost a") << "400";
    }
    void refusesBadHeads()
    {
        QFETCH(QByteArray, head);
        QFETCH(QString, status);
        auto parsed = parseRequestHead(head);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, status);
    }

    void detectsWebSocketUpgrade()
    {
        auto parsed = parseRequestHead("GET /ws/projects/p HTTP/1.1\r\nHost: a\r\nUpgrade: WebSocket\r\n"
                                       "Connection: keep-alive, Upgrade");
        QVERIFY(parsed.ok());
        QVERIFY(parsed->isWebSocketUpgrade());
    }

    void routesByMethodAndPattern()
    {
        Router router;
        int hit = 0;
        router.get(QStringLiteral("/api/projects/{pid}/state"), [&](const RouteParams &, HttpRequest &, HttpResponder) { hit = 1; });
        router.post(QStringLiteral("/api/projects/{pid}/confirm"), [&](const RouteParams &, HttpRequest &, HttpResponder) { hit = 2; });
        router.get(QStringLiteral("/api/assets/{path*}"), [&](const RouteParams &, HttpRequest &, HttpResponder) { hit = 3; });

        auto state = router.match("GET", "/api/projects/demo%2Dproject/state");
        QCOMPARE(state.kind, Router::Match::Kind::Found);
        QCOMPARE(state.params.value(QStringLiteral("pid")), QStringLiteral("demo-project"));
        QCOMPARE(router.match("POST", "/api/projects/p/state").kind, Router::Match::Kind::MethodNotAllowed);
        QCOMPARE(router.match("GET", "/api/projects/p/nothing").kind, Router::Match::Kind::NotFound);
        QCOMPARE(router.match("GET", "/api/projects//state").kind, Router::Match::Kind::NotFound);
        auto asset = router.match("GET", "/api/assets/projects/p/a%20b.csv");
        QCOMPARE(asset.kind, Router::Match::Kind::Found);
        QCOMPARE(asset.params.value(QStringLiteral("path")), QStringLiteral("projects/p/a%20b.csv")); // still encoded
    }

    void extractsMultipartFileAcrossReadBoundaries()
    {
        // A file bigger than one read chunk, containing a near-boundary, must come out intact.
        QByteArray content;
        for (int i = 0; i < 40000; ++i)
            content += "row," + QByteArray::number(i) + ",\r\n--boun\n"; // a near-delimiter
        const QByteArray body = "--bound\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                                "--bound\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x.csv\"\r\n"
                                "Content-Type: text/csv\r\n\r\n"
                                + content + "\r\n--bound--\r\n";
        QBuffer in;
        in.setData(body);
        in.open(QIODevice::ReadOnly);
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        auto file = MultipartReader::extractFile(in, "bound", "file", out);
        QVERIFY2(file.ok(), qPrintable(file.ok() ? QString() : file.error().toString()));
        QCOMPARE(file->fileName, QStringLiteral("../../x.csv"));
        QCOMPARE(out.data(), content);
        QCOMPARE(sanitizeFileName(file->fileName), QStringLiteral("x.csv"));
    }

    void refusesMalformedMultipart()
    {
        QBuffer in;
        in.setData("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end");
        in.open(QIODevice::ReadOnly);
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        QVERIFY(!MultipartReader::extractFile(in, "b", "file", out).ok());
        QVERIFY(!MultipartReader::boundaryOf("application/json").ok());
        QCOMPARE(MultipartReader::boundaryOf("multipart/form-data; boundary=\"a b\"").value(), QByteArray("a b"));
    }

    void sanitisesFileNames_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("safe");
        QTest::newRow("plain") << "data.csv" << "data.csv";
        QTest::newRow("traversal") << "../../etc/passwd" << "passwd";
        QTest::newRow("windows") << "C:\\Users\\x\\My data.csv" << "My data.csv";
        QTest::newRow("hidden") << ".bashrc" << "bashrc";
        QTest::newRow("control and quotes") << "a\"b\n;c.csv" << "a_b__c.csv";
        QTest::newRow("nothing left") << "../.." << "";
    }
    void sanitisesFileNames()
    {
        QFETCH(QString, given);
        QFETCH(QString, safe);
        QCOMPARE(sanitizeFileName(given), safe);
    }

    void allowsOnlyLocalOriginsByDefault()
    {
        const OriginPolicy policy;
        QVERIFY(policy.isAllowed(""));
        QVERIFY(policy.isAllowed("http://localhost:5173"));
        QVERIFY(policy.isAllowed("http://127.0.0.1:8000"));
        QVERIFY(policy.isAllowed("http://[::1]:3000"));
        QVERIFY(!policy.isAllowed("http://evil.example"));
        QVERIFY(!policy.isAllowed("http://localhost.evil.example"));
        QVERIFY(!policy.isAllowed("null"));
        QVERIFY(!policy.isAllowed("file://"));
        const OriginPolicy extra({QStringLiteral("https://Lab.Example:8443")});
        QVERIFY(extra.isAllowed("https://lab.example:8443"));
        QVERIFY(!extra.isAllowed("https://lab.example"));
    }

    void confinesAssetPaths()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString root = dir.filePath(QStringLiteral("root"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/projects/p/assets")));
        QFile ok(root + QStringLiteral("/projects/p/assets/a b.csv"));
        QVERIFY(ok.open(QIODevice::WriteOnly));
        ok.write("x\n1\n");
        ok.close();
        QFile secret(dir.filePath(QStringLiteral("secret.txt")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.close();
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("secret.txt")), root + QStringLiteral("/projects/p/assets/link.txt")));
        QFile db(root + QStringLiteral("/projects/p/project.sqlite"));
        QVERIFY(db.open(QIODevice::WriteOnly));
        db.close();

        const AssetResolver resolver(root);
        QVERIFY(resolver.resolve("projects/p/assets/a%20b.csv").ok());
        for (const QByteArray &bad : {QByteArray("../secret.txt"), QByteArray("projects/../../secret.txt"),
                                      QByteArray("%2e%2e/secret.txt"), QByteArray("projects/%2E%2E/%2e%2e/secret.txt"),
                                      QByteArray("%2fetc/passwd"), QByteArray("projects/p/assets/link.txt"),
                                      QByteArray("projects\\..\\..\\secret.txt"), QByteArray("projects/p/./assets/a%20b.csv")}) {
            auto resolved = resolver.resolve(bad);
            QVERIFY2(!resolved.ok(), bad.constData());
            QCOMPARE(resolved.error().kind, ErrorKind::BadInput);
        }
        QCOMPARE(resolver.resolve("projects/p/project.sqlite").error().kind, ErrorKind::NotFound);
        QCOMPARE(resolver.resolve("projects/p/none.csv").error().kind, ErrorKind::NotFound);
        QCOMPARE(resolver.list(), QStringList{QStringLiteral("projects/p/assets/a b.csv")});
    }

    void validatesDecisions()
    {
        QVERIFY(validateDecisions(nullptr).ok());
        QCOMPARE(validateDecisions({{"time_budget_s", 3}, {"model_id", "xgboost"}})->size(), 2u);
        QVERIFY(!validateDecisions({{"time_budget_s", "3"}}).ok());
        QVERIFY(!validateDecisions({{"time_budget_s", 0}}).ok());
        QVERIFY(!validateDecisions({{"task", "poetry"}}).ok());
        QCOMPARE(validateDecisions({{"refit_all_rows", false}})->size(), 1u);
        QVERIFY(!validateDecisions({{"refit_all_rows", "no"}}).ok());
        QVERIFY(!validateDecisions({{"refit_all_rows", 0}}).ok());
        QVERIFY(!validateDecisions({{"rm -rf", true}}).ok());
        QVERIFY(!validateDecisions(json::array()).ok());
        QCOMPARE(validateDecisions({{"prompt", "x"}}, "prompt")->size(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestHttpParts)
#include "tst_httpparts.moc"
