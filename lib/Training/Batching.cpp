//===- Batching.cpp - Minibatches of a data set ---------------------------===//

#include "adjoint/Training/Batching.h"

#include "adjoint/Runtime/Random.h"

#include <cstring>
#include <numeric>
#include <string>

using namespace adjoint;
using namespace adjoint::training;

std::vector<int64_t> adjoint::training::getEpochOrder(int64_t numSamples,
                                                      uint64_t seed,
                                                      int64_t epoch,
                                                      bool shuffle) {
  std::vector<int64_t> order(static_cast<size_t>(numSamples));
  std::iota(order.begin(), order.end(), int64_t(0));
  if (!shuffle)
    return order;
  RandomStream stream(seed, "train.shuffle." + std::to_string(epoch));
  for (int64_t i = numSamples - 1; i > 0; --i) {
    uint64_t bits = stream.getBits(static_cast<uint64_t>(numSamples - 1 - i));
    int64_t j = static_cast<int64_t>(bits % static_cast<uint64_t>(i + 1));
    std::swap(order[i], order[j]);
  }
  return order;
}

int64_t adjoint::training::getNumBatches(int64_t numSamples,
                                         int64_t batchSize) {
  return (numSamples + batchSize - 1) / batchSize;
}

HostTensor adjoint::training::gatherRows(const HostTensor &data,
                                         llvm::ArrayRef<int64_t> rows) {
  llvm::SmallVector<int64_t, 4> shape(data.getShape());
  assert(!shape.empty() && "gathering rows of a 0-d tensor");
  shape[0] = static_cast<int64_t>(rows.size());
  HostTensor result(data.getDType(), shape);
  size_t rowBytes = data.getShape()[0] == 0
                        ? 0
                        : data.getNumBytes() / size_t(data.getShape()[0]);
  const auto *src = static_cast<const char *>(data.getData());
  auto *dst = static_cast<char *>(result.getData());
  for (auto [i, row] : llvm::enumerate(rows)) {
    assert(row >= 0 && row < data.getShape()[0] && "row out of range");
    std::memcpy(dst + i * rowBytes, src + size_t(row) * rowBytes, rowBytes);
  }
  return result;
}

int64_t adjoint::training::countCorrect(const HostTensor &logits,
                                        const HostTensor &labels) {
  assert(logits.getRank() == 2 && labels.getRank() == 1 &&
         logits.getShape()[0] == labels.getShape()[0] &&
         "logits [N, C] and labels [N]");
  int64_t rows = logits.getShape()[0], cols = logits.getShape()[1];
  int64_t correct = 0;
  for (int64_t n = 0; n < rows; ++n) {
    int64_t best = 0;
    double bestValue = logits.getElementAsDouble(n * cols);
    for (int64_t c = 1; c < cols; ++c) {
      double v = logits.getElementAsDouble(n * cols + c);
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    if (static_cast<int64_t>(labels.getElementAsDouble(n)) == best)
      ++correct;
  }
  return correct;
}

int64_t adjoint::training::getStepSeed(uint64_t seed, int64_t step) {
  RandomStream stream(seed, "train.dropout");
  return static_cast<int64_t>(stream.getBits(static_cast<uint64_t>(step)) >>
                              1);
}
