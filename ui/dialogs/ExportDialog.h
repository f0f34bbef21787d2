#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QLineEdit;
class QPushButton;

namespace baton::ui {

// Saves a copy of the verified export bundle: where to, what is inside, its SHA-256 checksum
// (checked again on the copy) and "Open folder" once saved.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(const QString &bundlePath, const QStringList &contents, const QString &checksum,
                 QWidget *parent = nullptr);

    QLineEdit *destinationEdit() const { return m_destination; }
    // Copies the bundle to the destination and verifies the copy; false (with the reason shown)
    // when it fails.
    bool save();
    QString savedPath() const { return m_savedPath; }

private:
    void browse();
    void openFolder();

    QString m_bundlePath;
    QString m_checksum;
    QString m_savedPath;
    QLineEdit *m_destination = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_openFolder = nullptr;
};

} // namespace baton::ui
