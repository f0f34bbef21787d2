#pragma once

#include "AgentRunner.h"

#include "core/data/DemoDatasets.h"

#include <vector>

namespace baton {

// The dataset finder (DATA_SOURCE, protocol §7.3): which of the datasets Baton can offer fit the
// goal, best first. The model may only name datasets that exist; the rules' fallback matches
// the goal's words against each dataset's keywords. Callers add the user's own file first and
// the upload option last.
AgentResult<std::vector<DemoDataset>> findDatasets(const AgentRunner &runner, const QString &goal,
                                                   const QString &datasetHint, const QString &task);

} // namespace baton
