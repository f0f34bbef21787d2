#pragma once

#include "core/conductor/Conductor.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace baton::server {

// Calls back once when `stage` ends its run: WAITING_CONFIRMATION/COMPLETED/SKIPPED (ok) or
// FAILED (with the stage's message), or when `timeoutMs` passes. Deletes itself afterwards.
// For the few requests that must answer after the stage work (dataset/download, protocol §3.8)
// without blocking the server.
class StageWaiter : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(bool ok, const QString &message)>;

    static void watch(Conductor *conductor, StageId stage, int timeoutMs, Callback callback);

private:
    StageWaiter(Conductor *conductor, StageId stage, int timeoutMs, Callback callback);
    void finish(bool ok, const QString &message);

    StageId m_stage;
    Callback m_callback;
    QMetaObject::Connection m_connection;
    QTimer m_timeout;
};

} // namespace baton::server
