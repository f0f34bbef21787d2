#pragma once

#include "core/conductor/StageHandler.h"

#include <memory>

namespace baton {

class DatasetCache;

// DATA_SOURCE: settles which data the project uses — the user's file, or a built-in demo dataset
// matching the goal — loads it, shows a sample and proposes it for confirmation.
class DataSourceStage : public StageHandler
{
public:
    explicit DataSourceStage(std::shared_ptr<DatasetCache> cache);
    StageOutcome run(StageContext &context) override;

private:
    std::shared_ptr<DatasetCache> m_cache;
};

} // namespace baton
