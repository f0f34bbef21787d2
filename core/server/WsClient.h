#pragma once

#include "core/conductor/Event.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QWebSocket;

namespace baton::server {

// One WebSocket of a project. Decides which events it forwards so that a client sees HELLO
// first, then (with `?since=SEQ`) every stored event after SEQ, then the live stream, each seq
// once and in order.
class WsClient : public QObject
{
    Q_OBJECT

public:
    // Replays stored events with since < seq < helloSeq into the socket (the hub reads the log).
    using Replay = std::function<void(WsClient *client, qint64 since, qint64 helloSeq)>;

    WsClient(QWebSocket *socket, QString projectId, quint64 connectionId,
             std::optional<qint64> since, QObject *parent = nullptr);
    ~WsClient() override;

    QString projectId() const { return m_projectId; }
    quint64 connectionId() const { return m_connectionId; }
    QWebSocket *socket() const { return m_socket; }
    bool isLive() const { return m_state == State::Live; }

    // Called for every event of the project, in seq order; `wire` is the serialised envelope.
    void deliver(const Event &event, const QString &wire, const Replay &replay);
    // Sends a replayed envelope (only during replay).
    void sendReplayed(const Event &event);
    void sendJson(const json &message);
    // A client that stops reading is dropped once this much is queued for it (instead of the
    // server's memory growing); it can reconnect with ?since= and miss nothing.
    static constexpr qint64 kMaxQueuedBytes = 64 << 20;
    void sendError(const QString &message, const json &original = nullptr);

Q_SIGNALS:
    void textReceived(baton::server::WsClient *client, const QString &text);
    void binaryReceived(baton::server::WsClient *client);
    void closed(baton::server::WsClient *client);

private:
    enum class State { AwaitingHello, Live };

    void send(const QString &text);

    QWebSocket *m_socket;
    QString m_projectId;
    quint64 m_connectionId;
    std::optional<qint64> m_since;
    State m_state = State::AwaitingHello;
    qint64 m_lastSent = 0;
    qint64 m_queuedBytes = 0;
    bool m_replaying = false;
};

} // namespace baton::server
