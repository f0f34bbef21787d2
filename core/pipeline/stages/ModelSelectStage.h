#pragma once

#include "core/conductor/StageHandler.h"

namespace baton {

// MODEL_SELECT: proposes the model families that fit this data, ranked, with the reason for
// each; the user's choice ("auto" or one family) decides what TRAIN searches.
class ModelSelectStage : public StageHandler
{
public:
    StageOutcome run(StageContext &context) override;
};

} // namespace baton
