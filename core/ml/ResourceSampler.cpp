#include "ResourceSampler.h"

#include <QFile>

#include <chrono>
#include <unistd.h>

namespace baton {

ResourceSampler::ResourceSampler(Callback callback, int intervalMs)
    : m_callback(std::move(callback))
    , m_intervalMs(intervalMs)
    , m_thread([this] { loop(); })
{}

ResourceSampler::~ResourceSampler()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

double ResourceSampler::residentMb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    if (fields.size() < 2)
        return 0;
    return fields[1].toDouble() * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double ResourceSampler::cpuSeconds()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // fields after the command name (which may hold spaces) start after the last ')'
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const double ticks = fields[11].toDouble() + fields[12].toDouble(); // utime, stime
    return ticks / double(sysconf(_SC_CLK_TCK));
}

void ResourceSampler::loop()
{
    using clock = std::chrono::steady_clock;
    auto lastWall = clock::now();
    double lastCpu = cpuSeconds();
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_stop; })) {
        const auto now = clock::now();
        const double cpu = cpuSeconds();
        const double wall = std::chrono::duration<double>(now - lastWall).count();
        const double percent = wall > 0 ? 100.0 * (cpu - lastCpu) / wall : 0.0;
        lastWall = now;
        lastCpu = cpu;
        lock.unlock();
        m_callback(percent, residentMb());
        lock.lock();
    }
}

} // namespace baton
