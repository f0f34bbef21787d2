#pragma once

#include "HttpRequest.h"
#include "HttpResponse.h"

#include <QStringList>

namespace baton::server {

// Which web pages may drive Baton. A browser always sends `Origin` on WebSocket handshakes and
// cross-origin requests, so checking it stops a page on another site from opening
// ws://localhost:8000 (cross-site WebSocket hijacking) or posting to the REST API. Requests
// without an Origin come from non-browser clients (curl, scripts) and are let through.
class OriginPolicy
{
public:
    // `extraOrigins`: exact origins ("https://lab.example:8443") beyond the local ones; "*"
    // allows every origin (only sensible together with a token).
    explicit OriginPolicy(QStringList extraOrigins = {});

    bool isAllowed(const QByteArray &origin) const;

    // CORS as protocol §0: echo an allowed origin, with credentials.
    void addCorsHeaders(const QByteArray &origin, HttpResponse &response) const;
    // The answer to an OPTIONS pre-flight from an allowed origin.
    HttpResponse preflight(const HttpRequest &request) const;

    static bool isLocalOrigin(const QByteArray &origin);

private:
    QStringList m_extraOrigins;
    bool m_allowAny = false;
};

} // namespace baton::server
