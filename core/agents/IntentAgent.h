#pragma once

#include "AgentRunner.h"
#include "IntentRules.h"

namespace baton {

// The intent parser (PARSE_INTENT, protocol §7.2): the model reads the goal (and the column
// names once the data is known); its answer must name a real column, a known task and metric,
// or the rules of IntentRules answer instead. An empty goal never reaches the model.
AgentResult<ParsedIntent> parseIntent(const AgentRunner &runner, const QString &prompt,
                                      const std::vector<ColumnHint> &columns = {},
                                      bool dataIsImageFolder = false);

// The reply check, public for tests: the model's JSON as a ParsedIntent, or why it is invalid.
Result<ParsedIntent> intentFromReply(const json &reply, const std::vector<ColumnHint> &columns,
                                     bool dataIsImageFolder);

} // namespace baton
