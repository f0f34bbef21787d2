// The protocol server switched on and off from the desktop app: a real WebSocket client gets
// HELLO and drives the very session the window shows; off closes the port; a busy port is
// reported in the status bar, not a crash.

#include "tests/server/ServerTestSupport.h"
#include "tests/TestSupport.h"

#include "core/conductor/Conductor.h"
#include "core/server/ProtocolServer.h"
#include "core/server/ServerSettings.h"
#include "ui/MainWindow.h"
#include "ui/ServerController.h"
#include "ui/UiSettings.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/StageTimelineModel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;
using namespace baton::test;
using namespace baton::ui;

class TestUiServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        UiSettings::setServerEnabled(false);
        UiSettings::setServerHost(QStringLiteral("127.0.0.1"));
        UiSettings::setServerPort(0); // any free port: tests run in parallel
    }
    void cleanup() { UiSettings::setServerEnabled(false); }

    void toggledOnServesTheWindowsSession();
    void toggledOffClosesThePort();
    void busyPortIsReportedWithoutCrash();
    void beyondLoopbackNeedsTheShownToken();
    void deletingAProjectDisconnectsItsWebClients();
    void settingsDialogStoresTheServerFields();
    void startsAtLaunchWhenEnabled();

private:
    static QAction *serverAction(MainWindow &window) { return window.findChild<QAction *>(QStringLiteral("serverAction")); }
    static QString statusLine(MainWindow &window)
    {
        return window.findChild<QLabel *>(QStringLiteral("serverStatus"))->text();
    }
    static QUrl wsUrl(quint16 port, const QString &projectId)
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/projects/%2").arg(port).arg(projectId));
    }
};

void TestUiServer::toggledOnServesTheWindowsSession()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QCOMPARE(statusLine(window), QStringLiteral("Server: stopped"));
    QVERIFY(window.createProject(QStringLiteral("Shared")));
    Conductor *conductor = window.conductor();
    conductor->setHandler(StageId::ParseIntent, waitingHandler(QStringLiteral("from the window")));

    QAction *toggle = serverAction(window);
    QVERIFY(toggle && toggle->isCheckable() && !toggle->isChecked());
    toggle->trigger();
    server::ProtocolServer &server = window.serverController()->server();
    QVERIFY(server.isListening());
    QVERIFY(toggle->isChecked());
    QVERIFY(UiSettings::serverEnabled());
    QCOMPARE(statusLine(window), QStringLiteral("Server: listening on 127.0.0.1:%1").arg(server.port()));

    WsProbe probe;
    QVERIFY(probe.open(wsUrl(server.port(), QStringLiteral("shared"))));
    QVERIFY(probe.waitFor([&] { return !probe.named("HELLO").empty() && !probe.named("STAGE_STATUS").empty(); }));

    // one Conductor: the window starts the run, the web client sees it and confirms it, the
    // window shows the confirmation taking effect
    auto *goal = window.findChild<QLineEdit *>(QStringLiteral("goalEdit"));
    goal->setText(QStringLiteral("predict y"));
    QTest::keyClick(goal, Qt::Key_Return);
    QVERIFY(probe.waitFor([&] { return probe.stageStatuses().contains(QStringLiteral("PARSE_INTENT:WAITING_CONFIRMATION")); }));
    QCOMPARE(window.conductor(), conductor);
    conductor->setHandler(StageId::DataSource, waitingHandler(QStringLiteral("from the web")));
    probe.send({{"type", "confirm"}});
    QTRY_COMPARE(window.timelineModel()->status(StageId::DataSource), StageStatus::WaitingConfirmation);
    QCOMPARE(window.timelineModel()->status(StageId::ParseIntent), StageStatus::Completed);
}

void TestUiServer::toggledOffClosesThePort()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QVERIFY(window.createProject(QStringLiteral("p")));
    serverAction(window)->trigger();
    server::ProtocolServer &server = window.serverController()->server();
    QVERIFY(server.isListening());
    const quint16 port = server.port();
    WsProbe probe;
    QVERIFY(probe.open(wsUrl(port, QStringLiteral("p"))));
    QVERIFY(probe.waitFor([&] { return !probe.named("HELLO").empty(); }));

    serverAction(window)->trigger();
    QVERIFY(!server.isListening());
    QVERIFY(!serverAction(window)->isChecked());
    QVERIFY(!UiSettings::serverEnabled());
    QCOMPARE(statusLine(window), QStringLiteral("Server: stopped"));
    QTRY_COMPARE(probe.socket.state(), QAbstractSocket::UnconnectedState);

    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!refused.waitForConnected(3000));
    QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);
    // the window keeps its project, the session the server shared with it included
    QVERIFY(window.conductor());
    QCOMPARE(window.conductor()->projectId(), QStringLiteral("p"));
}

void TestUiServer::busyPortIsReportedWithoutCrash()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const quint16 busyPort = squatter.serverPort();
    UiSettings::setServerPort(busyPort);
    QTemporaryDir dir;
    MainWindow window(dir.path());
    serverAction(window)->trigger();
    QVERIFY(!window.serverController()->isListening());
    QVERIFY(!serverAction(window)->isChecked());
    QCOMPARE(statusLine(window), QStringLiteral("Server: port %1 is in use").arg(busyPort));

    // once the port is free, switching it on again works
    squatter.close();
    serverAction(window)->trigger();
    QVERIFY(window.serverController()->isListening());
    QCOMPARE(window.serverController()->server().port(), busyPort);
}

void TestUiServer::beyondLoopbackNeedsTheShownToken()
{
    UiSettings::setServerHost(QStringLiteral("0.0.0.0"));
    QTemporaryDir dir;
    MainWindow window(dir.path());
    serverAction(window)->trigger();
    server::ProtocolServer &server = window.serverController()->server();
    QVERIFY(server.isListening());
    QVERIFY(server.requiresToken());
    QCOMPARE(statusLine(window),
             QStringLiteral("Server: listening on 0.0.0.0:%1 (clients need the access token)").arg(server.port()));
    const QString token = SettingsDialog().tokenEdit()->text(); // what the user copies
    QCOMPARE(token, server::ServerSettings::accessToken());
    QNetworkAccessManager nam;
    const QUrl health(QStringLiteral("http://127.0.0.1:%1/health").arg(server.port()));
    QCOMPARE(http(nam, "GET", health).status, 401);
    QCOMPARE(http(nam, "GET", health, {}, {{"Authorization", "Bearer " + token.toLatin1()}}).status, 200);

    // a new token restarts the server with it: the old one stops working
    server::ServerSettings::regenerateAccessToken();
    window.serverController()->applySettings();
    const QUrl restarted(QStringLiteral("http://127.0.0.1:%1/health").arg(server.port())); // port 0: a new one
    QCOMPARE(http(nam, "GET", restarted, {}, {{"Authorization", "Bearer " + token.toLatin1()}}).status, 401);
    const QByteArray fresh = "Bearer " + server::ServerSettings::accessToken().toLatin1();
    QCOMPARE(http(nam, "GET", restarted, {}, {{"Authorization", fresh}}).status, 200);
}

void TestUiServer::deletingAProjectDisconnectsItsWebClients()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QVERIFY(window.createProject(QStringLiteral("Watched")));
    serverAction(window)->trigger();
    const quint16 port = window.serverController()->server().port();
    WsProbe watcher, other;
    QVERIFY(watcher.open(wsUrl(port, QStringLiteral("watched"))));
    QVERIFY(other.open(wsUrl(port, QStringLiteral("elsewhere")))); // a project only the server opened
    QVERIFY(watcher.waitFor([&] { return !watcher.named("HELLO").empty() && !other.named("HELLO").empty(); }));

    QVERIFY(window.deleteProject(QStringLiteral("watched")));
    QTRY_COMPARE(watcher.socket.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(!Workspace(dir.path()).contains(QStringLiteral("watched")));
    QCOMPARE(other.socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(window.serverController()->server().clientCount(), 1);
}

void TestUiServer::settingsDialogStoresTheServerFields()
{
    const QString token = server::ServerSettings::accessToken();
    SettingsDialog dialog;
    QCOMPARE(dialog.tokenEdit()->text(), token);
    QVERIFY(dialog.tokenEdit()->isReadOnly());
    QVERIFY(!dialog.serverBox()->isChecked());
    dialog.serverBox()->setChecked(true);
    dialog.serverHostBox()->setCurrentIndex(dialog.serverHostBox()->findData(QStringLiteral("0.0.0.0")));
    dialog.serverPortBox()->setValue(8123);
    QPushButton *renew = nullptr;
    for (QPushButton *button : dialog.findChildren<QPushButton *>()) {
        if (button->text().remove(QLatin1Char('&')) == QLatin1String("New token"))
            renew = button;
    }
    QVERIFY(renew);
    renew->click();
    QVERIFY(dialog.tokenEdit()->text() != token);
    QCOMPARE(dialog.tokenEdit()->text(), server::ServerSettings::accessToken());
    dialog.save();
    QVERIFY(UiSettings::serverEnabled());
    QCOMPARE(UiSettings::serverHost(), QStringLiteral("0.0.0.0"));
    QCOMPARE(UiSettings::serverPort(), 8123);

    // a typed address is taken as typed
    dialog.serverHostBox()->setEditText(QStringLiteral("::1"));
    dialog.save();
    QCOMPARE(UiSettings::serverHost(), QStringLiteral("::1"));
}

void TestUiServer::startsAtLaunchWhenEnabled()
{
    UiSettings::setServerEnabled(true);
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QVERIFY(window.serverController()->isListening());
    QVERIFY(serverAction(window)->isChecked());
    QVERIFY(statusLine(window).startsWith(QStringLiteral("Server: listening on 127.0.0.1:")));
}

QTEST_MAIN(TestUiServer)
#include "tst_uiserver.moc"
