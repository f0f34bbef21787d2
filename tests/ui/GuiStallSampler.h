#pragma once

// Finds what the GUI thread is doing when it stalls: a watchdog thread notices the GUI thread's
// heartbeat is late while it burns CPU, interrupts it with a signal and records its stack. The
// stacks are symbolised afterwards (addr2line) and summed by frame, so a test that sees a stall
// can say where it was. Linux only; a diagnostic, it changes nothing when there is no stall.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QStringList>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <execinfo.h>
#include <map>
#include <pthread.h>
#include <thread>
#include <vector>

namespace baton::test {

class GuiStallSampler
{
public:
    static constexpr int kMaxFrames = 48;

    explicit GuiStallSampler(int lateAfterMs = 30)
        : m_lateAfterNs(qint64(lateAfterMs) * 1000000)
    {
        void *warmUp[1];
        ::backtrace(warmUp, 1); // loads the unwinder now, not inside the signal handler
        s_self = this;
        struct sigaction action = {};
        action.sa_handler = &GuiStallSampler::onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGUSR2, &action, &m_previous);
        m_gui = pthread_self();
        pthread_getcpuclockid(m_gui, &m_guiCpuClock);
        m_beat.setInterval(2);
        QObject::connect(&m_beat, &QTimer::timeout, [this] { m_lastBeatNs = nowNs(); });
    }
    ~GuiStallSampler()
    {
        stop();
        sigaction(SIGUSR2, &m_previous, nullptr);
        s_self = nullptr;
    }

    void start()
    {
        m_lastBeatNs = nowNs();
        m_beat.start();
        m_running = true;
        m_watchdog = std::thread([this] { watch(); });
    }
    void stop()
    {
        if (!m_running)
            return;
        m_running = false;
        m_watchdog.join();
        m_beat.stop();
    }

    int sampleCount() const { return int(m_samples.size()); }

    // The frames seen most often in the stall samples ("count  function at file:line"), from
    // the innermost frames outwards; `top` lines at most.
    QStringList report(int top = 40) const
    {
        std::map<void *, int> hits;
        for (const Sample &s : m_samples) {
            for (int i = 0; i < s.depth; ++i)
                ++hits[s.frames[i]];
        }
        QHash<void *, QString> names = symbolise(hits);
        std::vector<std::pair<int, QString>> rows;
        QHash<QString, int> byName;
        for (const auto &[address, count] : hits)
            byName[names.value(address)] += count;
        for (auto it = byName.cbegin(); it != byName.cend(); ++it)
            rows.emplace_back(it.value(), it.key());
        std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        QStringList out;
        out << QStringLiteral("%1 stall samples").arg(m_samples.size());
        for (size_t i = 0; i < rows.size() && int(i) < top; ++i)
            out << QStringLiteral("%1  %2").arg(rows[i].first, 5).arg(rows[i].second);
        return out;
    }

private:
    struct Sample
    {
        void *frames[kMaxFrames];
        int depth = 0;
    };

    static qint64 nowNs()
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
    qint64 guiCpuNs() const
    {
        timespec ts{};
        clock_gettime(m_guiCpuClock, &ts);
        return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }

    static void onSignal(int)
    {
        GuiStallSampler *self = s_self;
        if (!self)
            return;
        Sample &s = self->m_pending;
        s.depth = ::backtrace(s.frames, kMaxFrames);
        self->m_captured.store(true, std::memory_order_release);
    }

    void watch()
    {
        qint64 lastCpu = guiCpuNs();
        while (m_running) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            const qint64 cpu = guiCpuNs();
            const bool burning = cpu - lastCpu > 2000000; // > 2 ms of CPU in the last 5 ms
            lastCpu = cpu;
            const qint64 late = nowNs() - m_lastBeatNs.load();
            if (late < m_lateAfterNs || !burning)
                continue;
            m_captured = false;
            pthread_kill(m_gui, SIGUSR2);
            for (int i = 0; i < 200 && !m_captured.load(std::memory_order_acquire); ++i)
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            if (m_captured)
                m_samples.push_back(m_pending);
        }
    }

    static QHash<void *, QString> symbolise(const std::map<void *, int> &addresses)
    {
        QHash<void *, QString> out;
        std::vector<void *> list;
        for (const auto &[a, n] : addresses)
            list.push_back(a);
        char **symbols = ::backtrace_symbols(list.data(), int(list.size()));
        // "module(+0xoffset) [0xaddr]" or "module(symbol+0x..) [..]": resolve module offsets with addr2line
        QHash<QString, QList<QPair<void *, QString>>> byModule;
        for (size_t i = 0; i < list.size(); ++i) {
            const QString text = QString::fromLocal8Bit(symbols[i]);
            out[list[i]] = text;
            const int open = text.indexOf(QLatin1Char('(')), plus = text.indexOf(QLatin1String("(+0x"));
            if (open > 0 && plus == open)
                byModule[text.left(open)].append({list[i], text.mid(plus + 2, text.indexOf(QLatin1Char(')')) - plus - 2)});
        }
        ::free(symbols);
        for (auto it = byModule.cbegin(); it != byModule.cend(); ++it) {
            QStringList args = {QStringLiteral("-f"), QStringLiteral("-C"), QStringLiteral("-s"), QStringLiteral("-e"), it.key()};
            for (const auto &[address, offset] : it.value())
                args << offset;
            QProcess addr2line;
            addr2line.start(QStringLiteral("addr2line"), args);
            addr2line.waitForFinished(60000);
            const QStringList lines = QString::fromLocal8Bit(addr2line.readAllStandardOutput()).split(QLatin1Char('\n'));
            for (int i = 0; i < it.value().size() && 2 * i + 1 < lines.size(); ++i)
                out[it.value()[i].first] = QStringLiteral("%1 at %2").arg(lines[2 * i], lines[2 * i + 1]);
        }
        return out;
    }

    inline static GuiStallSampler *s_self = nullptr;
    qint64 m_lateAfterNs;
    pthread_t m_gui;
    clockid_t m_guiCpuClock{};
    struct sigaction m_previous = {};
    QTimer m_beat;
    std::atomic<qint64> m_lastBeatNs{0};
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_captured{false};
    Sample m_pending;
    std::vector<Sample> m_samples;
    std::thread m_watchdog;
};

} // namespace baton::test
