#pragma once

// A small OpenAI-compatible /chat/completions endpoint for the agent tests: real HTTP on
// loopback, answering each request with the next scripted response.

#include "core/common/Json.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace baton::test {

struct ScriptedResponse
{
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool neverAnswer = false; // to exercise the client's timeout

    // A completions reply whose message content is `content` (JSON text or anything else).
    static ScriptedResponse completion(const QByteArray &content)
    {
        const baton::json body = {{"id", "test"},
                           {"object", "chat.completion"},
                           {"choices", baton::json::array({{{"index", 0},
                                                     {"message", {{"role", "assistant"},
                                                                  {"content", content.toStdString()}}},
                                                     {"finish_reason", "stop"}}})}};
        return {200, QByteArray::fromStdString(body.dump()), {}, false};
    }
    static ScriptedResponse object(const baton::json &content)
    {
        return completion(QByteArray::fromStdString(content.dump()));
    }
    static ScriptedResponse error(int status, const QByteArray &body = "{\"error\":{\"message\":\"busy\"}}")
    {
        return {status, body, {}, false};
    }
};

struct ReceivedRequest
{
    QByteArray method;
    QByteArray path;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key == name.toLower())
                return value;
        }
        return {};
    }
};

class FakeLlmServer : public QObject
{
public:
    FakeLlmServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.serverPort()); }
    void script(std::initializer_list<ScriptedResponse> responses) { m_script.insert(m_script.end(), responses); }
    const std::vector<ReceivedRequest> &requests() const { return m_requests; }
    // When set, a 401 echoing the Authorization header answers (a provider echoing the key).
    bool echoAuthorization = false;

private:
    void onReadyRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        ReceivedRequest request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        qsizetype contentLength = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = lines[i].left(colon).trimmed().toLower();
            const QByteArray value = lines[i].mid(colon + 1).trimmed();
            request.headers.append({name, value});
            if (name == "content-length")
                contentLength = value.toLongLong();
        }
        if (buffer.size() < headerEnd + 4 + contentLength)
            return; // the body is still arriving
        request.body = buffer.mid(headerEnd + 4, contentLength);
        m_buffers.remove(socket);
        m_requests.push_back(request);

        ScriptedResponse response = ScriptedResponse::error(500, "{\"error\":{\"message\":\"no scripted response\"}}");
        if (echoAuthorization) {
            response = ScriptedResponse::error(401, "{\"error\":{\"message\":\"bad key: " + request.header("authorization") + "\"}}");
        } else if (!m_script.empty()) {
            response = m_script.front();
            m_script.pop_front();
        }
        if (response.neverAnswer)
            return;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Scripted\r\n"
                         "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                         + QByteArray::number(response.body.size()) + "\r\n";
        for (const auto &[name, value] : response.headers)
            out += name + ": " + value + "\r\n";
        out += "\r\n" + response.body;
        socket->write(out);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    std::deque<ScriptedResponse> m_script;
    std::vector<ReceivedRequest> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// Runs `fn` on a worker thread (LLM calls refuse the GUI thread) while this thread keeps the
// fake server answering.
template<typename F>
auto onWorker(F fn) -> decltype(fn())
{
    std::optional<decltype(fn())> result;
    std::unique_ptr<QThread> thread(QThread::create([&] { result.emplace(fn()); }));
    thread->start();
    if (!QTest::qWaitFor([&] { return thread->isFinished(); }, 30000))
        qWarning("the worker is still running after 30 s");
    thread->wait();
    return std::move(*result);
}

} // namespace baton::test
