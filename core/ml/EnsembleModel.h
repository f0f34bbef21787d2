#pragma once

#include "core/ml/ModelCandidate.h"
#include "core/ml/Preprocessor.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace baton {

struct EnsembleMember
{
    QString runId;
    CandidateConfig config;
    double weight = 1.0;
    QByteArray modelJson; // XGBoost's JSON model format
};

// What a model predicts for a table: values (regression, original units) or class
// probabilities, row-major [rows x classes].
struct Predictions
{
    bool classification = false;
    int classes = 0;
    std::vector<double> values;
    std::vector<double> probabilities;
    std::vector<int> predictedClass() const;
};

// A booster's raw output in the units Baton scores: class probabilities [rows x classes] (a
// binary model outputs one column, P(class 1)), or values in the target's own units (undoing
// the log1p the model was fitted on).
std::vector<double> toScoringSpace(const PreprocessSpec &spec, const std::vector<float> &raw,
                                   size_t groups);

// The trained model as it is saved and loaded: preprocessing spec + weighted XGBoost boosters.
// Layout of a model folder (also inside the export bundle):
//   preprocess.json          the PreprocessSpec
//   ensemble.json            {format, version, task, metric, members:[{run_id, family, config, weight, file}]}
//   models/<run_id>.json     each member's booster in XGBoost's JSON format
//   evaluated/               optional: the same ensemble fitted on the training rows only, kept
//                            when the model was refitted on every labelled row after the one
//                            evaluation on the test rows (the test figures are this one's)
inline constexpr char kEvaluatedModelFolder[] = "evaluated";

class EnsembleModel
{
public:
    EnsembleModel() = default;
    EnsembleModel(PreprocessSpec spec, std::vector<EnsembleMember> members, QString metric);

    static Result<EnsembleModel> load(const QString &folder);
    Status save(const QString &folder) const;

    Result<Predictions> predict(const Table &table, int threads,
                                const std::vector<int64_t> *rows = nullptr) const;

    const PreprocessSpec &spec() const { return m_spec; }
    const std::vector<EnsembleMember> &members() const { return m_members; }
    const QString &metric() const { return m_metric; }

private:
    PreprocessSpec m_spec;
    std::vector<EnsembleMember> m_members;
    QString m_metric;
};

} // namespace baton
