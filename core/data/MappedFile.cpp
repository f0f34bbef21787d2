#include "MappedFile.h"

#ifdef Q_OS_UNIX
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <atomic>
#include <cstdint>

namespace baton::csv {

#ifdef Q_OS_UNIX
namespace {

// One slot per live MappedFile. The signal handler reads them, so they hold lock-free atomics
// only; a handful is plenty (the reader maps one file at a time per job).
struct Guard
{
    std::atomic<bool> taken{false};
    std::atomic<uintptr_t> begin{0}; // 0 while the slot guards nothing
    std::atomic<uintptr_t> end{0};   // the mapping's end, rounded up to a page
    std::atomic<qint64> truncatedAt{-1};
};

constexpr int kGuards = 16;
Guard guards[kGuards];
struct sigaction previousBusAction;
uintptr_t pageBytes = 4096;

void keepLowest(std::atomic<qint64> &value, qint64 candidate)
{
    qint64 seen = value.load();
    while ((seen < 0 || candidate < seen) && !value.compare_exchange_weak(seen, candidate)) {
    }
}

void onBusError(int, siginfo_t *info, void *)
{
    const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
    for (Guard &guard : guards) {
        const uintptr_t begin = guard.begin.load(std::memory_order_acquire);
        const uintptr_t end = guard.end.load(std::memory_order_acquire);
        if (begin == 0 || address < begin || address >= end)
            continue;
        // Zero pages from the missing one to the end: the faulting read then completes when the
        // handler returns. mmap is a plain system call on Linux, safe here though POSIX does not
        // list it as async-signal-safe.
        const uintptr_t page = address & ~(pageBytes - 1);
        void *zeros = ::mmap(reinterpret_cast<void *>(page), end - page, PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (zeros == MAP_FAILED)
            break;
        keepLowest(guard.truncatedAt, qint64(page - begin));
        return;
    }
    // Not a guarded view: put the previous disposition back; it takes the fault when the
    // instruction runs again on return (by default, ending the process as it would have).
    ::sigaction(SIGBUS, &previousBusAction, nullptr);
}

bool guardInstalled()
{
    static const bool installed = [] {
        pageBytes = uintptr_t(::sysconf(_SC_PAGESIZE));
        struct sigaction action = {};
        action.sa_sigaction = onBusError;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        return ::sigaction(SIGBUS, &action, &previousBusAction) == 0;
    }();
    return installed;
}

int claimGuard()
{
    for (int k = 0; k < kGuards; ++k) {
        if (!guards[k].taken.exchange(true))
            return k;
    }
    return -1;
}

} // namespace

bool MappedFile::map(int fd, qint64 size)
{
    unmap();
    if (fd < 0 || size <= 0 || !guardInstalled())
        return false;
    const int slot = claimGuard();
    if (slot < 0)
        return false;
    void *view = ::mmap(nullptr, size_t(size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (view == MAP_FAILED) {
        guards[slot].taken.store(false);
        return false;
    }
    // Starts reading a file that is not cached yet ahead of the parse; cheap when it is.
    ::madvise(view, size_t(size), MADV_WILLNEED);

    m_data = static_cast<const char *>(view);
    m_size = size;
    m_mappedBytes = qint64((uintptr_t(size) + pageBytes - 1) & ~(pageBytes - 1));
    m_guard = slot;
    Guard &guard = guards[slot];
    guard.truncatedAt.store(-1);
    guard.end.store(uintptr_t(view) + uintptr_t(m_mappedBytes), std::memory_order_release);
    guard.begin.store(uintptr_t(view), std::memory_order_release); // last: the slot is live
    return true;
}

qint64 MappedFile::truncatedAt() const
{
    return m_guard < 0 ? -1 : guards[m_guard].truncatedAt.load();
}

void MappedFile::unmap()
{
    if (m_guard < 0)
        return;
    Guard &guard = guards[m_guard];
    guard.begin.store(0, std::memory_order_release);
    ::munmap(const_cast<char *>(m_data), size_t(m_mappedBytes));
    guard.end.store(0);
    guard.taken.store(false);
    m_data = nullptr;
    m_size = m_mappedBytes = 0;
    m_guard = -1;
}

#else

bool MappedFile::map(int, qint64)
{
    return false;
}

qint64 MappedFile::truncatedAt() const
{
    return -1;
}

void MappedFile::unmap() {}

#endif

MappedFile::~MappedFile()
{
    unmap();
}

} // namespace baton::csv
