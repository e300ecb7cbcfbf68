//===- BatchingTest.cpp - Tests of minibatching ---------------------------===//

#include "adjoint/Training/Batching.h"

#include "adjoint/Runtime/Random.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <numeric>

using namespace adjoint;
using namespace adjoint::training;

namespace {

TEST(Batching, OrderWithoutShuffleIsIdentity) {
  std::vector<int64_t> order = getEpochOrder(5, 7, 3, /*shuffle=*/false);
  EXPECT_EQ(order, (std::vector<int64_t>{0, 1, 2, 3, 4}));
}

TEST(Batching, ShuffleIsASeededPermutationPerEpoch) {
  std::vector<int64_t> a = getEpochOrder(100, 1, 0, true);
  std::vector<int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> identity(100);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(a, identity);
  EXPECT_EQ(a, getEpochOrder(100, 1, 0, true));
  EXPECT_NE(a, getEpochOrder(100, 1, 1, true));
  EXPECT_NE(a, getEpochOrder(100, 2, 0, true));
}

TEST(Batching, ShuffleFollowsTheDocumentedFisherYates) {
  // i = 2: j = bits(0) % 3; i = 1: j = bits(1) % 2.
  RandomStream stream(5, "train.shuffle.4");
  std::vector<int64_t> expected{0, 1, 2};
  std::swap(expected[2], expected[stream.getBits(0) % 3]);
  std::swap(expected[1], expected[stream.getBits(1) % 2]);
  EXPECT_EQ(getEpochOrder(3, 5, 4, true), expected);
}

TEST(Batching, NumBatchesCountsThePartialBatch) {
  EXPECT_EQ(getNumBatches(40, 8), 5);
  EXPECT_EQ(getNumBatches(41, 8), 6);
  EXPECT_EQ(getNumBatches(3, 8), 1);
}

TEST(Batching, GatherRowsOfAnyDtype) {
  HostTensor x = HostTensor::fromValues<float>({3, 2}, {0, 1, 10, 11, 20, 21});
  HostTensor rows = gatherRows(x, {2, 0});
  ASSERT_EQ(rows.getShape(), (llvm::ArrayRef<int64_t>{2, 2}));
  EXPECT_EQ(rows.getValues<float>(), (llvm::ArrayRef<float>{20, 21, 0, 1}));
  HostTensor labels = HostTensor::fromValues<int64_t>({3}, {7, 8, 9});
  HostTensor picked = gatherRows(labels, {1});
  EXPECT_EQ(picked.getValues<int64_t>(), (llvm::ArrayRef<int64_t>{8}));
}

TEST(Batching, CountCorrectTakesTheFirstMaximum) {
  HostTensor logits =
      HostTensor::fromValues<float>({3, 3}, {1, 5, 2, 4, 4, 0, 0, 0, 1});
  EXPECT_EQ(countCorrect(logits, HostTensor::fromValues<int64_t>({3}, {1, 0, 2})),
            3);
  EXPECT_EQ(countCorrect(logits, HostTensor::fromValues<int64_t>({3}, {1, 1, 0})),
            1);
  EXPECT_EQ(countCorrect(logits, HostTensor::fromValues<int32_t>({3}, {0, 1, 2})),
            1);
}

TEST(Batching, StepSeedsAreDistinctAndReproducible) {
  EXPECT_EQ(getStepSeed(3, 10), getStepSeed(3, 10));
  EXPECT_NE(getStepSeed(3, 10), getStepSeed(3, 11));
  EXPECT_NE(getStepSeed(3, 10), getStepSeed(4, 10));
  EXPECT_GE(getStepSeed(3, 10), 0);
}

} // namespace
