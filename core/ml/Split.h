#pragma once

#include <cstdint>
#include <vector>

namespace baton {

// Row indices of a held-out test split and of k cross-validation folds over the training rows.
// Stratified when class labels are given; deterministic for a seed (std::mt19937_64, so the same
// on every platform and in the notebook's record of the split).
struct DataSplit
{
    std::vector<int64_t> train;
    std::vector<int64_t> test;
};

// `labels` (class index per row, or empty for regression) stratifies the split.
DataSplit splitTrainTest(int64_t rows, double testFraction, uint64_t seed,
                         const std::vector<int> &labels = {});

// Fold number (0..k-1) for each position in `rows`; stratified when labels (indexed by row) are given.
std::vector<int> assignFolds(const std::vector<int64_t> &rows, int folds, uint64_t seed,
                             const std::vector<int> &labels = {});

} // namespace baton
