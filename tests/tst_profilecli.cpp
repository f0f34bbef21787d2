// `baton profile` as a user runs it: the profile JSON on stdout for good data, and for bad input
// (unknown target, ragged rows, empty or binary file) exit code 3 with a message that says why.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Outcome
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

QString dataFile(const char *name)
{
    return QStringLiteral(BATON_TEST_DATA_DIR "/") + QLatin1String(name);
}

} // namespace

class TestProfileCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void irisProfile();
    void irisWithTarget();
    void unknownTargetNamesIt();
    void raggedCsvNamesTheLine();
    void emptyFile();
    void headerOnly();
    void binaryFile();
    void missingFile();

private:
    Outcome baton(const QStringList &arguments);
    QString writeFile(const QString &name, const QByteArray &bytes);
    QTemporaryDir m_dir;
};

void TestProfileCli::initTestCase()
{
    QVERIFY(QFileInfo(QStringLiteral(BATON_EXECUTABLE)).isExecutable());
    QVERIFY(m_dir.isValid());
}

Outcome TestProfileCli::baton(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // never touch the real user's settings
    env.insert(QStringLiteral("HOME"), m_dir.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(BATON_EXECUTABLE),
                  QStringList{QStringLiteral("profile")} + arguments);
    if (!process.waitForFinished(120000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

QString TestProfileCli::writeFile(const QString &name, const QByteArray &bytes)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path;
}

void TestProfileCli::irisProfile()
{
    const Outcome o = baton({QStringLiteral("--data"), dataFile("iris.csv")});
    QCOMPARE(o.exitCode, 0);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(o.out, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    const QJsonObject root = doc.object();
    const QJsonObject summary = root.value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("rows")).toInteger(), 150);
    QCOMPARE(summary.value(QStringLiteral("columns")).toInteger(), 5);
    QCOMPARE(root.value(QStringLiteral("columns")).toArray().size(), 5);

    const QJsonObject file = root.value(QStringLiteral("file")).toObject();
    QCOMPARE(file.value(QStringLiteral("path")).toString(),
             QFileInfo(dataFile("iris.csv")).absoluteFilePath());
    QCOMPARE(file.value(QStringLiteral("size")).toInteger(), QFileInfo(dataFile("iris.csv")).size());
    QCOMPARE(file.value(QStringLiteral("encoding")).toString(), QStringLiteral("UTF-8"));
    QVERIFY(file.value(QStringLiteral("read_ms")).toInteger() >= 0);
    QVERIFY(file.contains(QStringLiteral("profile_ms")));
    QVERIFY(o.out.contains("\n")); // indented for people, still one JSON document
}

void TestProfileCli::irisWithTarget()
{
    const Outcome o = baton({QStringLiteral("--data"), dataFile("iris.csv"),
                             QStringLiteral("--target"), QStringLiteral("target")});
    QCOMPARE(o.exitCode, 0);
    const QJsonObject target =
        QJsonDocument::fromJson(o.out).object().value(QStringLiteral("target")).toObject();
    QVERIFY2(!target.isEmpty(), o.out.left(400).constData());
    QCOMPARE(target.value(QStringLiteral("column")).toString(), QStringLiteral("target"));
    QCOMPARE(target.value(QStringLiteral("task")).toString(), QStringLiteral("classification"));
}

void TestProfileCli::unknownTargetNamesIt()
{
    const Outcome o = baton({QStringLiteral("--data"), dataFile("iris.csv"),
                             QStringLiteral("--target"), QStringLiteral("no_such_col")});
    QCOMPARE(o.exitCode, 3);
    QVERIFY(o.out.isEmpty());
    QVERIFY2(o.err.contains("no_such_col"), o.err.constData());
    // lists the real columns so the user can fix the flag
    QVERIFY2(o.err.contains("\"sepal length (cm)\""), o.err.constData());
}

void TestProfileCli::raggedCsvNamesTheLine()
{
    const QString path = writeFile(QStringLiteral("ragged.csv"),
                                   "a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n");
    QVERIFY(!path.isEmpty());
    const Outcome o = baton({QStringLiteral("--data"), path});
    QCOMPARE(o.exitCode, 3);
    QVERIFY(o.out.isEmpty());
    QVERIFY2(o.err.contains("line 4") || o.err.contains("Line 4"), o.err.constData());
    QVERIFY2(o.err.contains("ragged.csv"), o.err.constData());
}

void TestProfileCli::emptyFile()
{
    const QString path = writeFile(QStringLiteral("empty.csv"), {});
    QVERIFY(!path.isEmpty());
    const Outcome o = baton({QStringLiteral("--data"), path});
    QCOMPARE(o.exitCode, 3);
    QVERIFY(o.out.isEmpty());
    QVERIFY2(o.err.contains("empty"), o.err.constData());
}

void TestProfileCli::headerOnly()
{
    const QString path = writeFile(QStringLiteral("header.csv"), "a,b,c\n");
    QVERIFY(!path.isEmpty());
    const Outcome o = baton({QStringLiteral("--data"), path});
    QCOMPARE(o.exitCode, 3);
    QVERIFY(o.out.isEmpty());
    QVERIFY(!o.err.isEmpty());
}

void TestProfileCli::binaryFile()
{
    QByteArray bytes(256 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    const QString path = writeFile(QStringLiteral("random.csv"), bytes);
    QVERIFY(!path.isEmpty());
    const Outcome o = baton({QStringLiteral("--data"), path});
    QCOMPARE(o.exitCode, 3); // not -1: never a crash
    QVERIFY(o.out.isEmpty());
    QVERIFY2(o.err.contains("binary"), o.err.constData());
    QVERIFY2(o.err.contains("random.csv"), o.err.constData());
}

void TestProfileCli::missingFile()
{
    const Outcome o = baton({QStringLiteral("--data"), m_dir.filePath(QStringLiteral("nope.csv"))});
    QCOMPARE(o.exitCode, 3);
    QVERIFY2(o.err.contains("nope.csv"), o.err.constData());
}

QTEST_GUILESS_MAIN(TestProfileCli)
#include "tst_profilecli.moc"
