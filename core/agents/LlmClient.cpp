#include "LlmClient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>

#include <memory>

namespace baton {

namespace {

constexpr int kCancelPollMs = 50;
constexpr int kMaxRetryAfterMs = 30000;

Error llmError(ErrorKind kind, const char *code, const QString &message)
{
    return makeError(kind, QString::fromLatin1(code), message, QStringLiteral("LLM"));
}

bool isRetryable(int status)
{
    return status == 429 || (status >= 500 && status <= 599);
}

// A short, single-line excerpt of a body for error messages.
QString excerpt(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(300)).simplified();
    return body.size() > 300 ? text + QStringLiteral("…") : text;
}

QByteArray withoutCodeFence(QByteArray text)
{
    text = text.trimmed();
    if (!text.startsWith("```"))
        return text;
    const qsizetype firstNewline = text.indexOf('\n');
    const qsizetype lastFence = text.lastIndexOf("```");
    if (firstNewline < 0 || lastFence <= firstNewline)
        return text;
    return text.mid(firstNewline + 1, lastFence - firstNewline - 1).trimmed();
}

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QString networkError;
    bool timedOut = false;
    bool cancelled = false;
    int retryAfterMs = -1;
};

} // namespace

Result<json> parseCompletionContent(const QByteArray &body)
{
    auto envelope = parseJson(body, QStringLiteral("LLM reply"));
    if (!envelope)
        return llmError(ErrorKind::BadInput, "llm.bad_response",
                        QStringLiteral("The LLM endpoint did not answer with JSON: %1").arg(excerpt(body)));
    const json &root = envelope.value();
    if (root.is_object() && root.contains("error")) {
        const json &error = root["error"];
        const QString message = error.is_object() ? stringField(error, "message") : fromStd(error.dump());
        return llmError(ErrorKind::Network, "llm.provider_error",
                        QStringLiteral("The LLM provider reported an error: %1").arg(message));
    }
    if (!root.is_object() || !root.contains("choices") || !root["choices"].is_array() || root["choices"].empty()
        || !root["choices"][0].is_object() || !root["choices"][0].contains("message")
        || !root["choices"][0]["message"].is_object()
        || !root["choices"][0]["message"].contains("content")
        || !root["choices"][0]["message"]["content"].is_string()) {
        return llmError(ErrorKind::BadInput, "llm.bad_response",
                        QStringLiteral("The LLM reply has no choices[0].message.content text"));
    }
    const QByteArray content =
        withoutCodeFence(QByteArray::fromStdString(root["choices"][0]["message"]["content"].get<std::string>()));
    auto parsed = parseJson(content, QStringLiteral("LLM message"));
    if (!parsed)
        return llmError(ErrorKind::BadInput, "llm.invalid_json",
                        QStringLiteral("The model's answer is not valid JSON: %1").arg(excerpt(content)));
    if (!parsed->is_object())
        return llmError(ErrorKind::BadInput, "llm.not_object",
                        QStringLiteral("The model's answer is JSON but not an object"));
    return parsed;
}

LlmClient::LlmClient(LlmConfig config, CancelCheck isCancelled)
    : m_config(std::move(config))
    , m_isCancelled(std::move(isCancelled))
{}

json LlmClient::requestBody(const QList<LlmMessage> &messages, double temperature, bool jsonOutput) const
{
    json list = json::array();
    for (const LlmMessage &m : messages)
        list.push_back({{"role", toStd(m.role)}, {"content", toStd(m.content)}});
    json body = {{"model", toStd(m_config.model)}, {"messages", list}, {"temperature", temperature}};
    if (jsonOutput)
        body["response_format"] = {{"type", "json_object"}};
    return body;
}

Result<json> LlmClient::completeJson(const QList<LlmMessage> &messages, double temperature,
                                     const AttemptObserver &observer) const
{
    if (QCoreApplication *app = QCoreApplication::instance(); app && QThread::currentThread() == app->thread()) {
        return llmError(ErrorKind::Internal, "llm.gui_thread",
                        QStringLiteral("LLM requests never run on the GUI thread; run the agent on a job thread"));
    }
    if (!m_config.isUsable())
        return llmError(ErrorKind::NotImplemented, "llm.not_configured",
                        QStringLiteral("No language model is configured (set OPENROUTER_API_KEY or an LLM base "
                                       "URL in the settings)"));
    auto cancelled = [this] { return m_isCancelled && m_isCancelled(); };
    bool jsonOutput = true;
    QByteArray payload = toStrictJsonBytes(requestBody(messages, temperature, jsonOutput));

    QNetworkAccessManager network;
    QNetworkRequest request(m_config.completionsUrl());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_config.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.apiKey.toLatin1());
    request.setRawHeader("X-Title", "Baton");

    int backoffMs = m_config.backoffMs;
    int retries = 0;
    for (int attempt = 1;; ++attempt) {
        if (cancelled())
            return llmError(ErrorKind::Cancelled, "llm.cancelled", QStringLiteral("Cancelled"));

        HttpResult http;
        QElapsedTimer clock;
        clock.start();
        {
            std::unique_ptr<QNetworkReply> reply(network.post(request, payload));
            QEventLoop loop;
            QTimer deadline;
            deadline.setSingleShot(true);
            QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
                http.timedOut = true;
                reply->abort();
            });
            QTimer poll;
            QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
                if (cancelled()) {
                    http.cancelled = true;
                    reply->abort();
                }
            });
            QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
            deadline.start(m_config.timeoutMs);
            poll.start(kCancelPollMs);
            if (!reply->isFinished())
                loop.exec();
            http.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            http.body = reply->readAll();
            if (reply->error() != QNetworkReply::NoError && http.status == 0)
                http.networkError = reply->errorString();
            bool ok = false;
            const int retryAfterS = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
            if (ok && retryAfterS >= 0)
                http.retryAfterMs = std::min(retryAfterS * 1000, kMaxRetryAfterMs);
        }

        LlmAttempt record{attempt, http.status, {}, http.body, clock.elapsed()};
        std::optional<Error> failure;
        if (http.cancelled) {
            failure = llmError(ErrorKind::Cancelled, "llm.cancelled", QStringLiteral("Cancelled"));
        } else if (http.timedOut) {
            failure = llmError(ErrorKind::Network, "llm.timeout",
                               QStringLiteral("The LLM did not answer within %1 s").arg(m_config.timeoutMs / 1000.0));
        } else if (http.status == 0) {
            failure = llmError(ErrorKind::Network, "llm.unreachable",
                               QStringLiteral("The LLM endpoint %1 is unreachable: %2")
                                   .arg(m_config.completionsUrl().toString(QUrl::RemoveUserInfo), http.networkError));
        } else if (http.status < 200 || http.status > 299) {
            // Providers may echo the key in an error body; error messages end up in events.
            QByteArray body = http.body;
            if (!m_config.apiKey.isEmpty())
                body.replace(m_config.apiKey.toUtf8(), QByteArrayLiteral("[redacted]"));
            failure = llmError(ErrorKind::Network, "llm.http",
                               QStringLiteral("The LLM endpoint answered HTTP %1: %2").arg(http.status).arg(excerpt(body)));
        }
        if (failure)
            record.error = failure->message;
        if (observer)
            observer(record);
        if (!failure)
            return parseCompletionContent(http.body);
        if (http.status == 400 && jsonOutput) {
            jsonOutput = false; // at once: the server said no to the field, not "later"
            payload = toStrictJsonBytes(requestBody(messages, temperature, jsonOutput));
            continue;
        }
        if (!isRetryable(http.status) || retries++ >= m_config.maxRetries)
            return *failure;

        // Back off before the next attempt, still answering cancellation.
        const int waitMs = http.retryAfterMs >= 0 ? http.retryAfterMs : backoffMs;
        backoffMs *= 2;
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < waitMs) {
            if (cancelled())
                return llmError(ErrorKind::Cancelled, "llm.cancelled", QStringLiteral("Cancelled"));
            QThread::msleep(static_cast<unsigned long>(std::min<qint64>(kCancelPollMs, waitMs - waited.elapsed())));
        }
    }
}

} // namespace baton
