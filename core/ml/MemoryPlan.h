#pragma once

#include <QString>

#include <cstddef>

namespace baton {

// The size of a tabular search, known before TRAIN starts.
struct SearchShape
{
    size_t rows = 0;          // training rows
    size_t treeColumns = 0;   // features of the tree models
    size_t linearColumns = 0; // features of the linear models (0: none searched)
    size_t outputs = 1;       // prediction width: classes, or 1
    int folds = 5;            // cross-validation folds (1: a single holdout)
    size_t labelledRows = 0;  // training + test rows, refitted on at the end (0: no such refit)
};

// Bytes the search needs at its peak, by what holds them (see MemoryPlan.cpp for the model).
struct MemoryEstimate
{
    double features = 0;       // the dense feature matrices of all training rows
    double searchMatrices = 0; // XGBoost's fold matrices, cached for the whole search
    double outOfFold = 0;      // kept out-of-fold predictions and the ensemble's buffers
    double refit = 0;          // the matrix of the refit on all training rows
    double refitAllRows = 0;   // the optional last refit on training + test rows: the test rows'
                               // features and its matrix (after the search's are released)
    double peak() const;
};

MemoryEstimate estimateMemory(const SearchShape &shape, size_t searchRows);

// What TRAIN does about memory, decided before anything big is allocated:
//  - Proceed when the whole search fits in 80 % of the memory available now;
//  - Subsample: cross-validate on as many (seeded, random) rows as fit, then refit the chosen
//    models on every training row -- when the refit itself fits and the sample keeps at least
//    10 000 rows;
//  - Refuse otherwise, with the figures.
struct MemoryPlan
{
    enum class Decision { Proceed, Subsample, Refuse };
    Decision decision = Decision::Proceed;
    size_t searchRows = 0;
    double neededBytes = 0;  // peak for the whole data
    double usableBytes = 0;  // 80 % of what was available
    bool refitAllRows = false; // the refit on shape.labelledRows fits too (only when proceeding)
    QString explanation;     // for LOG_LINE and errors
};

// availableBytes < 0: unknown (no /proc/meminfo): proceed.
MemoryPlan planMemory(const SearchShape &shape, double availableBytes);

} // namespace baton
