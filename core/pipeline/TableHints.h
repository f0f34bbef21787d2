#pragma once

#include "core/agents/IntentRules.h"
#include "core/data/Table.h"

#include <vector>

namespace baton {

// What the intent rules need to know about each column of a table.
std::vector<ColumnHint> columnHints(const Table &table);

} // namespace baton
