#include "HttpConnection.h"

#include "ServerLogging.h"

#include <QDir>
#include <QFile>
#include <QTcpSocket>
#include <QTemporaryFile>

#include <sys/socket.h>

namespace baton::server {

namespace {
constexpr qint64 kFileChunk = 256 * 1024;
constexpr qint64 kMaxBufferedOut = 1024 * 1024;
const QByteArray kEndOfHead = QByteArrayLiteral("\r\n\r\n");
} // namespace

HttpResponder::HttpResponder(HttpConnection *connection, quint64 requestNumber)
    : m_connection(connection)
    , m_requestNumber(requestNumber)
{}

void HttpResponder::send(HttpResponse response) const
{
    if (m_connection)
        m_connection->reply(m_requestNumber, std::move(response));
}

bool HttpResponder::isConnected() const
{
    return !m_connection.isNull();
}

HttpConnection::HttpConnection(QTcpSocket *socket, HttpHandler *handler, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
{
    m_socket->setParent(this);
    m_idle.setSingleShot(true);
    m_idle.setInterval(kIdleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_lingering)
            m_socket->abort(); // the client never closed its side
        else if (m_state == State::Head || m_state == State::Body)
            close(); // a client that stops sending mid-request or stays silent between requests
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        pumpFile();
        if (m_state == State::Closed && m_socket && m_socket->bytesToWrite() == 0)
            finishClose();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_state = State::Closed;
        deleteLater();
    });
    m_idle.start();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::onReadyRead()
{
    if (m_state == State::Closed) {
        m_socket->readAll(); // discarded: the answer is out, the connection is closing
        return;
    }
    m_idle.start();
    process();
}

void HttpConnection::process()
{
    while (m_socket && m_state != State::Closed) {
        if (m_state == State::Head) {
            if (!readHead())
                return;
        } else if (m_state == State::Body) {
            if (!readBody())
                return;
        } else {
            return; // Waiting/Writing: the next pipelined request waits in the socket
        }
    }
}

bool HttpConnection::readHead()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return false;
    const QByteArray peeked = m_socket->peek(std::min<qint64>(available, kMaxHeadBytes + 4));
    const qsizetype end = peeked.indexOf(kEndOfHead);
    if (end < 0) {
        if (peeked.size() >= kMaxHeadBytes)
            refuse(HttpResponse::error(431, QStringLiteral("Request head too large")));
        return false;
    }
    const qsizetype headSize = end + kEndOfHead.size();
    auto parsed = parseRequestHead(peeked.left(end));
    if (!parsed) {
        m_socket->skip(headSize);
        refuse(HttpResponse::error(parsed.error().code.toInt(), parsed.error().message));
        return false;
    }
    HttpRequest head = std::move(parsed).value();
    ++m_requestNumber;

    if (head.isWebSocketUpgrade()) {
        if (auto refused = m_handler->checkHead(head)) {
            m_socket->skip(headSize);
            m_request = std::move(head);
            refuse(std::move(*refused));
            return false;
        }
        // The handshake bytes stay in the socket: QWebSocketServer reads them itself.
        QTcpSocket *socket = m_socket;
        m_socket = nullptr;
        m_state = State::Closed;
        m_idle.stop();
        socket->disconnect(this);
        socket->setParent(nullptr);
        m_handler->upgrade(socket);
        deleteLater();
        return false;
    }

    m_socket->skip(headSize);
    m_request = std::move(head);
    if (auto refused = m_handler->checkHead(m_request)) {
        refuse(std::move(*refused));
        return false;
    }
    auto length = m_request.contentLength();
    m_chunked = m_request.isChunked();
    m_bodyRemaining = m_chunked ? 0 : std::max<qint64>(0, length.value());
    if (m_bodyRemaining > m_handler->maxBodyBytes()) {
        refuse(HttpResponse::error(413, QStringLiteral("The request body is larger than the %1 MB limit")
                                            .arg(m_handler->maxBodyBytes() / (1024 * 1024))));
        return false;
    }
    const bool multipart = m_request.header("content-type").toLower().startsWith("multipart/");
    if ((multipart || m_bodyRemaining > kInMemoryBodyLimit) && !spoolBody())
        return false;
    m_chunkState = ChunkState::Size;
    m_lineBuffer.clear();
    if (m_request.header("expect").toLower() == "100-continue" && (m_chunked || m_bodyRemaining > 0))
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    m_state = State::Body;
    if (!m_chunked && m_bodyRemaining == 0)
        finishBody();
    return true;
}

bool HttpConnection::readBody()
{
    if (m_chunked)
        return readChunked();
    while (m_bodyRemaining > 0) {
        const QByteArray data = m_socket->read(std::min<qint64>(m_bodyRemaining, kFileChunk));
        if (data.isEmpty())
            return false;
        m_bodyRemaining -= data.size();
        if (!appendBody(data.constData(), data.size()))
            return false;
    }
    finishBody();
    return true;
}

// RFC 9112 §7.1: size line (extensions ignored), data, CRLF; a zero size ends it, then trailers.
bool HttpConnection::readChunked()
{
    while (m_state == State::Body) {
        if (m_chunkState == ChunkState::Data) {
            const QByteArray data = m_socket->read(std::min<qint64>(m_chunkRemaining, kFileChunk));
            if (data.isEmpty())
                return false;
            m_chunkRemaining -= data.size();
            if (!appendBody(data.constData(), data.size()))
                return false;
            if (m_chunkRemaining == 0)
                m_chunkState = ChunkState::DataEnd;
            continue;
        }
        if (!m_socket->canReadLine()) {
            if (m_socket->bytesAvailable() > 4096)
                refuse(HttpResponse::error(400, QStringLiteral("Malformed chunked body")));
            return false;
        }
        QByteArray line = m_socket->readLine(4096).trimmed();
        switch (m_chunkState) {
        case ChunkState::Size: {
            const qsizetype semicolon = line.indexOf(';');
            if (semicolon >= 0)
                line.truncate(semicolon);
            bool ok = false;
            m_chunkRemaining = line.trimmed().toLongLong(&ok, 16);
            if (!ok || m_chunkRemaining < 0 || line.trimmed().isEmpty()) {
                refuse(HttpResponse::error(400, QStringLiteral("Malformed chunk size")));
                return false;
            }
            m_chunkState = m_chunkRemaining == 0 ? ChunkState::Trailer : ChunkState::Data;
            break;
        }
        case ChunkState::DataEnd:
            if (!line.isEmpty()) {
                refuse(HttpResponse::error(400, QStringLiteral("Malformed chunk terminator")));
                return false;
            }
            m_chunkState = ChunkState::Size;
            break;
        case ChunkState::Trailer:
            if (line.isEmpty())
                finishBody(); // trailers are read and ignored
            break;
        case ChunkState::Data:
            break;
        }
    }
    return true;
}

bool HttpConnection::appendBody(const char *data, qint64 size)
{
    m_request.bodySize += size;
    if (m_request.bodySize > m_handler->maxBodyBytes()) {
        refuse(HttpResponse::error(413, QStringLiteral("The request body is larger than the %1 MB limit")
                                            .arg(m_handler->maxBodyBytes() / (1024 * 1024))));
        return false;
    }
    // A chunked body that turned out big: spill what we have to disk and go on there.
    if (!m_request.bodyFile && m_request.body.size() + size > kInMemoryBodyLimit && !spoolBody())
        return false;
    if (m_request.bodyFile) {
        if (m_request.bodyFile->write(data, size) != size) {
            refuse(HttpResponse::error(500, QStringLiteral("Cannot store the request body: %1")
                                                .arg(m_request.bodyFile->errorString())));
            return false;
        }
    } else {
        m_request.body.append(data, size);
    }
    return true;
}

bool HttpConnection::spoolBody()
{
    QDir().mkpath(m_handler->spoolDir());
    auto file = std::make_shared<QTemporaryFile>(QDir(m_handler->spoolDir()).filePath(QStringLiteral("body-XXXXXX")));
    if (!file->open() || file->write(m_request.body) != m_request.body.size()) {
        refuse(HttpResponse::error(500, QStringLiteral("Cannot store the request body: %1").arg(file->errorString())));
        return false;
    }
    m_request.body.clear();
    m_request.bodyFile = std::move(file);
    return true;
}

void HttpConnection::finishBody()
{
    if (m_request.bodyFile) {
        m_request.bodyFile->flush();
        m_request.bodyFile->seek(0);
    }
    m_keepAlive = m_request.keepAlive();
    m_state = State::Waiting;
    m_idle.stop();
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest();
    // Keep the head for decorate(); the body goes to the handler.
    m_request.method = request.method;
    m_request.target = request.target;
    m_request.rawPath = request.rawPath;
    m_request.query = request.query;
    m_request.versionMinor = request.versionMinor;
    m_request.headers = request.headers;
    m_handler->handle(std::move(request), HttpResponder(this, m_requestNumber));
}

void HttpConnection::reply(quint64 requestNumber, HttpResponse response)
{
    if (requestNumber != m_requestNumber || m_state != State::Waiting || !m_socket)
        return;
    writeResponse(std::move(response));
}

void HttpConnection::refuse(HttpResponse response)
{
    if (!m_socket)
        return;
    m_keepAlive = false;
    writeResponse(std::move(response));
}

void HttpConnection::writeResponse(HttpResponse response)
{
    m_handler->decorate(m_request, response);
    m_state = State::Writing;
    const bool headOnly = m_request.method == "HEAD";
    if (!response.filePath.isEmpty()) {
        auto file = std::make_unique<QFile>(response.filePath);
        if (!file->open(QIODevice::ReadOnly)) {
            qCWarning(lcServer) << "cannot open" << response.filePath << file->errorString();
            response = HttpResponse::error(404, QStringLiteral("Asset not found"));
            m_handler->decorate(m_request, response);
        } else {
            m_socket->write(response.serializeHead(file->size(), m_keepAlive));
            m_sendRemaining = headOnly ? 0 : file->size();
            m_sendFile = std::move(file);
            pumpFile();
            return;
        }
    }
    m_socket->write(response.serializeHead(response.body.size(), m_keepAlive));
    if (!headOnly)
        m_socket->write(response.body);
    finishResponse();
}

void HttpConnection::pumpFile()
{
    if (!m_sendFile || !m_socket)
        return;
    while (m_sendRemaining > 0 && m_socket->bytesToWrite() < kMaxBufferedOut) {
        const QByteArray chunk = m_sendFile->read(std::min(kFileChunk, m_sendRemaining));
        if (chunk.isEmpty()) {
            // The file shrank under us: the declared length cannot be met, so end the connection.
            m_keepAlive = false;
            m_sendRemaining = 0;
            break;
        }
        m_socket->write(chunk);
        m_sendRemaining -= chunk.size();
    }
    if (m_sendRemaining == 0) {
        m_sendFile.reset();
        finishResponse();
    }
}

void HttpConnection::finishResponse()
{
    if (!m_keepAlive) {
        close();
        return;
    }
    m_state = State::Head;
    m_request = HttpRequest();
    m_idle.start();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::process, Qt::QueuedConnection);
}

void HttpConnection::close()
{
    m_state = State::Closed;
    m_sendFile.reset();
    if (m_socket && m_socket->bytesToWrite() == 0)
        finishClose(); // otherwise once the answer is written (bytesWritten)
}

// A lingering close: stop sending, keep reading (and dropping) until the client closes. Closing
// outright with unread request bytes (a refused upload) makes the kernel send a reset that can
// destroy the answer before the client reads it.
void HttpConnection::finishClose()
{
    if (m_lingering || !m_socket)
        return;
    m_lingering = true;
    m_socket->readAll();
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_idle.start(kLingerMs);
}

} // namespace baton::server
