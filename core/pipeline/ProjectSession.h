#pragma once

#include "core/conductor/Conductor.h"
#include "core/agents/ProjectChat.h"
#include "core/project/ProjectStore.h"
#include "core/project/Workspace.h"

#include <memory>

namespace baton {

// An open project: its store and the Conductor that drives it, with every stage handler this
// build has installed. Destroys the Conductor (which waits for its job) before the store.
class ProjectSession
{
public:
    static Result<std::unique_ptr<ProjectSession>> open(const Workspace &workspace,
                                                        const QString &projectId);
    ~ProjectSession();

    ProjectStore &store() { return *m_store; }
    Conductor &conductor() { return *m_conductor; }

    // Answers a chat message asynchronously (never blocks the caller): the reply and any
    // suggested action arrive as LOG_LINE events (protocol §1.6). Call on the Conductor's thread.
    void chat(const QString &text);

private:
    ProjectSession() = default;
    std::unique_ptr<ProjectStore> m_store;
    std::unique_ptr<Conductor> m_conductor;
    std::unique_ptr<ProjectChat> m_chat; // destroyed first: it publishes through the Conductor
};

// Installs the handlers of every stage this build implements. A stage without a handler fails
// visibly when it is reached.
void installStageHandlers(Conductor &conductor);

} // namespace baton
