#include "OriginPolicy.h"

#include <QUrl>

namespace baton::server {

namespace {
QString normalised(const QString &origin)
{
    const QUrl url(origin.trimmed());
    if (!url.isValid() || url.host().isEmpty())
        return {};
    QString out = url.scheme().toLower() + QStringLiteral("://") + url.host().toLower();
    if (url.port() >= 0)
        out += QLatin1Char(':') + QString::number(url.port());
    return out;
}
} // namespace

OriginPolicy::OriginPolicy(QStringList extraOrigins)
{
    for (const QString &origin : extraOrigins) {
        if (origin.trimmed() == QLatin1String("*"))
            m_allowAny = true;
        else if (const QString n = normalised(origin); !n.isEmpty())
            m_extraOrigins << n;
    }
}

bool OriginPolicy::isLocalOrigin(const QByteArray &origin)
{
    const QUrl url(QString::fromLatin1(origin));
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return false;
    if (!url.path().isEmpty() || url.hasQuery() || !url.userInfo().isEmpty())
        return false;
    const QString host = url.host().toLower();
    return host == QLatin1String("localhost") || host == QLatin1String("127.0.0.1")
           || host == QLatin1String("::1") || host.endsWith(QLatin1String(".localhost"));
}

bool OriginPolicy::isAllowed(const QByteArray &origin) const
{
    if (origin.isEmpty())
        return true;
    if (m_allowAny || isLocalOrigin(origin))
        return true;
    const QString n = normalised(QString::fromLatin1(origin));
    return !n.isEmpty() && m_extraOrigins.contains(n);
}

void OriginPolicy::addCorsHeaders(const QByteArray &origin, HttpResponse &response) const
{
    if (origin.isEmpty() || !isAllowed(origin))
        return;
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Access-Control-Allow-Credentials", "true");
    response.setHeader("Access-Control-Expose-Headers", "Content-Disposition");
    response.setHeader("Vary", "Origin");
}

HttpResponse OriginPolicy::preflight(const HttpRequest &request) const
{
    HttpResponse response;
    response.status = 200;
    response.body = "OK";
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    response.setHeader("Access-Control-Allow-Methods", "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    const QByteArray requested = request.header("access-control-request-headers");
    if (!requested.isEmpty())
        response.setHeader("Access-Control-Allow-Headers", requested);
    response.setHeader("Access-Control-Max-Age", "600");
    return response;
}

} // namespace baton::server
