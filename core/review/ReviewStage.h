#pragma once

#include "core/conductor/StageHandler.h"

namespace baton {

// REVIEW_EDIT: the report (report.json with a stable versioned schema, report.md and a
// self-contained report.html) and a notebook that reproduces the test metrics in Python, all
// built only from what the earlier stages recorded.
class ReviewStage : public StageHandler
{
public:
    StageOutcome run(StageContext &context) override;
};

// Version of report.json's schema ({format:"baton.report", version}).
inline constexpr int kReportVersion = 1;

} // namespace baton
