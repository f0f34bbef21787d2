#pragma once

#include <QString>

namespace baton {

// Typed accessors over QSettings: the single place a setting's key and default live.
// Secrets (API keys) are stored here, never in a project or a log.
namespace Settings {

QString workspaceDir();
void setWorkspaceDir(const QString &dir);

int jobThreads(); // 0 = automatic (leave the GUI a core)
void setJobThreads(int threads);

} // namespace Settings

} // namespace baton
