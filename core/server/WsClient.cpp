#include "WsClient.h"

#include "core/conductor/EventNames.h"

#include <QWebSocket>

namespace baton::server {

WsClient::WsClient(QWebSocket *socket, QString projectId, quint64 connectionId,
                   std::optional<qint64> since, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_projectId(std::move(projectId))
    , m_connectionId(connectionId)
    , m_since(since)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { Q_EMIT textReceived(this, text); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &) { Q_EMIT binaryReceived(this); });
    connect(m_socket, &QWebSocket::disconnected, this, [this] { Q_EMIT closed(this); });
    connect(m_socket, &QWebSocket::bytesWritten, this,
            [this](qint64 written) { m_queuedBytes = std::max<qint64>(0, m_queuedBytes - written); });
}

void WsClient::send(const QString &text)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_queuedBytes += text.size();
    if (m_queuedBytes > kMaxQueuedBytes && !m_replaying) {
        m_socket->close(QWebSocketProtocol::CloseCodeTooMuchData,
                        QStringLiteral("Client too slow: reconnect with ?since=%1").arg(m_lastSent));
        return;
    }
    m_socket->sendTextMessage(text);
}

WsClient::~WsClient() = default;

void WsClient::deliver(const Event &event, const QString &wire, const Replay &replay)
{
    if (event.type == QLatin1String(events::Hello)) {
        // Each HELLO belongs to the socket that caused it (protocol §1.4: sent only to it).
        const bool mine = event.payload.value("connection_id", quint64(0)) == m_connectionId;
        if (!mine || m_state != State::AwaitingHello)
            return;
        send(wire);
        m_lastSent = event.seq;
        m_state = State::Live;
        // Everything before the HELLO is committed to the log; everything after comes live.
        if (m_since && *m_since < event.seq - 1) {
            m_replaying = true;
            replay(this, *m_since, event.seq);
            m_replaying = false;
            m_queuedBytes = 0; // the history has its own budget; the live stream starts afresh
        }
        return;
    }
    if (m_state != State::Live || event.seq <= m_lastSent)
        return;
    send(wire);
    m_lastSent = event.seq;
}

void WsClient::sendReplayed(const Event &event)
{
    if (event.type == QLatin1String(events::Hello))
        return; // other connections' greetings are not part of the project's history
    send(QString::fromStdString(event.toWire()));
}

void WsClient::sendJson(const json &message)
{
    send(QString::fromUtf8(toStrictJsonBytes(message)));
}

void WsClient::sendError(const QString &message, const json &original)
{
    json error = {{"type", "error"}, {"message", toStd(message)}};
    if (!original.is_null())
        error["original_message"] = original;
    sendJson(error);
}

} // namespace baton::server
