#pragma once

// Large buffers about to be filled ask for transparent huge pages: the kernel then maps them
// 2 MB at a time instead of taking a page fault per 4 KB, which otherwise costs the CSV reader
// about a fifth of its time (file bytes, per-chunk columns, final columns), and spares the
// profiler's radix sorts a TLB miss per scattered item. Only a hint: where huge pages are
// unsupported or disabled nothing changes. Internal to core/data.

#include <cstddef>
#include <cstdint>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace baton::csv {

inline void adviseHugePages(const void *data, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr uintptr_t hugePage = uintptr_t(2) << 20;
    const auto first = (uintptr_t(data) + hugePage - 1) & ~(hugePage - 1);
    const auto last = (uintptr_t(data) + bytes) & ~(hugePage - 1);
    if (last > first)
        madvise(reinterpret_cast<void *>(first), last - first, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

// v.reserve(n), with the new storage advised before anything touches it.
template<typename T>
void reserveAdvised(std::vector<T> &v, size_t n)
{
    if (n <= v.capacity())
        return;
    v.reserve(n);
    adviseHugePages(v.data() + v.size(), (n - v.size()) * sizeof(T));
}

} // namespace baton::csv
