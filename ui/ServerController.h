#pragma once

#include "core/common/Result.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace baton {
class SessionPool;
namespace server {
class ProtocolServer;
}
} // namespace baton

namespace baton::ui {

// Runs the protocol server inside the desktop app as the settings say (UiSettings server_*),
// on the window's workspace and sharing its open projects (SessionPool): a web client and the
// window drive the same Conductor. Says what it is doing in one status line.
class ServerController : public QObject
{
    Q_OBJECT

public:
    explicit ServerController(SessionPool &pool, QObject *parent = nullptr);
    ~ServerController() override;

    // Starts, restarts (address or token changed) or stops the server to match the settings;
    // the outcome shows in isListening() and statusText().
    void applySettings();
    // Saves the on/off setting and applies it.
    void setEnabled(bool enabled);

    bool isListening() const;
    // "Server: listening on 127.0.0.1:8000", "Server: stopped" or why it could not start.
    QString statusText() const;
    server::ProtocolServer &server() { return *m_server; }

Q_SIGNALS:
    void statusChanged();

private:
    QString listeningText() const;

    SessionPool &m_pool;
    server::ProtocolServer *m_server;
    std::optional<Error> m_error; // why the last start failed
    QStringList m_applied; // host, port and token the server runs with
};

} // namespace baton::ui
