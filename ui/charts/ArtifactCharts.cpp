#include "ArtifactCharts.h"

#include "ChartView.h"
#include "HeatMapWidget.h"

#include "ui/JsonFields.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCoreApplication>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <QLocale>

#include <cmath>
#include <optional>

namespace baton::ui {

namespace {

class Tr
{
    Q_DECLARE_TR_FUNCTIONS(ArtifactCharts)
};

QLineSeries *lineSeries(const QString &name, const std::vector<double> &xs, const std::vector<double> &ys)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QList<QPointF> points;
    for (size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
        if (std::isfinite(xs[i]) && std::isfinite(ys[i]))
            points.append({xs[i], ys[i]});
    }
    series->append(points);
    return series;
}

QChart *xyChart(const QString &title, const QString &xTitle, const QString &yTitle,
                const QList<QXYSeries *> &series, std::optional<QRectF> range = std::nullopt)
{
    if (series.isEmpty())
        return nullptr;
    auto *chart = new QChart;
    chart->setTitle(title);
    auto *x = new QValueAxis;
    auto *y = new QValueAxis;
    x->setTitleText(xTitle);
    y->setTitleText(yTitle);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double minX = INFINITY, maxX = -INFINITY, minY = INFINITY, maxY = -INFINITY;
    for (QXYSeries *s : series) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
        for (const QPointF &p : s->points()) {
            minX = std::min(minX, p.x());
            maxX = std::max(maxX, p.x());
            minY = std::min(minY, p.y());
            maxY = std::max(maxY, p.y());
        }
    }
    if (range) {
        x->setRange(range->left(), range->right());
        y->setRange(range->top(), range->bottom());
    } else if (std::isfinite(minX)) {
        const double padX = std::max(1e-9, (maxX - minX) * 0.04), padY = std::max(1e-9, (maxY - minY) * 0.04);
        x->setRange(minX - padX, maxX + padX);
        y->setRange(minY - padY, maxY + padY);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

QLineSeries *diagonal(double from, double to, const QString &name)
{
    auto *line = lineSeries(name, {from, to}, {from, to});
    QPen pen(Qt::gray);
    pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    return line;
}

const QRectF kUnitSquare(0, 0, 1, 1);

} // namespace

QChart *rocChart(const json &content)
{
    QList<QXYSeries *> series;
    const QLocale locale;
    if (const json &curves = arrayField(content, "curves"); !curves.empty()) {
        for (const json &curve : curves) {
            series << lineSeries(Tr::tr("%1 (AUC %2)").arg(strings(json::array({curve.is_object() && curve.contains("label") ? curve["label"] : json()})).value(0),
                                                       locale.toString(doubleField(curve, "auc"), 'f', 3)),
                                 doubles(arrayField(curve, "fpr")), doubles(arrayField(curve, "tpr")));
        }
    } else if (!arrayField(content, "fpr").empty()) {
        series << lineSeries(Tr::tr("AUC %1").arg(locale.toString(doubleField(content, "auc"), 'f', 3)),
                             doubles(arrayField(content, "fpr")), doubles(arrayField(content, "tpr")));
    }
    if (series.isEmpty())
        return nullptr;
    series << diagonal(0, 1, Tr::tr("chance"));
    return xyChart(Tr::tr("ROC curve"), Tr::tr("False positive rate"), Tr::tr("True positive rate"), series, kUnitSquare);
}

QChart *precisionRecallChart(const json &content)
{
    if (arrayField(content, "recall").empty())
        return nullptr;
    auto *curve = lineSeries(Tr::tr("AP %1").arg(QLocale().toString(doubleField(content, "average_precision"), 'f', 3)),
                             doubles(arrayField(content, "recall")), doubles(arrayField(content, "precision")));
    return xyChart(Tr::tr("Precision-recall curve"), Tr::tr("Recall"), Tr::tr("Precision"), {curve}, kUnitSquare);
}

QChart *calibrationChart(const json &content)
{
    if (arrayField(content, "prob_pred").empty())
        return nullptr;
    auto *curve = lineSeries(Tr::tr("model"), doubles(arrayField(content, "prob_pred")),
                             doubles(arrayField(content, "prob_true")));
    return xyChart(Tr::tr("Calibration"), Tr::tr("Mean predicted probability"), Tr::tr("Fraction of positives"),
                   {curve, diagonal(0, 1, Tr::tr("perfectly calibrated"))}, kUnitSquare);
}

QChart *residualsChart(const json &content)
{
    const std::vector<double> residuals = doubles(arrayField(content, "residuals"));
    if (residuals.empty())
        return nullptr;
    auto *points = new QScatterSeries;
    points->setName(Tr::tr("residual (actual − predicted)"));
    points->setMarkerSize(6);
    QList<QPointF> list;
    for (size_t i = 0; i < residuals.size(); ++i) {
        if (std::isfinite(residuals[i]))
            list.append({double(i), residuals[i]});
    }
    points->append(list);
    return xyChart(Tr::tr("Residuals"), Tr::tr("Test row (sample)"), Tr::tr("Residual"), {points});
}

QChart *predictedVsActualChart(const json &content)
{
    const std::vector<double> truth = doubles(arrayField(content, "y_true"));
    const std::vector<double> predicted = doubles(arrayField(content, "y_pred"));
    if (truth.empty() || truth.size() != predicted.size())
        return nullptr;
    auto *points = new QScatterSeries;
    points->setName(Tr::tr("test rows (R² %1)").arg(QLocale().toString(doubleField(content, "r2"), 'f', 3)));
    points->setMarkerSize(6);
    QList<QPointF> list;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < truth.size(); ++i) {
        if (std::isfinite(truth[i]) && std::isfinite(predicted[i])) {
            list.append({truth[i], predicted[i]});
            lo = std::min({lo, truth[i], predicted[i]});
            hi = std::max({hi, truth[i], predicted[i]});
        }
    }
    points->append(list);
    if (!std::isfinite(lo))
        return nullptr;
    return xyChart(Tr::tr("Predicted vs actual"), Tr::tr("Actual"), Tr::tr("Predicted"),
                   {points, diagonal(lo, hi, Tr::tr("perfect prediction"))});
}

QChart *barChart(const QStringList &names, const std::vector<double> &values, const QString &title,
                 Qt::Orientation orientation)
{
    if (names.isEmpty())
        return nullptr;
    const bool horizontal = orientation == Qt::Horizontal;
    auto *set = new QBarSet(title);
    QStringList shown;
    // horizontal bars list bottom-up: the first entry goes last to sit on top
    for (qsizetype k = 0; k < names.size(); ++k) {
        const qsizetype i = horizontal ? names.size() - 1 - k : k;
        const double v = size_t(i) < values.size() ? values[size_t(i)] : 0.0;
        shown << names[i];
        *set << (std::isfinite(v) ? v : 0.0);
    }
    QAbstractBarSeries *series = horizontal ? static_cast<QAbstractBarSeries *>(new QHorizontalBarSeries)
                                            : static_cast<QAbstractBarSeries *>(new QBarSeries);
    series->append(set);
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->addSeries(series);
    auto *categories = new QBarCategoryAxis;
    categories->append(shown);
    auto *axis = new QValueAxis;
    chart->addAxis(categories, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(axis, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(axis);
    chart->legend()->hide();
    return chart;
}

QChart *importanceChart(const json &content, const QString &title)
{
    const json *ranking = nullptr;
    for (const char *key : {"feature_importance", "permutation_importance", "importance_ranking", "features"}) {
        if (const json &a = arrayField(content, key); !a.empty()) {
            ranking = &a;
            break;
        }
    }
    if (!ranking)
        return nullptr;
    constexpr size_t kShown = 20;
    QStringList names;
    std::vector<double> values;
    for (size_t i = 0; i < std::min(kShown, ranking->size()); ++i) {
        names << stringField((*ranking)[i], "feature");
        values.push_back(doubleField((*ranking)[i], "importance", 0));
    }
    return barChart(names, values, title, Qt::Horizontal);
}

bool isChartArtifact(const QString &type)
{
    static const QStringList types = {QStringLiteral("confusion_matrix"),   QStringLiteral("roc_curve"),
                                      QStringLiteral("pr_curve"),           QStringLiteral("calibration_curve"),
                                      QStringLiteral("residuals"),          QStringLiteral("predicted_vs_actual"),
                                      QStringLiteral("feature_importance"), QStringLiteral("permutation_importance"),
                                      QStringLiteral("shap_explanations"),  QStringLiteral("correlations")};
    return types.contains(type);
}

namespace {

QWidget *confusionView(const json &content, QWidget *parent)
{
    const json &matrix = arrayField(content, "confusion");
    if (matrix.empty())
        return nullptr;
    std::vector<std::vector<double>> cells;
    double highest = 0;
    for (const json &row : matrix) {
        cells.push_back(doubles(row));
        for (double v : cells.back())
            highest = std::max(highest, std::isfinite(v) ? v : 0.0);
    }
    const QStringList labels = strings(arrayField(content, "labels"));
    auto *heat = new HeatMapWidget(parent);
    heat->setMatrix(cells, labels, labels, HeatMapWidget::Scale::Sequential, 0, std::max(1.0, highest));
    heat->setDecimals(0);
    heat->setAxisTitles(Tr::tr("True class"), Tr::tr("Predicted class"));
    return heat;
}

QWidget *correlationView(const json &content, QWidget *parent)
{
    const QStringList columns = strings(arrayField(content, "columns"));
    const json &matrix = arrayField(content, "matrix");
    if (columns.isEmpty() || matrix.empty())
        return nullptr;
    std::vector<std::vector<double>> cells;
    for (const json &row : matrix)
        cells.push_back(doubles(row));
    auto *heat = new HeatMapWidget(parent);
    heat->setMatrix(cells, columns, columns, HeatMapWidget::Scale::Diverging, -1, 1);
    return heat;
}

} // namespace

QWidget *createArtifactView(const QString &type, const json &content, QWidget *parent)
{
    QWidget *widget = nullptr;
    if (type == QLatin1String("confusion_matrix")) {
        widget = confusionView(content, parent);
    } else if (type == QLatin1String("correlations")) {
        widget = correlationView(content, parent);
    } else {
        QChart *chart = nullptr;
        if (type == QLatin1String("roc_curve"))
            chart = rocChart(content);
        else if (type == QLatin1String("pr_curve"))
            chart = precisionRecallChart(content);
        else if (type == QLatin1String("calibration_curve"))
            chart = calibrationChart(content);
        else if (type == QLatin1String("residuals"))
            chart = residualsChart(content);
        else if (type == QLatin1String("predicted_vs_actual"))
            chart = predictedVsActualChart(content);
        else if (type == QLatin1String("feature_importance"))
            chart = importanceChart(content, Tr::tr("Feature importance"));
        else if (type == QLatin1String("permutation_importance"))
            chart = importanceChart(content, Tr::tr("Permutation importance"));
        else if (type == QLatin1String("shap_explanations"))
            chart = importanceChart(content, Tr::tr("Mean |SHAP value|"));
        if (chart) {
            auto *view = new ChartView(parent);
            view->showChart(chart);
            widget = view;
        }
    }
    if (!widget) {
        auto *label = new QLabel(Tr::tr("This artifact has nothing to draw."), parent);
        label->setAlignment(Qt::AlignCenter);
        widget = label;
    }
    return widget;
}

} // namespace baton::ui
