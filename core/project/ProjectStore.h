#pragma once

#include "core/common/Json.h"
#include "core/conductor/Event.h"
#include "core/conductor/ProjectState.h"

#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

class QThread;

namespace baton {

struct ArtifactRecord
{
    QString id;
    QString type;
    QString name;
    QString url;
    json meta = json::object();
    qint64 seq = 0;
};

// A project's folder: `project.sqlite` (WAL) with the state, the full event log and the artifacts
// index, plus `assets/`. Writes go through one writer thread that commits whatever has queued
// up in one transaction (group commit), so thousands of events per second cost the emitting
// thread only a queue push. Each batch is delivered (callback) only after it is committed.
class ProjectStore
{
public:
    // Takes the batch by value: it is moved through to the receiving thread, never copied.
    using DeliveryCallback = std::function<void(std::vector<Event>)>;

    // Opens (creating when missing) the project in `projectDir`.
    static Result<std::unique_ptr<ProjectStore>> open(const QString &projectDir,
                                                      const QString &projectId);
    ~ProjectStore();

    ProjectStore(const ProjectStore &) = delete;
    ProjectStore &operator=(const ProjectStore &) = delete;

    QString projectId() const { return m_projectId; }
    QString projectDir() const { return m_projectDir; }
    QString assetsDir() const;
    QString databasePath() const;

    // The state and last seq found on open (nullopt state for a new project).
    const std::optional<ProjectState> &loadedState() const { return m_loadedState; }
    qint64 lastSeq() const { return m_loadedLastSeq; }

    // Thread-safe, non-blocking: queues the event (and the state it produced) for the next commit.
    void append(Event event, std::optional<json> state = std::nullopt);
    void saveState(json state);
    // Blocks until everything queued so far is committed and handed to the delivery callback.
    void flush();
    void setDeliveryCallback(DeliveryCallback callback);

    // Replay: events with seq >= fromSeq, in order (limit < 0: all).
    Result<std::vector<Event>> events(qint64 fromSeq = 1, int limit = -1) const;
    Result<std::vector<ArtifactRecord>> artifacts() const;
    // The first write error, if the writer ever failed (events then stay undelivered).
    std::optional<Error> writeError() const;

    Result<QString> metaValue(const QString &key) const;
    Status setMetaValue(const QString &key, const QString &value);

private:
    struct Pending
    {
        std::optional<Event> event;
        std::optional<json> state;
    };

    ProjectStore(QString projectDir, QString projectId);
    Status initialise();
    void writerLoop();
    struct Statements; // the writer's prepared statements, made once per connection
    Status commitBatch(const std::vector<Pending> &batch, Statements &statements);
    QString readerConnection() const;

    QString m_projectDir;
    QString m_projectId;
    QString m_connectionPrefix;
    std::optional<ProjectState> m_loadedState;
    qint64 m_loadedLastSeq = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_flushed;
    std::vector<Pending> m_queue;
    quint64 m_enqueued = 0;
    quint64 m_committed = 0;
    bool m_stopping = false;
    std::optional<Error> m_writeError;
    DeliveryCallback m_deliver;
    std::mutex m_deliverMutex;
    QThread *m_writer = nullptr;
};

} // namespace baton
