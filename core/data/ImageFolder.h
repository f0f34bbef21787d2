#pragma once

#include "core/common/Json.h"
#include "core/common/Result.h"
#include "core/data/SafeZip.h"

#include <QSize>
#include <QString>

#include <map>
#include <vector>

namespace baton {

class JobToken;

struct ImageClassCount
{
    QString name;
    qint64 count = 0;
};

struct UnreadableImage
{
    QString file;   // relative to the folder (or the zip's root)
    QString reason;
};

// What a folder (or zip) of images in ImageFolder layout holds, for the vision stages and the UI.
struct ImageFolderSummary
{
    QString path;
    bool fromZip = false;
    QString root;                          // a single wrapping folder that was skipped ("" if none)
    std::vector<ImageClassCount> classes;  // sorted by name; counts readable images only
    qint64 imageCount = 0;                 // readable images
    QSize minSize;                         // smallest by pixel count
    QSize maxSize;                         // largest by pixel count
    QSize commonSize;                      // most common exact size
    qint64 commonSizeCount = 0;
    qint64 distinctSizes = 0;
    std::map<QString, qint64> formats;     // "png" -> count, from the content, not the extension
    std::vector<UnreadableImage> unreadable;
    std::vector<QString> ignored;          // files outside class folders (README, LICENSE, ...)
    qint64 totalBytes = 0;                 // (uncompressed) bytes of all files looked at

    int classCount() const { return static_cast<int>(classes.size()); }
    json toJson() const;
};

// The zip guards (SafeZip.h) with defaults for photos: already compressed, each well below 256 MB.
using ImageFolderLimits = ZipLimits;

// Summarises a folder in ImageFolder layout (<class>/<image>, nested folders below a class are
// part of it) or a .zip of one. One wrapping folder (dataset/<class>/<image>) is skipped.
// Only image headers are read (QImageReader size/format), never whole images decoded; a file
// whose header cannot be read is listed in `unreadable` with the reader's reason.
//
// Zips are untrusted: before anything is decompressed the central directory is checked, and the
// whole archive is refused (ErrorKind::BadInput) for an entry that is absolute or contains '..'
// (zip.unsafe_path), more than maxEntries entries (zip.too_many_entries), a declared total above
// maxTotalBytes (zip.too_large) or an entry above maxEntryBytes, or an entry whose compression
// ratio exceeds maxCompressionRatio (zip.bomb). While reading, an entry that inflates to more or
// fewer bytes than declared, or fails its CRC, is refused too (zip.size_mismatch / zip.corrupt).
// Memory stays bounded by maxEntryBytes. Checks token->isCancelled() between files.
Result<ImageFolderSummary> summariseImageFolder(const QString &path,
                                                const JobToken *token = nullptr,
                                                const ImageFolderLimits &limits = {});

} // namespace baton
