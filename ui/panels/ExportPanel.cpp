#include "ExportPanel.h"

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "ui/AssetFiles.h"
#include "ui/JsonFields.h"
#include "ui/dialogs/ExportDialog.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace baton::ui {

ExportPanel::ExportPanel(QWidget *parent)
    : StagePanel(parent)
{
    setObjectName(QStringLiteral("exportPanel"));
    m_status = new QLabel(tr("The export bundle (model, preprocessing, predict script, report, notebook) "
                             "is built and verified in the last stage."));
    m_status->setWordWrap(true);
    m_contents = new QListWidget;
    m_checksum = new QLabel;
    m_checksum->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_save = new QPushButton(tr("&Save a copy…"));
    m_openFolder = new QPushButton(tr("Open &folder"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_openFolder);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_contents, 1);
    layout->addWidget(m_checksum);
    layout->addLayout(buttons);
    connect(m_save, &QPushButton::clicked, this, &ExportPanel::openExportDialog);
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_bundlePath).absolutePath()));
    });
    setConductor(nullptr);
}

void ExportPanel::setConductor(Conductor *conductor)
{
    m_conductor = conductor;
    m_bundlePath.clear();
    m_files.clear();
    m_sha256.clear();
    m_contents->clear();
    m_checksum->clear();
    m_save->setEnabled(false);
    m_openFolder->setEnabled(false);
}

void ExportPanel::applyEvent(const Event &event)
{
    const json &p = event.payload;
    if (event.name == QLatin1String(events::ExportProgress)) {
        m_status->setText(tr("%1 % — %2").arg(intField(p, "pct")).arg(stringField(p, "message")));
    } else if (event.name == QLatin1String(events::ExportReady) && m_conductor) {
        const QString url = stringField(p, "asset_url");
        m_bundlePath = url.startsWith(QLatin1String("/api/")) ? localAssetPath(m_conductor->projectDir(), url) : url;
        m_files = strings(arrayField(p, "contents"));
        m_contents->clear();
        m_contents->addItems(m_files);
        const json &verified = objectField(p, "verified");
        m_status->setText(tr("Bundle ready and verified: it reproduces all %1 test predictions "
                             "(largest difference %2).\n%3")
                              .arg(intField(verified, "rows"))
                              .arg(QLocale().toString(doubleField(verified, "max_abs_difference", 0), 'g', 3))
                              .arg(m_bundlePath));
        m_sha256 = stringField(p, "checksum");
        m_checksum->setText(tr("SHA-256: %1").arg(m_sha256));
        m_save->setEnabled(!m_bundlePath.isEmpty());
        m_openFolder->setEnabled(!m_bundlePath.isEmpty());
    }
}

void ExportPanel::openExportDialog()
{
    ExportDialog dialog(m_bundlePath, m_files, m_sha256, this);
    dialog.exec();
}

} // namespace baton::ui
