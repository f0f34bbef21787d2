#include "SqliteStatement.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

#include <utility>

namespace baton {

namespace {

Error sqliteError(sqlite3 *db, const QString &what)
{
    return makeError(ErrorKind::Io, QStringLiteral("store.sql"),
                     QStringLiteral("%1: %2").arg(what, QString::fromUtf8(sqlite3_errmsg(db))));
}

} // namespace

sqlite3 *nativeSqliteHandle(const QSqlDatabase &db)
{
    // The documented way to reach the driver's handle.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!db.isOpen() || !handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

Result<SqliteStatement> SqliteStatement::prepare(const QSqlDatabase &db, const char *sql)
{
    sqlite3 *raw = nativeSqliteHandle(db);
    if (!raw) {
        return makeError(ErrorKind::Io, QStringLiteral("store.sql"),
                         QStringLiteral("Not an open SQLite connection: %1").arg(db.connectionName()));
    }
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(raw, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK)
        return sqliteError(raw, QStringLiteral("Cannot prepare a statement"));
    return SqliteStatement(raw, statement);
}

SqliteStatement::SqliteStatement(sqlite3 *db, sqlite3_stmt *statement)
    : m_db(db)
    , m_statement(statement)
{}

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_db(other.m_db)
    , m_statement(std::exchange(other.m_statement, nullptr))
{}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement); // a no-op for null
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_statement, index, value);
}

void SqliteStatement::bind(int index, const QString &text)
{
    sqlite3_bind_text16(m_statement, index, text.utf16(), int(text.size() * sizeof(char16_t)),
                        SQLITE_STATIC);
}

void SqliteStatement::bindUtf8(int index, const QByteArray &utf8)
{
    sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
}

Status SqliteStatement::exec()
{
    const int rc = sqlite3_step(m_statement);
    Status status;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        status = sqliteError(m_db, QStringLiteral("Cannot run a statement")); // before reset
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return status;
}

} // namespace baton
