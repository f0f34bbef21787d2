#include "SettingsDialog.h"

#include "core/agents/LlmConfig.h"
#include "core/common/Settings.h"
#include "core/data/KaggleDataset.h"
#include "core/server/ServerSettings.h"
#include "ui/Translations.h"
#include "ui/UiSettings.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
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

    m_kaggleUser = new QLineEdit(KaggleSettings::username());
    m_kaggleUser->setObjectName(QStringLiteral("kaggleUserEdit"));
    m_kaggleKey = new QLineEdit;
    m_kaggleKey->setObjectName(QStringLiteral("kaggleKeyEdit"));
    setUpSecret(m_kaggleKey, !KaggleSettings::key().isEmpty());
    auto *kaggle = new QGroupBox(tr("Kaggle (datasets by owner/name, and search)"));
    auto *kaggleForm = new QFormLayout(kaggle);
    kaggleForm->addRow(tr("Kaggle &user name:"), m_kaggleUser);
    kaggleForm->addRow(tr("Kaggle ke&y:"), m_kaggleKey);

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
    layout->addWidget(kaggle);
    layout->addWidget(buildServerGroup());
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

QWidget *SettingsDialog::buildServerGroup()
{
    m_serverEnabled = new QCheckBox(tr("&Run the protocol server (web UI, REST and WebSocket API)"));
    m_serverEnabled->setObjectName(QStringLiteral("serverBox"));
    m_serverEnabled->setChecked(UiSettings::serverEnabled());
    m_serverHost = new QComboBox;
    m_serverHost->setObjectName(QStringLiteral("serverHostBox"));
    m_serverHost->setEditable(true);
    m_serverHost->addItem(tr("127.0.0.1 (this computer only)"), QStringLiteral("127.0.0.1"));
    m_serverHost->addItem(tr("0.0.0.0 (every network; clients need the token)"), QStringLiteral("0.0.0.0"));
    const QString host = UiSettings::serverHost();
    if (const int known = m_serverHost->findData(host); known >= 0)
        m_serverHost->setCurrentIndex(known);
    else
        m_serverHost->setEditText(host);
    m_serverPort = new QSpinBox;
    m_serverPort->setObjectName(QStringLiteral("serverPortBox"));
    m_serverPort->setRange(0, 65535);
    m_serverPort->setSpecialValueText(tr("Any free port"));
    m_serverPort->setValue(UiSettings::serverPort());
    // Shown on purpose: the user copies it into the remote client. Only needed beyond loopback.
    m_token = new QLineEdit(server::ServerSettings::accessToken());
    m_token->setObjectName(QStringLiteral("tokenEdit"));
    m_token->setReadOnly(true);
    m_token->setToolTip(tr("Clients send it as “Authorization: Bearer …” (WebSockets: ?token=…) "
                           "when the server listens beyond this computer"));
    auto *copy = new QPushButton(tr("&Copy"));
    auto *renew = new QPushButton(tr("New &token"));
    renew->setToolTip(tr("Replaces the token: clients holding the old one are refused"));
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(copy);
    tokenRow->addWidget(renew);
    connect(copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_token->text()); });
    connect(renew, &QPushButton::clicked, this,
            [this] { m_token->setText(server::ServerSettings::regenerateAccessToken()); });

    auto *group = new QGroupBox(tr("Protocol server"));
    auto *form = new QFormLayout(group);
    form->addRow(m_serverEnabled);
    form->addRow(tr("Add&ress:"), m_serverHost);
    form->addRow(tr("&Port:"), m_serverPort);
    form->addRow(tr("Access t&oken:"), tokenRow);
    return group;
}

QString SettingsDialog::chosenServerHost() const
{
    // a listed address carries its bare form as data; a typed one is taken as typed
    const int listed = m_serverHost->findText(m_serverHost->currentText());
    return listed >= 0 ? m_serverHost->itemData(listed).toString() : m_serverHost->currentText().trimmed();
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
    // As with the LLM key, an empty key field keeps the stored key.
    const QString kaggleKey = m_kaggleKey->text().trimmed();
    if (!kaggleKey.isEmpty() || m_kaggleUser->text().trimmed() != KaggleSettings::username())
        KaggleSettings::setCredentials(m_kaggleUser->text(), kaggleKey.isEmpty() ? KaggleSettings::key() : kaggleKey);
    Settings::setWorkspaceDir(m_workspace->text().trimmed());
    Settings::setJobThreads(m_threads->value());
    UiSettings::setLanguage(m_language->currentData().toString());
    UiSettings::setServerEnabled(m_serverEnabled->isChecked());
    UiSettings::setServerHost(chosenServerHost());
    UiSettings::setServerPort(m_serverPort->value());
}

} // namespace baton::ui
