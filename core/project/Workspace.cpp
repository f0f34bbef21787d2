#include "Workspace.h"

#include "core/common/Settings.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

namespace baton {

Workspace::Workspace(QString root)
    : m_root(QDir::cleanPath(std::move(root)))
{}

QString Workspace::defaultRoot()
{
    const QString configured = Settings::workspaceDir();
    if (!configured.isEmpty())
        return configured;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("workspace"));
}

bool Workspace::isValidProjectId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    return pattern.match(id).hasMatch() && !id.contains(QLatin1String(".."));
}

QString Workspace::suggestProjectId(const QString &displayName) const
{
    QString base = displayName.toLower().trimmed();
    base.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    base.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
    base.truncate(48);
    if (base.isEmpty())
        base = QStringLiteral("project");
    QString id = base;
    for (int n = 2; contains(id); ++n)
        id = QStringLiteral("%1-%2").arg(base).arg(n);
    return id;
}

QString Workspace::projectsDir() const
{
    return QDir(m_root).filePath(QStringLiteral("projects"));
}

QString Workspace::projectDir(const QString &id) const
{
    return QDir(projectsDir()).filePath(id);
}

bool Workspace::contains(const QString &id) const
{
    return isValidProjectId(id)
           && QFileInfo::exists(QDir(projectDir(id)).filePath(QStringLiteral("project.sqlite")));
}

Result<QString> Workspace::createProject(const QString &displayName) const
{
    const QString id = suggestProjectId(displayName);
    if (!QDir().mkpath(projectDir(id))) {
        return makeError(ErrorKind::Io, QStringLiteral("workspace.mkdir"),
                         QStringLiteral("Cannot create the project folder"), projectDir(id));
    }
    return id;
}

std::vector<ProjectInfo> Workspace::listProjects() const
{
    std::vector<ProjectInfo> out;
    const QDir dir(projectsDir());
    const auto entries = dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &entry : entries) {
        const QFileInfo db(QDir(entry.filePath()).filePath(QStringLiteral("project.sqlite")));
        if (!db.exists() || !isValidProjectId(entry.fileName()))
            continue;
        out.push_back({entry.fileName(), entry.fileName(), db.lastModified()});
    }
    std::sort(out.begin(), out.end(),
              [](const ProjectInfo &a, const ProjectInfo &b) { return a.modified > b.modified; });
    return out;
}

} // namespace baton
