#include "ProtocolServer.h"

#include "ServerCore.h"
#include "ServerLogging.h"

#include <QTcpServer>

namespace baton::server {

ProtocolServer::ProtocolServer(QObject *parent)
    : QObject(parent)
{}

ProtocolServer::~ProtocolServer()
{
    stop();
}

bool ProtocolServer::isLoopback(const QHostAddress &address)
{
    return address.isLoopback();
}

Status ProtocolServer::start(const QString &host, quint16 port, const ServerOptions &options)
{
    stop();
    QHostAddress address;
    if (host.isEmpty() || host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return makeError(ErrorKind::Usage, QStringLiteral("server.host"),
                         QStringLiteral("'%1' is not an IP address (use 127.0.0.1, ::1, 0.0.0.0, ...)").arg(host));
    if (options.workspaceRoot.isEmpty())
        return makeError(ErrorKind::Usage, QStringLiteral("server.workspace"), QStringLiteral("No workspace folder given"));

    m_requireToken = options.requireToken.value_or(!isLoopback(address));
    if (m_requireToken && options.accessToken.size() < 16)
        return makeError(ErrorKind::Usage, QStringLiteral("server.token"),
                         QStringLiteral("Listening beyond loopback needs an access token of at least 16 characters"));

    auto core = std::make_unique<ServerCore>(options, m_requireToken);
    if (Status listening = core->listen(address, port); !listening)
        return listening;
    if (m_source)
        core->hub().setSessionSource(m_source);
    connect(&core->hub(), &ProjectHub::clientCountChanged, this, &ProtocolServer::clientCountChanged);
    m_core = std::move(core);
    qCInfo(lcServer) << "listening on" << address.toString() << this->port()
                     << (m_requireToken ? "(token required)" : "(loopback, no token)");
    Q_EMIT listeningChanged(true);
    return {};
}

void ProtocolServer::stop()
{
    if (!m_core)
        return;
    m_core.reset();
    Q_EMIT clientCountChanged(0);
    Q_EMIT listeningChanged(false);
}

bool ProtocolServer::isListening() const
{
    return m_core && m_core->tcpServer()->isListening();
}

QHostAddress ProtocolServer::address() const
{
    return m_core ? m_core->tcpServer()->serverAddress() : QHostAddress();
}

quint16 ProtocolServer::port() const
{
    return m_core ? m_core->tcpServer()->serverPort() : 0;
}

bool ProtocolServer::requiresToken() const
{
    return m_core && m_requireToken;
}

int ProtocolServer::clientCount() const
{
    return m_core ? m_core->hub().clientCount() : 0;
}

void ProtocolServer::closeProject(const QString &projectId)
{
    if (m_core)
        m_core->hub().closeProject(projectId);
}

void ProtocolServer::setSessionSource(ProjectHub::SessionSource source)
{
    m_source = std::move(source);
    if (m_core)
        m_core->hub().setSessionSource(m_source);
}

} // namespace baton::server
