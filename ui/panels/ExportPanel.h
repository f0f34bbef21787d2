#pragma once

#include "StagePanel.h"

#include <QStringList>

class QLabel;
class QListWidget;
class QPushButton;

namespace baton::ui {

// EXPORT: progress, then the verified bundle (contents, checksum) with "Save a copy…" and
// "Open folder".
class ExportPanel : public StagePanel
{
    Q_OBJECT

public:
    explicit ExportPanel(QWidget *parent = nullptr);

    void setConductor(Conductor *conductor) override;
    void applyEvent(const Event &event) override;

    QString bundlePath() const { return m_bundlePath; }
    QPushButton *saveButton() const { return m_save; }

private:
    void openExportDialog();

    Conductor *m_conductor = nullptr;
    QLabel *m_status = nullptr;
    QListWidget *m_contents = nullptr;
    QLabel *m_checksum = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_openFolder = nullptr;
    QString m_bundlePath;
    QStringList m_files;
    QString m_sha256;
};

} // namespace baton::ui
