#include "AssetResolver.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QUrl>

namespace baton::server {

namespace {
Error notFound()
{
    return makeError(ErrorKind::NotFound, QStringLiteral("asset.not_found"), QStringLiteral("Asset not found"));
}

Error invalidPath(const QString &why)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("asset.invalid_path"),
                     QStringLiteral("Invalid asset path"), why);
}
} // namespace

AssetResolver::AssetResolver(QString root)
    : m_root(QDir(root).absolutePath())
{}

bool AssetResolver::isPrivate(const QString &relativePath)
{
    // The store's database and the spooled request bodies are not assets.
    const QString name = QFileInfo(relativePath).fileName();
    return name.startsWith(QLatin1String("project.sqlite"))
           || relativePath.startsWith(QLatin1String(".spool/"));
}

Result<QString> AssetResolver::resolve(const QByteArray &rawPath) const
{
    if (rawPath.contains('\\') || rawPath.contains('\0'))
        return invalidPath(QStringLiteral("backslash or NUL"));
    const QString decoded = QUrl::fromPercentEncoding(rawPath);
    if (decoded.contains(QChar(0)) || decoded.contains(QLatin1Char('\\')))
        return invalidPath(QStringLiteral("encoded backslash or NUL"));
    if (decoded.startsWith(QLatin1Char('/')) || QDir::isAbsolutePath(decoded))
        return invalidPath(QStringLiteral("absolute path"));
    const QStringList segments = decoded.split(QLatin1Char('/'));
    for (const QString &segment : segments) {
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
            return invalidPath(QStringLiteral("empty, '.' or '..' segment"));
    }
    if (isPrivate(decoded))
        return notFound();

    const QFileInfo file(QDir(m_root).filePath(decoded));
    if (!file.exists() || !file.isFile())
        return notFound();
    // Symbolic links (of the file or of any folder on the way) must stay inside the root.
    const QString canonicalRoot = QFileInfo(m_root).canonicalFilePath();
    const QString canonical = file.canonicalFilePath();
    if (canonicalRoot.isEmpty() || !canonical.startsWith(canonicalRoot + QLatin1Char('/')))
        return invalidPath(QStringLiteral("leaves the asset root"));
    if (isPrivate(canonical.mid(canonicalRoot.size() + 1)))
        return notFound();
    return canonical;
}

QStringList AssetResolver::list() const
{
    QStringList out;
    QDirIterator it(m_root, QDir::Files | QDir::NoSymLinks, QDirIterator::Subdirectories);
    const QDir root(m_root);
    while (it.hasNext()) {
        const QString relative = root.relativeFilePath(it.next());
        if (!isPrivate(relative))
            out << relative;
    }
    out.sort();
    return out;
}

QString AssetResolver::relativePath(const QString &absolutePath) const
{
    const QString absolute = QFileInfo(absolutePath).absoluteFilePath();
    if (!absolute.startsWith(m_root + QLatin1Char('/')))
        return {};
    return absolute.mid(m_root.size() + 1);
}

QByteArray AssetResolver::contentTypeFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("json") || suffix == QLatin1String("ipynb"))
        return "application/json";
    if (suffix == QLatin1String("csv"))
        return "text/csv; charset=utf-8";
    if (suffix == QLatin1String("png"))
        return "image/png";
    if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg"))
        return "image/jpeg";
    if (suffix == QLatin1String("svg"))
        return "image/svg+xml";
    if (suffix == QLatin1String("zip"))
        return "application/zip";
    if (suffix == QLatin1String("html"))
        return "text/html; charset=utf-8";
    if (suffix == QLatin1String("md"))
        return "text/markdown; charset=utf-8";
    return "text/plain; charset=utf-8";
}

} // namespace baton::server
