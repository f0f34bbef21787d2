// `baton serve` as a user runs it: prints its address, serves, stops cleanly on SIGTERM; beyond
// loopback it prints the access token and refuses requests without it.

#include "ServerTestSupport.h"

#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace baton::test;

class TestServeCli : public QObject
{
    Q_OBJECT

private:
    static quint16 freePort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }
    static QProcessEnvironment environment(const QString &home)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home); // settings (and the token) in a scratch home
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        return env;
    }

private Q_SLOTS:
    void servesUntilTerminated()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        QProcess serve;
        serve.setProcessEnvironment(environment(dir.path()));
        serve.start(QStringLiteral(BATON_EXECUTABLE),
                    {QStringLiteral("serve"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--workspace"), dir.path()});
        QVERIFY(serve.waitForStarted());
        QByteArray out;
        QVERIFY(QTest::qWaitFor([&] { out += serve.readAllStandardOutput(); return out.contains("Baton protocol server on http://127.0.0.1:"); }, 30000));
        QVERIFY(!out.contains("Bearer")); // loopback: no token needed, none printed

        QNetworkAccessManager nam;
        HttpResult health;
        QVERIFY(QTest::qWaitFor([&] {
            health = http(nam, "GET", QUrl(QStringLiteral("http://127.0.0.1:%1/health").arg(port)));
            return health.status == 200;
        }, 30000));
        QCOMPARE_JSON(health.toJson()["status"], baton::json("healthy"));

        ::kill(pid_t(serve.processId()), SIGTERM);
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }

    void nonLoopbackPrintsAndRequiresTheToken()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        QProcess serve;
        serve.setProcessEnvironment(environment(dir.path()));
        serve.start(QStringLiteral(BATON_EXECUTABLE), {QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
                                                       QStringLiteral("--port"), QString::number(port),
                                                       QStringLiteral("--workspace"), dir.path()});
        QByteArray out;
        QVERIFY(QTest::qWaitFor([&] { out += serve.readAllStandardOutput(); return out.contains("Bearer "); }, 30000));
        const QByteArray token = out.mid(out.indexOf("Bearer ") + 7).left(64);
        QCOMPARE(token.size(), 64);

        QNetworkAccessManager nam;
        const QUrl health(QStringLiteral("http://127.0.0.1:%1/health").arg(port));
        QCOMPARE(http(nam, "GET", health).status, 401);
        QCOMPARE(http(nam, "GET", health, {}, {{"Authorization", "Bearer " + token}}).status, 200);
        serve.terminate();
        QVERIFY(serve.waitForFinished(30000));
    }

    void badPortIsAUsageError()
    {
        QProcess serve;
        serve.start(QStringLiteral(BATON_EXECUTABLE), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("70000")});
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitCode(), 2);
        QVERIFY(serve.readAllStandardError().contains("--port"));
    }
};

QTEST_GUILESS_MAIN(TestServeCli)
#include "tst_servecli.moc"
