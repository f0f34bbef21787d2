#include "KaggleSearch.h"

#include "core/common/Json.h"
#include "core/jobs/JobRunner.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

namespace baton {

namespace {

constexpr int kCancelPollMs = 50;
constexpr qint64 kMaxReplyBytes = qint64(4) << 20; // a page of results is a few tens of KB

Error searchError(ErrorKind kind, const char *code, const QString &message, const QString &terms)
{
    return makeError(kind, QString::fromLatin1(code), message, QStringLiteral("kaggle search “%1”").arg(terms));
}

qint64 integerField(const json &object, const char *key, qint64 fallback)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<qint64>() : fallback;
}

double numberField(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::vector<KaggleSearchResult> parseResults(const json &reply, int maxResults)
{
    std::vector<KaggleSearchResult> results;
    for (const json &entry : reply) {
        if (!entry.is_object() || int(results.size()) >= maxResults)
            continue;
        const QString ref = stringField(entry, "ref");
        // Only what kaggle:<ref> can download: a malformed ref would fail later, at a worse time.
        if (!parseKaggleReference(QStringLiteral("kaggle:") + ref) || ref.count(QLatin1Char('/')) != 1)
            continue;
        KaggleSearchResult result;
        result.ref = ref;
        result.title = stringField(entry, "title", ref);
        result.subtitle = stringField(entry, "subtitle");
        result.url = stringField(entry, "url", QStringLiteral("https://www.kaggle.com/datasets/") + ref);
        result.licenseName = stringField(entry, "licenseName");
        result.totalBytes = integerField(entry, "totalBytes", integerField(entry, "size", -1));
        result.downloadCount = integerField(entry, "downloadCount", 0);
        result.voteCount = integerField(entry, "voteCount", 0);
        result.usabilityRating = numberField(entry, "usabilityRating");
        results.push_back(std::move(result));
    }
    return results;
}

} // namespace

Result<std::vector<KaggleSearchResult>> searchKaggleDatasets(const QString &terms,
                                                             const KaggleSearchOptions &options,
                                                             const JobToken *token)
{
    auto found = resolveKaggleCredentials(options.credentials);
    if (!found)
        return found.error();
    const KaggleCredentials credentials = std::move(found).value();
    const QUrl base = options.baseUrl.isValid() ? options.baseUrl : kaggleApiBaseUrl();
    QUrl url = base;
    url.setPath(base.path() + QStringLiteral("/datasets/list"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("search"), terms);
    query.addQueryItem(QStringLiteral("filetype"), QStringLiteral("csv")); // Baton reads CSV
    url.setQuery(query);

    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", credentials.basicAuthorization());
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("Baton/%1").arg(QStringLiteral(BATON_VERSION)));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    std::unique_ptr<QNetworkReply> reply(network.get(request));

    bool timedOut = false;
    bool cancelled = false;
    bool tooLarge = false;
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(reply.get(), &QNetworkReply::downloadProgress, &loop, [&](qint64 received, qint64) {
        if (received > kMaxReplyBytes) {
            tooLarge = true;
            reply->abort();
        }
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    QTimer cancelPoll;
    QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
        if (token && token->isCancelled()) {
            cancelled = true;
            reply->abort();
        }
    });
    deadline.start(options.timeoutMs);
    cancelPoll.start(kCancelPollMs);
    if (!reply->isFinished())
        loop.exec();

    if (cancelled)
        return searchError(ErrorKind::Cancelled, "kaggle.cancelled", QStringLiteral("The Kaggle search was cancelled"), terms);
    if (timedOut)
        return searchError(ErrorKind::Network, "kaggle.timeout",
                           QStringLiteral("Kaggle did not answer the search within %1 s").arg(options.timeoutMs / 1000.0),
                           terms);
    if (tooLarge)
        return searchError(ErrorKind::Network, "kaggle.bad_reply",
                           QStringLiteral("Kaggle's search reply is larger than %1 MB").arg(kMaxReplyBytes >> 20), terms);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401)
        return searchError(ErrorKind::BadInput, "kaggle.unauthorized",
                           QStringLiteral("Kaggle refused the credentials of user “%1” (HTTP 401); check %2")
                               .arg(credentials.username, credentials.origin),
                           terms);
    if (status != 0 && status != 200)
        return searchError(ErrorKind::Network, "kaggle.http_error",
                           QStringLiteral("Kaggle answered HTTP %1 to the dataset search").arg(status), terms);
    if (reply->error() != QNetworkReply::NoError)
        return searchError(ErrorKind::Network, "kaggle.network",
                           QStringLiteral("Cannot reach Kaggle (%1): %2").arg(base.host(), reply->errorString()), terms);
    auto parsed = parseJson(reply->readAll(), QStringLiteral("Kaggle's search reply"));
    if (!parsed || !parsed->is_array())
        return searchError(ErrorKind::Network, "kaggle.bad_reply",
                           QStringLiteral("Kaggle's search reply is not a JSON list of datasets"), terms);
    return parseResults(parsed.value(), options.maxResults);
}

} // namespace baton
