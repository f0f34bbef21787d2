#pragma once

#include "core/common/Result.h"

#include <QByteArray>
#include <QString>

class QIODevice;

namespace baton::server {

struct MultipartFile
{
    QString fileName;    // as the client named it (untrusted: sanitise before use)
    QByteArray contentType;
    qint64 size = 0;
};

// Streams one file field of a multipart/form-data body (RFC 7578) into `destination`, without
// holding the body in memory. Other fields are skipped.
class MultipartReader
{
public:
    // The boundary of a `multipart/form-data; boundary=...` Content-Type; an error otherwise.
    static Result<QByteArray> boundaryOf(const QByteArray &contentType);

    static Result<MultipartFile> extractFile(QIODevice &body, const QByteArray &boundary,
                                             const QByteArray &fieldName, QIODevice &destination);
};

// A file name safe to create in a folder: the last path component, only letters, digits,
// '.', '-', '_' and spaces kept, no leading dots, at most 120 characters; empty when nothing
// usable remains.
QString sanitizeFileName(const QString &clientName);

} // namespace baton::server
