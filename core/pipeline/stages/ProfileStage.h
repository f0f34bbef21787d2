#pragma once

#include "core/conductor/StageHandler.h"

#include <memory>

namespace baton {

class DatasetCache;

// PROFILE_DATA: statistics of every column, missingness, the target's distribution,
// correlations and warnings (ID-like, constant, leakage, ...). Warnings that suggest excluding a
// column become proposals the user confirms; the files land in assets/profile/.
class ProfileStage : public StageHandler
{
public:
    explicit ProfileStage(std::shared_ptr<DatasetCache> cache);
    StageOutcome run(StageContext &context) override;

private:
    std::shared_ptr<DatasetCache> m_cache;
};

} // namespace baton
