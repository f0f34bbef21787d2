// Input a user should never have given us: binary files, a header alone, 10 000 columns, a 2 GB
// file, a file that shrinks, changes or disappears while being read. Each ends in a clear error
// naming file, line and column where they apply, in bounded memory and time, and DATA_SOURCE
// leaves the project as it was.

#include "TestSupport.h"

#include "core/data/CsvReader.h"
#include "core/data/MappedFile.h"
#include "core/data/Profiler.h"
#include "core/pipeline/ProjectSession.h"

#include <QDateTime>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;

namespace {

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path;
}

// Peak resident memory of this process so far (VmHWM), in bytes.
qint64 peakRss()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    while (!status.atEnd()) {
        const QByteArray line = status.readLine();
        if (line.startsWith("VmHWM:"))
            return line.simplified().split(' ').value(1).toLongLong() * 1024;
    }
    return -1;
}

// n rows of an int, a float, a category and free text: ~40 bytes a row.
QByteArray rows(int n, int from = 0)
{
    QByteArray csv;
    for (int i = from; i < from + n; ++i) {
        csv += QByteArray::number(i) + ',' + QByteArray::number(i * 0.37, 'g', 17) + ','
               + (i % 3 ? "red" : "blue") + ",note " + QByteArray::number(i * 7919 % 100003) + '\n';
    }
    return csv;
}

// ~40 MB (several chunks on every thread), last modified an hour ago so that a write during the
// test always shows in the file's time.
QString writeLargeCsv(const QString &path)
{
    QByteArray csv = "id,x,colour,note\n";
    while (csv.size() < (40 << 20))
        csv += rows(20000, int(csv.size() / 40));
    if (writeFile(path, csv).isEmpty())
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite)
        || !file.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime)) {
        return {};
    }
    return path;
}

QString errorText(const Error &error)
{
    return error.code + QLatin1String(": ") + error.toString();
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void binaryFiles_data();
    void binaryFiles();
    void headerOnly();
    void tenThousandColumns();
    void tenThousandColumnsRaggedRow();
    void twoGigabyteFileNeedsTooMuchMemory();
    void twoGigabyteFileInBoundedMemory();
    void fileShrinksWhileRead();
    void mappedFileTruncatedReadsAsZeros();
    void fileShrinksWhileParsed();
    void fileRewrittenInPlaceWhileParsed();
    void fileDisappearsWhileParsed();
    void fileChangesWhileParsed();
    void badDataLeavesTheProjectUnchanged();

private:
    QTemporaryDir m_tmp;
};

void TestBadInput::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_tmp.isValid());
}

void TestBadInput::binaryFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("where");
    QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << "line 3, column 1";
    QString utf16Text = QStringLiteral("a,b\n1,2\n");
    QByteArray utf16("\xff\xfe");
    utf16.append(reinterpret_cast<const char *>(utf16Text.utf16()), utf16Text.size() * 2);
    QTest::newRow("UTF-16 text") << utf16 << "line 1, column 4";
    QByteArray late = "a,b\n" + rows(2000);
    late.insert(late.size() - 5, '\0');
    QTest::newRow("NUL far in") << late << "line 2001, column";
}

void TestBadInput::binaryFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, where);
    const QString path = writeFile(m_tmp.filePath(QStringLiteral("data.bin")), bytes);
    QVERIFY(!path.isEmpty());
    const auto table = readCsv(path);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.binary"));
    QCOMPARE(table.error().kind, ErrorKind::BadInput);
    QVERIFY2(table.error().context.startsWith(QStringLiteral("data.bin:") + where),
             qPrintable(table.error().context));
    QVERIFY2(table.error().message.contains(QStringLiteral("UTF-8 CSV")),
             qPrintable(table.error().message));

    const auto fromBytes = readCsvBytes(bytes);
    QVERIFY(!fromBytes.ok());
    QCOMPARE(fromBytes.error().code, QStringLiteral("csv.binary"));
    QVERIFY(fromBytes.error().context.startsWith(where));
}

void TestBadInput::headerOnly()
{
    for (const QByteArray &text :
         {QByteArray("price,rooms,city\n"), QByteArray("price,rooms,city")}) {
        const auto table = readCsvBytes(text);
        QVERIFY2(table.ok(), qPrintable(table.ok() ? QString() : errorText(table.error())));
        QCOMPARE(table->columnCount(), 3);
        QCOMPARE(table->rowCount(), qsizetype(0));
        QCOMPARE(table->columnNames(), (QStringList{"price", "rooms", "city"}));
    }
}

void TestBadInput::tenThousandColumns()
{
    constexpr int columns = 10000;
    constexpr int rowCount = 40;
    QByteArray csv;
    for (int c = 0; c < columns; ++c)
        csv += (c ? "," : "") + QByteArray("c") + QByteArray::number(c % 9000); // 1000 repeats
    csv += '\n';
    for (int r = 0; r < rowCount; ++r) {
        for (int c = 0; c < columns; ++c) {
            if (c)
                csv += ',';
            switch (c % 4) {
            case 0:
                csv += QByteArray::number(r * c);
                break;
            case 1:
                csv += QByteArray::number(r * 0.5 + c, 'g', 17);
                break;
            case 2:
                csv += r % 2 ? "yes" : "no";
                break;
            default:
                csv += (r + c) % 7 == 0 ? QByteArray() : "k" + QByteArray::number(r % 3);
                break;
            }
        }
        csv += '\n';
    }
    const QString path = writeFile(m_tmp.filePath(QStringLiteral("wide.csv")), csv);
    QElapsedTimer timer;
    timer.start();
    const auto table = readCsv(path);
    QVERIFY2(table.ok(), qPrintable(table.ok() ? QString() : errorText(table.error())));
    QCOMPARE(table->columnCount(), columns);
    QCOMPARE(table->rowCount(), qsizetype(rowCount));
    QCOMPARE(table->column(0).type(), ColumnType::Int64);
    QCOMPARE(table->column(1).type(), ColumnType::Float64);
    QCOMPARE(table->column(2).type(), ColumnType::Bool);
    QCOMPARE(table->column(3).type(), ColumnType::Categorical);
    // Repeated names made unique, all 10 000 of them.
    QCOMPARE(table->column(9000).name(), QStringLiteral("c0_2"));
    const QStringList names = table->columnNames();
    QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), columns);

    ProfileOptions options;
    options.target = QStringLiteral("c1");
    const auto profile = profileTable(*table, options);
    QVERIFY2(profile.ok(), qPrintable(profile.ok() ? QString() : errorText(profile.error())));
    QCOMPARE(profile->summary.columns, columns);
    QCOMPARE(int(profile->columns.size()), columns);
    QVERIFY(profile->correlations.columns.size() <= options.maxCorrelationColumns);
    qInfo("10 000 columns x %d rows: read + profile in %lld ms", rowCount, timer.elapsed());
}

void TestBadInput::tenThousandColumnsRaggedRow()
{
    QByteArray csv;
    for (int r = 0; r < 30; ++r) {
        for (int c = 0; c < 10000; ++c) {
            if (r == 17 && c == 9999)
                break; // line 18 has one field too few
            csv += (c ? "," : "") + QByteArray::number(r + c);
        }
        csv += '\n';
    }
    const QString path = writeFile(m_tmp.filePath(QStringLiteral("wide-ragged.csv")), csv);
    const auto table = readCsv(path);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.ragged_row"));
    QCOMPARE(table.error().context, QStringLiteral("wide-ragged.csv:line 18"));
    QVERIFY2(table.error().message.contains(QStringLiteral("9999 fields, expected 10000")),
             qPrintable(table.error().message));
}

void TestBadInput::twoGigabyteFileNeedsTooMuchMemory()
{
    const QString path = m_tmp.filePath(QStringLiteral("huge.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a,b,c,d\n" + rows(100));
    QVERIFY(file.resize(qint64(2) << 30)); // sparse: costs no disk
    file.close();

    CsvOptions options;
    options.memoryBudget = qint64(3) << 30; // a machine with 3 GB to spare
    QElapsedTimer timer;
    timer.start();
    const auto table = readCsv(path, options);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.too_large"));
    QCOMPARE(table.error().context, QStringLiteral("huge.csv"));
    QVERIFY2(table.error().message.contains(QStringLiteral("2.1 GB")),
             qPrintable(table.error().message));
    QVERIFY2(table.error().message.contains(QStringLiteral("available")),
             qPrintable(table.error().message));
    QVERIFY(timer.elapsed() < 5000);
}

void TestBadInput::twoGigabyteFileInBoundedMemory()
{
    // 2 GB whose text ends after 101 lines and then holds zeros (a crashed writer's file): the
    // reader must stop at the first block, not pull 2 GB into memory first.
    const QString path = m_tmp.filePath(QStringLiteral("huge-zeros.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a,b,c,d\n" + rows(100));
    QVERIFY(file.resize(qint64(2) << 30));
    file.close();

    const qint64 rssBefore = peakRss();
    QElapsedTimer timer;
    timer.start();
    CsvOptions options;
    options.memoryBudget = qint64(64) << 30;
    const auto table = readCsv(path, options);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.binary"));
    QCOMPARE(table.error().context, QStringLiteral("huge-zeros.csv:line 102, column 1"));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    const qint64 grown = peakRss() - rssBefore;
    QVERIFY2(grown < (qint64(128) << 20),
             qPrintable(QStringLiteral("peak RSS grew by %1 MB").arg(grown >> 20)));
}

void TestBadInput::fileShrinksWhileRead()
{
    // Several read blocks; truncated after the first block arrived.
    const QString path = writeLargeCsv(m_tmp.filePath(QStringLiteral("shrinking.csv")));
    QVERIFY(!path.isEmpty());
    bool truncated = false;
    const auto table = readCsv(path, {}, nullptr, [&](double) {
        if (!truncated) {
            truncated = true;
            QFile::resize(path, 20 << 20);
        }
    });
    QVERIFY(truncated);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.changed"));
    QCOMPARE(table.error().context, QStringLiteral("shrinking.csv"));
    QVERIFY2(table.error().message.contains(QStringLiteral("shrank")),
             qPrintable(table.error().message));
    QVERIFY2(table.error().message.contains(QStringLiteral("came after 20971520")),
             qPrintable(table.error().message));
}

void TestBadInput::mappedFileTruncatedReadsAsZeros()
{
    // Without the SIGBUS guard, touching the lost pages would end this test process.
    const QString path = writeFile(m_tmp.filePath(QStringLiteral("mapped.csv")),
                                   QByteArray(1 << 20, 'x'));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    csv::MappedFile mapped;
    if (!mapped.map(file.handle(), file.size()))
        QSKIP("this system cannot map files; the reader reads them instead");
    QCOMPARE(mapped.data()[1000], 'x');
    QCOMPARE(mapped.truncatedAt(), qint64(-1));
    QVERIFY(QFile::resize(path, 256 << 10));
    QCOMPARE(mapped.data()[(512 << 10) + 1], '\0');
    QCOMPARE(mapped.truncatedAt(), qint64(512 << 10));
    QCOMPARE(mapped.data()[(1 << 20) - 1], '\0');
    QCOMPARE(mapped.data()[1000], 'x'); // pages before the new end are still the file's
}

void TestBadInput::fileShrinksWhileParsed()
{
    // Cut mid-page while the threads parse: they meet the lost pages, not the first scan.
    const QString path = writeLargeCsv(m_tmp.filePath(QStringLiteral("shrinking-parse.csv")));
    QVERIFY(!path.isEmpty());
    bool truncated = false;
    const auto table = readCsv(path, {}, nullptr, [&](double progress) {
        if (!truncated && progress > 0.1)
            truncated = QFile::resize(path, 20000123);
    });
    QVERIFY(truncated);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.changed"));
    QVERIFY2(table.error().message.contains(QStringLiteral("came after 20000123")),
             qPrintable(table.error().message));
}

void TestBadInput::fileRewrittenInPlaceWhileParsed()
{
    // Same size, other bytes: ragged records where there were none. The error is the change,
    // not the half-written data.
    const QString path = writeLargeCsv(m_tmp.filePath(QStringLiteral("rewritten.csv")));
    QVERIFY(!path.isEmpty());
    bool rewritten = false;
    const auto table = readCsv(path, {}, nullptr, [&](double progress) {
        if (rewritten || progress <= 0.1)
            return;
        QFile file(path);
        if (!file.open(QIODevice::ReadWrite) || !file.seek(file.size() / 2))
            return;
        rewritten = file.write(QByteArray(1 << 20, '\n').replace(0, 1, "1,2\n")) > 0;
    });
    QVERIFY(rewritten);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.changed"));
}

void TestBadInput::fileDisappearsWhileParsed()
{
    const QString path = writeFile(m_tmp.filePath(QStringLiteral("vanishing.csv")),
                                   "id,x,colour,note\n" + rows(50000));
    bool removed = false;
    const auto table = readCsv(path, {}, nullptr, [&](double progress) {
        if (!removed && progress > 0.1)
            removed = QFile::remove(path);
    });
    QVERIFY(removed);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.changed"));
    QVERIFY2(table.error().message.contains(QStringLiteral("vanishing.csv disappeared")),
             qPrintable(table.error().message));
}

void TestBadInput::fileChangesWhileParsed()
{
    const QString path = writeFile(m_tmp.filePath(QStringLiteral("growing.csv")),
                                   "id,x,colour,note\n" + rows(50000));
    bool appended = false;
    const auto table = readCsv(path, {}, nullptr, [&](double progress) {
        if (!appended && progress > 0.1) {
            QFile file(path);
            appended = file.open(QIODevice::Append) && file.write(rows(10, 50000)) > 0;
        }
    });
    QVERIFY(appended);
    QVERIFY(!table.ok());
    QCOMPARE(table.error().code, QStringLiteral("csv.changed"));
    QVERIFY2(table.error().message.contains(QStringLiteral("changed while it was being read")),
             qPrintable(table.error().message));
}

void TestBadInput::badDataLeavesTheProjectUnchanged()
{
    const QString bad = writeFile(m_tmp.filePath(QStringLiteral("ragged.csv")), "a,b\n1,2\n3\n");
    Workspace workspace(m_tmp.filePath(QStringLiteral("ws")));
    const auto id = workspace.createProject(QStringLiteral("predict b"));
    QVERIFY(id.ok());
    auto session = ProjectSession::open(workspace, id.value());
    QVERIFY(session.ok());
    Conductor &conductor = session.value()->conductor();
    auto filesOutsideTheStore = [&] {
        QStringList files;
        QDirIterator it(conductor.projectDir(),
                        QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = QDir(conductor.projectDir()).relativeFilePath(it.next());
            if (!file.startsWith(QLatin1String("project.sqlite")))
                files << file;
        }
        files.sort();
        return files;
    };
    // PARSE_INTENT is the first stage to read the data, and the first to refuse it.
    const QStringList before = filesOutsideTheStore();
    conductor.startPipeline(QStringLiteral("predict b"), {{"data_path", toStd(bad)}});
    QTRY_COMPARE_WITH_TIMEOUT(conductor.state().at(StageId::ParseIntent).status, StageStatus::Failed,
                              30000);
    const QString message = conductor.state().at(StageId::ParseIntent).message.value_or(QString());
    QVERIFY2(message.contains(QStringLiteral("ragged.csv:line 3")), qPrintable(message));
    QTRY_VERIFY_WITH_TIMEOUT(!conductor.isBusy(), 10000);
    QCOMPARE(filesOutsideTheStore(), before);
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
