#pragma once

#include "core/common/Json.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace baton::server {

// One HTTP response: status, headers and either an in-memory body or a file streamed from disk.
struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString filePath; // non-empty: the body is this file, streamed in chunks

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &name) const;

    // Strict JSON body (protocol §0: NaN/Infinity become null).
    static HttpResponse json(const baton::json &value, int status = 200);
    // FastAPI-style error body {"detail": "..."} (protocol §0).
    static HttpResponse error(int status, const QString &detail);
    // The error for a failed operation, with the status its kind calls for.
    static HttpResponse error(const Error &error);
    static HttpResponse file(const QString &path, const QByteArray &contentType);

    // The status line and headers, with Content-Length and Connection filled in.
    QByteArray serializeHead(qint64 bodyLength, bool keepAlive) const;
};

QByteArray reasonPhrase(int status);
int httpStatusFor(ErrorKind kind);

} // namespace baton::server
