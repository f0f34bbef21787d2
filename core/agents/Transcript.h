#pragma once

#include "core/common/Json.h"

#include <QStringList>

#include <functional>

namespace baton {

// The project's append-only record of every prompt sent to a language model and every reply
// (assets/agents/transcript.jsonl, one JSON object a line), so a user can see what the agents
// were told and answered. Secrets given at construction are redacted from every line, wherever
// they appear (a provider may echo the key in an error body). Thread-safe.
class Transcript
{
public:
    // `onCreated` runs once, after the line that created the file (to announce the artifact).
    Transcript(QString path, QStringList secrets, std::function<void()> onCreated = {});

    const QString &path() const { return m_path; }
    void append(json entry) const;

    static QString relativePath(); // "agents/transcript.jsonl" under the project's assets

private:
    QString m_path;
    QStringList m_secrets;
    std::function<void()> m_onCreated;
};

} // namespace baton
