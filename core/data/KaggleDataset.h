#pragma once

#include "core/common/Result.h"
#include "core/data/SafeZip.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace baton {

class JobToken;

// A Kaggle dataset as the user names it: `kaggle:owner/name`, optionally with the CSV to use
// inside it: `kaggle:owner/name/train.csv`.
struct KaggleDatasetRef
{
    QString owner;
    QString name;
    QString file; // empty: pick the CSV (see downloadKaggleDataset)

    QString slug() const { return owner + QLatin1Char('/') + name; }
    QString toString() const;
};

bool isKaggleReference(const QString &text); // starts with "kaggle:"
// Owner and name are Kaggle slugs (letters, digits, '-', '_', '.'); else kaggle.bad_reference.
Result<KaggleDatasetRef> parseKaggleReference(const QString &text);

struct KaggleCredentials
{
    QString username;
    QString key;
    QString origin; // where they came from, for messages: "KAGGLE_USERNAME/KAGGLE_KEY" or a path

    // The Authorization header value (HTTP basic auth) the Kaggle API takes.
    QByteArray basicAuthorization() const;
};

// KAGGLE_USERNAME + KAGGLE_KEY from the environment, else the ones saved in Baton's settings,
// else kaggle.json in $KAGGLE_CONFIG_DIR or ~/.kaggle (the official client's rules). None:
// kaggle.no_credentials, saying how to add them.
Result<KaggleCredentials> kaggleCredentials();

// Credentials saved with the platform's settings (the desktop app's Settings dialog); never
// written to a project or a log.
namespace KaggleSettings {
QString username();
QString key();
void setCredentials(const QString &username, const QString &key);
} // namespace KaggleSettings
// `given` when set (tests, callers that already hold them), else kaggleCredentials().
Result<KaggleCredentials> resolveKaggleCredentials(const std::optional<KaggleCredentials> &given);

// The REST API root: $BATON_KAGGLE_API_URL, else the setting kaggle/api_base_url, else
// https://www.kaggle.com/api/v1. Overridable so tests (and mirrors) can serve it elsewhere.
QUrl kaggleApiBaseUrl();
void setKaggleApiBaseUrl(const QUrl &url);

struct KaggleDownloadOptions
{
    QUrl baseUrl;                                 // empty: kaggleApiBaseUrl()
    std::optional<KaggleCredentials> credentials; // empty: kaggleCredentials()
    qint64 maxDownloadBytes = qint64(20) << 30;   // the archive as sent
    int transferTimeoutMs = 60000;                // no byte for this long: kaggle.timeout
    // The CSV may be as large as readCsv() accepts; text compresses far better than images.
    ZipLimits zipLimits{.maxTotalBytes = qint64(8) << 30,
                        .maxEntryBytes = qint64(8) << 30,
                        .maxEntries = 500000,
                        .maxCompressionRatio = 1000.0,
                        .ratioMinBytes = qint64(1) << 20};
};

struct KaggleDataset
{
    KaggleDatasetRef ref;
    QString folder;       // where the dataset lives now
    QString csvPath;      // the CSV to use, extracted into folder
    QString csvEntry;     // its name inside the archive
    QStringList csvFiles; // every CSV in the archive, largest first
    QString choice;       // why this CSV, in words ("the only CSV", "the largest of 3 CSV files")
    qint64 csvBytes = 0;
    qint64 downloadedBytes = 0; // 0 when reused
    bool reused = false;        // an earlier download into folder was kept
};

// Downloads GET <base>/datasets/download/<owner>/<name> with HTTP basic auth, streaming the zip
// to disk, and extracts one CSV into `destination`: the one ref.file names, else the only or
// the largest CSV in the archive (KaggleDataset::choice says which and why). Nothing but that CSV
// and a kaggle_source.json is kept; a destination that already holds a complete download of the
// same reference is reused without network.
//
// Redirects are followed (up to 5); the credentials go only to the API's own origin, never to
// the storage host a redirect points at. The zip is untrusted (SafeZip guards: unsafe paths,
// zip bombs, lying sizes, CRC).
//
// Errors: kaggle.no_credentials / kaggle.unauthorized (401) / kaggle.forbidden (403, e.g. rules
// not accepted) as BadInput; kaggle.not_found (404) as NotFound; kaggle.http_error (any other
// status), kaggle.network and kaggle.timeout as Network; zip.* for a broken archive; kaggle.no_csv
// / kaggle.no_such_file when the CSV is not there; kaggle.too_large; kaggle.cancelled.
//
// All-or-nothing: the work happens in a hidden staging folder beside the destination, which is
// renamed into place only at the end; on failure or cancel nothing is left behind (not even the
// parent folders it had to create). progress(received, total) runs on the calling thread; total
// is -1 while unknown. Checks token->isCancelled() every 50 ms. Runs a local event loop, so it
// works on any thread (a job thread has none of its own).
Result<KaggleDataset> downloadKaggleDataset(const KaggleDatasetRef &ref, const QString &destination,
                                            const JobToken *token = nullptr,
                                            std::function<void(qint64, qint64)> progress = {},
                                            const KaggleDownloadOptions &options = {});

} // namespace baton
