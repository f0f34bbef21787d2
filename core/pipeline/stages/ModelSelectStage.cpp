#include "ModelSelectStage.h"

#include "StageSupport.h"

#include "core/agents/ModelSelector.h"
#include "core/conductor/EventNames.h"
#include "core/pipeline/ContextKeys.h"

namespace baton {

namespace {

DataTraits traitsOf(const json &project, const json &preprocess)
{
    DataTraits t;
    t.classification = stringField(project, ctx::Task) == QLatin1String("classification");
    t.classes = preprocess.value("classes", 0);
    t.trainRows = preprocess.value("train_rows", 0);
    t.features = preprocess.value("features", 0);
    t.timeBudgetS = project.value(ctx::TimeBudgetS, 120);
    const json types = project.value(ctx::Dataset, json::object()).value("column_types", json::object());
    for (const auto &[column, type] : types.items()) {
        if (column == toStd(stringField(project, ctx::Target)) || !type.is_string())
            continue;
        const std::string name = type.get<std::string>();
        if (name == "float64" || name == "int64")
            ++t.numericColumns;
        else if (name == "categorical" || name == "bool" || name == "text")
            ++t.categoricalColumns;
    }
    return t;
}

} // namespace

StageOutcome ModelSelectStage::run(StageContext &context)
{
    const json &project = context.projectContext();
    const json preprocess = project.value("preprocess", json::object());
    if (preprocess.empty())
        return stage::fail(ErrorKind::BadInput, "models.no_plan", QStringLiteral("Run PREPROCESS first"));
    const DataTraits traits = traitsOf(project, preprocess);

    const AgentResult<std::vector<ModelOption>> selection = selectModels(AgentRunner::forStage(context), traits);
    json models = json::array();
    for (const ModelOption &option : selection.value)
        models.push_back(option.toJson(traits));
    const ModelOption &recommended = selection.value.front();
    json payload = {{"models", models},
                    {"task_type", traits.classification ? "classification" : "regression"},
                    {"recommended", toStd(recommended.id)}};
    selection.provenance.addTo(payload);
    context.emitEvent(events::ModelCandidates, payload);

    // The user's choice (GUI, protocol /model/select, chat) stands; else the top of the ranking is
    // what TRAIN will train. A model_id equal to the last recommendation was ours, not the user's.
    const QString userChoice = stringField(project, "model_id");
    const bool userChose = modelOptionIds().contains(userChoice)
                           && userChoice != stringField(project, "model_recommended");
    const QString chosen = userChose ? userChoice : recommended.id;
    json patch = {{"model_candidates", models},
                  {"model_id", toStd(chosen)},
                  {"model_recommended", toStd(recommended.id)}};
    QString summary = QStringLiteral("Recommended: %1 — %2").arg(recommended.name, recommended.why);
    if (chosen != recommended.id)
        summary += QStringLiteral(" Selected by you: %1.").arg(chosen);
    return StageOutcome::waiting(summary, {QStringLiteral("Confirm to train model"), QStringLiteral("Select a different model")},
                                 std::move(patch));
}

} // namespace baton
