#include "HttpResponse.h"

#include <QDateTime>
#include <QLocale>

namespace baton::server {

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0) {
            entry.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return entry.second;
    }
    return {};
}

HttpResponse HttpResponse::json(const baton::json &value, int status)
{
    HttpResponse response;
    response.status = status;
    response.body = toStrictJsonBytes(value);
    response.setHeader("Content-Type", "application/json");
    return response;
}

HttpResponse HttpResponse::error(int status, const QString &detail)
{
    return json({{"detail", toStd(detail)}}, status);
}

HttpResponse HttpResponse::error(const Error &error)
{
    return HttpResponse::error(httpStatusFor(error.kind), error.toString());
}

HttpResponse HttpResponse::file(const QString &path, const QByteArray &contentType)
{
    HttpResponse response;
    response.filePath = path;
    response.setHeader("Content-Type", contentType);
    return response;
}

QByteArray HttpResponse::serializeHead(qint64 bodyLength, bool keepAlive) const
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(bodyLength) + "\r\n";
    head += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    head += "Date: "
            + QLocale::c()
                  .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                  .toLatin1()
            + "\r\n";
    head += "Server: Baton/" BATON_VERSION "\r\n\r\n";
    return head;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

int httpStatusFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Usage:
    case ErrorKind::BadInput: return 400;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::NotImplemented: return 501;
    case ErrorKind::Cancelled: return 409;
    case ErrorKind::Network: return 502;
    case ErrorKind::Io:
    case ErrorKind::Internal: return 500;
    }
    return 500;
}

} // namespace baton::server
