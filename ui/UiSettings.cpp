#include "UiSettings.h"

#include <QSettings>

namespace baton::ui::UiSettings {

namespace {
const QString kLanguage = QStringLiteral("ui/language");
const QString kGeometry = QStringLiteral("ui/window_geometry");
const QString kState = QStringLiteral("ui/window_state");
const QString kLastProject = QStringLiteral("ui/last_project");
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

} // namespace baton::ui::UiSettings
