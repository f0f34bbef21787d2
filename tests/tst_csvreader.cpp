#include "core/data/CsvReader.h"
#include "core/data/Table.h"
#include "core/jobs/JobRunner.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <locale.h>

using namespace baton;

Q_DECLARE_METATYPE(baton::ColumnType)
Q_DECLARE_METATYPE(baton::CsvHeader)

namespace {

QString errorText(const Result<Table> &result)
{
    return result.ok() ? QString() : result.error().toString();
}

// strtod as the reference, pinned to the C locale (QCoreApplication adopts the user's locale).
double referenceStrtod(const char *text)
{
    static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
    return strtod_l(text, nullptr, cLocale);
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

qint64 utcMs(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}

// A token that is already cancelled: JobHandle is the only way to cancel, so run a no-op job.
JobToken cancelledToken()
{
    JobToken token;
    JobHandle handle = JobRunner::start<int>(
        token, [](const JobToken &) -> Result<int> { return 0; }, nullptr,
        [](Result<int>) {});
    handle.cancel();
    handle.wait();
    return token;
}

// Deterministic mixed CSV: ints, floats with missing cells, a category, free text with quotes,
// delimiters and line breaks inside quoted fields, dates, and a tag that repeats one value in the
// first half and is unique in the second (so only the later chunks see that it is Text).
QByteArray generatedCsv(int rows, quint32 seed)
{
    QRandomGenerator rng(seed);
    static const char *const colours[] = {"red", "green", "blue", "cyan"};
    QByteArray out = "id,value,colour,note,when,tag\n";
    for (int i = 0; i < rows; ++i) {
        out += QByteArray::number(i);
        out += ',';
        if (rng.bounded(10) == 0)
            out += "NA";
        else
            out += QByteArray::number(rng.generateDouble() * 1000.0, 'g', 17);
        out += ',';
        out += colours[rng.bounded(4)];
        out += ',';
        switch (rng.bounded(4)) {
        case 0: out += "plain " + QByteArray::number(i); break;
        case 1: out += "\"with, comma " + QByteArray::number(i) + '"'; break;
        case 2: out += "\"two\nlines " + QByteArray::number(i) + '"'; break;
        default: out += "\"say \"\"hi\"\" " + QByteArray::number(i) + '"'; break;
        }
        out += ',';
        out += QDate(2020, 1, 1).addDays(i % 1000).toString(Qt::ISODate).toLatin1();
        out += ',';
        out += i < rows / 2 ? QByteArray("same") : "tag" + QByteArray::number(i);
        out += '\n';
    }
    return out;
}

} // namespace

// Reads bytes and binds the table, failing the test with the reader's message on error.
#define READ_OK(table, ...)                                                                        \
    const Result<Table> table##Result = readCsvBytes(__VA_ARGS__);                                 \
    QVERIFY2(table##Result.ok(), qPrintable(errorText(table##Result)));                            \
    const Table &table = table##Result.value()

class TstCsvReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quoting_data();
    void quoting();
    void delimiterSniffing_data();
    void delimiterSniffing();
    void explicitDelimiter();
    void utf8Bom();
    void latin1Fallback();
    void lineEnds_data();
    void lineEnds();
    void headerDetection_data();
    void headerDetection();
    void uniqueNames();
    void missingTokens_data();
    void missingTokens();
    void missingInOtherTypes();
    void typeInference_data();
    void typeInference();
    void typedValues();
    void dateTimeValues_data();
    void dateTimeValues();
    void categoricalRule_data();
    void categoricalRule();
    void exactness_data();
    void exactness();
    void decimalShapes();
    void isoAtFixedOffsets_data();
    void isoAtFixedOffsets();
    void floatGrammar_data();
    void floatGrammar();
    void malformed_data();
    void malformed();
    void errorContextNamesFile();
    void errorLineInLaterChunk_data();
    void errorLineInLaterChunk();
    void sizeGuard();
    void missingFile();
    void cancelledBeforeStart();
    void cancelledWhileReading();
    void parallelMatchesSequential();
    void iris();
    void amesHousing();
    void lateWidening();
    void earlyTextGuessUndone();
    void tableApi();
    void textColumnCells_data();
    void textColumnCells();
    void textCellsApi();
};

void TstCsvReader::quoting_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("expected");

    QTest::newRow("embedded delimiter") << QByteArray("id,text\n1,\"a,b\"\n2,x\n") << "a,b";
    QTest::newRow("doubled quotes")
        << QByteArray("id,text\n1,\"say \"\"hi\"\"\"\n2,x\n") << "say \"hi\"";
    QTest::newRow("only a quote") << QByteArray("id,text\n1,\"\"\"\"\n2,x\n") << "\"";
    QTest::newRow("embedded LF") << QByteArray("id,text\n1,\"line1\nline2\"\n2,x\n")
                                 << "line1\nline2";
    QTest::newRow("embedded CRLF")
        << QByteArray("id,text\r\n1,\"line1\r\nline2\"\r\n2,x\r\n") << "line1\r\nline2";
    QTest::newRow("quoted last field, no final newline")
        << QByteArray("id,text\n1,\"a\nb\"\n2,\"x\"") << "a\nb";
    QTest::newRow("quote inside unquoted field") << QByteArray("id,text\n1,5'11\"\n2,x\n")
                                                 << "5'11\"";
    QTest::newRow("text after closing quote") << QByteArray("id,text\n1,\"ab\"cd\n2,x\n")
                                              << "abcd";
    QTest::newRow("spaces kept in strings") << QByteArray("id,text\n1, padded \n2,x\n")
                                            << " padded ";
}

void TstCsvReader::quoting()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, expected);
    READ_OK(table, csv);
    QCOMPARE(table.columnCount(), 2);
    QCOMPARE(table.rowCount(), qsizetype(2));
    QCOMPARE(table.column(0).type(), ColumnType::Int64);
    QCOMPARE(table.cellText(0, 1), expected);
    QCOMPARE(table.cellText(1, 1), QStringLiteral("x"));
}

void TstCsvReader::delimiterSniffing_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<int>("columns");
    QTest::addColumn<QString>("cell"); // row 0, column 1

    QTest::newRow("comma") << QByteArray("a,b,c\n1,2,3\n4,5,6\n") << 3 << "2";
    QTest::newRow("semicolon, commas in quoted text")
        << QByteArray("name;city;n\n\"Doe, J\";Paris;1\n\"Roe, K\";Oslo;2\n") << 3 << "Paris";
    QTest::newRow("tab") << QByteArray("a\tb\n1.5\tx y\n2.5\tz\n") << 2 << "x y";
    QTest::newRow("pipe") << QByteArray("a|b|c|d\n1|2|3|4\n5|6|7|8\n") << 4 << "2";
    QTest::newRow("single column") << QByteArray("value\n1\n2\n3\n") << 1 << QString();
    QTest::newRow("delimiter inside quoted newline")
        << QByteArray("a;b\n\"x,\ny,z\";1\n\"w\";2\n") << 2 << "1";
}

void TstCsvReader::delimiterSniffing()
{
    QFETCH(QByteArray, csv);
    QFETCH(int, columns);
    QFETCH(QString, cell);
    READ_OK(table, csv);
    QCOMPARE(table.columnCount(), columns);
    QCOMPARE(table.rowCount(), qsizetype(columns == 1 ? 3 : 2));
    if (columns > 1)
        QCOMPARE(table.cellText(0, 1), cell);
}

void TstCsvReader::explicitDelimiter()
{
    CsvOptions options;
    options.delimiter = ';';
    // Sniffing alone would pick ',' here (more fields per line).
    READ_OK(table, QByteArray("a,b;c,d\n1,2;3,4\n5,6;7,8\n"), options);
    QCOMPARE(table.columnCount(), 2);
    QCOMPARE(table.column(0).name(), QStringLiteral("a,b"));
    QCOMPARE(table.cellText(1, 1), QStringLiteral("7,8"));
}

void TstCsvReader::utf8Bom()
{
    READ_OK(table, QByteArray("\xEF\xBB\xBFname,value\n\xC3\xA4pfel,1\nbirne,2\n"));
    QCOMPARE(table.encoding(), TextEncoding::Utf8);
    QCOMPARE(table.column(0).name(), QStringLiteral("name")); // no U+FEFF glued to it
    QCOMPARE(table.cellText(0, 0), QStringLiteral("\u00E4pfel"));
    QVERIFY(table.columnIndex(QStringLiteral("name")).has_value());

    READ_OK(noBom, QByteArray("name,value\ncaf\xC3\xA9,1\nthe \xE2\x82\xAC,2\n"));
    QCOMPARE(noBom.encoding(), TextEncoding::Utf8);
    QCOMPARE(noBom.cellText(0, 0), QStringLiteral("caf\u00E9"));
    QCOMPARE(noBom.cellText(1, 0), QStringLiteral("the \u20AC"));
}

void TstCsvReader::latin1Fallback()
{
    // 0xE9 alone is not UTF-8: the whole input is read as Latin-1.
    READ_OK(table, QByteArray("name,value\ncaf\xE9,1\nna\xEFve,2\n\xC0 la carte,3\n"));
    QCOMPARE(table.encoding(), TextEncoding::Latin1);
    QCOMPARE(textEncodingName(table.encoding()), QStringLiteral("ISO-8859-1"));
    QCOMPARE(table.cellText(0, 0), QStringLiteral("caf\u00E9"));
    QCOMPARE(table.cellText(1, 0), QStringLiteral("na\u00EFve"));
    QCOMPARE(table.cellText(2, 0), QStringLiteral("\u00C0 la carte"));

    // Only in a header name, and an overlong encoding of '/' (C0 AF): both still Latin-1.
    READ_OK(header, QByteArray("gr\xF6\xDF" "e,x\n1,2\n"));
    QCOMPARE(header.encoding(), TextEncoding::Latin1);
    QCOMPARE(header.column(0).name(), QStringLiteral("gr\u00F6\u00DFe"));
    READ_OK(overlong, QByteArray("a,b\n\xC0\xAF,1\nx,2\n"));
    QCOMPARE(overlong.encoding(), TextEncoding::Latin1);
}

void TstCsvReader::lineEnds_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::newRow("LF") << QByteArray("a,b\n1,x\n2,y\n");
    QTest::newRow("CRLF") << QByteArray("a,b\r\n1,x\r\n2,y\r\n");
    QTest::newRow("CRLF, no final line end") << QByteArray("a,b\r\n1,x\r\n2,y");
    QTest::newRow("mixed") << QByteArray("a,b\r\n1,x\n2,y\r\n");
    QTest::newRow("trailing blank lines") << QByteArray("a,b\n1,x\n2,y\n\n\r\n\n");
    QTest::newRow("leading and inner blank lines") << QByteArray("\n\na,b\n1,x\n\n2,y\n");
    QTest::newRow("quoted CRLF values") << QByteArray("\"a\",\"b\"\r\n\"1\",\"x\"\r\n2,\"y\"\r\n");
}

void TstCsvReader::lineEnds()
{
    QFETCH(QByteArray, csv);
    READ_OK(table, csv);
    QCOMPARE(table.columnNames(), QStringList({QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(table.rowCount(), qsizetype(2));
    QCOMPARE(table.column(0).type(), ColumnType::Int64);
    QCOMPARE(table.column(0).int64Values(), std::vector<int64_t>({1, 2}));
    QCOMPARE(table.cellText(0, 1), QStringLiteral("x")); // never "x\r"
    QCOMPARE(table.cellText(1, 1), QStringLiteral("y"));
}

void TstCsvReader::headerDetection_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<CsvHeader>("mode");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<int>("rows");

    const auto detect = CsvHeader::Detect;
    QTest::newRow("names over numbers")
        << QByteArray("name,age\nann,31\nbob,42\n") << detect << QStringList{"name", "age"} << 2;
    QTest::newRow("names over floats")
        << QByteArray("x,y\n1.5,2\n3,4.25\n") << detect << QStringList{"x", "y"} << 2;
    QTest::newRow("names over dates and bools")
        << QByteArray("when,ok\n2020-01-01,true\n2020-01-02,no\n") << detect
        << QStringList{"when", "ok"} << 2;
    QTest::newRow("all numbers: no header")
        << QByteArray("1,2\n3,4\n") << detect << QStringList{"column_1", "column_2"} << 2;
    QTest::newRow("numeric first row fits: no header")
        << QByteArray("2019,2020\n1,2\n3,4\n") << detect << QStringList{"column_1", "column_2"}
        << 3;
    QTest::newRow("first row fits a float column")
        << QByteArray("7,2.5\n1,2\n") << detect << QStringList{"column_1", "column_2"} << 2;
    QTest::newRow("all text: header")
        << QByteArray("city,country\nParis,France\nOslo,Norway\n") << detect
        << QStringList{"city", "country"} << 2;
    QTest::newRow("only a header") << QByteArray("a,b\n") << detect << QStringList{"a", "b"} << 0;
    QTest::newRow("one data row") << QByteArray("1,2.5\n") << detect
                                  << QStringList{"column_1", "column_2"} << 1;
    QTest::newRow("forced present") << QByteArray("1,2\n3,4\n") << CsvHeader::Present
                                    << QStringList{"1", "2"} << 1;
    QTest::newRow("forced absent") << QByteArray("a,b\nc,d\n") << CsvHeader::Absent
                                   << QStringList{"column_1", "column_2"} << 2;
}

void TstCsvReader::headerDetection()
{
    QFETCH(QByteArray, csv);
    QFETCH(CsvHeader, mode);
    QFETCH(QStringList, names);
    QFETCH(int, rows);
    CsvOptions options;
    options.header = mode;
    READ_OK(table, csv, options);
    QCOMPARE(table.columnNames(), names);
    QCOMPARE(table.rowCount(), qsizetype(rows));
}

void TstCsvReader::uniqueNames()
{
    READ_OK(table, QByteArray(",a,a, a ,a_2,b,\n1,2,3,4,5,6,7\n8,9,10,11,12,13,14\n"));
    QCOMPARE(table.columnNames(),
             QStringList({"column_1", "a", "a_2", "a_3", "a_2_2", "b", "column_7"}));
}

void TstCsvReader::missingTokens_data()
{
    QTest::addColumn<QByteArray>("token");
    for (const char *token : {"", "NA", "N/A", "null", "NULL", "NaN", "nan", "?", "-", "  NA ",
                              "\"\"", "\"N/A\""}) {
        QTest::newRow(token[0] ? token : "empty") << QByteArray(token);
    }
}

void TstCsvReader::missingTokens()
{
    QFETCH(QByteArray, token);
    // Two columns, so an empty token is an empty field, not a skipped blank line.
    READ_OK(table, "k,v\n1,10\n2," + token + "\n3,30\n");
    const Column &column = table.column(1);
    QCOMPARE(table.rowCount(), qsizetype(3));
    QCOMPARE(column.type(), ColumnType::Int64); // missing cells never decide a type
    QCOMPARE(column.missingCount(), qsizetype(1));
    QVERIFY(!column.isMissing(0));
    QVERIFY(column.isMissing(1));
    QVERIFY(table.cellText(1, 1).isNull());
    QCOMPARE(column.missingMask(), std::vector<uint8_t>({0, 1, 0}));

    // In a one-column file an empty line is a missing value too.
    if (token.isEmpty()) {
        READ_OK(single, QByteArray("v\n1\n\n3\n"));
        QCOMPARE(single.rowCount(), qsizetype(3));
        QVERIFY(single.column(0).isMissing(1));
    }
}

void TstCsvReader::missingInOtherTypes()
{
    READ_OK(table, QByteArray("f,b,d,c,t\n"
                              "1.5,true,2020-01-01,x,alpha\n"
                              "NA,NA,NA,NA,NA\n"
                              "2.5,false,2020-01-03,x,beta\n"
                              "3.5,yes,2020-01-04,x,gamma\n"));
    QCOMPARE(table.column(0).type(), ColumnType::Float64);
    QVERIFY(std::isnan(table.column(0).float64Values()[1]));
    QCOMPARE(table.column(1).type(), ColumnType::Bool);
    QCOMPARE(table.column(2).type(), ColumnType::DateTime);
    QCOMPARE(table.column(3).type(), ColumnType::Categorical);
    QCOMPARE(table.column(3).codes(), std::vector<int32_t>({0, -1, 0, 0}));
    QCOMPARE(table.column(4).type(), ColumnType::Text);
    for (int c = 0; c < table.columnCount(); ++c) {
        QVERIFY2(table.column(c).isMissing(1), qPrintable(table.column(c).name()));
        QCOMPARE(table.column(c).missingCount(), qsizetype(1));
        QVERIFY(!table.column(c).isMissing(0));
    }
    // Words that merely resemble the tokens are values.
    READ_OK(words, QByteArray("v\nna\nNone\nNA\nna\n"));
    QCOMPARE(words.column(0).type(), ColumnType::Categorical);
    QCOMPARE(words.column(0).missingCount(), qsizetype(1));
    // A column of nothing but missing cells.
    READ_OK(empty, QByteArray("a,b\n1,\n2,NA\n"));
    QCOMPARE(empty.column(1).type(), ColumnType::Float64);
    QCOMPARE(empty.column(1).missingCount(), qsizetype(2));
}

void TstCsvReader::typeInference_data()
{
    QTest::addColumn<QByteArray>("values"); // one per line, under the header "v"
    QTest::addColumn<ColumnType>("type");
    QTest::addColumn<QString>("format");    // DateTime only
    QTest::addColumn<QString>("firstCell"); // displayValue(0)

    QTest::newRow("bool true/false/yes/no")
        << QByteArray("true\nFALSE\nYes\nno\nTRUE") << ColumnType::Bool << QString() << "true";
    QTest::newRow("0/1 stay int") << QByteArray("0\n1\n1\n0") << ColumnType::Int64 << QString()
                                  << "0";
    QTest::newRow("bool mixed with 0/1 is a string")
        << QByteArray("true\n0\ntrue\n1") << ColumnType::Categorical << QString() << "true";
    QTest::newRow("int64") << QByteArray("1\n-2\n+3\n 4 \n") << ColumnType::Int64 << QString()
                           << "1";
    QTest::newRow("int64 limits")
        << QByteArray("9223372036854775807\n-9223372036854775808") << ColumnType::Int64
        << QString() << "9223372036854775807";
    QTest::newRow("int64 overflow is float")
        << QByteArray("1\n9223372036854775808") << ColumnType::Float64 << QString() << "1";
    QTest::newRow("float") << QByteArray("1.5\n2\n-3e4\n.5\n+0.25") << ColumnType::Float64
                           << QString() << "1.5";
    QTest::newRow("float with inf") << QByteArray("inf\n1.0\n-inf") << ColumnType::Float64
                                    << QString() << "inf";
    QTest::newRow("iso date") << QByteArray("2020-01-31\n2021-02-28\n2024-02-29")
                              << ColumnType::DateTime << "yyyy-MM-dd" << "2020-01-31";
    QTest::newRow("iso date time T seconds")
        << QByteArray("2020-01-31T10:20:30\n2020-02-01T00:00:00") << ColumnType::DateTime
        << "yyyy-MM-ddTHH:mm:ss" << "2020-01-31T10:20:30";
    QTest::newRow("iso date time space minutes")
        << QByteArray("2020-01-31 10:20\n2020-02-01 23:59") << ColumnType::DateTime
        << "yyyy-MM-dd HH:mm" << "2020-01-31 10:20";
    QTest::newRow("iso fraction and zones")
        << QByteArray("2020-01-31T10:20:30.123Z\n2020-01-31T10:20:30.5+02:00\n"
                      "2020-01-31T10:20:30-0130")
        << ColumnType::DateTime << "yyyy-MM-ddTHH:mm:ss.zzzZ" << "2020-01-31T10:20:30.123Z";
    QTest::newRow("iso dates and date times mixed")
        << QByteArray("2020-01-31\n2020-02-01T08:00") << ColumnType::DateTime
        << "yyyy-MM-ddTHH:mm" << "2020-01-31T00:00";
    QTest::newRow("dd/MM/yyyy") << QByteArray("31/01/2020\n01/02/2020\n5/3/2021")
                                << ColumnType::DateTime << "dd/MM/yyyy" << "31/01/2020";
    QTest::newRow("MM/dd/yyyy") << QByteArray("01/31/2020\n02/01/2020")
                                << ColumnType::DateTime << "MM/dd/yyyy" << "01/31/2020";
    QTest::newRow("ambiguous d/m reads month first")
        << QByteArray("01/02/2020\n03/04/2020") << ColumnType::DateTime << "MM/dd/yyyy"
        << "01/02/2020";
    QTest::newRow("dd.MM.yyyy") << QByteArray("31.01.2020\n1.2.2020") << ColumnType::DateTime
                                << "dd.MM.yyyy" << "31.01.2020";
    QTest::newRow("dd-MM-yyyy") << QByteArray("31-01-2020\n01-02-2020") << ColumnType::DateTime
                                << "dd-MM-yyyy" << "31-01-2020";
    QTest::newRow("dd/MM/yyyy HH:mm")
        << QByteArray("31/01/2020 10:20\n01/02/2020 08:05") << ColumnType::DateTime
        << "dd/MM/yyyy HH:mm" << "31/01/2020 10:20";
    QTest::newRow("dd.MM.yyyy HH:mm:ss")
        << QByteArray("31.01.2020 10:20:30\n01.02.2020 08:05:00") << ColumnType::DateTime
        << "dd.MM.yyyy HH:mm:ss" << "31.01.2020 10:20:30";
    QTest::newRow("day first and month first mixed is text")
        << QByteArray("13/01/2020\n01/13/2020") << ColumnType::Text << QString() << "13/01/2020";
    QTest::newRow("impossible date is text")
        << QByteArray("2020-02-30\n2020-01-01") << ColumnType::Text << QString() << "2020-02-30";
    QTest::newRow("categorical") << QByteArray("a\nb\na\nb\nc") << ColumnType::Categorical
                                 << QString() << "a";
    QTest::newRow("all distinct is text") << QByteArray("alpha\nbeta\ngamma")
                                          << ColumnType::Text << QString() << "alpha";
    QTest::newRow("numbers with a word are strings")
        << QByteArray("1\n2\nmany\n2") << ColumnType::Categorical << QString() << "1";
    QTest::newRow("all missing is float")
        << QByteArray("NA\n\n?") << ColumnType::Float64 << QString() << QString();
}

void TstCsvReader::typeInference()
{
    QFETCH(QByteArray, values);
    QFETCH(ColumnType, type);
    QFETCH(QString, format);
    QFETCH(QString, firstCell);
    // A second column keeps empty lines as records and the header decision independent.
    QByteArray csv = "v,k\n";
    int k = 0;
    for (const QByteArray &value : values.split('\n'))
        csv += value + ',' + QByteArray::number(k++) + '\n';
    CsvOptions options;
    options.header = CsvHeader::Present;
    READ_OK(table, csv, options);
    const Column &column = table.column(0);
    QCOMPARE(columnTypeName(column.type()), columnTypeName(type));
    QCOMPARE(column.dateTimeFormat(), format);
    QCOMPARE(column.displayValue(0), firstCell);
}

void TstCsvReader::typedValues()
{
    READ_OK(table, QByteArray("i,b,c\n+7,yes,red\n -12 ,No,blue\n9007199254740993,TRUE,red\n"));
    QCOMPARE(table.column(0).int64Values(), std::vector<int64_t>({7, -12, 9007199254740993LL}));
    QCOMPARE(table.column(1).boolValues(), std::vector<uint8_t>({1, 0, 1}));
    QCOMPARE(table.cellText(1, 1), QStringLiteral("false"));
    const Column &colour = table.column(2);
    QCOMPARE(colour.type(), ColumnType::Categorical);
    QCOMPARE(colour.dictionary(), std::vector<QString>({"red", "blue"})); // first appearance
    QCOMPARE(colour.codes(), std::vector<int32_t>({0, 1, 0}));
}

void TstCsvReader::dateTimeValues_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ms");

    QTest::newRow("iso date") << QByteArray("2020-01-31") << utcMs(2020, 1, 31);
    QTest::newRow("before the epoch") << QByteArray("1969-12-31T23:59:59")
                                      << utcMs(1969, 12, 31, 23, 59, 59);
    QTest::newRow("leap day") << QByteArray("2024-02-29 12:00") << utcMs(2024, 2, 29, 12);
    QTest::newRow("fraction, Z") << QByteArray("2020-01-31T10:20:30.123456Z")
                                 << utcMs(2020, 1, 31, 10, 20, 30, 123);
    QTest::newRow("offset +02:00 to UTC")
        << QByteArray("2020-01-31T10:20:30.5+02:00") << utcMs(2020, 1, 31, 8, 20, 30, 500);
    QTest::newRow("offset -0130 to UTC") << QByteArray("2020-01-31T23:00-0130")
                                         << utcMs(2020, 2, 1, 0, 30);
    QTest::newRow("dd/MM/yyyy HH:mm") << QByteArray("31/01/2020 07:05")
                                      << utcMs(2020, 1, 31, 7, 5);
    QTest::newRow("dd.MM.yyyy") << QByteArray("1.2.2020") << utcMs(2020, 2, 1);
}

void TstCsvReader::dateTimeValues()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ms);
    READ_OK(table, "when\n" + text + "\n");
    const Column &column = table.column(0);
    QCOMPARE(column.type(), ColumnType::DateTime);
    QCOMPARE(column.int64Values().at(0), ms);
}

// yyyy-MM-dd and yyyy-MM-dd HH:mm:ss have a fixed-offset path of their own: it must accept and
// refuse exactly what the general ISO rules do.
void TstCsvReader::isoAtFixedOffsets_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ms"); // -1: not a date
    QTest::newRow("date") << QByteArray("2016-04-29") << utcMs(2016, 4, 29);
    QTest::newRow("space, seconds") << QByteArray("2016-11-26 17:04:45")
                                    << utcMs(2016, 11, 26, 17, 4, 45);
    QTest::newRow("T, seconds") << QByteArray("2000-02-29T00:00:59") << utcMs(2000, 2, 29, 0, 0, 59);
    QTest::newRow("ten bytes, not ISO") << QByteArray("29/04/2016") << utcMs(2016, 4, 29);
    QTest::newRow("nineteen bytes with zone") << QByteArray("2016-04-29T10:20+01") << utcMs(2016, 4, 29, 9, 20);
    const char *refused[] = {"2021-02-29", "1900-02-29", "2021-13-01", "2021-00-10", "2021-01-32",
                             "2021-01-00", "2021-01-01 24:00:00", "2021-01-01 23:60:00",
                             "2021-01-01 23:59:60", "2021-01-01X23:59:59", "2021-01-01 23-59-59",
                             "20a1-01-01", "2021-1-011", "2021/01/01", "2021-01-01 23:59:5x",
                             "-021-01-01", "2021-01-01  3:59:59"};
    for (const char *text : refused)
        QTest::newRow(text) << QByteArray(text) << qint64(-1);
}

void TstCsvReader::isoAtFixedOffsets()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ms);
    READ_OK(table, "a,when\n1," + text + "\n2,\n");
    const Column &column = table.column(1);
    if (ms < 0) {
        QVERIFY2(column.type() != ColumnType::DateTime, qPrintable(column.dateTimeFormat()));
        return;
    }
    QCOMPARE(column.type(), ColumnType::DateTime);
    QCOMPARE(column.int64Values().at(0), ms);
}

void TstCsvReader::categoricalRule_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("distinct");
    QTest::addColumn<ColumnType>("type");

    QTest::newRow("3 of 150") << 150 << 3 << ColumnType::Categorical;
    QTest::newRow("50 of 100") << 100 << 50 << ColumnType::Categorical;
    QTest::newRow("51 of 100") << 100 << 51 << ColumnType::Text;
    QTest::newRow("100 of 2000") << 2000 << 100 << ColumnType::Categorical;
    QTest::newRow("101 of 2000") << 2000 << 101 << ColumnType::Text;
    QTest::newRow("10 of 10, all unique") << 10 << 10 << ColumnType::Text;
}

void TstCsvReader::categoricalRule()
{
    QFETCH(int, rows);
    QFETCH(int, distinct);
    QFETCH(ColumnType, type);
    QByteArray csv = "label\n";
    for (int i = 0; i < rows; ++i)
        csv += "v" + QByteArray::number(i % distinct) + '\n';
    READ_OK(table, csv);
    QCOMPARE(table.rowCount(), qsizetype(rows));
    QCOMPARE(columnTypeName(table.column(0).type()), columnTypeName(type));
    if (type == ColumnType::Categorical)
        QCOMPARE(qsizetype(table.column(0).dictionary().size()), qsizetype(distinct));
    QCOMPARE(table.cellText(rows - 1, 0), "v" + QString::number((rows - 1) % distinct));
}

void TstCsvReader::exactness_data()
{
    QTest::addColumn<QByteArray>("text");
    for (const char *text :
         {"0.1", "0.2", "0.3", "1e-300", "123456789.123456789", "2.2250738585072014e-308",
          "2.2250738585072011e-308", "4.9406564584124654e-324", "1.7976931348623157e308",
          "9007199254740993.0", "3.141592653589793238462643383279", "-0.0", "+2.5", " 6.02e23 ",
          "1e-400", "1e400", "0.000001", "1.00000000000000011102230246251565404236316680908203126"}) {
        QTest::newRow(text) << QByteArray(text);
    }
}

void TstCsvReader::exactness()
{
    QFETCH(QByteArray, text);
    READ_OK(table, "v\n0.5\n" + text + "\n");
    const Column &column = table.column(0);
    QCOMPARE(column.type(), ColumnType::Float64);
    const double expected = referenceStrtod(text.constData());
    const double actual = column.float64Values().at(1);
    QVERIFY2(sameBits(actual, expected),
             qPrintable(QStringLiteral("%1 read as %2, strtod gives %3")
                            .arg(QString::fromLatin1(text))
                            .arg(actual, 0, 'g', 17)
                            .arg(expected, 0, 'g', 17)));
    // The display text reads back to the same double.
    if (std::isfinite(actual)) {
        const QByteArray shown = column.displayValue(1).toLatin1();
        QVERIFY(sameBits(referenceStrtod(shown.constData()), actual));
    }
}

// Plain decimals of every shape the reader's fast path reads (0-10 digits before and after the
// point, the point or sign missing, leading zeros, mantissas past 2^53): bit-equal to strtod.
void TstCsvReader::decimalShapes()
{
    QRandomGenerator random(20261128);
    auto digits = [&](int count) {
        QByteArray text;
        for (int i = 0; i < count; ++i)
            text += char('0' + random.bounded(10));
        return text;
    };
    QList<QByteArray> values;
    for (int whole = 0; whole <= 10; ++whole) {
        for (int fraction = -1; fraction <= 10; ++fraction) { // -1: no point at all
            if (whole == 0 && fraction <= 0)
                continue;
            for (const char *sign : {"", "-"}) {
                for (int sample = 0; sample < 4; ++sample) {
                    QByteArray text = sign + digits(whole);
                    if (fraction >= 0)
                        text += '.' + digits(fraction);
                    values.append(text);
                }
            }
        }
    }
    values << "0.0" << "-0.0" << "00000000.00000000" << "99999999.99999999" << "-99999999.9999999"
           << "9007199254740993" << "9007199.254740993" << "90071992.54740993"
           << "12345678.1234567e1";
    QByteArray csv = "v\n";
    for (const QByteArray &value : values)
        csv += value + '\n';
    READ_OK(numbers, csv);
    const Column &parsed = numbers.column(0);
    QCOMPARE(parsed.type(), ColumnType::Float64);
    for (qsizetype i = 0; i < values.size(); ++i) {
        const double expected = referenceStrtod(values[i].constData());
        QVERIFY2(sameBits(parsed.float64Values()[size_t(i)], expected),
                 qPrintable(QStringLiteral("%1 read as %2, strtod gives %3")
                                .arg(QString::fromLatin1(values[i]))
                                .arg(parsed.float64Values()[size_t(i)], 0, 'g', 17)
                                .arg(expected, 0, 'g', 17)));
    }
}

void TstCsvReader::floatGrammar_data()
{
    QTest::addColumn<QByteArray>("text");
    for (const char *text :
         {"1", "-1", "1.", ".5", "-.5", "+.5", ".", "+", "-.", "1e5", "1E+5", "1e-5", "1e",
          "1e+", "e5", ".e5", "1.e5", "0x10", "0x1p3", "1.5.2", "1,5", "--1", "+-1", "-+1",
          "inf", "-INF", "Infinity", "infinit", "infx", "nan(abc_1)", "-nan", "nan(", "nan()",
          "1d", "1f", "١", "12 34", "1_000", "00012.5000", "1e0400", ".0e-0"}) {
        QTest::newRow(text) << QByteArray(text);
    }
}

void TstCsvReader::floatGrammar()
{
    // The reader decides "is this a number?" without a full parse; std::from_chars (with the
    // documented extra '+') is the oracle it must agree with.
    QFETCH(QByteArray, text);
    QByteArray body = text;
    bool oracle = true;
    if (body.startsWith('+')) {
        body = body.mid(1);
        oracle = !body.isEmpty() && body[0] != '-' && body[0] != '+';
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(body.constData(), body.constData() + body.size(), value,
                                           std::chars_format::general);
    oracle = oracle && ptr == body.constData() + body.size()
             && (ec == std::errc() || ec == std::errc::result_out_of_range);
    // Under a header, beside a plain float, so only this value can make the column non-numeric;
    // quoted, so "1,5" stays one field. ("-" is left out: it is a missing-value token.)
    READ_OK(table, "v\n1.5\n\"" + text + "\"\n");
    const ColumnType type = table.column(0).type();
    QVERIFY2((type == ColumnType::Float64) == oracle,
             qPrintable(QStringLiteral("%1 -> %2").arg(QString::fromUtf8(text),
                                                      columnTypeName(type))));
}

void TstCsvReader::malformed_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("detail");

    QTest::newRow("unterminated quote")
        << QByteArray("a,b\n1,2\n3,\"oops\n4,5\n") << "csv.unterminated_quote" << 3
        << "never closed";
    QTest::newRow("unterminated quote in the header")
        << QByteArray("a,\"b\n1,2\n") << "csv.unterminated_quote" << 1 << "never closed";
    QTest::newRow("too few fields") << QByteArray("a,b,c\n1,2,3\n4,5\n") << "csv.ragged_row" << 3
                                    << "2 fields, expected 3";
    QTest::newRow("too many fields") << QByteArray("a,b\n1,2\n3,4\n5,6,7\n") << "csv.ragged_row"
                                     << 4 << "3 fields, expected 2";
    QTest::newRow("line count includes quoted line breaks")
        << QByteArray("a,b\n\"x\ny\",1\n2\n") << "csv.ragged_row" << 4 << "1 fields, expected 2";
    QTest::newRow("CRLF line numbers") << QByteArray("a,b\r\n1,2\r\n\r\n3\r\n") << "csv.ragged_row"
                                       << 4 << "expected 2";
    QTest::newRow("empty input") << QByteArray("\n\r\n") << "csv.empty" << 0 << "no data";
}

void TstCsvReader::malformed()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, code);
    QFETCH(int, line);
    QFETCH(QString, detail);
    const Result<Table> result = readCsvBytes(csv);
    QVERIFY(!result.ok());
    const Error &error = result.error();
    QCOMPARE(error.kind, ErrorKind::BadInput);
    QCOMPARE(error.code, code);
    QVERIFY2(error.message.contains(detail), qPrintable(error.message));
    if (line > 0) {
        QCOMPARE(error.context, QStringLiteral("line %1").arg(line));
        QVERIFY2(error.message.contains(QStringLiteral("line %1").arg(line), Qt::CaseInsensitive),
                 qPrintable(error.message));
    }
}

void TstCsvReader::errorContextNamesFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("broken.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a,b\n1,2\n3,4\n5\n");
    file.close();
    const Result<Table> result = readCsv(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("csv.ragged_row"));
    QCOMPARE(result.error().context, QStringLiteral("broken.csv:line 4"));
}

void TstCsvReader::errorLineInLaterChunk_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("1 thread") << 1;
    QTest::newRow("2 threads") << 2;
    QTest::newRow("4 threads") << 4;
}

void TstCsvReader::errorLineInLaterChunk()
{
    QFETCH(int, threads);
    CsvOptions options;
    options.threads = threads;
    // ~1.5 MB, so the reader splits it; line 3 of each record pair spans two lines.
    QByteArray csv = "id,text\n";
    int line = 2;
    int raggedLine = 0;
    int unterminatedLine = 0;
    for (int i = 0; i < 40000; ++i) {
        if (i == 30000)
            raggedLine = line;
        csv += QByteArray::number(i) + ",\"two\nlines\"" + (i == 30000 ? ",extra" : "") + '\n';
        line += 2;
    }
    {
        READ_OK(table, csv.left(csv.indexOf("30000,")), options);
        QCOMPARE(table.rowCount(), qsizetype(30000));
    }
    Result<Table> result = readCsvBytes(csv, options);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("csv.ragged_row"));
    QCOMPARE(result.error().context, QStringLiteral("line %1").arg(raggedLine));

    // An opening quote that never closes, far into the file.
    QByteArray open = "id,text\n";
    line = 2;
    for (int i = 0; i < 40000; ++i) {
        if (i == 35000) {
            unterminatedLine = line;
            open += "35000,\"never closed\n";
            line += 1;
            continue;
        }
        open += QByteArray::number(i) + ",plain text without quotes\n";
        line += 1;
    }
    result = readCsvBytes(open, options);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("csv.unterminated_quote"));
    QCOMPARE(result.error().context, QStringLiteral("line %1").arg(unterminatedLine));
}

void TstCsvReader::sizeGuard()
{
    CsvOptions options;
    options.maxBytes = 10;
    Result<Table> result = readCsvBytes(QByteArray("a,b\n1,2\n3,4\n"), options);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("csv.too_large"));

    result = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"), options);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::BadInput);
    QCOMPARE(result.error().code, QStringLiteral("csv.too_large"));
    QVERIFY2(result.error().message.contains(QStringLiteral("limit")),
             qPrintable(result.error().message));
}

void TstCsvReader::missingFile()
{
    const Result<Table> result = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/no-such-file.csv"));
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::NotFound);
}

void TstCsvReader::cancelledBeforeStart()
{
    const JobToken token = cancelledToken();
    QVERIFY(token.isCancelled());
    Result<Table> result = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"), {}, &token);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Cancelled);
    result = readCsvBytes(QByteArray("a\n1\n"), {}, &token);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Cancelled);
}

void TstCsvReader::cancelledWhileReading()
{
    // Cancel from the first progress report: the workers must notice and stop.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("big.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(generatedCsv(60000, 7));
    file.close();

    JobToken token;
    JobHandle handle = JobRunner::start<int>(
        token, [](const JobToken &) -> Result<int> { return 0; }, nullptr, [](Result<int>) {});
    handle.wait();
    int reports = 0;
    const Result<Table> result = readCsv(path, {}, &token, [&](double) {
        ++reports;
        handle.cancel();
    });
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::Cancelled);
    QCOMPARE(result.error().code, QStringLiteral("csv.cancelled"));
    QVERIFY(reports >= 1);
}

void TstCsvReader::parallelMatchesSequential()
{
    const int rows = 30000; // ~1.6 MB: several chunks
    const QByteArray csv = generatedCsv(rows, 42);
    CsvOptions sequential;
    sequential.threads = 1;
    READ_OK(expected, csv, sequential);
    QCOMPARE(expected.rowCount(), qsizetype(rows));
    QCOMPARE(expected.column(0).type(), ColumnType::Int64);
    QCOMPARE(expected.column(1).type(), ColumnType::Float64);
    QCOMPARE(expected.column(2).type(), ColumnType::Categorical);
    QCOMPARE(expected.column(3).type(), ColumnType::Text);
    QCOMPARE(expected.column(4).type(), ColumnType::DateTime);
    QCOMPARE(expected.column(5).type(), ColumnType::Text);
    QCOMPARE(expected.cellText(0, 5), QStringLiteral("same"));
    QCOMPARE(expected.cellText(rows / 2 - 1, 5), QStringLiteral("same"));
    QCOMPARE(expected.cellText(rows - 1, 5), QStringLiteral("tag%1").arg(rows - 1));
    QCOMPARE(expected.column(2).dictionary().size(), size_t(4));

    for (int threads : {2, 3, 8}) {
        CsvOptions parallel;
        parallel.threads = threads;
        READ_OK(actual, csv, parallel);
        QCOMPARE(actual.rowCount(), expected.rowCount());
        QCOMPARE(actual.columnNames(), expected.columnNames());
        for (int c = 0; c < expected.columnCount(); ++c) {
            const Column &a = actual.column(c);
            const Column &e = expected.column(c);
            QCOMPARE(a.type(), e.type());
            QCOMPARE(a.missingCount(), e.missingCount());
            QCOMPARE(a.int64Values(), e.int64Values());
            QCOMPARE(a.codes(), e.codes());
            QCOMPARE(a.dictionary(), e.dictionary());
            QVERIFY(a.texts() == e.texts());
            QCOMPARE(a.missingMask(), e.missingMask());
            QCOMPARE(a.float64Values().size(), e.float64Values().size());
            for (size_t r = 0; r < e.float64Values().size(); ++r)
                QVERIFY(sameBits(a.float64Values()[r], e.float64Values()[r]));
        }
    }
    // Spot checks against the generator.
    QCOMPARE(expected.cellText(2, 0), QStringLiteral("2"));
    QVERIFY(expected.column(3).texts().view(rows - 1).endsWith(QString::number(rows - 1)));
}

void TstCsvReader::iris()
{
    std::vector<double> reports;
    const Result<Table> result = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/iris.csv"), {},
                                         nullptr, [&](double p) { reports.push_back(p); });
    QVERIFY2(result.ok(), qPrintable(errorText(result)));
    const Table &table = result.value();
    QCOMPARE(table.rowCount(), qsizetype(150));
    QCOMPARE(table.columnCount(), 5);
    QCOMPARE(table.columnNames(),
             QStringList({"sepal length (cm)", "sepal width (cm)", "petal length (cm)",
                          "petal width (cm)", "target"}));
    for (int c = 0; c < 4; ++c)
        QCOMPARE(table.column(c).type(), ColumnType::Float64);
    const Column &target = table.column(4);
    QCOMPARE(target.type(), ColumnType::Categorical);
    QCOMPARE(target.dictionary(), std::vector<QString>({"setosa", "versicolor", "virginica"}));
    QCOMPARE(table.column(0).float64Values().front(), 5.1);
    QCOMPARE(table.cellText(149, 4), QStringLiteral("virginica"));
    QCOMPARE(table.encoding(), TextEncoding::Utf8);
    QVERIFY(table.memoryBytes() >= 150 * 4 * qint64(sizeof(double)));
    QVERIFY(!reports.empty());
    QVERIFY(std::is_sorted(reports.begin(), reports.end()));
    QCOMPARE(reports.back(), 1.0);
}

void TstCsvReader::amesHousing()
{
    const Result<Table> result = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/ames_housing.csv"));
    QVERIFY2(result.ok(), qPrintable(errorText(result)));
    const Table &table = result.value();
    QCOMPARE(table.rowCount(), qsizetype(2930));
    QCOMPARE(table.columnCount(), 74);
    auto typeOf = [&](const char *name) {
        const std::optional<int> index = table.columnIndex(QString::fromLatin1(name));
        return index ? columnTypeName(table.column(*index).type()) : QStringLiteral("absent");
    };
    QCOMPARE(typeOf("Sale_Price"), QStringLiteral("int64"));
    QCOMPARE(typeOf("Year_Built"), QStringLiteral("int64"));
    QCOMPARE(typeOf("Longitude"), QStringLiteral("float64"));
    QCOMPARE(typeOf("Latitude"), QStringLiteral("float64"));
    QCOMPARE(typeOf("MS_SubClass"), QStringLiteral("categorical"));
    QCOMPARE(typeOf("Neighborhood"), QStringLiteral("categorical"));
    QCOMPARE(typeOf("Central_Air"), QStringLiteral("categorical")); // Y/N are not bool words
    const Column &neighborhood = table.column(*table.columnIndex(QStringLiteral("Neighborhood")));
    QCOMPARE(neighborhood.dictionary().size(), size_t(28));
    QCOMPARE(neighborhood.missingCount(), qsizetype(0));
    QCOMPARE(table.cellText(0, 0), QStringLiteral("One_Story_1946_and_Newer_All_Styles"));
    QCOMPARE(table.cellText(0, *table.columnIndex(QStringLiteral("Lot_Area"))),
             QStringLiteral("31770"));
    // The same file, split across threads, reads the same.
    CsvOptions parallel;
    parallel.threads = 2;
    const Result<Table> again = readCsv(QStringLiteral(BATON_TEST_DATA_DIR "/ames_housing.csv"),
                                        parallel);
    QVERIFY2(again.ok(), qPrintable(errorText(again)));
    for (int c = 0; c < table.columnCount(); ++c) {
        for (qsizetype r = 0; r < table.rowCount(); r += 97)
            QCOMPARE(again.value().cellText(r, c), table.cellText(r, c));
    }
}

// Types are inferred while the cells are converted: a column whose type widens after many rows,
// or differs between chunks, is converted again and must read exactly as if its type had been
// known from the start (values bit-equal to strtod, dates in the layout the whole column gives).
void TstCsvReader::lateWidening()
{
    const int rows = 40000; // ~1 MB: several chunks with 2 and 3 threads
    QByteArray csv = "n,mixed,late,when,cat\n";
    std::vector<QByteArray> mixed;
    std::vector<QByteArray> late;
    for (int i = 0; i < rows; ++i) {
        // mixed: integers (and a "-0") until row 15000, then decimals; late: integers in the
        // first half, decimals only in the second (so only a later chunk sees them).
        mixed.push_back(i == 7 ? QByteArray("-0")
                               : i < 15000 ? QByteArray::number(i - 500)
                                           : QByteArray::number(i * 0.37 - 11.0, 'g', 17));
        late.push_back(i < rows / 2 ? QByteArray::number(i * 3) : "-0.0" + QByteArray::number(i));
        // when: ambiguous d/m values (month first) until the last row, which only fits day first.
        const QByteArray when = i == rows - 1 ? QByteArray("31/12/2020")
                                              : QByteArray::number(1 + i % 12) + '/'
                                                    + QByteArray::number(1 + (i / 12) % 12)
                                                    + "/2021";
        csv += QByteArray::number(i) + ',' + mixed.back() + ',' + late.back() + ',' + when + ','
               + (i % 3 ? "a" : "b") + '\n';
    }
    for (int threads : {1, 2, 3}) {
        CsvOptions options;
        options.threads = threads;
        READ_OK(table, csv, options);
        QCOMPARE(table.rowCount(), qsizetype(rows));
        QCOMPARE(table.column(0).type(), ColumnType::Int64);
        QCOMPARE(table.column(1).type(), ColumnType::Float64);
        QCOMPARE(table.column(2).type(), ColumnType::Float64);
        QCOMPARE(table.column(3).type(), ColumnType::DateTime);
        QCOMPARE(table.column(3).dateTimeFormat(), QStringLiteral("dd/MM/yyyy"));
        QCOMPARE(table.column(4).type(), ColumnType::Categorical);
        for (int i = 0; i < rows; ++i) {
            const double m = table.column(1).float64Values()[size_t(i)];
            const double l = table.column(2).float64Values()[size_t(i)];
            QVERIFY2(sameBits(m, referenceStrtod(mixed[size_t(i)].constData())),
                     qPrintable(QStringLiteral("%1 threads, row %2").arg(threads).arg(i)));
            QVERIFY2(sameBits(l, referenceStrtod(late[size_t(i)].constData())),
                     qPrintable(QStringLiteral("%1 threads, row %2").arg(threads).arg(i)));
            const int day = 1 + i % 12;
            const int month = 1 + (i / 12) % 12;
            const qint64 when = i == rows - 1 ? utcMs(2020, 12, 31) : utcMs(2021, month, day);
            QCOMPARE(table.column(3).int64Values()[size_t(i)], when);
        }
        QVERIFY(std::signbit(table.column(1).float64Values()[7]));
    }
}

// A string column may look like Text early (the reader guesses the column's size from the first
// records, here long ones) and still be a category of the whole file: the guess is undone and the
// dictionary keeps the order of first appearance.
void TstCsvReader::earlyTextGuessUndone()
{
    const int distinct = 5000;
    const int rows = 200000; // 5000 <= 200000 / 20: a category
    QByteArray csv = "code,padding\n";
    const QByteArray padding(400, 'x');
    for (int i = 0; i < rows; ++i) {
        csv += 'v' + QByteArray::number(i % distinct) + ',';
        csv += (i < distinct ? padding : QByteArray("p")) + QByteArray::number(i);
        csv += '\n';
    }
    for (int threads : {1, 2}) {
        CsvOptions options;
        options.threads = threads;
        READ_OK(table, csv, options);
        const Column &code = table.column(0);
        QCOMPARE(code.type(), ColumnType::Categorical);
        QCOMPARE(code.dictionary().size(), size_t(distinct));
        QCOMPARE(code.dictionary().front(), QStringLiteral("v0"));
        QCOMPARE(code.dictionary().back(), QStringLiteral("v%1").arg(distinct - 1));
        for (int i = 0; i < rows; i += 997)
            QCOMPARE(code.codes()[size_t(i)], int32_t(i % distinct));
        QCOMPARE(table.column(1).type(), ColumnType::Text);
    }
}

void TstCsvReader::tableApi()
{
    Table table;
    QVERIFY(table.addColumn(Column::float64(QStringLiteral("x"), {1.0, std::nan(""), 0.1})).ok());
    QVERIFY(table.addColumn(Column::int64(QStringLiteral("n"), {1, 0, 3}, {0, 1, 0})).ok());
    QVERIFY(table.addColumn(Column::text(QStringLiteral("t"), {"a", "b", "c"}, {0, 0, 0})).ok());
    QVERIFY(table.addColumn(Column::dateTime(QStringLiteral("d"), {utcMs(2020, 1, 2, 3, 4), 0, 0},
                                             QStringLiteral("dd/MM/yyyy HH:mm"), {0, 1, 1}))
                .ok());
    QCOMPARE(table.rowCount(), qsizetype(3));
    QCOMPARE(table.columnCount(), 4);
    QCOMPARE(table.columnIndex(QStringLiteral("n")), std::optional<int>(1));
    QVERIFY(!table.columnIndex(QStringLiteral("missing")).has_value());
    QCOMPARE(table.cellText(2, 0), QStringLiteral("0.1"));
    QVERIFY(table.cellText(1, 0).isNull());
    QVERIFY(table.cellText(1, 1).isNull());
    QCOMPARE(table.cellText(0, 3), QStringLiteral("02/01/2020 03:04"));
    QCOMPARE(table.column(0).missingCount(), qsizetype(1));
    QVERIFY(table.column(2).missingMask().empty()); // all-clear masks are dropped
    QVERIFY(table.memoryBytes() > 0);

    const Status wrongLength = table.addColumn(Column::int64(QStringLiteral("short"), {1}));
    QVERIFY(!wrongLength.ok());
    QCOMPARE(wrongLength.error().code, QStringLiteral("table.length_mismatch"));
    const Status duplicate = table.addColumn(Column::int64(QStringLiteral("n"), {1, 2, 3}));
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().code, QStringLiteral("table.duplicate_column"));
    QCOMPARE(table.columnCount(), 4);
}

void TstCsvReader::textColumnCells_data()
{
    QTest::addColumn<bool>("latin1");
    QTest::newRow("UTF-8") << false;
    QTest::newRow("Latin-1") << true;
}

// A free-text column far past a category's size: kept as text cells (one buffer per column),
// across chunks, with non-ASCII and missing cells in place.
void TstCsvReader::textColumnCells()
{
    QFETCH(bool, latin1);
    const int rows = 20000;
    auto expectedText = [&](int r) -> QString {
        if (r % 97 == 5)
            return {}; // missing
        switch (r % 4) {
        case 0: return QStringLiteral("note %1").arg(r);
        case 1: return QStringLiteral("caf\u00E9 %1").arg(r);
        case 2: return latin1 ? QStringLiteral("\u00C0 la carte %1").arg(r)
                              : QStringLiteral("\u20AC%1 \U0001F600").arg(r);
        default: return QStringLiteral("  spaced %1").arg(r); // kept as written
        }
    };
    QByteArray csv = "id,text\n";
    for (int r = 0; r < rows; ++r) {
        const QString text = expectedText(r);
        csv += QByteArray::number(r) + ',' + (text.isNull() ? QByteArray("NA")
                                             : latin1 ? text.toLatin1() : text.toUtf8()) + '\n';
    }
    for (int threads : {1, 3}) {
        CsvOptions options;
        options.threads = threads;
        READ_OK(table, csv, options);
        QCOMPARE(table.encoding(), latin1 ? TextEncoding::Latin1 : TextEncoding::Utf8);
        const Column &column = table.column(1);
        QCOMPARE(column.type(), ColumnType::Text);
        QCOMPARE(column.texts().size(), qsizetype(rows));
        qsizetype missing = 0;
        for (int r = 0; r < rows; ++r) {
            const QString expected = expectedText(r);
            QCOMPARE(column.isMissing(r), expected.isNull());
            missing += expected.isNull() ? 1 : 0;
            if (!expected.isNull())
                QCOMPARE(column.texts().view(r), QStringView(expected));
            QCOMPARE(column.displayValue(r), expected);
        }
        QCOMPARE(column.missingCount(), missing);
    }
}

void TstCsvReader::textCellsApi()
{
    const TextCells first({QStringLiteral("ab"), QString(), QStringLiteral("\u00E9\U0001F600")});
    QCOMPARE(first.size(), qsizetype(3));
    QCOMPARE(first.view(0), QStringView(u"ab"));
    QVERIFY(first.view(1).isEmpty());
    QVERIFY(!first.at(1).isNull()); // null is for missing cells
    QVERIFY(!TextCells(std::vector<QString>{QString()}).at(0).isNull());
    QCOMPARE(first.at(2), QStringLiteral("\u00E9\U0001F600"));
    QCOMPARE(first.unitCount(), qsizetype(5));

    TextCells joined = first;
    TextCells second;
    second.appendLatin1("x\xE9", 2);
    QVERIFY(!second.appendAscii("\xC3\xA9", 2)); // not ASCII: nothing appended
    QVERIFY(second.appendAscii("yz", 2));
    joined.append(second);
    QCOMPARE(joined.size(), qsizetype(5));
    QCOMPARE(joined.at(3), QStringLiteral("x\u00E9"));
    QCOMPARE(joined.at(4), QStringLiteral("yz"));
    QCOMPARE(joined.view(2), first.view(2));
    QVERIFY(!(joined == first));
    QVERIFY(TextCells(std::vector<QString>{QStringLiteral("ab")}) == TextCells({QStringLiteral("ab")}));
    QCOMPARE(joined.memoryBytes(), qint64(9 * sizeof(char16_t) + 5 * sizeof(qint64)));
}

QTEST_GUILESS_MAIN(TstCsvReader)
#include "tst_csvreader.moc"
