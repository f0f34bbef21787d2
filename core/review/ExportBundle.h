#pragma once

// The export bundle: one zip a user takes away (model, preprocessing spec, manifest with the
// SHA-256 of every file, report, notebook, a sample of test predictions, README). Written at
// EXPORT, opened again by the export's own verification and by `baton predict`.

#include "core/common/Json.h"
#include "core/ml/Preprocessor.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace baton {

// One file going into the bundle: its path inside the zip and either a file on disk or bytes.
struct BundleEntry
{
    QString path;
    QString sourceFile;
    QByteArray bytes; // used when sourceFile is empty
};

struct WrittenBundle
{
    QString zipPath;
    QStringList contents; // every path inside the zip, manifest.json included
    json manifest;
    qint64 sizeBytes = 0;
};

// The manifest's feature schema: every input column the model reads, with its trained type,
// role, categories (categorical) and date parts (datetime).
json featureSchema(const PreprocessSpec &spec);

// Writes `entries` plus a generated manifest.json ({format:"baton.bundle", version:1, ...base,
// files:{path: sha256}}) to zipPath. progress gets 0..100 and a message per file.
Result<WrittenBundle> writeBundle(const QString &zipPath, const std::vector<BundleEntry> &entries,
                                  json manifestBase,
                                  const std::function<void(int, const QString &)> &progress = {});

// A bundle extracted to a private temporary folder after every checksum was verified.
struct OpenedBundle
{
    std::unique_ptr<QTemporaryDir> dir;
    json manifest;
    QString root() const { return dir ? dir->path() : QString(); }
    QString filePath(const QString &relative) const { return root() + QLatin1Char('/') + relative; }
};

// Opens and verifies a bundle: a damaged zip entry (CRC), a file whose SHA-256 differs from the
// manifest, a missing or an unlisted file are all BadInput errors naming the file.
Result<OpenedBundle> openBundle(const QString &zipPath);

} // namespace baton
