#include "UiSettings.h"

#include <QSettings>

namespace baton::ui::UiSettings {

namespace {
const QString kLanguage = QStringLiteral("ui/language");
const QString kGeometry = QStringLiteral("ui/window_geometry");
const QString kState = QStringLiteral("ui/window_state");
const QString kLastProject = QStringLiteral("ui/last_project");
const QString kServerEnabled = QStringLiteral("ui/server_enabled");
const QString kServerHost = QStringLiteral("ui/server_host");
const QString kServerPort = QStringLiteral("ui/server_port");
} // namespace

QString language()
{
    return QSettings().value(kLanguage).toString();
}

void setLanguage(const QString &code)
{
    QSettings().setValue(kLanguage, code);
}

QByteArray windowGeometry()
{
    return QSettings().value(kGeometry).toByteArray();
}

QByteArray windowState()
{
    return QSettings().value(kState).toByteArray();
}

void saveWindow(const QByteArray &geometry, const QByteArray &state)
{
    QSettings settings;
    settings.setValue(kGeometry, geometry);
    settings.setValue(kState, state);
}

QString lastProject()
{
    return QSettings().value(kLastProject).toString();
}

void setLastProject(const QString &projectId)
{
    QSettings().setValue(kLastProject, projectId);
}

bool serverEnabled()
{
    return QSettings().value(kServerEnabled, false).toBool();
}

void setServerEnabled(bool enabled)
{
    QSettings().setValue(kServerEnabled, enabled);
}

QString serverHost()
{
    return QSettings().value(kServerHost, QStringLiteral("127.0.0.1")).toString();
}

void setServerHost(const QString &host)
{
    QSettings().setValue(kServerHost, host);
}

int serverPort()
{
    return QSettings().value(kServerPort, 8000).toInt();
}

void setServerPort(int port)
{
    QSettings().setValue(kServerPort, port);
}

} // namespace baton::ui::UiSettings
