#pragma once

// LSD radix sort for the profiler's large numeric sorts (a million doubles, or (value, payload)
// pairs): a few linear passes instead of n·log n comparisons, several times faster than
// std::sort at that size.

#include "core/data/HugePages.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace baton {

// Maps a double onto an unsigned integer with the same order (NaN excluded): negative numbers
// get all bits flipped, the others just the sign bit. -0.0 sorts right before 0.0.
inline uint64_t orderedBits(double value)
{
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits >> 63) ? ~bits : (bits | (uint64_t(1) << 63));
}

// Sorts items by key(item) (uint64_t), stably. 11 bits per pass; a pass in which every key has
// the same digit (the zero low bits of integral doubles, the high bits of small ranges) is skipped.
template<typename T, typename KeyOf>
void radixSort(std::vector<T> &items, KeyOf keyOf)
{
    constexpr int kBits = 11;
    constexpr int kPasses = (64 + kBits - 1) / kBits;
    constexpr size_t kBuckets = size_t(1) << kBits;
    const size_t n = items.size();
    if (n < 512) {
        std::stable_sort(items.begin(), items.end(),
                         [&](const T &a, const T &b) { return keyOf(a) < keyOf(b); });
        return;
    }
    std::vector<std::array<size_t, kBuckets>> counts(kPasses);
    for (auto &c : counts)
        c.fill(0);
    for (const T &item : items) {
        const uint64_t key = keyOf(item);
        for (int p = 0; p < kPasses; ++p)
            ++counts[size_t(p)][(key >> (p * kBits)) & (kBuckets - 1)];
    }
    // Each pass scatters into 2048 places at once: with 4 KB pages that is a TLB miss per item,
    // so the buffer asks for huge pages before it is touched (see HugePages.h).
    std::vector<T> buffer;
    csv::reserveAdvised(buffer, n);
    buffer.resize(n);
    T *from = items.data();
    T *to = buffer.data();
    for (int p = 0; p < kPasses; ++p) {
        auto &count = counts[size_t(p)];
        if (std::find(count.begin(), count.end(), n) != count.end())
            continue; // every key has the same digit here
        size_t offset = 0;
        for (size_t &c : count) {
            const size_t k = c;
            c = offset;
            offset += k;
        }
        const int shift = p * kBits;
        for (size_t i = 0; i < n; ++i) {
            const T &item = from[i];
            to[count[(keyOf(item) >> shift) & (kBuckets - 1)]++] = item;
        }
        std::swap(from, to);
    }
    if (from != items.data())
        std::copy(from, from + n, items.data());
}

} // namespace baton
