#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace baton::server {

struct ServerOptions
{
    // The workspace: projects live in <root>/projects/<id>; it is also the protocol's ASSET_ROOT.
    QString workspaceRoot;
    // Web origins allowed beyond the local ones (http(s)://localhost|127.0.0.1|[::1], any port).
    QStringList allowedOrigins;
    // Bearer token clients must send (Authorization header, or ?token= for WebSockets).
    QString accessToken;
    // Default: required exactly when the address is not loopback.
    std::optional<bool> requireToken;
    qint64 maxUploadBytes = qint64(2) << 30;
    // How long dataset/download may wait for DATA_SOURCE to load the data.
    int datasetLoadTimeoutMs = 10 * 60 * 1000;
};

} // namespace baton::server
