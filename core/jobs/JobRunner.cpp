#include "JobRunner.h"

#include "core/common/Logging.h"

#include <QThread>

#include <algorithm>

namespace baton {

void JobHandle::cancel() const
{
    if (d)
        d->cancelled = true;
}

void JobHandle::requestStop() const
{
    if (d)
        d->stopRequested = true;
}

bool JobHandle::isRunning() const
{
    if (!d)
        return false;
    std::lock_guard lock(d->mutex);
    return !d->done;
}

bool JobHandle::wait(int timeoutMs) const
{
    if (!d)
        return true;
    std::unique_lock lock(d->mutex);
    if (timeoutMs < 0) {
        d->doneCondition.wait(lock, [this] { return d->done; });
        return true;
    }
    return d->doneCondition.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                             [this] { return d->done; });
}

QThreadPool *JobRunner::pool()
{
    static QThreadPool *instance = [] {
        auto *p = new QThreadPool; // lives for the process; Qt joins its threads at exit
        p->setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
        p->setObjectName(QStringLiteral("baton-jobs"));
        return p;
    }();
    return instance;
}

void JobRunner::setMaxThreads(int threads)
{
    pool()->setMaxThreadCount(std::max(1, threads));
    qCInfo(lcJobs) << "job threads:" << pool()->maxThreadCount();
}

void JobRunner::markDone(const JobToken &token)
{
    {
        std::lock_guard lock(token.d->mutex);
        token.d->done = true;
    }
    token.d->doneCondition.notify_all();
}

} // namespace baton
