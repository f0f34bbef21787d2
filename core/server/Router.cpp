#include "Router.h"

#include <QUrl>

namespace baton::server {

void Router::get(const QString &pattern, RouteHandler handler)
{
    add("GET", pattern, std::move(handler), false);
}

void Router::post(const QString &pattern, RouteHandler handler)
{
    add("POST", pattern, std::move(handler), true);
}

void Router::add(QByteArray method, const QString &pattern, RouteHandler handler, bool acceptsBody)
{
    Route route;
    route.method = std::move(method);
    route.segments = pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    route.handler = std::move(handler);
    route.acceptsBody = acceptsBody;
    m_routes.push_back(std::move(route));
}

bool Router::matches(const Route &route, const QList<QByteArray> &segments, RouteParams *params)
{
    RouteParams found;
    qsizetype i = 0;
    for (; i < route.segments.size(); ++i) {
        const QString &pattern = route.segments[i];
        if (pattern.startsWith(QLatin1Char('{')) && pattern.endsWith(QLatin1String("*}"))) {
            QStringList rest;
            for (qsizetype j = i; j < segments.size(); ++j)
                rest << QString::fromLatin1(segments[j]);
            found.values.insert(pattern.mid(1, pattern.size() - 3), rest.join(QLatin1Char('/')));
            *params = std::move(found);
            return true;
        }
        if (i >= segments.size())
            return false;
        if (pattern.startsWith(QLatin1Char('{')) && pattern.endsWith(QLatin1Char('}'))) {
            const QString value = QUrl::fromPercentEncoding(segments[i]);
            if (value.isEmpty())
                return false;
            found.values.insert(pattern.mid(1, pattern.size() - 2), value);
        } else if (pattern != QLatin1String(segments[i])) {
            return false;
        }
    }
    if (i != segments.size())
        return false;
    *params = std::move(found);
    return true;
}

Router::Match Router::match(const QByteArray &method, const QByteArray &rawPath) const
{
    // Empty segments are kept except the trailing one: "/api/assets/" lists, "a//b" is no route.
    QList<QByteArray> segments = rawPath.split('/');
    segments.removeFirst(); // before the leading '/'
    if (!segments.isEmpty() && segments.last().isEmpty())
        segments.removeLast();

    Match result;
    for (const Route &route : m_routes) {
        RouteParams params;
        if (!matches(route, segments, &params))
            continue;
        const bool sameMethod = route.method == method || (method == "HEAD" && route.method == "GET");
        if (sameMethod) {
            result.kind = Match::Kind::Found;
            result.route = &route;
            result.params = std::move(params);
            return result;
        }
        result.kind = Match::Kind::MethodNotAllowed;
        result.allowedMethods << route.method;
    }
    return result;
}

} // namespace baton::server
