#pragma once

// Real loopback clients for the server tests: a blocking QNetworkAccessManager call, a raw TCP
// exchange for what well-behaved clients never send, and a WebSocket that records frames.

#include "core/common/Json.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHttpMultiPart>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <functional>
#include <vector>

// QCOMPARE for JSON values (QTest cannot print nlohmann types): compares the dumps.
#define QCOMPARE_JSON(actual, expected) \
    QCOMPARE(QString::fromStdString(baton::json(actual).dump()), QString::fromStdString(baton::json(expected).dump()))

namespace baton::test {

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;

    json toJson() const
    {
        auto parsed = parseJson(body);
        return parsed ? parsed.value() : json();
    }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

inline HttpResult waitForReply(QNetworkReply *reply, int timeoutMs = 120000)
{
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    result.error = reply->error();
    reply->deleteLater();
    return result;
}

inline HttpResult http(QNetworkAccessManager &nam, const QByteArray &method, const QUrl &url,
                       const QByteArray &body = {},
                       const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest request(url);
    bool hasType = false;
    for (const auto &[name, value] : headers) {
        request.setRawHeader(name, value);
        hasType = hasType || name.compare("content-type", Qt::CaseInsensitive) == 0;
    }
    if (!body.isEmpty() && !hasType)
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return waitForReply(nam.sendCustomRequest(request, method, body));
}

inline HttpResult uploadFile(QNetworkAccessManager &nam, const QUrl &url, const QString &fileName,
                             const QByteArray &content)
{
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QStringLiteral("form-data; name=\"file\"; filename=\"%1\"").arg(fileName));
    part.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/csv"));
    part.setBody(content);
    multipart->append(part);
    QNetworkReply *reply = nam.post(QNetworkRequest(url), multipart);
    multipart->setParent(reply);
    return waitForReply(reply);
}

// Sends raw bytes and returns everything the server answered until it closed the connection
// (or `timeoutMs` passed).
inline QByteArray rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs = 5000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(bytes);
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.bytesAvailable() || socket.waitForReadyRead(50))
            answer += socket.readAll();
        else
            QCoreApplication::processEvents();
    }
    answer += socket.readAll();
    return answer;
}

// A WebSocket client that keeps every text frame, parsed.
class WsProbe : public QObject
{
public:
    explicit WsProbe(QObject *parent = nullptr) : QObject(parent)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            auto parsed = parseJson(text.toUtf8());
            frames.push_back(parsed ? parsed.value() : json(toStd(text)));
        });
    }

    bool open(const QUrl &url, const QByteArray &origin = {}, int timeoutMs = 10000)
    {
        QNetworkRequest request(url);
        if (!origin.isEmpty())
            request.setRawHeader("Origin", origin);
        socket.open(request);
        return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
    }

    void send(const json &message) { socket.sendTextMessage(QString::fromStdString(message.dump())); }

    // Frames that are protocol events with this name.
    std::vector<json> named(const std::string &name) const
    {
        std::vector<json> out;
        for (const json &f : frames) {
            if (f.is_object() && f.contains("event") && f["event"].value("name", "") == name)
                out.push_back(f);
        }
        return out;
    }
    std::vector<json> ofType(const std::string &type) const
    {
        std::vector<json> out;
        for (const json &f : frames) {
            if (f.is_object() && f.value("type", "") == type)
                out.push_back(f);
        }
        return out;
    }
    bool waitFor(const std::function<bool()> &condition, int timeoutMs = 20000)
    {
        return QTest::qWaitFor(condition, timeoutMs);
    }
    // "STAGE:STATUS" of every STAGE_STATUS frame received, in order.
    QStringList stageStatuses() const
    {
        QStringList out;
        for (const json &f : named("STAGE_STATUS")) {
            const json &p = f["event"]["payload"];
            out << QStringLiteral("%1:%2").arg(stringField(p, "stage_id"), stringField(p, "status"));
        }
        return out;
    }

    QWebSocket socket;
    std::vector<json> frames;
};

} // namespace baton::test
