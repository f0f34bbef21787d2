#pragma once

#include "AssetResolver.h"
#include "HttpConnection.h"
#include "OriginPolicy.h"
#include "ProjectHub.h"
#include "RestApi.h"
#include "Router.h"
#include "ServerOptions.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

class QTcpServer;
class QWebSocketServer;

namespace baton::server {

// The running server behind ProtocolServer: one QTcpServer for HTTP and WebSocket, the
// request checks (origin, token, route, size) and the hand-over of upgrades to
// QWebSocketServer. Lives from start() to stop().
class ServerCore : public QObject, public HttpHandler
{
    Q_OBJECT

public:
    ServerCore(const ServerOptions &options, bool requireToken, QObject *parent = nullptr);
    ~ServerCore() override;

    Status listen(const QHostAddress &address, quint16 port);
    QTcpServer *tcpServer() const { return m_tcp; }
    ProjectHub &hub() { return m_hub; }

    // HttpHandler
    std::optional<HttpResponse> checkHead(const HttpRequest &head) override;
    void handle(HttpRequest request, HttpResponder responder) override;
    void upgrade(QTcpSocket *socket) override;
    void decorate(const HttpRequest &head, HttpResponse &response) override;
    qint64 maxBodyBytes() const override { return m_options.maxUploadBytes; }
    QString spoolDir() const override;

    static constexpr qint64 kMaxJsonBody = 1 << 20;

private:
    bool hasValidToken(const HttpRequest &head) const;
    void onWebSocket();

    ServerOptions m_options;
    bool m_requireToken;
    OriginPolicy m_origins;
    AssetResolver m_assets;
    ProjectHub m_hub;
    Router m_router;
    RestApi m_api; // after m_hub: destroyed first, waiting for its file workers
    QTcpServer *m_tcp;
    QWebSocketServer *m_ws;
};

} // namespace baton::server
