#pragma once

// Small helpers shared by the tests: handlers built from lambdas and an event recorder.

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"

#include <QObject>

#include <functional>
#include <thread>
#include <vector>

namespace baton::test {

class FunctionHandler : public StageHandler
{
public:
    explicit FunctionHandler(std::function<StageOutcome(StageContext &)> fn) : m_fn(std::move(fn)) {}
    StageOutcome run(StageContext &context) override { return m_fn(context); }

private:
    std::function<StageOutcome(StageContext &)> m_fn;
};

inline std::shared_ptr<StageHandler> waitingHandler(const QString &summary = QStringLiteral("ready"))
{
    return std::make_shared<FunctionHandler>([summary](StageContext &ctx) {
        return StageOutcome::waiting(QStringLiteral("%1: %2").arg(stageName(ctx.stage()), summary),
                                     {QStringLiteral("Confirm")});
    });
}

// Runs until cancelled or stopped (10 s safety net so a broken test cannot hang ctest).
inline std::shared_ptr<StageHandler> loopingHandler(std::atomic<bool> *sawCancel = nullptr)
{
    return std::make_shared<FunctionHandler>([sawCancel](StageContext &ctx) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        int step = 0;
        while (!ctx.isStopRequested() && std::chrono::steady_clock::now() < deadline) {
            ctx.emitEvent(events::TrainProgress, {{"step", ++step}});
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        if (sawCancel)
            *sawCancel = ctx.isCancelled();
        return StageOutcome::waiting(QStringLiteral("stopped after %1 steps").arg(step), {});
    });
}

inline void installEverywhere(Conductor &conductor, const std::shared_ptr<StageHandler> &handler)
{
    for (StageId id : kAllStages)
        conductor.setHandler(id, handler);
}

// Records every delivered event.
class EventRecorder : public QObject
{
public:
    explicit EventRecorder(Conductor *conductor)
    {
        connect(conductor, &Conductor::eventPublished, this,
                [this](const Event &event) { events.push_back(event); });
    }

    std::vector<Event> named(const char *name) const
    {
        std::vector<Event> out;
        for (const Event &e : events) {
            if (e.name == QLatin1String(name))
                out.push_back(e);
        }
        return out;
    }

    // "STAGE:STATUS" for every STAGE_STATUS, in order.
    QStringList stageStatuses() const
    {
        QStringList out;
        for (const Event &e : named(events::StageStatus)) {
            out << QStringLiteral("%1:%2").arg(stringField(e.payload, "stage_id"),
                                               stringField(e.payload, "status"));
        }
        return out;
    }

    bool sawStatus(StageId stage, StageStatus status) const
    {
        return stageStatuses().contains(
            QStringLiteral("%1:%2").arg(stageName(stage), statusName(status)));
    }

    std::vector<Event> events;
};

} // namespace baton::test
