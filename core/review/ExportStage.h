#pragma once

#include "core/conductor/StageHandler.h"

#include <memory>

namespace baton {

class DatasetCache;

// EXPORT: writes the bundle zip, then proves it: reopens it like `baton predict` would (every
// checksum, the model), re-scores the held-out rows and fails when any prediction differs from
// the in-app one by more than 1e-6.
class ExportStage : public StageHandler
{
public:
    explicit ExportStage(std::shared_ptr<DatasetCache> cache);
    StageOutcome run(StageContext &context) override;

private:
    std::shared_ptr<DatasetCache> m_cache;
};

} // namespace baton
