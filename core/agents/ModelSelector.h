#pragma once

#include "AgentRunner.h"

#include <vector>

namespace baton {

// What the model selector weighs (MODEL_SELECT, after PREPROCESS fitted the features).
struct DataTraits
{
    bool classification = false;
    int classes = 0;
    qint64 trainRows = 0;
    int features = 0;
    int numericColumns = 0;
    int categoricalColumns = 0;
    int timeBudgetS = 120;

    json toJson() const;
};

// One entry of MODEL_CANDIDATES (protocol §5.2). `id` is what TRAIN reads: "auto" searches every
// family, the others train that family alone.
struct ModelOption
{
    QString id;
    QString name;
    QString why;
    json requirements = json::object();

    json toJson(const DataTraits &traits) const;
};

// The ids MODEL_SELECT offers, in the order the rules prefer by default.
const QStringList &modelOptionIds();

// The deterministic ranking: a search over every family with an ensemble unless the data is tiny
// (a regularised linear model overfits least) or too large for the budget (XGBoost alone).
std::vector<ModelOption> rankModelsByRules(const DataTraits &traits);

// The model's ranking (every id once, known ids only; missing ones follow in the rules' order)
// or the rules'.
AgentResult<std::vector<ModelOption>> selectModels(const AgentRunner &runner, const DataTraits &traits);

} // namespace baton
