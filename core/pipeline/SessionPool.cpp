#include "SessionPool.h"

namespace baton {

SessionPool::SessionPool(Workspace workspace)
    : m_workspace(std::move(workspace))
{}

Result<std::shared_ptr<ProjectSession>> SessionPool::acquire(const QString &projectId)
{
    if (auto open = find(projectId))
        return open;
    auto opened = ProjectSession::open(m_workspace, projectId);
    if (!opened)
        return opened.error();
    std::shared_ptr<ProjectSession> session = std::move(opened).value();
    m_sessions[projectId] = session;
    return session;
}

std::shared_ptr<ProjectSession> SessionPool::find(const QString &projectId) const
{
    const auto it = m_sessions.find(projectId);
    if (it == m_sessions.end())
        return nullptr;
    if (auto session = it->second.lock())
        return session;
    m_sessions.erase(it); // closed since: forget it
    return nullptr;
}

Status SessionPool::deleteProject(const QString &projectId)
{
    if (const auto open = find(projectId)) {
        if (open->conductor().isBusy()) {
            return makeError(ErrorKind::Conflict, QStringLiteral("project.running"),
                             QStringLiteral("Project '%1' is running a stage: cancel it before deleting the project")
                                 .arg(projectId));
        }
        return makeError(ErrorKind::Conflict, QStringLiteral("project.open"),
                         QStringLiteral("Project '%1' is still open: close it before deleting it").arg(projectId));
    }
    return m_workspace.deleteProject(projectId);
}

} // namespace baton
