#include "Assets.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QSaveFile>

namespace baton {

namespace {
Error writeError(const QString &path, const QString &reason)
{
    return makeError(ErrorKind::Io, QStringLiteral("asset.write"),
                     QStringLiteral("Cannot write the file: %1").arg(reason), path);
}
} // namespace

QString assetUrl(const QString &projectId, const QString &relativePath)
{
    QString rel = QDir::fromNativeSeparators(relativePath);
    while (rel.startsWith(QLatin1Char('/')))
        rel.remove(0, 1);
    return QStringLiteral("/api/assets/projects/%1/assets/%2").arg(projectId, rel);
}

Status writeTextFile(const QString &path, const QByteArray &bytes)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return writeError(path, QStringLiteral("cannot create its folder"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path, file.errorString());
    if (file.write(bytes) != bytes.size() || !file.commit())
        return writeError(path, file.errorString());
    return {};
}

Status writeJsonFile(const QString &path, const json &value, int indent)
{
    return writeTextFile(path, toStrictJsonBytes(value, indent));
}

Status writePngFile(const QString &path, const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return writeError(path, QStringLiteral("PNG encoding failed"));
    return writeTextFile(path, bytes);
}

Result<json> readJsonFile(const QString &path, ErrorKind kind, const QString &code,
                          const QString &hint)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QString message = QStringLiteral("Cannot read “%1”: %2")
                              .arg(QFileInfo(path).fileName(), file.errorString());
        if (!hint.isEmpty())
            message += QStringLiteral("; ") + hint;
        return makeError(kind, code, message, path);
    }
    return parseJson(file.readAll(), path);
}

Result<QString> sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(ErrorKind::Io, QStringLiteral("file.read"),
                         QStringLiteral("Cannot read the file: %1").arg(file.errorString()), path);
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) {
        return makeError(ErrorKind::Io, QStringLiteral("file.read"),
                         QStringLiteral("Cannot read the file"), path);
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace baton
