#include "EnsembleModel.h"

#include "core/ml/Metrics.h"
#include "core/ml/XgbBooster.h"
#include "core/project/Assets.h"

#include <QDir>
#include <QFile>

#include <cmath>

namespace baton {

std::vector<int> Predictions::predictedClass() const
{
    return metrics::argmax(probabilities, classes);
}

std::vector<double> toScoringSpace(const PreprocessSpec &spec, const std::vector<float> &raw,
                                   size_t groups)
{
    if (!spec.classification) {
        std::vector<double> values(raw.size());
        for (size_t i = 0; i < raw.size(); ++i)
            values[i] = spec.logTarget ? std::expm1(double(raw[i])) : double(raw[i]);
        return values;
    }
    const auto k = size_t(spec.classes.size());
    if (k == 2 && groups == 1) {
        std::vector<double> probabilities(raw.size() * 2);
        for (size_t i = 0; i < raw.size(); ++i) {
            probabilities[i * 2] = 1.0 - double(raw[i]);
            probabilities[i * 2 + 1] = double(raw[i]);
        }
        return probabilities;
    }
    return std::vector<double>(raw.begin(), raw.end());
}

EnsembleModel::EnsembleModel(PreprocessSpec spec, std::vector<EnsembleMember> members, QString metric)
    : m_spec(std::move(spec))
    , m_members(std::move(members))
    , m_metric(std::move(metric))
{}


Status EnsembleModel::save(const QString &folder) const
{
    const QDir dir(folder);
    if (Status s = writeJsonFile(dir.filePath(QStringLiteral("preprocess.json")), m_spec.toJson()); !s)
        return s;
    json members = json::array();
    for (const EnsembleMember &m : m_members) {
        const QString file = QStringLiteral("models/%1.json").arg(m.runId);
        if (Status s = writeTextFile(dir.filePath(file), m.modelJson); !s)
            return s;
        members.push_back({{"run_id", toStd(m.runId)},
                           {"family", toStd(familyId(m.config.family))},
                           {"config", m.config.toJson()},
                           {"weight", m.weight},
                           {"features", m.config.usesLinearFeatures() ? "linear" : "tree"},
                           {"file", toStd(file)}});
    }
    const json ensemble = {{"format", "baton.ensemble"},
                           {"version", 1},
                           {"task", m_spec.classification ? "classification" : "regression"},
                           {"metric", toStd(m_metric)},
                           {"members", members}};
    return writeJsonFile(dir.filePath(QStringLiteral("ensemble.json")), ensemble);
}

Result<EnsembleModel> EnsembleModel::load(const QString &folder)
{
    const QDir dir(folder);
    auto specJson = readJsonFile(dir.filePath(QStringLiteral("preprocess.json")), ErrorKind::BadInput, QStringLiteral("model.missing_file"));
    if (!specJson)
        return specJson.error();
    auto spec = PreprocessSpec::fromJson(specJson.value());
    if (!spec)
        return spec.error();
    auto ensembleJson = readJsonFile(dir.filePath(QStringLiteral("ensemble.json")), ErrorKind::BadInput, QStringLiteral("model.missing_file"));
    if (!ensembleJson)
        return ensembleJson.error();
    const json &e = ensembleJson.value();
    if (stringField(e, "format") != QLatin1String("baton.ensemble") || e.value("version", 0) != 1
        || !e.contains("members") || !e["members"].is_array() || e["members"].empty()) {
        return makeError(ErrorKind::BadInput, QStringLiteral("model.invalid"),
                         QStringLiteral("Not a Baton ensemble (or an unsupported version)"),
                         dir.filePath(QStringLiteral("ensemble.json")));
    }
    std::vector<EnsembleMember> members;
    for (const json &m : e["members"]) {
        auto config = CandidateConfig::fromJson(m.value("config", json::object()));
        if (!config)
            return config.error();
        const QString file = stringField(m, "file");
        if (file.contains(QLatin1String("..")))
            return makeError(ErrorKind::BadInput, QStringLiteral("model.invalid"),
                             QStringLiteral("Invalid model file name"), file);
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::BadInput, QStringLiteral("model.missing_file"),
                             QStringLiteral("Missing model file"), dir.filePath(file));
        members.push_back({stringField(m, "run_id"), config.value(), m.value("weight", 1.0), f.readAll()});
    }
    return EnsembleModel(std::move(spec).value(), std::move(members), stringField(e, "metric"));
}

Result<Predictions> EnsembleModel::predict(const Table &table, int threads,
                                           const std::vector<int64_t> *rows) const
{
    Predictions out;
    out.classification = m_spec.classification;
    out.classes = m_spec.classification ? int(m_spec.classes.size()) : 0;

    std::optional<XgbMatrix> treeMatrix, linearMatrix;
    double totalWeight = 0;
    for (const EnsembleMember &member : m_members) {
        std::optional<XgbMatrix> &matrix = member.config.usesLinearFeatures() ? linearMatrix : treeMatrix;
        if (!matrix) {
            auto features = member.config.usesLinearFeatures() ? linearFeatures(m_spec, table, rows)
                                                               : treeFeatures(m_spec, table, rows);
            if (!features)
                return features.error();
            auto created = XgbMatrix::fromDense(features->values, features->rows, features->cols, threads);
            if (!created)
                return created.error();
            if (!member.config.usesLinearFeatures()) {
                if (Status s = created->setFeatureTypes(m_spec.treeFeatureTypes()); !s)
                    return s.error();
            }
            matrix = std::move(created).value();
        }
        auto booster = XgbBooster::fromJson(member.modelJson);
        if (!booster)
            return booster.error();
        if (Status s = booster->setParam("nthread", std::to_string(threads)); !s)
            return s.error();
        size_t groups = 1;
        auto predicted = booster->predict(*matrix, 0, &groups);
        if (!predicted)
            return predicted.error();
        const std::vector<double> scored = toScoringSpace(m_spec, predicted.value(), groups);
        const double w = member.weight;
        totalWeight += w;
        std::vector<double> &sum = out.classification ? out.probabilities : out.values;
        sum.resize(scored.size(), 0.0);
        for (size_t i = 0; i < scored.size(); ++i)
            sum[i] += w * scored[i];
    }
    if (totalWeight <= 0)
        return makeError(ErrorKind::Internal, QStringLiteral("model.empty"),
                         QStringLiteral("The ensemble has no members"));
    for (double &p : out.probabilities)
        p /= totalWeight;
    for (double &v : out.values)
        v /= totalWeight;
    return out;
}

} // namespace baton
