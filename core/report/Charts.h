#pragma once

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace baton::charts {

// Offscreen chart renderers for reports and artifacts: plain QPainter on a QImage, so they run on
// job threads and in headless runs. Every renderer accepts empty, non-finite or oversized input
// and still returns a readable picture ("No data", skipped NaNs, "… N more").
//
// Text needs Qt's font database, which exists only once a QGuiApplication does (a plain
// QCoreApplication aborts inside QFontDatabase). Without one the renderers return a null QImage;
// check available() first when that matters.

enum class Palette {
    Sequential, // white → blue, for counts (confusion matrix)
    Diverging,  // blue → white → red around zero, for signed values (correlations)
};

struct ChartOptions
{
    QString title;
    QString xLabel;
    QString yLabel;
    QSize size{800, 500};
    // Fixed axis ranges (e.g. [0, 1] for ROC); unset ends follow the data with nice ticks.
    std::optional<double> xMin, xMax, yMin, yMax;
    bool diagonal
        = false; // dashed y = x reference: chance line, perfect prediction, perfect calibration
    bool zeroLine = false; // dashed y = 0 reference: residuals
    int maxItems = 25;     // bars, heatmap rows/columns and legend entries beyond this are folded
    int decimals = -1;     // value labels on bars and cells; -1 picks a compact format per value
    Palette palette = Palette::Sequential;    // heatmap only
    std::optional<double> colorMin, colorMax; // heatmap colour range; default from the data
};

struct Bar
{
    QString label;
    double value = 0;
};

struct Series
{
    QString name; // legend text; series without a name get no legend entry
    std::vector<QPointF> points;
    bool steps = false;   // steps-post (precision-recall curves are step functions)
    bool markers = false; // a dot at every point (calibration bins)
};

// True when text can be rendered (a QGuiApplication exists).
bool available();

// The palette colour of series `index` (cycles).
QColor seriesColor(int index);

// Horizontal bars, first bar on top, in the order given (sort before calling for "top N").
QImage barChart(const std::vector<Bar> &bars, const ChartOptions &options);

// Bins [edges[i], edges[i+1]) with counts[i]; edges.size() == counts.size() + 1.
QImage histogram(const std::vector<double> &edges, const std::vector<double> &counts,
                 const ChartOptions &options);

// One or more named series with a legend placed in the emptiest corner.
QImage lineChart(const std::vector<Series> &series, const ChartOptions &options);

// Points; with options.diagonal both axes share one range so y = x is the 45° line.
QImage scatter(const std::vector<QPointF> &points, const ChartOptions &options);

// matrix[row][column] with a value in every cell that fits, and a colour bar.
QImage heatmap(const std::vector<std::vector<double>> &matrix, const QStringList &rowLabels,
               const QStringList &columnLabels, const ChartOptions &options);

} // namespace baton::charts
