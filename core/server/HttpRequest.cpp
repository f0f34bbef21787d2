#include "HttpRequest.h"

#include <QTemporaryFile>

namespace baton::server {

namespace {

Error headError(int status, const QString &message)
{
    return makeError(ErrorKind::BadInput, QString::number(status), message);
}

bool isToken(const QByteArray &text)
{
    static const QByteArray separators = QByteArrayLiteral("()<>@,;:\\\"/[]?={} \t");
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (c <= 32 || c >= 127 || separators.contains(c))
            return false;
    }
    return true;
}

// Header list elements ("keep-alive, Upgrade"), lower-cased.
QList<QByteArray> tokens(const QByteArray &value)
{
    QList<QByteArray> out;
    for (const QByteArray &part : value.split(','))
        out << part.trimmed().toLower();
    return out;
}

} // namespace

QByteArray HttpRequest::header(const QByteArray &lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

bool HttpRequest::hasHeader(const QByteArray &lowerName) const
{
    for (const auto &entry : headers) {
        if (entry.first == lowerName)
            return true;
    }
    return false;
}

bool HttpRequest::keepAlive() const
{
    const QList<QByteArray> connection = tokens(header("connection"));
    if (connection.contains("close"))
        return false;
    return versionMinor >= 1 || connection.contains("keep-alive");
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return method == "GET" && tokens(header("upgrade")).contains("websocket")
           && tokens(header("connection")).contains("upgrade");
}

Result<qint64> HttpRequest::contentLength() const
{
    if (!hasHeader("content-length"))
        return qint64(-1);
    const QByteArray value = header("content-length").trimmed();
    bool ok = false;
    const qint64 length = value.toLongLong(&ok);
    if (!ok || length < 0 || value.startsWith('+'))
        return headError(400, QStringLiteral("Invalid Content-Length"));
    return length;
}

bool HttpRequest::isChunked() const
{
    return tokens(header("transfer-encoding")).contains("chunked");
}

Result<HttpRequest> parseRequestHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty())
        return headError(400, QStringLiteral("Empty request"));
    auto stripCr = [](QByteArray line) {
        if (line.endsWith('\r'))
            line.chop(1);
        return line;
    };

    HttpRequest request;
    const QList<QByteArray> requestLine = stripCr(lines.first()).split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty())
        return headError(400, QStringLiteral("Malformed request line"));
    request.method = requestLine[0];
    request.target = requestLine[1];
    const QByteArray &version = requestLine[2];
    if (version == "HTTP/1.1")
        request.versionMinor = 1;
    else if (version == "HTTP/1.0")
        request.versionMinor = 0;
    else if (version.startsWith("HTTP/"))
        return headError(505, QStringLiteral("HTTP version not supported"));
    else
        return headError(400, QStringLiteral("Malformed request line"));
    if (!request.target.startsWith('/'))
        return headError(400, QStringLiteral("The request target must be an absolute path"));
    for (const char c : request.target) {
        if (c <= 32 || c == 127)
            return headError(400, QStringLiteral("Invalid character in the request target"));
    }
    const qsizetype queryAt = request.target.indexOf('?');
    request.rawPath = queryAt < 0 ? request.target : request.target.left(queryAt);
    if (queryAt >= 0)
        request.query = QUrlQuery(QString::fromUtf8(request.target.mid(queryAt + 1)));

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = stripCr(lines[i]);
        if (line.isEmpty())
            continue;
        if (line.front() == ' ' || line.front() == '\t')
            return headError(400, QStringLiteral("Obsolete header line folding is not accepted"));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return headError(400, QStringLiteral("Malformed header line"));
        if (request.headers.size() >= kMaxHeaderCount)
            return headError(431, QStringLiteral("Too many headers"));
        request.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }
    if (request.versionMinor >= 1 && !request.hasHeader("host"))
        return headError(400, QStringLiteral("HTTP/1.1 requests need a Host header"));
    if (request.hasHeader("transfer-encoding")) {
        // Only chunked is understood; anything else would be misread as the next request.
        const QList<QByteArray> codings = tokens(request.header("transfer-encoding"));
        if (codings != QList<QByteArray>{"chunked"})
            return headError(501, QStringLiteral("Unsupported Transfer-Encoding"));
        if (request.hasHeader("content-length"))
            return headError(400, QStringLiteral("Both Content-Length and Transfer-Encoding"));
    }
    if (auto length = request.contentLength(); !length)
        return length.error();
    return request;
}

} // namespace baton::server
