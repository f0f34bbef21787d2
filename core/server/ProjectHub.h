#pragma once

#include "WsClient.h"

#include "core/common/Result.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <optional>

class QWebSocket;

namespace baton {
class ProjectSession;
}

namespace baton::server {

// The projects the server has touched: one ProjectSession per project id (opened on first
// use, as the reference creates projects lazily), the WebSockets of each project, and the
// broadcast of every Conductor event to every socket of its project.
class ProjectHub : public QObject
{
    Q_OBJECT

public:
    // Where the hub gets a project's session (e.g. a SessionPool shared with the GUI, so each
    // project has one writer); without one it opens the project from the workspace itself.
    // The hub holds what it gets until closeAll().
    using SessionSource = std::function<Result<std::shared_ptr<ProjectSession>>(const QString &projectId)>;

    explicit ProjectHub(QString workspaceRoot, QObject *parent = nullptr);
    ~ProjectHub() override;

    QString workspaceRoot() const { return m_workspaceRoot; }
    void setSessionSource(SessionSource source) { m_source = std::move(source); }

    // The project's session, opened on first use; an error for an invalid id or a broken store.
    Result<ProjectSession *> session(const QString &projectId);

    // Takes the socket; greets it (HELLO, replay after `since`, current STAGE_STATUS).
    void addClient(const QString &projectId, QWebSocket *socket, std::optional<qint64> since);
    int clientCount(const QString &projectId) const;
    int clientCount() const;
    // Closes the project's sockets and releases its session (the project is being deleted).
    void closeProject(const QString &projectId);
    // Closes every socket (server stop) and releases the sessions.
    void closeAll();

    // The payload of the latest event `name` the project published (DATASET_CANDIDATES, ...),
    // from memory or, after a restart, from the event log; null if there was none.
    json latestPayload(const QString &projectId, const char *name);

Q_SIGNALS:
    void clientCountChanged(int clients);

private:
    struct Project
    {
        std::shared_ptr<ProjectSession> session;
        std::vector<WsClient *> clients;
        QHash<QString, json> latest;
        bool latestScanned = false;
    };

    void onEvent(const QString &projectId, const Event &event);
    void onText(WsClient *client, const QString &text);
    void onClosed(WsClient *client);
    void replay(WsClient *client, qint64 since, qint64 helloSeq);
    void release(Project &project, const QString &reason);

    QString m_workspaceRoot;
    SessionSource m_source;
    std::map<QString, Project> m_projects;
    quint64 m_nextConnectionId = 1;
};

} // namespace baton::server
