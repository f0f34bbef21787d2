#pragma once

#include "core/conductor/StageHandler.h"

#include <memory>

namespace baton {

class DatasetCache;

// TRAIN: runs the tabular search live (curves, leaderboard, resources), saves the chosen model,
// evaluates it once on the held-out test rows and writes the evaluation artifacts.
class TrainStage : public StageHandler
{
public:
    explicit TrainStage(std::shared_ptr<DatasetCache> cache);
    StageOutcome run(StageContext &context) override;

private:
    std::shared_ptr<DatasetCache> m_cache;
};

} // namespace baton
