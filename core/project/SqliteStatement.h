#pragma once

#include "core/common/Result.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace baton {

// The SQLite handle under an open Qt SQL connection (QSqlDriver::handle()); null otherwise.
sqlite3 *nativeSqliteHandle(const QSqlDatabase &db);

// One prepared statement on the SQLite handle under a Qt SQL connection, bound and stepped
// through SQLite's own API. For the event log's hot insert: QtSql's positional binding builds a
// placeholder name and a hash lookup for every value, which cost more than the insert itself.
class SqliteStatement
{
public:
    // Prepares `sql` on the connection's handle; an error if it is not an open SQLite connection.
    static Result<SqliteStatement> prepare(const QSqlDatabase &db, const char *sql);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) = delete;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // Parameters count from 1, as in SQLite. Text must outlive exec().
    void bind(int index, qint64 value);
    void bind(int index, const QString &text);
    void bindUtf8(int index, const QByteArray &utf8);
    // Runs the statement once, then resets it for the next bindings.
    Status exec();

private:
    SqliteStatement(sqlite3 *db, sqlite3_stmt *statement);

    sqlite3 *m_db;
    sqlite3_stmt *m_statement;
};

} // namespace baton
