#pragma once

#include "core/common/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace baton::server {

// Maps `/api/assets/<path>` onto files under the asset root (the workspace), refusing anything
// that could leave it: `..` or `.` segments (also percent-encoded), absolute paths, backslashes,
// NUL bytes and symbolic links that point outside. Project databases are never served.
class AssetResolver
{
public:
    explicit AssetResolver(QString root);

    QString root() const { return m_root; }

    // `rawPath` is still percent-encoded. BadInput for a path that tries to escape, NotFound
    // for a file that does not exist.
    Result<QString> resolve(const QByteArray &rawPath) const;

    // Every servable file, relative to the root, sorted.
    QStringList list() const;

    // A path relative to the root, if `absolutePath` is inside it.
    QString relativePath(const QString &absolutePath) const;

    static QByteArray contentTypeFor(const QString &path);

private:
    static bool isPrivate(const QString &relativePath);
    QString m_root;
};

} // namespace baton::server
