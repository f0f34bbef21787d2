#include "ProjectMeta.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <optional>

namespace baton::ProjectMeta {

namespace {

Error sqlError(const QString &what, const QSqlError &error, const QString &path)
{
    return makeError(ErrorKind::Io, QStringLiteral("project.meta"), QStringLiteral("%1: %2").arg(what, error.text()), path);
}

// Runs `use` on a connection of its own, closed and removed afterwards.
template<typename R, typename Use>
R withConnection(const QString &databasePath, bool readOnly, Use use)
{
    const QString name = QStringLiteral("meta-%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    std::optional<R> result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(readOnly ? QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000;QSQLITE_OPEN_READONLY")
                                      : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open())
            result.emplace(use(db));
        else
            result.emplace(sqlError(QStringLiteral("Cannot open the project database"), db.lastError(), databasePath));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return std::move(*result);
}

} // namespace

Result<QString> read(const QString &databasePath, const QString &key)
{
    if (!QFileInfo::exists(databasePath))
        return QString();
    return withConnection<Result<QString>>(databasePath, true, [&](QSqlDatabase &db) -> Result<QString> {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
        q.addBindValue(key);
        if (!q.exec()) {
            if (!db.tables().contains(QStringLiteral("meta")))
                return QString(); // a project whose store never opened
            return sqlError(QStringLiteral("Cannot read project metadata"), q.lastError(), databasePath);
        }
        return q.next() ? q.value(0).toString() : QString();
    });
}

Status write(const QString &databasePath, const QString &key, const QString &value)
{
    return withConnection<Status>(databasePath, false, [&](QSqlDatabase &db) -> Status {
        QSqlQuery q(db);
        // WAL like the store, so this connection and an open store never block each other's reads
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        if (!q.exec(QString::fromLatin1(kCreateTable)))
            return sqlError(QStringLiteral("Cannot create the metadata table"), q.lastError(), databasePath);
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"));
        q.addBindValue(key);
        q.addBindValue(value);
        if (!q.exec())
            return sqlError(QStringLiteral("Cannot write project metadata"), q.lastError(), databasePath);
        return {};
    });
}

} // namespace baton::ProjectMeta
