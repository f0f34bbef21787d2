#pragma once

#include <QString>
#include <QUrl>

namespace baton {

// Where the agents' language model lives: any OpenAI-compatible /chat/completions endpoint
// (OpenRouter by default, a local Ollama or llama.cpp server by base URL).
struct LlmConfig
{
    static constexpr const char *kDefaultBaseUrl = "https://openrouter.ai/api/v1";
    static constexpr const char *kDefaultModel = "openai/gpt-4o-mini";

    QUrl baseUrl = QUrl(QString::fromLatin1(kDefaultBaseUrl));
    QString model = QString::fromLatin1(kDefaultModel);
    QString apiKey;       // a secret: never logged, never written into a project
    int timeoutMs = 30000; // per attempt
    int maxRetries = 2;    // after the first attempt, on 429 and 5xx only
    int backoffMs = 1000;  // before the first retry; doubles, or the server's Retry-After

    // A key, or an endpoint other than the default (local servers need no key).
    bool isUsable() const;
    // <base>/chat/completions; a base URL that already ends with it is used as is (protocol §9.33).
    QUrl completionsUrl() const;

    // Settings first, then OPENROUTER_BASE_URL / OPENROUTER_MODEL / OPENROUTER_API_KEY, then the
    // defaults above.
    static LlmConfig fromSettings();
};

// Typed accessors over QSettings for the LLM (the settings dialog edits these). Empty means
// "not set here": the environment or the default applies.
namespace LlmSettings {
QString baseUrl();
void setBaseUrl(const QString &url);
QString model();
void setModel(const QString &model);
QString apiKey();
void setApiKey(const QString &key);
int timeoutS(); // 0 = default
void setTimeoutS(int seconds);
} // namespace LlmSettings

} // namespace baton
