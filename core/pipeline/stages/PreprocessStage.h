#pragma once

#include "core/conductor/StageHandler.h"

#include <memory>

namespace baton {

class DatasetCache;

// PREPROCESS: decides the task, holds out the test split (stratified, seeded) and fits the
// preprocessing on the training rows only; the plan is shown for confirmation and saved as the
// versioned spec that training, export and `baton predict` all apply.
class PreprocessStage : public StageHandler
{
public:
    explicit PreprocessStage(std::shared_ptr<DatasetCache> cache);
    StageOutcome run(StageContext &context) override;

private:
    std::shared_ptr<DatasetCache> m_cache;
};

} // namespace baton
