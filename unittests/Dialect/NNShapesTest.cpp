//===- NNShapesTest.cpp - Broadcasting and window arithmetic --------------===//

#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include "gtest/gtest.h"

using namespace adjoint::nn;
using mlir::ShapedType;

namespace {
constexpr int64_t kDyn = ShapedType::kDynamic;

TEST(NNShapes, FormatShape) {
  EXPECT_EQ(formatShape(llvm::ArrayRef<int64_t>{kDyn, 64}), "[?, 64]");
  EXPECT_EQ(formatShape(llvm::ArrayRef<int64_t>{}), "[]");
}

TEST(NNShapes, BroadcastShapes) {
  auto r = broadcastShapes({kDyn, 128}, {128});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (llvm::SmallVector<int64_t>{kDyn, 128}));
  r = broadcastShapes({4, 1, 3}, {5, 1});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (llvm::SmallVector<int64_t>{4, 5, 3}));
  // A dynamic dim against a static one takes the static size.
  r = broadcastShapes({kDyn}, {7});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (llvm::SmallVector<int64_t>{7}));
  EXPECT_FALSE(broadcastShapes({4, 8}, {3}).has_value());
}

TEST(NNShapes, BroadcastAxes) {
  EXPECT_EQ(broadcastAxes({128}, {kDyn, 128}),
            (llvm::SmallVector<int64_t>{0}));
  EXPECT_EQ(broadcastAxes({8, 1, 1}, {kDyn, 8, 4, 4}),
            (llvm::SmallVector<int64_t>{0, 2, 3}));
  EXPECT_TRUE(broadcastAxes({2, 3}, {2, 3}).empty());
}

TEST(NNShapes, IsBroadcastableTo) {
  EXPECT_TRUE(isBroadcastableTo({1, 3}, {5, 3}));
  EXPECT_TRUE(isBroadcastableTo({kDyn, 3}, {kDyn, 3}));
  EXPECT_FALSE(isBroadcastableTo({2, 3}, {5, 3}));
  EXPECT_FALSE(isBroadcastableTo({1, 2, 3}, {2, 3}));
}

TEST(NNShapes, WindowOutputSize) {
  EXPECT_EQ(windowOutputSize(8, 3, 1, 1), 8);
  EXPECT_EQ(windowOutputSize(8, 2, 2, 0), 4);
  EXPECT_EQ(windowOutputSize(28, 5, 1, 0), 24);
  EXPECT_EQ(windowOutputSize(2, 3, 1, 0), 0);
  EXPECT_EQ(windowOutputSize(kDyn, 3, 1, 0), kDyn);
}
} // namespace
