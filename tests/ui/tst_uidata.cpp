// Getting data in: drag-and-drop on the window, refused drops, demo datasets; settings keep
// secrets out of sight.

#include "core/agents/LlmConfig.h"
#include "core/conductor/Conductor.h"
#include "core/data/KaggleDataset.h"
#include "core/pipeline/ContextKeys.h"
#include "ui/MainWindow.h"
#include "ui/UiSettings.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/ProjectListModel.h"
#include "ui/models/TableDataModel.h"
#include "ui/panels/DataPanel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QMimeData>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;
using namespace baton::ui;

class TestUiData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void droppingACsvCreatesAProject();
    void otherDropsAreRefused();
    void settingsNeverEchoTheKey();

private:
    static bool drop(QWidget *target, const QString &path);
};

bool TestUiData::drop(QWidget *target, const QString &path)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropEvent);
    return dropEvent.isAccepted();
}

void TestUiData::droppingACsvCreatesAProject()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    QAbstractItemModelTester projects(window.projectListModel());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy loaded(window.dataPanel(), &DataPanel::dataLoaded);
    QVERIFY(drop(&window, QStringLiteral(BATON_TEST_DATA_DIR "/wine.csv")));
    QVERIFY(window.conductor());
    QCOMPARE(window.conductor()->projectId(), QStringLiteral("wine"));
    QCOMPARE(window.projectListModel()->rowCount(), 1);
    QCOMPARE(window.findChild<QLineEdit *>(QStringLiteral("dataEdit"))->text(),
             QFileInfo(QStringLiteral(BATON_TEST_DATA_DIR "/wine.csv")).absoluteFilePath());
    QVERIFY(loaded.wait(20'000));
    QCOMPARE(window.dataPanel()->tableModel()->rowCount(), 178);
    QCOMPARE(window.dataPanel()->tableModel()->columnCount(), 14);
}

void TestUiData::otherDropsAreRefused()
{
    QTemporaryDir dir;
    MainWindow window(dir.path());
    const QString notes = dir.filePath(QStringLiteral("notes.pdf"));
    QFile file(notes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("%PDF");
    file.close();
    QVERIFY(!drop(&window, notes));
    QVERIFY(!window.conductor());
    QCOMPARE(window.projectListModel()->rowCount(), 0);
}

void TestUiData::settingsNeverEchoTheKey()
{
    LlmSettings::setApiKey(QStringLiteral("sk-secret"));
    {
        SettingsDialog dialog;
        QCOMPARE(dialog.llmKeyEdit()->text(), QString());
        QCOMPARE(dialog.llmKeyEdit()->echoMode(), QLineEdit::Password);
        QVERIFY(!dialog.llmKeyEdit()->placeholderText().contains(QStringLiteral("secret")));
        // saving with the field left empty keeps the stored key
        dialog.save();
        QCOMPARE(LlmSettings::apiKey(), QStringLiteral("sk-secret"));
        dialog.llmKeyEdit()->setText(QStringLiteral("sk-new"));
        dialog.languageBox()->setCurrentIndex(dialog.languageBox()->findData(QStringLiteral("de")));
        dialog.save();
    }
    QCOMPARE(LlmSettings::apiKey(), QStringLiteral("sk-new"));
    QCOMPARE(UiSettings::language(), QStringLiteral("de"));
    UiSettings::setLanguage({});
    LlmSettings::setApiKey({});

    // The Kaggle key is a secret too: never shown, kept when the field is left empty.
    KaggleSettings::setCredentials(QStringLiteral("lin"), QStringLiteral("kaggle-secret"));
    {
        SettingsDialog dialog;
        QCOMPARE(dialog.kaggleUserEdit()->text(), QStringLiteral("lin"));
        QCOMPARE(dialog.kaggleKeyEdit()->text(), QString());
        QCOMPARE(dialog.kaggleKeyEdit()->echoMode(), QLineEdit::Password);
        dialog.save();
        QCOMPARE(KaggleSettings::key(), QStringLiteral("kaggle-secret"));
        dialog.kaggleUserEdit()->setText(QStringLiteral("ada"));
        dialog.kaggleKeyEdit()->setText(QStringLiteral("new-key"));
        dialog.save();
    }
    QCOMPARE(KaggleSettings::username(), QStringLiteral("ada"));
    QCOMPARE(KaggleSettings::key(), QStringLiteral("new-key"));
    KaggleSettings::setCredentials({}, {});
}

QTEST_MAIN(TestUiData)
#include "tst_uidata.moc"
