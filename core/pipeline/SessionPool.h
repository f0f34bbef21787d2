#pragma once

#include "core/pipeline/ProjectSession.h"

#include <map>
#include <memory>

namespace baton {

// The projects this process has open, shared by whoever drives them (the window, the protocol
// server's clients): one Conductor and one database writer per project, whoever asked first.
// A session closes when its last holder lets go of it. Used on the Conductors' thread only.
class SessionPool
{
public:
    explicit SessionPool(Workspace workspace);

    const Workspace &workspace() const { return m_workspace; }

    // The project's open session, or a newly opened one.
    Result<std::shared_ptr<ProjectSession>> acquire(const QString &projectId);
    // The project's session if someone holds it open, else nullptr (nothing is opened).
    std::shared_ptr<ProjectSession> find(const QString &projectId) const;

    // Moves the project to the workspace's trash; refused while its pipeline runs or while
    // anyone still holds it open (the holders close it first: the window, the server).
    Status deleteProject(const QString &projectId);

private:
    Workspace m_workspace;
    mutable std::map<QString, std::weak_ptr<ProjectSession>> m_sessions;
};

} // namespace baton
