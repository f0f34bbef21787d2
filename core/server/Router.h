#pragma once

#include "HttpConnection.h"

#include <QHash>
#include <QStringList>

#include <functional>
#include <vector>

namespace baton::server {

// Path parameters of a matched route: `{pid}` segments percent-decoded, a trailing `{path*}`
// left encoded (the asset resolver decodes and confines it itself).
struct RouteParams
{
    QHash<QString, QString> values;
    QString value(const QString &name) const { return values.value(name); }
};

using RouteHandler = std::function<void(const RouteParams &, HttpRequest &, HttpResponder)>;

// Maps method + path onto handlers. Patterns are literal segments, `{name}` (one segment) and
// a final `{name*}` (the rest of the path).
class Router
{
public:
    struct Route
    {
        QByteArray method;
        QStringList segments;
        RouteHandler handler;
        bool acceptsBody = false;
    };

    struct Match
    {
        enum class Kind { Found, NotFound, MethodNotAllowed };
        Kind kind = Kind::NotFound;
        const Route *route = nullptr;
        RouteParams params;
        QList<QByteArray> allowedMethods;
    };

    void get(const QString &pattern, RouteHandler handler);
    // POST routes read a body (JSON or multipart); others refuse one.
    void post(const QString &pattern, RouteHandler handler);

    Match match(const QByteArray &method, const QByteArray &rawPath) const;

private:
    void add(QByteArray method, const QString &pattern, RouteHandler handler, bool acceptsBody);
    static bool matches(const Route &route, const QList<QByteArray> &segments, RouteParams *params);

    std::vector<Route> m_routes;
};

} // namespace baton::server
