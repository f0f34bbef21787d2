#include "ServeCommand.h"

#include "ProtocolServer.h"
#include "ServerSettings.h"

#include "core/project/Workspace.h"

#include <QCoreApplication>
#include <QTextStream>

namespace baton::server {

ExitCode runServe(const ServeRequest &request, QTextStream &out, QTextStream &err)
{
    ServerOptions options;
    options.workspaceRoot = request.workspace.isEmpty() ? Workspace::defaultRoot() : request.workspace;
    options.allowedOrigins = request.allowedOrigins;
    options.accessToken = ServerSettings::accessToken();

    ProtocolServer server;
    if (Status started = server.start(request.host, quint16(request.port), options); !started) {
        err << "baton serve: " << started.error().toString() << '\n';
        err.flush();
        return started.error().kind == ErrorKind::Usage ? ExitCode::Usage : ExitCode::Failure;
    }
    const QString host = server.address().protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(server.address().toString())
                             : server.address().toString();
    out << "Baton protocol server on http://" << host << ':' << server.port()
        << " (WebSocket ws://" << host << ':' << server.port() << "/ws/projects/<id>)\n";
    out << "Workspace: " << options.workspaceRoot << '\n';
    if (server.requiresToken()) {
        out << "Listening beyond loopback: every request needs 'Authorization: Bearer "
            << options.accessToken << "' (WebSockets: ?token=...)\n";
    }
    out << "Stop with Ctrl+C.\n";
    out.flush();
    QCoreApplication::exec();
    server.stop();
    return ExitCode::Success;
}

} // namespace baton::server
