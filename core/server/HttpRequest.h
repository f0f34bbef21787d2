#pragma once

#include "core/common/Result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <memory>

class QTemporaryFile;

namespace baton::server {

// One parsed HTTP/1.1 request. The head is parsed before any body byte is read, so a request
// can be refused (origin, token, size) without receiving its body.
struct HttpRequest
{
    QByteArray method;
    QByteArray target;  // as sent: path and query, still percent-encoded
    QByteArray rawPath; // target without the query, still percent-encoded
    QUrlQuery query;
    int versionMinor = 1; // HTTP/1.<minor>
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, in arrival order

    // The body: small bodies stay in memory; big or multipart bodies are streamed to a file.
    QByteArray body;
    std::shared_ptr<QTemporaryFile> bodyFile;
    qint64 bodySize = 0;

    QByteArray header(const QByteArray &lowerName) const;
    bool hasHeader(const QByteArray &lowerName) const;
    bool keepAlive() const;
    bool isWebSocketUpgrade() const;
    QByteArray origin() const { return header("origin"); }
    // Content-Length, -1 when absent; an error when malformed.
    Result<qint64> contentLength() const;
    bool isChunked() const;
};

// Parses a complete request head (request line + headers, up to and excluding the blank line).
// Errors carry the HTTP status to answer in their code ("400", "501", "505").
Result<HttpRequest> parseRequestHead(const QByteArray &head);

// Head size limits: a client cannot make the server buffer unbounded header data.
inline constexpr qsizetype kMaxHeadBytes = 64 * 1024;
inline constexpr int kMaxHeaderCount = 100;

} // namespace baton::server
