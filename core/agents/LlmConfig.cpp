#include "LlmConfig.h"

#include <QSettings>

namespace baton {

namespace {

const QString kBaseUrlKey = QStringLiteral("llm/base_url");
const QString kModelKey = QStringLiteral("llm/model");
const QString kApiKeyKey = QStringLiteral("llm/api_key");
const QString kTimeoutKey = QStringLiteral("llm/timeout_s");

QString settingOrEnv(const QString &setting, const char *envName)
{
    const QString fromSettings = setting.trimmed();
    return fromSettings.isEmpty() ? qEnvironmentVariable(envName).trimmed() : fromSettings;
}

// Placeholders such as "sk-or-…" from an example .env are not keys (protocol §7.1).
bool isPlausibleKey(const QString &key)
{
    if (key.isEmpty())
        return false;
    for (const QChar c : key) {
        if (c.unicode() > 0x7e || c.unicode() < 0x21)
            return false;
    }
    return true;
}

} // namespace

bool LlmConfig::isUsable() const
{
    if (!baseUrl.isValid() || baseUrl.scheme().isEmpty() || model.isEmpty())
        return false;
    return !apiKey.isEmpty() || baseUrl != QUrl(QString::fromLatin1(kDefaultBaseUrl));
}

QUrl LlmConfig::completionsUrl() const
{
    QUrl url = baseUrl;
    QString path = url.path();
    if (path.endsWith(QLatin1String("/chat/completions")))
        return url;
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/chat/completions"));
    return url;
}

LlmConfig LlmConfig::fromSettings()
{
    LlmConfig config;
    if (const QString url = settingOrEnv(LlmSettings::baseUrl(), "OPENROUTER_BASE_URL"); !url.isEmpty())
        config.baseUrl = QUrl(url);
    if (const QString model = settingOrEnv(LlmSettings::model(), "OPENROUTER_MODEL"); !model.isEmpty())
        config.model = model;
    if (const QString key = settingOrEnv(LlmSettings::apiKey(), "OPENROUTER_API_KEY"); isPlausibleKey(key))
        config.apiKey = key;
    if (const int timeout = LlmSettings::timeoutS(); timeout > 0)
        config.timeoutMs = timeout * 1000;
    return config;
}

namespace LlmSettings {

QString baseUrl()
{
    return QSettings().value(kBaseUrlKey).toString();
}

void setBaseUrl(const QString &url)
{
    QSettings().setValue(kBaseUrlKey, url);
}

QString model()
{
    return QSettings().value(kModelKey).toString();
}

void setModel(const QString &model)
{
    QSettings().setValue(kModelKey, model);
}

QString apiKey()
{
    return QSettings().value(kApiKeyKey).toString();
}

void setApiKey(const QString &key)
{
    QSettings().setValue(kApiKeyKey, key);
}

int timeoutS()
{
    return QSettings().value(kTimeoutKey, 0).toInt();
}

void setTimeoutS(int seconds)
{
    QSettings().setValue(kTimeoutKey, seconds);
}

} // namespace LlmSettings

} // namespace baton
