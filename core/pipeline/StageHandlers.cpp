#include "ProjectSession.h"

#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/DatasetCache.h"
#include "core/pipeline/stages/DataSourceStage.h"
#include "core/pipeline/stages/ModelSelectStage.h"
#include "core/pipeline/stages/ParseIntentStage.h"
#include "core/pipeline/stages/PreprocessStage.h"
#include "core/pipeline/stages/ProfileStage.h"
#include "core/pipeline/stages/TrainStage.h"
#include "core/review/ExportStage.h"
#include "core/review/ReviewStage.h"

namespace baton {

void installStageHandlers(Conductor &conductor)
{
    // One table cache per project: the stages read the data once and share it.
    auto cache = std::make_shared<DatasetCache>();
    conductor.setHandler(StageId::ParseIntent, std::make_shared<ParseIntentStage>(cache));
    conductor.setHandler(StageId::DataSource, std::make_shared<DataSourceStage>(cache));
    conductor.setHandler(StageId::ProfileData, std::make_shared<ProfileStage>(cache));
    conductor.setHandler(StageId::Preprocess, std::make_shared<PreprocessStage>(cache));
    conductor.setHandler(StageId::ModelSelect, std::make_shared<ModelSelectStage>());
    conductor.setHandler(StageId::Train, std::make_shared<TrainStage>(cache));
    conductor.setHandler(StageId::ReviewEdit, std::make_shared<ReviewStage>());
    conductor.setHandler(StageId::Export, std::make_shared<ExportStage>(cache));

    // The first stage that uses each decision a confirm may edit: changing one later re-runs it.
    for (const char *key : {ctx::DataPath, ctx::DatasetId})
        conductor.setDecisionStage(key, StageId::DataSource);
    for (const char *key : {ctx::Target, ctx::Task, ctx::ExcludedColumns, ctx::Seed})
        conductor.setDecisionStage(key, StageId::Preprocess);
    for (const char *key : {ctx::Metric, ctx::TimeBudgetS, "model_id", "max_models", ctx::RefitAllRows})
        conductor.setDecisionStage(key, StageId::Train);
}

} // namespace baton
