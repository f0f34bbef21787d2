#include "ProjectHub.h"

#include "ServerLogging.h"
#include "WsCommands.h"

#include "core/conductor/EventNames.h"
#include "core/pipeline/ProjectSession.h"

#include <QDateTime>
#include <QWebSocket>

namespace baton::server {

namespace {
// Events whose latest payload the REST API needs (candidate lists for select).
const char *const kRemembered[] = {events::DatasetCandidates, events::ModelCandidates};
constexpr int kReplayPage = 5000;
} // namespace

ProjectHub::ProjectHub(QString workspaceRoot, QObject *parent)
    : QObject(parent)
    , m_workspaceRoot(std::move(workspaceRoot))
{}

ProjectHub::~ProjectHub()
{
    closeAll();
}

Result<ProjectSession *> ProjectHub::session(const QString &projectId)
{
    if (auto it = m_projects.find(projectId); it != m_projects.end())
        return it->second.session.get();
    if (!Workspace::isValidProjectId(projectId)) {
        return makeError(ErrorKind::BadInput, QStringLiteral("project.invalid_id"),
                         QStringLiteral("Invalid project id '%1': use letters, digits, '-', '_' and '.'")
                             .arg(projectId));
    }
    Project project;
    if (m_source) {
        auto shared = m_source(projectId);
        if (!shared)
            return shared.error();
        project.session = std::move(shared).value();
    } else {
        auto opened = ProjectSession::open(Workspace(m_workspaceRoot), projectId);
        if (!opened)
            return opened.error();
        project.session = std::move(opened).value();
    }
    connect(&project.session->conductor(), &Conductor::eventPublished, this,
            [this, projectId](const Event &event) { onEvent(projectId, event); });
    ProjectSession *session = project.session.get();
    m_projects.emplace(projectId, std::move(project));
    return session;
}

void ProjectHub::addClient(const QString &projectId, QWebSocket *socket, std::optional<qint64> since)
{
    auto opened = session(projectId);
    if (!opened) {
        socket->sendTextMessage(QString::fromUtf8(toStrictJsonBytes(
            {{"type", "error"}, {"message", toStd(opened.error().toString())}})));
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, opened.error().message);
        socket->deleteLater();
        return;
    }
    const quint64 id = m_nextConnectionId++;
    auto *client = new WsClient(socket, projectId, id, since, this);
    connect(client, &WsClient::textReceived, this, &ProjectHub::onText);
    connect(client, &WsClient::binaryReceived, this, [](WsClient *c) {
        c->sendError(QStringLiteral("Binary frames are not part of the protocol: send JSON text frames"));
    });
    connect(client, &WsClient::closed, this, &ProjectHub::onClosed);
    m_projects[projectId].clients.push_back(client);
    Q_EMIT clientCountChanged(clientCount());

    // HELLO takes a seq like every envelope, so the client can tell where replay ends and the
    // live stream begins; it is delivered to this socket only (WsClient::deliver).
    Conductor &conductor = opened.value()->conductor();
    conductor.publishTyped(QString::fromLatin1(events::Hello), StageId::ParseIntent, StageStatus::Pending,
                           events::Hello,
                           {{"message", "Connected to AutoML WebSocket"},
                            {"project_id", toStd(projectId)},
                            {"server_time", toStd(QDateTime::currentDateTimeUtc().toString(
                                                QStringLiteral("yyyy-MM-ddThh:mm:ss.zzz000+00:00")))},
                            {"connection_id", id}});
    conductor.emitCurrentStatus();
}

void ProjectHub::onEvent(const QString &projectId, const Event &event)
{
    auto it = m_projects.find(projectId);
    if (it == m_projects.end())
        return;
    Project &project = it->second;
    for (const char *name : kRemembered) {
        if (event.name == QLatin1String(name))
            project.latest.insert(event.name, event.payload);
    }
    if (project.clients.empty())
        return;
    // Serialised once, sent to every socket.
    const QString wire = QString::fromStdString(event.toWire());
    const WsClient::Replay replayer = [this](WsClient *c, qint64 since, qint64 hello) { replay(c, since, hello); };
    const std::vector<WsClient *> clients = project.clients; // a send may close a socket
    for (WsClient *client : clients)
        client->deliver(event, wire, replayer);
}

void ProjectHub::replay(WsClient *client, qint64 since, qint64 helloSeq)
{
    auto it = m_projects.find(client->projectId());
    if (it == m_projects.end())
        return;
    ProjectStore &store = it->second.session->store();
    for (qint64 from = since + 1; from < helloSeq;) {
        auto page = store.events(from, int(std::min<qint64>(kReplayPage, helloSeq - from)));
        if (!page) {
            client->sendError(QStringLiteral("Cannot replay the event log: %1").arg(page.error().toString()));
            return;
        }
        if (page->empty())
            return;
        for (const Event &event : page.value()) {
            if (event.seq >= helloSeq)
                return;
            client->sendReplayed(event);
        }
        from = page->back().seq + 1;
    }
}

void ProjectHub::onText(WsClient *client, const QString &text)
{
    auto it = m_projects.find(client->projectId());
    if (it == m_projects.end())
        return;
    handleClientMessage(*it->second.session, *client, text);
}

void ProjectHub::onClosed(WsClient *client)
{
    auto it = m_projects.find(client->projectId());
    if (it != m_projects.end())
        std::erase(it->second.clients, client);
    client->deleteLater();
    Q_EMIT clientCountChanged(clientCount());
}

int ProjectHub::clientCount(const QString &projectId) const
{
    auto it = m_projects.find(projectId);
    return it == m_projects.end() ? 0 : int(it->second.clients.size());
}

int ProjectHub::clientCount() const
{
    int total = 0;
    for (const auto &[id, project] : m_projects)
        total += int(project.clients.size());
    return total;
}

void ProjectHub::release(Project &project, const QString &reason)
{
    for (WsClient *client : project.clients) {
        client->disconnect(this);
        client->socket()->close(QWebSocketProtocol::CloseCodeGoingAway, reason);
        delete client;
    }
    project.clients.clear();
    if (project.session)
        project.session->conductor().disconnect(this);
}

void ProjectHub::closeProject(const QString &projectId)
{
    auto it = m_projects.find(projectId);
    if (it == m_projects.end())
        return;
    release(it->second, QStringLiteral("Project closed"));
    m_projects.erase(it);
    Q_EMIT clientCountChanged(clientCount());
}

void ProjectHub::closeAll()
{
    for (auto &[id, project] : m_projects)
        release(project, QStringLiteral("Server stopping"));
    m_projects.clear(); // sessions nobody else holds close their stores (waiting for running jobs)
    Q_EMIT clientCountChanged(0);
}

json ProjectHub::latestPayload(const QString &projectId, const char *name)
{
    auto it = m_projects.find(projectId);
    if (it == m_projects.end())
        return nullptr;
    Project &project = it->second;
    if (!project.latest.contains(QLatin1String(name)) && !project.latestScanned) {
        // First use after a restart: recover the candidates from the log, once.
        project.latestScanned = true;
        for (qint64 from = 1;;) {
            auto page = project.session->store().events(from, kReplayPage);
            if (!page || page->empty())
                break;
            for (const Event &event : page.value()) {
                for (const char *remembered : kRemembered) {
                    if (event.name == QLatin1String(remembered))
                        project.latest.insert(event.name, event.payload);
                }
            }
            from = page->back().seq + 1;
        }
    }
    return project.latest.value(QLatin1String(name), json(nullptr));
}

} // namespace baton::server
