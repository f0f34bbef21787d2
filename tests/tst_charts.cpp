#include "core/ml/Evaluation.h"
#include "core/report/Charts.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace baton;

// The offscreen chart renderers and the PNGs evaluation writes next to its JSON. Needs a
// QGuiApplication (text rendering), so QTEST_MAIN on the offscreen platform.
// Set BATON_CHART_SAMPLES=<dir> to keep one PNG of each chart kind for eyeballing.

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void keepSample(const QImage &image, const QString &name)
{
    const QString dir = qEnvironmentVariable("BATON_CHART_SAMPLES");
    if (dir.isEmpty() || image.isNull())
        return;
    QDir().mkpath(dir);
    image.save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

int countPixels(const QImage &image, const std::function<bool(QColor)> &match)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            count += match(image.pixelColor(x, y));
    }
    return count;
}

int nonWhite(const QImage &image)
{
    return countPixels(image, [](QColor c) { return c.rgb() != qRgb(255, 255, 255); });
}

bool exactly(QColor c, QRgb rgb)
{
    return (c.rgb() & 0xFFFFFF) == (rgb & 0xFFFFFF);
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void barChartDrawsBars();
    void histogramDrawsBins();
    void lineChartDrawsSeries();
    void scatterDrawsPoints();
    void heatmapColoursCells();
    void degenerateInputDoesNotCrash_data();
    void degenerateInputDoesNotCrash();
    void sizeIsClamped();
    void evaluationWritesPngs_data();
    void evaluationWritesPngs();
};

void TestCharts::initTestCase()
{
    QVERIFY(charts::available());
}

void TestCharts::barChartDrawsBars()
{
    std::vector<charts::Bar> bars;
    const char *names[] = {"num__age",   "cat__sex_male", "num__fare", "cat__embarked_S",
                           "num__sibsp", "cat__pclass_3", "num__parch"};
    double value = 0.31;
    for (const char *name : names) {
        bars.push_back({QString::fromLatin1(name), value});
        value *= 0.62;
    }
    bars.push_back({QStringLiteral("num__noise"), -0.004});
    charts::ChartOptions o;
    o.title = QStringLiteral("Feature importance (gain)");
    o.xLabel = QStringLiteral("Share of total gain");
    const QImage image = charts::barChart(bars, o);
    QCOMPARE(image.size(), QSize(800, 500));
    QVERIFY(countPixels(image, [](QColor c) { return exactly(c, 0x4C78A8); }) > 2000); // bar fill
    QVERIFY(countPixels(image, [](QColor c) { return exactly(c, 0xE45756); })
            > 0); // the negative one
    keepSample(image, QStringLiteral("bar_chart"));
}

void TestCharts::histogramDrawsBins()
{
    std::vector<double> edges, counts;
    for (int i = 0; i <= 20; ++i)
        edges.push_back(i * 4.0);
    for (int i = 0; i < 20; ++i)
        counts.push_back(std::round(120 * std::exp(-std::pow((i - 8) / 4.0, 2))));
    charts::ChartOptions o;
    o.title = QStringLiteral("Age");
    o.xLabel = QStringLiteral("years");
    o.yLabel = QStringLiteral("rows");
    const QImage image = charts::histogram(edges, counts, o);
    QCOMPARE(image.size(), QSize(800, 500));
    QVERIFY(countPixels(image, [](QColor c) { return exactly(c, 0x4C78A8); }) > 10000);
    keepSample(image, QStringLiteral("histogram"));
}

void TestCharts::lineChartDrawsSeries()
{
    charts::Series train{QStringLiteral("train loss"), {}},
        valid{QStringLiteral("validation loss"), {}};
    for (int i = 0; i < 100; ++i) {
        train.points.emplace_back(i, 0.7 * std::exp(-i / 25.0) + 0.05);
        valid.points.emplace_back(i, 0.7 * std::exp(-i / 30.0) + 0.09
                                         + (i > 60 ? (i - 60) * 0.001 : 0));
    }
    charts::ChartOptions o;
    o.title = QStringLiteral("Training curves");
    o.xLabel = QStringLiteral("boosting round");
    o.yLabel = QStringLiteral("log loss");
    const QImage image = charts::lineChart({train, valid}, o);
    QCOMPARE(image.size(), QSize(800, 500));
    QVERIFY(countPixels(image, [](QColor c) { return exactly(c, 0x4C78A8); }) > 100);
    QVERIFY(countPixels(image, [](QColor c) { return exactly(c, 0xF58518); }) > 100);
    keepSample(image, QStringLiteral("line_chart"));
}

void TestCharts::scatterDrawsPoints()
{
    std::vector<QPointF> points;
    for (int i = 0; i < 300; ++i) {
        const double actual = 5 + 20 * std::sin(i * 0.37) * std::sin(i * 0.11);
        points.emplace_back(actual, actual + 3 * std::sin(i * 1.7));
    }
    charts::ChartOptions o;
    o.title = QStringLiteral("Predicted vs actual");
    o.xLabel = QStringLiteral("Actual");
    o.yLabel = QStringLiteral("Predicted");
    o.diagonal = true;
    const QImage image = charts::scatter(points, o);
    QCOMPARE(image.size(), QSize(800, 500));
    QVERIFY(countPixels(image, [](QColor c) { return c.blue() > c.red() + 40; }) > 1000);
    keepSample(image, QStringLiteral("scatter"));
}

void TestCharts::heatmapColoursCells()
{
    charts::ChartOptions o;
    o.title = QStringLiteral("Confusion matrix");
    o.xLabel = QStringLiteral("Predicted");
    o.yLabel = QStringLiteral("True");
    o.decimals = 0;
    const QImage confusion
        = charts::heatmap({{50, 5}, {7, 43}}, {QStringLiteral("no"), QStringLiteral("yes")},
                          {QStringLiteral("no"), QStringLiteral("yes")}, o);
    QCOMPARE(confusion.size(), QSize(800, 500));
    // the largest count gets the darkest blue of the palette
    QVERIFY(countPixels(confusion, [](QColor c) { return exactly(c, 0x08306B); }) > 1000);
    keepSample(confusion, QStringLiteral("heatmap_confusion"));

    // correlations with the diverging palette: -1 is the darkest blue, +1 the darkest red
    std::vector<std::vector<double>> corr
        = {{1, 0.8, -0.3, 0.1}, {0.8, 1, -0.5, kNaN}, {-0.3, -0.5, 1, -1}, {0.1, kNaN, -1, 1}};
    const QStringList names = {QStringLiteral("age"), QStringLiteral("fare"),
                               QStringLiteral("pclass"), QStringLiteral("survived")};
    o.title = QStringLiteral("Correlation");
    o.xLabel.clear();
    o.yLabel.clear();
    o.decimals = 2;
    o.palette = charts::Palette::Diverging;
    o.colorMin = -1.0;
    o.colorMax = 1.0;
    const QImage correlation = charts::heatmap(corr, names, names, o);
    QVERIFY(countPixels(correlation, [](QColor c) { return exactly(c, 0xB2182B); }) > 1000);
    QVERIFY(countPixels(correlation, [](QColor c) { return exactly(c, 0x2166AC); }) > 1000);
    QVERIFY(countPixels(correlation, [](QColor c) { return exactly(c, 0xEEEEEE); })
            > 1000); // NaN cells
    keepSample(correlation, QStringLiteral("heatmap_correlation"));
}

void TestCharts::degenerateInputDoesNotCrash_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("empty") << 0;
    QTest::newRow("NaN and infinity") << 1;
    QTest::newRow("single point") << 2;
    QTest::newRow("all equal") << 3;
    QTest::newRow("huge label lists") << 4;
    QTest::newRow("extreme magnitudes") << 5;
    QTest::newRow("mismatched and ragged") << 6;
}

void TestCharts::degenerateInputDoesNotCrash()
{
    QFETCH(int, kind);
    std::vector<charts::Bar> bars;
    std::vector<double> edges, counts;
    std::vector<charts::Series> series;
    std::vector<QPointF> points;
    std::vector<std::vector<double>> matrix;
    QStringList labels;
    switch (kind) {
    case 0:
        series.push_back({QStringLiteral("nothing"), {}});
        break;
    case 1:
        bars = {{QStringLiteral("nan"), kNaN},
                {QStringLiteral("inf"), kInf},
                {QStringLiteral("ok"), 2}};
        edges = {0, kNaN, 2, 3};
        counts = {1, kInf, 4};
        series.push_back({QStringLiteral("gappy"), {{0, kNaN}, {1, 1}, {kInf, 2}, {3, 3}}});
        points = {{kNaN, 1}, {1, kInf}, {2, 2}};
        matrix = {{kNaN, kInf}, {-kInf, 1}};
        break;
    case 2:
        bars = {{QStringLiteral("one"), 0.5}};
        edges = {1, 2};
        counts = {7};
        series.push_back({QStringLiteral("dot"), {{0.5, 0.5}}});
        points = {{3, 3}};
        matrix = {{4}};
        break;
    case 3:
        bars = {{QStringLiteral("a"), 0}, {QStringLiteral("b"), 0}};
        edges = {5, 5, 5};
        counts = {0, 0};
        series.push_back({QStringLiteral("flat"), {{1, 2}, {1, 2}, {1, 2}}});
        points = {{1, 1}, {1, 1}};
        matrix = {{0, 0}, {0, 0}};
        break;
    case 4:
        for (int i = 0; i < 5000; ++i) {
            const QString name
                = QStringLiteral("feature_%1_").arg(i) + QString(400, QLatin1Char('x'));
            bars.push_back({name, 5000.0 - i});
            labels << name;
            series.push_back({name, {{0, double(i)}, {1, double(i) + 1}}});
        }
        matrix.assign(300, std::vector<double>(300, 1.0));
        break;
    case 5:
        bars = {{QStringLiteral("big"), 1e300}, {QStringLiteral("small"), -1e-300}};
        edges = {-1e300, 0, 1e300};
        counts = {1e18, 3};
        series.push_back({QStringLiteral("wide"), {{-1e200, 1e-200}, {1e200, 2e-200}}});
        points = {{1e-300, 1e300}, {-1e300, 0}};
        matrix = {{1e300, -1e300}, {1e-300, 0}};
        break;
    case 6:
        edges = {0, 1};
        counts = {1, 2, 3, 4};
        matrix = {{1, 2, 3}, {}, {4}};
        labels = {QStringLiteral("only one label")};
        break;
    }
    charts::ChartOptions o;
    o.title = QStringLiteral("Degenerate case %1").arg(kind);
    o.xLabel = QStringLiteral("x");
    o.yLabel = QStringLiteral("y");
    const QImage images[] = {
        charts::barChart(bars, o),
        charts::histogram(edges, counts, o),
        charts::lineChart(series, o),
        charts::scatter(points, o),
        charts::heatmap(matrix, labels, labels, o),
    };
    for (const QImage &image : images) {
        QCOMPARE(image.size(), QSize(800, 500));
        QVERIFY(nonWhite(image) > 100); // at least title, axes or "No data"
    }
    if (kind == 4) {
        keepSample(images[0], QStringLiteral("bar_chart_truncated"));
        keepSample(images[2], QStringLiteral("line_chart_many_series"));
        keepSample(images[4], QStringLiteral("heatmap_truncated"));
    }
    if (kind == 0)
        keepSample(images[2], QStringLiteral("line_chart_empty"));
}

void TestCharts::sizeIsClamped()
{
    charts::ChartOptions o;
    o.size = QSize(10, -5);
    QCOMPARE(charts::barChart({{QStringLiteral("a"), 1}}, o).size(), QSize(160, 120));
    o.size = QSize(1600, 1000);
    QCOMPARE(charts::scatter({{0, 0}, {1, 1}}, o).size(), QSize(1600, 1000));
}

void TestCharts::evaluationWritesPngs_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("binary") << 0;
    QTest::newRow("multiclass") << 1;
    QTest::newRow("regression") << 2;
}

void TestCharts::evaluationWritesPngs()
{
    QFETCH(int, kind);
    EvaluationInput in;
    in.runId = QStringLiteral("run_png%1").arg(kind);
    const int rows = 400;
    // Deterministic, imperfect predictions so every chart has some shape.
    auto noise = [](int i) { return std::sin(i * 12.9898) * 0.5 + 0.5; };
    if (kind == 0 || kind == 1) {
        in.classification = true;
        const int k = kind == 0 ? 2 : 4;
        for (int c = 0; c < k; ++c)
            in.classLabels << (kind == 0 ? QString::number(c) : QStringLiteral("class_%1").arg(c));
        for (int i = 0; i < rows; ++i) {
            const int truth = (i * 7 + i / 3) % k;
            in.classTruth.push_back(truth);
            std::vector<double> row(static_cast<size_t>(k));
            double sum = 0;
            for (int c = 0; c < k; ++c) {
                row[size_t(c)] = noise(i * k + c) + (c == truth ? 1.2 * noise(i + 1000) : 0);
                sum += row[size_t(c)];
            }
            for (double v : row)
                in.probabilities.push_back(v / sum);
        }
    } else {
        for (int i = 0; i < rows; ++i) {
            const double x = i / 10.0;
            in.truth.push_back(3 * x + 10 * noise(i));
            in.prediction.push_back(3 * x + 5);
        }
    }
    const int features = 30;
    for (int f = 0; f < features; ++f) {
        in.featureNames.push_back(QStringLiteral("num__feature_%1").arg(f));
        in.gainImportance.push_back(100.0 / (f + 1));
        in.permutationImportance.push_back(0.05 / (f + 1) - 0.002);
    }
    for (int r = 0; r < 50; ++r) {
        for (int f = 0; f <= features; ++f)
            in.contributions.push_back(f == features ? -0.3f
                                                     : float((noise(r * 31 + f) - 0.5) / (f + 1)));
    }

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto result = writeEvaluationArtifacts(in, dir.path(), QStringLiteral("p"));
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
    for (const ArtifactEvent &e : result.value()) {
        if (e.type == QLatin1String("full_metrics")) {
            QVERIFY(e.pngUrl.isEmpty());
            continue;
        }
        QVERIFY2(!e.pngUrl.isEmpty(), qPrintable(e.type));
        QCOMPARE(QString::fromStdString(e.meta["png_url"].get<std::string>()), e.pngUrl);
        const QString file
            = dir.filePath(QStringLiteral("evaluation/") + QFileInfo(e.pngUrl).fileName());
        const QImage image(file);
        QVERIFY2(!image.isNull(), qPrintable(file));
        QCOMPARE(image.size(), QSize(800, 500));
        QVERIFY(nonWhite(image) > 1000);
        if (!e.readyEvent.isEmpty())
            QCOMPARE(QString::fromStdString(e.readyPayload["png_url"].get<std::string>()),
                     e.pngUrl);
        keepSample(image, QStringLiteral("evaluation_%1_%2").arg(kind).arg(e.type));
    }
}

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
