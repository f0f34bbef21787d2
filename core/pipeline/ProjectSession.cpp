#include "ProjectSession.h"

namespace baton {

Result<std::unique_ptr<ProjectSession>> ProjectSession::open(const Workspace &workspace,
                                                             const QString &projectId)
{
    if (!Workspace::isValidProjectId(projectId)) {
        return makeError(ErrorKind::Usage, QStringLiteral("project.invalid_id"),
                         QStringLiteral("Invalid project id '%1': use letters, digits, '-', '_' "
                                        "and '.'")
                             .arg(projectId));
    }
    auto store = ProjectStore::open(workspace.projectDir(projectId), projectId);
    if (!store)
        return store.error();
    std::unique_ptr<ProjectSession> session(new ProjectSession);
    session->m_store = std::move(store).value();
    session->m_conductor = std::make_unique<Conductor>(session->m_store.get());
    installStageHandlers(*session->m_conductor);
    session->m_chat = std::make_unique<ProjectChat>(*session->m_conductor);
    return session;
}

ProjectSession::~ProjectSession()
{
    m_chat.reset();
    m_conductor.reset();
    m_store.reset();
}

void ProjectSession::chat(const QString &text)
{
    m_chat->ask(text);
}

} // namespace baton
