#pragma once

#include "AgentRunner.h"
#include "IntentRules.h"

#include <vector>

namespace baton {

struct PlannedExclusion
{
    QString column;
    QString reason;
};

// The preprocess planner (PREPROCESS, protocol §7.5): which further columns to leave out before
// the features are fitted, each with a reason the user can read and undo. The model may spot
// leaks and identifiers the profiler cannot; its answer is validated (real columns, never the
// target or one already excluded, at least one feature left). The rules' fallback excludes
// columns whose names say they are derived from the target (Sale_Price_log for Sale_Price).
AgentResult<std::vector<PlannedExclusion>> planExclusions(const AgentRunner &runner,
                                                          const std::vector<ColumnHint> &columns,
                                                          const QString &target, bool classification,
                                                          const QStringList &alreadyExcluded);

std::vector<PlannedExclusion> planExclusionsByRules(const std::vector<ColumnHint> &columns,
                                                    const QString &target,
                                                    const QStringList &alreadyExcluded);

} // namespace baton
