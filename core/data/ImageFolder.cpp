#include "ImageFolder.h"

#include "core/data/SafeZip.h"
#include "core/jobs/JobRunner.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>


#include <algorithm>
#include <optional>
#include <variant>

namespace baton {

namespace {

struct Header
{
    QSize size;
    QString format;
};

// Header or the reason there is none. QImageReader reads size and format from the header
// without decoding pixels; the content decides the format (a .png that is a JPEG is a JPEG).
std::variant<Header, QString> readHeader(QImageReader &reader)
{
    reader.setDecideFormatFromContent(true);
    if (!reader.canRead()) {
        const QString reason = reader.errorString();
        return reason.isEmpty() || reason == QLatin1String("Unknown error")
                   ? QStringLiteral("not a readable image (unknown format)")
                   : reason;
    }
    const QSize size = reader.size();
    if (!size.isValid() || size.isEmpty())
        return QStringLiteral("the image header holds no size (%1)").arg(reader.errorString());
    return Header{size, QString::fromLatin1(reader.format()).toLower()};
}

// Thumbs.db, .DS_Store, macOS resource forks: never images, never worth a warning.
bool isNoise(const QStringList &parts)
{
    for (const QString &part : parts) {
        if (part.startsWith(QLatin1Char('.')) || part == QLatin1String("__MACOSX"))
            return true;
    }
    const QString &name = parts.constLast();
    return name.compare(QLatin1String("Thumbs.db"), Qt::CaseInsensitive) == 0
           || name.compare(QLatin1String("desktop.ini"), Qt::CaseInsensitive) == 0;
}

// Number of leading components to skip: wrappers like dataset/<class>/<image> share one folder
// (a README beside the class folders does not stop that). A lone folder of files only
// (cats/<image>) stays a single class.
int wrapperDepth(const std::vector<QStringList> &files, QString *root)
{
    int depth = 0;
    while (!files.empty()) {
        const QString first = files.front().value(depth);
        const bool shared = std::all_of(files.begin(), files.end(), [&](const QStringList &p) {
            return p.size() >= depth + 2 && p.at(depth) == first;
        });
        const bool deeper = std::any_of(files.begin(), files.end(), [&](const QStringList &p) {
            return p.size() >= depth + 3;
        });
        if (!shared || !deeper)
            break;
        root->append(first + QLatin1Char('/'));
        ++depth;
    }
    if (root->endsWith(QLatin1Char('/')))
        root->chop(1);
    return depth;
}

class Accumulator
{
public:
    explicit Accumulator(ImageFolderSummary &summary) : m_summary(summary) {}

    void add(const QString &className, const Header &header)
    {
        ++m_classCounts[className];
        ++m_summary.imageCount;
        ++m_summary.formats[header.format];
        ++m_sizes[{header.size.width(), header.size.height()}];
        const qint64 pixels = qint64(header.size.width()) * header.size.height();
        if (!m_summary.minSize.isValid() || pixels < area(m_summary.minSize))
            m_summary.minSize = header.size;
        if (!m_summary.maxSize.isValid() || pixels > area(m_summary.maxSize))
            m_summary.maxSize = header.size;
    }

    // A class folder whose files are all unreadable still is a class (with 0 images).
    void touchClass(const QString &className) { m_classCounts.try_emplace(className, 0); }

    void finish()
    {
        for (const auto &[name, count] : m_classCounts)
            m_summary.classes.push_back({name, count});
        m_summary.distinctSizes = static_cast<qint64>(m_sizes.size());
        for (const auto &[size, count] : m_sizes) {
            if (count > m_summary.commonSizeCount) {
                m_summary.commonSizeCount = count;
                m_summary.commonSize = QSize(size.first, size.second);
            }
        }
    }

private:
    static qint64 area(QSize s) { return qint64(s.width()) * s.height(); }

    ImageFolderSummary &m_summary;
    std::map<QString, qint64> m_classCounts;
    std::map<std::pair<int, int>, qint64> m_sizes;
};

Error cancelled()
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("images.cancelled"),
                     QStringLiteral("Reading the images was cancelled"));
}

Status checkLayout(const ImageFolderSummary &summary, const QString &path)
{
    if (!summary.classes.empty())
        return {};
    return makeError(ErrorKind::BadInput, QStringLiteral("images.no_classes"),
                     QStringLiteral("%1 holds no class folders with images; expected the "
                                    "ImageFolder layout <class>/<image>")
                         .arg(QFileInfo(path).fileName()),
                     path);
}

Result<ImageFolderSummary> summariseFolder(const QString &path, const JobToken *token)
{
    ImageFolderSummary summary;
    summary.path = QFileInfo(path).absoluteFilePath();
    const QDir dir(path);

    std::vector<QStringList> files;
    QDirIterator it(path, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (token && token->isCancelled())
            return cancelled();
        const QStringList parts = dir.relativeFilePath(it.next()).split(QLatin1Char('/'));
        if (!isNoise(parts))
            files.push_back(parts);
    }
    std::sort(files.begin(), files.end()); // deterministic order, results and errors alike
    const int depth = wrapperDepth(files, &summary.root);

    Accumulator acc(summary);
    for (const QStringList &parts : files) {
        if (token && token->isCancelled())
            return cancelled();
        const QString relative = parts.join(QLatin1Char('/'));
        const QString filePath = dir.filePath(relative);
        summary.totalBytes += QFileInfo(filePath).size();
        if (parts.size() < depth + 2) {
            summary.ignored.push_back(relative);
            continue;
        }
        const QString className = parts.at(depth);
        acc.touchClass(className);
        QImageReader reader(filePath);
        auto header = readHeader(reader);
        if (auto *h = std::get_if<Header>(&header))
            acc.add(className, *h);
        else
            summary.unreadable.push_back({relative, std::get<QString>(header)});
    }
    acc.finish();
    if (Status layout = checkLayout(summary, path); !layout)
        return layout.error();
    return summary;
}

Result<ImageFolderSummary> summariseZip(const QString &path, const JobToken *token,
                                        const ImageFolderLimits &limits)
{
    ImageFolderSummary summary;
    summary.path = QFileInfo(path).absoluteFilePath();
    summary.fromZip = true;
    const QString zipName = QFileInfo(path).fileName();

    QuaZip zip;
    auto opened = openZip(zip, path, limits);
    if (!opened)
        return opened.error();
    const QList<QuaZipFileInfo64> &entries = opened.value();
    if (Status valid = checkZipEntries(entries, limits, path); !valid)
        return valid.error();

    std::vector<QStringList> files;
    for (const QuaZipFileInfo64 &entry : entries) {
        if (!entry.name.endsWith(QLatin1Char('/'))) {
            const QStringList parts = entry.name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
            if (!parts.isEmpty() && !isNoise(parts))
                files.push_back(parts);
        }
    }
    const int depth = wrapperDepth(files, &summary.root);

    Accumulator acc(summary);
    qint64 inflated = 0;
    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
        if (token && token->isCancelled())
            return cancelled();
        QuaZipFileInfo64 entry;
        if (!zip.getCurrentFileInfo(&entry)) {
            return makeError(ErrorKind::BadInput, QStringLiteral("zip.corrupt"),
                            QStringLiteral("%1 has a corrupt entry").arg(zipName), path);
        }
        if (entry.name.endsWith(QLatin1Char('/')))
            continue;
        const QStringList parts = entry.name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.isEmpty() || isNoise(parts))
            continue;
        const QString relative = parts.join(QLatin1Char('/'));
        summary.totalBytes += qint64(entry.uncompressedSize);
        if (parts.size() < depth + 2) {
            summary.ignored.push_back(relative);
            continue;
        }
        const QString className = parts.at(depth);
        acc.touchClass(className);
        if (entry.flags & 0x1) {
            summary.unreadable.push_back({relative, QStringLiteral("encrypted zip entry")});
            continue;
        }
        auto bytes = readZipEntry(zip, entry, path);
        if (!bytes)
            return bytes.error();
        // Belt and braces: the declared total was checked, this counts what really came out.
        inflated += bytes->size();
        if (inflated > limits.maxTotalBytes) {
            return makeError(ErrorKind::BadInput, QStringLiteral("zip.too_large"),
                            QStringLiteral("%1 inflates to more than %2 bytes")
                                .arg(zipName)
                                .arg(limits.maxTotalBytes),
                            path);
        }
        QBuffer buffer(&bytes.value());
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        auto header = readHeader(reader);
        if (auto *h = std::get_if<Header>(&header))
            acc.add(className, *h);
        else
            summary.unreadable.push_back({relative, std::get<QString>(header)});
    }
    if (zip.getZipError() != UNZ_OK) {
        return makeError(ErrorKind::BadInput, QStringLiteral("zip.corrupt"),
                        QStringLiteral("%1 is corrupt (zip error %2)")
                            .arg(zipName)
                            .arg(zip.getZipError()),
                        path);
    }
    acc.finish();
    if (Status layout = checkLayout(summary, path); !layout)
        return layout.error();
    return summary;
}

json sizeJson(QSize size)
{
    if (!size.isValid())
        return nullptr;
    return {{"width", size.width()}, {"height", size.height()}};
}

} // namespace

json ImageFolderSummary::toJson() const
{
    json classList = json::array();
    for (const ImageClassCount &c : classes)
        classList.push_back({{"name", toStd(c.name)}, {"count", c.count}});
    json formatMap = json::object();
    for (const auto &[format, count] : formats)
        formatMap[toStd(format)] = count;
    json unreadableList = json::array();
    for (const UnreadableImage &u : unreadable)
        unreadableList.push_back({{"file", toStd(u.file)}, {"reason", toStd(u.reason)}});
    json ignoredList = json::array();
    for (const QString &file : ignored)
        ignoredList.push_back(toStd(file));
    json common = sizeJson(commonSize);
    if (!common.is_null())
        common["count"] = commonSizeCount;
    return {{"path", toStd(path)},
            {"source", fromZip ? "zip" : "folder"},
            {"root", toStd(root)},
            {"n_images", imageCount},
            {"n_classes", classes.size()},
            {"classes", classList},
            {"sizes",
             {{"min", sizeJson(minSize)},
              {"max", sizeJson(maxSize)},
              {"most_common", common},
              {"distinct", distinctSizes}}},
            {"formats", formatMap},
            {"unreadable", unreadableList},
            {"n_unreadable", unreadable.size()},
            {"ignored", ignoredList},
            {"total_bytes", totalBytes}};
}

Result<ImageFolderSummary> summariseImageFolder(const QString &path, const JobToken *token,
                                                const ImageFolderLimits &limits)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        return makeError(ErrorKind::NotFound, QStringLiteral("images.not_found"),
                         QStringLiteral("No such folder or zip: %1").arg(path), path);
    }
    if (info.isDir())
        return summariseFolder(path, token);
    if (info.suffix().compare(QLatin1String("zip"), Qt::CaseInsensitive) == 0)
        return summariseZip(path, token, limits);
    return makeError(ErrorKind::BadInput, QStringLiteral("images.not_a_folder"),
                     QStringLiteral("%1 is neither a folder nor a .zip of images")
                         .arg(info.fileName()),
                     path);
}

} // namespace baton
