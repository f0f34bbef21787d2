#pragma once

// Large buffers about to be filled ask for transparent huge pages: the kernel then maps them
// 2 MB at a time instead of taking a page fault per 4 KB, which otherwise costs the CSV reader
// about a fifth of its time (file bytes, per-chunk columns, final columns), and spares the
// profiler's radix sorts a TLB miss per scattered item. Only a hint: where huge pages are
// unsupported or disabled nothing changes. Internal to core/data.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace baton::csv {

constexpr size_t kHugePageBytes = size_t(2) << 20;

// The pages of [data, data + bytes) are asked to be huge. Only whole 2 MB-aligned ranges inside
// one mapping can be; see reserveAdvised() for blocks that are such ranges from end to end.
inline void adviseHugePages(const void *data, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr uintptr_t page = 4096;
    const auto first = uintptr_t(data) & ~(page - 1);
    const auto last = (uintptr_t(data) + bytes + page - 1) & ~(page - 1);
    if (last <= first)
        return;
    madvise(reinterpret_cast<void *>(first), last - first, MADV_HUGEPAGE);
    // A block starting on a 2 MB boundary already has malloc's header written in its first page,
    // which would keep its first 2 MB in small pages: made huge now, while it holds one page.
    // (MADV_COLLAPSE, Linux 6.1; glibc 2.36 does not name it, older kernels refuse it.)
    constexpr int madvCollapse = 25;
    if ((first & (kHugePageBytes - 1)) == 0 && last - first >= kHugePageBytes)
        madvise(reinterpret_cast<void *>(first), kHugePageBytes, madvCollapse);
#else
    (void)data;
    (void)bytes;
#endif
}

// v.reserve(n), with the new storage advised before anything touches it. A block of 2 MB or more
// is rounded up to whole huge pages (less malloc's header): glibc serves it with an mmap of that
// length, which the kernel places on a 2 MB boundary, so every page of it can be huge. Otherwise
// the unaligned first and last 2 MB would take a page fault per 4 KB (~3 µs each on these VMs).
template<typename T>
void reserveAdvised(std::vector<T> &v, size_t n)
{
    if (n <= v.capacity())
        return;
    constexpr size_t mallocHeader = 64; // glibc needs 16; the rest is margin
    if (n * sizeof(T) >= kHugePageBytes) {
        const size_t block = (n * sizeof(T) + mallocHeader + kHugePageBytes - 1)
                             & ~(kHugePageBytes - 1);
        n = (block - mallocHeader) / sizeof(T);
    }
    // Advised before the elements move in: pages touched first are mapped small for good.
    std::vector<T> storage;
    storage.reserve(n);
    adviseHugePages(storage.data(), storage.capacity() * sizeof(T));
    storage.insert(storage.end(), std::make_move_iterator(v.begin()),
                   std::make_move_iterator(v.end()));
    v.swap(storage);
}

} // namespace baton::csv
