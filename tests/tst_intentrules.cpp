#include "core/agents/IntentRules.h"

#include <QtTest>

#include <vector>

using namespace baton;
using K = ColumnHint::Kind;

Q_DECLARE_METATYPE(baton::TaskKind)

namespace {

// Column lists copied from the CSV headers in shared/datasets, with the kinds and distinct counts
// the profiler reports for them (rows as the last field).
// ames_housing.csv
std::vector<ColumnHint> amesColumns()
{
    return {
        {QStringLiteral("MS_SubClass"), K::Categorical, 16, 2930},
        {QStringLiteral("MS_Zoning"), K::Categorical, 7, 2930},
        {QStringLiteral("Lot_Frontage"), K::Integer, 129, 2930},
        {QStringLiteral("Lot_Area"), K::Integer, 1960, 2930},
        {QStringLiteral("Street"), K::Categorical, 2, 2930},
        {QStringLiteral("Alley"), K::Categorical, 3, 2930},
        {QStringLiteral("Lot_Shape"), K::Categorical, 4, 2930},
        {QStringLiteral("Land_Contour"), K::Categorical, 4, 2930},
        {QStringLiteral("Utilities"), K::Categorical, 3, 2930},
        {QStringLiteral("Lot_Config"), K::Categorical, 5, 2930},
        {QStringLiteral("Land_Slope"), K::Categorical, 3, 2930},
        {QStringLiteral("Neighborhood"), K::Categorical, 28, 2930},
        {QStringLiteral("Condition_1"), K::Categorical, 9, 2930},
        {QStringLiteral("Condition_2"), K::Categorical, 8, 2930},
        {QStringLiteral("Bldg_Type"), K::Categorical, 5, 2930},
        {QStringLiteral("House_Style"), K::Categorical, 8, 2930},
        {QStringLiteral("Overall_Cond"), K::Categorical, 9, 2930},
        {QStringLiteral("Year_Built"), K::Integer, 118, 2930},
        {QStringLiteral("Year_Remod_Add"), K::Integer, 61, 2930},
        {QStringLiteral("Roof_Style"), K::Categorical, 6, 2930},
        {QStringLiteral("Roof_Matl"), K::Categorical, 8, 2930},
        {QStringLiteral("Exterior_1st"), K::Categorical, 16, 2930},
        {QStringLiteral("Exterior_2nd"), K::Categorical, 17, 2930},
        {QStringLiteral("Mas_Vnr_Type"), K::Categorical, 5, 2930},
        {QStringLiteral("Mas_Vnr_Area"), K::Integer, 445, 2930},
        {QStringLiteral("Exter_Cond"), K::Categorical, 5, 2930},
        {QStringLiteral("Foundation"), K::Categorical, 6, 2930},
        {QStringLiteral("Bsmt_Cond"), K::Categorical, 6, 2930},
        {QStringLiteral("Bsmt_Exposure"), K::Categorical, 5, 2930},
        {QStringLiteral("BsmtFin_Type_1"), K::Categorical, 7, 2930},
        {QStringLiteral("BsmtFin_SF_1"), K::Integer, 8, 2930},
        {QStringLiteral("BsmtFin_Type_2"), K::Categorical, 7, 2930},
        {QStringLiteral("BsmtFin_SF_2"), K::Integer, 274, 2930},
        {QStringLiteral("Bsmt_Unf_SF"), K::Integer, 1137, 2930},
        {QStringLiteral("Total_Bsmt_SF"), K::Integer, 1058, 2930},
        {QStringLiteral("Heating"), K::Categorical, 6, 2930},
        {QStringLiteral("Heating_QC"), K::Categorical, 5, 2930},
        {QStringLiteral("Central_Air"), K::Categorical, 2, 2930},
        {QStringLiteral("Electrical"), K::Categorical, 6, 2930},
        {QStringLiteral("First_Flr_SF"), K::Integer, 1083, 2930},
        {QStringLiteral("Second_Flr_SF"), K::Integer, 635, 2930},
        {QStringLiteral("Gr_Liv_Area"), K::Integer, 1292, 2930},
        {QStringLiteral("Bsmt_Full_Bath"), K::Integer, 4, 2930},
        {QStringLiteral("Bsmt_Half_Bath"), K::Integer, 3, 2930},
        {QStringLiteral("Full_Bath"), K::Integer, 5, 2930},
        {QStringLiteral("Half_Bath"), K::Integer, 3, 2930},
        {QStringLiteral("Bedroom_AbvGr"), K::Integer, 8, 2930},
        {QStringLiteral("Kitchen_AbvGr"), K::Integer, 4, 2930},
        {QStringLiteral("TotRms_AbvGrd"), K::Integer, 14, 2930},
        {QStringLiteral("Functional"), K::Categorical, 8, 2930},
        {QStringLiteral("Fireplaces"), K::Integer, 5, 2930},
        {QStringLiteral("Garage_Type"), K::Categorical, 7, 2930},
        {QStringLiteral("Garage_Finish"), K::Categorical, 4, 2930},
        {QStringLiteral("Garage_Cars"), K::Integer, 6, 2930},
        {QStringLiteral("Garage_Area"), K::Integer, 603, 2930},
        {QStringLiteral("Garage_Cond"), K::Categorical, 6, 2930},
        {QStringLiteral("Paved_Drive"), K::Categorical, 3, 2930},
        {QStringLiteral("Wood_Deck_SF"), K::Integer, 380, 2930},
        {QStringLiteral("Open_Porch_SF"), K::Integer, 252, 2930},
        {QStringLiteral("Enclosed_Porch"), K::Integer, 183, 2930},
        {QStringLiteral("Three_season_porch"), K::Integer, 31, 2930},
        {QStringLiteral("Screen_Porch"), K::Integer, 121, 2930},
        {QStringLiteral("Pool_Area"), K::Integer, 14, 2930},
        {QStringLiteral("Pool_QC"), K::Categorical, 5, 2930},
        {QStringLiteral("Fence"), K::Categorical, 5, 2930},
        {QStringLiteral("Misc_Feature"), K::Categorical, 6, 2930},
        {QStringLiteral("Misc_Val"), K::Integer, 38, 2930},
        {QStringLiteral("Mo_Sold"), K::Integer, 12, 2930},
        {QStringLiteral("Year_Sold"), K::Integer, 5, 2930},
        {QStringLiteral("Sale_Type"), K::Categorical, 10, 2930},
        {QStringLiteral("Sale_Condition"), K::Categorical, 6, 2930},
        {QStringLiteral("Sale_Price"), K::Integer, 1032, 2930},
        {QStringLiteral("Longitude"), K::Numeric, 2776, 2930},
        {QStringLiteral("Latitude"), K::Numeric, 2762, 2930},
    };
}

// electricity_taylor.csv
std::vector<ColumnHint> electricityColumns()
{
    return {
        {QStringLiteral("timestamp"), K::DateTime, 4032, 4032},
        {QStringLiteral("demand_mw"), K::Integer, 3579, 4032},
    };
}

// air_passengers.csv
std::vector<ColumnHint> airPassengerColumns()
{
    return {
        {QStringLiteral("month"), K::DateTime, 144, 144},
        {QStringLiteral("passengers"), K::Integer, 118, 144},
    };
}

// seattle_weather.csv
std::vector<ColumnHint> seattleColumns()
{
    return {
        {QStringLiteral("date"), K::DateTime, 1461, 1461},
        {QStringLiteral("precipitation"), K::Numeric, 111, 1461},
        {QStringLiteral("temp_max"), K::Numeric, 67, 1461},
        {QStringLiteral("temp_min"), K::Numeric, 55, 1461},
        {QStringLiteral("wind"), K::Numeric, 79, 1461},
        {QStringLiteral("weather"), K::Categorical, 5, 1461},
    };
}

// iris.csv
std::vector<ColumnHint> irisLabelColumns()
{
    return {
        {QStringLiteral("sepal length (cm)"), K::Numeric, 35, 150},
        {QStringLiteral("sepal width (cm)"), K::Numeric, 23, 150},
        {QStringLiteral("petal length (cm)"), K::Numeric, 43, 150},
        {QStringLiteral("petal width (cm)"), K::Numeric, 22, 150},
        {QStringLiteral("target"), K::Categorical, 3, 150},
    };
}

// wine.csv
std::vector<ColumnHint> wineColumns()
{
    return {
        {QStringLiteral("alcohol"), K::Numeric, 126, 178},
        {QStringLiteral("malic_acid"), K::Numeric, 133, 178},
        {QStringLiteral("ash"), K::Numeric, 79, 178},
        {QStringLiteral("alcalinity_of_ash"), K::Numeric, 63, 178},
        {QStringLiteral("magnesium"), K::Integer, 53, 178},
        {QStringLiteral("total_phenols"), K::Numeric, 97, 178},
        {QStringLiteral("flavanoids"), K::Numeric, 132, 178},
        {QStringLiteral("nonflavanoid_phenols"), K::Numeric, 39, 178},
        {QStringLiteral("proanthocyanins"), K::Numeric, 101, 178},
        {QStringLiteral("color_intensity"), K::Numeric, 132, 178},
        {QStringLiteral("hue"), K::Numeric, 78, 178},
        {QStringLiteral("od280/od315_of_diluted_wines"), K::Numeric, 122, 178},
        {QStringLiteral("proline"), K::Integer, 121, 178},
        {QStringLiteral("target"), K::Categorical, 3, 178},
    };
}

// breast_cancer.csv
std::vector<ColumnHint> breastCancerColumns()
{
    return {
        {QStringLiteral("mean radius"), K::Numeric, 456, 569},
        {QStringLiteral("mean texture"), K::Numeric, 479, 569},
        {QStringLiteral("mean perimeter"), K::Numeric, 522, 569},
        {QStringLiteral("mean area"), K::Numeric, 539, 569},
        {QStringLiteral("mean smoothness"), K::Numeric, 474, 569},
        {QStringLiteral("mean compactness"), K::Numeric, 537, 569},
        {QStringLiteral("mean concavity"), K::Numeric, 537, 569},
        {QStringLiteral("mean concave points"), K::Numeric, 542, 569},
        {QStringLiteral("mean symmetry"), K::Numeric, 432, 569},
        {QStringLiteral("mean fractal dimension"), K::Numeric, 499, 569},
        {QStringLiteral("radius error"), K::Numeric, 540, 569},
        {QStringLiteral("texture error"), K::Numeric, 519, 569},
        {QStringLiteral("perimeter error"), K::Numeric, 533, 569},
        {QStringLiteral("area error"), K::Numeric, 528, 569},
        {QStringLiteral("smoothness error"), K::Numeric, 547, 569},
        {QStringLiteral("compactness error"), K::Numeric, 541, 569},
        {QStringLiteral("concavity error"), K::Numeric, 533, 569},
        {QStringLiteral("concave points error"), K::Numeric, 507, 569},
        {QStringLiteral("symmetry error"), K::Numeric, 498, 569},
        {QStringLiteral("fractal dimension error"), K::Numeric, 545, 569},
        {QStringLiteral("worst radius"), K::Numeric, 457, 569},
        {QStringLiteral("worst texture"), K::Numeric, 511, 569},
        {QStringLiteral("worst perimeter"), K::Numeric, 514, 569},
        {QStringLiteral("worst area"), K::Numeric, 544, 569},
        {QStringLiteral("worst smoothness"), K::Numeric, 411, 569},
        {QStringLiteral("worst compactness"), K::Numeric, 529, 569},
        {QStringLiteral("worst concavity"), K::Numeric, 539, 569},
        {QStringLiteral("worst concave points"), K::Numeric, 492, 569},
        {QStringLiteral("worst symmetry"), K::Numeric, 500, 569},
        {QStringLiteral("worst fractal dimension"), K::Numeric, 535, 569},
        {QStringLiteral("target"), K::Categorical, 2, 569},
    };
}

// diabetes.csv
std::vector<ColumnHint> diabetesColumns()
{
    return {
        {QStringLiteral("age"), K::Numeric, 58, 442},
        {QStringLiteral("sex"), K::Numeric, 2, 442},
        {QStringLiteral("bmi"), K::Numeric, 163, 442},
        {QStringLiteral("bp"), K::Numeric, 100, 442},
        {QStringLiteral("s1"), K::Numeric, 141, 442},
        {QStringLiteral("s2"), K::Numeric, 302, 442},
        {QStringLiteral("s3"), K::Numeric, 63, 442},
        {QStringLiteral("s4"), K::Numeric, 66, 442},
        {QStringLiteral("s5"), K::Numeric, 184, 442},
        {QStringLiteral("s6"), K::Numeric, 56, 442},
        {QStringLiteral("target"), K::Integer, 214, 442},
    };
}

// iris.csv holds the species as text; the scikit-learn original codes them 0..2. Both are tested.
std::vector<ColumnHint> irisCodedColumns()
{
    auto columns = irisLabelColumns();
    columns.back().kind = K::Integer;
    return columns;
}

struct Data
{
    std::vector<ColumnHint> columns;
    bool imageFolder = false;
};

Data dataFor(const QString &name)
{
    if (name == QLatin1String("ames"))
        return {amesColumns()};
    if (name == QLatin1String("electricity"))
        return {electricityColumns()};
    if (name == QLatin1String("air"))
        return {airPassengerColumns()};
    if (name == QLatin1String("seattle"))
        return {seattleColumns()};
    if (name == QLatin1String("iris"))
        return {irisCodedColumns()};
    if (name == QLatin1String("iris_labels"))
        return {irisLabelColumns()};
    if (name == QLatin1String("wine"))
        return {wineColumns()};
    if (name == QLatin1String("cancer"))
        return {breastCancerColumns()};
    if (name == QLatin1String("diabetes"))
        return {diabetesColumns()};
    if (name == QLatin1String("images")) // digits_8x8 / mnist_png: ImageFolder trees
        return {{}, true};
    return {}; // "none": no data chosen yet
}

ParsedIntent parse(const QString &prompt, const QString &dataset)
{
    const Data d = dataFor(dataset);
    return parseIntentRules(prompt, d.columns, d.imageFolder);
}

struct Case
{
    const char *dataset;
    const char *prompt;
    TaskKind task;
    const char *target; // a column name, or the phrase when there is no table
};

constexpr TaskKind Cls = TaskKind::Classification;
constexpr TaskKind Reg = TaskKind::Regression;
constexpr TaskKind Fc = TaskKind::Forecast;
constexpr TaskKind Img = TaskKind::Image;

// Goals phrased the way people type them, against real column lists. Most were written before the
// rules were tuned; a prompt whose right answer is debatable ("Is the house expensive?") is left out.
const std::vector<Case> &promptTable()
{
    static const std::vector<Case> table = {
        // Ames housing: regression on Sale_Price, and a few other columns.
        {"ames", "predict house prices", Reg, "Sale_Price"},
        {"ames", "What will this house sell for?", Reg, "Sale_Price"},
        {"ames", "Estimate the sale price of homes in Ames, Iowa", Reg, "Sale_Price"},
        {"ames", "how much is a home worth?", Reg, "Sale_Price"},
        {"ames", "Build a regression model for SalePrice", Reg, "Sale_Price"},
        {"ames", "predict property value from living area and neighbourhood", Reg, "Sale_Price"},
        {"ames", "I need to know the selling price of a house, ignore the Neighborhood column", Reg,
         "Sale_Price"},
        {"ames", "what should the asking price be for my 3 bedroom home", Reg, "Sale_Price"},
        {"ames", "house price prediction", Reg, "Sale_Price"},
        {"ames", "predict the garage area in square feet", Reg, "Garage_Area"},
        {"ames", "Predict the year a house was built", Reg, "Year_Built"},
        {"ames", "Which neighborhood is a house in?", Cls, "Neighborhood"},
        {"ames", "Does the house have central air conditioning?", Cls, "Central_Air"},
        {"ames", "Can you predict how much houses in Ames cost?", Reg, "Sale_Price"},
        {"ames", "how old is the house", Reg, "Year_Built"},
        // Electricity demand (Taylor): a single half-hourly series.
        {"electricity", "forecast electricity demand", Fc, "demand_mw"},
        {"electricity", "predict the load for the next 24 hours", Fc, "demand_mw"},
        {"electricity", "How much power will England and Wales need tomorrow?", Fc, "demand_mw"},
        {"electricity", "predict half-hourly demand", Fc, "demand_mw"},
        {"electricity", "time series forecast of consumption in MW", Fc, "demand_mw"},
        {"electricity", "what will the grid demand be next week", Fc, "demand_mw"},
        {"electricity", "How much electricity will be consumed next week?", Fc, "demand_mw"},
        // Air passengers: a single monthly series.
        {"air", "forecast airline passengers", Fc, "passengers"},
        {"air", "predict the number of passengers next year", Fc, "passengers"},
        {"air", "how many people will fly next month?", Fc, "passengers"},
        {"air", "project monthly air traffic for 1961", Fc, "passengers"},
        {"air", "model passenger numbers over time", Fc, "passengers"},
        // Seattle weather: a dated table with a categorical and several numeric targets.
        {"seattle", "predict the weather type", Cls, "weather"},
        {"seattle", "classify days as rain, sun, fog, drizzle or snow", Cls, "weather"},
        {"seattle", "forecast tomorrow's maximum temperature", Fc, "temp_max"},
        {"seattle", "what will the high temperature be next week?", Fc, "temp_max"},
        {"seattle", "estimate precipitation from temperature and wind", Reg, "precipitation"},
        {"seattle", "Will it be sunny or rainy? Classify the weather", Cls, "weather"},
        {"seattle", "predict the minimum temperature from the other measurements", Reg, "temp_min"},
        {"seattle", "forecast wind speed for the coming days", Fc, "wind"},
        {"seattle", "forecast the lowest temperature for next month", Fc, "temp_min"},
        // Iris: species coded 0..2 and as text.
        {"iris", "predict the species of iris flowers from petal and sepal measurements", Cls,
         "target"},
        {"iris", "classify irises", Cls, "target"},
        {"iris", "Which kind of iris is this, given its petal and sepal sizes?", Cls, "target"},
        {"iris", "tell setosa from versicolor and virginica", Cls, "target"},
        {"iris", "predict the target", Cls, "target"},
        {"iris_labels", "identify the flower type", Cls, "target"},
        {"iris_labels", "build a flower classifier", Cls, "target"},
        // Wine: three cultivars.
        {"wine", "which cultivar produced this wine?", Cls, "target"},
        {"wine", "classify wines into three cultivars based on their chemistry", Cls, "target"},
        {"wine", "what kind of wine is it? use alcohol, hue and proline", Cls, "target"},
        {"wine", "predict the wine class from its chemical analysis", Cls, "target"},
        {"wine", "what is the origin of this wine", Cls, "target"},
        // Breast cancer: malignant or benign.
        {"cancer", "predict whether a tumour is malignant or benign", Cls, "target"},
        {"cancer", "diagnose breast cancer from cell measurements", Cls, "target"},
        {"cancer", "is the mass cancerous?", Cls, "target"},
        {"cancer", "detect malignant tumors, don't use worst radius", Cls, "target"},
        {"cancer", "estimate the probability that a tumor is benign", Cls, "target"},
        // Diabetes: a numeric progression score in `target`.
        {"diabetes", "predict disease progression one year after baseline", Reg, "target"},
        {"diabetes", "estimate the diabetes progression score from bmi and blood pressure", Reg,
         "target"},
        {"diabetes", "how far will the disease progress in a year?", Reg, "target"},
        {"diabetes", "predict the target", Reg, "target"},
        {"diabetes", "Build a model of the quantitative measure of disease progression", Reg,
         "target"},
        // Image folders (digits_8x8, mnist_png).
        {"images", "tell cats from dogs", Img, "cats vs dogs"},
        {"images", "cat vs dog classifier", Img, "cat vs dog"},
        {"images", "recognise handwritten digits", Img, "handwritten digits"},
        {"images", "which digit is in this image?", Img, "digit"},
        {"images", "mnist digit recognition", Img, "mnist digit"},
        {"images", "predict which digit each picture shows", Img, "digit"},
        {"images", "classify the pictures into 10 classes", Img, "label"},
        {"images", "cats or dogs?", Img, "cats vs dogs"},
        // No data yet: the target is a phrase.
        {"none", "predict house prices", Reg, "house prices"},
        {"none", "forecast sales for next month", Fc, "sales"},
        {"none", "detect spam emails", Cls, "spam emails"},
        {"none", "will this customer churn?", Cls, "churn"},
        {"none", "cats vs dogs", Img, "cats vs dogs"},
        {"none", "how much electricity will we use next month?", Fc, "electricity"},
        {"none", "identify the breed of a dog from a photo", Img, "breed"},
        {"none", "predict who survived the titanic", Cls, "survived"},
        {"none", "estimate the price of a used car", Reg, "price"},
        {"none", "What will the temperature be tomorrow?", Fc, "temperature"},
        {"none", "classify emails as spam or not spam", Cls, "spam"},
        {"none", "predict whether a loan will default", Cls, "default"},
    };
    return table;
}

QString describe(const ParsedIntent &p)
{
    return QStringLiteral("%1/%2").arg(taskKindName(p.task), p.target);
}

} // namespace

class TestIntentRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void promptTableAccuracy();
    void canonicalPrompts_data();
    void canonicalPrompts();
    void metric_data();
    void metric();
    void timeBudget_data();
    void timeBudget();
    void excludedColumns_data();
    void excludedColumns();
    void excludedColumnIsNeverTheTarget();
    void emptyPromptAsksTwoQuestions_data();
    void emptyPromptAsksTwoQuestions();
    void unmatchedTargetAsksForAColumn();
    void toJsonHasProtocolShape_data();
    void toJsonHasProtocolShape();
    void taskKindNames();
    void datasetHint_data();
    void datasetHint();
    void confidenceReflectsCertainty();
    void unknownWordsNeverCrash_data();
    void unknownWordsNeverCrash();
};

void TestIntentRules::promptTableAccuracy()
{
    const auto &table = promptTable();
    QVERIFY(table.size() >= 40);
    int right = 0;
    QStringList failures;
    for (const Case &c : table) {
        const ParsedIntent p = parse(QString::fromUtf8(c.prompt), QString::fromLatin1(c.dataset));
        if (p.task == c.task && p.target == QString::fromUtf8(c.target)) {
            ++right;
        } else {
            failures.append(QStringLiteral("[%1] \"%2\": got %3, want %4/%5")
                                .arg(QString::fromLatin1(c.dataset), QString::fromUtf8(c.prompt),
                                     describe(p), taskKindName(c.task), QString::fromUtf8(c.target)));
        }
    }
    const double share = double(right) / double(table.size());
    qInfo("intent rules: %d of %d prompts right (%.1f %%)", right, int(table.size()), 100 * share);
    QVERIFY2(share >= 0.95, qPrintable(QStringLiteral("%1 of %2 right; failures:\n%3")
                                           .arg(right)
                                           .arg(table.size())
                                           .arg(failures.join(QLatin1Char('\n')))));
}

void TestIntentRules::canonicalPrompts_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<TaskKind>("task");
    QTest::addColumn<QString>("target");

    QTest::newRow("house prices") << "ames" << "predict house prices" << Reg << "Sale_Price";
    QTest::newRow("electricity") << "electricity" << "forecast electricity demand" << Fc
                                 << "demand_mw";
    QTest::newRow("cats from dogs") << "images" << "tell cats from dogs" << Img << "cats vs dogs";
    QTest::newRow("cat vs dog classifier") << "images" << "cat vs dog classifier" << Img
                                           << "cat vs dog";
    QTest::newRow("weather type") << "seattle" << "predict the weather type" << Cls << "weather";
    QTest::newRow("iris species") << "iris" << "predict the iris species" << Cls << "target";
    QTest::newRow("diabetes progression") << "diabetes" << "predict disease progression" << Reg
                                          << "target";
    QTest::newRow("passengers") << "air" << "forecast airline passengers" << Fc << "passengers";
}

void TestIntentRules::canonicalPrompts()
{
    QFETCH(QString, dataset);
    QFETCH(QString, prompt);
    QFETCH(TaskKind, task);
    QFETCH(QString, target);
    const ParsedIntent p = parse(prompt, dataset);
    QCOMPARE(taskKindName(p.task), taskKindName(task));
    QCOMPARE(p.target, target);
    QVERIFY(!p.needsClarification);
    QVERIFY(p.questions.isEmpty());
    QVERIFY2(p.confidence >= 0.6, qPrintable(QString::number(p.confidence)));
}

void TestIntentRules::metric_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("metric");

    QTest::newRow("rmse") << "ames" << "predict house prices, optimise RMSE" << "rmse";
    QTest::newRow("root mean squared error") << "ames" << "minimise the root mean squared error"
                                             << "rmse";
    QTest::newRow("mse maps to rmse") << "none" << "regression on price, use mse" << "rmse";
    QTest::newRow("mae") << "ames" << "predict the price; minimise the mean absolute error"
                         << "mae";
    QTest::newRow("r2") << "diabetes" << "predict progression, report R2" << "r2";
    QTest::newRow("r squared") << "none" << "maximize r-squared when predicting sales" << "r2";
    QTest::newRow("r superscript") << "none" << "regression with the best R²" << "r2";
    QTest::newRow("accuracy") << "none" << "classify spam with high accuracy" << "accuracy";
    QTest::newRow("balanced accuracy") << "cancer" << "detect cancer, score by balanced accuracy"
                                       << "balanced_accuracy";
    QTest::newRow("f1") << "cancer" << "classify tumours, optimise the F1 score" << "f1";
    QTest::newRow("f1-score") << "none" << "fraud detection (f1-score)" << "f1";
    QTest::newRow("roc auc") << "cancer" << "diagnose cancer and maximise ROC AUC" << "roc_auc";
    QTest::newRow("area under curve") << "none"
                                      << "detect churn; judge by the area under the ROC curve"
                                      << "roc_auc";
    QTest::newRow("log loss") << "wine" << "classify wines, minimise log loss" << "log_loss";
    QTest::newRow("cross entropy") << "none" << "spam filter, cross-entropy please" << "log_loss";
    QTest::newRow("rmsle") << "ames" << "predict prices with RMSLE" << "rmsle";
    QTest::newRow("rmsle long") << "ames" << "predict prices, root mean squared log error"
                                << "rmsle";
    QTest::newRow("none") << "ames" << "predict house prices" << "";
    QTest::newRow("colloquial accuracy in regression")
        << "ames" << "predict house prices with high accuracy" << "";
    QTest::newRow("first named wins") << "cancer" << "optimise f1, also report accuracy" << "f1";
}

void TestIntentRules::metric()
{
    QFETCH(QString, dataset);
    QFETCH(QString, prompt);
    QFETCH(QString, metric);
    const ParsedIntent p = parse(prompt, dataset);
    QCOMPARE(p.metric, metric);
}

void TestIntentRules::timeBudget_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<int>("seconds"); // -1: none

    QTest::newRow("in 5 minutes") << "predict house prices in 5 minutes" << 300;
    QTest::newRow("within 30 s") << "classify spam within 30 s" << 30;
    QTest::newRow("budget 2 min") << "forecast demand, budget 2 min" << 120;
    QTest::newRow("for 90 seconds") << "train for 90 seconds on the price" << 90;
    QTest::newRow("10-minute budget") << "predict churn with a 10-minute budget" << 600;
    QTest::newRow("under 1 hour") << "estimate prices under 1 hour" << 3600;
    QTest::newRow("at most 45s") << "detect fraud, spend at most 45s" << 45;
    QTest::newRow("time limit of 3 mins") << "classify wines, time limit of 3 mins" << 180;
    QTest::newRow("decimal") << "predict sales within 1.5 minutes" << 90;
    QTest::newRow("horizon, not budget") << "predict the load for the next 24 hours" << -1;
    QTest::newRow("in 24 hours is a horizon") << "forecast demand in 24 hours" << -1;
    QTest::newRow("30 minutes ahead") << "forecast demand for 30 minutes ahead" << -1;
    QTest::newRow("no number") << "predict house prices quickly" << -1;
}

void TestIntentRules::timeBudget()
{
    QFETCH(QString, prompt);
    QFETCH(int, seconds);
    const ParsedIntent p = parseIntentRules(prompt);
    if (seconds < 0) {
        QVERIFY2(!p.timeBudgetS, qPrintable(QString::number(p.timeBudgetS.value_or(0))));
    } else {
        QVERIFY(p.timeBudgetS.has_value());
        QCOMPARE(*p.timeBudgetS, seconds);
    }
}

void TestIntentRules::excludedColumns_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QStringList>("excluded");
    QTest::addColumn<QString>("target");

    QTest::newRow("ignore column") << "ames"
                                   << "predict house prices, ignore the Neighborhood column"
                                   << QStringList{"Neighborhood"} << "Sale_Price";
    QTest::newRow("without two") << "ames" << "predict SalePrice without Lot_Frontage and Alley"
                                 << QStringList{"Lot_Frontage", "Alley"} << "Sale_Price";
    QTest::newRow("words with spaces") << "cancer"
                                       << "detect malignant tumors, don't use worst radius"
                                       << QStringList{"worst radius"} << "target";
    QTest::newRow("exclude list") << "seattle"
                                  << "forecast max temperature, exclude wind and precipitation"
                                  << QStringList{"wind", "precipitation"} << "temp_max";
    QTest::newRow("drop") << "seattle" << "classify the weather; drop the date column"
                          << QStringList{"date"} << "weather";
    QTest::newRow("do not use, normalised") << "iris"
                                            << "predict the species but do not use petal width"
                                            << QStringList{"petal width (cm)"} << "target";
    QTest::newRow("unknown column is not invented") << "ames"
                                                    << "predict house prices, ignore the zodiac sign"
                                                    << QStringList{} << "Sale_Price";
    QTest::newRow("no data keeps the words") << "none" << "predict churn, ignore customer_id"
                                             << QStringList{"customer_id"} << "churn";
    QTest::newRow("drop in is not an exclusion") << "none" << "predict the drop in sales"
                                                 << QStringList{} << "drop";
}

void TestIntentRules::excludedColumns()
{
    QFETCH(QString, dataset);
    QFETCH(QString, prompt);
    QFETCH(QStringList, excluded);
    QFETCH(QString, target);
    const ParsedIntent p = parse(prompt, dataset);
    QCOMPARE(p.excludedColumns, excluded);
    QCOMPARE(p.target, target);
}

void TestIntentRules::excludedColumnIsNeverTheTarget()
{
    const ParsedIntent p = parse(QStringLiteral("forecast the temperature, ignore temp_min"),
                                 QStringLiteral("seattle"));
    QCOMPARE(p.excludedColumns, QStringList{QStringLiteral("temp_min")});
    QCOMPARE(p.target, QStringLiteral("temp_max"));
    QCOMPARE(p.task, TaskKind::Forecast);

    const ParsedIntent q = parse(QStringLiteral("predict the target, exclude target"),
                                 QStringLiteral("iris"));
    QCOMPARE(q.excludedColumns, QStringList{QStringLiteral("target")});
    QVERIFY(q.target != QLatin1String("target"));
}

void TestIntentRules::emptyPromptAsksTwoQuestions_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("    ");
    QTest::newRow("tabs and newlines") << QStringLiteral("\t\n \r\n");
}

void TestIntentRules::emptyPromptAsksTwoQuestions()
{
    QFETCH(QString, prompt);
    const ParsedIntent p = parseIntentRules(prompt, amesColumns());
    QCOMPARE(p.task, TaskKind::Unknown);
    QVERIFY(p.needsClarification);
    QCOMPARE(p.questions, (QStringList{QStringLiteral("What do you want to predict?"),
                                       QStringLiteral("Which data should Baton use?")}));
    QVERIFY(p.target.isEmpty());
    QCOMPARE(p.confidence, 0.0);

    const json j = p.toJson();
    QCOMPARE(j.at("task_type").get<std::string>(), std::string("other"));
    QCOMPARE(j.at("target").get<std::string>(), std::string());
    QCOMPARE(j.at("constraints").at("needs_clarification").get<bool>(), true);
    QCOMPARE(j.at("constraints").at("questions").size(), size_t(2));
}

void TestIntentRules::unmatchedTargetAsksForAColumn()
{
    // The words say regression but nothing in the iris table is a price.
    const ParsedIntent p = parse(QStringLiteral("predict the price of a used car"),
                                 QStringLiteral("seattle"));
    QVERIFY(p.target.isEmpty());
    QVERIFY(p.needsClarification);
    QCOMPARE(p.task, TaskKind::Regression);
    QCOMPARE(p.questions.size(), qsizetype(1));
    QVERIFY2(p.questions.front().contains(QLatin1String("weather")), qPrintable(p.questions.front()));
    QVERIFY(p.confidence <= 0.4);

    // Nothing to go on at all: both questions.
    const ParsedIntent q = parse(QStringLiteral("hello there"), QStringLiteral("ames"));
    QCOMPARE(q.task, TaskKind::Unknown);
    QVERIFY(q.needsClarification);
    QCOMPARE(q.questions.size(), qsizetype(2));
}

void TestIntentRules::toJsonHasProtocolShape_data()
{
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("taskType");
    QTest::addColumn<QString>("task");

    QTest::newRow("regression") << "ames" << "predict house prices in 5 minutes, optimise rmse, "
                                             "ignore Neighborhood"
                                << "regression" << "regression";
    QTest::newRow("classification") << "cancer" << "diagnose cancer" << "classification"
                                    << "classification";
    QTest::newRow("forecast") << "electricity" << "forecast electricity demand" << "timeseries"
                              << "forecast";
    QTest::newRow("image") << "images" << "tell cats from dogs" << "vision" << "image";
    QTest::newRow("unknown") << "none" << "hello" << "other" << "unknown";
}

void TestIntentRules::toJsonHasProtocolShape()
{
    QFETCH(QString, dataset);
    QFETCH(QString, prompt);
    QFETCH(QString, taskType);
    QFETCH(QString, task);
    const ParsedIntent p = parse(prompt, dataset);
    const json j = p.toJson();
    QVERIFY(j.is_object());
    for (const char *key : {"task_type", "task", "target", "dataset_hint"})
        QVERIFY2(j.contains(key) && j.at(key).is_string(), key);
    QCOMPARE(fromStd(j.at("task_type").get<std::string>()), taskType);
    QCOMPARE(fromStd(j.at("task").get<std::string>()), task);
    QCOMPARE(fromStd(j.at("target").get<std::string>()), p.target);
    QVERIFY(j.at("confidence").is_number());
    const double confidence = j.at("confidence").get<double>();
    QVERIFY(confidence >= 0 && confidence <= 1);

    const json &c = j.at("constraints");
    QVERIFY(c.is_object());
    QVERIFY(c.at("excluded_columns").is_array());
    QCOMPARE(c.at("excluded_columns").size(), size_t(p.excludedColumns.size()));
    QCOMPARE(c.contains("metric"), !p.metric.isEmpty());
    QCOMPARE(c.contains("time_budget_s"), p.timeBudgetS.has_value());
    QCOMPARE(c.contains("needs_clarification"), p.needsClarification);
    QCOMPARE(c.contains("questions"), !p.questions.isEmpty());
    if (QTest::currentDataTag() == QLatin1String("regression")) {
        QCOMPARE(c.at("metric").get<std::string>(), std::string("rmse"));
        QCOMPARE(c.at("time_budget_s").get<int>(), 300);
        QCOMPARE(c.at("excluded_columns").at(0).get<std::string>(), std::string("Neighborhood"));
        QCOMPARE(j.at("target").get<std::string>(), std::string("Sale_Price"));
    }
    if (QTest::currentDataTag() == QLatin1String("unknown"))
        QCOMPARE(c.at("needs_clarification").get<bool>(), true);
    // Strict JSON out: serialisable without throwing.
    QVERIFY(!toStrictJson(j).empty());
}

void TestIntentRules::taskKindNames()
{
    for (TaskKind k : {TaskKind::Unknown, TaskKind::Classification, TaskKind::Regression,
                       TaskKind::Forecast, TaskKind::Image}) {
        QCOMPARE(taskKindFromName(taskKindName(k)), std::optional<TaskKind>(k));
        QCOMPARE(taskKindFromName(protocolTaskType(k)), std::optional<TaskKind>(k));
    }
    QCOMPARE(taskKindName(TaskKind::Forecast), QStringLiteral("forecast"));
    QCOMPARE(protocolTaskType(TaskKind::Forecast), QStringLiteral("timeseries"));
    QCOMPARE(protocolTaskType(TaskKind::Image), QStringLiteral("vision"));
    QCOMPARE(protocolTaskType(TaskKind::Unknown), QStringLiteral("other"));
    QCOMPARE(taskKindFromName(QStringLiteral(" TimeSeries ")),
             std::optional<TaskKind>(TaskKind::Forecast));
    QCOMPARE(taskKindFromName(QStringLiteral("time_series")),
             std::optional<TaskKind>(TaskKind::Forecast));
    QCOMPARE(taskKindFromName(QStringLiteral("Vision")), std::optional<TaskKind>(TaskKind::Image));
    QCOMPARE(taskKindFromName(QStringLiteral("auto")), std::optional<TaskKind>());
    QCOMPARE(taskKindFromName(QString()), std::optional<TaskKind>());
    QCOMPARE(taskKindFromName(QStringLiteral("clustering")), std::optional<TaskKind>());
}

void TestIntentRules::datasetHint_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("hint");
    QTest::newRow("house prices") << "predict house prices" << "house";
    QTest::newRow("electricity demand") << "forecast electricity demand" << "electricity demand";
    QTest::newRow("cats and dogs") << "tell cats from dogs" << "cats dogs";
    QTest::newRow("no budget or metric words")
        << "predict house prices in 5 minutes, optimise rmse" << "house";
}

void TestIntentRules::datasetHint()
{
    QFETCH(QString, prompt);
    QFETCH(QString, hint);
    QCOMPARE(parseIntentRules(prompt).datasetHint, hint);
}

void TestIntentRules::confidenceReflectsCertainty()
{
    const double sure = parse(QStringLiteral("predict house prices"), QStringLiteral("ames")).confidence;
    const double phrase = parse(QStringLiteral("predict house prices"), QStringLiteral("none")).confidence;
    const double vague = parse(QStringLiteral("do something useful"), QStringLiteral("ames")).confidence;
    QVERIFY2(sure > phrase, qPrintable(QStringLiteral("%1 vs %2").arg(sure).arg(phrase)));
    QVERIFY2(phrase > vague, qPrintable(QStringLiteral("%1 vs %2").arg(phrase).arg(vague)));
    QVERIFY(vague <= 0.4);
}

void TestIntentRules::unknownWordsNeverCrash_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::newRow("gibberish") << QStringLiteral("asdf qwerty zxcv");
    QTest::newRow("emoji") << QStringLiteral("🙂🙂 🚀 predict 📈");
    QTest::newRow("punctuation") << QStringLiteral("!!! ??? ... ,,, ;;; ()[]{}");
    QTest::newRow("numbers") << QStringLiteral("123 456.789 1e10 -5");
    QTest::newRow("lonely trigger") << QStringLiteral("predict");
    QTest::newRow("trigger at end") << QStringLiteral("please predict the");
    QTest::newRow("lonely vs") << QStringLiteral("vs");
    QTest::newRow("vs at edges") << QStringLiteral("vs dogs cats vs");
    QTest::newRow("tell from nothing") << QStringLiteral("tell from");
    QTest::newRow("lonely exclusion") << QStringLiteral("ignore");
    QTest::newRow("exclusion of nothing") << QStringLiteral("ignore , and , or");
    QTest::newRow("budget without unit") << QStringLiteral("in 5 within budget under");
    QTest::newRow("huge budget") << QStringLiteral("within 99999999999999999999 hours");
    QTest::newRow("apostrophes") << QStringLiteral("' 's ’s don't '' it’s");
    QTest::newRow("french") << QStringLiteral("prédire le prix des maisons à Paris");
    QTest::newRow("german compound") << QStringLiteral("Hauspreisvorhersage für München");
    QTest::newRow("cjk") << QStringLiteral("预测房价");
    QTest::newRow("control chars") << QString::fromUtf8("predict\0price\x01\x02", 15);
    QTest::newRow("camel storm") << QStringLiteral("aBcDeFgHiJkLmNoPqRsTuVwXyZ");
    QTest::newRow("long") << QStringLiteral("predict the price of ").repeated(2000);
    QTest::newRow("metric soup") << QStringLiteral("rmse mae r2 f1 auc log loss accuracy rmsle");
    QTest::newRow("column-like") << QStringLiteral("od280/od315_of_diluted_wines (cm) s1 y");
}

void TestIntentRules::unknownWordsNeverCrash()
{
    QFETCH(QString, prompt);
    std::vector<ColumnHint> odd = {{QString(), K::Text, 0, 0},
                                   {QStringLiteral("()"), K::Numeric, 5, 5},
                                   {QStringLiteral("y"), K::Integer, 2, 10}};
    for (const QString &dataset : {QStringLiteral("none"), QStringLiteral("ames"),
                                   QStringLiteral("seattle"), QStringLiteral("images")}) {
        const Data d = dataFor(dataset);
        for (const auto &columns : {d.columns, odd}) {
            const ParsedIntent p = parseIntentRules(prompt, columns, d.imageFolder);
            QVERIFY(p.confidence >= 0 && p.confidence <= 1);
            if (p.needsClarification)
                QVERIFY(!p.questions.isEmpty());
            if (!columns.empty() && !d.imageFolder && !p.target.isEmpty()) {
                QVERIFY2(std::any_of(columns.begin(), columns.end(),
                                     [&](const ColumnHint &c) { return c.name == p.target; }),
                         qPrintable(p.target));
            }
            QVERIFY(!toStrictJson(p.toJson()).empty());
        }
    }
}

QTEST_GUILESS_MAIN(TestIntentRules)
#include "tst_intentrules.moc"
