// Image folders in ImageFolder layout and zips of them: classes, counts, sizes, formats,
// unreadable files; and the zips an attacker would send (path traversal, a zip bomb, lying sizes).

#include "core/data/ImageFolder.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <functional>

using namespace baton;

namespace {

QByteArray pngBytes(int width, int height, QColor color)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Streams `chunks` calls of produce() into one entry, so a 200 MB entry never sits in memory.
bool addEntry(QuaZip &zip, const QString &name, const std::function<QByteArray()> &produce,
              int chunks = 1)
{
    QuaZipFile file(&zip);
    if (!file.open(QIODevice::WriteOnly, QuaZipNewInfo(name)))
        return false;
    bool ok = true;
    for (int i = 0; i < chunks && ok; ++i) {
        const QByteArray bytes = produce();
        ok = file.write(bytes) == bytes.size();
    }
    file.close();
    return ok && file.getZipError() == ZIP_OK;
}

bool addEntry(QuaZip &zip, const QString &name, const QByteArray &bytes)
{
    return addEntry(zip, name, [&bytes] { return bytes; });
}

const QByteArray kGarbage = QByteArrayLiteral("this is not a PNG at all, just some text\n");

} // namespace

class TestImageFolder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void folderSummary();
    void zipSummarySkipsTheWrapperFolder();
    void toJsonIsComplete();
    void zipWithTraversalIsRefused_data();
    void zipWithTraversalIsRefused();
    void zipBombIsRefused();
    void lyingSizeIsRefused();
    void notAZip();
    void missingPath();
    void folderWithoutClasses();

private:
    QString zipOf(const QString &name,
                  const std::vector<std::pair<QString, QByteArray>> &entries);
    QTemporaryDir m_dir;
    QString m_folder;
};

void TestImageFolder::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_folder = m_dir.filePath(QStringLiteral("pets"));
    // cats: three 32x32; dogs: two 64x48, one 16x16, one corrupt; plus files that are not images
    for (int i = 0; i < 3; ++i) {
        QVERIFY(writeFile(m_folder + QStringLiteral("/cats/cat%1.png").arg(i),
                          pngBytes(32, 32, Qt::red)));
    }
    QVERIFY(writeFile(m_folder + QStringLiteral("/dogs/dog0.png"), pngBytes(64, 48, Qt::blue)));
    QVERIFY(writeFile(m_folder + QStringLiteral("/dogs/dog1.png"), pngBytes(64, 48, Qt::green)));
    QVERIFY(writeFile(m_folder + QStringLiteral("/dogs/small/dog2.png"), pngBytes(16, 16, Qt::gray)));
    QVERIFY(writeFile(m_folder + QStringLiteral("/dogs/broken.png"), kGarbage));
    QVERIFY(writeFile(m_folder + QStringLiteral("/README.txt"), "pets dataset\n"));
    QVERIFY(writeFile(m_folder + QStringLiteral("/cats/.DS_Store"), "junk"));
}

QString TestImageFolder::zipOf(const QString &name,
                               const std::vector<std::pair<QString, QByteArray>> &entries)
{
    const QString path = m_dir.filePath(name);
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdCreate))
        return {};
    for (const auto &[entryName, bytes] : entries) {
        if (!addEntry(zip, entryName, bytes))
            return {};
    }
    zip.close();
    return zip.getZipError() == ZIP_OK ? path : QString();
}

void TestImageFolder::folderSummary()
{
    const auto result = summariseImageFolder(m_folder);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const ImageFolderSummary &s = *result;
    QVERIFY(!s.fromZip);
    QCOMPARE(s.classCount(), 2);
    QCOMPARE(s.classes[0].name, QStringLiteral("cats"));
    QCOMPARE(s.classes[0].count, 3);
    QCOMPARE(s.classes[1].name, QStringLiteral("dogs"));
    QCOMPARE(s.classes[1].count, 3); // nested folders below a class belong to it
    QCOMPARE(s.imageCount, 6);
    QCOMPARE(s.minSize, QSize(16, 16));
    QCOMPARE(s.maxSize, QSize(64, 48));
    QCOMPARE(s.commonSize, QSize(32, 32));
    QCOMPARE(s.commonSizeCount, 3);
    QCOMPARE(s.distinctSizes, 3);
    QCOMPARE(s.formats.size(), size_t(1));
    QCOMPARE(s.formats.at(QStringLiteral("png")), 6);
    QCOMPARE(s.unreadable.size(), size_t(1));
    QCOMPARE(s.unreadable[0].file, QStringLiteral("dogs/broken.png"));
    QVERIFY(!s.unreadable[0].reason.isEmpty());
    QCOMPARE(s.ignored, std::vector<QString>{QStringLiteral("README.txt")});

    qint64 bytes = 0;
    QDirIterator it(m_folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (!file.endsWith(QLatin1String(".DS_Store")))
            bytes += QFileInfo(file).size();
    }
    QCOMPARE(s.totalBytes, bytes);
}

void TestImageFolder::zipSummarySkipsTheWrapperFolder()
{
    // The same images, zipped under a wrapping "pets/" folder with a directory entry.
    std::vector<std::pair<QString, QByteArray>> entries;
    entries.emplace_back(QStringLiteral("pets/"), QByteArray());
    QDirIterator it(m_folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        entries.emplace_back(QStringLiteral("pets/") + QDir(m_folder).relativeFilePath(file),
                             in.readAll());
    }
    entries.emplace_back(QStringLiteral("__MACOSX/pets/cats/._cat0.png"), kGarbage);
    const QString zip = zipOf(QStringLiteral("pets.zip"), entries);
    QVERIFY(!zip.isEmpty());

    const auto result = summariseImageFolder(zip);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    const ImageFolderSummary &s = *result;
    QVERIFY(s.fromZip);
    QCOMPARE(s.root, QStringLiteral("pets"));
    QCOMPARE(s.classCount(), 2);
    QCOMPARE(s.classes[0].count, 3);
    QCOMPARE(s.classes[1].count, 3);
    QCOMPARE(s.imageCount, 6);
    QCOMPARE(s.commonSize, QSize(32, 32));
    QCOMPARE(s.unreadable.size(), size_t(1));
    QCOMPARE(s.unreadable[0].file, QStringLiteral("pets/dogs/broken.png"));
    QCOMPARE(s.ignored, std::vector<QString>{QStringLiteral("pets/README.txt")});
}

void TestImageFolder::toJsonIsComplete()
{
    const auto result = summariseImageFolder(m_folder);
    QVERIFY(result.ok());
    const json j = result->toJson();
    QCOMPARE(j.at("n_images").get<qint64>(), 6);
    QCOMPARE(j.at("n_classes").get<qint64>(), 2);
    QCOMPARE(j.at("classes").size(), size_t(2));
    QCOMPARE(j.at("classes")[0].at("name").get<std::string>(), std::string("cats"));
    QCOMPARE(j.at("sizes").at("most_common").at("width").get<int>(), 32);
    QCOMPARE(j.at("sizes").at("most_common").at("count").get<int>(), 3);
    QCOMPARE(j.at("sizes").at("min").at("height").get<int>(), 16);
    QCOMPARE(j.at("formats").at("png").get<int>(), 6);
    QCOMPARE(j.at("unreadable")[0].at("file").get<std::string>(), std::string("dogs/broken.png"));
    QCOMPARE(j.at("source").get<std::string>(), std::string("folder"));
    QVERIFY(j.at("total_bytes").get<qint64>() > 0);
}

void TestImageFolder::zipWithTraversalIsRefused_data()
{
    QTest::addColumn<QString>("entry");
    QTest::newRow("dot-dot") << QStringLiteral("../evil/x.png");
    QTest::newRow("dot-dot inside") << QStringLiteral("cats/../../evil.png");
    QTest::newRow("absolute") << QStringLiteral("/etc/evil.png");
    QTest::newRow("backslash dot-dot") << QStringLiteral("cats\\..\\..\\evil.png");
    QTest::newRow("drive letter") << QStringLiteral("C:/evil.png");
}

void TestImageFolder::zipWithTraversalIsRefused()
{
    QFETCH(QString, entry);
    const QString zip = zipOf(QStringLiteral("evil.zip"),
                              {{QStringLiteral("cats/cat.png"), pngBytes(8, 8, Qt::red)},
                               {entry, pngBytes(8, 8, Qt::red)}});
    QVERIFY(!zip.isEmpty());
    const auto result = summariseImageFolder(zip);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("zip.unsafe_path"));
    QCOMPARE(result.error().kind, ErrorKind::BadInput);
    QVERIFY2(result.error().message.contains(entry), qPrintable(result.error().message));
    QFile::remove(zip);
}

void TestImageFolder::zipBombIsRefused()
{
    // 200 MB of zeros deflate to ~200 KB; streamed in 1 MB chunks so the test stays small.
    const QString path = m_dir.filePath(QStringLiteral("bomb.zip"));
    {
        QuaZip zip(path);
        QVERIFY(zip.open(QuaZip::mdCreate));
        QVERIFY(addEntry(zip, QStringLiteral("cats/cat.png"), pngBytes(8, 8, Qt::red)));
        const QByteArray zeros(1 << 20, '\0');
        QVERIFY(addEntry(zip, QStringLiteral("cats/huge.png"), [&zeros] { return zeros; }, 200));
        zip.close();
        QCOMPARE(zip.getZipError(), ZIP_OK);
    }
    QVERIFY(QFileInfo(path).size() < 2 * 1024 * 1024);
    const auto result = summariseImageFolder(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("zip.bomb"));
    QVERIFY2(result.error().message.contains(QLatin1String("cats/huge.png")),
             qPrintable(result.error().message));

    // The total cap holds on its own too, whatever the ratio.
    ImageFolderLimits limits;
    limits.maxCompressionRatio = 1e9;
    limits.maxTotalBytes = 100 << 20;
    const auto capped = summariseImageFolder(path, nullptr, limits);
    QVERIFY(!capped.ok());
    QCOMPARE(capped.error().code, QStringLiteral("zip.too_large"));
}

void TestImageFolder::lyingSizeIsRefused()
{
    // A zip whose central directory declares more bytes than the entry inflates to.
    const QByteArray png = pngBytes(20, 10, Qt::red);
    const QString path = zipOf(QStringLiteral("liar.zip"), {{QStringLiteral("cats/a.png"), png}});
    QVERIFY(!path.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    const qsizetype central = bytes.indexOf(QByteArrayLiteral("PK\x01\x02"));
    QVERIFY(central > 0);
    const quint32 declared = quint32(png.size() + 5000);
    for (int i = 0; i < 4; ++i) // uncompressed size at offset 24, little-endian
        bytes[central + 24 + i] = char((declared >> (8 * i)) & 0xff);
    QVERIFY(file.seek(0));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    const auto result = summariseImageFolder(path);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().code == QLatin1String("zip.size_mismatch")
                 || result.error().code == QLatin1String("zip.corrupt"),
             qPrintable(result.error().code));
    QVERIFY2(result.error().message.contains(QLatin1String("cats/a.png")),
             qPrintable(result.error().message));
}

void TestImageFolder::notAZip()
{
    const QString path = m_dir.filePath(QStringLiteral("fake.zip"));
    QVERIFY(writeFile(path, kGarbage));
    const auto result = summariseImageFolder(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("zip.open_failed"));
    QVERIFY(result.error().message.contains(QLatin1String("fake.zip")));
}

void TestImageFolder::missingPath()
{
    const QString path = m_dir.filePath(QStringLiteral("no/such/folder"));
    const auto result = summariseImageFolder(path);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().kind, ErrorKind::NotFound);
    QCOMPARE(result.error().code, QStringLiteral("images.not_found"));
    QVERIFY(result.error().message.contains(path));
}

void TestImageFolder::folderWithoutClasses()
{
    const QString flat = m_dir.filePath(QStringLiteral("flat"));
    QVERIFY(writeFile(flat + QStringLiteral("/a.png"), pngBytes(8, 8, Qt::red)));
    const auto result = summariseImageFolder(flat);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("images.no_classes"));
}

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
