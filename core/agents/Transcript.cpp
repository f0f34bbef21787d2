#include "Transcript.h"

#include "AgentLog.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <mutex>

namespace baton {

namespace {
// Appends are rare (a few per stage) and may come from a stage job and the chat at once.
std::mutex g_appendMutex;
constexpr qsizetype kMinSecretLength = 4; // shorter "keys" would redact ordinary words
} // namespace

Transcript::Transcript(QString path, QStringList secrets, std::function<void()> onCreated)
    : m_path(std::move(path))
    , m_secrets(std::move(secrets))
    , m_onCreated(std::move(onCreated))
{
    m_secrets.removeIf([](const QString &s) { return s.size() < kMinSecretLength; });
}

QString Transcript::relativePath()
{
    return QStringLiteral("agents/transcript.jsonl");
}

void Transcript::append(json entry) const
{
    if (m_path.isEmpty())
        return;
    entry["ts"] = toStd(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    QByteArray line = toStrictJsonBytes(entry);
    for (const QString &secret : m_secrets)
        line.replace(secret.toUtf8(), QByteArrayLiteral("[redacted]"));
    line += '\n';

    bool created = false;
    {
        std::lock_guard lock(g_appendMutex);
        created = !QFileInfo::exists(m_path);
        if (created)
            QDir().mkpath(QFileInfo(m_path).absolutePath());
        QFile file(m_path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append) || file.write(line) != line.size()) {
            // The transcript is a record, not a result: losing a line must not fail the stage.
            qCWarning(lcAgents) << "cannot append to the agent transcript" << m_path << file.errorString();
            return;
        }
    }
    if (created && m_onCreated)
        m_onCreated();
}

} // namespace baton
