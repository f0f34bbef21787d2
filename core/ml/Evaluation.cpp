#include "Evaluation.h"

#include "Metrics.h"
#include "core/conductor/EventNames.h"
#include "core/project/Assets.h"
#include "core/report/Charts.h"

#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QPointF>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace baton {

namespace {

Q_LOGGING_CATEGORY(lcEvaluation, "baton.ml.evaluation")

// Events travel over the WebSocket, so inline data is capped; the JSON files keep everything.
constexpr size_t kInlineCurvePoints = 1000;
constexpr size_t kInlineFeatures = 100;
constexpr size_t kSampledRows = 1000;
constexpr size_t kChartFeatures = 20;
constexpr size_t kShapSampleRows = 10;
constexpr int kChartClasses = 10;
constexpr int kCalibrationBins = 10;

// Chart titles and axis labels are user-visible text: translatable, context "Evaluation".
class Tr
{
    Q_DECLARE_TR_FUNCTIONS(Evaluation)
};

Error invalid(const QString &message)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("evaluation.invalid_input"), message);
}

json number(std::optional<double> v)
{
    return v && std::isfinite(*v) ? json(*v) : json(nullptr);
}

json number(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}

int classCount(const EvaluationInput &in)
{
    if (!in.classLabels.isEmpty())
        return int(in.classLabels.size());
    return in.classTruth.empty() ? 0 : int(in.probabilities.size() / in.classTruth.size());
}

QString classLabel(const EvaluationInput &in, int c)
{
    return c < in.classLabels.size() ? in.classLabels[c] : QString::number(c);
}

// Labels that read as integers go out as numbers, as upstream's pandas-typed labels do ([0, 1]).
json labelJson(const QString &text)
{
    bool ok = false;
    const qlonglong v = text.toLongLong(&ok);
    if (ok && QString::number(v) == text)
        return v;
    return toStd(text);
}

json labelsJson(const EvaluationInput &in, int k)
{
    json out = json::array();
    for (int c = 0; c < k; ++c)
        out.push_back(labelJson(classLabel(in, c)));
    return out;
}

QStringList labelTexts(const EvaluationInput &in, int k)
{
    QStringList out;
    for (int c = 0; c < k; ++c)
        out << classLabel(in, c);
    return out;
}

double mean(const std::vector<double> &v)
{
    return v.empty() ? std::numeric_limits<double>::quiet_NaN()
                     : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

// numpy's std (ddof = 0).
double populationStd(const std::vector<double> &v)
{
    const double m = mean(v);
    double sum = 0;
    for (double x : v)
        sum += (x - m) * (x - m);
    return v.empty() ? std::numeric_limits<double>::quiet_NaN() : std::sqrt(sum / double(v.size()));
}

json stats(const std::vector<double> &v)
{
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return {{"mean", number(mean(v))},
            {"std", number(populationStd(v))},
            {"min", v.empty() ? json(nullptr) : number(*lo)},
            {"max", v.empty() ? json(nullptr) : number(*hi)}};
}

// Evenly spaced row indices, first and last included; deterministic so reruns write equal files.
std::vector<size_t> spreadIndices(size_t size, size_t limit)
{
    std::vector<size_t> idx;
    if (size <= limit) {
        idx.resize(size);
        std::iota(idx.begin(), idx.end(), size_t(0));
        return idx;
    }
    idx.reserve(limit);
    for (size_t j = 0; j < limit; ++j)
        idx.push_back(size_t(std::llround(double(j) * double(size - 1) / double(limit - 1))));
    return idx;
}

json pick(const std::vector<double> &v, const std::vector<size_t> &idx)
{
    json out = json::array();
    for (size_t i : idx) {
        if (i < v.size())
            out.push_back(number(v[i]));
    }
    return out;
}

// --- classification ----------------------------------------------------------------------------

struct ClassificationStats
{
    int k = 0;
    size_t n = 0;
    std::vector<int> predicted;
    std::vector<std::vector<long long>> confusion; // [true][predicted]
    std::vector<double> support, predictedCount;
    std::vector<double> precision, recall, f1; // per class; 0 when undefined (zero_division=0)
    double accuracy = 0, balancedAccuracy = 0;
    double weightedPrecision = 0, weightedRecall = 0, weightedF1 = 0;
    double mcc = 0;
    std::optional<double> kappa, rocAuc, averagePrecision, logLoss;
};

std::vector<int> positiveFlags(const std::vector<int> &truth, int c)
{
    std::vector<int> out(truth.size());
    for (size_t i = 0; i < truth.size(); ++i)
        out[i] = truth[i] == c;
    return out;
}

std::vector<double> column(const std::vector<double> &probabilities, int k, int c)
{
    const size_t n = probabilities.size() / size_t(k);
    std::vector<double> out(n);
    for (size_t i = 0; i < n; ++i)
        out[i] = probabilities[i * size_t(k) + size_t(c)];
    return out;
}

ClassificationStats computeClassification(const EvaluationInput &in)
{
    ClassificationStats st;
    st.k = classCount(in);
    st.n = in.classTruth.size();
    const size_t k = size_t(st.k);
    st.predicted = metrics::argmax(in.probabilities, st.k);
    st.confusion.assign(k, std::vector<long long>(k, 0));
    for (size_t i = 0; i < st.n; ++i)
        ++st.confusion[size_t(in.classTruth[i])][size_t(st.predicted[i])];

    st.support.assign(k, 0);
    st.predictedCount.assign(k, 0);
    for (size_t t = 0; t < k; ++t) {
        for (size_t p = 0; p < k; ++p) {
            st.support[t] += double(st.confusion[t][p]);
            st.predictedCount[p] += double(st.confusion[t][p]);
        }
    }
    st.precision.assign(k, 0);
    st.recall.assign(k, 0);
    st.f1.assign(k, 0);
    double supportTotal = 0;
    for (size_t c = 0; c < k; ++c) {
        const double tp = double(st.confusion[c][c]);
        st.precision[c] = st.predictedCount[c] > 0 ? tp / st.predictedCount[c] : 0.0;
        st.recall[c] = st.support[c] > 0 ? tp / st.support[c] : 0.0;
        const double denom = st.precision[c] + st.recall[c];
        // scikit-learn's F-beta from precision and recall (not from counts) for bit-equal results.
        st.f1[c] = denom > 0 ? 2 * st.precision[c] * st.recall[c] / denom : 0.0;
        st.weightedPrecision += st.precision[c] * st.support[c];
        st.weightedRecall += st.recall[c] * st.support[c];
        st.weightedF1 += st.f1[c] * st.support[c];
        supportTotal += st.support[c];
    }
    st.weightedPrecision /= supportTotal;
    st.weightedRecall /= supportTotal;
    st.weightedF1 /= supportTotal;

    st.accuracy = metrics::accuracy(in.classTruth, st.predicted);
    st.balancedAccuracy = metrics::balancedAccuracy(in.classTruth, st.predicted, st.k);

    // matthews_corrcoef, multiclass form (reduces to the binary formula)
    const double samples = double(st.n);
    double trace = 0, dotTp = 0, dotPp = 0, dotTt = 0;
    for (size_t c = 0; c < k; ++c) {
        trace += double(st.confusion[c][c]);
        dotTp += st.support[c] * st.predictedCount[c];
        dotPp += st.predictedCount[c] * st.predictedCount[c];
        dotTt += st.support[c] * st.support[c];
    }
    const double covYtYp = trace * samples - dotTp;
    const double covYpYp = samples * samples - dotPp;
    const double covYtYt = samples * samples - dotTt;
    st.mcc = covYpYp * covYtYt == 0 ? 0.0 : covYtYp / std::sqrt(covYtYt * covYpYp);

    // cohen_kappa_score (unweighted): observed vs chance disagreement
    double observed = 0, expected = 0;
    for (size_t a = 0; a < k; ++a) {
        for (size_t b = 0; b < k; ++b) {
            if (a == b)
                continue;
            observed += double(st.confusion[a][b]);
            expected += st.predictedCount[a] * st.support[b] / samples;
        }
    }
    if (expected != 0)
        st.kappa = 1 - observed / expected;

    st.logLoss = metrics::logLoss(in.classTruth, in.probabilities, st.k);

    if (st.k == 2) {
        const std::vector<int> positive = positiveFlags(in.classTruth, 1);
        const std::vector<double> scores = column(in.probabilities, 2, 1);
        if (const auto roc = evaluation::rocCurve(positive, scores))
            st.rocAuc = roc->auc;
        if (const auto pr = evaluation::precisionRecallCurve(positive, scores))
            st.averagePrecision = pr->averagePrecision;
    } else {
        // roc_auc_score(multi_class="ovr", average="weighted"); undefined when a class is absent
        double weighted = 0;
        bool defined = true;
        for (int c = 0; c < st.k && defined; ++c) {
            const auto roc = evaluation::rocCurve(positiveFlags(in.classTruth, c),
                                                  column(in.probabilities, st.k, c));
            if (!roc)
                defined = false;
            else
                weighted += roc->auc * st.support[size_t(c)];
        }
        if (defined)
            st.rocAuc = weighted / supportTotal;
        // average_precision_score has no multiclass form in scikit-learn 1.2: stays null.
    }
    return st;
}

// --- regression --------------------------------------------------------------------------------

struct RegressionStats
{
    size_t n = 0;
    double mse = 0, rmse = 0, mae = 0, medianAe = 0, r2 = 0, explainedVariance = 0, maxError = 0;
    std::optional<double> mape, smape;
    std::vector<double> residuals; // truth - prediction
};

RegressionStats computeRegression(const EvaluationInput &in)
{
    RegressionStats st;
    st.n = in.truth.size();
    const double n = double(st.n);
    st.residuals.resize(st.n);
    std::vector<double> absolute(st.n);
    double squared = 0;
    for (size_t i = 0; i < st.n; ++i) {
        st.residuals[i] = in.truth[i] - in.prediction[i];
        absolute[i] = std::abs(st.residuals[i]);
        squared += st.residuals[i] * st.residuals[i];
        st.maxError = std::max(st.maxError, absolute[i]);
    }
    st.mse = squared / n;
    st.rmse = metrics::rmse(in.truth, in.prediction);
    st.mae = metrics::mae(in.truth, in.prediction);
    st.r2 = metrics::r2(in.truth, in.prediction);

    std::vector<double> sorted = absolute;
    std::sort(sorted.begin(), sorted.end());
    st.medianAe = st.n % 2 ? sorted[st.n / 2] : (sorted[st.n / 2 - 1] + sorted[st.n / 2]) / 2.0;

    // explained_variance_score with force_finite=True
    const double residualMean = mean(st.residuals);
    const double truthMean = mean(in.truth);
    double numerator = 0, denominator = 0;
    for (size_t i = 0; i < st.n; ++i) {
        numerator += (st.residuals[i] - residualMean) * (st.residuals[i] - residualMean);
        denominator += (in.truth[i] - truthMean) * (in.truth[i] - truthMean);
    }
    numerator /= n;
    denominator /= n;
    if (numerator == 0)
        st.explainedVariance = 1.0;
    else if (denominator == 0)
        st.explainedVariance = 0.0;
    else
        st.explainedVariance = 1 - numerator / denominator;

    // MAPE ignores zero targets (protocol §8.7); sMAPE counts 0 vs 0 as a perfect prediction.
    double apeSum = 0, smapeSum = 0;
    size_t apeCount = 0;
    for (size_t i = 0; i < st.n; ++i) {
        if (in.truth[i] != 0) {
            apeSum += absolute[i] / std::abs(in.truth[i]);
            ++apeCount;
        }
        const double scale = std::abs(in.truth[i]) + std::abs(in.prediction[i]);
        if (scale > 0)
            smapeSum += 2 * absolute[i] / scale;
    }
    if (apeCount)
        st.mape = 100.0 * apeSum / double(apeCount);
    st.smape = 100.0 * smapeSum / n;
    return st;
}

// --- feature importance ------------------------------------------------------------------------

struct Ranked
{
    QString feature;
    double importance;
};

std::vector<Ranked> ranked(const std::vector<QString> &names, const std::vector<double> &values)
{
    std::vector<Ranked> out;
    out.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        out.push_back({names[i], values[i]});
    std::stable_sort(out.begin(), out.end(),
                     [](const Ranked &a, const Ranked &b) { return a.importance > b.importance; });
    return out;
}

json rankingJson(const std::vector<Ranked> &list, size_t limit)
{
    json out = json::array();
    for (size_t i = 0; i < std::min(limit, list.size()); ++i)
        out.push_back(
            {{"feature", toStd(list[i].feature)}, {"importance", number(list[i].importance)}});
    return out;
}

std::vector<charts::Bar> topBars(const std::vector<Ranked> &list)
{
    std::vector<charts::Bar> bars;
    for (const Ranked &r : list)
        bars.push_back({r.feature, r.importance});
    return bars;
}

// --- writing -----------------------------------------------------------------------------------

class ArtifactWriter
{
public:
    ArtifactWriter(const EvaluationInput &input, const QString &assetsDir, const QString &projectId)
        : m_input(input)
        , m_assetsDir(assetsDir)
        , m_projectId(projectId)
        , m_charts(charts::available())
    {
        if (!m_charts)
            qCInfo(lcEvaluation) << "no QGuiApplication: evaluation charts are skipped, JSON only";
    }

    bool chartsEnabled() const { return m_charts; }

    // Writes <runId>_<suffix>.json (+ .png) and records the artifact.
    Status add(ArtifactEvent event, const QString &suffix, const json &content, const QImage &chart)
    {
        const QString base = QStringLiteral("evaluation/%1_%2").arg(m_input.runId, suffix);
        const QString jsonPath = base + QStringLiteral(".json");
        if (Status st = writeJsonFile(QDir(m_assetsDir).filePath(jsonPath), content); !st)
            return st;
        event.url = assetUrl(m_projectId, jsonPath);
        if (!event.meta.is_object())
            event.meta = json::object();
        if (!chart.isNull()) {
            const QString pngPath = base + QStringLiteral(".png");
            if (Status st = writePngFile(QDir(m_assetsDir).filePath(pngPath), chart); !st)
                return st;
            event.pngUrl = assetUrl(m_projectId, pngPath);
            event.meta["png_url"] = toStd(event.pngUrl);
        }
        if (!event.readyEvent.isEmpty()) {
            json payload = {{"run_id", toStd(m_input.runId)}};
            payload.update(event.readyPayload);
            payload["asset_url"] = toStd(event.url);
            if (!event.pngUrl.isEmpty())
                payload["png_url"] = toStd(event.pngUrl);
            event.readyPayload = std::move(payload);
        } else {
            event.readyPayload = json::object();
        }
        m_events.push_back(std::move(event));
        return {};
    }

    std::vector<ArtifactEvent> take() { return std::move(m_events); }

private:
    const EvaluationInput &m_input;
    QString m_assetsDir;
    QString m_projectId;
    bool m_charts;
    std::vector<ArtifactEvent> m_events;
};

ArtifactEvent artifact(const char *type, const QString &id, const QString &name, json meta,
                       const char *readyEvent = nullptr, json readyPayload = json::object())
{
    ArtifactEvent e;
    e.type = QString::fromLatin1(type);
    e.id = id;
    e.name = name;
    e.meta = std::move(meta);
    if (readyEvent)
        e.readyEvent = QString::fromLatin1(readyEvent);
    e.readyPayload = std::move(readyPayload);
    return e;
}

charts::ChartOptions chartOptions(const QString &title, const QString &xLabel,
                                  const QString &yLabel)
{
    charts::ChartOptions o;
    o.title = title;
    o.xLabel = xLabel;
    o.yLabel = yLabel;
    return o;
}

std::vector<QPointF> toPoints(const std::vector<double> &xs, const std::vector<double> &ys)
{
    std::vector<QPointF> out;
    out.reserve(std::min(xs.size(), ys.size()));
    for (size_t i = 0; i < std::min(xs.size(), ys.size()); ++i)
        out.emplace_back(xs[i], ys[i]);
    return out;
}

json curveJson(const evaluation::RocCurve &roc, bool inlineOnly)
{
    const std::vector<size_t> idx
        = spreadIndices(roc.fpr.size(), inlineOnly ? kInlineCurvePoints : roc.fpr.size());
    json out = {{"fpr", pick(roc.fpr, idx)},
                {"tpr", pick(roc.tpr, idx)},
                {"thresholds", pick(roc.thresholds, idx)},
                {"auc", number(roc.auc)}};
    if (idx.size() < roc.fpr.size())
        out["downsampled_from"] = roc.fpr.size();
    return out;
}

json prJson(const evaluation::PrCurve &pr, bool inlineOnly)
{
    const size_t size = pr.precision.size();
    const std::vector<size_t> idx = spreadIndices(size, inlineOnly ? kInlineCurvePoints : size);
    json out = {{"precision", pick(pr.precision, idx)},
                {"recall", pick(pr.recall, idx)},
                {"thresholds", pick(pr.thresholds, idx)},
                {"average_precision", number(pr.averagePrecision)}};
    if (idx.size() < size)
        out["downsampled_from"] = size;
    return out;
}

QString aucText(const char *what, double value)
{
    return QStringLiteral("%1 = %2").arg(QLatin1String(what), QString::number(value, 'f', 3));
}

Status addClassificationArtifacts(ArtifactWriter &w, const EvaluationInput &in,
                                  const ClassificationStats &st)
{
    const QString run = in.runId;
    const json labels = labelsJson(in, st.k);
    const QStringList labelText = labelTexts(in, st.k);

    // Confusion matrix (rows = true class, columns = predicted, class index order).
    {
        json ready = {{"matrix", st.confusion}, {"labels", labels}};
        if (st.k == 2) {
            ready["true_positives"] = st.confusion[1][1];
            ready["true_negatives"] = st.confusion[0][0];
            ready["false_positives"] = st.confusion[0][1];
            ready["false_negatives"] = st.confusion[1][0];
        }
        const json content
            = {{"confusion", st.confusion},           {"labels", labels},
               {"accuracy", number(st.accuracy)},     {"precision", number(st.weightedPrecision)},
               {"recall", number(st.weightedRecall)}, {"f1", number(st.weightedF1)}};
        QImage chart;
        if (w.chartsEnabled()) {
            std::vector<std::vector<double>> cells(size_t(st.k), std::vector<double>(size_t(st.k)));
            for (size_t a = 0; a < size_t(st.k); ++a) {
                for (size_t b = 0; b < size_t(st.k); ++b)
                    cells[a][b] = double(st.confusion[a][b]);
            }
            charts::ChartOptions o = chartOptions(Tr::tr("Confusion matrix"),
                                                  Tr::tr("Predicted class"), Tr::tr("True class"));
            o.decimals = 0;
            chart = charts::heatmap(cells, labelText, labelText, o);
        }
        if (Status s = w.add(artifact("confusion_matrix", run + QStringLiteral("_confusion"),
                                      QStringLiteral("Confusion Matrix"),
                                      {{"accuracy", number(st.accuracy)}},
                                      events::ConfusionMatrixReady, ready),
                             QStringLiteral("confusion"), content, chart);
            !s)
            return s;
    }

    // ROC: the positive class for binary, one-vs-rest per class otherwise.
    if (st.k == 2) {
        const std::vector<int> positive = positiveFlags(in.classTruth, 1);
        const std::vector<double> scores = column(in.probabilities, 2, 1);
        if (const auto roc = evaluation::rocCurve(positive, scores)) {
            json content = curveJson(*roc, false);
            content["positive_label"] = labelJson(classLabel(in, 1));
            content["drop_intermediate"] = true;
            QImage chart;
            if (w.chartsEnabled()) {
                charts::ChartOptions o
                    = chartOptions(Tr::tr("ROC curve"), Tr::tr("False positive rate"),
                                   Tr::tr("True positive rate"));
                o.xMin = o.yMin = 0.0;
                o.xMax = o.yMax = 1.0;
                o.diagonal = true;
                chart = charts::lineChart(
                    {{aucText("AUC", roc->auc), toPoints(roc->fpr, roc->tpr)}}, o);
            }
            if (Status s = w.add(artifact("roc_curve", run + QStringLiteral("_roc"),
                                          QStringLiteral("ROC Curve"), {{"auc", number(roc->auc)}},
                                          events::RocCurveReady, curveJson(*roc, true)),
                                 QStringLiteral("roc_curve"), content, chart);
                !s)
                return s;
        }
    } else {
        json curves = json::array(), inlineCurves = json::array();
        std::vector<std::pair<int, evaluation::RocCurve>> drawn;
        for (int c = 0; c < st.k; ++c) {
            const auto roc = evaluation::rocCurve(positiveFlags(in.classTruth, c),
                                                  column(in.probabilities, st.k, c));
            if (!roc)
                continue;
            json curve = curveJson(*roc, false), small = curveJson(*roc, true);
            for (json *j : {&curve, &small}) {
                (*j)["label"] = labelJson(classLabel(in, c));
                (*j)["support"] = st.support[size_t(c)];
            }
            curves.push_back(std::move(curve));
            inlineCurves.push_back(std::move(small));
            drawn.emplace_back(c, *roc);
        }
        if (!drawn.empty()) {
            const json head
                = {{"multi_class", "ovr"}, {"average", "weighted"}, {"auc", number(st.rocAuc)}};
            json content = head;
            content["curves"] = std::move(curves);
            content["drop_intermediate"] = true;
            // Empty top-level arrays keep UIs that only know the binary shape from breaking.
            json ready = head;
            ready["curves"] = std::move(inlineCurves);
            ready["fpr"] = ready["tpr"] = ready["thresholds"] = json::array();
            QImage chart;
            if (w.chartsEnabled()) {
                // The largest classes only: a legend of 50 colours helps nobody.
                std::stable_sort(drawn.begin(), drawn.end(), [&](const auto &a, const auto &b) {
                    return st.support[size_t(a.first)] > st.support[size_t(b.first)];
                });
                if (drawn.size() > size_t(kChartClasses))
                    drawn.resize(size_t(kChartClasses));
                // back to class order so colours follow the class index, as in the legend
                std::sort(drawn.begin(), drawn.end(),
                          [](const auto &a, const auto &b) { return a.first < b.first; });
                std::vector<charts::Series> series;
                for (const auto &[c, roc] : drawn) {
                    series.push_back(
                        {QStringLiteral("%1 (%2)").arg(classLabel(in, c), aucText("AUC", roc.auc)),
                         toPoints(roc.fpr, roc.tpr)});
                }
                charts::ChartOptions o
                    = chartOptions(Tr::tr("ROC curves, one vs rest"), Tr::tr("False positive rate"),
                                   Tr::tr("True positive rate"));
                o.xMin = o.yMin = 0.0;
                o.xMax = o.yMax = 1.0;
                o.diagonal = true;
                o.maxItems = kChartClasses;
                chart = charts::lineChart(series, o);
            }
            if (Status s = w.add(artifact("roc_curve", run + QStringLiteral("_roc"),
                                          QStringLiteral("ROC Curve"), {{"auc", number(st.rocAuc)}},
                                          events::RocCurveReady, ready),
                                 QStringLiteral("roc_curve"), content, chart);
                !s)
                return s;
        }
    }

    if (st.k != 2)
        return {};
    const std::vector<int> positive = positiveFlags(in.classTruth, 1);
    const std::vector<double> scores = column(in.probabilities, 2, 1);
    const double prevalence = st.support[1] / double(st.n);

    if (const auto pr = evaluation::precisionRecallCurve(positive, scores)) {
        json content = prJson(*pr, false);
        content["positive_label"] = labelJson(classLabel(in, 1));
        QImage chart;
        if (w.chartsEnabled()) {
            charts::ChartOptions o = chartOptions(Tr::tr("Precision-recall curve"),
                                                  Tr::tr("Recall"), Tr::tr("Precision"));
            o.xMin = o.yMin = 0.0;
            o.xMax = o.yMax = 1.0;
            charts::Series curve{aucText("AP", pr->averagePrecision),
                                 toPoints(pr->recall, pr->precision)};
            curve.steps = true;
            // recall decreases along the arrays; steps-post needs increasing x
            std::reverse(curve.points.begin(), curve.points.end());
            charts::Series chance{
                Tr::tr("Chance (prevalence %1)").arg(QString::number(prevalence, 'f', 3)),
                {{0.0, prevalence}, {1.0, prevalence}}};
            chart = charts::lineChart({curve, chance}, o);
        }
        if (Status s = w.add(artifact("pr_curve", run + QStringLiteral("_pr"),
                                      QStringLiteral("Precision-Recall Curve"),
                                      {{"average_precision", number(pr->averagePrecision)}},
                                      events::PrecisionRecallCurveReady, prJson(*pr, true)),
                             QStringLiteral("pr_curve"), content, chart);
            !s)
            return s;
    }

    // Calibration (reliability diagram): no READY event in the protocol, ARTIFACT_ADDED only.
    {
        const evaluation::CalibrationCurve cal
            = evaluation::calibrationCurve(positive, scores, kCalibrationBins);
        double brier = 0;
        for (size_t i = 0; i < st.n; ++i)
            brier += (double(positive[i]) - scores[i]) * (double(positive[i]) - scores[i]);
        brier /= double(st.n);
        const json content = {{"prob_true", cal.probTrue},
                              {"prob_pred", cal.probPred},
                              {"bin_counts", cal.binCounts},
                              {"n_bins", kCalibrationBins},
                              {"strategy", "uniform"},
                              {"brier_score", number(brier)},
                              {"positive_label", labelJson(classLabel(in, 1))}};
        QImage chart;
        if (w.chartsEnabled()) {
            charts::ChartOptions o
                = chartOptions(Tr::tr("Calibration curve"), Tr::tr("Mean predicted probability"),
                               Tr::tr("Fraction of positives"));
            o.xMin = o.yMin = 0.0;
            o.xMax = o.yMax = 1.0;
            o.diagonal = true;
            charts::Series model{Tr::tr("Model (Brier %1)").arg(QString::number(brier, 'f', 3)),
                                 toPoints(cal.probPred, cal.probTrue)};
            model.markers = true;
            chart = charts::lineChart({model}, o);
        }
        if (Status s
            = w.add(artifact("calibration_curve", run + QStringLiteral("_calibration"),
                             QStringLiteral("Calibration Curve"), {{"brier_score", number(brier)}}),
                    QStringLiteral("calibration"), content, chart);
            !s)
            return s;
    }
    return {};
}

Status addRegressionArtifacts(ArtifactWriter &w, const EvaluationInput &in,
                              const RegressionStats &st)
{
    const QString run = in.runId;
    const std::vector<size_t> idx = spreadIndices(st.n, kSampledRows);
    const bool sampled = idx.size() < st.n;
    {
        json content = {{"residuals", pick(st.residuals, idx)},
                        {"sampled", sampled},
                        {"n_samples", st.n},
                        {"mean", number(mean(st.residuals))},
                        {"std", number(populationStd(st.residuals))},
                        {"y_true_stats", stats(in.truth)},
                        {"y_pred_stats", stats(in.prediction)}};
        const json ready
            = {{"mean", content["mean"]}, {"std", content["std"]}, {"n_samples", st.n}};
        QImage chart;
        if (w.chartsEnabled()) {
            charts::ChartOptions o
                = chartOptions(Tr::tr("Residuals vs predicted"), Tr::tr("Predicted value"),
                               Tr::tr("Residual (actual \u2212 predicted)"));
            o.zeroLine = true;
            chart = charts::scatter(toPoints(in.prediction, st.residuals), o);
        }
        if (Status s = w.add(artifact("residuals", run + QStringLiteral("_resid"),
                                      QStringLiteral("Residuals"), {{"rmse", number(st.rmse)}},
                                      events::ResidualsPlotReady, ready),
                             QStringLiteral("residuals"), content, chart);
            !s)
            return s;
    }
    {
        const json content = {{"y_true", pick(in.truth, idx)},
                              {"y_pred", pick(in.prediction, idx)},
                              {"sampled", sampled},
                              {"n_samples", st.n},
                              {"r2", number(st.r2)}};
        QImage chart;
        if (w.chartsEnabled()) {
            charts::ChartOptions o = chartOptions(
                Tr::tr("Predicted vs actual"), Tr::tr("Actual value"), Tr::tr("Predicted value"));
            o.diagonal = true;
            chart = charts::scatter(toPoints(in.truth, in.prediction), o);
        }
        if (Status s
            = w.add(artifact("predicted_vs_actual", run + QStringLiteral("_pred_vs_actual"),
                             QStringLiteral("Predicted vs Actual"), {{"r2", number(st.r2)}}),
                    QStringLiteral("pred_vs_actual"), content, chart);
            !s)
            return s;
    }
    return {};
}

Status addExplanationArtifacts(ArtifactWriter &w, const EvaluationInput &in)
{
    const QString run = in.runId;
    const size_t features = in.featureNames.size();

    // Model importance: gain as a share of the total (like XGBoost's feature_importances_), or
    // permutation importance alone when the model has no gain.
    const bool haveGain = !in.gainImportance.empty();
    const bool havePermutation = !in.permutationImportance.empty();
    if (haveGain || havePermutation) {
        std::vector<double> values = haveGain ? in.gainImportance : in.permutationImportance;
        if (haveGain) {
            const double total = std::accumulate(values.begin(), values.end(), 0.0);
            if (total > 0) {
                for (double &v : values)
                    v /= total;
            }
        }
        const std::vector<Ranked> list = ranked(in.featureNames, values);
        const char *method = haveGain ? "gain" : "permutation";
        json content = {{"feature_importance", rankingJson(list, list.size())},
                        {"method", method},
                        {"normalized", haveGain}};
        json ready = {{"features", rankingJson(list, kInlineFeatures)},
                      {"method", method},
                      {"n_features", list.size()}};
        std::vector<Ranked> permutation;
        if (haveGain && havePermutation) {
            permutation = ranked(in.featureNames, in.permutationImportance);
            content["permutation_importance"] = rankingJson(permutation, permutation.size());
            ready["permutation"] = rankingJson(permutation, kInlineFeatures);
        }
        QImage chart;
        if (w.chartsEnabled()) {
            charts::ChartOptions o
                = haveGain ? chartOptions(Tr::tr("Feature importance (gain)"),
                                          Tr::tr("Share of total gain"), {})
                           : chartOptions(Tr::tr("Permutation importance"),
                                          Tr::tr("Score drop when the feature is shuffled"), {});
            o.maxItems = int(kChartFeatures);
            chart = charts::barChart(topBars(list), o);
        }
        if (Status s = w.add(artifact("feature_importance", run + QStringLiteral("_fi"),
                                      QStringLiteral("Feature Importance"), {{"method", method}},
                                      events::FeatureImportanceReady, ready),
                             QStringLiteral("feature_importance"), content, chart);
            !s)
            return s;

        if (!permutation.empty()) {
            const json pContent
                = {{"permutation_importance", rankingJson(permutation, permutation.size())},
                   {"method", "permutation"}};
            QImage pChart;
            if (w.chartsEnabled()) {
                charts::ChartOptions o
                    = chartOptions(Tr::tr("Permutation importance"),
                                   Tr::tr("Score drop when the feature is shuffled"), {});
                o.maxItems = int(kChartFeatures);
                pChart = charts::barChart(topBars(permutation), o);
            }
            if (Status s = w.add(artifact("permutation_importance", run + QStringLiteral("_pi"),
                                          QStringLiteral("Permutation Importance"),
                                          {{"method", "permutation"}}),
                                 QStringLiteral("permutation_importance"), pContent, pChart);
                !s)
                return s;
        }
    }

    // SHAP summary from per-row contributions (XGBoost pred_contribs): mean |value| per feature.
    if (!in.contributions.empty()) {
        const size_t width = features + 1;
        const size_t rows = in.contributions.size() / width;
        std::vector<double> meanAbs(features, 0.0);
        double bias = 0;
        for (size_t r = 0; r < rows; ++r) {
            for (size_t f = 0; f < features; ++f)
                meanAbs[f] += std::abs(double(in.contributions[r * width + f]));
            bias += double(in.contributions[r * width + features]);
        }
        for (double &v : meanAbs)
            v /= double(rows);
        const double expected = bias / double(rows); // rows >= 1: validated non-empty
        const std::vector<Ranked> list = ranked(in.featureNames, meanAbs);

        auto globalJson = [&](size_t limit) {
            json out = json::object();
            for (size_t i = 0; i < std::min(limit, list.size()); ++i)
                out[toStd(list[i].feature)] = number(list[i].importance);
            return out;
        };
        auto namesJson = [&](size_t limit) {
            json out = json::array();
            if (limit >= features) { // original order when complete
                for (const QString &name : in.featureNames)
                    out.push_back(toStd(name));
            } else {
                for (size_t i = 0; i < limit; ++i)
                    out.push_back(toStd(list[i].feature));
            }
            return out;
        };
        json samples = json::array();
        for (size_t r = 0; r < std::min(rows, kShapSampleRows); ++r) {
            json row = json::array();
            for (size_t f = 0; f < features; ++f)
                row.push_back(number(double(in.contributions[r * width + f])));
            samples.push_back(std::move(row));
        }
        const json content = {{"available", true},
                              {"feature_names", namesJson(features)},
                              {"global_importance", globalJson(list.size())},
                              {"importance_ranking", rankingJson(list, list.size())},
                              {"sample_shap_values", samples},
                              {"expected_value", number(expected)},
                              {"n_samples", rows}};
        const json ready = {{"available", true},
                            {"feature_names", namesJson(std::min(features, kInlineFeatures))},
                            {"global_importance", globalJson(kInlineFeatures)},
                            {"importance_ranking", rankingJson(list, kInlineFeatures)},
                            {"expected_value", number(expected)},
                            {"n_samples", rows}};
        QImage chart;
        if (w.chartsEnabled()) {
            charts::ChartOptions o = chartOptions(
                Tr::tr("SHAP summary"), Tr::tr("Mean |SHAP value| (impact on model output)"), {});
            o.maxItems = int(kChartFeatures);
            chart = charts::barChart(topBars(list), o);
        }
        if (Status s = w.add(artifact("shap_explanations", run + QStringLiteral("_shap"),
                                      QStringLiteral("SHAP Explanations"), json::object(),
                                      events::ShapExplanationsReady, ready),
                             QStringLiteral("shap"), content, chart);
            !s)
            return s;
    }
    return {};
}

json classificationPayload(const EvaluationInput &in, const ClassificationStats &st)
{
    json j = {{"run_id", toStd(in.runId)},
              {"accuracy", number(st.accuracy)},
              {"balanced_accuracy", number(st.balancedAccuracy)},
              {"precision", number(st.weightedPrecision)},
              {"recall", number(st.weightedRecall)},
              {"f1", number(st.weightedF1)},
              {"roc_auc", number(st.rocAuc)},
              {"mcc", number(st.mcc)},
              {"cohen_kappa", number(st.kappa)},
              {"log_loss", number(st.logLoss)},
              {"average_precision", number(st.averagePrecision)},
              {"n_classes", st.k},
              {"n_samples", st.n},
              {"class_labels", labelsJson(in, st.k)}};
    if (st.k == 2) {
        const double tp = double(st.confusion[1][1]), tn = double(st.confusion[0][0]);
        const double fp = double(st.confusion[0][1]), fn = double(st.confusion[1][0]);
        j["sensitivity"] = tp + fn > 0 ? json(tp / (tp + fn)) : json(nullptr);
        j["specificity"] = tn + fp > 0 ? json(tn / (tn + fp)) : json(nullptr);
        j["true_positives"] = st.confusion[1][1];
        j["true_negatives"] = st.confusion[0][0];
        j["false_positives"] = st.confusion[0][1];
        j["false_negatives"] = st.confusion[1][0];
    }
    json distribution = json::object();
    for (int c = 0; c < st.k; ++c)
        distribution[toStd(classLabel(in, c))] = qint64(st.support[size_t(c)]);
    j["class_distribution"] = std::move(distribution);
    j["precision_per_class"] = st.precision;
    j["recall_per_class"] = st.recall;
    j["f1_per_class"] = st.f1;
    std::vector<qint64> support;
    for (double s : st.support)
        support.push_back(qint64(s));
    j["support_per_class"] = support;
    return j;
}

json regressionPayload(const EvaluationInput &in, const RegressionStats &st)
{
    return {{"run_id", toStd(in.runId)},
            {"mse", number(st.mse)},
            {"rmse", number(st.rmse)},
            {"mae", number(st.mae)},
            {"median_ae", number(st.medianAe)},
            {"r2", number(st.r2)},
            {"explained_variance", number(st.explainedVariance)},
            {"max_error", number(st.maxError)},
            {"mape", number(st.mape)},
            {"smape", number(st.smape)},
            {"n_samples", st.n}};
}

json errorPayload(const EvaluationInput &in, const Error &error)
{
    return {{"run_id", toStd(in.runId)}, {"error", toStd(error.message)}};
}

} // namespace

// --- curves --------------------------------------------------------------------------------------

namespace evaluation {

namespace {

struct ClfCurve
{
    std::vector<double> fps, tps, thresholds;
};

// scikit-learn's _binary_clf_curve: cumulative counts at each distinct score, highest first.
ClfCurve binaryClfCurve(const std::vector<int> &positive, const std::vector<double> &scores)
{
    const size_t n = scores.size();
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return scores[a] > scores[b]; });
    ClfCurve c;
    double tps = 0;
    for (size_t i = 0; i < n; ++i) {
        tps += positive[order[i]] ? 1 : 0;
        if (i + 1 == n || scores[order[i + 1]] != scores[order[i]]) {
            c.tps.push_back(tps);
            c.fps.push_back(double(i + 1) - tps);
            c.thresholds.push_back(scores[order[i]]);
        }
    }
    return c;
}

bool usable(const std::vector<int> &positive, const std::vector<double> &scores)
{
    return !scores.empty() && positive.size() == scores.size()
           && std::all_of(scores.begin(), scores.end(), [](double s) { return std::isfinite(s); });
}

} // namespace

std::optional<RocCurve> rocCurve(const std::vector<int> &positive,
                                 const std::vector<double> &scores)
{
    if (!usable(positive, scores))
        return std::nullopt;
    const ClfCurve c = binaryClfCurve(positive, scores);
    if (c.tps.back() <= 0 || c.fps.back() <= 0)
        return std::nullopt; // scikit-learn returns NaN rates here

    // drop_intermediate=True: keep only corners (non-zero second difference of fps or tps).
    const size_t m = c.fps.size();
    std::vector<size_t> keep;
    for (size_t i = 0; i < m; ++i) {
        if (m <= 2 || i == 0 || i + 1 == m) {
            keep.push_back(i);
            continue;
        }
        const double dFps = (c.fps[i + 1] - c.fps[i]) - (c.fps[i] - c.fps[i - 1]);
        const double dTps = (c.tps[i + 1] - c.tps[i]) - (c.tps[i] - c.tps[i - 1]);
        if (dFps != 0 || dTps != 0)
            keep.push_back(i);
    }

    RocCurve roc;
    const double fpsTotal = c.fps.back(), tpsTotal = c.tps.back();
    roc.fpr.push_back(0);
    roc.tpr.push_back(0);
    roc.thresholds.push_back(c.thresholds[keep.front()] + 1);
    for (size_t i : keep) {
        roc.fpr.push_back(c.fps[i] / fpsTotal);
        roc.tpr.push_back(c.tps[i] / tpsTotal);
        roc.thresholds.push_back(c.thresholds[i]);
    }
    // auc(): trapezoidal rule, term by term as numpy.trapz writes it
    for (size_t i = 1; i < roc.fpr.size(); ++i)
        roc.auc += (roc.fpr[i] - roc.fpr[i - 1]) * (roc.tpr[i] + roc.tpr[i - 1]) / 2.0;
    return roc;
}

std::optional<PrCurve> precisionRecallCurve(const std::vector<int> &positive,
                                            const std::vector<double> &scores)
{
    if (!usable(positive, scores))
        return std::nullopt;
    const ClfCurve c = binaryClfCurve(positive, scores);
    if (c.tps.back() <= 0)
        return std::nullopt; // scikit-learn sets recall to 1 everywhere: meaningless

    PrCurve pr;
    const size_t m = c.tps.size();
    for (size_t j = m; j-- > 0;) { // reversed so recall decreases
        const double predictedPositive = c.tps[j] + c.fps[j];
        pr.precision.push_back(predictedPositive != 0 ? c.tps[j] / predictedPositive : 0.0);
        pr.recall.push_back(c.tps[j] / c.tps.back());
        pr.thresholds.push_back(c.thresholds[j]);
    }
    pr.precision.push_back(1);
    pr.recall.push_back(0);
    // average_precision_score: -sum(diff(recall) * precision[:-1])
    double sum = 0;
    for (size_t i = 0; i + 1 < pr.recall.size(); ++i)
        sum += (pr.recall[i + 1] - pr.recall[i]) * pr.precision[i];
    pr.averagePrecision = -sum;
    return pr;
}

CalibrationCurve calibrationCurve(const std::vector<int> &positive,
                                  const std::vector<double> &scores, int bins)
{
    CalibrationCurve cal;
    if (bins < 1 || positive.size() != scores.size())
        return cal;
    // np.linspace(0, 1, bins + 1): i * step, last edge exactly 1; searchsorted on the inner edges.
    const double step = 1.0 / double(bins);
    std::vector<double> inner;
    for (int i = 1; i < bins; ++i)
        inner.push_back(double(i) * step);
    std::vector<double> sums(size_t(bins), 0.0), trues(size_t(bins), 0.0),
        totals(size_t(bins), 0.0);
    for (size_t i = 0; i < scores.size(); ++i) {
        if (!std::isfinite(scores[i]))
            continue;
        const size_t bin
            = size_t(std::lower_bound(inner.begin(), inner.end(), scores[i]) - inner.begin());
        sums[bin] += scores[i];
        trues[bin] += positive[i] ? 1.0 : 0.0;
        totals[bin] += 1;
    }
    for (size_t b = 0; b < size_t(bins); ++b) {
        if (totals[b] == 0)
            continue;
        cal.probTrue.push_back(trues[b] / totals[b]);
        cal.probPred.push_back(sums[b] / totals[b]);
        cal.binCounts.push_back(totals[b]);
    }
    return cal;
}

} // namespace evaluation

// --- public API ----------------------------------------------------------------------------------

Status validateEvaluationInput(const EvaluationInput &in)
{
    static const QRegularExpression safeId(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"));
    if (!safeId.match(in.runId).hasMatch())
        return invalid(QStringLiteral("The run id \"%1\" cannot name a file").arg(in.runId));

    if (in.classification) {
        const size_t rows = in.classTruth.size();
        if (rows == 0)
            return invalid(QStringLiteral("There are no rows to evaluate"));
        const int k = classCount(in);
        if (k < 2)
            return invalid(
                QStringLiteral("Classification needs at least two classes, got %1").arg(k));
        if (in.probabilities.size() != rows * size_t(k)) {
            return invalid(QStringLiteral("Expected %1 × %2 probabilities, got %3 values")
                               .arg(rows)
                               .arg(k)
                               .arg(in.probabilities.size()));
        }
        for (size_t i = 0; i < rows; ++i) {
            if (in.classTruth[i] < 0 || in.classTruth[i] >= k) {
                return invalid(QStringLiteral("Row %1 has class index %2, outside 0..%3")
                                   .arg(i)
                                   .arg(in.classTruth[i])
                                   .arg(k - 1));
            }
        }
        for (size_t i = 0; i < in.probabilities.size(); ++i) {
            const double p = in.probabilities[i];
            if (!(p >= 0 && p <= 1)) // also rejects NaN
                return invalid(QStringLiteral("Probability %1 of row %2 is not in [0, 1]")
                                   .arg(p)
                                   .arg(i / size_t(k)));
        }
    } else {
        if (in.truth.empty())
            return invalid(QStringLiteral("There are no rows to evaluate"));
        if (in.truth.size() != in.prediction.size()) {
            return invalid(QStringLiteral("%1 targets but %2 predictions")
                               .arg(in.truth.size())
                               .arg(in.prediction.size()));
        }
        for (size_t i = 0; i < in.truth.size(); ++i) {
            if (!std::isfinite(in.truth[i]) || !std::isfinite(in.prediction[i]))
                return invalid(QStringLiteral("Row %1 has a missing or infinite value").arg(i));
        }
    }

    const size_t features = in.featureNames.size();
    const std::pair<const std::vector<double> *, const char *> importances[]
        = {{&in.gainImportance, "gain importance"},
           {&in.permutationImportance, "permutation importance"}};
    for (const auto &[values, what] : importances) {
        if (values->empty())
            continue;
        if (values->size() != features) {
            return invalid(QStringLiteral("%1 %2 values for %3 features")
                               .arg(values->size())
                               .arg(QLatin1String(what))
                               .arg(features));
        }
        if (!std::all_of(values->begin(), values->end(), [](double v) { return std::isfinite(v); }))
            return invalid(
                QStringLiteral("The %1 has a non-finite value").arg(QLatin1String(what)));
    }
    if (!in.contributions.empty()) {
        if (features == 0 || in.contributions.size() % (features + 1) != 0) {
            return invalid(QStringLiteral("%1 SHAP values do not form rows of %2 features + bias")
                               .arg(in.contributions.size())
                               .arg(features));
        }
        if (!std::all_of(in.contributions.begin(), in.contributions.end(),
                         [](float v) { return std::isfinite(v); }))
            return invalid(QStringLiteral("The SHAP values have a non-finite value"));
    }
    return {};
}

json classificationMetricsPayload(const EvaluationInput &input)
{
    if (Status st = validateEvaluationInput(input); !st)
        return errorPayload(input, st.error());
    if (!input.classification)
        return errorPayload(input, invalid(QStringLiteral("Not a classification run")));
    return classificationPayload(input, computeClassification(input));
}

json regressionMetricsPayload(const EvaluationInput &input)
{
    if (Status st = validateEvaluationInput(input); !st)
        return errorPayload(input, st.error());
    if (input.classification)
        return errorPayload(input, invalid(QStringLiteral("Not a regression run")));
    return regressionPayload(input, computeRegression(input));
}

Result<std::vector<ArtifactEvent>> writeEvaluationArtifacts(const EvaluationInput &input,
                                                            const QString &assetsDir,
                                                            const QString &projectId)
{
    if (Status st = validateEvaluationInput(input); !st)
        return st.error();

    ArtifactWriter writer(input, assetsDir, projectId);
    json fullMetrics;
    if (input.classification) {
        const ClassificationStats st = computeClassification(input);
        if (Status s = addClassificationArtifacts(writer, input, st); !s)
            return s.error();
        fullMetrics = classificationPayload(input, st);
        fullMetrics["confusion_matrix"] = st.confusion;
    } else {
        const RegressionStats st = computeRegression(input);
        if (Status s = addRegressionArtifacts(writer, input, st); !s)
            return s.error();
        fullMetrics = regressionPayload(input, st);
    }
    if (Status s = addExplanationArtifacts(writer, input); !s)
        return s.error();

    fullMetrics.erase("run_id");
    const json content = {{"task_type", input.classification ? "classification" : "regression"},
                          {"metrics", std::move(fullMetrics)},
                          {"run_id", toStd(input.runId)}};
    if (Status s
        = writer.add(artifact("full_metrics", input.runId + QStringLiteral("_full_metrics"),
                              QStringLiteral("Full Metrics"), json::object()),
                     QStringLiteral("full_metrics"), content, QImage());
        !s)
        return s.error();
    return writer.take();
}

json artifactAddedPayload(const ArtifactEvent &artifact)
{
    return {{"artifact",
             {{"id", toStd(artifact.id)},
              {"type", toStd(artifact.type)},
              {"name", toStd(artifact.name)},
              {"url", toStd(artifact.url)},
              {"meta", artifact.meta.is_object() ? artifact.meta : json::object()}}}};
}

json evaluationCompleteArtifacts(const std::vector<ArtifactEvent> &artifacts)
{
    // §5.4: EVALUATION_COMPLETE uses short names for two types.
    json out = json::array();
    for (const ArtifactEvent &a : artifacts) {
        QString type = a.type;
        if (type == QLatin1String("confusion_matrix"))
            type = QStringLiteral("confusion");
        else if (type == QLatin1String("shap_explanations"))
            type = QStringLiteral("shap");
        out.push_back({{"type", toStd(type)}, {"url", toStd(a.url)}});
    }
    return out;
}

} // namespace baton
