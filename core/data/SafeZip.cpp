#include "SafeZip.h"

#include "core/jobs/JobRunner.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <quazip/quazipfile.h>

#include <algorithm>
#include <functional>

namespace baton {

namespace {

constexpr qint64 kBlockBytes = qint64(1) << 20;

Error zipError(const char *code, const QString &message, const QString &path)
{
    return makeError(ErrorKind::BadInput, QString::fromLatin1(code), message, path);
}

// '..' anywhere, a leading '/' or '\', or a drive letter: extracting it would escape the folder.
bool isUnsafeEntryName(const QString &name)
{
    static const QRegularExpression drive(QStringLiteral("^[A-Za-z]:"));
    QString normalised = name;
    normalised.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (normalised.startsWith(QLatin1Char('/')) || drive.match(normalised).hasMatch())
        return true;
    const QStringList parts = normalised.split(QLatin1Char('/'));
    return parts.contains(QStringLiteral(".."));
}

// Inflates the current entry block by block into sink, refusing an entry that produces more or
// fewer bytes than it declared or fails its CRC. Never reads more than declared + 1 bytes.
Status inflateCurrent(QuaZip &zip, const QuaZipFileInfo64 &entry, const QString &path,
                      const JobToken *token,
                      const std::function<Status(const char *, qint64)> &sink)
{
    const QString zipName = QFileInfo(path).fileName();
    QuaZipFile file(&zip);
    if (!file.open(QIODevice::ReadOnly)) {
        return zipError("zip.corrupt",
                        QStringLiteral("%1: cannot open entry \"%2\" (zip error %3)")
                            .arg(zipName, entry.name)
                            .arg(file.getZipError()),
                        path);
    }
    const qint64 declared = qint64(entry.uncompressedSize);
    QByteArray block(int(std::min(kBlockBytes, declared + 1)), Qt::Uninitialized);
    qint64 got = 0;
    while (got < declared + 1) {
        if (token && token->isCancelled()) {
            return makeError(ErrorKind::Cancelled, QStringLiteral("zip.cancelled"),
                             QStringLiteral("Extracting \"%1\" was cancelled").arg(entry.name),
                             path);
        }
        const qint64 n
            = file.read(block.data(), std::min<qint64>(block.size(), declared + 1 - got));
        if (n < 0) {
            return zipError("zip.corrupt",
                            QStringLiteral("%1: entry \"%2\" is corrupt and cannot be inflated "
                                           "(zip error %3)")
                                .arg(zipName, entry.name)
                                .arg(file.getZipError()),
                            path);
        }
        if (n == 0)
            break;
        got += n;
        if (got > declared)
            break;
        if (Status written = sink(block.constData(), n); !written)
            return written;
    }
    file.close();
    if (got != declared) {
        return zipError(
            "zip.size_mismatch",
            QStringLiteral("%1: entry \"%2\" declares %3 bytes but inflates to %4; "
                           "its sizes lie and the archive is refused")
                .arg(zipName, entry.name)
                .arg(declared)
                .arg(got > declared ? QStringLiteral("more") : QStringLiteral("%1 bytes").arg(got)),
            path);
    }
    if (file.getZipError() != UNZ_OK) {
        return zipError("zip.corrupt",
                        QStringLiteral("%1: entry \"%2\" is corrupt (zip error %3, e.g. a CRC "
                                       "mismatch)")
                            .arg(zipName, entry.name)
                            .arg(file.getZipError()),
                        path);
    }
    return {};
}

} // namespace

Result<QList<QuaZipFileInfo64>> openZip(QuaZip &zip, const QString &path, const ZipLimits &limits)
{
    const QString zipName = QFileInfo(path).fileName();
    zip.setZipName(path);
    if (!zip.open(QuaZip::mdUnzip)) {
        return zipError("zip.open_failed",
                        QStringLiteral("%1 is not a readable zip archive (zip error %2)")
                            .arg(zipName)
                            .arg(zip.getZipError()),
                        path);
    }
    // The count comes from the end record: refuse before building a list of a million entries.
    const int count = zip.getEntriesCount();
    if (count < 0 || count > limits.maxEntries) {
        return zipError("zip.too_many_entries",
                        QStringLiteral("%1 has %2 entries, more than the limit of %3")
                            .arg(zipName)
                            .arg(count)
                            .arg(limits.maxEntries),
                        path);
    }
    QList<QuaZipFileInfo64> entries = zip.getFileInfoList64();
    if (entries.size() != count || zip.getZipError() != UNZ_OK) {
        return zipError("zip.corrupt",
                        QStringLiteral("%1 has a corrupt central directory").arg(zipName), path);
    }
    return entries;
}

Status checkZipEntry(const QuaZipFileInfo64 &entry, const ZipLimits &limits, const QString &path)
{
    const QString zipName = QFileInfo(path).fileName();
    if (isUnsafeEntryName(entry.name)) {
        return zipError("zip.unsafe_path",
                        QStringLiteral("%1 has an entry with an unsafe path \"%2\" (absolute "
                                       "or with '..'); the archive is refused")
                            .arg(zipName, entry.name),
                        path);
    }
    if (entry.uncompressedSize > quint64(limits.maxEntryBytes)) {
        return zipError("zip.too_large",
                        QStringLiteral("%1: entry \"%2\" declares %3 bytes, more than the "
                                       "limit of %4 bytes for one file")
                            .arg(zipName, entry.name)
                            .arg(entry.uncompressedSize)
                            .arg(limits.maxEntryBytes),
                        path);
    }
    if (entry.uncompressedSize >= quint64(limits.ratioMinBytes)) {
        const double ratio
            = double(entry.uncompressedSize) / double(std::max<quint64>(1, entry.compressedSize));
        if (ratio > limits.maxCompressionRatio) {
            return zipError("zip.bomb",
                            QStringLiteral("%1 looks like a zip bomb: entry \"%2\" inflates "
                                           "%3 bytes to %4 (ratio %5, limit %6)")
                                .arg(zipName, entry.name)
                                .arg(entry.compressedSize)
                                .arg(entry.uncompressedSize)
                                .arg(ratio, 0, 'f', 0)
                                .arg(limits.maxCompressionRatio, 0, 'f', 0),
                            path);
        }
    }
    return {};
}

Status checkZipEntries(const QList<QuaZipFileInfo64> &entries, const ZipLimits &limits,
                       const QString &path)
{
    quint64 total = 0;
    for (const QuaZipFileInfo64 &entry : entries) {
        if (Status ok = checkZipEntry(entry, limits, path); !ok)
            return ok;
        total += entry.uncompressedSize;
        if (total > quint64(limits.maxTotalBytes)) {
            return zipError("zip.too_large",
                            QStringLiteral("%1 declares more than %2 bytes uncompressed; the "
                                           "archive is refused")
                                .arg(QFileInfo(path).fileName())
                                .arg(limits.maxTotalBytes),
                            path);
        }
    }
    return {};
}

Result<QByteArray> readZipEntry(QuaZip &zip, const QuaZipFileInfo64 &entry, const QString &path)
{
    QByteArray bytes;
    bytes.reserve(qsizetype(entry.uncompressedSize));
    Status read = inflateCurrent(zip, entry, path, nullptr, [&](const char *data, qint64 n) {
        bytes.append(data, qsizetype(n));
        return Status();
    });
    if (!read)
        return read.error();
    return bytes;
}

Status extractZipEntry(QuaZip &zip, const QuaZipFileInfo64 &entry, const QString &destination,
                       const QString &path, const JobToken *token)
{
    QFile out(destination);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return makeError(ErrorKind::Io, QStringLiteral("zip.write_failed"),
                         QStringLiteral("Cannot create %1: %2").arg(destination, out.errorString()),
                         destination);
    }
    Status extracted = inflateCurrent(zip, entry, path, token, [&](const char *data, qint64 n) {
        if (out.write(data, n) == n)
            return Status();
        return Status(makeError(ErrorKind::Io, QStringLiteral("zip.write_failed"),
                                QStringLiteral("Cannot write %1: %2 (is the disk full?)")
                                    .arg(destination, out.errorString()),
                                destination));
    });
    if (extracted && !out.flush()) {
        extracted = makeError(
            ErrorKind::Io, QStringLiteral("zip.write_failed"),
            QStringLiteral("Cannot write %1: %2").arg(destination, out.errorString()), destination);
    }
    out.close();
    if (!extracted)
        out.remove();
    return extracted;
}

} // namespace baton
