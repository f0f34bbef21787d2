// How much does storing every event cost the thread that emits it (a training loop)?
// Publishes N METRIC_SCALAR events from a worker thread into a Conductor without a store and
// into one with a project store (SQLite WAL, group commit), and reports the emitting thread's
// time per event and the time until every event was committed and delivered.
//
// Usage: bench_eventlog [events]   (default 200000)

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "core/project/ProjectStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <thread>

using namespace baton;

namespace {

struct Timing
{
    double emitSeconds = 0;
    double deliveredSeconds = 0;
};

Timing measure(Conductor &conductor, int events)
{
    qint64 delivered = 0;
    QObject::connect(&conductor, &Conductor::eventPublished, [&](const Event &) { ++delivered; });
    QElapsedTimer total;
    total.start();
    double emitSeconds = 0;
    std::thread producer([&] {
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < events; ++i) {
            conductor.publish(StageId::Train, StageStatus::InProgress, events::MetricScalar,
                              {{"run_id", "run_bench"}, {"name", "rmse"}, {"split", "valid"},
                               {"step", i}, {"value", 1.0 / (i + 1)}});
        }
        emitSeconds = double(t.nsecsElapsed()) / 1e9;
    });
    producer.join();
    conductor.flushEvents();
    while (delivered < events)
        QCoreApplication::processEvents();
    return {emitSeconds, double(total.nsecsElapsed()) / 1e9};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::atoi(argv[1]) : 200000;

    Conductor memory(QStringLiteral("bench"));
    const Timing a = measure(memory, events);

    QTemporaryDir dir;
    auto store = ProjectStore::open(dir.path(), QStringLiteral("bench"));
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error().toString()));
        return 1;
    }
    Timing b;
    {
        Conductor stored(store.value().get());
        b = measure(stored, events);
    }
    std::printf("| conductor | emit (s) | per event (us) | all delivered (s) | events/s delivered |\n");
    std::printf("|---|---|---|---|---|\n");
    std::printf("| in memory | %.3f | %.2f | %.3f | %.0f |\n", a.emitSeconds, 1e6 * a.emitSeconds / events,
                a.deliveredSeconds, events / a.deliveredSeconds);
    std::printf("| with store | %.3f | %.2f | %.3f | %.0f |\n", b.emitSeconds, 1e6 * b.emitSeconds / events,
                b.deliveredSeconds, events / b.deliveredSeconds);
    std::printf("\nemitting-thread cost of storing: %.2fx; %d events\n", b.emitSeconds / a.emitSeconds, events);
    return 0;
}
