#pragma once

#include "core/common/ExitCode.h"

#include <QString>
#include <QStringList>

class QTextStream;

namespace baton::server {

struct ServeRequest
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 8000;
    QString workspace; // empty: the default workspace
    QStringList allowedOrigins;
};

// `baton serve`: starts the protocol server, prints where it listens (and, beyond loopback,
// the access token) and serves until the application quits (SIGINT/SIGTERM).
ExitCode runServe(const ServeRequest &request, QTextStream &out, QTextStream &err);

} // namespace baton::server
