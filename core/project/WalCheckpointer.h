#pragma once

#include "core/common/Result.h"

#include <QSqlDatabase>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

namespace baton {

// Takes SQLite's WAL checkpoints off the event-log writer. By default the committing connection
// checkpoints once the WAL passes 1000 pages, and a checkpoint syncs the WAL and the database to
// disk: on a busy disk that held live event delivery back by up to ~200 ms. Here the writer's
// commits only report the WAL's size; this thread, on its own connection, runs a PASSIVE
// checkpoint (which never blocks the writer) when the WAL has grown past the same size.
class WalCheckpointer
{
public:
    static constexpr int kCheckpointPages = 1000; // SQLite's own autocheckpoint default
    static constexpr int kWriterCheckpointPages = 8 * kCheckpointPages; // ~32 MB of WAL

    // Hooks the writer's connection (replacing its autocheckpoint) and starts the thread.
    static Result<std::unique_ptr<WalCheckpointer>> start(const QSqlDatabase &writer);
    // Unhooks the writer and stops the thread; closing the last connection checkpoints the rest.
    ~WalCheckpointer();

    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

private:
    WalCheckpointer(sqlite3 *writer, sqlite3 *own);
    static int onCommit(void *self, sqlite3 *db, const char *schema, int walPages);
    void run();

    sqlite3 *m_writer;
    sqlite3 *m_own;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace baton
