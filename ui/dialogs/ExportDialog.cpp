#include "ExportDialog.h"

#include "core/project/Assets.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStandardPaths>
#include <QUrl>
#include <QVBoxLayout>

namespace baton::ui {

ExportDialog::ExportDialog(const QString &bundlePath, const QStringList &contents, const QString &checksum,
                           QWidget *parent)
    : QDialog(parent)
    , m_bundlePath(bundlePath)
    , m_checksum(checksum)
{
    setWindowTitle(tr("Export bundle"));
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_destination = new QLineEdit(QDir(documents).filePath(QFileInfo(bundlePath).fileName()));
    auto *browseButton = new QPushButton(tr("&Browse…"));
    auto *where = new QHBoxLayout;
    where->addWidget(m_destination, 1);
    where->addWidget(browseButton);

    auto *files = new QListWidget;
    files->addItems(contents);
    auto *sum = new QLabel(checksum);
    sum->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    sum->setFont(QFont(QStringLiteral("monospace")));
    m_status = new QLabel;
    m_status->setWordWrap(true);

    auto *form = new QFormLayout;
    auto *whereLabel = new QLabel(tr("Save &to:"));
    whereLabel->setBuddy(m_destination);
    form->addRow(whereLabel, where);
    form->addRow(tr("Contents:"), files);
    form->addRow(tr("SHA-256:"), sum);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close);
    m_openFolder = buttons->addButton(tr("&Open folder"), QDialogButtonBox::ActionRole);
    m_openFolder->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this, &ExportDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_openFolder, &QPushButton::clicked, this, &ExportDialog::openFolder);
    resize(560, 420);
}

void ExportDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save export bundle"), m_destination->text(),
                                                      tr("Zip archives (*.zip)"));
    if (!path.isEmpty())
        m_destination->setText(path);
}

bool ExportDialog::save()
{
    const QString target = m_destination->text().trimmed();
    auto fail = [this](const QString &why) {
        m_status->setText(why);
        return false;
    };
    if (target.isEmpty())
        return fail(tr("Choose where to save the bundle."));
    if (QFileInfo(target).absoluteFilePath() != QFileInfo(m_bundlePath).absoluteFilePath()) {
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (QFile::exists(target) && !QFile::remove(target))
            return fail(tr("Cannot replace %1").arg(target));
        if (!QFile::copy(m_bundlePath, target))
            return fail(tr("Cannot copy the bundle to %1").arg(target));
    }
    auto copied = sha256OfFile(target);
    if (!copied)
        return fail(copied.error().toString());
    if (!m_checksum.isEmpty() && copied.value() != m_checksum)
        return fail(tr("The copy at %1 does not match the bundle's checksum.").arg(target));
    m_savedPath = target;
    m_status->setText(tr("Saved and verified: %1").arg(target));
    m_openFolder->setEnabled(true);
    return true;
}

void ExportDialog::openFolder()
{
    if (!m_savedPath.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_savedPath).absolutePath()));
}

} // namespace baton::ui
