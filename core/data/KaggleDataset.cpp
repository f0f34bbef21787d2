#include "KaggleDataset.h"

#include "core/common/Json.h"
#include "core/jobs/JobRunner.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace baton {

namespace {

const QString kScheme = QStringLiteral("kaggle:");
const QString kBaseUrlSetting = QStringLiteral("kaggle/api_base_url");
const QString kUsernameSetting = QStringLiteral("kaggle/username");
const QString kKeySetting = QStringLiteral("kaggle/key");
const QString kSourceFile = QStringLiteral("kaggle_source.json");
const QString kArchiveFile = QStringLiteral("download.zip");
constexpr int kMaxRedirects = 5;
constexpr int kCancelPollMs = 50;
constexpr qsizetype kErrorBodyBytes = 2048; // of an error reply, kept for the message

Error cancelledError(const KaggleDatasetRef &ref)
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("kaggle.cancelled"),
                     QStringLiteral("The download of %1 was cancelled").arg(ref.slug()),
                     ref.toString());
}

QString megabytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

// Credentials go to the API's own scheme, host and port only: a redirect to a storage host
// (signed URLs) must not receive them.
bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0
           && a.port(a.scheme() == QLatin1String("https") ? 443 : 80)
                  == b.port(b.scheme() == QLatin1String("https") ? 443 : 80);
}

// What the server said, in one readable line: Kaggle sends {"message": ...} or {"detail": ...}.
QString serverMessage(const QByteArray &body)
{
    if (auto parsed = parseJson(body); parsed && parsed->is_object()) {
        for (const char *key : {"message", "detail", "error"}) {
            const QString text = stringField(*parsed, key);
            if (!text.isEmpty())
                return text;
        }
    }
    const QString text = QString::fromUtf8(body.left(200)).simplified();
    return text;
}

Error httpError(int status, const QByteArray &body, const KaggleDatasetRef &ref,
                const KaggleCredentials &credentials, const QUrl &url)
{
    const QString said = serverMessage(body);
    const QString suffix
        = said.isEmpty() ? QString() : QStringLiteral(" Kaggle said: %1").arg(said);
    switch (status) {
    case 401:
        return makeError(ErrorKind::BadInput, QStringLiteral("kaggle.unauthorized"),
                         QStringLiteral("Kaggle refused the credentials of user “%1” (HTTP 401). "
                                        "Check the key in %2; a new one comes from kaggle.com → "
                                        "Settings → API → Create New Token.%3")
                             .arg(credentials.username, credentials.origin, suffix),
                         ref.toString());
    case 403:
        return makeError(ErrorKind::BadInput, QStringLiteral("kaggle.forbidden"),
                         QStringLiteral("Kaggle does not let user “%1” download %2 (HTTP 403); "
                                        "some datasets need their rules accepted on kaggle.com "
                                        "first.%3")
                             .arg(credentials.username, ref.slug(), suffix),
                         ref.toString());
    case 404:
        return makeError(ErrorKind::NotFound, QStringLiteral("kaggle.not_found"),
                         QStringLiteral("There is no Kaggle dataset %1 (HTTP 404); the reference "
                                        "is owner/dataset-name as in the dataset's URL.%2")
                             .arg(ref.slug(), suffix),
                         ref.toString());
    default:
        return makeError(ErrorKind::Network, QStringLiteral("kaggle.http_error"),
                         QStringLiteral("Kaggle answered HTTP %1 for %2 (%3).%4")
                             .arg(status)
                             .arg(ref.slug(), url.toDisplayString(QUrl::RemoveQuery), suffix),
                         ref.toString());
    }
}

// Streams one GET (following redirects) into `out`, never holding more than the reply's read
// buffer in memory.
class Download
{
public:
    Download(const KaggleDatasetRef &ref, const KaggleCredentials &credentials,
             const KaggleDownloadOptions &options, const JobToken *token,
             const std::function<void(qint64, qint64)> &progress)
        : m_ref(ref)
        , m_credentials(credentials)
        , m_options(options)
        , m_token(token)
        , m_progress(progress)
    {}

    Result<qint64> fetch(const QUrl &apiUrl, QFile &out)
    {
        QNetworkAccessManager network;
        QUrl url = apiUrl;
        for (int hop = 0; hop <= kMaxRedirects; ++hop) {
            auto outcome = fetchOnce(network, url, apiUrl, out);
            if (!outcome)
                return outcome.error();
            if (!outcome->redirect.isValid())
                return outcome->bytes;
            url = url.resolved(outcome->redirect);
        }
        return makeError(ErrorKind::Network, QStringLiteral("kaggle.http_error"),
                         QStringLiteral("Kaggle redirected the download of %1 more than %2 times")
                             .arg(m_ref.slug())
                             .arg(kMaxRedirects),
                         m_ref.toString());
    }

private:
    struct Hop
    {
        QUrl redirect; // valid: follow it
        qint64 bytes = 0;
    };

    Result<Hop> fetchOnce(QNetworkAccessManager &network, const QUrl &url, const QUrl &apiUrl,
                          QFile &out)
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(m_options.transferTimeoutMs);
        request.setHeader(QNetworkRequest::UserAgentHeader,
                          QStringLiteral("Baton/%1").arg(QStringLiteral(BATON_VERSION)));
        if (sameOrigin(url, apiUrl))
            request.setRawHeader("Authorization", m_credentials.basicAuthorization());
        std::unique_ptr<QNetworkReply> reply(network.get(request));
        reply->setReadBufferSize(qint64(1) << 20);

        int status = 0;
        qint64 written = 0;
        qint64 total = -1; // Content-Length of a 200 reply
        QByteArray errorBody;
        std::optional<Error> failure;
        bool cancelled = false;
        auto stop = [&](Error error) {
            if (!failure)
                failure = std::move(error);
            reply->abort();
        };

        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
            status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray chunk = reply->readAll();
            if (status != 200) {
                errorBody.append(chunk.left(kErrorBodyBytes - errorBody.size()));
                return;
            }
            if (written + chunk.size() > m_options.maxDownloadBytes) {
                stop(tooLarge(written + chunk.size()));
                return;
            }
            if (out.write(chunk) != chunk.size()) {
                stop(makeError(ErrorKind::Io, QStringLiteral("kaggle.write_failed"),
                               QStringLiteral("Cannot write the download of %1 to %2: %3 (is the "
                                              "disk full?)")
                                   .arg(m_ref.slug(), out.fileName(), out.errorString()),
                               out.fileName()));
                return;
            }
            written += chunk.size();
            // Reported per block written (QNetworkReply::downloadProgress is rate limited and
            // may say nothing until the end of a fast transfer).
            if (m_progress)
                m_progress(written, total);
        });
        QObject::connect(reply.get(), &QNetworkReply::metaDataChanged, &loop, [&] {
            status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
            total = status == 200 && length > 0 ? length : -1;
            if (status == 200 && length > m_options.maxDownloadBytes)
                stop(tooLarge(length));
            else if (status == 200 && length > 0)
                checkDiskSpace(out, length, stop);
        });
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer cancelPoll;
        QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
            if (m_token && m_token->isCancelled()) {
                cancelled = true;
                reply->abort();
            }
        });
        cancelPoll.start(kCancelPollMs);
        if (!reply->isFinished())
            loop.exec();
        cancelPoll.stop();

        if (cancelled || (m_token && m_token->isCancelled()))
            return cancelledError(m_ref);
        if (failure)
            return *failure;
        status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 300 && status < 400) {
            const QUrl location
                = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
            if (location.isValid())
                return Hop{location, 0};
        }
        if (status != 0 && status != 200) {
            errorBody.append(reply->readAll().left(kErrorBodyBytes - errorBody.size()));
            return httpError(status, errorBody, m_ref, m_credentials, url);
        }
        if (reply->error() != QNetworkReply::NoError) {
            // A transfer timeout surfaces as OperationCanceledError, though nobody cancelled.
            if (reply->error() == QNetworkReply::OperationCanceledError) {
                return makeError(ErrorKind::Network, QStringLiteral("kaggle.timeout"),
                                 QStringLiteral("The download of %1 stalled: no data for %2 s")
                                     .arg(m_ref.slug())
                                     .arg(m_options.transferTimeoutMs / 1000.0),
                                 m_ref.toString());
            }
            return makeError(ErrorKind::Network, QStringLiteral("kaggle.network"),
                             QStringLiteral("Cannot download %1 from %2: %3")
                                 .arg(m_ref.slug(), url.host(), reply->errorString()),
                             m_ref.toString());
        }
        const QByteArray rest = reply->readAll();
        if (!rest.isEmpty() && out.write(rest) != rest.size()) {
            return makeError(
                ErrorKind::Io, QStringLiteral("kaggle.write_failed"),
                QStringLiteral("Cannot write %1: %2").arg(out.fileName(), out.errorString()),
                out.fileName());
        }
        written += rest.size();
        if (m_progress && !rest.isEmpty())
            m_progress(written, total);
        if (!out.flush()) {
            return makeError(
                ErrorKind::Io, QStringLiteral("kaggle.write_failed"),
                QStringLiteral("Cannot write %1: %2").arg(out.fileName(), out.errorString()),
                out.fileName());
        }
        return Hop{QUrl(), written};
    }

    Error tooLarge(qint64 bytes) const
    {
        return makeError(
            ErrorKind::BadInput, QStringLiteral("kaggle.too_large"),
            QStringLiteral("%1 is %2, more than the download limit of %3")
                .arg(m_ref.slug(), megabytes(bytes), megabytes(m_options.maxDownloadBytes)),
            m_ref.toString());
    }

    template<typename Stop>
    void checkDiskSpace(const QFile &out, qint64 length, Stop &stop) const
    {
        const QStorageInfo storage(QFileInfo(out.fileName()).absolutePath());
        // Room for the archive and (at least) as much again for the CSV taken out of it.
        if (storage.isValid() && storage.bytesAvailable() >= 0
            && storage.bytesAvailable() < 2 * length) {
            stop(makeError(ErrorKind::Io, QStringLiteral("kaggle.disk_full"),
                           QStringLiteral("%1 is %2 compressed, but only %3 are free on %4")
                               .arg(m_ref.slug(), megabytes(length),
                                    megabytes(storage.bytesAvailable()), storage.rootPath()),
                           m_ref.toString()));
        }
    }

    const KaggleDatasetRef &m_ref;
    const KaggleCredentials &m_credentials;
    const KaggleDownloadOptions &m_options;
    const JobToken *m_token;
    const std::function<void(qint64, qint64)> &m_progress;
};

bool isNoiseEntry(const QString &name)
{
    const QStringList parts = name.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return std::any_of(parts.begin(), parts.end(), [](const QString &part) {
        // ".." is no hidden file: such an entry is refused as unsafe when chosen.
        return (part.startsWith(QLatin1Char('.')) && part != QLatin1String(".."))
               || part == QLatin1String("__MACOSX");
    });
}

struct CsvChoice
{
    QuaZipFileInfo64 entry;
    QStringList csvFiles;
    QString reason;
};

// The CSV the user named, else the only one, else the largest (the training data, usually;
// test.csv and sample_submission.csv are smaller).
Result<CsvChoice> chooseCsv(const QList<QuaZipFileInfo64> &entries, const KaggleDatasetRef &ref)
{
    std::vector<QuaZipFileInfo64> csvs;
    QStringList others;
    for (const QuaZipFileInfo64 &entry : entries) {
        if (entry.name.endsWith(QLatin1Char('/')) || isNoiseEntry(entry.name))
            continue;
        if (entry.name.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
            csvs.push_back(entry);
        else if (others.size() < 10)
            others << entry.name;
    }
    std::stable_sort(csvs.begin(), csvs.end(), [](const auto &a, const auto &b) {
        return a.uncompressedSize > b.uncompressedSize;
    });
    CsvChoice choice;
    for (const QuaZipFileInfo64 &csv : csvs)
        choice.csvFiles << csv.name;

    if (!ref.file.isEmpty()) {
        const auto named = std::find_if(csvs.begin(), csvs.end(), [&](const auto &csv) {
            return csv.name == ref.file || QFileInfo(csv.name).fileName() == ref.file;
        });
        if (named == csvs.end()) {
            return makeError(ErrorKind::NotFound, QStringLiteral("kaggle.no_such_file"),
                             QStringLiteral("%1 has no CSV file “%2”; it has: %3")
                                 .arg(ref.slug(), ref.file,
                                      choice.csvFiles.isEmpty()
                                          ? QStringLiteral("no CSV at all")
                                          : choice.csvFiles.join(QStringLiteral(", "))),
                             ref.toString());
        }
        choice.entry = *named;
        choice.reason = QStringLiteral("the file you named");
        return choice;
    }
    if (csvs.empty()) {
        return makeError(ErrorKind::BadInput, QStringLiteral("kaggle.no_csv"),
                         QStringLiteral("%1 holds no CSV file (it has: %2); Baton reads tabular "
                                        "data from CSV")
                             .arg(ref.slug(), others.isEmpty() ? QStringLiteral("nothing")
                                                               : others.join(QStringLiteral(", "))),
                         ref.toString());
    }
    choice.entry = csvs.front();
    choice.reason = csvs.size() == 1
                        ? QStringLiteral("the only CSV")
                        : QStringLiteral("the largest of %1 CSV files").arg(csvs.size());
    return choice;
}

json sourceJson(const KaggleDataset &dataset)
{
    json csvFiles = json::array();
    for (const QString &file : dataset.csvFiles)
        csvFiles.push_back(toStd(file));
    return {{"reference", toStd(dataset.ref.toString())},
            {"csv", toStd(QFileInfo(dataset.csvPath).fileName())},
            {"csv_entry", toStd(dataset.csvEntry)},
            {"csv_files", csvFiles},
            {"choice", toStd(dataset.choice)},
            {"csv_bytes", dataset.csvBytes},
            {"downloaded_bytes", dataset.downloadedBytes}};
}

// An earlier complete download of the same reference: its marker is written last.
std::optional<KaggleDataset> previousDownload(const KaggleDatasetRef &ref, const QString &folder)
{
    QFile marker(QDir(folder).filePath(kSourceFile));
    if (!marker.open(QIODevice::ReadOnly))
        return std::nullopt;
    const auto parsed = parseJson(marker.readAll());
    if (!parsed || stringField(*parsed, "reference") != ref.toString())
        return std::nullopt;
    KaggleDataset dataset;
    dataset.ref = ref;
    dataset.folder = folder;
    dataset.csvPath = QDir(folder).filePath(stringField(*parsed, "csv"));
    dataset.csvEntry = stringField(*parsed, "csv_entry");
    dataset.choice = stringField(*parsed, "choice");
    dataset.csvBytes = parsed->value("csv_bytes", qint64(-1));
    if (const auto files = parsed->find("csv_files"); files != parsed->end() && files->is_array()) {
        for (const json &file : *files) {
            if (file.is_string())
                dataset.csvFiles << fromStd(file.get<std::string>());
        }
    }
    const QFileInfo csv(dataset.csvPath);
    if (!csv.isFile() || csv.size() != dataset.csvBytes)
        return std::nullopt;
    dataset.reused = true;
    return dataset;
}

// The nearest existing folder at or above path: where the staging folder can live.
QString existingAncestor(const QString &path)
{
    QDir dir(QFileInfo(path).absoluteFilePath());
    while (!dir.exists() && !dir.isRoot())
        dir.setPath(QFileInfo(dir.path()).path());
    return dir.path();
}

} // namespace

QString KaggleDatasetRef::toString() const
{
    return kScheme + slug() + (file.isEmpty() ? QString() : QLatin1Char('/') + file);
}

bool isKaggleReference(const QString &text)
{
    return text.startsWith(kScheme, Qt::CaseInsensitive);
}

Result<KaggleDatasetRef> parseKaggleReference(const QString &text)
{
    static const QRegularExpression slug(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*$"));
    const QString body = text.mid(kScheme.size()).trimmed();
    const QStringList parts = body.split(QLatin1Char('/'));
    KaggleDatasetRef ref;
    if (isKaggleReference(text) && parts.size() >= 2) {
        ref.owner = parts.at(0);
        ref.name = parts.at(1);
        ref.file = parts.mid(2).join(QLatin1Char('/'));
    }
    const bool fileOk
        = !ref.file.contains(QLatin1String("..")) && !ref.file.startsWith(QLatin1Char('/'));
    if (!slug.match(ref.owner).hasMatch() || !slug.match(ref.name).hasMatch() || !fileOk) {
        return makeError(ErrorKind::BadInput, QStringLiteral("kaggle.bad_reference"),
                         QStringLiteral("“%1” is not a Kaggle dataset reference; write "
                                        "kaggle:owner/dataset-name (optionally /file.csv), as in "
                                        "the dataset's URL")
                             .arg(text),
                         text);
    }
    return ref;
}

QByteArray KaggleCredentials::basicAuthorization() const
{
    return "Basic " + (username + QLatin1Char(':') + key).toUtf8().toBase64();
}

Result<KaggleCredentials> kaggleCredentials()
{
    const QString user = qEnvironmentVariable("KAGGLE_USERNAME");
    const QString key = qEnvironmentVariable("KAGGLE_KEY");
    if (!user.isEmpty() && !key.isEmpty())
        return KaggleCredentials{user, key, QStringLiteral("KAGGLE_USERNAME/KAGGLE_KEY")};
    if (!KaggleSettings::username().isEmpty() && !KaggleSettings::key().isEmpty())
        return KaggleCredentials{KaggleSettings::username(), KaggleSettings::key(), QStringLiteral("Baton's settings")};

    const QString configDir = qEnvironmentVariableIsSet("KAGGLE_CONFIG_DIR")
                                  ? qEnvironmentVariable("KAGGLE_CONFIG_DIR")
                                  : QDir::home().filePath(QStringLiteral(".kaggle"));
    const QString path = QDir(configDir).filePath(QStringLiteral("kaggle.json"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(ErrorKind::BadInput, QStringLiteral("kaggle.no_credentials"),
                         QStringLiteral("Kaggle needs an API token: enter it in Settings, set "
                                        "KAGGLE_USERNAME and KAGGLE_KEY, or save kaggle.json from kaggle.com → "
                                        "Settings → API → Create New Token as %1")
                             .arg(QDir::toNativeSeparators(path)));
    }
    const auto parsed = parseJson(file.readAll(), path);
    KaggleCredentials credentials{parsed ? stringField(*parsed, "username") : QString(),
                                  parsed ? stringField(*parsed, "key") : QString(), path};
    if (credentials.username.isEmpty() || credentials.key.isEmpty()) {
        return makeError(ErrorKind::BadInput, QStringLiteral("kaggle.no_credentials"),
                         QStringLiteral("%1 must be a JSON object with \"username\" and \"key\" "
                                        "strings, as kaggle.com writes it")
                             .arg(QDir::toNativeSeparators(path)),
                         path);
    }
    return credentials;
}

namespace KaggleSettings {

QString username()
{
    return QSettings().value(kUsernameSetting).toString().trimmed();
}

QString key()
{
    return QSettings().value(kKeySetting).toString().trimmed();
}

void setCredentials(const QString &username, const QString &key)
{
    QSettings settings;
    settings.setValue(kUsernameSetting, username.trimmed());
    settings.setValue(kKeySetting, key.trimmed());
}

} // namespace KaggleSettings

Result<KaggleCredentials> resolveKaggleCredentials(const std::optional<KaggleCredentials> &given)
{
    if (given)
        return *given;
    return kaggleCredentials();
}

QUrl kaggleApiBaseUrl()
{
    if (const QString env = qEnvironmentVariable("BATON_KAGGLE_API_URL"); !env.isEmpty())
        return QUrl(env);
    return QUrl(QSettings()
                    .value(kBaseUrlSetting, QStringLiteral("https://www.kaggle.com/api/v1"))
                    .toString());
}

void setKaggleApiBaseUrl(const QUrl &url)
{
    QSettings().setValue(kBaseUrlSetting, url.toString());
}

Result<KaggleDataset> downloadKaggleDataset(const KaggleDatasetRef &ref, const QString &destination,
                                            const JobToken *token,
                                            std::function<void(qint64, qint64)> progress,
                                            const KaggleDownloadOptions &options)
{
    const QString folder = QFileInfo(destination).absoluteFilePath();
    if (token && token->isCancelled())
        return cancelledError(ref);
    if (auto previous = previousDownload(ref, folder))
        return *previous;

    auto found = resolveKaggleCredentials(options.credentials);
    if (!found)
        return found.error();
    const KaggleCredentials credentials = std::move(found).value();

    // Staged beside the destination (same file system, so the final rename is atomic) and
    // removed with everything in it unless the download completes.
    QTemporaryDir staging(
        QDir(existingAncestor(folder)).filePath(QStringLiteral(".kaggle-download-XXXXXX")));
    if (!staging.isValid()) {
        return makeError(ErrorKind::Io, QStringLiteral("kaggle.write_failed"),
                         QStringLiteral("Cannot create a download folder near %1: %2")
                             .arg(folder, staging.errorString()),
                         folder);
    }

    QUrl url = options.baseUrl.isEmpty() ? kaggleApiBaseUrl() : options.baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0)
                + QStringLiteral("/datasets/download/%1/%2").arg(ref.owner, ref.name));

    const QString archivePath = staging.filePath(kArchiveFile);
    QFile archive(archivePath);
    if (!archive.open(QIODevice::WriteOnly)) {
        return makeError(
            ErrorKind::Io, QStringLiteral("kaggle.write_failed"),
            QStringLiteral("Cannot create %1: %2").arg(archivePath, archive.errorString()),
            archivePath);
    }
    Download download(ref, credentials, options, token, progress);
    auto downloaded = download.fetch(url, archive);
    archive.close();
    if (!downloaded)
        return downloaded.error();

    KaggleDataset dataset;
    dataset.ref = ref;
    dataset.folder = folder;
    dataset.downloadedBytes = downloaded.value();
    // The archive's own errors name a temporary file; say which download they are about.
    auto aboutDownload = [&](Error error) {
        if (error.kind == ErrorKind::Cancelled)
            return cancelledError(ref);
        error.message
            = QStringLiteral("The download of %1 is not usable: %2").arg(ref.slug(), error.message);
        error.context = ref.toString();
        return error;
    };
    {
        QuaZip zip;
        auto entries = openZip(zip, archivePath, options.zipLimits);
        if (!entries)
            return aboutDownload(entries.error());
        auto choice = chooseCsv(entries.value(), ref);
        if (!choice)
            return choice.error();
        if (Status safe = checkZipEntry(choice->entry, options.zipLimits, archivePath); !safe)
            return aboutDownload(safe.error());
        if (!zip.setCurrentFile(choice->entry.name)) {
            return aboutDownload(
                makeError(ErrorKind::BadInput, QStringLiteral("zip.corrupt"),
                          QStringLiteral("cannot find “%1” in it").arg(choice->entry.name)));
        }
        const QString csvName = QFileInfo(choice->entry.name).fileName();
        if (Status extracted
            = extractZipEntry(zip, choice->entry, staging.filePath(csvName), archivePath, token);
            !extracted)
            return aboutDownload(extracted.error());
        dataset.csvEntry = choice->entry.name;
        dataset.csvFiles = choice->csvFiles;
        dataset.choice = choice->reason;
        dataset.csvBytes = qint64(choice->entry.uncompressedSize);
        dataset.csvPath = QDir(folder).filePath(csvName);
    }
    QFile::remove(archivePath);

    QSaveFile marker(staging.filePath(kSourceFile));
    if (!marker.open(QIODevice::WriteOnly)
        || marker.write(toStrictJsonBytes(sourceJson(dataset), 2)) < 0 || !marker.commit()) {
        return makeError(
            ErrorKind::Io, QStringLiteral("kaggle.write_failed"),
            QStringLiteral("Cannot write %1: %2").arg(marker.fileName(), marker.errorString()),
            marker.fileName());
    }
    if (token && token->isCancelled())
        return cancelledError(ref);

    // Into place: an incomplete earlier attempt (no valid marker) is replaced.
    const QString parent = QFileInfo(folder).path();
    if ((QFileInfo::exists(folder) && !QDir(folder).removeRecursively()) || !QDir().mkpath(parent)
        || !QDir().rename(staging.path(), folder)) {
        return makeError(
            ErrorKind::Io, QStringLiteral("kaggle.write_failed"),
            QStringLiteral("Cannot move the download of %1 into %2").arg(ref.slug(), folder),
            folder);
    }
    staging.setAutoRemove(false);
    return dataset;
}

} // namespace baton
