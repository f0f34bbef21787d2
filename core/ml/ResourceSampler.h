#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace baton {

// Samples this process's CPU use and resident memory once a second on its own thread and
// hands them to a callback (RESOURCE_STATS); stops when destroyed.
class ResourceSampler
{
public:
    using Callback = std::function<void(double cpuPercent, double rssMb)>;
    explicit ResourceSampler(Callback callback, int intervalMs = 1000);
    ~ResourceSampler();

    // Current resident set size in MB (also used for peak-memory reports).
    static double residentMb();
    // CPU time (user + system) of this process in seconds.
    static double cpuSeconds();

private:
    void loop();

    Callback m_callback;
    int m_intervalMs;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace baton
