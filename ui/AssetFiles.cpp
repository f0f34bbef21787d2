#include "AssetFiles.h"

#include "core/project/Assets.h"

#include <QDir>

namespace baton::ui {

QString localAssetPath(const QString &projectDir, const QString &assetUrl)
{
    static const QString prefix = QStringLiteral("/api/assets/projects/");
    if (projectDir.isEmpty() || !assetUrl.startsWith(prefix))
        return {};
    const QString rest = assetUrl.mid(prefix.size());
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return {};
    const QString relative = QDir::cleanPath(rest.mid(slash + 1));
    if (!relative.startsWith(QLatin1String("assets/")) || relative.contains(QLatin1String("..")))
        return {};
    return QDir(projectDir).filePath(relative);
}

Result<json> readAssetJson(const QString &projectDir, const QString &assetUrl)
{
    const QString path = localAssetPath(projectDir, assetUrl);
    if (path.isEmpty()) {
        return makeError(ErrorKind::BadInput, QStringLiteral("ui.asset_url"),
                         QStringLiteral("Not a project asset: %1").arg(assetUrl));
    }
    return readJsonFile(path);
}

} // namespace baton::ui
