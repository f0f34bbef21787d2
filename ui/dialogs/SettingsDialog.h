#pragma once

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace baton::ui {

// Preferences: the LLM endpoint, model and key, workspace folder, job threads and language.
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
    QLineEdit *workspaceEdit() const { return m_workspace; }

private:
    static void setUpSecret(QLineEdit *edit, bool stored);

    QLineEdit *m_llmUrl = nullptr;
    QLineEdit *m_llmModel = nullptr;
    QLineEdit *m_llmKey = nullptr;
    QLineEdit *m_workspace = nullptr;
    QSpinBox *m_threads = nullptr;
    QComboBox *m_language = nullptr;
};

} // namespace baton::ui
