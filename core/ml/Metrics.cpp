#include "Metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace baton {

namespace metrics {

double rmse(const std::vector<double> &truth, const std::vector<double> &pred)
{
    double sum = 0;
    for (size_t i = 0; i < truth.size(); ++i)
        sum += (truth[i] - pred[i]) * (truth[i] - pred[i]);
    return truth.empty() ? 0.0 : std::sqrt(sum / double(truth.size()));
}

double mae(const std::vector<double> &truth, const std::vector<double> &pred)
{
    double sum = 0;
    for (size_t i = 0; i < truth.size(); ++i)
        sum += std::abs(truth[i] - pred[i]);
    return truth.empty() ? 0.0 : sum / double(truth.size());
}

double r2(const std::vector<double> &truth, const std::vector<double> &pred)
{
    if (truth.empty())
        return 0.0;
    const double mean = std::accumulate(truth.begin(), truth.end(), 0.0) / double(truth.size());
    double residual = 0, total = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
        residual += (truth[i] - pred[i]) * (truth[i] - pred[i]);
        total += (truth[i] - mean) * (truth[i] - mean);
    }
    if (total == 0) // scikit-learn: 1 for a perfect fit of a constant, else 0
        return residual == 0 ? 1.0 : 0.0;
    return 1.0 - residual / total;
}

std::optional<double> rmsle(const std::vector<double> &truth, const std::vector<double> &pred)
{
    double sum = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] <= -1 || pred[i] <= -1)
            return std::nullopt;
        const double d = std::log1p(truth[i]) - std::log1p(pred[i]);
        sum += d * d;
    }
    return truth.empty() ? 0.0 : std::sqrt(sum / double(truth.size()));
}

double accuracy(const std::vector<int> &truth, const std::vector<int> &pred)
{
    size_t right = 0;
    for (size_t i = 0; i < truth.size(); ++i)
        right += truth[i] == pred[i];
    return truth.empty() ? 0.0 : double(right) / double(truth.size());
}

double balancedAccuracy(const std::vector<int> &truth, const std::vector<int> &pred, int classes)
{
    std::vector<double> hits(size_t(classes), 0), support(size_t(classes), 0);
    for (size_t i = 0; i < truth.size(); ++i) {
        support[size_t(truth[i])] += 1;
        hits[size_t(truth[i])] += truth[i] == pred[i];
    }
    double sum = 0;
    int present = 0;
    for (int c = 0; c < classes; ++c) {
        if (support[size_t(c)] > 0) {
            sum += hits[size_t(c)] / support[size_t(c)];
            ++present;
        }
    }
    return present ? sum / present : 0.0;
}

double f1(const std::vector<int> &truth, const std::vector<int> &pred, int classes)
{
    auto f1Of = [&](int c) {
        double tp = 0, fp = 0, fn = 0;
        for (size_t i = 0; i < truth.size(); ++i) {
            tp += truth[i] == c && pred[i] == c;
            fp += truth[i] != c && pred[i] == c;
            fn += truth[i] == c && pred[i] != c;
        }
        return tp == 0 ? 0.0 : 2 * tp / (2 * tp + fp + fn);
    };
    if (classes == 2)
        return f1Of(1);
    double sum = 0;
    for (int c = 0; c < classes; ++c)
        sum += f1Of(c);
    return classes ? sum / classes : 0.0;
}

double logLoss(const std::vector<int> &truth, const std::vector<double> &probabilities, int classes)
{
    // scikit-learn clips to [eps, 1 - eps] with eps = machine epsilon of float64
    const double eps = std::numeric_limits<double>::epsilon();
    double sum = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
        // renormalise the row like scikit-learn does
        double rowSum = 0;
        for (int c = 0; c < classes; ++c)
            rowSum += std::clamp(probabilities[i * size_t(classes) + size_t(c)], eps, 1 - eps);
        const double p = std::clamp(probabilities[i * size_t(classes) + size_t(truth[i])], eps, 1 - eps);
        sum -= std::log(p / rowSum);
    }
    return truth.empty() ? 0.0 : sum / double(truth.size());
}

namespace {
// AUC of scores for positives vs negatives, ties counted half (Mann-Whitney U).
std::optional<double> binaryAuc(const std::vector<int> &isPositive, const std::vector<double> &scores)
{
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    double positives = 0, rankSum = 0;
    size_t i = 0;
    while (i < order.size()) {
        size_t j = i;
        while (j + 1 < order.size() && scores[order[j + 1]] == scores[order[i]])
            ++j;
        const double averageRank = (double(i) + double(j)) / 2.0 + 1.0;
        for (size_t k = i; k <= j; ++k) {
            if (isPositive[order[k]]) {
                rankSum += averageRank;
                positives += 1;
            }
        }
        i = j + 1;
    }
    const double negatives = double(scores.size()) - positives;
    if (positives == 0 || negatives == 0)
        return std::nullopt;
    return (rankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
}
} // namespace

std::optional<double> rocAuc(const std::vector<int> &truth, const std::vector<double> &probabilities,
                             int classes)
{
    const size_t n = truth.size();
    if (classes == 2) {
        std::vector<int> positive(n);
        std::vector<double> scores(n);
        for (size_t i = 0; i < n; ++i) {
            positive[i] = truth[i] == 1;
            scores[i] = probabilities[i * 2 + 1];
        }
        return binaryAuc(positive, scores);
    }
    double sum = 0;
    for (int c = 0; c < classes; ++c) {
        std::vector<int> positive(n);
        std::vector<double> scores(n);
        for (size_t i = 0; i < n; ++i) {
            positive[i] = truth[i] == c;
            scores[i] = probabilities[i * size_t(classes) + size_t(c)];
        }
        const auto auc = binaryAuc(positive, scores);
        if (!auc)
            return std::nullopt;
        sum += *auc;
    }
    return sum / classes;
}

std::vector<int> argmax(const std::vector<double> &probabilities, int classes)
{
    const size_t n = classes ? probabilities.size() / size_t(classes) : 0;
    std::vector<int> out(n);
    for (size_t i = 0; i < n; ++i) {
        const auto row = probabilities.begin() + std::ptrdiff_t(i * size_t(classes));
        out[i] = int(std::max_element(row, row + classes) - row);
    }
    return out;
}

} // namespace metrics

namespace {
struct MetricInfo
{
    MetricId id;
    const char *name;
    bool higherBetter;
    bool classification;
};
constexpr MetricInfo kMetrics[] = {
    {MetricId::Rmse, "rmse", false, false},
    {MetricId::Mae, "mae", false, false},
    {MetricId::R2, "r2", true, false},
    {MetricId::Rmsle, "rmsle", false, false},
    {MetricId::Accuracy, "accuracy", true, true},
    {MetricId::BalancedAccuracy, "balanced_accuracy", true, true},
    {MetricId::F1, "f1", true, true},
    {MetricId::LogLoss, "log_loss", false, true},
    {MetricId::RocAuc, "roc_auc", true, true},
};
const MetricInfo &info(MetricId id)
{
    for (const MetricInfo &m : kMetrics) {
        if (m.id == id)
            return m;
    }
    return kMetrics[0];
}
} // namespace

QString metricName(MetricId id)
{
    return QString::fromLatin1(info(id).name);
}

std::optional<MetricId> metricFromName(const QString &name)
{
    for (const MetricInfo &m : kMetrics) {
        if (name == QLatin1String(m.name))
            return m.id;
    }
    return std::nullopt;
}

bool higherIsBetter(MetricId id)
{
    return info(id).higherBetter;
}

bool isClassificationMetric(MetricId id)
{
    return info(id).classification;
}

} // namespace baton
