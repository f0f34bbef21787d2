#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace baton::ui {

// Preferences: the LLM endpoint, model and key, workspace folder, job threads, language and the
// protocol server (on/off, address, port; its access token is shown and can be replaced).
// (Kaggle credentials come from KAGGLE_USERNAME/KAGGLE_KEY or ~/.kaggle/kaggle.json, as the
// official client reads them.) Secrets are never shown back: an empty key field keeps the stored key.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    // Writes every field to the settings (called on OK).
    void save();

    QComboBox *languageBox() const { return m_language; }
    QLineEdit *llmKeyEdit() const { return m_llmKey; }
    QLineEdit *kaggleUserEdit() const { return m_kaggleUser; }
    QLineEdit *kaggleKeyEdit() const { return m_kaggleKey; }
    QLineEdit *workspaceEdit() const { return m_workspace; }
    QCheckBox *serverBox() const { return m_serverEnabled; }
    QComboBox *serverHostBox() const { return m_serverHost; }
    QSpinBox *serverPortBox() const { return m_serverPort; }
    QLineEdit *tokenEdit() const { return m_token; }

private:
    static void setUpSecret(QLineEdit *edit, bool stored);
    QWidget *buildServerGroup();
    QString chosenServerHost() const;

    QLineEdit *m_llmUrl = nullptr;
    QLineEdit *m_llmModel = nullptr;
    QLineEdit *m_llmKey = nullptr;
    QLineEdit *m_kaggleUser = nullptr;
    QLineEdit *m_kaggleKey = nullptr;
    QLineEdit *m_workspace = nullptr;
    QSpinBox *m_threads = nullptr;
    QComboBox *m_language = nullptr;
    QCheckBox *m_serverEnabled = nullptr;
    QComboBox *m_serverHost = nullptr;
    QSpinBox *m_serverPort = nullptr;
    QLineEdit *m_token = nullptr;
};

} // namespace baton::ui
