// CsvBatchReader: batches of rows typed as requested (never per batch), the same values as
// readCsv on the whole file, record boundaries across read blocks, and errors that name the line.

#include "core/data/CsvBatchReader.h"
#include "core/data/CsvReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace baton;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Every batch of the file, checked to have at most batchRows rows, as one list per column.
struct Batches
{
    std::vector<Table> tables;
    QString error;
    QString errorContext;
    QString errorCode;

    qsizetype rows() const
    {
        qsizetype n = 0;
        for (const Table &t : tables)
            n += t.rowCount();
        return n;
    }
    // The cell's display text across batches.
    QString cell(qsizetype row, const QString &column) const
    {
        for (const Table &t : tables) {
            if (row < t.rowCount())
                return t.column(*t.columnIndex(column)).displayValue(row);
            row -= t.rowCount();
        }
        return QStringLiteral("<no row>");
    }
    double number(qsizetype row, const QString &column) const
    {
        for (const Table &t : tables) {
            if (row < t.rowCount())
                return t.column(*t.columnIndex(column)).float64Values()[size_t(row)];
            row -= t.rowCount();
        }
        return -1;
    }
};

Batches readAllBatches(const QString &path, const std::vector<CsvColumnRequest> &requests,
                       qsizetype batchRows)
{
    Batches out;
    CsvBatchOptions options;
    options.batchRows = batchRows;
    auto reader = CsvBatchReader::open(path, options);
    auto failWith = [&](const Error &e) {
        out.error = e.message;
        out.errorContext = e.context;
        out.errorCode = e.code;
        return out;
    };
    if (!reader)
        return failWith(reader.error());
    if (Status selected = reader.value()->select(requests); !selected)
        return failWith(selected.error());
    for (;;) {
        auto batch = reader.value()->next();
        if (!batch)
            return failWith(batch.error());
        if (batch->rowCount() == 0)
            break;
        if (batch->rowCount() > batchRows)
            return failWith(makeError(ErrorKind::Internal, QStringLiteral("test"), QStringLiteral("batch too large")));
        out.tables.push_back(std::move(batch).value());
    }
    if (reader.value()->rowsRead() != out.rows())
        return failWith(makeError(ErrorKind::Internal, QStringLiteral("test"), QStringLiteral("rowsRead disagrees")));
    return out;
}

} // namespace

class TestCsvBatchReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }
    void typesAreTheSameInEveryBatch();
    void matchesReadCsvAcrossReadBlocks();
    void errorsNameTheLine_data();
    void errorsNameTheLine();
    void missingAndDuplicateColumns();
    void oneColumnBlankLines();
    void bomCrlfAndSniffedDelimiter();
    void wholeFileDecidesTheEncoding();
    void fileChangedWhileReading();

private:
    QString path(const QString &name) const { return m_tmp.filePath(name); }
    QTemporaryDir m_tmp;
};

// The pitfalls of per-batch inference: a first batch whose dates are all ambiguous (day <= 12),
// whose numbers are all missing and whose categories all look like integers.
void TestCsvBatchReader::typesAreTheSameInEveryBatch()
{
    QByteArray csv = "x,when,shop,flag\n";
    for (int i = 0; i < 12; ++i) {
        const int day = i < 6 ? 1 + i : 13 + i; // ambiguous first, day-first later
        csv += (i < 6 ? QByteArray("NA") : QByteArray::number(i * 0.5)) + ','
               + QByteArray::number(day).rightJustified(2, '0') + "/02/2020,"
               + (i < 6 ? QByteArray("007") : QByteArray("north")) + ',' + (i % 2 ? "yes" : "no") + '\n';
    }
    QVERIFY(writeFile(path(QStringLiteral("types.csv")), csv));
    const std::vector<CsvColumnRequest> requests = {{QStringLiteral("x"), ColumnType::Float64},
                                                    {QStringLiteral("when"), ColumnType::DateTime},
                                                    {QStringLiteral("shop"), ColumnType::Categorical},
                                                    {QStringLiteral("flag"), ColumnType::Float64}};
    const Batches b = readAllBatches(path(QStringLiteral("types.csv")), requests, 4);
    QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
    QCOMPARE(b.tables.size(), size_t(3));
    for (const Table &t : b.tables) {
        QCOMPARE(t.columnNames(), QStringList({"x", "when", "shop", "flag"}));
        QCOMPARE(t.column(0).type(), ColumnType::Float64);
        QCOMPARE(t.column(1).type(), ColumnType::DateTime);
        QCOMPARE(t.column(2).type(), ColumnType::Categorical);
    }
    QVERIFY(std::isnan(b.number(0, QStringLiteral("x"))));
    QCOMPARE(b.number(7, QStringLiteral("x")), 3.5);
    QCOMPARE(b.cell(0, QStringLiteral("shop")), QStringLiteral("007")); // not the integer 7
    QCOMPARE(b.number(1, QStringLiteral("flag")), 1.0);                 // yes
    QCOMPARE(b.number(2, QStringLiteral("flag")), 0.0);                 // no

    // Dates read day-first in every batch, as readCsv reads the whole file.
    auto whole = readCsv(path(QStringLiteral("types.csv")));
    QVERIFY(whole.ok());
    const Column &when = whole->column(*whole->columnIndex(QStringLiteral("when")));
    QCOMPARE(when.dateTimeFormat(), QStringLiteral("dd/MM/yyyy"));
    qsizetype row = 0;
    for (const Table &t : b.tables) {
        for (qsizetype r = 0; r < t.rowCount(); ++r, ++row)
            QCOMPARE(t.column(1).int64Values()[size_t(r)], when.int64Values()[size_t(row)]);
    }
    QCOMPARE(b.cell(0, QStringLiteral("when")), QStringLiteral("01/02/2020"));
}

// More than one 4 MB read block, with quoted fields holding delimiters, doubled quotes and line
// ends, so records are cut by block ends in every way; every value equals readCsv's.
void TestCsvBatchReader::matchesReadCsvAcrossReadBlocks()
{
    QByteArray csv = "id,value,count,note,when\n";
    const int rows = 130000;
    for (int i = 0; i < rows; ++i) {
        QByteArray note;
        switch (i % 4) {
        case 0: note = "plain " + QByteArray::number(i); break;
        case 1: note = "\"with, comma and \"\"quotes\"\" " + QByteArray::number(i) + '"'; break;
        case 2: note = "\"two\nlines " + QByteArray::number(i) + "\r\nand three\""; break;
        default: note = ""; break;
        }
        csv += QByteArray::number(i) + ',' + QByteArray::number(i * 0.001 - 7.25, 'g', 17) + ','
               + (i % 7 == 0 ? QByteArray("") : QByteArray::number(i % 1000)) + ',' + note + ','
               + QByteArray("2021-03-") + QByteArray::number(1 + i % 28).rightJustified(2, '0')
               + "T10:" + QByteArray::number(i % 60).rightJustified(2, '0') + ":00Z" + (i % 3 ? "\n" : "\r\n");
        csv += QByteArray(i % 97 == 0 ? "\n" : ""); // blank lines in between are skipped
    }
    QVERIFY(csv.size() > (qsizetype(4) << 20) * 2);
    QVERIFY(writeFile(path(QStringLiteral("blocks.csv")), csv));

    auto whole = readCsv(path(QStringLiteral("blocks.csv")));
    QVERIFY2(whole.ok(), whole.ok() ? "" : qPrintable(whole.error().toString()));
    QCOMPARE(whole->rowCount(), qsizetype(rows));
    const Batches b = readAllBatches(path(QStringLiteral("blocks.csv")),
                                     {{QStringLiteral("note"), ColumnType::Text},
                                      {QStringLiteral("value"), ColumnType::Float64},
                                      {QStringLiteral("count"), ColumnType::Int64},
                                      {QStringLiteral("when"), ColumnType::DateTime}},
                                     7777);
    QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
    QCOMPARE(b.rows(), qsizetype(rows));
    const Column &value = whole->column(*whole->columnIndex(QStringLiteral("value")));
    const Column &note = whole->column(*whole->columnIndex(QStringLiteral("note")));
    const Column &count = whole->column(*whole->columnIndex(QStringLiteral("count")));
    const Column &when = whole->column(*whole->columnIndex(QStringLiteral("when")));
    qsizetype row = 0;
    for (const Table &t : b.tables) {
        for (qsizetype r = 0; r < t.rowCount(); ++r, ++row) {
            QCOMPARE(t.column(0).displayValue(r), note.displayValue(row));
            QCOMPARE(t.column(1).float64Values()[size_t(r)], value.float64Values()[size_t(row)]);
            QCOMPARE(t.column(2).isMissing(r), count.isMissing(row));
            if (!count.isMissing(row))
                QCOMPARE(t.column(2).int64Values()[size_t(r)], count.int64Values()[size_t(row)]);
            QCOMPARE(t.column(3).int64Values()[size_t(r)], when.int64Values()[size_t(row)]);
        }
    }
    QCOMPARE(b.cell(2, QStringLiteral("note")), QStringLiteral("two\nlines 2\r\nand three"));
}

void TestCsvBatchReader::errorsNameTheLine_data()
{
    QTest::addColumn<QByteArray>("bad");     // replaces data row 4321 (line 4322)
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("message");
    QTest::newRow("word in a number") << QByteArray("oops,2020-01-01,a") << "csv.not_a_number"
                                      << "late.csv:line 4322, column “x”" << "data row 4321";
    QTest::newRow("not a date") << QByteArray("1,someday,a") << "csv.not_a_date"
                                << "late.csv:line 4322, column “when”" << "“someday”";
    QTest::newRow("ragged") << QByteArray("1,2020-01-01") << "csv.ragged_row" << "late.csv:line 4322"
                            << "2 fields, expected 3";
    QTest::newRow("unterminated quote") << QByteArray("1,2020-01-01,\"never closed") << "csv.unterminated_quote"
                                        << "late.csv:line 4322" << "line 4322";
}

// An error in a late batch names the right line, after earlier batches were delivered fine.
void TestCsvBatchReader::errorsNameTheLine()
{
    QFETCH(QByteArray, bad);
    QFETCH(QString, code);
    QFETCH(QString, context);
    QFETCH(QString, message);
    QByteArray csv = "x,when,shop\n";
    for (int i = 1; i <= 6000; ++i)
        csv += i == 4321 ? bad + '\n' : QByteArray::number(i) + ",2020-01-01,a\n";
    QVERIFY(writeFile(path(QStringLiteral("late.csv")), csv));
    const Batches b = readAllBatches(path(QStringLiteral("late.csv")),
                                     {{QStringLiteral("x"), ColumnType::Float64},
                                      {QStringLiteral("when"), ColumnType::DateTime},
                                      {QStringLiteral("shop"), ColumnType::Categorical}},
                                     1000);
    QCOMPARE(b.errorCode, code);
    QCOMPARE(b.errorContext, context);
    QVERIFY2(b.error.contains(message), qPrintable(b.error));
}

void TestCsvBatchReader::missingAndDuplicateColumns()
{
    QVERIFY(writeFile(path(QStringLiteral("small.csv")), "a,b\n1,2\n"));
    auto reader = CsvBatchReader::open(path(QStringLiteral("small.csv")));
    QVERIFY(reader.ok());
    QCOMPARE(reader.value()->header(), QStringList({"a", "b"}));
    Status missing = reader.value()->select({{QStringLiteral("a"), ColumnType::Float64},
                                             {QStringLiteral("zz"), ColumnType::DateTime}});
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, QStringLiteral("csv.missing_column"));
    QVERIFY2(missing.error().message.contains("“zz” (datetime)"), qPrintable(missing.error().message));
    Status twice = reader.value()->select({{QStringLiteral("a"), ColumnType::Float64},
                                           {QStringLiteral("a"), ColumnType::Text}});
    QVERIFY(!twice.ok());
    QVERIFY(!reader.value()->next().ok()); // nothing selected

    auto none = CsvBatchReader::open(path(QStringLiteral("nowhere.csv")));
    QVERIFY(!none.ok());
    QCOMPARE(none.error().kind, ErrorKind::NotFound);
    QVERIFY(writeFile(path(QStringLiteral("blank.csv")), "\n\r\n\n"));
    auto empty = CsvBatchReader::open(path(QStringLiteral("blank.csv")));
    QVERIFY(!empty.ok());
    QCOMPARE(empty.error().code, QStringLiteral("csv.empty"));
}

// One column: blank lines in between are missing values, trailing ones are nothing (as readCsv).
void TestCsvBatchReader::oneColumnBlankLines()
{
    QVERIFY(writeFile(path(QStringLiteral("one.csv")), "\n\nx\n1\n\n2\n\n\n3\n\n\n"));
    auto whole = readCsv(path(QStringLiteral("one.csv")));
    QVERIFY(whole.ok());
    const Batches b = readAllBatches(path(QStringLiteral("one.csv")), {{QStringLiteral("x"), ColumnType::Float64}}, 2);
    QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
    QCOMPARE(b.rows(), whole->rowCount());
    QCOMPARE(b.rows(), qsizetype(6));
    for (qsizetype r = 0; r < b.rows(); ++r)
        QCOMPARE(b.cell(r, QStringLiteral("x")), whole->cellText(r, 0));
}

void TestCsvBatchReader::bomCrlfAndSniffedDelimiter()
{
    QVERIFY(writeFile(path(QStringLiteral("bom.csv")), "\xEF\xBB\xBFname;\"size\"\r\nä;1,5\r\nb;\"2\"\r\n"));
    auto reader = CsvBatchReader::open(path(QStringLiteral("bom.csv")));
    QVERIFY(reader.ok());
    QCOMPARE(reader.value()->header(), QStringList({"name", "size"}));
    const Batches b = readAllBatches(path(QStringLiteral("bom.csv")),
                                     {{QStringLiteral("name"), ColumnType::Text},
                                      {QStringLiteral("size"), ColumnType::Text}},
                                     10);
    QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
    QCOMPARE(b.cell(0, QStringLiteral("name")), QStringLiteral("ä"));
    QCOMPARE(b.cell(0, QStringLiteral("size")), QStringLiteral("1,5"));
    QCOMPARE(b.cell(1, QStringLiteral("size")), QStringLiteral("2"));
}

// One Latin-1 byte at the very end makes the whole file Latin-1, first batch included.
void TestCsvBatchReader::wholeFileDecidesTheEncoding()
{
    QByteArray csv = "caf\xC3\xA9,n\n";
    for (int i = 0; i < 50; ++i)
        csv += "\xC3\xA9t\xC3\xA9," + QByteArray::number(i) + '\n';
    csv += "\xE9t\xE9,50\n";
    QVERIFY(writeFile(path(QStringLiteral("latin1.csv")), csv));
    auto whole = readCsv(path(QStringLiteral("latin1.csv")));
    QVERIFY(whole.ok());
    QCOMPARE(whole->encoding(), TextEncoding::Latin1);
    const QString name = whole->column(0).name();
    const Batches b = readAllBatches(path(QStringLiteral("latin1.csv")), {{name, ColumnType::Categorical}}, 8);
    QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
    QCOMPARE(b.tables.front().encoding(), TextEncoding::Latin1);
    QCOMPARE(b.cell(0, name), whole->cellText(0, 0));
    QCOMPARE(b.cell(50, name), QStringLiteral("été"));
}

void TestCsvBatchReader::fileChangedWhileReading()
{
    QByteArray csv = "a\n";
    for (int i = 0; i < 100; ++i)
        csv += QByteArray::number(i) + '\n';
    const QString file = path(QStringLiteral("changing.csv"));
    QVERIFY(writeFile(file, csv));
    CsvBatchOptions options;
    options.batchRows = 10;
    auto reader = CsvBatchReader::open(file, options);
    QVERIFY(reader.ok());
    QVERIFY(reader.value()->select({{QStringLiteral("a"), ColumnType::Float64}}).ok());
    QVERIFY(reader.value()->next().ok());
    QFile append(file);
    QVERIFY(append.open(QIODevice::Append));
    append.write("100\n");
    append.close();
    QString code;
    for (int i = 0; i < 20 && code.isEmpty(); ++i) {
        auto batch = reader.value()->next();
        if (!batch)
            code = batch.error().code;
        else if (batch->rowCount() == 0)
            break;
    }
    QCOMPARE(code, QStringLiteral("csv.changed"));
}

QTEST_GUILESS_MAIN(TestCsvBatchReader)
#include "tst_csvbatchreader.moc"
