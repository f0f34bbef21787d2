#include "WalCheckpointer.h"

#include "SqliteStatement.h"

#include "core/common/Logging.h"

#include <sqlite3.h>

namespace baton {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const QSqlDatabase &writer)
{
    sqlite3 *writerHandle = nativeSqliteHandle(writer);
    const char *path = writerHandle ? sqlite3_db_filename(writerHandle, "main") : nullptr;
    if (!path || !*path) {
        return makeError(ErrorKind::Io, QStringLiteral("store.checkpointer"),
                         QStringLiteral("The event log's connection is not an open SQLite file"));
    }
    sqlite3 *own = nullptr;
    if (sqlite3_open_v2(path, &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const QString reason = QString::fromUtf8(own ? sqlite3_errmsg(own) : "out of memory");
        sqlite3_close(own);
        return makeError(ErrorKind::Io, QStringLiteral("store.checkpointer"),
                         QStringLiteral("Cannot open a checkpoint connection: %1").arg(reason),
                         QString::fromUtf8(path));
    }
    sqlite3_busy_timeout(own, 5000);
    // A connection that has not read the database yet does not know it is in WAL mode, and its
    // checkpoints silently do nothing.
    sqlite3_exec(own, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(writerHandle, own));
    sqlite3_wal_hook(writerHandle, &WalCheckpointer::onCommit, checkpointer.get());
    return checkpointer;
}

WalCheckpointer::WalCheckpointer(sqlite3 *writer, sqlite3 *own)
    : m_writer(writer)
    , m_own(own)
    , m_thread([this] { run(); })
{}

WalCheckpointer::~WalCheckpointer()
{
    sqlite3_wal_hook(m_writer, nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    sqlite3_close(m_own);
}

int WalCheckpointer::onCommit(void *self, sqlite3 *db, const char *, int walPages)
{
    // Runs on the writer's thread right after each commit: only a flag and a wake-up. The WAL
    // starts over only when a write begins after a complete checkpoint; under a steady stream the
    // background checkpoint always trails the last commit, so past a hard limit the writer
    // checkpoints itself once, as SQLite would have, and the next write starts the WAL over.
    if (walPages >= kWriterCheckpointPages) {
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (walPages >= kCheckpointPages) {
        auto *checkpointer = static_cast<WalCheckpointer *>(self);
        {
            std::lock_guard lock(checkpointer->m_mutex);
            checkpointer->m_requested = true;
        }
        checkpointer->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_requested || m_stopping; });
            if (m_stopping)
                return;
            m_requested = false;
        }
        const int rc = sqlite3_wal_checkpoint_v2(m_own, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            qCWarning(lcStore) << "WAL checkpoint failed:" << sqlite3_errmsg(m_own);
    }
}

} // namespace baton
