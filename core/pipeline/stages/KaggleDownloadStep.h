#pragma once

#include "core/common/Result.h"
#include "core/conductor/StageHandler.h"

#include <QString>

namespace baton::stage {

// DATA_SOURCE's Kaggle step: downloads `kaggle:owner/name[/file.csv]` into the project
// (assets/data/kaggle/<owner>/<name>/), reporting progress as the ad-hoc
// STAGE_STATUS {stage, status: IN_PROGRESS, message, progress, bytes_received, bytes_total} of
// protocol §5.3, says which CSV it picked and why, announces it as an artifact, and returns the
// CSV's path. A failed or cancelled download leaves the project as it was.
Result<QString> downloadKaggleData(StageContext &context, const QString &reference);

} // namespace baton::stage
