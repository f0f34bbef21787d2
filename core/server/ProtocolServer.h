#pragma once

#include "ProjectHub.h"
#include "ServerOptions.h"

#include "core/common/Result.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace baton::server {

class ServerCore;

// The WebSocket + REST server of shared/protocol.md on one port, for `baton serve` and for the
// GUI's "serve the web UI" setting.
//
//   ProtocolServer server;
//   ServerOptions options;
//   options.workspaceRoot = Workspace::defaultRoot();
//   options.accessToken = ServerSettings::accessToken();
//   if (Status started = server.start("127.0.0.1", 8000, options); !started) ...
//   ...
//   server.stop();
//
// Safe by default: a non-loopback address requires the bearer token; browser origins other
// than localhost are refused unless listed in options.allowedOrigins. Lives on (and must be
// used from) the thread that runs the projects' Conductors, normally the GUI thread.
class ProtocolServer : public QObject
{
    Q_OBJECT

public:
    explicit ProtocolServer(QObject *parent = nullptr);
    ~ProtocolServer() override;

    // `host`: an address or "localhost"; port 0 picks a free port (see port()).
    Status start(const QString &host, quint16 port, const ServerOptions &options);
    // Closes every connection and releases the projects it opened.
    void stop();

    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    // Whether clients must present the access token (non-loopback address, or forced).
    bool requiresToken() const;
    int clientCount() const;

    // Disconnects the project's clients and lets go of its session (before deleting it).
    void closeProject(const QString &projectId);

    // Shares the GUI's open sessions (see ProjectHub::SessionSource); applies to later starts too.
    void setSessionSource(ProjectHub::SessionSource source);

    static bool isLoopback(const QHostAddress &address);

Q_SIGNALS:
    void listeningChanged(bool listening);
    void clientCountChanged(int clients);

private:
    std::unique_ptr<ServerCore> m_core;
    ProjectHub::SessionSource m_source;
    bool m_requireToken = false;
};

} // namespace baton::server
