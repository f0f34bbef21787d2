#pragma once

#include "core/common/Result.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace baton {

namespace detail {
struct JobState
{
    std::atomic<bool> cancelled{false};
    std::atomic<bool> stopRequested{false};
    std::mutex mutex;
    std::condition_variable doneCondition;
    bool done = false;
};
} // namespace detail

// What a running job sees: cooperative cancellation ("drop everything") and stop
// ("finish now and keep the best result so far"). Cheap to copy; thread-safe.
class JobToken
{
public:
    JobToken() : d(std::make_shared<detail::JobState>()) {}

    bool isCancelled() const { return d->cancelled.load(std::memory_order_relaxed); }
    bool isStopRequested() const
    {
        return isCancelled() || d->stopRequested.load(std::memory_order_relaxed);
    }

private:
    friend class JobHandle;
    friend class JobRunner;
    std::shared_ptr<detail::JobState> d;
};

// The owner's side of a job: cancel, stop, wait.
class JobHandle
{
public:
    JobHandle() = default;
    // Controls a token handed out elsewhere (e.g. work run synchronously with a token).
    explicit JobHandle(const JobToken &token) : d(token.d) {}

    void cancel() const;
    void requestStop() const;
    bool isRunning() const;
    // Waits until the job's work function returned; false on timeout. Not on the GUI thread
    // except at shutdown.
    bool wait(int timeoutMs = -1) const;
    bool isValid() const { return static_cast<bool>(d); }

private:
    std::shared_ptr<detail::JobState> d; // null until a job was started
};

// Runs work on a capped thread pool and hands the result back on the receiver's thread.
// Exceptions never escape a job: they become an Internal error.
class JobRunner
{
public:
    // The pool leaves one core to the GUI: max(1, ideal threads - 1) unless set otherwise.
    static QThreadPool *pool();
    static void setMaxThreads(int threads);

    template<typename T>
    static JobHandle start(std::function<Result<T>(const JobToken &)> work, QObject *receiver,
                           std::function<void(Result<T>)> onDone)
    {
        return start<T>(JobToken(), std::move(work), receiver, std::move(onDone));
    }

    // As above with a token the caller already handed to someone else (e.g. a StageContext).
    template<typename T>
    static JobHandle start(JobToken token, std::function<Result<T>(const JobToken &)> work,
                           QObject *receiver, std::function<void(Result<T>)> onDone)
    {
        QPointer<QObject> guard(receiver);
        pool()->start([token, work = std::move(work), guard, onDone = std::move(onDone)]() {
            Result<T> result = runCatching<T>(work, token);
            // Post before marking done: an owner that waits for the job and then dies takes
            // the posted call with it, and never sees a dangling one.
            if (guard) {
                QMetaObject::invokeMethod(
                    guard.data(),
                    [onDone, result = std::move(result)]() mutable { onDone(std::move(result)); },
                    Qt::QueuedConnection);
            }
            markDone(token);
        });
        return JobHandle(token);
    }

private:
    template<typename T>
    static Result<T> runCatching(const std::function<Result<T>(const JobToken &)> &work,
                                 const JobToken &token)
    {
        try {
            return work(token);
        } catch (const std::exception &e) {
            return makeError(ErrorKind::Internal, QStringLiteral("job.exception"),
                             QStringLiteral("Unexpected error: %1").arg(QString::fromUtf8(e.what())));
        } catch (...) {
            return makeError(ErrorKind::Internal, QStringLiteral("job.exception"),
                             QStringLiteral("Unexpected error of unknown type"));
        }
    }
    static void markDone(const JobToken &token);
};

} // namespace baton
