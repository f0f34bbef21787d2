#pragma once

#include "core/conductor/StageHandler.h"

#include <memory>

namespace baton {

class DatasetCache;

// PARSE_INTENT: turns the goal into task, target, metric, budget and exclusions. The rules-based
// parser is used (an LLM agent may replace it, with these rules as its fallback); once the data is
// known its columns take part, so "predict house prices" finds `Sale_Price`.
class ParseIntentStage : public StageHandler
{
public:
    explicit ParseIntentStage(std::shared_ptr<DatasetCache> cache);
    StageOutcome run(StageContext &context) override;

private:
    std::shared_ptr<DatasetCache> m_cache;
};

} // namespace baton
