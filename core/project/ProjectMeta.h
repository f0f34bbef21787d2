#pragma once

#include "core/common/Result.h"

#include <QString>

// The key/value `meta` table of a project's database, read and written without opening the
// project (a short connection of its own; safe next to an open ProjectStore, WAL allows it).
namespace baton::ProjectMeta {

// Shared with ProjectStore's schema.
inline constexpr const char *kCreateTable = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";
// The name a user gave the project (its id when absent).
inline constexpr const char *kDisplayName = "display_name";

// Empty when the key (or the database) does not exist.
Result<QString> read(const QString &databasePath, const QString &key);
// Creates the database and the table when missing.
Status write(const QString &databasePath, const QString &key, const QString &value);

} // namespace baton::ProjectMeta
