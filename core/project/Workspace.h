#pragma once

#include "core/common/Result.h"

#include <QDateTime>
#include <QString>

#include <vector>

namespace baton {

struct ProjectInfo
{
    QString id;
    QString name;
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

    // Creates the folder (the store creates the database when the project is opened).
    Result<QString> createProject(const QString &displayName) const;
    std::vector<ProjectInfo> listProjects() const;

private:
    QString m_root;
};

} // namespace baton
