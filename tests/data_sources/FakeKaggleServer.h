#pragma once

// A small HTTP/1.1 server on loopback that plays Kaggle's dataset download and search
// (/datasets/list) endpoints (and a storage host a download may redirect to): real sockets, real
// HTTP, whatever bytes a test hands it.

#include <QByteArray>
#include <QHostAddress>
#include <QMap>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <optional>

namespace baton::test {

class FakeKaggleServer : public QObject
{
public:
    struct Response
    {
        int status = 200;
        QByteArray body;
        QByteArray location;        // for redirects
        qint64 stallAfter = -1;     // send this many body bytes, then nothing more (>= 0)
        int pieceBytes = 64 * 1024; // the body goes out in pieces, one per event-loop turn
        QByteArray contentType;     // empty: a zip for 200, JSON otherwise
    };

    struct Request
    {
        QByteArray path;          // with the query, percent-encoded as sent
        QByteArray authorization; // the Authorization header, empty when absent
    };

    FakeKaggleServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, &FakeKaggleServer::accept);
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    bool isListening() const { return m_server.isListening(); }
    QUrl baseUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1").arg(m_server.serverPort()));
    }
    QUrl url(const QByteArray &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())
                    + QString::fromLatin1(path));
    }

    // A route's path matches with or without the request's query (/api/v1/datasets/list
    // answers /api/v1/datasets/list?search=...).
    void route(const QByteArray &path, Response response) { m_routes[path] = std::move(response); }
    const QList<Request> &requests() const { return m_requests; }
    int openConnections() const { return m_open; }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_open;
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                --m_open;
                socket->deleteLater();
            });
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
        }
    }

    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        m_buffers.remove(socket);
        Request request;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.path = requestLine.value(1);
        for (const QByteArray &line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "authorization")
                request.authorization = line.mid(colon + 1).trimmed();
        }
        m_requests.append(request);
        const QByteArray withoutQuery = request.path.left(request.path.indexOf('?'));
        respond(socket, m_routes.value(request.path,
                                       m_routes.value(withoutQuery, Response{404, "{\"code\":404,\"message\":\"Not found\"}"})));
    }

    static QByteArray reason(int status)
    {
        switch (status) {
        case 200:
            return "OK";
        case 302:
            return "Found";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        default:
            return "Status";
        }
    }

    void respond(QTcpSocket *socket, const Response &response)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
                          + reason(response.status) + "\r\n";
        head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        const QByteArray type = !response.contentType.isEmpty() ? response.contentType
                                : response.status == 200        ? QByteArray("application/zip")
                                                                : QByteArray("application/json");
        head += "Content-Type: " + type + "\r\n";
        if (!response.location.isEmpty())
            head += "Location: " + response.location + "\r\n";
        head += "Connection: close\r\n\r\n";
        socket->write(head);
        const qint64 limit = response.stallAfter >= 0 ? response.stallAfter : response.body.size();
        sendPiece(socket, response.body.left(limit), 0, response.pieceBytes,
                  response.stallAfter < 0);
    }

    // One piece per event-loop turn, so the client sees progress before the end.
    void sendPiece(QPointer<QTcpSocket> socket, QByteArray body, qsizetype offset, int piece,
                   bool close)
    {
        if (!socket)
            return;
        if (offset >= body.size()) {
            if (close)
                socket->disconnectFromHost();
            return;
        }
        socket->write(body.mid(offset, piece));
        QTimer::singleShot(1, this,
                           [=, this] { sendPiece(socket, body, offset + piece, piece, close); });
    }

    QTcpServer m_server;
    QMap<QByteArray, Response> m_routes;
    QMap<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
    int m_open = 0;
};

} // namespace baton::test
