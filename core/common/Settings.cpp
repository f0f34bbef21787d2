#include "Settings.h"

#include <QSettings>

namespace baton::Settings {

namespace {
const QString kWorkspaceDir = QStringLiteral("workspace/dir");
const QString kJobThreads = QStringLiteral("jobs/threads");
} // namespace

QString workspaceDir()
{
    return QSettings().value(kWorkspaceDir).toString();
}

void setWorkspaceDir(const QString &dir)
{
    QSettings().setValue(kWorkspaceDir, dir);
}

int jobThreads()
{
    return QSettings().value(kJobThreads, 0).toInt();
}

void setJobThreads(int threads)
{
    QSettings().setValue(kJobThreads, threads);
}

} // namespace baton::Settings
