#pragma once

#include "HttpRequest.h"
#include "HttpResponse.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QFile;
class QTcpSocket;

namespace baton::server {

class HttpConnection;

// Answers one request, now or later (stage work finishing, a file extracted on a worker).
// Copyable; only the first send() counts; sending after the client left is a no-op.
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpConnection *connection, quint64 requestNumber);

    void send(HttpResponse response) const;
    bool isConnected() const;

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_requestNumber = 0;
};

// What the connection asks of the server it belongs to.
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    // Called once the head is read, before any body byte: an answer here refuses the request
    // (bad origin, missing token, unknown route, body too large) without receiving the body.
    virtual std::optional<HttpResponse> checkHead(const HttpRequest &head) = 0;
    virtual void handle(HttpRequest request, HttpResponder responder) = 0;
    // The head was a WebSocket upgrade that passed checkHead(); its bytes are still unread in
    // the socket, which now belongs to the handler.
    virtual void upgrade(QTcpSocket *socket) = 0;
    // Adds the headers every response to this request carries (CORS).
    virtual void decorate(const HttpRequest &head, HttpResponse &response) = 0;
    virtual qint64 maxBodyBytes() const = 0;
    // Where big bodies are spooled (the same file system as the workspace: moves are renames).
    virtual QString spoolDir() const = 0;
};

// One HTTP/1.1 client connection: parses requests one at a time (pipelined requests wait),
// streams big bodies to disk, writes responses in order, keeps the connection alive between
// requests and hands WebSocket upgrades over untouched.
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    HttpConnection(QTcpSocket *socket, HttpHandler *handler, QObject *parent = nullptr);
    ~HttpConnection() override;

    static constexpr qint64 kInMemoryBodyLimit = 1 << 20;
    static constexpr int kIdleTimeoutMs = 60'000;
    static constexpr int kLingerMs = 2'000;

private:
    friend class HttpResponder;
    enum class State { Head, Body, Waiting, Writing, Closed };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    void onReadyRead();
    void process();
    bool readHead();
    bool readBody();
    bool readChunked();
    bool appendBody(const char *data, qint64 size);
    // Moves the body (and what follows) to a file in the spool folder.
    bool spoolBody();
    void finishBody();
    void reply(quint64 requestNumber, HttpResponse response);
    // Refuses the current request and closes the connection (its unread body makes the
    // stream unusable).
    void refuse(HttpResponse response);
    void writeResponse(HttpResponse response);
    void pumpFile();
    void finishResponse();
    void close();
    void finishClose();

    QTcpSocket *m_socket;
    HttpHandler *m_handler;
    QTimer m_idle;
    State m_state = State::Head;
    quint64 m_requestNumber = 0;

    HttpRequest m_request;
    qint64 m_bodyRemaining = 0;
    bool m_chunked = false;
    ChunkState m_chunkState = ChunkState::Size;
    qint64 m_chunkRemaining = 0;
    QByteArray m_lineBuffer;
    bool m_keepAlive = true;
    bool m_lingering = false;

    std::unique_ptr<QFile> m_sendFile;
    qint64 m_sendRemaining = 0;
};

} // namespace baton::server
