#pragma once

#include "core/common/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <quazip/quazip.h>
#include <quazip/quazipfileinfo.h>

namespace baton {

class JobToken;

// How much an untrusted zip may claim before it is refused (zip bombs, path traversal).
struct ZipLimits
{
    qint64 maxTotalBytes = qint64(2) << 30;   // uncompressed, summed over the checked entries
    qint64 maxEntryBytes = qint64(256) << 20; // one entry
    qint64 maxEntries = 500000;
    double maxCompressionRatio = 100.0;     // images are already compressed; text is ~10x
    qint64 ratioMinBytes = qint64(1) << 20; // tiny entries may compress well without harm
};

// Opens an untrusted zip and reads its central directory, refusing (ErrorKind::BadInput) one
// that is not a zip or is corrupt (zip.open_failed / zip.corrupt) or has more than
// limits.maxEntries entries (zip.too_many_entries). Nothing is inflated.
Result<QList<QuaZipFileInfo64>> openZip(QuaZip &zip, const QString &path, const ZipLimits &limits);

// One entry, from the central directory alone: an absolute path or one with '..'
// (zip.unsafe_path), more than maxEntryBytes (zip.too_large) or a compression ratio above
// maxCompressionRatio (zip.bomb) is refused.
Status checkZipEntry(const QuaZipFileInfo64 &entry, const ZipLimits &limits, const QString &path);

// Every entry as above, plus their declared total against maxTotalBytes (zip.too_large).
Status checkZipEntries(const QList<QuaZipFileInfo64> &entries, const ZipLimits &limits,
                       const QString &path);

// Inflates the zip's current entry into memory. An entry that produces more or fewer bytes than
// it declared (zip.size_mismatch: the directory lied) or fails its CRC (zip.corrupt) is refused;
// never more than declared + 1 bytes are read.
Result<QByteArray> readZipEntry(QuaZip &zip, const QuaZipFileInfo64 &entry, const QString &path);

// The same, streamed in blocks into the file `destination` (memory stays bounded whatever the
// entry's size). Checks token->isCancelled() between blocks. On any failure the destination is
// removed.
Status extractZipEntry(QuaZip &zip, const QuaZipFileInfo64 &entry, const QString &destination,
                       const QString &path, const JobToken *token = nullptr);

} // namespace baton
