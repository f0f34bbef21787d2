#include "MemoryPlan.h"

#include <QLocale>

#include <algorithm>

namespace baton {

namespace {

// Our dense float feature matrices (tree and linear) hold every training row.
constexpr double kFeatureCellBytes = 4;
// One XGBoost DMatrix per cell: its copy of the values (8-byte sparse entries), its histogram
// index (1 to 4 bytes per value) and the dense subset we build to create it (4 bytes).
constexpr double kMatrixCellBytes = 16;
// Per row and matrix: label, prediction caches and gradient pairs per output.
constexpr double kMatrixRowBytes = 16;
constexpr double kMatrixRowBytesPerOutput = 12;
// Out-of-fold predictions kept for the ensemble (the pool of 12 plus the one being evaluated)
// and the greedy selection's two running buffers, in doubles.
constexpr double kOutOfFoldBuffers = 13 + 2;
constexpr double kUsableShare = 0.8;
constexpr size_t kMinSearchRows = 10000;

double matrixBytes(double rows, double columns, double outputs)
{
    return rows * (columns * kMatrixCellBytes + kMatrixRowBytes + kMatrixRowBytesPerOutput * outputs);
}

QString bytesText(double bytes)
{
    return QLocale::c().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeSIFormat);
}

} // namespace

double MemoryEstimate::peak() const
{
    // the fold matrices are released before the refit
    return features + outOfFold + std::max(searchMatrices, refit);
}

MemoryEstimate estimateMemory(const SearchShape &shape, size_t searchRows)
{
    const auto rows = double(shape.rows);
    const auto outputs = double(shape.outputs);
    MemoryEstimate e;
    e.features = rows * double(shape.treeColumns + shape.linearColumns) * kFeatureCellBytes;
    // every fold caches a train and a validation matrix that together cover the searched rows
    const double folds = double(std::max(1, shape.folds));
    e.searchMatrices = folds * (matrixBytes(double(searchRows), double(shape.treeColumns), outputs)
                                + matrixBytes(double(searchRows), double(shape.linearColumns), outputs));
    e.outOfFold = kOutOfFoldBuffers * rows * outputs * sizeof(double);
    const double widest = double(std::max(shape.treeColumns, shape.linearColumns));
    e.refit = matrixBytes(rows, widest, outputs);
    if (shape.labelledRows > shape.rows) {
        const auto labelled = double(shape.labelledRows);
        e.refitAllRows = e.features * (labelled / rows - 1.0) + matrixBytes(labelled, widest, outputs);
    }
    return e;
}

MemoryPlan planMemory(const SearchShape &shape, double availableBytes)
{
    MemoryPlan plan;
    plan.searchRows = shape.rows;
    const MemoryEstimate whole = estimateMemory(shape, shape.rows);
    plan.neededBytes = whole.peak();
    if (availableBytes < 0) {
        plan.refitAllRows = shape.labelledRows > 0;
        plan.explanation = QStringLiteral("Memory: about %1 needed; available memory unknown, proceeding")
                               .arg(bytesText(plan.neededBytes));
        return plan;
    }
    plan.usableBytes = kUsableShare * availableBytes;
    if (plan.neededBytes <= plan.usableBytes) {
        plan.explanation = QStringLiteral("Memory: about %1 needed for %2 rows x %3 features, %4 usable")
                               .arg(bytesText(plan.neededBytes))
                               .arg(shape.rows)
                               .arg(shape.treeColumns)
                               .arg(bytesText(plan.usableBytes));
        if (shape.labelledRows > 0) {
            const double refitAll = whole.features + whole.outOfFold + whole.refitAllRows;
            plan.refitAllRows = refitAll <= plan.usableBytes;
            if (!plan.refitAllRows) {
                plan.explanation += QStringLiteral("; refitting on all %1 labelled rows would need about "
                                                   "%2, so the exported model keeps the training rows' fit")
                                        .arg(shape.labelledRows)
                                        .arg(bytesText(refitAll));
            }
        }
        return plan;
    }
    // the search scales with its rows; the features, the kept predictions and the refit do not
    const double fixed = whole.features + whole.outOfFold;
    const double perSearchRow = estimateMemory(shape, 1).searchMatrices;
    const double room = plan.usableBytes - fixed;
    const size_t fitting = room > 0 ? size_t(room / perSearchRow) : 0;
    const size_t minimum = std::min(shape.rows, kMinSearchRows);
    if (fixed + whole.refit > plan.usableBytes || fitting < minimum) {
        plan.decision = MemoryPlan::Decision::Refuse;
        plan.searchRows = 0;
        plan.explanation = QStringLiteral("Not enough memory to train on %1 rows x %2 features: about %3 "
                                          "needed (%4 even when searching on %5 rows), %6 usable (80 % of "
                                          "what is available). Exclude columns, use fewer rows or free memory.")
                               .arg(shape.rows)
                               .arg(shape.treeColumns)
                               .arg(bytesText(plan.neededBytes))
                               .arg(bytesText(fixed + std::max(whole.refit, perSearchRow * double(minimum))))
                               .arg(minimum)
                               .arg(bytesText(plan.usableBytes));
        return plan;
    }
    plan.decision = MemoryPlan::Decision::Subsample;
    plan.searchRows = std::max(minimum, fitting / 1000 * 1000);
    plan.explanation = QStringLiteral("Memory: the search on all %1 rows would need about %2, %3 usable: "
                                      "cross-validating on a random %4 rows, then refitting the chosen "
                                      "models on all %1")
                           .arg(shape.rows)
                           .arg(bytesText(plan.neededBytes))
                           .arg(bytesText(plan.usableBytes))
                           .arg(plan.searchRows);
    return plan;
}

} // namespace baton
