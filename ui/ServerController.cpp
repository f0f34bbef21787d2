#include "ServerController.h"

#include "UiSettings.h"

#include "core/pipeline/SessionPool.h"
#include "core/server/ProtocolServer.h"
#include "core/server/ServerSettings.h"

namespace baton::ui {

ServerController::ServerController(SessionPool &pool, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_server(new server::ProtocolServer(this))
{
    m_server->setSessionSource([this](const QString &projectId) { return m_pool.acquire(projectId); });
}

ServerController::~ServerController()
{
    m_server->stop(); // before the pool and the window's sessions go
}

bool ServerController::isListening() const
{
    return m_server->isListening();
}

void ServerController::setEnabled(bool enabled)
{
    UiSettings::setServerEnabled(enabled);
    applySettings();
}

void ServerController::applySettings()
{
    if (!UiSettings::serverEnabled()) {
        m_server->stop();
        m_error.reset();
        Q_EMIT statusChanged();
        return;
    }
    server::ServerOptions options;
    options.workspaceRoot = m_pool.workspace().root();
    options.accessToken = server::ServerSettings::accessToken();
    const QString host = UiSettings::serverHost();
    const int port = UiSettings::serverPort();
    const QStringList wanted = {host, QString::number(port), options.accessToken};
    if (m_server->isListening() && wanted == m_applied)
        return; // unchanged: the clients stay connected
    m_applied.clear();
    Status started = m_server->start(host, quint16(port), options);
    if (started)
        m_applied = wanted;
    m_error = started ? std::nullopt : std::optional<Error>(started.error());
    Q_EMIT statusChanged();
}

QString ServerController::statusText() const
{
    if (m_server->isListening())
        return listeningText();
    if (!m_error)
        return tr("Server: stopped");
    if (m_error->code == QLatin1String("server.port_in_use"))
        return tr("Server: port %1 is in use").arg(UiSettings::serverPort());
    return tr("Server: %1").arg(m_error->message);
}

QString ServerController::listeningText() const
{
    const QHostAddress address = m_server->address();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(address.toString())
                             : address.toString();
    return m_server->requiresToken()
               ? tr("Server: listening on %1:%2 (clients need the access token)").arg(host).arg(m_server->port())
               : tr("Server: listening on %1:%2").arg(host).arg(m_server->port());
}

} // namespace baton::ui
