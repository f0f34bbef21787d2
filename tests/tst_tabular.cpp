// The tabular engine on small real datasets: preprocessing fitted on training rows, the search,
// the ensemble, the one look at the test split, saving/loading the model, cancel and stop.

#include "core/conductor/EventNames.h"
#include "core/data/CsvReader.h"
#include "core/ml/MemoryPlan.h"
#include "core/ml/ModelExplanation.h"
#include "core/ml/Split.h"
#include "core/ml/TabularTrainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <numeric>
#include <random>

using namespace baton;

namespace {

Table load(const char *name)
{
    auto table = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/%1").arg(QLatin1String(name)));
    if (!table)
        qFatal("cannot read %s: %s", name, qPrintable(table.error().toString()));
    return std::move(table).value();
}

struct Setup
{
    PreprocessSpec spec;
    DataSplit split;
};

Setup prepare(const Table &table, const QString &target, bool classification, uint64_t seed = 7)
{
    PreprocessSpec probe;
    probe.target = target;
    probe.classification = classification;
    const auto rows = rowsWithTarget(table, target);
    std::vector<int> labels;
    if (classification) {
        // stratify on the raw class text, mapped to indices
        auto spec = fitPreprocess(table, rows, {target, true, {}, 30});
        labels = classIndices(spec.value(), table);
    }
    Setup s;
    s.split = splitTrainTest(table.rowCount(), 0.2, seed, labels);
    auto spec = fitPreprocess(table, s.split.train, {target, classification, {}, 30});
    if (!spec)
        qFatal("%s", qPrintable(spec.error().toString()));
    s.spec = spec.value();
    return s;
}

struct Recorder
{
    std::vector<std::pair<std::string, json>> events;
    std::atomic<bool> cancel{false};
    std::atomic<bool> stop{false};
    std::function<void(const std::string &)> onEvent;

    TrainerCallbacks callbacks()
    {
        return {[this](const char *name, json payload) {
                    events.emplace_back(name, std::move(payload));
                    if (onEvent)
                        onEvent(name);
                },
                [this] { return cancel.load(); }, [this] { return stop.load() || cancel.load(); }};
    }
    size_t count(const char *name) const
    {
        return size_t(std::count_if(events.begin(), events.end(),
                                    [&](const auto &e) { return e.first == name; }));
    }
};

TrainerSettings quick(MetricId metric, int candidates, uint64_t seed = 7)
{
    TrainerSettings s;
    s.metric = metric;
    s.maxCandidates = candidates;
    s.seed = seed;
    s.threads = qEnvironmentVariableIntValue("BATON_TEST_THREADS") ? qEnvironmentVariableIntValue("BATON_TEST_THREADS") : 2;
    s.folds = 3;
    return s;
}

} // namespace

class TestTabular : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void splitIsStratifiedAndDeterministic();
    void preprocessingIsFittedOnTrainingRowsOnly();
    void specRoundTripsThroughJson();
    void predictionRejectsBadSchemas();
    void badTargetsAreClearErrors();
    void multiclassIris();
    void binaryBreastCancer();
    void regressionDiabetes();
    void prunedCandidatesLeaveTheEnsemblePoolAlone();
    void savedModelPredictsIdentically();
    void exportedModelIsRefittedOnAllRows();
    void seededIterationBudgetIsReproducible();
    void cancelAfterFirstIteration();
    void stopKeepsTheBestModelSoFar();
    void targetTransformIsChosenByCrossValidation();
    void timeBudgetIsRespected();
    void classWithOneRowTrains();
    void allMissingAndConstantColumnsAreExcluded();
    void unseenCategoriesAtPrediction();
    void targetEncodingNeverSeesTheRowsOwnTarget();
    void targetEncodingUnseenAndMissing();
    void repeatedShortTextIsTargetEncoded();
    void targetEncodedModelRoundTrips();
    void versionOneSpecStillLoads();
    void memoryPlanDecides();
    void searchSubsamplesWhenMemoryIsShort();
    void explanationStopsAtTheDeadline();
};

void TestTabular::splitIsStratifiedAndDeterministic()
{
    std::vector<int> labels(100);
    for (int i = 0; i < 100; ++i)
        labels[size_t(i)] = i < 90 ? 0 : 1;
    const DataSplit a = splitTrainTest(100, 0.2, 3, labels);
    const DataSplit b = splitTrainTest(100, 0.2, 3, labels);
    QCOMPARE(a.test, b.test);
    QCOMPARE(a.test.size(), size_t(20));
    const auto minority = std::count_if(a.test.begin(), a.test.end(), [&](int64_t r) { return labels[size_t(r)] == 1; });
    QCOMPARE(minority, 2); // 10 % of the test split, as in the data
    QVERIFY(splitTrainTest(100, 0.2, 4, labels).test != a.test);
    const auto folds = assignFolds(a.train, 5, 3, labels);
    for (int f = 0; f < 5; ++f)
        QCOMPARE(std::count(folds.begin(), folds.end(), f), 16);
}

void TestTabular::preprocessingIsFittedOnTrainingRowsOnly()
{
    const Table table = load("ames_housing.csv");
    const std::vector<int64_t> firstHalf = [&] {
        std::vector<int64_t> r;
        for (int64_t i = 0; i < table.rowCount() / 2; ++i)
            r.push_back(i);
        return r;
    }();
    auto spec = fitPreprocess(table, firstHalf, {QStringLiteral("Sale_Price"), false, {}, 30});
    QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error().toString()));
    const auto rule = std::find_if(spec->columns.begin(), spec->columns.end(),
                                   [](const ColumnRule &r) { return r.name == QLatin1String("Lot_Area"); });
    QVERIFY(rule != spec->columns.end());
    // the median of the first half only
    std::vector<double> values;
    const Column &lot = table.column(*table.columnIndex(QStringLiteral("Lot_Area")));
    for (int64_t r : firstHalf)
        values.push_back(double(lot.int64Values()[size_t(r)]));
    std::sort(values.begin(), values.end());
    const double expected = values.size() % 2 ? values[values.size() / 2]
                                              : (values[values.size() / 2 - 1] + values[values.size() / 2]) / 2;
    QCOMPARE(rule->median, expected);
    QVERIFY(spec->logTarget); // Sale_Price is positive and right-skewed
    QVERIFY(std::none_of(spec->columns.begin(), spec->columns.end(),
                         [](const ColumnRule &r) { return r.name == QLatin1String("Sale_Price"); }));
}

void TestTabular::specRoundTripsThroughJson()
{
    const Table table = load("seattle_weather.csv");
    auto spec = fitPreprocess(table, rowsWithTarget(table, QStringLiteral("weather")),
                              {QStringLiteral("weather"), true, {{QStringLiteral("wind"), QStringLiteral("user choice")}}, 30});
    QVERIFY(spec.ok());
    QCOMPARE(spec->classes.size(), 5);
    QCOMPARE(spec->excluded.size(), size_t(1));
    const auto back = PreprocessSpec::fromJson(json::parse(toStrictJson(spec->toJson())));
    QVERIFY(back.ok());
    QCOMPARE(toStrictJson(back->toJson()), toStrictJson(spec->toJson()));
    // dates became parts
    QVERIFY(std::find(spec->treeFeatureNames().begin(), spec->treeFeatureNames().end(), "date_month")
            != spec->treeFeatureNames().end());
}

void TestTabular::predictionRejectsBadSchemas()
{
    const Table train = load("iris.csv");
    auto spec = fitPreprocess(train, rowsWithTarget(train, QStringLiteral("target")), {QStringLiteral("target"), true, {}, 30});
    QVERIFY(spec.ok());
    const QString first = train.column(0).name();

    // a missing column
    auto missing = readCsvBytes("x,y\n1,2\n");
    auto r1 = treeFeatures(spec.value(), missing.value());
    QVERIFY(!r1.ok());
    QCOMPARE(r1.error().kind, ErrorKind::BadInput);
    QVERIFY(r1.error().message.contains(QLatin1String("is missing")));

    // text where numbers were trained, reported with its row
    QByteArray csv;
    for (int c = 0; c < train.columnCount(); ++c)
        csv += (c ? "," : "") + ("\"" + train.column(c).name().toUtf8() + "\"");
    csv += "\n5.1,3.5,1.4,0.2,0\nabc,3.0,1.4,0.2,0\n";
    auto bad = readCsvBytes(csv);
    QVERIFY(bad.ok());
    auto r2 = treeFeatures(spec.value(), bad.value());
    QVERIFY(!r2.ok());
    QVERIFY2(r2.error().message.contains(QLatin1String("row 2")), qPrintable(r2.error().message));

    // reordered columns are fine
    QByteArray reordered = "\"" + train.column(3).name().toUtf8() + "\",\"" + train.column(2).name().toUtf8() + "\",\""
                           + train.column(1).name().toUtf8() + "\",\"" + first.toUtf8() + "\"\n0.2,1.4,3.5,5.1\n0.3,1.5,3.6,5.2\n";
    auto ok = readCsvBytes(reordered);
    QVERIFY(ok.ok());
    auto r3 = treeFeatures(spec.value(), ok.value());
    QVERIFY2(r3.ok(), qPrintable(r3.ok() ? QString() : r3.error().toString()));
    QCOMPARE(r3->values[0], 5.1f);
}

void TestTabular::badTargetsAreClearErrors()
{
    auto constant = readCsvBytes("a,y\n1,5\n2,5\n3,5\n4,5\n");
    auto rows = rowsWithTarget(constant.value(), QStringLiteral("y"));
    auto r1 = fitPreprocess(constant.value(), rows, {QStringLiteral("y"), false, {}, 30});
    QVERIFY(!r1.ok());
    QVERIFY(r1.error().message.contains(QLatin1String("constant")));
    auto r2 = fitPreprocess(constant.value(), rows, {QStringLiteral("y"), true, {}, 30});
    QVERIFY(!r2.ok());
    QVERIFY(r2.error().message.contains(QLatin1String("single class")));
    auto r3 = fitPreprocess(constant.value(), rows, {QStringLiteral("nope"), false, {}, 30});
    QVERIFY(!r3.ok());
    QCOMPARE(r3.error().kind, ErrorKind::BadInput);
    auto text = readCsvBytes("a,y\n1,red\n2,blue\n3,red\n4,blue\n");
    auto r4 = fitPreprocess(text.value(), rowsWithTarget(text.value(), QStringLiteral("y")), {QStringLiteral("y"), false, {}, 30});
    QVERIFY(!r4.ok());
    QVERIFY(r4.error().message.contains(QLatin1String("classification")));
}

void TestTabular::multiclassIris()
{
    const Table table = load("iris.csv");
    Setup s = prepare(table, QStringLiteral("target"), true);
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::Accuracy, 4), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    QVERIFY2(outcome->testMetrics["accuracy"].get<double>() >= 0.85, outcome->testMetrics.dump().c_str());
    QCOMPARE(outcome->testPredictions.classes, 3);
    QCOMPARE(outcome->testPredictions.probabilities.size(), s.split.test.size() * 3);
    QVERIFY(rec.count(events::TrainRunStarted) >= 5); // 4 candidates + the ensemble
    QVERIFY(rec.count(events::MetricScalar) > 10);
    QVERIFY(rec.count(events::LeaderboardUpdated) == 4);
    QVERIFY(rec.count(events::BestModelUpdated) >= 1);
    // every curve point is a real per-round evaluation: steps strictly increase per run and split
    std::map<std::string, int> lastStep;
    for (const auto &[name, payload] : rec.events) {
        if (name != events::MetricScalar)
            continue;
        const std::string key = payload["run_id"].get<std::string>() + payload["split"].get<std::string>();
        QVERIFY(payload["step"].get<int>() > lastStep[key]);
        lastStep[key] = payload["step"].get<int>();
        QVERIFY(std::isfinite(payload["value"].get<double>()));
    }
}

void TestTabular::binaryBreastCancer()
{
    const Table table = load("breast_cancer.csv");
    Setup s = prepare(table, QStringLiteral("target"), true);
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::RocAuc, 3), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY(outcome.ok());
    QVERIFY2(outcome->testMetrics["roc_auc"].get<double>() > 0.95, outcome->testMetrics.dump().c_str());
}

void TestTabular::regressionDiabetes()
{
    const Table table = load("diabetes.csv");
    Setup s = prepare(table, QStringLiteral("target"), false);
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::Rmse, 4), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY(outcome.ok());
    QVERIFY2(outcome->testMetrics["r2"].get<double>() > 0.3, outcome->testMetrics.dump().c_str());
    QVERIFY(outcome->testMetrics["rmse"].get<double>() < 70);
    QVERIFY(!outcome->model.members().empty());
}

void TestTabular::prunedCandidatesLeaveTheEnsemblePoolAlone()
{
    // On 114 training rows successive halving prunes most random configurations. Pruned ones used
    // to keep their partial predictions with an ensemble score of 0, which outranked every real
    // log loss: each one pushed a real candidate out of the 12-place pool, until the "ensemble"
    // was the best one or two candidates, or the single fallback model.
    const Table table = load("wine.csv");
    Setup s = prepare(table, QStringLiteral("target"), true);
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::LogLoss, 40), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    int pruned = 0, successful = 0, held = 0;
    for (const CandidateOutcome &c : outcome->candidates) {
        if (c.status == CandidateStatus::Pruned)
            ++pruned;
        if (c.status == CandidateStatus::Success)
            ++successful;
        if (!c.oof.empty()) {
            QCOMPARE(int(c.status), int(CandidateStatus::Success));
            ++held;
        }
    }
    QVERIFY2(pruned >= 12, qPrintable(QStringLiteral("only %1 pruned: the test needs more").arg(pruned)));
    QCOMPARE(held, std::min(successful, 12)); // the pool: the best 12 successful candidates
    for (const EnsembleMember &m : outcome->evaluatedModel.members()) {
        const auto member = std::find_if(outcome->candidates.begin(), outcome->candidates.end(),
                                         [&](const CandidateOutcome &c) { return c.runId == m.runId; });
        QVERIFY(member != outcome->candidates.end() && !member->oof.empty());
    }
}

void TestTabular::savedModelPredictsIdentically()
{
    const Table table = load("diabetes.csv");
    Setup s = prepare(table, QStringLiteral("target"), false);
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::Rmse, 3), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY(outcome.ok());
    QTemporaryDir dir;
    QVERIFY(outcome->evaluatedModel.save(dir.path()).ok());
    auto loaded = EnsembleModel::load(dir.path());
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    auto again = loaded->predict(table, 2, &s.split.test);
    QVERIFY(again.ok());
    QCOMPARE(again->values.size(), outcome->testPredictions.values.size());
    for (size_t i = 0; i < again->values.size(); ++i)
        QVERIFY(std::abs(again->values[i] - outcome->testPredictions.values[i]) <= 1e-6);
}

void TestTabular::exportedModelIsRefittedOnAllRows()
{
    const Table table = load("diabetes.csv");
    Setup s = prepare(table, QStringLiteral("target"), false);
    TrainerSettings settings = quick(MetricId::Rmse, 3);
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY(outcome.ok());
    QVERIFY(outcome->refittedOnAllRows);
    // the same members, weights and rounds, fitted again
    const auto &exported = outcome->model.members();
    const auto &evaluated = outcome->evaluatedModel.members();
    QCOMPARE(exported.size(), evaluated.size());
    for (size_t i = 0; i < exported.size(); ++i) {
        QCOMPARE(exported[i].runId, evaluated[i].runId);
        QCOMPARE(exported[i].weight, evaluated[i].weight);
        QCOMPARE(exported[i].config.maxRounds, evaluated[i].config.maxRounds);
        QVERIFY(exported[i].modelJson != evaluated[i].modelJson);
    }
    // the test figures are those of the model that never saw the test rows
    auto scored = outcome->evaluatedModel.predict(table, 2, &s.split.test);
    QVERIFY(scored.ok());
    QCOMPARE(scored->values, outcome->testPredictions.values);
    // the exported one learnt the test rows too: it fits them more closely
    auto refitted = outcome->model.predict(table, 2, &s.split.test);
    QVERIFY(refitted.ok());
    const std::vector<double> truth = rawTargetValues(table, s.spec.target, s.split.test);
    QVERIFY2(metrics::rmse(truth, refitted->values) < metrics::rmse(truth, scored->values),
             qPrintable(QStringLiteral("refitted %1, evaluated %2")
                            .arg(metrics::rmse(truth, refitted->values))
                            .arg(metrics::rmse(truth, scored->values))));

    // switched off, the exported model is the evaluated one
    settings.refitOnAllRows = false;
    TabularTrainer plain(table, s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto unrefitted = plain.run();
    QVERIFY(unrefitted.ok());
    QVERIFY(!unrefitted->refittedOnAllRows);
    QCOMPARE(unrefitted->model.members().size(), unrefitted->evaluatedModel.members().size());
    for (size_t i = 0; i < unrefitted->model.members().size(); ++i)
        QCOMPARE(unrefitted->model.members()[i].modelJson, unrefitted->evaluatedModel.members()[i].modelJson);
}

void TestTabular::seededIterationBudgetIsReproducible()
{
    const Table table = load("wine.csv");
    Setup s = prepare(table, QStringLiteral("target"), true);
    std::vector<double> first;
    QByteArray firstExported;
    for (int attempt = 0; attempt < 2; ++attempt) {
        Recorder rec;
        TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::LogLoss, 3, 11), rec.callbacks());
        auto outcome = trainer.run();
        QVERIFY(outcome.ok());
        QVERIFY(outcome->refittedOnAllRows);
        const QByteArray exported = outcome->model.members().front().modelJson;
        if (attempt == 0) {
            first = outcome->testPredictions.probabilities;
            firstExported = exported;
        } else {
            QCOMPARE(outcome->testPredictions.probabilities, first); // bit for bit
            QCOMPARE(exported, firstExported);
        }
    }
}

void TestTabular::cancelAfterFirstIteration()
{
    const Table table = load("iris.csv");
    Setup s = prepare(table, QStringLiteral("target"), true);
    Recorder rec;
    rec.onEvent = [&](const std::string &name) {
        if (name == events::MetricScalar)
            rec.cancel = true;
    };
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::Accuracy, 4), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().kind, ErrorKind::Cancelled);
    QVERIFY(rec.count(events::MetricScalar) <= 2); // train + valid of the first round, then nothing
}

void TestTabular::stopKeepsTheBestModelSoFar()
{
    const Table table = load("breast_cancer.csv");
    Setup s = prepare(table, QStringLiteral("target"), true);
    Recorder rec;
    rec.onEvent = [&](const std::string &name) {
        if (name == events::LeaderboardUpdated)
            rec.stop = true; // after the first candidate finished
    };
    TrainerSettings settings = quick(MetricId::LogLoss, 0);
    settings.timeBudgetS = 600;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    QVERIFY(outcome->stoppedEarly);
    QVERIFY(outcome->testMetrics["accuracy"].get<double>() > 0.9);
    QVERIFY(!outcome->model.members().empty());
}

void TestTabular::targetTransformIsChosenByCrossValidation()
{
    // a positive, right-skewed target: PREPROCESS proposes log1p, TRAIN tries both scales
    QByteArray csv = "x,noise,y\n";
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal;
    for (int i = 0; i < 300; ++i) {
        const double x = double(i % 100) / 25.0;
        csv += QByteArray::number(x) + ',' + QByteArray::number(normal(rng)) + ','
               + QByteArray::number(std::exp(x + 0.3 * normal(rng)), 'g', 10) + '\n';
    }
    auto table = readCsvBytes(csv);
    QVERIFY(table.ok());
    Setup s = prepare(table.value(), QStringLiteral("y"), false);
    QVERIFY(s.spec.logTarget);
    TrainerSettings settings = quick(MetricId::Rmse, 4);
    settings.families = {ModelFamily::GradientBoosting, ModelFamily::Linear};
    Recorder rec;
    TabularTrainer trainer(table.value(), s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));

    const CandidateOutcome *logged = nullptr, *raw = nullptr;
    for (const CandidateOutcome &c : outcome->candidates) {
        if (c.config.label.endsWith(QLatin1String("log1p target")))
            logged = &c;
        else if (c.config.label.endsWith(QLatin1String("raw target")))
            raw = &c;
    }
    QVERIFY(logged && raw);
    QVERIFY(logged->logTarget && !raw->logTarget);
    QCOMPARE(logged->config.params, raw->config.params); // the same configuration on both scales
    const bool logWins = logged->cvScore <= raw->cvScore;
    QCOMPARE(outcome->model.spec().logTarget, logWins);
    // every member was fitted on the chosen scale, which the saved spec records
    for (const EnsembleMember &m : outcome->model.members()) {
        const auto c = std::find_if(outcome->candidates.begin(), outcome->candidates.end(),
                                    [&](const CandidateOutcome &c) { return c.runId == m.runId; });
        QVERIFY(c != outcome->candidates.end());
        QCOMPARE(c->logTarget, logWins);
    }
    QVERIFY(rec.count(events::LogLine) >= 1);
    QVERIFY2(outcome->testMetrics["r2"].get<double>() > 0.5, outcome->testMetrics.dump().c_str());
}

void TestTabular::timeBudgetIsRespected()
{
    const Table table = load("ames_housing.csv");
    Setup s = prepare(table, QStringLiteral("Sale_Price"), false);
    TrainerSettings settings = quick(MetricId::Rmse, 0);
    settings.timeBudgetS = 6;
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    // The trainer's own clock. The 5 % goal is measured in bench/ on a quiet machine; here, with
    // other tests sharing two cores, one boosting step can overrun the reserve, so the test
    // catches the real failure mode instead: an unbounded refit (it once took 2.15x the budget).
    QVERIFY2(outcome->elapsedS <= settings.timeBudgetS * 1.4, qPrintable(QString::number(outcome->elapsedS)));
    QVERIFY2(outcome->elapsedS >= settings.timeBudgetS * 0.5, qPrintable(QString::number(outcome->elapsedS)));
    QVERIFY(!outcome->model.members().empty());
}

void TestTabular::classWithOneRowTrains()
{
    // iris plus one flower of a species seen once: it stays in training (a class needs a
    // training row), the model knows four classes and predicts them all with probabilities
    QFile file(QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray csv = file.readAll();
    if (!csv.endsWith('\n'))
        csv += '\n';
    csv += "6.0,3.0,4.0,1.0,rare\n";
    auto table = readCsvBytes(csv);
    QVERIFY(table.ok());
    Setup s = prepare(table.value(), QStringLiteral("target"), true);
    QCOMPARE(s.spec.classes.size(), 4);
    QVERIFY(std::find(s.split.train.begin(), s.split.train.end(), table->rowCount() - 1) != s.split.train.end());
    Recorder rec;
    TabularTrainer trainer(table.value(), s.spec, s.split.train, s.split.test, quick(MetricId::LogLoss, 2), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    QCOMPARE(outcome->testPredictions.classes, 4);
    for (double p : outcome->testPredictions.probabilities)
        QVERIFY(std::isfinite(p) && p >= 0 && p <= 1);
    QVERIFY(std::isfinite(outcome->testMetrics["log_loss"].get<double>()));
}

void TestTabular::allMissingAndConstantColumnsAreExcluded()
{
    auto table = readCsvBytes("a,empty,same,y\n1,,7,2\n2,,7,4\n3,,7,5\n4,,7,9\n5,,7,9\n");
    QVERIFY(table.ok());
    auto spec = fitPreprocess(table.value(), rowsWithTarget(table.value(), QStringLiteral("y")),
                              {QStringLiteral("y"), false, {}, 30});
    QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error().toString()));
    QCOMPARE(spec->columns.size(), size_t(1));
    QCOMPARE(spec->columns.front().name, QStringLiteral("a"));
    QCOMPARE(spec->excluded.size(), size_t(2));
    for (const Exclusion &e : spec->excluded)
        QVERIFY2(!e.reason.isEmpty(), qPrintable(e.column));
    // nothing usable left is a clear error, not an empty model
    auto nothing = readCsvBytes("empty,y\n,1\n,2\n,3\n");
    auto none = fitPreprocess(nothing.value(), rowsWithTarget(nothing.value(), QStringLiteral("y")),
                              {QStringLiteral("y"), false, {}, 30});
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, QStringLiteral("preprocess.no_features"));
}

void TestTabular::unseenCategoriesAtPrediction()
{
    auto train = readCsvBytes("colour,size,y\nred,1,a\nblue,2,b\nred,3,a\ngreen,4,b\nblue,5,a\nred,6,b\n");
    QVERIFY(train.ok());
    auto spec = fitPreprocess(train.value(), rowsWithTarget(train.value(), QStringLiteral("y")),
                              {QStringLiteral("y"), true, {}, 30});
    QVERIFY(spec.ok());
    // columns reordered, one unseen category, one missing value, an extra column
    auto later = readCsvBytes("size,extra,colour\n7,x,purple\n8,y,\n9,z,blue\n");
    QVERIFY(later.ok());
    auto tree = treeFeatures(spec.value(), later.value());
    QVERIFY2(tree.ok(), qPrintable(tree.ok() ? QString() : tree.error().toString()));
    QCOMPARE(tree->cols, size_t(2));
    QVERIFY(std::isnan(tree->values[0]));                       // unseen → missing for trees
    QVERIFY(std::isnan(tree->values[2]));                       // missing stays missing
    QCOMPARE(tree->values[4], float(spec->columns[0].categories.indexOf(QStringLiteral("blue"))));
    QCOMPARE(tree->values[1], 7.0f);
    auto linear = linearFeatures(spec.value(), later.value());
    QVERIFY(linear.ok());
    const auto names = spec->linearFeatureNames();
    const auto other = size_t(std::find(names.begin(), names.end(), "colour=__other") - names.begin());
    QVERIFY(other < names.size());
    QCOMPARE(linear->values[0 * linear->cols + other], 1.0f); // unseen → "other" for linear models
    QCOMPARE(linear->values[1 * linear->cols + other], 1.0f);
    QCOMPARE(linear->values[2 * linear->cols + other], 0.0f);
}

namespace {

double correlation(const std::vector<double> &a, const std::vector<double> &b)
{
    const double n = double(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

// `rows` rows: x (noise), code (a category whose effect is `effect` per level, `levels` levels
// dealt round-robin, or unique per row when levels == 0), y = effect + noise.
Table encodedTable(int rows, int levels, double effect, uint64_t seed = 3)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    std::vector<double> x(static_cast<size_t>(rows)), y(static_cast<size_t>(rows));
    std::vector<int32_t> codes(static_cast<size_t>(rows));
    std::vector<QString> dictionary;
    std::vector<double> levelEffect;
    const int distinct = levels > 0 ? levels : rows;
    for (int l = 0; l < distinct; ++l) {
        dictionary.push_back(QStringLiteral("c%1").arg(l));
        levelEffect.push_back(effect * normal(rng));
    }
    for (int i = 0; i < rows; ++i) {
        const int level = levels > 0 ? i % levels : i;
        codes[size_t(i)] = level;
        x[size_t(i)] = normal(rng);
        y[size_t(i)] = levelEffect[size_t(level)] + normal(rng);
    }
    Table table;
    for (Column column : {Column::float64(QStringLiteral("x"), x),
                          Column::categorical(QStringLiteral("code"), codes, dictionary),
                          Column::float64(QStringLiteral("y"), y)}) {
        if (!table.addColumn(std::move(column)).ok())
            qFatal("cannot build the table");
    }
    return table;
}

std::vector<double> featureColumn(const FeatureMatrix &m, size_t col)
{
    std::vector<double> out(m.rows);
    for (size_t i = 0; i < m.rows; ++i)
        out[i] = double(m.values[i * m.cols + col]);
    return out;
}

} // namespace

void TestTabular::targetEncodingNeverSeesTheRowsOwnTarget()
{
    // a category unique per row: an in-sample encoding would copy each row's target into its
    // feature (a perfect leak); out of fold, the row's category is unseen and gets the prior
    const Table table = encodedTable(1000, 0, 0.0);
    const auto rows = rowsWithTarget(table, QStringLiteral("y"));
    auto spec = fitPreprocess(table, rows, {QStringLiteral("y"), false, {}, 30, 5});
    QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error().toString()));
    const ColumnRule &rule = spec->columns.at(1);
    QCOMPARE(rule.role, ColumnRule::Role::TargetEncoded);
    QVERIFY(rule.reason.contains(QLatin1String("one-hot limit")));
    const std::vector<double> y = rawTargetValues(table, QStringLiteral("y"), rows);

    auto training = trainingTreeFeatures(spec.value(), table, rows);
    QVERIFY(training.ok());
    const std::vector<double> oof = featureColumn(training.value(), 1);
    QVERIFY2(std::abs(correlation(oof, y)) < 0.2, qPrintable(QString::number(correlation(oof, y))));
    const double prior = rule.prior.at(0);
    for (double v : oof)
        QVERIFY2(std::abs(v - prior) < 0.2, qPrintable(QStringLiteral("%1 vs prior %2").arg(v).arg(prior)));
    // the in-sample encoding of the same rows does leak: the check above can fail
    auto inSample = treeFeatures(spec.value(), table, &rows);
    QVERIFY(correlation(featureColumn(inSample.value(), 1), y) > 0.25);

    // a category with real signal keeps it out of fold
    const Table useful = encodedTable(2000, 100, 2.0);
    const auto usefulRows = rowsWithTarget(useful, QStringLiteral("y"));
    auto usefulSpec = fitPreprocess(useful, usefulRows, {QStringLiteral("y"), false, {}, 30, 5});
    QVERIFY(usefulSpec.ok());
    auto usefulFeatures = trainingTreeFeatures(usefulSpec.value(), useful, usefulRows);
    QVERIFY(usefulFeatures.ok());
    QVERIFY(correlation(featureColumn(usefulFeatures.value(), 1),
                        rawTargetValues(useful, QStringLiteral("y"), usefulRows)) > 0.8);
    // seeded: the same folds every time
    auto again = trainingTreeFeatures(usefulSpec.value(), useful, usefulRows);
    QCOMPARE(again->values, usefulFeatures->values);
}

void TestTabular::targetEncodingUnseenAndMissing()
{
    // multiclass: one encoded column per class; unseen → the prior; missing → NaN for trees
    QByteArray csv = "city,n,label\n";
    for (int i = 0; i < 400; ++i)
        csv += "city" + QByteArray::number(i % 80) + ',' + QByteArray::number(i % 7) + ','
               + QByteArray(i % 80 < 40 ? "north" : (i % 3 ? "south" : "east")) + '\n';
    auto train = readCsvBytes(csv);
    QVERIFY(train.ok());
    QCOMPARE(train->column(0).type(), ColumnType::Text); // 80 distinct values: too many for a category
    auto spec = fitPreprocess(train.value(), rowsWithTarget(train.value(), QStringLiteral("label")),
                              {QStringLiteral("label"), true, {}, 30});
    QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error().toString()));
    const ColumnRule &rule = spec->columns.at(0);
    QCOMPARE(rule.role, ColumnRule::Role::TargetEncoded);
    QCOMPARE(rule.encodedOutputs(), size_t(3));
    QCOMPARE(spec->treeFeatureNames().at(0), std::string("city__te_east"));

    auto later = readCsvBytes("n,city\n1,atlantis\n2,\n3,city0\n");
    QVERIFY(later.ok());
    auto tree = treeFeatures(spec.value(), later.value());
    QVERIFY2(tree.ok(), qPrintable(tree.ok() ? QString() : tree.error().toString()));
    QCOMPARE(tree->cols, size_t(4));
    const int north = int(spec->classes.indexOf(QStringLiteral("north")));
    for (size_t o = 0; o < 3; ++o) {
        QCOMPARE(tree->values[0 * tree->cols + o], float(rule.prior[o])); // unseen
        QVERIFY(std::isnan(tree->values[1 * tree->cols + o]));            // missing
    }
    // city0 is always "north": its encoding leans far above the prior
    QVERIFY(tree->values[2 * tree->cols + size_t(north)] > rule.prior[size_t(north)] + 0.1);
    auto linear = linearFeatures(spec.value(), later.value());
    QVERIFY(linear.ok());
    for (size_t o = 0; o < 3; ++o) {
        const float atPrior = float((rule.prior[o] - rule.encodedMean[o]) / rule.encodedStd[o]);
        QCOMPARE(linear->values[0 * linear->cols + o], atPrior);
        QCOMPARE(linear->values[1 * linear->cols + o], atPrior); // missing → prior for linear models
    }
    // the plan says what and why
    bool planned = false;
    for (const json &step : spec->planSteps()) {
        if (step["name"] == "target_encode") {
            planned = true;
            QCOMPARE(step["columns"][0].get<std::string>(), std::string("city"));
            QVERIFY(QString::fromStdString(step["reason"].get<std::string>()).contains(QLatin1String("80 distinct")));
        }
    }
    QVERIFY(planned);
}

void TestTabular::repeatedShortTextIsTargetEncoded()
{
    // the rule for Text columns: repeated short values are a category, unique or long ones are not
    QByteArray csv = "zip,comment,ref,y\n";
    for (int i = 0; i < 300; ++i) {
        csv += "Z" + QByteArray::number(1000 + i % 100) + ",\"a long free-text remark number " + QByteArray::number(i)
               + " written by someone with plenty to say\",R" + QByteArray::number(i) + ','
               + QByteArray::number(i % 100 + (i % 5)) + '\n';
    }
    auto table = readCsvBytes(csv);
    QVERIFY(table.ok());
    auto spec = fitPreprocess(table.value(), rowsWithTarget(table.value(), QStringLiteral("y")),
                              {QStringLiteral("y"), false, {}, 30});
    QVERIFY2(spec.ok(), qPrintable(spec.ok() ? QString() : spec.error().toString()));
    QCOMPARE(spec->columns.size(), size_t(1));
    QCOMPARE(spec->columns[0].name, QStringLiteral("zip"));
    QCOMPARE(spec->columns[0].role, ColumnRule::Role::TargetEncoded);
    QCOMPARE(spec->excluded.size(), size_t(2)); // the free text and the per-row reference
}

void TestTabular::targetEncodedModelRoundTrips()
{
    const Table table = encodedTable(600, 60, 2.0);
    Setup s = prepare(table, QStringLiteral("y"), false);
    QCOMPARE(s.spec.columns.at(1).role, ColumnRule::Role::TargetEncoded);
    const auto back = PreprocessSpec::fromJson(json::parse(toStrictJson(s.spec.toJson())));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
    QCOMPARE(toStrictJson(back->toJson()), toStrictJson(s.spec.toJson()));

    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, quick(MetricId::Rmse, 3), rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    // the encoded category carries most of the signal (y = level effect + unit noise)
    QVERIFY2(outcome->testMetrics["r2"].get<double>() > 0.5, outcome->testMetrics.dump().c_str());
    QTemporaryDir dir;
    QVERIFY(outcome->evaluatedModel.save(dir.path()).ok());
    auto loaded = EnsembleModel::load(dir.path());
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    auto again = loaded->predict(table, 2, &s.split.test);
    QVERIFY(again.ok());
    for (size_t i = 0; i < again->values.size(); ++i)
        QVERIFY(std::abs(again->values[i] - outcome->testPredictions.values[i]) <= 1e-6);

    // a damaged encoding is refused, not used
    json broken = s.spec.toJson();
    broken["columns"][1]["encoding"].erase(0);
    QVERIFY(!PreprocessSpec::fromJson(broken).ok());
}

void TestTabular::versionOneSpecStillLoads()
{
    const Table table = load("iris.csv");
    auto spec = fitPreprocess(table, rowsWithTarget(table, QStringLiteral("target")), {QStringLiteral("target"), true, {}, 30});
    QVERIFY(spec.ok());
    json v1 = spec->toJson();
    v1["version"] = 1;
    v1.erase("target_encoding");
    auto loaded = PreprocessSpec::fromJson(v1);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->treeFeatureNames(), spec->treeFeatureNames());
    v1["version"] = 3;
    QVERIFY(!PreprocessSpec::fromJson(v1).ok());
}

void TestTabular::memoryPlanDecides()
{
    // a million rows of 20 features on a 24 GB machine: the whole search fits
    const SearchShape shape{1000000, 20, 21, 1, 1};
    const MemoryEstimate estimate = estimateMemory(shape, shape.rows);
    QVERIFY(estimate.peak() > 1e8 && estimate.peak() < 4e9);
    const MemoryPlan roomy = planMemory(shape, 24e9);
    QCOMPARE(roomy.decision, MemoryPlan::Decision::Proceed);
    QCOMPARE(roomy.searchRows, shape.rows);
    // less memory: the search runs on a sample that fits, the refit still uses every row
    const MemoryPlan tight = planMemory(shape, estimate.peak()); // 80 % of it is usable
    QCOMPARE(tight.decision, MemoryPlan::Decision::Subsample);
    QVERIFY(tight.searchRows >= 10000 && tight.searchRows < shape.rows);
    QVERIFY(estimateMemory(shape, tight.searchRows).features + estimateMemory(shape, tight.searchRows).outOfFold
                + estimateMemory(shape, tight.searchRows).searchMatrices
            <= tight.usableBytes);
    QVERIFY(tight.explanation.contains(QLatin1String("refitting")));
    // far too little: a clear refusal with the figures
    const MemoryPlan refused = planMemory(shape, 5e7);
    QCOMPARE(refused.decision, MemoryPlan::Decision::Refuse);
    QVERIFY2(refused.explanation.contains(QLatin1String("Not enough memory")), qPrintable(refused.explanation));
    // more classes and folds need more
    QVERIFY(estimateMemory({1000000, 20, 21, 5, 3}, 1000000).peak() > estimate.peak());

    // the exported model's refit on training + test rows is planned too, never after a sample
    SearchShape withTest = shape;
    withTest.labelledRows = 1250000;
    QVERIFY(planMemory(withTest, 24e9).refitAllRows);
    QVERIFY(!planMemory(shape, 24e9).refitAllRows); // no test rows to add
    QVERIFY(!planMemory(withTest, estimate.peak()).refitAllRows);
    // room for the search alone: it runs, and the exported model stays the training rows' fit
    withTest.labelledRows = 3000000;
    const MemoryPlan searchOnly = planMemory(withTest, estimateMemory(withTest, withTest.rows).peak() / 0.8 * 1.001);
    QCOMPARE(searchOnly.decision, MemoryPlan::Decision::Proceed);
    QVERIFY(!searchOnly.refitAllRows);
    QVERIFY2(searchOnly.explanation.contains(QLatin1String("keeps the training rows' fit")),
             qPrintable(searchOnly.explanation));
}

void TestTabular::searchSubsamplesWhenMemoryIsShort()
{
    const Table table = encodedTable(30000, 300, 1.0, 9); // x + a 300-level code (target-encoded) + y
    Setup s = prepare(table, QStringLiteral("y"), false);
    TrainerSettings settings = quick(MetricId::Rmse, 1);
    settings.families = {ModelFamily::GradientBoosting};
    const SearchShape shape{s.split.train.size(), s.spec.treeFeatureNames().size(), 0, 1, settings.folds};
    // room for the features, the kept predictions and about 12 000 searched rows
    const MemoryEstimate perRow = estimateMemory(shape, 1);
    const MemoryEstimate fixed = estimateMemory(shape, 0);
    settings.availableMemoryBytes = (fixed.features + fixed.outOfFold + 12000.5 * perRow.searchMatrices) / 0.8;
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().toString()));
    bool logged = false;
    for (const auto &[name, payload] : rec.events) {
        if (name == events::LogLine && stringField(payload, "text").contains(QLatin1String("cross-validating on a random 12000 rows")))
            logged = true;
        if (name == events::SplitSummary)
            QCOMPARE(payload["val_rows"].get<size_t>() * 3, size_t(12000)); // the folds cover the sample only
    }
    QVERIFY(logged);
    QCOMPARE(outcome->testPredictions.values.size(), s.split.test.size());
    // the cross-validated score is measured on the sampled rows' own out-of-fold predictions,
    // so it is close to the test score (it once paired each sampled row with another row's)
    const double cvRmse = outcome->candidates.front().cvScore;
    const double testRmse = outcome->testMetrics["rmse"].get<double>();
    QVERIFY2(cvRmse < 1.25 * testRmse && cvRmse > 0.8 * testRmse,
             qPrintable(QStringLiteral("cv %1, test %2").arg(cvRmse).arg(testRmse)));

    // nowhere near enough: refused before anything big is allocated
    settings.availableMemoryBytes = 1e6;
    TabularTrainer refused(table, s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto failed = refused.run();
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().code, QStringLiteral("train.out_of_memory"));
}

void TestTabular::explanationStopsAtTheDeadline()
{
    const Table table = load("diabetes.csv");
    Setup s = prepare(table, QStringLiteral("target"), false);
    TrainerSettings settings = quick(MetricId::Rmse, 1);
    settings.families = {ModelFamily::GradientBoosting};
    Recorder rec;
    TabularTrainer trainer(table, s.spec, s.split.train, s.split.test, settings, rec.callbacks());
    auto outcome = trainer.run();
    QVERIFY(outcome.ok());

    auto full = explainModel(outcome->model, table, s.split.test, MetricId::Rmse, 2, 7);
    QVERIFY2(full.ok(), qPrintable(full.ok() ? QString() : full.error().toString()));
    QVERIFY2(full->shortened.isEmpty(), qPrintable(full->shortened));
    QCOMPARE(full->contributions.size(), s.split.test.size() * (full->featureNames.size() + 1));
    QVERIFY(std::any_of(full->permutationImportance.begin(), full->permutationImportance.end(),
                        [](double v) { return v > 0; }));

    // past the deadline: gain only (it costs nothing), and the cut is said, not hidden
    auto late = explainModel(outcome->model, table, s.split.test, MetricId::Rmse, 2, 7, QDeadlineTimer(0));
    QVERIFY(late.ok());
    QCOMPARE(late->gainImportance, full->gainImportance);
    QVERIFY(late->contributions.empty());
    QVERIFY(std::all_of(late->permutationImportance.begin(), late->permutationImportance.end(),
                        [](double v) { return v == 0; }));
    QVERIFY2(late->shortened.contains(QLatin1String("permutation importance"))
                 && late->shortened.contains(QLatin1String("no SHAP")),
             qPrintable(late->shortened));
}

QTEST_GUILESS_MAIN(TestTabular)
#include "tst_tabular.moc"
