#include "ModelSelector.h"

#include <QLocale>

namespace baton {

namespace {

constexpr qint64 kTinyTrainRows = 60;
// Feature values per second of budget above which a three-family search cannot finish well.
constexpr double kValuesPerBudgetSecond = 200000;
constexpr qsizetype kMaxWhyLength = 400;

const QString kSystemPrompt = QStringLiteral(
    "You choose models for a tabular AutoML tool. Given the data's traits, rank these model ids from "
    "best to worst for this data and time budget:\n"
    "auto = search XGBoost, random forests and regularised linear models, keep a weighted ensemble;\n"
    "xgboost = gradient-boosted trees only; random_forest = random forest only; linear = regularised "
    "linear/logistic regression only.\n"
    "Answer with one JSON object and nothing else: {\"ranking\": [ids, best first], \"why\": {id: one "
    "sentence}}. Use only the numbers given in the traits.");

ModelOption option(const QString &id, const DataTraits &t)
{
    const QLocale locale;
    if (id == QLatin1String("auto")) {
        return {id, QStringLiteral("Automatic (search + ensemble)"),
                QStringLiteral("Searches gradient boosting, random forests and linear models for %1 s and keeps a "
                               "weighted ensemble of the best: the most accurate choice on most tables.")
                    .arg(t.timeBudgetS),
                {{"time_budget_s", t.timeBudgetS}, {"families", {"xgboost", "random_forest", "linear"}}}};
    }
    if (id == QLatin1String("xgboost")) {
        return {id, QStringLiteral("XGBoost"),
                QStringLiteral("Gradient-boosted trees: the strongest single family on tabular data; handles the "
                               "%1 features, missing values and categories natively.")
                    .arg(t.features),
                {{"tree_method", "hist"}, {"early_stopping_rounds", 50}}};
    }
    if (id == QLatin1String("random_forest")) {
        return {id, QStringLiteral("Random Forest"),
                QStringLiteral("Averaged deep trees: robust with little tuning, a good check on %1 training rows.")
                    .arg(locale.toString(t.trainRows)),
                {{"num_parallel_tree", 300}}};
    }
    return {QStringLiteral("linear"),
            t.classification ? QStringLiteral("Regularised logistic regression") : QStringLiteral("Regularised linear regression"),
            QStringLiteral("Fast and interpretable; wins when the signal is mostly additive or rows are few."),
            {{"penalty", "elastic net"}, {"scaling", "standard"}}};
}

std::vector<ModelOption> inOrder(const QStringList &ids, const DataTraits &traits)
{
    std::vector<ModelOption> out;
    for (const QString &id : ids)
        out.push_back(option(id, traits));
    return out;
}

} // namespace

json DataTraits::toJson() const
{
    return {{"task", classification ? "classification" : "regression"},
            {"classes", classes},
            {"train_rows", trainRows},
            {"features", features},
            {"numeric_columns", numericColumns},
            {"categorical_columns", categoricalColumns},
            {"time_budget_s", timeBudgetS}};
}

json ModelOption::toJson(const DataTraits &traits) const
{
    return {{"id", toStd(id)},
            {"name", toStd(name)},
            {"family", traits.classification ? "classification" : "regression"},
            {"why", toStd(why)},
            {"requirements", requirements}};
}

const QStringList &modelOptionIds()
{
    static const QStringList ids = {QStringLiteral("auto"), QStringLiteral("xgboost"), QStringLiteral("random_forest"),
                                    QStringLiteral("linear")};
    return ids;
}

std::vector<ModelOption> rankModelsByRules(const DataTraits &t)
{
    const QLocale locale;
    const double values = double(t.trainRows) * std::max(1, t.features);
    if (t.trainRows > 0 && t.trainRows < kTinyTrainRows) {
        auto ranked = inOrder({QStringLiteral("linear"), QStringLiteral("auto"), QStringLiteral("random_forest"),
                               QStringLiteral("xgboost")},
                              t);
        ranked.front().why = QStringLiteral("Only %1 training rows: a regularised linear model overfits least; "
                                            "cross-validating tree searches on so few rows is mostly noise.")
                                 .arg(t.trainRows);
        return ranked;
    }
    if (values > kValuesPerBudgetSecond * std::max(1, t.timeBudgetS)) {
        auto ranked = inOrder({QStringLiteral("xgboost"), QStringLiteral("auto"), QStringLiteral("linear"),
                               QStringLiteral("random_forest")},
                              t);
        ranked.front().why = QStringLiteral("%1 rows × %2 features is too much to search three families in %3 s; "
                                            "XGBoost alone uses the budget best.")
                                 .arg(locale.toString(t.trainRows))
                                 .arg(t.features)
                                 .arg(t.timeBudgetS);
        return ranked;
    }
    return inOrder(modelOptionIds(), t);
}

AgentResult<std::vector<ModelOption>> selectModels(const AgentRunner &runner, const DataTraits &traits)
{
    const AgentPrompt prompt{QStringLiteral("model_selector"), kSystemPrompt, {}, fromStd(traits.toJson().dump()), 0.0};
    auto validate = [&traits](const json &reply) -> Result<std::vector<ModelOption>> {
        auto ranking = reply::strings(reply, "ranking");
        if (!ranking)
            return ranking.error();
        if (ranking->isEmpty())
            return reply::invalid(QStringLiteral("“ranking” is empty"));
        QStringList ids;
        for (const QString &id : *ranking) {
            const QString lower = id.toLower();
            if (!modelOptionIds().contains(lower))
                return reply::invalid(QStringLiteral("“%1” is not one of %2").arg(id, modelOptionIds().join(QStringLiteral(", "))));
            if (ids.contains(lower))
                return reply::invalid(QStringLiteral("“%1” is ranked twice").arg(id));
            ids << lower;
        }
        for (const ModelOption &o : rankModelsByRules(traits)) {
            if (!ids.contains(o.id))
                ids << o.id;
        }
        std::vector<ModelOption> ranked = inOrder(ids, traits);
        const json why = reply.value("why", json::object());
        if (why.is_object()) {
            for (ModelOption &o : ranked) {
                const QString text = stringField(why, toStd(o.id).c_str()).trimmed();
                if (!text.isEmpty() && text.size() <= kMaxWhyLength)
                    o.why = text;
            }
        }
        return ranked;
    };
    return runner.run<std::vector<ModelOption>>(prompt, validate, [&traits] { return rankModelsByRules(traits); });
}

} // namespace baton
