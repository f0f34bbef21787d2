#include "MultipartReader.h"

#include <QIODevice>
#include <QRegularExpression>

namespace baton::server {

namespace {

constexpr qint64 kReadChunk = 256 * 1024;
constexpr qsizetype kMaxPartHead = 16 * 1024;

Error malformed(const QString &what)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("multipart.malformed"),
                     QStringLiteral("Malformed multipart body: %1").arg(what));
}

// `name="value"` (or unquoted) parameter of a header value.
QByteArray parameter(const QByteArray &header, const QByteArray &name)
{
    for (QByteArray part : header.split(';')) {
        part = part.trimmed();
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0 || part.left(eq).trimmed().toLower() != name)
            continue;
        QByteArray value = part.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2).replace("\\\"", "\"");
        return value;
    }
    return {};
}

// Reads until `buffer` holds `needle` or the input ends; returns its index or -1.
qsizetype fill(QIODevice &in, QByteArray &buffer, const QByteArray &needle, qsizetype limit)
{
    for (;;) {
        const qsizetype at = buffer.indexOf(needle);
        if (at >= 0)
            return at;
        if (buffer.size() > limit)
            return -1;
        const QByteArray more = in.read(kReadChunk);
        if (more.isEmpty())
            return -1;
        buffer += more;
    }
}

} // namespace

Result<QByteArray> MultipartReader::boundaryOf(const QByteArray &contentType)
{
    if (!contentType.trimmed().toLower().startsWith("multipart/form-data"))
        return makeError(ErrorKind::BadInput, QStringLiteral("multipart.content_type"),
                         QStringLiteral("Expected a multipart/form-data body with a 'file' field"));
    const QByteArray boundary = parameter(contentType, "boundary");
    if (boundary.isEmpty() || boundary.size() > 200)
        return malformed(QStringLiteral("missing or invalid boundary"));
    return boundary;
}

Result<MultipartFile> MultipartReader::extractFile(QIODevice &body, const QByteArray &boundary,
                                                   const QByteArray &fieldName, QIODevice &destination)
{
    const QByteArray opening = "--" + boundary;
    const QByteArray closing = "\r\n--" + boundary;
    QByteArray buffer;

    qsizetype at = fill(body, buffer, opening, kMaxPartHead);
    if (at < 0)
        return malformed(QStringLiteral("no opening boundary"));
    buffer.remove(0, at + opening.size());

    for (;;) {
        // After a boundary: "--" ends the body, CRLF starts a part.
        while (buffer.size() < 2) {
            const QByteArray more = body.read(kReadChunk);
            if (more.isEmpty())
                return malformed(QStringLiteral("truncated after a boundary"));
            buffer += more;
        }
        if (buffer.startsWith("--"))
            break;
        if (!buffer.startsWith("\r\n"))
            return malformed(QStringLiteral("boundary not followed by a line end"));
        buffer.remove(0, 2);

        const qsizetype headEnd = fill(body, buffer, "\r\n\r\n", kMaxPartHead);
        if (headEnd < 0)
            return malformed(QStringLiteral("part headers not terminated"));
        QByteArray disposition;
        QByteArray contentType;
        for (const QByteArray &line : buffer.left(headEnd).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            if (name == "content-disposition")
                disposition = line.mid(colon + 1).trimmed();
            else if (name == "content-type")
                contentType = line.mid(colon + 1).trimmed();
        }
        buffer.remove(0, headEnd + 4);
        const bool wanted = parameter(disposition, "name") == fieldName;

        // Stream the part's data until the closing delimiter, keeping a tail that could be
        // the start of a delimiter split across reads.
        qint64 written = 0;
        for (;;) {
            const qsizetype end = buffer.indexOf(closing);
            const qsizetype safe = end >= 0 ? end : buffer.size() - (closing.size() - 1);
            if (safe > 0) {
                if (wanted && destination.write(buffer.constData(), safe) != safe)
                    return makeError(ErrorKind::Io, QStringLiteral("multipart.write"),
                                     QStringLiteral("Cannot store the uploaded file: %1").arg(destination.errorString()));
                written += safe;
                buffer.remove(0, safe);
            }
            if (end >= 0) {
                buffer.remove(0, closing.size());
                break;
            }
            const QByteArray more = body.read(kReadChunk);
            if (more.isEmpty())
                return malformed(QStringLiteral("part not terminated by a boundary"));
            buffer += more;
        }
        if (wanted) {
            MultipartFile file;
            file.fileName = QString::fromUtf8(parameter(disposition, "filename"));
            file.contentType = contentType;
            file.size = written;
            return file;
        }
    }
    return makeError(ErrorKind::BadInput, QStringLiteral("multipart.no_file"),
                     QStringLiteral("The form has no '%1' field").arg(QString::fromLatin1(fieldName)));
}

QString sanitizeFileName(const QString &clientName)
{
    QString name = clientName;
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    name = name.section(QLatin1Char('/'), -1);
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._\\- ]"));
    name.replace(unsafe, QStringLiteral("_"));
    while (name.startsWith(QLatin1Char('.')) || name.startsWith(QLatin1Char(' ')))
        name.remove(0, 1);
    name = name.trimmed().left(120);
    if (name.isEmpty() || name.count(QLatin1Char('_')) == name.size())
        return {};
    return name;
}

} // namespace baton::server
