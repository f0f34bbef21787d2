#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace baton {

// Smoothed target encoding of one high-cardinality categorical column (the m-estimate of
// Micci-Barreca 2001, cross-fitted as scikit-learn's TargetEncoder does). A category's value per
// output is (sum of its targets + m * prior) / (count + m), so a rare category stays near the
// prior. Training rows get values fitted on the other folds only: a row's own target never
// shapes its own feature. Prediction uses the values fitted on every training row; an unseen
// category gets the prior.
struct TargetEncodingParams
{
    int folds = 5;
    double smoothing = 10; // m: how many rows' worth of prior each category starts with
    uint64_t seed = 42;
};

// Targets per row, row-major [rows x outputs]; `codes` gives each row's category (-1: none,
// the row does not count).
struct EncodingInput
{
    const std::vector<int> &codes;
    int categories = 0;
    const std::vector<double> &targets;
    size_t outputs = 1;
};

struct CategoryEncoding
{
    std::vector<double> values; // [categories x outputs]
    std::vector<double> prior;  // [outputs]
};

CategoryEncoding fitEncoding(const EncodingInput &input, double smoothing,
                             const std::vector<uint8_t> *useRow = nullptr);

// [rows x outputs]; rows with code -1 (unseen or missing) get the prior.
std::vector<double> applyEncoding(const CategoryEncoding &encoding, const std::vector<int> &codes,
                                  size_t outputs);

// [rows x outputs]: each row encoded by the fit on the rows of the other folds (`fold` per row,
// 0..folds-1). A category absent from those rows gets their prior.
std::vector<double> outOfFoldEncoding(const EncodingInput &input, const std::vector<int> &fold,
                                      int folds, double smoothing);

} // namespace baton
