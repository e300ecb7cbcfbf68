//===- Batching.h - Minibatches of a data set -------------------*- C++ -*-===//
//
// The order in which an epoch visits the samples of a data set, cutting a
// minibatch out of a tensor whose dim 0 is the sample, and counting correct
// classifications.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TRAINING_BATCHING_H
#define ADJOINT_TRAINING_BATCHING_H

#include "adjoint/Runtime/HostTensor.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace adjoint::training {

/// The order of the `numSamples` samples in epoch `epoch` (0-based, counted
/// across resumed runs). Without `shuffle`: 0, 1, ..., n-1. With it: a
/// Fisher-Yates shuffle of that sequence driven by the random stream
/// (seed, "train.shuffle.<epoch>") of adjoint/Runtime/Random.h: for
/// i = n-1 down to 1, swap positions i and j = bits(n-1-i) mod (i+1).
std::vector<int64_t> getEpochOrder(int64_t numSamples, uint64_t seed,
                                   int64_t epoch, bool shuffle);

/// The batches of one epoch: `batchSize` samples each, the last one smaller
/// when batchSize does not divide numSamples.
int64_t getNumBatches(int64_t numSamples, int64_t batchSize);

/// A tensor of shape [rows.size(), dims 1.. of `data`] holding the rows
/// `rows` of `data` (any dtype), in that order.
HostTensor gatherRows(const HostTensor &data, llvm::ArrayRef<int64_t> rows);

/// The number of rows n of `logits` [N, C] (f32 or f64) whose first largest
/// entry is at column labels[n] (`labels` i64 or i32 [N]).
int64_t countCorrect(const HostTensor &logits, const HostTensor &labels);

/// The seed of the dropout masks of training step `step` (0-based, counted
/// across epochs and resumed runs): number `step` of the random stream
/// (seed, "train.dropout"), as a non-negative int64.
int64_t getStepSeed(uint64_t seed, int64_t step);

} // namespace adjoint::training

#endif // ADJOINT_TRAINING_BATCHING_H
