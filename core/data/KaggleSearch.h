#pragma once

#include "core/common/Result.h"
#include "core/data/KaggleDataset.h"

#include <QString>
#include <QUrl>

#include <optional>
#include <vector>

namespace baton {

class JobToken;

// One dataset of a Kaggle search, as the REST API lists it.
struct KaggleSearchResult
{
    QString ref;      // "owner/name": kaggle:<ref> downloads it (KaggleDataset.h)
    QString title;
    QString subtitle;
    QString url;
    QString licenseName;
    qint64 totalBytes = -1; // -1: not given
    qint64 downloadCount = 0;
    qint64 voteCount = 0;
    double usabilityRating = 0; // 0..1
};

struct KaggleSearchOptions
{
    QUrl baseUrl;                                 // empty: kaggleApiBaseUrl()
    std::optional<KaggleCredentials> credentials; // empty: kaggleCredentials()
    int timeoutMs = 4000; // the whole request; a search is an extra, never worth a long wait
    int maxResults = 5;
};

// GET <base>/datasets/list?search=<terms>&filetype=csv with HTTP basic auth: Kaggle's public
// datasets matching the terms that hold CSV files, in Kaggle's order. The reply is untrusted:
// entries without a valid owner/name ref are skipped, other fields are optional.
//
// Errors: kaggle.no_credentials (no request is made), kaggle.unauthorized (401),
// kaggle.http_error, kaggle.network, kaggle.timeout, kaggle.bad_reply (not a JSON array),
// kaggle.cancelled. Runs a local event loop: call it from a job thread, never the GUI thread.
Result<std::vector<KaggleSearchResult>> searchKaggleDatasets(const QString &terms,
                                                             const KaggleSearchOptions &options = {},
                                                             const JobToken *token = nullptr);

} // namespace baton
