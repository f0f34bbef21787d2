#include "ExportBundle.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

namespace baton {

namespace {

constexpr qint64 kMaxEntryBytes = qint64(4) << 30; // refuse zip bombs rather than fill the disk

Error bundleError(const QString &code, const QString &message, const QString &where = {})
{
    return makeError(ErrorKind::BadInput, code, message, where);
}

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// Paths inside a bundle are relative, '/'-separated and never climb out of the folder.
bool safeEntryPath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('\\'))
        || path.contains(QLatin1Char(':')))
        return false;
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString &part : parts) {
        if (part == QLatin1String("..") || part == QLatin1String("."))
            return false;
    }
    return true;
}

Status addEntry(QuaZip &zip, const QString &path, const QByteArray &bytes)
{
    QuaZipFile file(&zip);
    QuaZipNewInfo info(path);
    info.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                        | QFileDevice::ReadOther);
    if (!file.open(QIODevice::WriteOnly, info))
        return bundleError(QStringLiteral("bundle.write_failed"),
                           QStringLiteral("Cannot add %1 to the bundle (zip error %2)")
                               .arg(path)
                               .arg(file.getZipError()));
    const bool written = file.write(bytes) == bytes.size();
    file.close();
    if (!written || file.getZipError() != 0)
        return makeError(ErrorKind::Io, QStringLiteral("bundle.write_failed"),
                         QStringLiteral("Cannot write %1 into the bundle").arg(path));
    return {};
}

} // namespace

json featureSchema(const PreprocessSpec &spec)
{
    json columns = json::array();
    for (const ColumnRule &rule : spec.columns) {
        json c = {{"name", toStd(rule.name)},
                  {"type", toStd(columnTypeName(rule.type))},
                  {"role", roleName(rule.role)},
                  {"required", true}};
        if (rule.role == ColumnRule::Role::Categorical) {
            json categories = json::array();
            for (const QString &category : rule.categories)
                categories.push_back(toStd(category));
            c["categories"] = std::move(categories);
            c["unseen_categories"] = "treated as missing (trees) / other (linear models)";
        } else if (rule.role == ColumnRule::Role::TargetEncoded) {
            c["categories"] = rule.categories.size();
            c["unseen_categories"] = "encoded as the training prior (the target's mean)";
        } else if (rule.role == ColumnRule::Role::DateTime) {
            json parts = json::array();
            for (const QString &part : rule.parts)
                parts.push_back(toStd(part));
            c["parts"] = std::move(parts);
        }
        columns.push_back(std::move(c));
    }
    json excluded = json::array();
    for (const Exclusion &e : spec.excluded)
        excluded.push_back({{"column", toStd(e.column)}, {"reason", toStd(e.reason)}});
    return {{"columns", std::move(columns)},
            {"ignored_columns", std::move(excluded)},
            {"target", toStd(spec.target)}};
}

Result<WrittenBundle> writeBundle(const QString &zipPath, const std::vector<BundleEntry> &entries,
                                  json manifestBase,
                                  const std::function<void(int, const QString &)> &progress)
{
    auto report = [&](int pct, const QString &message) {
        if (progress)
            progress(pct, message);
    };
    // Read (and hash) everything first: the manifest must exist before the zip is closed, and
    // a missing source file must fail before half a zip is on disk.
    std::vector<std::pair<QString, QByteArray>> files;
    json checksums = json::object();
    for (const BundleEntry &entry : entries) {
        if (!safeEntryPath(entry.path))
            return makeError(ErrorKind::Internal, QStringLiteral("bundle.bad_path"),
                             QStringLiteral("Invalid path inside the bundle"), entry.path);
        QByteArray bytes = entry.bytes;
        if (!entry.sourceFile.isEmpty()) {
            QFile file(entry.sourceFile);
            if (!file.open(QIODevice::ReadOnly))
                return makeError(ErrorKind::NotFound, QStringLiteral("bundle.missing_source"),
                                 QStringLiteral("Cannot read %1: %2").arg(entry.sourceFile, file.errorString()));
            bytes = file.readAll();
        }
        checksums[toStd(entry.path)] = toStd(sha256Hex(bytes));
        files.emplace_back(entry.path, std::move(bytes));
    }
    manifestBase["format"] = "baton.bundle";
    manifestBase["version"] = 1;
    manifestBase["files"] = checksums;
    const QByteArray manifestBytes = toStrictJsonBytes(manifestBase, 2);

    if (!QDir().mkpath(QFileInfo(zipPath).absolutePath()))
        return makeError(ErrorKind::Io, QStringLiteral("bundle.no_folder"),
                         QStringLiteral("Cannot create the folder for %1").arg(zipPath));
    QFile::remove(zipPath);
    QuaZip zip(zipPath);
    if (!zip.open(QuaZip::mdCreate))
        return makeError(ErrorKind::Io, QStringLiteral("bundle.create_failed"),
                         QStringLiteral("Cannot create %1 (zip error %2)").arg(zipPath).arg(zip.getZipError()));
    WrittenBundle out;
    out.zipPath = QFileInfo(zipPath).absoluteFilePath();
    auto abandon = [&](const Error &error) -> Result<WrittenBundle> {
        zip.close();
        QFile::remove(zipPath);
        return error;
    };
    for (size_t i = 0; i < files.size(); ++i) {
        report(int(5 + 75 * i / files.size()), QStringLiteral("Adding %1").arg(files[i].first));
        if (Status s = addEntry(zip, files[i].first, files[i].second); !s)
            return abandon(s.error());
        out.contents << files[i].first;
    }
    if (Status s = addEntry(zip, QStringLiteral("manifest.json"), manifestBytes); !s)
        return abandon(s.error());
    out.contents << QStringLiteral("manifest.json");
    zip.close();
    if (zip.getZipError() != 0) {
        QFile::remove(zipPath);
        return makeError(ErrorKind::Io, QStringLiteral("bundle.write_failed"),
                         QStringLiteral("Cannot finish %1 (zip error %2)").arg(zipPath).arg(zip.getZipError()));
    }
    out.manifest = std::move(manifestBase);
    out.sizeBytes = QFileInfo(zipPath).size();
    report(80, QStringLiteral("Bundle written"));
    return out;
}

Result<OpenedBundle> openBundle(const QString &zipPath)
{
    if (!QFileInfo::exists(zipPath))
        return makeError(ErrorKind::NotFound, QStringLiteral("bundle.not_found"),
                         QStringLiteral("No bundle at %1").arg(zipPath));
    QuaZip zip(zipPath);
    if (!zip.open(QuaZip::mdUnzip))
        return bundleError(QStringLiteral("bundle.not_a_zip"),
                           QStringLiteral("%1 is not a readable zip file (zip error %2)").arg(zipPath).arg(zip.getZipError()));
    OpenedBundle bundle;
    bundle.dir = std::make_unique<QTemporaryDir>();
    if (!bundle.dir->isValid())
        return makeError(ErrorKind::Io, QStringLiteral("bundle.no_temp"),
                         QStringLiteral("Cannot create a temporary folder to open the bundle"));
    QHash<QString, QByteArray> hashes; // path -> sha256 of what the zip really holds
    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
        const QString name = zip.getCurrentFileName();
        if (name.endsWith(QLatin1Char('/')))
            continue; // a folder entry
        if (!safeEntryPath(name))
            return bundleError(QStringLiteral("bundle.bad_path"),
                               QStringLiteral("The bundle holds an unsafe path “%1”: refused").arg(name));
        QuaZipFile file(&zip);
        if (!file.open(QIODevice::ReadOnly))
            return bundleError(QStringLiteral("bundle.corrupt"),
                               QStringLiteral("The bundle is damaged: cannot read “%1” (zip error %2)")
                                   .arg(name)
                                   .arg(file.getZipError()));
        if (file.size() > kMaxEntryBytes)
            return bundleError(QStringLiteral("bundle.too_large"),
                               QStringLiteral("“%1” inside the bundle is too large").arg(name));
        const QByteArray bytes = file.readAll();
        file.close();
        // close() checks the entry's CRC-32: a changed byte in a compressed entry ends here
        if (file.getZipError() != 0 || bytes.size() != file.usize())
            return bundleError(QStringLiteral("bundle.corrupt"),
                               QStringLiteral("The bundle is damaged: “%1” fails its zip integrity check "
                                              "(CRC-32 or compressed data); it may have been modified")
                                   .arg(name));
        const QString target = bundle.filePath(name);
        if (!QDir().mkpath(QFileInfo(target).absolutePath()))
            return makeError(ErrorKind::Io, QStringLiteral("bundle.extract_failed"),
                             QStringLiteral("Cannot extract %1").arg(name));
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
            return makeError(ErrorKind::Io, QStringLiteral("bundle.extract_failed"),
                             QStringLiteral("Cannot extract %1: %2").arg(name, out.errorString()));
        hashes.insert(name, sha256Hex(bytes).toLatin1());
    }
    if (zip.getZipError() != 0)
        return bundleError(QStringLiteral("bundle.corrupt"),
                           QStringLiteral("The bundle's zip directory is damaged (zip error %1)").arg(zip.getZipError()));
    zip.close();

    QFile manifestFile(bundle.filePath(QStringLiteral("manifest.json")));
    if (!hashes.contains(QStringLiteral("manifest.json")) || !manifestFile.open(QIODevice::ReadOnly))
        return bundleError(QStringLiteral("bundle.no_manifest"),
                           QStringLiteral("%1 has no manifest.json: not a Baton export bundle").arg(zipPath));
    auto manifest = parseJson(manifestFile.readAll(), QStringLiteral("manifest.json"));
    if (!manifest)
        return bundleError(QStringLiteral("bundle.bad_manifest"),
                           QStringLiteral("manifest.json is not valid JSON: %1").arg(manifest.error().message));
    const json &m = manifest.value();
    if (!m.is_object() || stringField(m, "format") != QLatin1String("baton.bundle"))
        return bundleError(QStringLiteral("bundle.bad_manifest"),
                           QStringLiteral("manifest.json is not a Baton bundle manifest"));
    if (!m.contains("version") || !m["version"].is_number_integer() || m["version"].get<int>() != 1)
        return bundleError(QStringLiteral("bundle.unsupported_version"),
                           QStringLiteral("This bundle's format version is not supported (expected 1)"));
    const auto filesIt = m.find("files");
    if (filesIt == m.end() || !filesIt->is_object() || filesIt->empty())
        return bundleError(QStringLiteral("bundle.bad_manifest"),
                           QStringLiteral("manifest.json lists no files and checksums"));
    for (const auto &[path, expected] : filesIt->items()) {
        const QString name = fromStd(path);
        if (!expected.is_string())
            return bundleError(QStringLiteral("bundle.bad_manifest"),
                               QStringLiteral("manifest.json: the checksum of “%1” is not a string").arg(name));
        if (!hashes.contains(name))
            return bundleError(QStringLiteral("bundle.missing_file"),
                               QStringLiteral("The bundle lacks “%1”, listed in its manifest").arg(name));
        if (QString::fromLatin1(hashes.value(name)) != fromStd(expected.get<std::string>()).toLower())
            return bundleError(QStringLiteral("bundle.checksum_mismatch"),
                               QStringLiteral("Checksum mismatch for “%1”: the file was modified after "
                                              "export; the bundle is refused")
                                   .arg(name));
    }
    for (auto it = hashes.constBegin(); it != hashes.constEnd(); ++it) {
        if (it.key() != QLatin1String("manifest.json") && !filesIt->contains(toStd(it.key())))
            return bundleError(QStringLiteral("bundle.unlisted_file"),
                               QStringLiteral("The bundle holds “%1”, which its manifest does not list: "
                                              "refused")
                                   .arg(it.key()));
    }
    bundle.manifest = std::move(manifest).value();
    return bundle;
}

} // namespace baton
