#include "Workspace.h"

#include "ProjectMeta.h"

#include "core/common/Settings.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

namespace baton {

namespace {
// The UTC time a deleted project's trash folder carries after its id.
const QString kTrashStampFormat = QStringLiteral("yyyyMMdd-hhmmss-zzz");
} // namespace

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

QString Workspace::trashDir() const
{
    return QDir(m_root).filePath(QStringLiteral("trash"));
}

QString Workspace::databasePath(const QString &id) const
{
    return QDir(projectDir(id)).filePath(QStringLiteral("project.sqlite"));
}

bool Workspace::contains(const QString &id) const
{
    return isValidProjectId(id) && QFileInfo::exists(databasePath(id));
}

Status Workspace::checkExists(const QString &id) const
{
    if (contains(id))
        return {};
    return makeError(ErrorKind::NotFound, QStringLiteral("project.not_found"),
                     QStringLiteral("There is no project '%1' in this workspace").arg(id), projectsDir());
}

Result<QString> Workspace::createProject(const QString &displayName) const
{
    const QString id = suggestProjectId(displayName);
    if (!QDir().mkpath(projectDir(id))) {
        return makeError(ErrorKind::Io, QStringLiteral("workspace.mkdir"),
                         QStringLiteral("Cannot create the project folder"), projectDir(id));
    }
    const QString name = displayName.simplified();
    if (!name.isEmpty()) {
        if (Status named = ProjectMeta::write(databasePath(id), QString::fromLatin1(ProjectMeta::kDisplayName), name); !named)
            return named.error();
    }
    return id;
}

QString Workspace::displayName(const QString &id) const
{
    const auto stored = ProjectMeta::read(databasePath(id), QString::fromLatin1(ProjectMeta::kDisplayName));
    return stored.ok() && !stored.value().isEmpty() ? stored.value() : id;
}

Status Workspace::renameProject(const QString &id, const QString &displayName) const
{
    if (Status exists = checkExists(id); !exists)
        return exists;
    const QString name = displayName.simplified();
    if (name.isEmpty()) {
        return makeError(ErrorKind::BadInput, QStringLiteral("project.empty_name"),
                         QStringLiteral("A project name cannot be empty"));
    }
    if (name.size() > 200) {
        return makeError(ErrorKind::BadInput, QStringLiteral("project.long_name"),
                         QStringLiteral("A project name has at most 200 characters (this one has %1)").arg(name.size()));
    }
    return ProjectMeta::write(databasePath(id), QString::fromLatin1(ProjectMeta::kDisplayName), name);
}

Status Workspace::deleteProject(const QString &id) const
{
    if (Status exists = checkExists(id); !exists)
        return exists;
    if (!QDir().mkpath(trashDir())) {
        return makeError(ErrorKind::Io, QStringLiteral("workspace.mkdir"), QStringLiteral("Cannot create the trash folder"),
                         trashDir());
    }
    const QString stamp = QDateTime::currentDateTimeUtc().toString(kTrashStampFormat);
    const QString target = QDir(trashDir()).filePath(QStringLiteral("%1-%2").arg(id, stamp));
    if (!QDir().rename(projectDir(id), target)) {
        return makeError(ErrorKind::Io, QStringLiteral("project.delete"),
                         QStringLiteral("Cannot move project '%1' to the trash").arg(id), target);
    }
    return {};
}

Result<int> Workspace::emptyTrash(const QDateTime &now) const
{
    const QDir trash(trashDir());
    int removed = 0;
    for (const QString &entry : trash.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        // <id>-<stamp>, as deleteProject names it
        const qsizetype stampLength = kTrashStampFormat.size();
        if (entry.size() <= stampLength + 1 || entry[entry.size() - stampLength - 1] != QLatin1Char('-'))
            continue;
        QDateTime deletedAt = QDateTime::fromString(entry.right(stampLength), kTrashStampFormat);
        if (!deletedAt.isValid())
            continue;
        deletedAt.setTimeSpec(Qt::UTC);
        if (deletedAt.daysTo(now) <= kTrashKeptDays)
            continue;
        if (!QDir(trash.filePath(entry)).removeRecursively()) {
            return makeError(ErrorKind::Io, QStringLiteral("workspace.trash"),
                             QStringLiteral("Cannot remove a deleted project from the trash"), trash.filePath(entry));
        }
        ++removed;
    }
    return removed;
}

std::vector<ProjectInfo> Workspace::listProjects() const
{
    std::vector<ProjectInfo> out;
    const QDir dir(projectsDir());
    const auto entries = dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &entry : entries) {
        const QFileInfo db(databasePath(entry.fileName()));
        if (!db.exists() || !isValidProjectId(entry.fileName()))
            continue;
        out.push_back({entry.fileName(), displayName(entry.fileName()), db.lastModified()});
    }
    std::sort(out.begin(), out.end(),
              [](const ProjectInfo &a, const ProjectInfo &b) { return a.modified > b.modified; });
    return out;
}

} // namespace baton
