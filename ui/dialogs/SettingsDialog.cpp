#include "SettingsDialog.h"

#include "core/agents/LlmConfig.h"
#include "core/common/Settings.h"
#include "ui/Translations.h"
#include "ui/UiSettings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace baton::ui {

SettingsDialog::SettingsDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Settings"));

    m_llmUrl = new QLineEdit(LlmSettings::baseUrl());
    m_llmUrl->setPlaceholderText(QString::fromLatin1(LlmConfig::kDefaultBaseUrl));
    m_llmModel = new QLineEdit(LlmSettings::model());
    m_llmModel->setPlaceholderText(QString::fromLatin1(LlmConfig::kDefaultModel));
    m_llmKey = new QLineEdit;
    m_llmKey->setObjectName(QStringLiteral("llmKeyEdit"));
    setUpSecret(m_llmKey, !LlmSettings::apiKey().isEmpty());
    auto *llm = new QGroupBox(tr("Language model (OpenAI-compatible)"));
    auto *llmForm = new QFormLayout(llm);
    llmForm->addRow(tr("&Endpoint:"), m_llmUrl);
    llmForm->addRow(tr("&Model:"), m_llmModel);
    llmForm->addRow(tr("API &key:"), m_llmKey);

    m_workspace = new QLineEdit(Settings::workspaceDir());
    m_workspace->setPlaceholderText(tr("Default: the application data folder"));
    auto *browse = new QPushButton(tr("&Browse…"));
    auto *workspaceRow = new QHBoxLayout;
    workspaceRow->addWidget(m_workspace, 1);
    workspaceRow->addWidget(browse);
    m_threads = new QSpinBox;
    m_threads->setRange(0, std::max(1, QThread::idealThreadCount()));
    m_threads->setSpecialValueText(tr("Automatic (leave the window a core)"));
    m_threads->setValue(Settings::jobThreads());
    m_language = new QComboBox;
    m_language->setObjectName(QStringLiteral("languageBox"));
    m_language->addItem(tr("System language"), QString());
    for (const QString &code : availableLanguages())
        m_language->addItem(languageName(code), code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(UiSettings::language())));
    auto *general = new QGroupBox(tr("General"));
    auto *generalForm = new QFormLayout(general);
    generalForm->addRow(tr("&Workspace folder:"), workspaceRow);
    generalForm->addRow(tr("Job &threads:"), m_threads);
    generalForm->addRow(tr("&Language:"), m_language);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(general);
    layout->addWidget(llm);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Workspace folder"), m_workspace->text());
        if (!dir.isEmpty())
            m_workspace->setText(dir);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void SettingsDialog::setUpSecret(QLineEdit *edit, bool stored)
{
    edit->setEchoMode(QLineEdit::Password);
    edit->setPlaceholderText(stored ? tr("Stored — type a new one to replace it") : tr("Not set"));
}

void SettingsDialog::save()
{
    LlmSettings::setBaseUrl(m_llmUrl->text().trimmed());
    LlmSettings::setModel(m_llmModel->text().trimmed());
    if (!m_llmKey->text().isEmpty())
        LlmSettings::setApiKey(m_llmKey->text().trimmed());
    Settings::setWorkspaceDir(m_workspace->text().trimmed());
    Settings::setJobThreads(m_threads->value());
    UiSettings::setLanguage(m_language->currentData().toString());
}

} // namespace baton::ui
