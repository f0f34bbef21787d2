#pragma once

#include "core/agents/ChatAgent.h"
#include "core/conductor/ProjectState.h"

#include <QThreadPool>

#include <atomic>
#include <memory>

namespace baton {

class Conductor;

// The project's chat (WS `chat`, the GUI's chat panel): each message is answered by the chat
// agent on the chat's own thread, so a reply never waits behind a training job and never blocks
// the caller, and the reply is published as LOG_LINE events (protocol §1.6). The conversation
// (last 10 messages) goes with each question. Suggested actions are only reported; the user
// confirms them through the normal decision edits.
class ProjectChat
{
public:
    explicit ProjectChat(Conductor &conductor);
    // Cancels a reply in flight and waits for its thread.
    ~ProjectChat();

    // Call on the Conductor's thread; returns at once. Empty text is ignored.
    void ask(const QString &text);

private:
    Conductor &m_conductor;
    QThreadPool m_thread; // one thread: replies come in the order the messages were sent
    std::shared_ptr<std::atomic<bool>> m_cancelled = std::make_shared<std::atomic<bool>>(false);
    // Touched only by tasks on m_thread, which run one at a time.
    std::shared_ptr<QList<LlmMessage>> m_history = std::make_shared<QList<LlmMessage>>();
};

// What the chat knows about a project: read from its state on the Conductor's thread.
ChatFacts chatFacts(const ProjectState &state);

} // namespace baton
