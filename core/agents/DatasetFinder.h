#pragma once

#include "AgentRunner.h"

#include "core/data/DemoDatasets.h"
#include "core/data/KaggleSearch.h"

#include <vector>

namespace baton {

// The dataset finder (DATA_SOURCE, protocol §7.3): which of the datasets Baton can offer fit the
// goal, best first. The model may only name datasets that exist; the rules' fallback matches
// the goal's words against each dataset's keywords. Callers add the user's own file first and
// the upload option last.
AgentResult<std::vector<DemoDataset>> findDatasets(const AgentRunner &runner, const QString &goal,
                                                   const QString &datasetHint, const QString &task);

// What to search Kaggle for: the intent's dataset hint (a few search-friendly words), else the
// goal's content words.
QString kaggleSearchTerms(const QString &goal, const QString &datasetHint);

// Kaggle datasets for the goal, when Kaggle credentials exist; without them, none and no
// request. A failed search (no network, 401, a bad reply, too slow) is logged and gives none:
// Kaggle results are an extra, never a reason for DATA_SOURCE to fail. Blocks for at most the
// search timeout, so call it from a job thread.
std::vector<KaggleSearchResult> findKaggleDatasets(const QString &goal, const QString &datasetHint,
                                                   const JobToken *token,
                                                   const KaggleSearchOptions &options = {});

} // namespace baton
