#pragma once

#include "LlmConfig.h"

#include "core/common/Json.h"

#include <QList>

#include <functional>

namespace baton {

struct LlmMessage
{
    QString role; // system | user | assistant
    QString content;
};

// One HTTP attempt, as the transcript records it (no headers: they carry the key).
struct LlmAttempt
{
    int number = 1;
    int httpStatus = 0; // 0: no HTTP answer (timeout, refused, cancelled)
    QString error;      // empty when the attempt returned 2xx
    QByteArray body;    // the reply body as received
    qint64 elapsedMs = 0;
};

// An OpenAI-compatible chat completions client that asks for a JSON object and returns it
// parsed. It blocks the calling thread with a local QNetworkAccessManager and QEventLoop, so it
// runs on job threads (stage handlers, the chat thread) and refuses the GUI thread.
// Retries 429 and 5xx with backoff (honouring Retry-After). A 400 to the request asking for JSON
// output (`response_format`) is asked once more without it: many local servers reject the
// field, and the prompt still asks for JSON, which is validated all the same. A timeout or any
// other failure ends at once, because the caller's fallback is always ready. Never throws.
class LlmClient
{
public:
    using CancelCheck = std::function<bool()>;
    using AttemptObserver = std::function<void(const LlmAttempt &)>;

    explicit LlmClient(LlmConfig config, CancelCheck isCancelled = {});

    const LlmConfig &config() const { return m_config; }

    // The JSON object the model answered with (markdown code fences are tolerated).
    Result<json> completeJson(const QList<LlmMessage> &messages, double temperature,
                              const AttemptObserver &observer = {}) const;

    // The request body, for the transcript; jsonOutput adds response_format {type: json_object}.
    json requestBody(const QList<LlmMessage> &messages, double temperature, bool jsonOutput = true) const;

private:
    LlmConfig m_config;
    CancelCheck m_isCancelled;
};

// choices[0].message.content of a completions reply, parsed as a JSON object.
Result<json> parseCompletionContent(const QByteArray &body);

} // namespace baton
