#include "ModelExplanation.h"

#include "core/ml/XgbBooster.h"

#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace baton {

namespace {

constexpr size_t kMaxRows = 2000;        // permutation importance cost grows with rows x features
constexpr size_t kMaxShapRows = 500;
constexpr size_t kShapProbeRows = 20; // timed first, to size the rest to the time left

// The metric of a single member's raw predictions against the truth, in "larger is worse" form.
double loss(const PreprocessSpec &spec, MetricId metric, const std::vector<float> &raw, size_t groups,
            const std::vector<int> &classTruth, const std::vector<double> &truth)
{
    const std::vector<double> scored = toScoringSpace(spec, raw, groups);
    if (spec.classification) {
        const int k = int(spec.classes.size());
        if (metric == MetricId::Accuracy)
            return -metrics::accuracy(classTruth, metrics::argmax(scored, k));
        return metrics::logLoss(classTruth, scored, k);
    }
    return metric == MetricId::Mae ? metrics::mae(truth, scored) : metrics::rmse(truth, scored);
}

} // namespace

Result<Explanations> explainModel(const EnsembleModel &model, const Table &table,
                                  const std::vector<int64_t> &rowsIn, MetricId metric, int threads,
                                  uint64_t seed, QDeadlineTimer deadline)
{
    const auto member = std::max_element(
        model.members().begin(), model.members().end(), [](const EnsembleMember &a, const EnsembleMember &b) {
            // the heaviest tree member; linear members have no gain or tree SHAP
            const bool treeA = !a.config.usesLinearFeatures();
            const bool treeB = !b.config.usesLinearFeatures();
            if (treeA != treeB)
                return !treeA;
            return a.weight < b.weight;
        });
    if (member == model.members().end() || member->config.usesLinearFeatures()) {
        return makeError(ErrorKind::NotFound, QStringLiteral("explain.no_tree"),
                         QStringLiteral("The ensemble has no tree model to explain"));
    }
    const PreprocessSpec &spec = model.spec();
    std::vector<int64_t> rows = rowsIn;
    if (rows.size() > kMaxRows) {
        std::mt19937_64 rng(seed);
        for (size_t i = rows.size(); i > 1; --i)
            std::swap(rows[i - 1], rows[size_t(rng() % i)]);
        rows.resize(kMaxRows);
    }
    auto features = treeFeatures(spec, table, &rows);
    if (!features)
        return features.error();
    auto booster = XgbBooster::fromJson(member->modelJson);
    if (!booster)
        return booster.error();
    if (Status s = booster->setParam("nthread", std::to_string(threads)); !s)
        return s.error();

    Explanations out;
    out.runId = member->runId;
    for (const std::string &name : spec.treeFeatureNames())
        out.featureNames.push_back(QString::fromStdString(name));
    const size_t f = features->cols;

    // gain, by XGBoost's feature index names f0..fN
    auto gain = booster->featureImportance("total_gain");
    if (!gain)
        return gain.error();
    out.gainImportance.assign(f, 0.0);
    for (const auto &[name, value] : gain.value()) {
        bool ok = false;
        const int index = QString::fromStdString(name).mid(1).toInt(&ok);
        if (ok && index >= 0 && size_t(index) < f)
            out.gainImportance[size_t(index)] = value;
    }

    std::vector<int> classTruth;
    std::vector<double> truth;
    if (spec.classification) {
        const auto byRow = classIndices(spec, table);
        for (int64_t r : rows)
            classTruth.push_back(byRow[size_t(r)]);
    } else {
        truth = rawTargetValues(table, spec.target, rows);
    }
    auto predictOn = [&](const std::vector<float> &values, size_t *groups) -> Result<std::vector<float>> {
        auto matrix = XgbMatrix::fromDense(values, rows.size(), f, threads);
        if (!matrix)
            return matrix.error();
        if (Status s = matrix->setFeatureTypes(spec.treeFeatureTypes()); !s)
            return s.error();
        return booster->predict(matrix.value(), 0, groups);
    };
    size_t groups = 1;
    auto base = predictOn(features->values, &groups);
    if (!base)
        return base.error();
    const double baseLoss = loss(spec, metric, base.value(), groups, classTruth, truth);
    std::mt19937_64 rng(seed ^ 0x5bd1e995ULL);
    out.permutationImportance.assign(f, 0.0);
    std::vector<float> shuffled = features->values;
    // most gain first, so a deadline leaves out the features that matter least
    std::vector<size_t> order(f);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return out.gainImportance[a] > out.gainImportance[b]; });
    size_t permuted = 0;
    for (size_t j : order) {
        if (out.gainImportance[j] <= 0) // no split on it: shuffling cannot change a prediction
            continue;
        if (deadline.hasExpired())
            break;
        ++permuted;
        std::vector<float> column(rows.size());
        for (size_t i = 0; i < rows.size(); ++i)
            column[i] = features->values[i * f + j];
        for (size_t i = column.size(); i > 1; --i)
            std::swap(column[i - 1], column[size_t(rng() % i)]);
        for (size_t i = 0; i < rows.size(); ++i)
            shuffled[i * f + j] = column[i];
        auto predicted = predictOn(shuffled, &groups);
        if (!predicted)
            return predicted.error();
        out.permutationImportance[j] = std::max(0.0, loss(spec, metric, predicted.value(), groups, classTruth, truth) - baseLoss);
        for (size_t i = 0; i < rows.size(); ++i)
            shuffled[i * f + j] = features->values[i * f + j];
    }

    const auto withGain = size_t(std::count_if(out.gainImportance.begin(), out.gainImportance.end(),
                                               [](double g) { return g > 0; }));
    QStringList cut;
    if (permuted < withGain)
        cut << QStringLiteral("permutation importance for the %1 features with the most gain of %2 (the "
                              "others left at zero)")
                   .arg(permuted)
                   .arg(withGain);

    if ((!spec.classification || spec.classes.size() == 2) && !deadline.hasExpired()) {
        auto contributionsOf = [&](size_t first, size_t count) -> Result<std::vector<float>> {
            std::vector<float> block(features->values.begin() + std::ptrdiff_t(first * f),
                                     features->values.begin() + std::ptrdiff_t((first + count) * f));
            auto matrix = XgbMatrix::fromDense(block, count, f, threads);
            if (!matrix)
                return matrix.error();
            if (Status s = matrix->setFeatureTypes(spec.treeFeatureTypes()); !s)
                return s.error();
            size_t width = 0;
            auto values = booster->contributions(matrix.value(), &width);
            if (values && width != f + 1)
                return makeError(ErrorKind::Internal, QStringLiteral("explain.shap_width"),
                                 QStringLiteral("SHAP values have %1 columns for %2 features").arg(width).arg(f));
            return values;
        };
        const size_t wanted = std::min(rows.size(), kMaxShapRows);
        const size_t probe = std::min(wanted, kShapProbeRows);
        QElapsedTimer clock;
        clock.start();
        auto first = contributionsOf(0, probe);
        if (first) {
            out.contributions = std::move(first).value();
            // tree SHAP's cost is linear in rows: size the rest to the time left
            const double perRowMs = double(clock.nsecsElapsed()) / 1e6 / double(std::max<size_t>(1, probe));
            const double fitting = deadline.isForever()
                                       ? double(wanted - probe)
                                       : double(deadline.remainingTime()) / std::max(1e-3, perRowMs);
            const auto more = size_t(std::clamp(fitting, 0.0, double(wanted - probe)));
            if (more > 0) {
                auto rest = contributionsOf(probe, more);
                if (rest)
                    out.contributions.insert(out.contributions.end(), rest->begin(), rest->end());
            }
            if (probe + more < wanted)
                cut << QStringLiteral("SHAP values for %1 of %2 rows").arg(probe + more).arg(wanted);
        }
    } else if (!spec.classification || spec.classes.size() == 2) {
        cut << QStringLiteral("no SHAP values");
    }
    if (!cut.isEmpty())
        out.shortened = QStringLiteral("Within the time budget: ") + cut.join(QStringLiteral("; "));
    return out;
}

} // namespace baton
