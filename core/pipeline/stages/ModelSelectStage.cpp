#include "ModelSelectStage.h"

#include "StageSupport.h"

#include "core/conductor/EventNames.h"
#include "core/ml/ModelCandidate.h"
#include "core/pipeline/ContextKeys.h"

#include <QLocale>

namespace baton {

StageOutcome ModelSelectStage::run(StageContext &context)
{
    const json &project = context.projectContext();
    const json preprocess = project.value("preprocess", json::object());
    if (preprocess.empty())
        return stage::fail(ErrorKind::BadInput, "models.no_plan", QStringLiteral("Run PREPROCESS first"));
    const bool classification = stringField(project, ctx::Task) == QLatin1String("classification");
    const int rows = preprocess.value("train_rows", 0);
    const int features = preprocess.value("features", 0);
    const int budget = project.value(ctx::TimeBudgetS, 120);
    const QLocale locale;
    const QString task = classification ? QStringLiteral("classification") : QStringLiteral("regression");

    const json models = json::array({
        {{"id", "auto"},
         {"name", "Automatic (recommended)"},
         {"family", toStd(task)},
         {"why", toStd(QStringLiteral("Searches gradient boosting, random forests and linear models for %1 s "
                                      "and keeps a weighted ensemble of the best: the most accurate choice "
                                      "on almost every table.")
                           .arg(budget))},
         {"requirements", {{"time_budget_s", budget}, {"families", {"xgboost", "random_forest", "linear"}}}}},
        {{"id", "xgboost"},
         {"name", "XGBoost"},
         {"family", toStd(task)},
         {"why", toStd(QStringLiteral("Gradient-boosted trees: strongest single model family on tabular data; "
                                      "handles the %1 features, missing values and categories natively.")
                           .arg(features))},
         {"requirements", {{"tree_method", "hist"}, {"early_stopping_rounds", 50}}}},
        {{"id", "random_forest"},
         {"name", "Random Forest"},
         {"family", toStd(task)},
         {"why", toStd(QStringLiteral("Averaged deep trees: robust with little tuning, a good check on %1 "
                                      "training rows.")
                           .arg(locale.toString(rows)))},
         {"requirements", {{"num_parallel_tree", 300}}}},
        {{"id", "linear"},
         {"name", classification ? "Regularised logistic regression" : "Regularised linear regression"},
         {"family", toStd(task)},
         {"why", "Fast and interpretable; wins when the signal is mostly additive or rows are few."},
         {"requirements", {{"penalty", "elastic net"}, {"scaling", "standard"}}}},
    });
    context.emitEvent(events::ModelCandidates, {{"models", models},
                                                {"task_type", toStd(task)},
                                                {"recommended", "auto"},
                                                {"produced_by", "rules"}});
    const QString chosen = stringField(project, "model_id", QStringLiteral("auto"));
    json patch = {{"model_candidates", models}};
    if (!project.contains("model_id"))
        patch["model_id"] = "auto";
    return StageOutcome::waiting(
        QStringLiteral("Recommended: automatic search over XGBoost, random forest and linear models "
                       "for %1 s, then a weighted ensemble. Selected: %2.")
            .arg(budget)
            .arg(chosen),
        {QStringLiteral("Confirm to train model"), QStringLiteral("Select a different model")},
        std::move(patch));
}

} // namespace baton
