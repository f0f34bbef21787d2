#pragma once

#include <QByteArray>
#include <QString>

// Typed accessors over QSettings for what only the desktop app keeps. Secrets are stored with the
// platform's settings and never shown back (the dialog only says whether one is set).
namespace baton::ui::UiSettings {

QString language(); // "" = follow the system, "en", "de"
void setLanguage(const QString &code);

QByteArray windowGeometry();
QByteArray windowState();
void saveWindow(const QByteArray &geometry, const QByteArray &state);

QString lastProject();
void setLastProject(const QString &projectId);

// The protocol server the desktop app runs for web frontends (off by default; loopback:8000).
bool serverEnabled();
void setServerEnabled(bool enabled);
QString serverHost();
void setServerHost(const QString &host);
int serverPort(); // 0 = any free port
void setServerPort(int port);

} // namespace baton::ui::UiSettings
