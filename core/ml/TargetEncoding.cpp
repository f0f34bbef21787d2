#include "TargetEncoding.h"

#include <algorithm>

namespace baton {

CategoryEncoding fitEncoding(const EncodingInput &input, double smoothing,
                             const std::vector<uint8_t> *useRow)
{
    const size_t k = input.outputs;
    std::vector<double> sums(size_t(input.categories) * k, 0.0);
    std::vector<double> counts(size_t(input.categories), 0.0);
    std::vector<double> total(k, 0.0);
    double rows = 0;
    for (size_t i = 0; i < input.codes.size(); ++i) {
        if (useRow && !(*useRow)[i])
            continue;
        const double *target = input.targets.data() + i * k;
        // every used row informs the prior, also one whose category is missing
        for (size_t o = 0; o < k; ++o)
            total[o] += target[o];
        ++rows;
        const int code = input.codes[i];
        if (code < 0)
            continue;
        counts[size_t(code)] += 1;
        for (size_t o = 0; o < k; ++o)
            sums[size_t(code) * k + o] += target[o];
    }
    CategoryEncoding out;
    out.prior.resize(k, 0.0);
    for (size_t o = 0; o < k; ++o)
        out.prior[o] = rows > 0 ? total[o] / rows : 0.0;
    out.values.resize(sums.size());
    for (size_t c = 0; c < counts.size(); ++c) {
        for (size_t o = 0; o < k; ++o)
            out.values[c * k + o] = (sums[c * k + o] + smoothing * out.prior[o]) / (counts[c] + smoothing);
    }
    return out;
}

std::vector<double> applyEncoding(const CategoryEncoding &encoding, const std::vector<int> &codes,
                                  size_t outputs)
{
    std::vector<double> out(codes.size() * outputs);
    for (size_t i = 0; i < codes.size(); ++i) {
        const double *source = codes[i] >= 0 ? encoding.values.data() + size_t(codes[i]) * outputs
                                             : encoding.prior.data();
        std::copy_n(source, outputs, out.begin() + std::ptrdiff_t(i * outputs));
    }
    return out;
}

std::vector<double> outOfFoldEncoding(const EncodingInput &input, const std::vector<int> &fold,
                                      int folds, double smoothing)
{
    const size_t k = input.outputs;
    std::vector<double> out(input.codes.size() * k);
    std::vector<uint8_t> otherFolds(input.codes.size());
    for (int f = 0; f < folds; ++f) {
        for (size_t i = 0; i < fold.size(); ++i)
            otherFolds[i] = fold[i] != f;
        const CategoryEncoding encoding = fitEncoding(input, smoothing, &otherFolds);
        for (size_t i = 0; i < fold.size(); ++i) {
            if (fold[i] != f)
                continue;
            const int code = input.codes[i];
            const double *source = code >= 0 ? encoding.values.data() + size_t(code) * k
                                             : encoding.prior.data();
            std::copy_n(source, k, out.begin() + std::ptrdiff_t(i * k));
        }
    }
    return out;
}

} // namespace baton
