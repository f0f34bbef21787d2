#include "ProjectStore.h"

#include "ProjectMeta.h"
#include "SqliteStatement.h"
#include "WalCheckpointer.h"

#include "core/common/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

namespace baton {

namespace {

constexpr int kSchemaVersion = 1;
constexpr const char *kInsertEvent =
    "INSERT INTO events(seq, ts, type, stage, status, name, payload) VALUES (?,?,?,?,?,?,?)";

const char *const kSchema[] = {
    ProjectMeta::kCreateTable,
    "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, "
    "type TEXT NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL, name TEXT NOT NULL, "
    "payload TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "json TEXT NOT NULL, seq INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS artifacts (id TEXT PRIMARY KEY, type TEXT NOT NULL, "
    "name TEXT NOT NULL, url TEXT NOT NULL, meta TEXT NOT NULL, seq INTEGER NOT NULL)",
};

Error sqlError(const QString &what, const QSqlError &error, const QString &path)
{
    return makeError(ErrorKind::Io, QStringLiteral("store.sql"),
                     QStringLiteral("%1: %2").arg(what, error.text()), path);
}

// Connections are per thread in Qt SQL; this opens one with the pragmas every user needs.
Result<QSqlDatabase> openConnection(const QString &name, const QString &path)
{
    QSqlDatabase db = QSqlDatabase::contains(name) ? QSqlDatabase::database(name, false)
                                                   : QSqlDatabase::addDatabase(
                                                       QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.isOpen() && !db.open())
        return sqlError(QStringLiteral("Cannot open the project database"), db.lastError(), path);
    QSqlQuery pragma(db);
    // WAL: readers never block the writer; NORMAL sync is durable across a killed process.
    pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    pragma.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    return db;
}

Event eventFromRow(const QSqlQuery &q, const QString &projectId)
{
    Event event;
    event.seq = q.value(0).toLongLong();
    event.tsMs = q.value(1).toLongLong();
    event.type = q.value(2).toString();
    event.stage = stageFromName(q.value(3).toString()).value_or(StageId::ParseIntent);
    event.stageStatus = statusFromName(q.value(4).toString()).value_or(StageStatus::Pending);
    event.name = q.value(5).toString();
    auto payload = parseJson(q.value(6).toByteArray());
    event.payload = payload.ok() ? payload.value() : json::object();
    event.projectId = projectId;
    return event;
}

} // namespace

ProjectStore::ProjectStore(QString projectDir, QString projectId)
    : m_projectDir(std::move(projectDir))
    , m_projectId(std::move(projectId))
    , m_connectionPrefix(QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const QString &projectDir,
                                                         const QString &projectId)
{
    if (!QDir().mkpath(projectDir) || !QDir(projectDir).mkpath(QStringLiteral("assets"))) {
        return makeError(ErrorKind::Io, QStringLiteral("store.mkdir"),
                         QStringLiteral("Cannot create the project folder"), projectDir);
    }
    std::unique_ptr<ProjectStore> store(new ProjectStore(projectDir, projectId));
    if (Status status = store->initialise(); !status)
        return status.error();
    store->m_writer = QThread::create([s = store.get()] { s->writerLoop(); });
    store->m_writer->setObjectName(QStringLiteral("baton-store-writer"));
    store->m_writer->start();
    return store;
}

ProjectStore::~ProjectStore()
{
    if (m_writer) {
        flush();
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        m_writer->wait();
        delete m_writer;
    }
    QSqlDatabase::removeDatabase(readerConnection());
}

QString ProjectStore::assetsDir() const
{
    return QDir(m_projectDir).filePath(QStringLiteral("assets"));
}

QString ProjectStore::databasePath() const
{
    return QDir(m_projectDir).filePath(QStringLiteral("project.sqlite"));
}

QString ProjectStore::readerConnection() const
{
    // One reader connection per store and thread that reads.
    return QStringLiteral("reader-%1-%2")
        .arg(m_connectionPrefix)
        .arg(reinterpret_cast<quintptr>(QThread::currentThreadId()));
}

Status ProjectStore::initialise()
{
    auto db = openConnection(readerConnection(), databasePath());
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    for (const char *statement : kSchema) {
        if (!q.exec(QString::fromLatin1(statement)))
            return sqlError(QStringLiteral("Cannot create the schema"), q.lastError(),
                            databasePath());
    }
    q.exec(QStringLiteral("PRAGMA quick_check"));
    if (!q.next() || q.value(0).toString() != QLatin1String("ok")) {
        return makeError(ErrorKind::Io, QStringLiteral("store.corrupt"),
                         QStringLiteral("The project database failed its integrity check"),
                         databasePath());
    }
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)"));
    q.addBindValue(kSchemaVersion);
    q.exec();

    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM events")) || !q.next())
        return sqlError(QStringLiteral("Cannot read the event log"), q.lastError(), databasePath());
    m_loadedLastSeq = q.value(0).toLongLong();

    if (!q.exec(QStringLiteral("SELECT json FROM state WHERE id = 1")))
        return sqlError(QStringLiteral("Cannot read the project state"), q.lastError(),
                        databasePath());
    if (q.next()) {
        auto parsed = parseJson(q.value(0).toByteArray(), databasePath());
        if (!parsed)
            return parsed.error();
        auto state = ProjectState::fromJson(parsed.value());
        if (!state)
            return state.error();
        m_loadedState = std::move(state).value();
        m_loadedState->projectId = m_projectId;
    }
    return {};
}

void ProjectStore::append(Event event, std::optional<json> state)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Pending{std::move(event), std::move(state)});
        ++m_enqueued;
    }
    m_wake.notify_one();
}

void ProjectStore::saveState(json state)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Pending{std::nullopt, std::move(state)});
        ++m_enqueued;
    }
    m_wake.notify_one();
}

void ProjectStore::flush()
{
    std::unique_lock lock(m_mutex);
    const quint64 target = m_enqueued;
    m_flushed.wait(lock, [&] { return m_committed >= target || m_writeError.has_value(); });
}

void ProjectStore::setDeliveryCallback(DeliveryCallback callback)
{
    std::lock_guard lock(m_deliverMutex);
    m_deliver = std::move(callback);
}

std::optional<Error> ProjectStore::writeError() const
{
    std::lock_guard lock(m_mutex);
    return m_writeError;
}

// Prepared once: preparing per batch cost as much as the inserts when batches are small.
struct ProjectStore::Statements
{
    Statements(const QSqlDatabase &database, SqliteStatement events)
        : db(database)
        , insertEvent(std::move(events))
        , insertArtifact(db)
        , upsertState(db)
    {
        insertArtifact.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO artifacts(id, type, name, url, meta, seq) VALUES (?,?,?,?,?,?)"));
        upsertState.prepare(QStringLiteral("INSERT OR REPLACE INTO state(id, json, seq) VALUES (1, ?, ?)"));
    }

    QSqlDatabase db;
    SqliteStatement insertEvent;
    QSqlQuery insertArtifact;
    QSqlQuery upsertState;
};

void ProjectStore::writerLoop()
{
    const QString connection = QStringLiteral("writer-%1").arg(m_connectionPrefix);
    {
        auto db = openConnection(connection, databasePath());
        if (!db) {
            std::lock_guard lock(m_mutex);
            m_writeError = db.error();
            m_flushed.notify_all();
            return;
        }
        auto insertEvent = SqliteStatement::prepare(db.value(), kInsertEvent);
        if (!insertEvent) {
            std::lock_guard lock(m_mutex);
            m_writeError = insertEvent.error();
            m_flushed.notify_all();
            return;
        }
        auto statements = std::make_unique<Statements>(db.value(), std::move(insertEvent).value());
        auto checkpointer = WalCheckpointer::start(db.value());
        if (!checkpointer) // SQLite's own checkpoints on commit still keep the WAL bounded
            qCWarning(lcStore) << checkpointer.error().toString();
        // Swapped with the queue each round, so both buffers keep their capacity and a burst of
        // events does not regrow (and move) the queue from empty every time.
        std::vector<Pending> batch;
        for (;;) {
            batch.clear();
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
                if (m_queue.empty() && m_stopping)
                    break;
                batch.swap(m_queue);
            }
            const Status status = commitBatch(batch, *statements);
            if (status.ok()) {
                std::vector<Event> delivered;
                delivered.reserve(batch.size());
                for (Pending &p : batch) {
                    if (p.event)
                        delivered.push_back(std::move(*p.event));
                }
                std::lock_guard deliverLock(m_deliverMutex);
                if (m_deliver && !delivered.empty())
                    m_deliver(std::move(delivered));
            } else {
                qCCritical(lcStore) << "event log write failed:" << status.error().toString();
            }
            {
                std::lock_guard lock(m_mutex);
                m_committed += batch.size();
                if (!status.ok() && !m_writeError)
                    m_writeError = status.error();
            }
            m_flushed.notify_all();
        }
        statements.reset(); // finalised before the connection closes, or closing fails
        if (checkpointer)
            checkpointer.value().reset();
        db.value().close();
    } // every handle on the connection is gone before it is removed
    QSqlDatabase::removeDatabase(connection);
}

Status ProjectStore::commitBatch(const std::vector<Pending> &batch, Statements &statements)
{
    QSqlDatabase &db = statements.db;
    if (!db.transaction())
        return sqlError(QStringLiteral("Cannot start a transaction"), db.lastError(),
                        databasePath());
    SqliteStatement &insertEvent = statements.insertEvent;
    QSqlQuery &insertArtifact = statements.insertArtifact;

    const json *latestState = nullptr;
    qint64 latestSeq = 0;
    for (const Pending &p : batch) {
        if (p.event) {
            const Event &e = *p.event;
            latestSeq = e.seq;
            const QString stage = stageName(e.stage);
            const QString status = statusName(e.stageStatus);
            const QByteArray payload = e.payloadBytes();
            insertEvent.bind(1, e.seq);
            insertEvent.bind(2, e.tsMs);
            insertEvent.bind(3, e.type);
            insertEvent.bind(4, stage);
            insertEvent.bind(5, status);
            insertEvent.bind(6, e.name);
            insertEvent.bindUtf8(7, payload);
            if (Status stored = insertEvent.exec(); !stored) {
                db.rollback();
                return makeError(ErrorKind::Io, QStringLiteral("store.sql"),
                                 QStringLiteral("Cannot store event %1: %2").arg(e.seq).arg(stored.error().message),
                                 databasePath());
            }
            // The artifacts index is a projection of ARTIFACT_ADDED events.
            if (e.name == QLatin1String("ARTIFACT_ADDED") && e.payload.contains("artifact")) {
                const json &a = e.payload["artifact"];
                insertArtifact.addBindValue(stringField(a, "id"));
                insertArtifact.addBindValue(stringField(a, "type"));
                insertArtifact.addBindValue(stringField(a, "name"));
                insertArtifact.addBindValue(stringField(a, "url"));
                insertArtifact.addBindValue(QString::fromStdString(
                    toStrictJson(a.value("meta", json::object()))));
                insertArtifact.addBindValue(e.seq);
                insertArtifact.exec();
            }
        }
        if (p.state)
            latestState = &*p.state;
    }
    if (latestState) {
        QSqlQuery &upsert = statements.upsertState;
        upsert.addBindValue(QString::fromStdString(toStrictJson(*latestState)));
        upsert.addBindValue(latestSeq);
        if (!upsert.exec()) {
            db.rollback();
            return sqlError(QStringLiteral("Cannot store the project state"), upsert.lastError(),
                            databasePath());
        }
    }
    if (!db.commit())
        return sqlError(QStringLiteral("Cannot commit"), db.lastError(), databasePath());
    return {};
}

Result<std::vector<Event>> ProjectStore::events(qint64 fromSeq, int limit) const
{
    auto db = openConnection(readerConnection(), databasePath());
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT seq, ts, type, stage, status, name, payload FROM events "
                             "WHERE seq >= ? ORDER BY seq LIMIT ?"));
    q.addBindValue(fromSeq);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(QStringLiteral("Cannot read the event log"), q.lastError(), databasePath());
    std::vector<Event> out;
    while (q.next())
        out.push_back(eventFromRow(q, m_projectId));
    return out;
}

Result<std::vector<ArtifactRecord>> ProjectStore::artifacts() const
{
    auto db = openConnection(readerConnection(), databasePath());
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    if (!q.exec(QStringLiteral("SELECT id, type, name, url, meta, seq FROM artifacts ORDER BY seq")))
        return sqlError(QStringLiteral("Cannot read artifacts"), q.lastError(), databasePath());
    std::vector<ArtifactRecord> out;
    while (q.next()) {
        auto meta = parseJson(q.value(4).toByteArray());
        out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                       q.value(3).toString(), meta.ok() ? meta.value() : json::object(),
                       q.value(5).toLongLong()});
    }
    return out;
}

Result<QString> ProjectStore::metaValue(const QString &key) const
{
    auto db = openConnection(readerConnection(), databasePath());
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec())
        return sqlError(QStringLiteral("Cannot read project metadata"), q.lastError(),
                        databasePath());
    return q.next() ? q.value(0).toString() : QString();
}

Status ProjectStore::setMetaValue(const QString &key, const QString &value)
{
    auto db = openConnection(readerConnection(), databasePath());
    if (!db)
        return db.error();
    QSqlQuery q(db.value());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"));
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        return sqlError(QStringLiteral("Cannot write project metadata"), q.lastError(),
                        databasePath());
    return {};
}

} // namespace baton
