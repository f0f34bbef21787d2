#include "MappedFile.h"

#ifdef Q_OS_UNIX
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <thread>

namespace baton::csv {

#ifdef Q_OS_UNIX
namespace {

// One slot per live MappedFile. The signal handler reads them, so they hold lock-free atomics
// only; a handful is plenty (the reader maps one file at a time per job). `version` is odd while
// begin/end change, so a handler never acts on half of an old view and half of a new one;
// `inFlight` counts handlers looking at the slot, which unmap() waits out before munmap.
struct Guard
{
    std::atomic<bool> taken{false};
    std::atomic<uint32_t> version{0};
    std::atomic<int> inFlight{0};
    std::atomic<uintptr_t> begin{0}; // 0 while the slot guards nothing
    std::atomic<uintptr_t> end{0};   // the mapping's end, rounded up to a page
    std::atomic<qint64> truncatedAt{-1};
};
static_assert(std::atomic<uint32_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free
              && std::atomic<uintptr_t>::is_always_lock_free && std::atomic<qint64>::is_always_lock_free);

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

// Zero pages from the missing one to the end of the guarded view holding `address`, if any: the
// faulting read then completes when the handler returns. mmap is a plain system call on Linux,
// safe here though POSIX does not list it as async-signal-safe.
bool replaceLostPages(uintptr_t address)
{
    for (Guard &guard : guards) {
        guard.inFlight.fetch_add(1);
        const uint32_t version = guard.version.load();
        const uintptr_t begin = guard.begin.load();
        const uintptr_t end = guard.end.load();
        const bool stable = version % 2 == 0 && guard.version.load() == version;
        bool replaced = false;
        if (stable && begin != 0 && address >= begin && address < end) {
            const uintptr_t page = address & ~(pageBytes - 1);
            replaced = ::mmap(reinterpret_cast<void *>(page), end - page, PROT_READ,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                       != MAP_FAILED;
            if (replaced)
                keepLowest(guard.truncatedAt, qint64(page - begin));
        }
        guard.inFlight.fetch_sub(1);
        if (replaced)
            return true;
    }
    return false;
}

// A SIGBUS that is not a guarded view's lost page goes where it would have gone without the guard,
// which stays installed for the views to come.
void passOn(int signal, siginfo_t *info, void *context)
{
    const struct sigaction &previous = previousBusAction;
    const bool fault = info->si_code > 0; // raised by the CPU, not sent by kill() or raise()
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        if (previous.sa_flags & SA_SIGINFO)
            previous.sa_sigaction(signal, info, context);
        else
            previous.sa_handler(signal);
        return;
    }
    if (previous.sa_handler == SIG_IGN && !fault)
        return;
    // The default action (a fault cannot be ignored): the fault recurs on return, a sent signal
    // is raised again, and either ends the process as it would have.
    struct sigaction byDefault = {};
    byDefault.sa_handler = SIG_DFL;
    sigemptyset(&byDefault.sa_mask);
    ::sigaction(SIGBUS, &byDefault, nullptr);
    if (!fault)
        ::raise(SIGBUS);
}

void onBusError(int signal, siginfo_t *info, void *context)
{
    const int savedErrno = errno;
    // BUS_ADRERR: an access past the end of a mapped file; nothing else is a truncation.
    if (info->si_code != BUS_ADRERR || !replaceLostPages(reinterpret_cast<uintptr_t>(info->si_addr)))
        passOn(signal, info, context);
    errno = savedErrno;
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

void MappedFile::prefault(qint64 offset, qint64 length) const
{
    const auto begin = uintptr_t(m_data + offset) & ~(pageBytes - 1);
    const auto end = uintptr_t(m_data + std::min(m_size, offset + length));
    if (m_data && end > begin)
        ::madvise(reinterpret_cast<void *>(begin), end - begin, MADV_POPULATE_READ);
}

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
    guard.version.fetch_add(1); // odd: changing
    guard.truncatedAt.store(-1);
    guard.end.store(uintptr_t(view) + uintptr_t(m_mappedBytes));
    guard.begin.store(uintptr_t(view));
    guard.version.fetch_add(1); // even: the slot guards this view
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
    guard.version.fetch_add(1);
    guard.begin.store(0);
    while (guard.inFlight.load() != 0) // a handler that saw the view before it went
        std::this_thread::yield();
    ::munmap(const_cast<char *>(m_data), size_t(m_mappedBytes));
    guard.end.store(0);
    guard.version.fetch_add(1);
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
