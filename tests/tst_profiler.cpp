#include "core/common/Json.h"
#include "core/data/CsvReader.h"
#include "core/data/Profiler.h"
#include "core/data/Table.h"
#include "core/jobs/JobRunner.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace baton;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Small deterministic generator (an LCG) so synthetic tables are identical on every run.
class Lcg
{
public:
    explicit Lcg(quint64 seed) : m_state(seed) {}
    double uniform() // [0, 1)
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return double(m_state >> 11) * (1.0 / 9007199254740992.0);
    }
    int below(int n) { return int(uniform() * n); }

private:
    quint64 m_state;
};

bool near(double actual, double expected, double relative = 1e-12)
{
    return std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected));
}

QString describe(const Profile &p)
{
    QStringList out;
    for (const ProfileWarning &w : p.warnings)
        out << QStringLiteral("%1[%2]: %3").arg(w.code, w.column, w.reason);
    return out.join(QLatin1String("; "));
}

Table makeTable(std::vector<Column> columns)
{
    Table t;
    for (Column &c : columns) {
        const Status added = t.addColumn(std::move(c));
        if (!added.ok())
            qFatal("bad test table: %s", qPrintable(added.error().toString()));
    }
    return t;
}

Profile profileOf(const Table &t, const ProfileOptions &options = {})
{
    Result<Profile> r = profileTable(t, options);
    if (!r.ok())
        qFatal("profiling failed: %s", qPrintable(r.error().toString()));
    return std::move(r).value();
}

constexpr int kRows = 60;

// A table that should raise no warning at all: unskewed numbers, few categories, a balanced
// target unrelated to the features, no missing cells, no duplicates.
std::vector<Column> cleanColumns(quint64 seed = 7)
{
    Lcg rng(seed);
    std::vector<double> x1;
    std::vector<int64_t> x2;
    std::vector<int32_t> colour;
    std::vector<uint8_t> flag;
    std::vector<int64_t> when;
    std::vector<int32_t> target;
    const qint64 day0 = QDateTime(QDate(2021, 3, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    for (int r = 0; r < kRows; ++r) {
        x1.push_back(10.0 * rng.uniform());
        x2.push_back(rng.below(7));
        colour.push_back(r % 3);
        flag.push_back(uint8_t(rng.below(2)));
        when.push_back(day0 + qint64(r) * 86'400'000);
        target.push_back(r % 2 == 0 ? 0 : 1);
    }
    // Shuffle the target so no feature (the row-ordered date included) lines up with it.
    for (int r = kRows - 1; r > 0; --r)
        std::swap(target[size_t(r)], target[size_t(rng.below(r + 1))]);
    std::vector<Column> out;
    out.push_back(Column::float64(QStringLiteral("x1"), x1));
    out.push_back(Column::int64(QStringLiteral("x2"), x2));
    out.push_back(Column::categorical(QStringLiteral("colour"), colour,
                                      {QStringLiteral("red"), QStringLiteral("green"),
                                       QStringLiteral("blue")}));
    out.push_back(Column::boolean(QStringLiteral("flag"), flag));
    out.push_back(Column::dateTime(QStringLiteral("when"), when, QStringLiteral("yyyy-MM-dd")));
    out.push_back(Column::categorical(QStringLiteral("target"), target,
                                      {QStringLiteral("no"), QStringLiteral("yes")}));
    return out;
}

ProfileOptions withTarget(const QString &target)
{
    ProfileOptions options;
    options.target = target;
    return options;
}

const Column &columnNamed(const std::vector<Column> &columns, const QString &name)
{
    for (const Column &c : columns) {
        if (c.name() == name)
            return c;
    }
    qFatal("no column %s", qPrintable(name));
}

std::vector<int32_t> targetCodes(const std::vector<Column> &columns)
{
    return columnNamed(columns, QStringLiteral("target")).codes();
}

// A token that is already cancelled: only a JobHandle can cancel, so run a no-op job with it.
JobToken cancelledToken()
{
    JobToken token;
    JobHandle handle = JobRunner::start<int>(
        token, [](const JobToken &) -> Result<int> { return 0; }, nullptr, [](Result<int>) {});
    handle.cancel();
    handle.wait();
    return token;
}

using ColumnMaker = std::function<std::vector<Column>()>;

} // namespace

Q_DECLARE_METATYPE(ColumnMaker)

class TestProfiler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void floatStatistics();
    void integerWithMissing();
    void smallIntegerHistogram();
    void distinctCounts();
    void categoricalTopValues();
    void boolAndDateTime();
    void summary();
    void duplicateRows();
    void emptyAndAllMissing();
    void correlations();
    void correlationCap();
    void associations();
    void targetDistribution();
    void cleanTableHasNoWarnings();
    void warnings_data();
    void warnings();
    void targetExcludedFromFeatureWarnings();
    void leakageLinearCopy();
    void leakageIntegerClassCopy();
    void leakageCategoricalMapping();
    void noLeakageFromIdOrMajority();
    void strictJson();
    void protocolSummary();
    void unknownTarget();
    void cancelledBeforeStart();
    void cancelledDuringColumns();
    void progressPhases();
    void pandasParity_data();
    void pandasParity();
    void amesWithTarget();
};

void TestProfiler::floatStatistics()
{
    // Checked by hand and against pandas 1.5 (Series.mean/std/skew/quantile, numpy.histogram).
    ProfileOptions options;
    options.histogramBins = 4;
    const Profile p = profileOf(
        makeTable({Column::float64(QStringLiteral("v"), {2, 4, 4, 4, kNaN, 5, 5, 7, 9})}), options);
    const ColumnProfile &c = p.columns.at(0);
    QCOMPARE(c.count, 8);
    QCOMPARE(c.missing, 1);
    QVERIFY(near(c.missingPct, 100.0 / 9.0));
    QCOMPARE(c.distinct, 5);
    QVERIFY(c.numeric);
    const NumericStats &s = *c.numeric;
    QCOMPARE(s.min, 2.0);
    QCOMPARE(s.max, 9.0);
    QCOMPARE(s.mean, 5.0);
    QVERIFY2(near(s.std, std::sqrt(32.0 / 7.0)), qPrintable(QString::number(s.std, 'g', 17)));
    QVERIFY2(near(s.skewness, 0.8184875533567997), qPrintable(QString::number(s.skewness, 'g', 17)));
    QCOMPARE(s.quantiles.size(), size_t(7));
    const double expected[][2] = {{0.01, 2.14}, {0.05, 2.7}, {0.25, 4.0}, {0.5, 4.5},
                                  {0.75, 5.5},  {0.95, 8.3}, {0.99, 8.86}};
    for (const auto &[q, value] : expected)
        QVERIFY2(near(s.quantile(q), value), qPrintable(QStringLiteral("q%1 = %2").arg(q).arg(s.quantile(q))));
    QCOMPARE(s.histogram.edges, (std::vector<double>{2, 3.75, 5.5, 7.25, 9}));
    QCOMPARE(s.histogram.counts, (std::vector<qint64>{1, 5, 1, 1}));
    QVERIFY(c.topValues.empty());
}

void TestProfiler::integerWithMissing()
{
    const Profile p = profileOf(makeTable(
        {Column::int64(QStringLiteral("n"), {10, 20, 30, 40}, {0, 1, 0, 0})}));
    const ColumnProfile &c = p.columns.at(0);
    QCOMPARE(c.type, ColumnType::Int64);
    QCOMPARE(c.count, 3);
    QCOMPARE(c.missing, 1);
    QCOMPARE(c.missingPct, 25.0);
    QCOMPARE(c.distinct, 3); // the 20 under the mask does not count
    QVERIFY(near(c.numeric->mean, 80.0 / 3.0));
    QVERIFY(near(c.numeric->std, 15.275252316519467));
    QVERIFY(near(c.numeric->skewness, -0.9352195295828252));
    QCOMPARE(c.numeric->min, 10.0);
    QCOMPARE(c.numeric->max, 40.0);
    QCOMPARE(c.numeric->quantile(0.5), 30.0);
    qint64 histogramTotal = 0;
    for (qint64 n : c.numeric->histogram.counts)
        histogramTotal += n;
    QCOMPARE(histogramTotal, 3);
    QCOMPARE(c.numeric->histogram.counts.size(), size_t(20));
}

void TestProfiler::smallIntegerHistogram()
{
    // Few distinct integers: one bin per integer, centred on it.
    const Profile p = profileOf(makeTable({Column::int64(QStringLiteral("k"), {1, 2, 2, 3, 3, 3})}));
    const Histogram &h = p.columns.at(0).numeric->histogram;
    QCOMPARE(h.edges, (std::vector<double>{0.5, 1.5, 2.5, 3.5}));
    QCOMPARE(h.counts, (std::vector<qint64>{1, 2, 3}));
}

void TestProfiler::distinctCounts()
{
    const Profile p = profileOf(makeTable({
        Column::float64(QStringLiteral("zeros"), {0.0, -0.0, 1.0, kNaN, 1.0}),
        Column::text(QStringLiteral("words"),
                     {QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("x"), QString(),
                      QStringLiteral("X")},
                     {0, 0, 0, 1, 0}),
        Column::categorical(QStringLiteral("cat"), {0, 2, 2, -1, 0},
                            {QStringLiteral("a"), QStringLiteral("unused"), QStringLiteral("c")}),
        Column::int64(QStringLiteral("big"),
                      {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                       0, 0, std::numeric_limits<int64_t>::max()}),
    }));
    QCOMPARE(p.column(QStringLiteral("zeros"))->distinct, 2); // -0.0 == 0.0, like pandas
    QCOMPARE(p.column(QStringLiteral("words"))->distinct, 3); // case matters
    QCOMPARE(p.column(QStringLiteral("cat"))->distinct, 2);   // unused dictionary entries don't count
    QCOMPARE(p.column(QStringLiteral("cat"))->missing, 1);
    QCOMPARE(p.column(QStringLiteral("big"))->distinct, 3);
}

void TestProfiler::categoricalTopValues()
{
    ProfileOptions options;
    options.topValues = 2;
    const Profile p = profileOf(
        makeTable({Column::categorical(QStringLiteral("c"), {0, 1, 1, 2, -1, 1, 2, 0, 3},
                                       {QStringLiteral("a"), QStringLiteral("b"),
                                        QStringLiteral("c"), QStringLiteral("d")})}),
        options);
    const ColumnProfile &c = p.columns.at(0);
    QCOMPARE(c.distinct, 4);
    QCOMPARE(c.topValues.size(), size_t(2));
    QCOMPARE(c.topValues[0].value, QStringLiteral("b"));
    QCOMPARE(c.topValues[0].count, 3);
    // a and c both appear twice: the tie goes to the first one seen.
    QCOMPARE(c.topValues[1].value, QStringLiteral("a"));
    QCOMPARE(c.topValues[1].count, 2);
    QVERIFY(!c.numeric);
}

void TestProfiler::boolAndDateTime()
{
    const qint64 a = QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 b = QDateTime(QDate(2021, 6, 30), QTime(12, 30, 15), Qt::UTC).toMSecsSinceEpoch();
    const Profile p = profileOf(makeTable({
        Column::boolean(QStringLiteral("b"), {1, 0, 1, 1}, {0, 0, 0, 1}),
        Column::dateTime(QStringLiteral("d"), {b, a, b, 0}, QStringLiteral("yyyy-MM-dd HH:mm:ss"),
                         {0, 0, 0, 1}),
    }));
    const ColumnProfile &flag = *p.column(QStringLiteral("b"));
    QCOMPARE(flag.distinct, 2);
    QCOMPARE(flag.missing, 1);
    QCOMPARE(flag.topValues.size(), size_t(2));
    QCOMPARE(flag.topValues[0].value, QStringLiteral("true"));
    QCOMPARE(flag.topValues[0].count, 2);
    QCOMPARE(flag.topValues[1].value, QStringLiteral("false"));
    QVERIFY(!flag.numeric);
    const ColumnProfile &date = *p.column(QStringLiteral("d"));
    QCOMPARE(date.distinct, 2);
    QCOMPARE(date.dateMin, QStringLiteral("2020-01-01T00:00:00.000Z"));
    QCOMPARE(date.dateMax, QStringLiteral("2021-06-30T12:30:15.000Z"));
    QVERIFY(!date.numeric);
}

void TestProfiler::summary()
{
    const Profile p = profileOf(makeTable({
        Column::float64(QStringLiteral("f"), {1, kNaN, 3, 4}),
        Column::int64(QStringLiteral("i"), {1, 2, 3, 4}),
        Column::boolean(QStringLiteral("b"), {1, 0, 1, 0}, {0, 0, 1, 1}),
        Column::categorical(QStringLiteral("c"), {0, 0, 1, -1}, {QStringLiteral("p"), QStringLiteral("q")}),
        Column::text(QStringLiteral("t"), {QStringLiteral("u"), QStringLiteral("v"), QStringLiteral("w"), QStringLiteral("x")}),
        Column::dateTime(QStringLiteral("d"), {0, 1, 2, 3}, QStringLiteral("yyyy")),
    }));
    const ProfileSummary &s = p.summary;
    QCOMPARE(s.rows, 4);
    QCOMPARE(s.columns, 6);
    QCOMPARE(s.missingCells, 4);
    QVERIFY(near(s.missingPct, 100.0 * 4 / 24));
    QCOMPARE(s.typeCount(ColumnType::Float64), 1);
    QCOMPARE(s.typeCount(ColumnType::Text), 1);
    QCOMPARE(s.groupCount(TypeGroup::Numeric), 2);
    QCOMPARE(s.groupCount(TypeGroup::Categorical), 2);
    QCOMPARE(s.groupCount(TypeGroup::DateTime), 1);
    QCOMPARE(s.groupCount(TypeGroup::Other), 1);
    QVERIFY(s.memoryBytes > 0);
    QCOMPARE(s.duplicateRows, 0);

    const json j = p.toJson();
    QCOMPARE(j["summary"]["types"]["categorical"].get<int>(), 1);
    QCOMPARE(j["summary"]["type_groups"]["numeric"].get<int>(), 2);
    // Missingness table: every column, most missing first.
    QCOMPARE(j["missingness"].size(), size_t(6));
    QCOMPARE(j["missingness"][0]["column"].get<std::string>(), std::string("b"));
    QCOMPARE(j["missingness"][0]["missing_count"].get<int>(), 2);
    QCOMPARE(j["missingness"][0]["missing_pct"].get<double>(), 50.0);
    QCOMPARE(j["missingness"][0]["present_count"].get<int>(), 2);
}

void TestProfiler::duplicateRows()
{
    // Rows 0, 2 and 4 are equal (missing == missing); row 3 differs from 0 only in the text.
    const Profile p = profileOf(makeTable({
        Column::float64(QStringLiteral("f"), {1.5, 2, 1.5, 1.5, 1.5}),
        Column::int64(QStringLiteral("i"), {7, 7, 7, 7, 7}, {1, 0, 1, 1, 1}),
        Column::text(QStringLiteral("t"),
                     {QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("a"),
                      QStringLiteral("b"), QStringLiteral("a")}),
    }));
    QCOMPARE(p.summary.duplicateRows, 2);
    QVERIFY(p.hasWarning(QStringLiteral("duplicated_rows")));
    const ProfileWarning *w = p.warningsWithCode(QStringLiteral("duplicated_rows")).front();
    QCOMPARE(w->proposal["action"].get<std::string>(), std::string("drop_duplicate_rows"));
    QCOMPARE(w->proposal["count"].get<int>(), 2);
}

void TestProfiler::emptyAndAllMissing()
{
    const Profile empty = profileOf(Table());
    QCOMPARE(empty.summary.rows, 0);
    QCOMPARE(empty.summary.columns, 0);
    QCOMPARE(empty.summary.missingPct, 0.0);

    const Profile p = profileOf(makeTable({Column::float64(QStringLiteral("gone"), {kNaN, kNaN})}));
    const ColumnProfile &c = p.columns.at(0);
    QCOMPARE(c.count, 0);
    QCOMPARE(c.distinct, 0);
    QVERIFY(std::isnan(c.numeric->mean));
    QVERIFY(c.numeric->histogram.isEmpty());
    QVERIFY(p.hasWarning(QStringLiteral("constant"), QStringLiteral("gone")));
    QVERIFY(p.hasWarning(QStringLiteral("high_missing"), QStringLiteral("gone")));
    // Still strict JSON.
    QVERIFY(toStrictJson(p.toJson()).find("NaN") == std::string::npos);
}

void TestProfiler::correlations()
{
    const Profile p = profileOf(makeTable({
        Column::float64(QStringLiteral("x"), {1, 2, 3, 4, 5}),
        Column::int64(QStringLiteral("y"), {3, 5, 7, 9, 11}), // 2x + 1
        Column::float64(QStringLiteral("z"), {5, 4, 3, 2, 1}),
        Column::float64(QStringLiteral("w"), {1, kNaN, 2, 1, 2}),
        Column::float64(QStringLiteral("k"), {4, 4, 4, 4, 4}),
        Column::text(QStringLiteral("t"), {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                           QStringLiteral("d"), QStringLiteral("e")}),
    }));
    const CorrelationMatrix &m = p.correlations;
    QCOMPARE(m.columns, (QStringList{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z"),
                                     QStringLiteral("w"), QStringLiteral("k")}));
    QVERIFY(!m.truncated);
    QVERIFY(near(m.value(QStringLiteral("x"), QStringLiteral("y")), 1.0));
    QVERIFY(near(m.value(QStringLiteral("x"), QStringLiteral("z")), -1.0));
    QVERIFY(near(m.value(QStringLiteral("x"), QStringLiteral("x")), 1.0));
    // Pairwise complete: rows 0, 2, 3, 4 -> x = 1,3,4,5 against w = 1,2,1,2; r = 1.5/sqrt(8.75).
    QVERIFY(near(m.value(QStringLiteral("x"), QStringLiteral("w")), 1.5 / std::sqrt(8.75)));
    QVERIFY(near(m.value(QStringLiteral("w"), QStringLiteral("x")), 1.5 / std::sqrt(8.75)));
    QVERIFY(std::isnan(m.value(QStringLiteral("x"), QStringLiteral("k"))));
    QVERIFY(std::isnan(m.value(QStringLiteral("k"), QStringLiteral("k"))));
    const json j = p.toJson()["correlations"];
    QVERIFY(j["matrix"][0][4].is_null());
    QCOMPARE(j["columns"].size(), size_t(5));
}

void TestProfiler::correlationCap()
{
    ProfileOptions options;
    options.maxCorrelationColumns = 2;
    const Profile p = profileOf(makeTable({
                                    Column::float64(QStringLiteral("small"), {1, 2, 3, 4}),
                                    Column::float64(QStringLiteral("large"), {10, 40, 20, 30}),
                                    Column::float64(QStringLiteral("medium"), {0, 5, 10, 5}),
                                }),
                                options);
    QVERIFY(p.correlations.truncated);
    QCOMPARE(p.correlations.numericColumnCount, 3);
    // The two largest variances, still in table order.
    QCOMPARE(p.correlations.columns, (QStringList{QStringLiteral("large"), QStringLiteral("medium")}));
}

void TestProfiler::associations()
{
    // Regression target: eta of a categorical feature, Pearson of a numeric one.
    {
        const Profile p = profileOf(
            makeTable({
                Column::float64(QStringLiteral("y"), {1, 2, 3, 7, 8, 9.5}),
                Column::categorical(QStringLiteral("g"), {0, 0, 0, 1, 1, 1},
                                    {QStringLiteral("A"), QStringLiteral("B")}),
                Column::float64(QStringLiteral("x"), {1, 3, 2, 5, 4, 6}),
            }),
            withTarget(QStringLiteral("y")));
        QCOMPARE(p.target.kind, TargetKind::Numeric);
        const TargetAssociation *g = p.association(QStringLiteral("g"));
        QVERIFY(g);
        QCOMPARE(g->measure, QStringLiteral("eta"));
        // mean 5.08333; group means 2 and 8.1667.
        const double mean = 30.5 / 6;
        double sst = 0;
        for (double v : {1.0, 2.0, 3.0, 7.0, 8.0, 9.5})
            sst += (v - mean) * (v - mean);
        const double ssb = 3 * std::pow(2 - mean, 2) + 3 * std::pow(24.5 / 3 - mean, 2);
        QVERIFY(near(g->value, std::sqrt(ssb / sst)));
        QCOMPARE(g->rows, 6);
        const TargetAssociation *x = p.association(QStringLiteral("x"));
        QCOMPARE(x->measure, QStringLiteral("pearson"));
        QVERIFY(x->value > 0.8 && x->value < 0.98);
        QCOMPARE(x->predictorMetric, QStringLiteral("r2"));
        QVERIFY(!p.association(QStringLiteral("y"))); // not against itself
        // Strongest first.
        QCOMPARE(p.associations.front().column, QStringLiteral("g"));
    }
    // Classification target: Cramér's V for categorical features, eta for numeric ones.
    {
        const Profile p = profileOf(
            makeTable({
                Column::categorical(QStringLiteral("cls"), {0, 0, 0, 0, 1, 1, 1, 1},
                                    {QStringLiteral("n"), QStringLiteral("p")}),
                Column::categorical(QStringLiteral("indep"), {0, 0, 1, 1, 0, 0, 1, 1},
                                    {QStringLiteral("u"), QStringLiteral("v")}),
                Column::boolean(QStringLiteral("half"), {1, 1, 1, 0, 0, 0, 0, 1}),
                Column::float64(QStringLiteral("num"), {1, 2, 1, 2, 5, 6, 5, 6}),
            }),
            withTarget(QStringLiteral("cls")));
        QCOMPARE(p.target.kind, TargetKind::Classes);
        QCOMPARE(p.association(QStringLiteral("indep"))->measure, QStringLiteral("cramers_v"));
        QVERIFY(near(p.association(QStringLiteral("indep"))->value, 0.0));
        // 2x2 table [[3,1],[1,3]]: chi² = 2, V = sqrt(2/8) = 0.5.
        QVERIFY(near(p.association(QStringLiteral("half"))->value, 0.5));
        const TargetAssociation *num = p.association(QStringLiteral("num"));
        QCOMPARE(num->measure, QStringLiteral("eta"));
        // Group means 1.5 and 5.5, overall 3.5: SSB = 8 * 4 = 32, SST = 32 + 8 * 0.25 = 34.
        QVERIFY(near(num->value, std::sqrt(32.0 / 34.0)));
        QCOMPARE(num->predictorMetric, QStringLiteral("accuracy"));
    }
}

void TestProfiler::targetDistribution()
{
    {
        // Few distinct integers: classes, most frequent first.
        const Profile p = profileOf(
            makeTable({Column::int64(QStringLiteral("t"), {2, 0, 2, 1, 2, 0}, {0, 0, 0, 0, 0, 0}),
                       Column::float64(QStringLiteral("f"), {1, 2, 3, 4, 5, 6})}),
            withTarget(QStringLiteral("t")));
        QCOMPARE(p.target.kind, TargetKind::Classes);
        QCOMPARE(p.target.classes.size(), size_t(3));
        QCOMPARE(p.target.classes[0].value, QStringLiteral("2"));
        QCOMPARE(p.target.classes[0].count, 3);
        QCOMPARE(p.target.classes[1].value, QStringLiteral("0"));
        QCOMPARE(p.target.classes[2].count, 1);
        const json j = p.toJson()["target"];
        QCOMPARE(j["task"].get<std::string>(), std::string("classification"));
        QCOMPARE(j["classes"][0]["fraction"].get<double>(), 0.5);
    }
    {
        // Many distinct or non-integral values: a histogram.
        std::vector<double> y;
        for (int i = 0; i < 40; ++i)
            y.push_back(i * 0.5);
        const Profile p = profileOf(makeTable({Column::float64(QStringLiteral("y"), y)}),
                                    withTarget(QStringLiteral("y")));
        QCOMPARE(p.target.kind, TargetKind::Numeric);
        QCOMPARE(p.target.histogram.counts.size(), size_t(20));
        qint64 total = 0;
        for (qint64 n : p.target.histogram.counts)
            total += n;
        QCOMPARE(total, 40);
        QCOMPARE(p.toJson()["target"]["task"].get<std::string>(), std::string("regression"));
    }
}

void TestProfiler::cleanTableHasNoWarnings()
{
    const Profile p = profileOf(makeTable(cleanColumns()), withTarget(QStringLiteral("target")));
    QVERIFY2(p.warnings.empty(), qPrintable(describe(p)));
    QCOMPARE(p.target.kind, TargetKind::Classes);
    QCOMPARE(p.associations.size(), size_t(5));
    for (const TargetAssociation &a : p.associations)
        QVERIFY2(a.predictorScore < 0.9, qPrintable(a.column));
    // Without a target the same.
    const Profile noTarget = profileOf(makeTable(cleanColumns()));
    QVERIFY2(noTarget.warnings.empty(), qPrintable(describe(noTarget)));
}

void TestProfiler::warnings_data()
{
    QTest::addColumn<ColumnMaker>("make");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("action");

    auto plus = [](Column extra) {
        return ColumnMaker([extra]() {
            std::vector<Column> columns = cleanColumns();
            columns.insert(columns.begin(), extra);
            return columns;
        });
    };
    std::vector<int64_t> counter, sparse, skewed;
    std::vector<QString> names, manyTexts;
    std::vector<int32_t> manyCodes;
    std::vector<QString> manyDictionary;
    std::vector<double> constant, holes;
    for (int r = 0; r < kRows; ++r) {
        counter.push_back(r + 1);
        sparse.push_back(100'000 + 7919LL * ((r * 37) % kRows));
        names.push_back(QStringLiteral("customer %1").arg(r));
        manyTexts.push_back(QStringLiteral("note %1").arg(r % 40));
        manyCodes.push_back(r % 40);
        constant.push_back(3.0);
        holes.push_back(r % 2 ? kNaN : double(r % 5));
        skewed.push_back(r == 0 ? 1000 : r % 5);
    }
    for (int k = 0; k < 40; ++k)
        manyDictionary.push_back(QStringLiteral("level %1").arg(k));

    QTest::newRow("counter is ID-like")
        << plus(Column::int64(QStringLiteral("Order"), counter)) << "id_like" << "Order"
        << "exclude_column";
    QTest::newRow("sparse ints named PID")
        << plus(Column::int64(QStringLiteral("PID"), sparse)) << "id_like" << "PID"
        << "exclude_column";
    QTest::newRow("unique text")
        << plus(Column::text(QStringLiteral("name"), names)) << "id_like" << "name"
        << "exclude_column";
    QTest::newRow("constant")
        << plus(Column::float64(QStringLiteral("k"), constant)) << "constant" << "k"
        << "exclude_column";
    QTest::newRow("high-cardinality categorical")
        << plus(Column::categorical(QStringLiteral("many"), manyCodes, manyDictionary))
        << "high_cardinality" << "many" << "frequency_encode";
    QTest::newRow("high-cardinality text")
        << plus(Column::text(QStringLiteral("notes"), manyTexts)) << "high_cardinality" << "notes"
        << "exclude_column";
    QTest::newRow("high missing")
        << plus(Column::float64(QStringLiteral("holes"), holes)) << "high_missing" << "holes"
        << "exclude_column";
    QTest::newRow("dataset missing")
        << plus(Column::float64(QStringLiteral("holes"), holes)) << "dataset_missing" << ""
        << "impute_missing";
    QTest::newRow("skewed")
        << plus(Column::int64(QStringLiteral("spike"), skewed)) << "skewed" << "spike"
        << "log_transform";
    QTest::newRow("duplicated rows") << ColumnMaker([]() {
        std::vector<Column> out;
        for (const Column &c : cleanColumns()) {
            // Row 1 becomes a copy of row 0 in every column.
            switch (c.type()) {
            case ColumnType::Float64: {
                auto v = c.float64Values();
                v[1] = v[0];
                out.push_back(Column::float64(c.name(), v));
                break;
            }
            case ColumnType::Int64: {
                auto v = c.int64Values();
                v[1] = v[0];
                out.push_back(Column::int64(c.name(), v));
                break;
            }
            case ColumnType::DateTime: {
                auto v = c.int64Values();
                v[1] = v[0];
                out.push_back(Column::dateTime(c.name(), v, c.dateTimeFormat()));
                break;
            }
            case ColumnType::Bool: {
                auto v = c.boolValues();
                v[1] = v[0];
                out.push_back(Column::boolean(c.name(), v));
                break;
            }
            case ColumnType::Categorical: {
                auto v = c.codes();
                v[1] = v[0];
                out.push_back(Column::categorical(c.name(), v, c.dictionary()));
                break;
            }
            case ColumnType::Text: out.push_back(c); break;
            }
        }
        return out;
    }) << "duplicated_rows" << "" << "drop_duplicate_rows";
    QTest::newRow("class imbalance") << ColumnMaker([]() {
        std::vector<Column> columns = cleanColumns();
        std::vector<int32_t> rare(kRows, 0);
        rare[5] = rare[17] = 1; // 2 of 60: < 5 % of the rows
        columns.back() = Column::categorical(QStringLiteral("target"), rare,
                                             {QStringLiteral("no"), QStringLiteral("yes")});
        return columns;
    }) << "class_imbalance" << "target" << "use_class_weights";
    QTest::newRow("target missing") << ColumnMaker([]() {
        std::vector<Column> columns = cleanColumns();
        std::vector<int32_t> codes = targetCodes(columns);
        codes[3] = -1;
        columns.back() = Column::categorical(QStringLiteral("target"), codes,
                                             {QStringLiteral("no"), QStringLiteral("yes")});
        return columns;
    }) << "target_missing" << "target" << "drop_rows_missing_target";
}

void TestProfiler::warnings()
{
    QFETCH(ColumnMaker, make);
    QFETCH(QString, code);
    QFETCH(QString, column);
    QFETCH(QString, action);

    const Profile p = profileOf(makeTable(make()), withTarget(QStringLiteral("target")));
    const auto found = p.warningsWithCode(code);
    QVERIFY2(found.size() == 1, qPrintable(describe(p)));
    const ProfileWarning &w = *found.front();
    QCOMPARE(w.column, column);
    QVERIFY(!w.message.isEmpty());
    QVERIFY(!w.reason.isEmpty());
    QCOMPARE(QString::fromStdString(w.proposal.value("action", std::string())), action);
    if (!column.isEmpty() && w.proposal.contains("column"))
        QCOMPARE(QString::fromStdString(w.proposal["column"].get<std::string>()), column);
    const json j = w.toJson();
    for (const char *key : {"code", "column", "severity", "message", "reason", "proposal"})
        QVERIFY2(j.contains(key), key);
    // Nothing else should fire: every other warning here is a consequence of the same column.
    for (const ProfileWarning &other : p.warnings) {
        const bool related = other.code == code
                             || (code == QLatin1String("high_missing")
                                 && other.code == QLatin1String("dataset_missing"))
                             || (code == QLatin1String("dataset_missing")
                                 && other.code == QLatin1String("high_missing"));
        QVERIFY2(related, qPrintable(describe(p)));
    }
}

void TestProfiler::targetExcludedFromFeatureWarnings()
{
    // A skewed regression target that is also unique per row: target_skewed, never skewed/id_like.
    std::vector<double> y;
    std::vector<double> x;
    Lcg rng(3);
    for (int r = 0; r < kRows; ++r) {
        y.push_back(r == 0 ? 5000.0 : r + rng.uniform());
        x.push_back(rng.uniform());
    }
    const Profile p = profileOf(makeTable({Column::float64(QStringLiteral("x"), x),
                                           Column::float64(QStringLiteral("Id"), y)}),
                                withTarget(QStringLiteral("Id")));
    QVERIFY2(p.hasWarning(QStringLiteral("target_skewed"), QStringLiteral("Id")), qPrintable(describe(p)));
    for (const ProfileWarning &w : p.warnings) {
        if (w.column == QLatin1String("Id"))
            QVERIFY2(w.code.startsWith(QLatin1String("target_")), qPrintable(w.code));
    }
    QVERIFY(p.column(QStringLiteral("Id"))->isTarget);
    QVERIFY(!p.column(QStringLiteral("Id"))->idLike);
}

void TestProfiler::leakageLinearCopy()
{
    // Regression: a column equal to target * 2 + 1 (Pearson 1).
    std::vector<double> y, copy, noise;
    Lcg rng(11);
    for (int r = 0; r < kRows; ++r) {
        y.push_back(100 * rng.uniform());
        copy.push_back(y.back() * 2 + 1);
        noise.push_back(rng.uniform());
    }
    const Profile p = profileOf(makeTable({Column::float64(QStringLiteral("noise"), noise),
                                           Column::float64(QStringLiteral("copy"), copy),
                                           Column::float64(QStringLiteral("price"), y)}),
                                withTarget(QStringLiteral("price")));
    QVERIFY2(p.hasWarning(QStringLiteral("target_leakage"), QStringLiteral("copy")), qPrintable(describe(p)));
    QVERIFY(!p.hasWarning(QStringLiteral("target_leakage"), QStringLiteral("noise")));
    const ProfileWarning *w = p.warningsWithCode(QStringLiteral("target_leakage")).front();
    QCOMPARE(w->severity, WarningSeverity::Critical);
    QCOMPARE(w->proposal["action"].get<std::string>(), std::string("exclude_column"));
    QCOMPARE(p.warnings.front().code, QStringLiteral("target_leakage")); // most severe first
    QVERIFY(near(p.association(QStringLiteral("copy"))->value, 1.0));
    QVERIFY(p.association(QStringLiteral("copy"))->predictorScore > 0.98);

    // A non-linear but deterministic copy (no strong Pearson): found by the single-feature
    // predictor (nearest value, leave-one-out).
    std::vector<double> feature, signal;
    for (int r = 0; r < 200; ++r) {
        feature.push_back(r * 0.05);
        signal.push_back(std::sin(feature.back()) * 10); // ~1.6 periods
    }
    const Profile q = profileOf(makeTable({Column::float64(QStringLiteral("phase"), feature),
                                           Column::float64(QStringLiteral("signal"), signal)}),
                                withTarget(QStringLiteral("signal")));
    QVERIFY(std::abs(q.association(QStringLiteral("phase"))->value) < 0.5);
    QVERIFY2(q.hasWarning(QStringLiteral("target_leakage"), QStringLiteral("phase")), qPrintable(describe(q)));
}

void TestProfiler::leakageIntegerClassCopy()
{
    // Classification with an integer class label 0..2 and a feature = target * 2 + 1.
    std::vector<int64_t> cls, copy;
    std::vector<double> noise;
    Lcg rng(5);
    for (int r = 0; r < kRows; ++r) {
        cls.push_back(rng.below(3));
        copy.push_back(cls.back() * 2 + 1);
        noise.push_back(rng.uniform());
    }
    const Profile p = profileOf(makeTable({Column::float64(QStringLiteral("noise"), noise),
                                           Column::int64(QStringLiteral("copy"), copy),
                                           Column::int64(QStringLiteral("label"), cls)}),
                                withTarget(QStringLiteral("label")));
    QCOMPARE(p.target.kind, TargetKind::Classes);
    QVERIFY2(p.hasWarning(QStringLiteral("target_leakage"), QStringLiteral("copy")), qPrintable(describe(p)));
    QVERIFY(!p.hasWarning(QStringLiteral("target_leakage"), QStringLiteral("noise")));
    QCOMPARE(p.association(QStringLiteral("copy"))->predictorScore, 1.0);
}

void TestProfiler::leakageCategoricalMapping()
{
    std::vector<Column> columns = cleanColumns();
    const std::vector<int32_t> target = targetCodes(columns);
    // "Y"/"N" is the class under another name; one row in 60 disagrees (98.3 %: below 99 %),
    // so only the exact mapping is flagged.
    std::vector<int32_t> mapped = target, almost = target;
    almost[10] = 1 - almost[10];
    columns.insert(columns.begin(), Column::categorical(QStringLiteral("status"), mapped,
                                                        {QStringLiteral("N"), QStringLiteral("Y")}));
    columns.insert(columns.begin(), Column::categorical(QStringLiteral("almost"), almost,
                                                        {QStringLiteral("N"), QStringLiteral("Y")}));
    const Profile p = profileOf(makeTable(std::move(columns)), withTarget(QStringLiteral("target")));
    QVERIFY2(p.hasWarning(QStringLiteral("target_leakage"), QStringLiteral("status")), qPrintable(describe(p)));
    QVERIFY2(!p.hasWarning(QStringLiteral("target_leakage"), QStringLiteral("almost")), qPrintable(describe(p)));
    QCOMPARE(p.warningsWithCode(QStringLiteral("target_leakage")).size(), size_t(1));
    QVERIFY(near(p.association(QStringLiteral("status"))->value, 1.0)); // Cramér's V
    QCOMPARE(p.association(QStringLiteral("status"))->predictorScore, 1.0);
}

void TestProfiler::noLeakageFromIdOrMajority()
{
    // Rows sorted by class and a row counter: a nearest-neighbour on the counter would "predict"
    // the class, but an ID is never reported as leakage (it gets id_like instead).
    std::vector<int64_t> counter;
    std::vector<int32_t> sorted;
    for (int r = 0; r < kRows; ++r) {
        counter.push_back(r);
        sorted.push_back(r < kRows / 2 ? 0 : 1);
    }
    const Profile p = profileOf(makeTable({Column::int64(QStringLiteral("row"), counter),
                                           Column::categorical(QStringLiteral("target"), sorted,
                                                               {QStringLiteral("a"), QStringLiteral("b")})}),
                                withTarget(QStringLiteral("target")));
    QVERIFY(p.hasWarning(QStringLiteral("id_like"), QStringLiteral("row")));
    QVERIFY(!p.hasWarning(QStringLiteral("target_leakage")));
    // Unique values would "explain" any target: no association is reported for an ID.
    QVERIFY(std::isnan(p.association(QStringLiteral("row"))->value));
    QVERIFY(p.toJson()["target_associations"][0]["value"].is_null());

    // 99 % majority class: every feature is "99 % accurate"; that alone is no leak.
    std::vector<int32_t> skewedTarget(200, 0);
    skewedTarget[42] = 1;
    std::vector<int32_t> colours;
    for (int r = 0; r < 200; ++r)
        colours.push_back(r % 3);
    const Profile q = profileOf(
        makeTable({Column::categorical(QStringLiteral("colour"), colours,
                                       {QStringLiteral("r"), QStringLiteral("g"), QStringLiteral("b")}),
                   Column::categorical(QStringLiteral("target"), skewedTarget,
                                       {QStringLiteral("ok"), QStringLiteral("fraud")})}),
        withTarget(QStringLiteral("target")));
    QVERIFY(q.association(QStringLiteral("colour"))->predictorScore >= 0.99);
    QVERIFY2(!q.hasWarning(QStringLiteral("target_leakage")), qPrintable(describe(q)));
    QVERIFY(q.hasWarning(QStringLiteral("class_imbalance"), QStringLiteral("target")));
}

void TestProfiler::strictJson()
{
    const Profile p = profileOf(makeTable({Column::float64(QStringLiteral("one"), {kNaN, 4.0}),
                                           Column::float64(QStringLiteral("inf"),
                                                           {1.0, std::numeric_limits<double>::infinity()})}));
    const json j = p.toJson();
    const std::string text = toStrictJson(j);
    QVERIFY(text.find("NaN") == std::string::npos);
    QVERIFY(text.find("Infinity") == std::string::npos);
    QVERIFY(parseJson(QByteArray::fromStdString(text)).ok());
    const json &one = j["columns"][0];
    QCOMPARE(one["numeric"]["mean"].get<double>(), 4.0);
    QVERIFY(one["numeric"]["std"].is_null()); // one value: undefined, not 0
    QVERIFY(one["numeric"]["skewness"].is_null());
    QVERIFY(j["columns"][1]["numeric"]["max"].is_null());
    QVERIFY(j["target"].is_null());
    for (const char *key : {"summary", "columns", "missingness", "target", "correlations",
                            "target_associations", "warnings"})
        QVERIFY2(j.contains(key), key);
    const json protocol = p.toProtocolSummary();
    QVERIFY(toStrictJson(protocol).find("NaN") == std::string::npos);
}

void TestProfiler::protocolSummary()
{
    std::vector<Column> columns = cleanColumns();
    std::vector<double> holes;
    for (int r = 0; r < kRows; ++r)
        holes.push_back(r % 2 ? kNaN : double(r));
    columns.push_back(Column::float64(QStringLiteral("holes"), holes));
    const Profile p = profileOf(makeTable(std::move(columns)), withTarget(QStringLiteral("target")));
    const json j = p.toProtocolSummary();

    // Contract fields.
    QCOMPARE(j["n_rows"].get<int>(), kRows);
    QCOMPARE(j["n_cols"].get<int>(), 7);
    QCOMPARE(j["missing_pct"].get<double>(), 7.14); // 30 of 420 cells, two decimals
    const json &types = j["types_breakdown"];
    QCOMPARE(types.size(), size_t(4));
    QCOMPARE(types["numeric"].get<int>(), 3);
    QCOMPARE(types["categorical"].get<int>(), 3);
    QCOMPARE(types["datetime"].get<int>(), 1);
    QCOMPARE(types["other"].get<int>(), 0);
    QVERIFY(j["warnings"].is_array());
    QCOMPARE(j["warnings"].size(), p.warnings.size());
    bool sawDatasetMissing = false;
    for (const json &w : j["warnings"]) {
        QVERIFY(w.is_string());
        sawDatasetMissing = sawDatasetMissing || w.get<std::string>() == "Dataset has >5% missing values.";
    }
    QVERIFY(sawDatasetMissing);

    // Stage shape.
    const json &profile = j["profile"];
    QCOMPARE(profile["rows"].get<int>(), kRows);
    QCOMPARE(profile["columns"].get<int>(), 7);
    QCOMPARE(profile["column_names"].size(), size_t(7));
    QCOMPARE(profile["dtypes"]["x1"].get<std::string>(), std::string("float64"));
    QCOMPARE(profile["column_types"], profile["dtypes"]);
    QCOMPARE(profile["missing_values"].size(), size_t(1));
    QCOMPARE(profile["missing_values"]["holes"]["count"].get<int>(), 30);
    QCOMPARE(profile["missing_values"]["holes"]["percentage"].get<double>(), 50.0);
    QCOMPARE(profile["numeric_columns"], json({"x1", "x2", "holes"}));
    QCOMPARE(profile["categorical_columns"], json({"colour", "flag", "target"}));
    QVERIFY(profile["memory_usage_mb"].is_number());
    QCOMPARE(profile["total_cells"].get<int>(), 420);
    const ColumnProfile &x1 = *p.column(QStringLiteral("x1"));
    QCOMPARE(profile["numeric_stats"]["x1"]["mean"].get<double>(), x1.numeric->mean);
    QCOMPARE(profile["numeric_stats"]["x1"]["std"].get<double>(), x1.numeric->std);
    QCOMPARE(profile["numeric_stats"]["x1"]["min"].get<double>(), x1.numeric->min);
    QCOMPARE(profile["numeric_stats"]["x1"]["max"].get<double>(), x1.numeric->max);
    QCOMPARE(profile["categorical_stats"]["colour"]["unique_values"].get<int>(), 3);
    QCOMPARE(profile["categorical_stats"]["colour"]["most_common"].get<std::string>(), std::string("red"));
    const json &summary = profile["summary"];
    QCOMPARE(summary["total_missing_values"].get<int>(), 30);
    QCOMPARE(summary["missing_percentage"].get<double>(), 7.14);
    QCOMPARE(summary["numeric_column_count"].get<int>(), 3);
    QCOMPARE(summary["categorical_column_count"].get<int>(), 3);
    QCOMPARE(summary["total_cells"].get<int>(), 420);
    QVERIFY(summary["memory_usage_mb"].is_number());
    QCOMPARE(summary["column_types"], profile["dtypes"]);
}

void TestProfiler::unknownTarget()
{
    const Table t = makeTable(cleanColumns());
    const Result<Profile> r = profileTable(t, withTarget(QStringLiteral("nope")));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::NotFound);
    QCOMPARE(r.error().code, QStringLiteral("profile.no_target"));
    const Result<Profile> dates = profileTable(t, withTarget(QStringLiteral("when")));
    QVERIFY(!dates.ok());
    QCOMPARE(dates.error().kind, ErrorKind::BadInput);
}

void TestProfiler::cancelledBeforeStart()
{
    const JobToken token = cancelledToken();
    QVERIFY(token.isCancelled());
    const Result<Profile> r = profileTable(makeTable(cleanColumns()), {}, &token);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Cancelled);
}

void TestProfiler::cancelledDuringColumns()
{
    // Cancel after the first column was profiled, from the progress callback (calling thread).
    // One thread, so the calling thread profiles that column itself.
    JobToken token;
    JobHandle handle = JobRunner::start<int>(
        token, [](const JobToken &) -> Result<int> { return 0; }, nullptr, [](Result<int>) {});
    QVERIFY(handle.wait(10'000));
    QVERIFY(!token.isCancelled());
    QStringList phases;
    ProfileOptions options = withTarget(QStringLiteral("target"));
    options.threads = 1;
    const Result<Profile> r = profileTable(
        makeTable(cleanColumns()), options, &token,
        [&](const QString &phase, double pct) {
            phases << phase;
            if (phase == QLatin1String("columns") && pct > 0)
                handle.cancel();
        });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, ErrorKind::Cancelled);
    QVERIFY(!phases.contains(QStringLiteral("duplicates")));
}

void TestProfiler::progressPhases()
{
    QStringList phases;
    double last = -1;
    bool monotonic = true;
    ProfileOptions options = withTarget(QStringLiteral("target"));
    options.threads = 2;
    const Result<Profile> r = profileTable(makeTable(cleanColumns()), options, nullptr,
                                           [&](const QString &phase, double pct) {
                                               if (phases.isEmpty() || phases.last() != phase)
                                                   phases << phase;
                                               monotonic = monotonic && pct >= last;
                                               last = pct;
                                           });
    QVERIFY(r.ok());
    QVERIFY(monotonic);
    QCOMPARE(last, 1.0);
    QCOMPARE(phases, (QStringList{QStringLiteral("columns"), QStringLiteral("duplicates"),
                                  QStringLiteral("correlations"), QStringLiteral("target"),
                                  QStringLiteral("warnings")}));
}

void TestProfiler::pandasParity_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("target");
    const char *const sets[][2] = {{"ames_housing", "Sale_Price"}, {"breast_cancer", "target"},
                                   {"diabetes", "target"},          {"iris", "target"},
                                   {"wine", "target"},              {"seattle_weather", "weather"},
                                   {"electricity_taylor", "demand_mw"},
                                   {"air_passengers", "passengers"}};
    for (const auto &[name, target] : sets)
        QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(target);
}

void TestProfiler::pandasParity()
{
    QFETCH(QString, name);
    QFETCH(QString, target);
    const QString dir = QStringLiteral(BATON_TEST_DATA_DIR);
    QFile expectedFile(dir + QStringLiteral("/expected/%1.profile.json").arg(name));
    QVERIFY2(expectedFile.open(QIODevice::ReadOnly), qPrintable(expectedFile.fileName()));
    const Result<json> parsed = parseJson(expectedFile.readAll(), expectedFile.fileName());
    QVERIFY(parsed.ok());
    const json &expected = *parsed;

    const Result<Table> table = readCsv(dir + QStringLiteral("/%1.csv").arg(name));
    QVERIFY2(table.ok(), qPrintable(table.ok() ? QString() : table.error().toString()));
    const Result<Profile> result = profileTable(*table, withTarget(target));
    QVERIFY(result.ok());
    const Profile &p = *result;
    // Public benchmark sets without a known leak: the leakage rules must stay quiet on them.
    QVERIFY2(!p.hasWarning(QStringLiteral("target_leakage")), qPrintable(describe(p)));
    QCOMPARE(p.associations.size(), size_t(p.summary.columns - 1));

    QCOMPARE(p.summary.rows, expected["rows"].get<qint64>());
    QCOMPARE(qint64(p.summary.columns), expected["columns"].get<qint64>());
    QCOMPARE(p.summary.missingCells, expected["missing_cells"].get<qint64>());
    QCOMPARE(p.summary.duplicateRows, expected["duplicate_rows"].get<qint64>());

    const json &stats = expected["column_stats"];
    QCOMPARE(p.columns.size(), stats.size());
    for (size_t i = 0; i < stats.size(); ++i) {
        const json &e = stats[i];
        const ColumnProfile &c = p.columns[i];
        const QString where = QStringLiteral("%1.%2").arg(name, c.name);
        QCOMPARE(c.name, QString::fromStdString(e["name"].get<std::string>()));
        QVERIFY2(c.missing == e["missing"].get<qint64>(), qPrintable(where));
        // Exact, for every type: a date column is text to pandas and DateTime to us, but
        // distinct strings are distinct instants (one format per column), so nunique agrees.
        QVERIFY2(c.distinct == e["nunique"].get<qint64>(),
                 qPrintable(QStringLiteral("%1: %2 vs pandas %3").arg(where).arg(c.distinct)
                                .arg(e["nunique"].get<qint64>())));

        const std::string dtype = e["dtype"].get<std::string>();
        if (dtype == "float64" || dtype == "int64") {
            // pandas' numeric columns are ours too (pandas reads 0/1 as int64, and so do we).
            QVERIFY2(c.type == ColumnType::Float64 || c.type == ColumnType::Int64, qPrintable(where));
            QVERIFY2(QString::fromStdString(dtype) == columnTypeName(c.type), qPrintable(where));
            const double mean = e["mean"].get<double>();
            const double std = e["std"].get<double>();
            // Relative 1e-9 on the mean's own scale would test summation order, not statistics,
            // for centred columns (diabetes' means are ~1e-17 with std 0.048): measure the
            // error against the larger of |mean| and std.
            const double scale = std::max(std::abs(mean), std);
            QVERIFY2(std::abs(c.numeric->mean - mean) <= 1e-9 * scale,
                     qPrintable(QStringLiteral("%1 mean %2 vs %3").arg(where)
                                    .arg(c.numeric->mean, 0, 'g', 17).arg(mean, 0, 'g', 17)));
            QVERIFY2(std::abs(c.numeric->std - std) <= 1e-9 * std,
                     qPrintable(QStringLiteral("%1 std %2 vs %3").arg(where)
                                    .arg(c.numeric->std, 0, 'g', 17).arg(std, 0, 'g', 17)));
        } else {
            // pandas' object columns: strings, dates or booleans to us; no mean to compare.
            QCOMPARE(dtype, std::string("object"));
            QVERIFY2(!c.numeric, qPrintable(where));
        }
    }
    // The protocol payload agrees with the profile.
    const json summary = p.toProtocolSummary();
    QCOMPARE(summary["n_rows"].get<qint64>(), expected["rows"].get<qint64>());
    QCOMPARE(summary["profile"]["column_names"].size(), stats.size());
}

void TestProfiler::amesWithTarget()
{
    const Result<Table> table = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/ames_housing.csv"));
    QVERIFY(table.ok());
    QElapsedTimer timer;
    timer.start();
    const Result<Profile> result = profileTable(*table, withTarget(QStringLiteral("Sale_Price")));
    const qint64 elapsed = timer.elapsed();
    QVERIFY(result.ok());
    const Profile &p = *result;
    qInfo("profiled ames_housing (%lld x %d) with a target in %lld ms", qint64(p.summary.rows),
          p.summary.columns, elapsed);
    QCOMPARE(p.target.kind, TargetKind::Numeric);
    QCOMPARE(p.associations.size(), size_t(73));
    QVERIFY(p.correlations.columns.contains(QStringLiteral("Sale_Price")));
    // Ames has no leak: the strongest single features explain well under 98 %.
    QVERIFY2(!p.hasWarning(QStringLiteral("target_leakage")), qPrintable(describe(p)));
    QVERIFY2(p.hasWarning(QStringLiteral("target_skewed"), QStringLiteral("Sale_Price"))
                 || std::abs(p.column(QStringLiteral("Sale_Price"))->numeric->skewness) <= 2,
             qPrintable(describe(p)));
    const TargetAssociation &top = p.associations.front();
    QVERIFY2(std::abs(top.value) > 0.6, qPrintable(top.column));
    QVERIFY(toStrictJson(p.toJson()).find("NaN") == std::string::npos);
}

QTEST_GUILESS_MAIN(TestProfiler)
#include "tst_profiler.moc"
