// `baton predict` streams its input: the same predictions as scoring the whole file at once,
// errors in a late batch that name the line, and peak memory that does not grow with the file.

#include "core/data/CsvReader.h"
#include "core/ml/EnsembleModel.h"
#include "core/ml/ModelCandidate.h"
#include "core/ml/XgbBooster.h"
#include "core/review/ExportBundle.h"
#include "core/review/PredictCommand.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <sys/resource.h>

using namespace baton;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const QByteArray kShops[] = {"007", "12", "north", "south", "x-1"};

// Data row i of the generated files: a number, an integer, yes/no, a day-first date, a shop
// (categories that look like integers) and the target. With `tricky`, the first 1000 rows have
// only ambiguous dates (day <= 12), no `x` and integer-looking shops: what per-batch inference
// would get wrong.
QByteArray dataRow(int i, bool tricky)
{
    const bool early = tricky && i < 1000;
    const int day = early ? 1 + i % 12 : 1 + (i * 7) % 28;
    const int month = 1 + (i * 5) % 12;
    const double x = (i % 101) * 0.37 - 11.0;
    const QByteArray &shop = kShops[early ? i % 2 : i % 5];
    const double y = 2 * x + (i % 13) + day * 0.1 + (shop == "north" ? 5 : 0) + (i % 2 ? 3 : 0);
    return (early ? QByteArray("NA") : QByteArray::number(x, 'g', 17)) + ',' + QByteArray::number(i % 13) + ','
           + (i % 2 ? "yes" : "no") + ',' + QByteArray::number(day).rightJustified(2, '0') + '/'
           + QByteArray::number(month).rightJustified(2, '0') + "/2021," + shop + ','
           + QByteArray::number(y, 'g', 17) + '\n';
}

const QByteArray kHeader = "x,n,flag,when,shop,y\n";

QByteArray dataFile(int rows, bool tricky, int repeat = 1)
{
    QByteArray block;
    for (int i = 0; i < rows; ++i)
        block += dataRow(i, tricky);
    QByteArray csv = kHeader;
    csv.reserve(kHeader.size() + block.size() * repeat);
    for (int k = 0; k < repeat; ++k)
        csv += block;
    return csv;
}

// Peak resident set of the largest child waited for so far, in KiB (Linux reports KiB).
long childrenPeakKiB()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss;
}

struct Run
{
    int exitCode = -1;
    QByteArray err;
};

Run runBaton(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OMP_WAIT_POLICY"), QStringLiteral("PASSIVE"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BATON_EXECUTABLE), arguments);
    Run run;
    if (!process.waitForFinished(240000)) {
        process.kill();
        process.waitForFinished();
        run.err = "timed out";
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.err = process.readAllStandardError();
    return run;
}

QList<QByteArray> predictionColumn(const QByteArray &csv)
{
    QList<QByteArray> values;
    const QList<QByteArray> lines = csv.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (!lines[i].isEmpty())
            values << lines[i].split(',').value(1);
    }
    return values;
}

} // namespace

class TestPredictStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameAsWholeFile();
    void lateErrorNamesTheLine();
    void unseenCategoriesAreCounted();
    void largeFileStaysBounded();

private:
    QString path(const QString &name) const { return m_tmp.filePath(name); }
    ExitCode predict(const QString &data, const QString &out, qsizetype batchRows, QString *messages = nullptr);

    QTemporaryDir m_tmp;
    QString m_bundle;
    std::optional<EnsembleModel> m_model;
};

// A real bundle, trained here on the generated data: a few boosting rounds are enough.
void TestPredictStream::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QVERIFY(writeFile(path(QStringLiteral("train.csv")), dataFile(3000, false)));
    auto table = readCsv(path(QStringLiteral("train.csv")));
    QVERIFY(table.ok());
    QCOMPARE(table->column(*table->columnIndex(QStringLiteral("shop"))).type(), ColumnType::Categorical);
    std::vector<int64_t> rows(size_t(table->rowCount()));
    std::iota(rows.begin(), rows.end(), 0);
    PreprocessOptions options;
    options.target = QStringLiteral("y");
    auto spec = fitPreprocess(table.value(), rows, options);
    QVERIFY2(spec.ok(), spec.ok() ? "" : qPrintable(spec.error().toString()));
    QCOMPARE(spec->columns.size(), size_t(5));

    auto features = treeFeatures(spec.value(), table.value());
    auto labels = targetValues(spec.value(), table.value(), rows);
    QVERIFY(features.ok() && labels.ok());
    auto matrix = XgbMatrix::fromDense(features->values, features->rows, features->cols, 1);
    QVERIFY(matrix.ok());
    QVERIFY(matrix->setFeatureTypes(spec->treeFeatureTypes()).ok());
    QVERIFY(matrix->setLabels(labels.value()).ok());
    auto booster = XgbBooster::create({&matrix.value()});
    QVERIFY(booster.ok());
    CandidateConfig config = portfolio(ModelFamily::GradientBoosting, rows.size()).front();
    QVERIFY(booster->setParams(taskParams(false, 0, 1, 7)).ok());
    QVERIFY(booster->setParams(config.params).ok());
    for (int i = 0; i < 30; ++i)
        QVERIFY(booster->updateOneIter(i, matrix.value()).ok());
    auto modelJson = booster->saveJson();
    QVERIFY(modelJson.ok());

    EnsembleModel model(spec.value(), {{QStringLiteral("m1"), config, 1.0, modelJson.value()}}, QStringLiteral("rmse"));
    const QString modelDir = path(QStringLiteral("model"));
    QVERIFY(model.save(modelDir).ok());
    std::vector<BundleEntry> entries;
    QDirIterator files(modelDir, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString file = files.next();
        entries.push_back({QStringLiteral("model/") + QDir(modelDir).relativeFilePath(file), file, {}});
    }
    m_bundle = path(QStringLiteral("bundle.zip"));
    auto written = writeBundle(m_bundle, entries, json{{"task", "regression"}, {"target", "y"}});
    QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().toString()));
    m_model = std::move(model);
}

ExitCode TestPredictStream::predict(const QString &data, const QString &out, qsizetype batchRows, QString *messages)
{
    QString text;
    QTextStream err(&text);
    PredictOptions options;
    options.batchRows = batchRows;
    const ExitCode code = runPredict(m_bundle, data, out, err, options);
    err.flush();
    if (messages)
        *messages = text;
    return code;
}

// Small batches over a file built to trip per-batch inference: the streamed predictions equal,
// digit for digit, scoring the whole file read at once with readCsv.
void TestPredictStream::sameAsWholeFile()
{
    const QString data = path(QStringLiteral("tricky.csv"));
    QVERIFY(writeFile(data, dataFile(5000, true)));
    const QString out = path(QStringLiteral("tricky-predicted.csv"));
    QString messages;
    QCOMPARE(predict(data, out, 700, &messages), ExitCode::Success);
    QVERIFY2(!messages.contains("not seen in training"), qPrintable(messages)); // “007” stays “007”

    auto whole = readCsv(data);
    QVERIFY(whole.ok());
    QCOMPARE(whole->column(*whole->columnIndex(QStringLiteral("when"))).dateTimeFormat(), QStringLiteral("dd/MM/yyyy"));
    auto expected = m_model->predict(whole.value(), 1);
    QVERIFY2(expected.ok(), expected.ok() ? "" : qPrintable(expected.error().toString()));
    const QList<QByteArray> streamed = predictionColumn(readAll(out));
    QCOMPARE(streamed.size(), qsizetype(5000));
    for (qsizetype i = 0; i < streamed.size(); ++i)
        QCOMPARE(streamed[i], QByteArray::number(expected->values[size_t(i)], 'g', 17));
    QVERIFY(readAll(out).startsWith("row,prediction\n0,"));
    QVERIFY(readAll(out).contains("\n4999,"));
}

void TestPredictStream::lateErrorNamesTheLine()
{
    QByteArray csv = dataFile(6000, false);
    QList<QByteArray> lines = csv.split('\n');
    QByteArray &bad = lines[4700]; // data row 4700, line 4701
    bad = "oops" + bad.mid(bad.indexOf(','));
    const QString data = path(QStringLiteral("late-error.csv"));
    QVERIFY(writeFile(data, lines.join('\n')));
    const QString out = path(QStringLiteral("never.csv"));
    QString messages;
    QCOMPARE(predict(data, out, 1000, &messages), ExitCode::BadInput);
    QVERIFY2(messages.contains("line 4701") && messages.contains("“x”") && messages.contains("“oops”")
                 && messages.contains("data row 4700") && messages.contains("late-error.csv"),
             qPrintable(messages));
    QVERIFY(!QFile::exists(out)); // nothing half-written
}

// Unseen categories are scored as in training and counted over all batches.
void TestPredictStream::unseenCategoriesAreCounted()
{
    QList<QByteArray> lines = dataFile(3000, false).split('\n');
    for (int row : {10, 1500, 2999}) // three batches
        lines[row + 1].replace(",north,", ",west,").replace(",south,", ",west,").replace(",x-1,", ",west,")
            .replace(",007,", ",west,").replace(",12,", ",west,");
    const QString data = path(QStringLiteral("unseen.csv"));
    QVERIFY(writeFile(data, lines.join('\n')));
    QString messages;
    QCOMPARE(predict(data, path(QStringLiteral("unseen-out.csv")), 1000, &messages), ExitCode::Success);
    QVERIFY2(messages.contains("column “shop”: 3 value(s) not seen in training (e.g. “west”)"), qPrintable(messages));
    QCOMPARE(predictionColumn(readAll(path(QStringLiteral("unseen-out.csv")))).size(), qsizetype(3000));
}

// Files of 100 000 and 400 000 rows through the real command: the peak memory of the larger
// barely grows (reading it whole would take more than the size difference again), and every row
// is scored as the same row of the smaller file.
void TestPredictStream::largeFileStaysBounded()
{
    const int rows = 5000;
    const QString medium = path(QStringLiteral("medium.csv"));
    const QString large = path(QStringLiteral("large.csv"));
    QVERIFY(writeFile(medium, dataFile(rows, false, 20)));
    QVERIFY(writeFile(large, dataFile(rows, false, 80)));
    const qint64 mediumBytes = QFileInfo(medium).size();
    const qint64 largeBytes = QFileInfo(large).size();

    auto predictCommand = [&](const QString &data, const QString &out) {
        return runBaton({QStringLiteral("predict"), QStringLiteral("--bundle"), m_bundle,
                         QStringLiteral("--data"), data, QStringLiteral("--out"), out});
    };
    const Run mediumRun = predictCommand(medium, path(QStringLiteral("medium-out.csv")));
    QVERIFY2(mediumRun.exitCode == 0, mediumRun.err.constData());
    const long mediumPeak = childrenPeakKiB();
    const Run largeRun = predictCommand(large, path(QStringLiteral("large-out.csv")));
    QVERIFY2(largeRun.exitCode == 0, largeRun.err.constData());
    const long largePeak = childrenPeakKiB(); // the largest child so far: an upper bound
    QVERIFY(mediumPeak > 0);

    const long growthKiB = largePeak - mediumPeak;
    qInfo("baton predict peak RSS: %d rows (%.1f MB) %.1f MB, %d rows (%.1f MB) %.1f MB",
          rows * 20, double(mediumBytes) / 1e6, double(mediumPeak) / 1024, rows * 80,
          double(largeBytes) / 1e6, double(largePeak) / 1024);
    QVERIFY2(growthKiB * 1024 < (largeBytes - mediumBytes) / 4,
             qPrintable(QStringLiteral("peak grew by %1 KiB for %2 more bytes of input")
                            .arg(growthKiB)
                            .arg(largeBytes - mediumBytes)));

    const QList<QByteArray> mediumPredictions = predictionColumn(readAll(path(QStringLiteral("medium-out.csv"))));
    const QList<QByteArray> largePredictions = predictionColumn(readAll(path(QStringLiteral("large-out.csv"))));
    QCOMPARE(mediumPredictions.size(), qsizetype(rows) * 20);
    QCOMPARE(largePredictions.size(), qsizetype(rows) * 80);
    for (qsizetype i = 0; i < largePredictions.size(); ++i) {
        if (largePredictions[i] != mediumPredictions[i % rows])
            QFAIL(qPrintable(QStringLiteral("row %1: %2 vs %3")
                                 .arg(i)
                                 .arg(QString::fromLatin1(largePredictions[i]),
                                      QString::fromLatin1(mediumPredictions[i % rows]))));
    }
}

QTEST_GUILESS_MAIN(TestPredictStream)
#include "tst_predictstream.moc"
