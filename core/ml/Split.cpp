#include "Split.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

namespace baton {

namespace {

// Fisher-Yates with our own index draw: std::shuffle's algorithm is implementation-defined.
void shuffleDeterministic(std::vector<int64_t> &values, std::mt19937_64 &rng)
{
    for (size_t i = values.size(); i > 1; --i) {
        const size_t j = size_t(rng() % i);
        std::swap(values[i - 1], values[j]);
    }
}

std::map<int, std::vector<int64_t>> groupsOf(const std::vector<int64_t> &rows,
                                             const std::vector<int> &labels)
{
    std::map<int, std::vector<int64_t>> groups;
    for (int64_t row : rows)
        groups[labels.empty() ? 0 : labels[size_t(row)]].push_back(row);
    return groups;
}

} // namespace

DataSplit splitTrainTest(int64_t rows, double testFraction, uint64_t seed,
                         const std::vector<int> &labels)
{
    std::vector<int64_t> all(static_cast<size_t>(rows));
    std::iota(all.begin(), all.end(), 0);
    std::mt19937_64 rng(seed);
    DataSplit split;
    for (auto &[label, members] : groupsOf(all, labels)) {
        shuffleDeterministic(members, rng);
        // every class keeps at least one training row
        auto testCount = size_t(std::llround(double(members.size()) * testFraction));
        testCount = std::min(testCount, members.size() > 1 ? members.size() - 1 : 0);
        split.test.insert(split.test.end(), members.begin(), members.begin() + std::ptrdiff_t(testCount));
        split.train.insert(split.train.end(), members.begin() + std::ptrdiff_t(testCount), members.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.test.begin(), split.test.end());
    return split;
}

std::vector<int> assignFolds(const std::vector<int64_t> &rows, int folds, uint64_t seed,
                             const std::vector<int> &labels)
{
    std::map<int64_t, size_t> position;
    for (size_t i = 0; i < rows.size(); ++i)
        position[rows[i]] = i;
    std::vector<int> fold(rows.size(), 0);
    std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
    int next = 0;
    for (auto &[label, members] : groupsOf(rows, labels)) {
        shuffleDeterministic(members, rng);
        // deal members round-robin, continuing across classes so fold sizes stay balanced
        for (int64_t row : members) {
            fold[position[row]] = next;
            next = (next + 1) % folds;
        }
    }
    return fold;
}

} // namespace baton
