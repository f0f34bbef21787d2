// Switching to German rebuilds the window in German, with the open project still shown.

#include "core/conductor/Conductor.h"
#include "ui/MainWindow.h"
#include "ui/Translations.h"
#include "ui/models/StageTimelineModel.h"
#include "ui/panels/ConfirmationPanel.h"

#include <QMenuBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;
using namespace baton::ui;

class TestUiLanguage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void germanChangesVisibleStrings();
    void everyGermanStringIsTranslated();

private:
    static QStringList menuTitles(MainWindow &window);
};

QStringList TestUiLanguage::menuTitles(MainWindow &window)
{
    QStringList titles;
    for (QAction *action : window.menuBar()->actions())
        titles << action->text();
    return titles;
}

void TestUiLanguage::germanChangesVisibleStrings()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QVERIFY(window.createProject(QStringLiteral("Houses")));
    QCOMPARE(menuTitles(window).first(), QStringLiteral("&File"));
    QCOMPARE(window.confirmationPanel()->confirmButton()->text(), QStringLiteral("&Confirm"));

    window.applyLanguage(QStringLiteral("de"));
    QCOMPARE(menuTitles(window).first(), QStringLiteral("&Datei"));
    QCOMPARE(window.confirmationPanel()->confirmButton()->text(), QStringLiteral("&Bestätigen"));
    QCOMPARE(window.timelineModel()->index(0, StageTimelineModel::StageColumn).data().toString(),
             QStringLiteral("Ziel verstehen"));
    QCOMPARE(window.timelineModel()->headerData(StageTimelineModel::StatusColumn, Qt::Horizontal, Qt::DisplayRole)
                 .toString(),
             QStringLiteral("Status"));
    QVERIFY(window.conductor()); // the project stays open
    QCOMPARE(window.conductor()->projectId(), QStringLiteral("houses"));

    window.applyLanguage(QStringLiteral("en"));
    QCOMPARE(menuTitles(window).first(), QStringLiteral("&File"));
}

void TestUiLanguage::everyGermanStringIsTranslated()
{
    QFile ts(QStringLiteral(BATON_SOURCE_DIR "/translations/baton_de.ts"));
    QVERIFY(ts.open(QIODevice::ReadOnly));
    const QByteArray text = ts.readAll();
    QVERIFY(text.count("<message>") > 100);
    QCOMPARE(text.count("type=\"unfinished\""), 0);
}

QTEST_MAIN(TestUiLanguage)
#include "tst_uilanguage.moc"
