#pragma once

#include "core/common/Result.h"

#include <QDateTime>
#include <QString>

#include <vector>

namespace baton {

struct ProjectInfo
{
    QString id;
    QString name; // the display name (the id until the user names it)
    QDateTime modified;
};

// The folder that holds every project: `<root>/projects/<id>/{project.sqlite, assets/}`.
// The root doubles as the protocol's ASSET_ROOT, so `/api/assets/projects/<id>/...` maps
// straight onto files.
class Workspace
{
public:
    explicit Workspace(QString root);

    // The default root: the `workspace` setting, else <AppDataLocation>/workspace.
    static QString defaultRoot();
    static bool isValidProjectId(const QString &id);
    // A readable, unique, file-system-safe id for a display name ("House prices" -> house-prices).
    QString suggestProjectId(const QString &displayName) const;

    QString root() const { return m_root; }
    QString projectsDir() const;
    QString projectDir(const QString &id) const;
    bool contains(const QString &id) const;

    // Creates the folder and the database with the display name (the store adds its tables
    // when the project is opened).
    Result<QString> createProject(const QString &displayName) const;
    std::vector<ProjectInfo> listProjects() const;
    QString trashDir() const;

    // The name shown for the project: the one stored in its database, else its id.
    QString displayName(const QString &id) const;
    // Stores a new display name in the project's database; its id and folder stay.
    Status renameProject(const QString &id, const QString &displayName) const;
    // Moves the project's folder to <root>/trash/<id>-<time> (recoverable by moving it back).
    // Whoever has the project open must close it first (see SessionPool::deleteProject).
    Status deleteProject(const QString &id) const;
    // How long a deleted project stays recoverable in the trash.
    static constexpr int kTrashKeptDays = 30;
    // Removes what deleteProject moved to the trash more than kTrashKeptDays before `now` (by the
    // time in its name); anything else in the trash is left alone. Returns how many it removed.
    Result<int> emptyTrash(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

private:
    Status checkExists(const QString &id) const;
    QString databasePath(const QString &id) const;

    QString m_root;
};

} // namespace baton
