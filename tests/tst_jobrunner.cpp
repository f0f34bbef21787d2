#include "core/jobs/JobRunner.h"

#include <QtTest>

#include <stdexcept>
#include <thread>

using namespace baton;

class TestJobRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resultArrivesOnReceiverThread();
    void exceptionBecomesError();
    void cancellationIsCooperative();
    void stopIsSeparateFromCancel();
    void poolLeavesACoreForTheGui();
    void defaultHandleIsNotRunning();
};

void TestJobRunner::resultArrivesOnReceiverThread()
{
    QObject receiver;
    std::optional<int> got;
    QThread *deliveredOn = nullptr;
    QThread *workedOn = nullptr;
    const auto handle = JobRunner::start<int>(
        [&](const JobToken &) -> Result<int> {
            workedOn = QThread::currentThread();
            return 42;
        },
        &receiver,
        [&](Result<int> r) {
            deliveredOn = QThread::currentThread();
            got = r.value();
        });
    QTRY_VERIFY(got.has_value());
    QCOMPARE(*got, 42);
    QCOMPARE(deliveredOn, QThread::currentThread());
    QVERIFY(workedOn != QThread::currentThread());
    QVERIFY(handle.wait(1000));
    QVERIFY(!handle.isRunning());
}

void TestJobRunner::exceptionBecomesError()
{
    QObject receiver;
    std::optional<Error> error;
    JobRunner::start<int>([](const JobToken &) -> Result<int> { throw std::runtime_error("boom"); },
                          &receiver, [&](Result<int> r) {
                              QVERIFY(!r.ok());
                              error = r.error();
                          });
    QTRY_VERIFY(error.has_value());
    QCOMPARE(error->kind, ErrorKind::Internal);
    QVERIFY(error->message.contains(QLatin1String("boom")));
}

void TestJobRunner::cancellationIsCooperative()
{
    QObject receiver;
    std::atomic<int> iterations{0};
    std::optional<Error> error;
    const auto handle = JobRunner::start<int>(
        [&](const JobToken &token) -> Result<int> {
            const QDeadlineTimer safety(10000);
            while (!token.isCancelled() && !safety.hasExpired()) {
                ++iterations;
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            if (token.isCancelled())
                return makeError(ErrorKind::Cancelled, QStringLiteral("test.cancelled"), QStringLiteral("cancelled"));
            return 0;
        },
        &receiver, [&](Result<int> r) { error = r.ok() ? std::nullopt : std::optional(r.error()); });
    QTRY_VERIFY(iterations > 0);
    QVERIFY(handle.isRunning());
    handle.cancel();
    QVERIFY(handle.wait(5000));
    QTRY_VERIFY(error.has_value());
    QCOMPARE(error->kind, ErrorKind::Cancelled);
}

void TestJobRunner::stopIsSeparateFromCancel()
{
    QObject receiver;
    std::optional<int> result;
    std::atomic<bool> started{false};
    const auto handle = JobRunner::start<int>(
        [&](const JobToken &token) -> Result<int> {
            started = true;
            const QDeadlineTimer safety(10000);
            while (!token.isStopRequested() && !safety.hasExpired())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return token.isCancelled() ? -1 : 7; // stop keeps the result
        },
        &receiver, [&](Result<int> r) { result = r.value(); });
    QTRY_VERIFY(started.load());
    handle.requestStop();
    QTRY_VERIFY(result.has_value());
    QCOMPARE(*result, 7);
}

void TestJobRunner::poolLeavesACoreForTheGui()
{
    const int ideal = QThread::idealThreadCount();
    QCOMPARE(JobRunner::pool()->maxThreadCount(), std::max(1, ideal - 1));
}

void TestJobRunner::defaultHandleIsNotRunning()
{
    const JobHandle handle;
    QVERIFY(!handle.isRunning());
    QVERIFY(handle.wait(0));
    handle.cancel(); // harmless
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
