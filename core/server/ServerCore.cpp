#include "ServerCore.h"

#include "ServerLogging.h"

#include "core/project/Workspace.h"

#include <QDir>
#include <QHostAddress>
#include <QNetworkRequest>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

namespace baton::server {

namespace {

const QString kWsPrefix = QStringLiteral("/ws/projects/");

struct WsTarget
{
    QString projectId;
    std::optional<qint64> since;
};

// /ws/projects/{pid}[?since=SEQ]
Result<WsTarget> parseWsTarget(const QByteArray &rawPath, const QUrlQuery &query)
{
    const QString path = QString::fromLatin1(rawPath);
    if (!path.startsWith(kWsPrefix) || path.mid(kWsPrefix.size()).contains(QLatin1Char('/')))
        return makeError(ErrorKind::NotFound, QStringLiteral("ws.route"), QStringLiteral("No WebSocket endpoint at %1").arg(path));
    WsTarget target;
    target.projectId = QUrl::fromPercentEncoding(path.mid(kWsPrefix.size()).toLatin1());
    if (!Workspace::isValidProjectId(target.projectId))
        return makeError(ErrorKind::BadInput, QStringLiteral("project.invalid_id"),
                         QStringLiteral("Invalid project id '%1'").arg(target.projectId));
    if (query.hasQueryItem(QStringLiteral("since"))) {
        bool ok = false;
        const qint64 since = query.queryItemValue(QStringLiteral("since")).toLongLong(&ok);
        if (!ok || since < 0)
            return makeError(ErrorKind::BadInput, QStringLiteral("ws.since"),
                             QStringLiteral("since must be a non-negative event sequence number"));
        target.since = since;
    }
    return target;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

ServerCore::ServerCore(const ServerOptions &options, bool requireToken, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_requireToken(requireToken)
    , m_origins(options.allowedOrigins)
    , m_assets(options.workspaceRoot)
    , m_hub(options.workspaceRoot)
    , m_api(m_hub, m_assets, m_options)
    , m_tcp(new QTcpServer(this))
    , m_ws(new QWebSocketServer(QStringLiteral("Baton"), QWebSocketServer::NonSecureMode, this))
{
    m_api.addRoutes(m_router);
    connect(m_tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
            // Events are small frames sent as they happen: without TCP_NODELAY, Nagle's
            // algorithm holds each one back until the client's (delayed) ACK, up to 40 ms.
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            new HttpConnection(socket, this, this);
        }
    });
    // Second line of defence: the same policy inside the handshake itself.
    connect(m_ws, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *authenticator) {
                authenticator->setAllowed(m_origins.isAllowed(authenticator->origin().toUtf8()));
            });
    connect(m_ws, &QWebSocketServer::newConnection, this, &ServerCore::onWebSocket);
}

ServerCore::~ServerCore()
{
    m_hub.closeAll();
}

Status ServerCore::listen(const QHostAddress &address, quint16 port)
{
    if (!m_tcp->listen(address, port)) {
        if (m_tcp->serverError() == QAbstractSocket::AddressInUseError) {
            return makeError(ErrorKind::Io, QStringLiteral("server.port_in_use"),
                             QStringLiteral("Port %1 is in use on %2").arg(port).arg(address.toString()));
        }
        return makeError(ErrorKind::Io, QStringLiteral("server.listen"),
                         QStringLiteral("Cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_tcp->errorString()));
    }
    return {};
}

QString ServerCore::spoolDir() const
{
    return QDir(m_options.workspaceRoot).filePath(QStringLiteral(".spool"));
}

bool ServerCore::hasValidToken(const HttpRequest &head) const
{
    QByteArray presented;
    const QByteArray authorization = head.header("authorization");
    if (authorization.startsWith("Bearer ") || authorization.startsWith("bearer "))
        presented = authorization.mid(7).trimmed();
    else if (head.query.hasQueryItem(QStringLiteral("token")))
        presented = head.query.queryItemValue(QStringLiteral("token")).toUtf8(); // browsers' WebSockets
    return !m_options.accessToken.isEmpty() && constantTimeEquals(presented, m_options.accessToken.toUtf8());
}

std::optional<HttpResponse> ServerCore::checkHead(const HttpRequest &head)
{
    const QByteArray origin = head.origin();
    if (!m_origins.isAllowed(origin)) {
        qCWarning(lcServer) << "refused origin" << origin << head.method << head.rawPath;
        return HttpResponse::error(403, QStringLiteral("Origin not allowed: %1").arg(QString::fromLatin1(origin)));
    }
    const bool preflight = head.method == "OPTIONS";
    if (m_requireToken && !preflight && !hasValidToken(head)) {
        HttpResponse response = HttpResponse::error(401, QStringLiteral("Missing or invalid access token: send "
                                                                        "'Authorization: Bearer <token>'"));
        response.setHeader("WWW-Authenticate", "Bearer");
        return response;
    }
    if (head.isWebSocketUpgrade()) {
        auto target = parseWsTarget(head.rawPath, head.query);
        if (!target)
            return HttpResponse::error(target.error());
        return std::nullopt;
    }
    const Router::Match match = m_router.match(preflight ? QByteArray("GET") : head.method, head.rawPath);
    if (preflight) {
        if (match.kind == Router::Match::Kind::NotFound)
            return HttpResponse::error(404, QStringLiteral("Not Found"));
        return std::nullopt;
    }
    if (match.kind == Router::Match::Kind::NotFound)
        return HttpResponse::error(404, QStringLiteral("Not Found"));
    if (match.kind == Router::Match::Kind::MethodNotAllowed) {
        HttpResponse response = HttpResponse::error(405, QStringLiteral("Method Not Allowed"));
        response.setHeader("Allow", match.allowedMethods.join(", "));
        return response;
    }
    const bool fileUpload = head.rawPath.endsWith("/upload");
    const qint64 limit = fileUpload ? m_options.maxUploadBytes : kMaxJsonBody;
    if (head.contentLength().value() > limit) {
        return HttpResponse::error(413, QStringLiteral("The request body is larger than the %1 limit")
                                            .arg(fileUpload ? QStringLiteral("%1 MB upload").arg(limit >> 20)
                                                            : QStringLiteral("1 MB JSON")));
    }
    return std::nullopt;
}

void ServerCore::handle(HttpRequest request, HttpResponder responder)
{
    if (request.method == "OPTIONS") {
        responder.send(m_origins.preflight(request));
        return;
    }
    const Router::Match match = m_router.match(request.method, request.rawPath);
    if (match.kind != Router::Match::Kind::Found) {
        responder.send(HttpResponse::error(404, QStringLiteral("Not Found")));
        return;
    }
    match.route->handler(match.params, request, responder);
}

void ServerCore::decorate(const HttpRequest &head, HttpResponse &response)
{
    m_origins.addCorsHeaders(head.origin(), response);
}

void ServerCore::upgrade(QTcpSocket *socket)
{
    socket->setParent(this);
    m_ws->handleConnection(socket);
}

void ServerCore::onWebSocket()
{
    while (QWebSocket *socket = m_ws->nextPendingConnection()) {
        const QUrl url = socket->request().url();
        auto target = parseWsTarget(url.path(QUrl::FullyEncoded).toLatin1(), QUrlQuery(url));
        if (!target) { // checked before the handshake; kept for safety
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, target.error().message);
            socket->deleteLater();
            continue;
        }
        m_hub.addClient(target->projectId, socket, target->since);
    }
}

} // namespace baton::server
