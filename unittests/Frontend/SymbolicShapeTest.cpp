//===- SymbolicShapeTest.cpp - Tests of symbolic shapes -------------------===//

#include "adjoint/Frontend/SymbolicShape.h"

#include "gtest/gtest.h"

using namespace adjoint::frontend;

namespace {

SymDim n() { return SymDim::named("N"); }
SymDim m() { return SymDim::named("M"); }
SymDim c(int64_t size) { return SymDim::of(size); }

TEST(SymbolicShapeTest, Format) {
  EXPECT_EQ(formatShape({n(), c(64)}), "[N, 64]");
  EXPECT_EQ(formatShape({SymDim::unknown()}), "[?]");
  EXPECT_EQ(formatShape({}), "[]");
}

TEST(SymbolicShapeTest, OneNameIsOneSize) {
  EXPECT_TRUE(dimsAgree(n(), n()));
  EXPECT_FALSE(dimsAgree(n(), m()));
  EXPECT_FALSE(dimsAgree(n(), c(64)));
  EXPECT_TRUE(dimsAgree(n(), SymDim::unknown()));
  EXPECT_TRUE(dimsAgree(c(3), c(3)));
  EXPECT_FALSE(dimsAgree(c(3), c(4)));
}

TEST(SymbolicShapeTest, Broadcast) {
  auto shape = broadcastShapes({n(), c(128)}, {c(128)});
  ASSERT_TRUE(shape);
  EXPECT_EQ(formatShape(*shape), "[N, 128]");
  shape = broadcastShapes({n(), c(1)}, {c(5)});
  ASSERT_TRUE(shape);
  EXPECT_EQ(formatShape(*shape), "[N, 5]");
  shape = broadcastShapes({SymDim::unknown(), c(4)}, {c(7), c(4)});
  ASSERT_TRUE(shape);
  EXPECT_EQ(formatShape(*shape), "[7, 4]");
  EXPECT_FALSE(broadcastShapes({n(), c(128)}, {c(64)}));
  EXPECT_FALSE(broadcastShapes({n()}, {m()}));
}

TEST(SymbolicShapeTest, ElementCount) {
  ElementCount count = countElements({n(), c(8), c(8), m()});
  EXPECT_EQ(count.str(), "64*M*N");
  EXPECT_FALSE(count.unknown);
  EXPECT_TRUE(countElements({n(), SymDim::unknown()}).unknown);
  EXPECT_EQ(countElements({}).str(), "1");
  EXPECT_TRUE(countElements({c(int64_t(1) << 32), c(int64_t(1) << 32)})
                  .overflow);
  EXPECT_TRUE(countElements({n(), c(4)}) == countElements({c(2), n(), c(2)}));
}

TEST(SymbolicShapeTest, TensorType) {
  mlir::MLIRContext context;
  auto type = getTensorType({n(), c(3), SymDim::unknown()},
                            mlir::Float32Type::get(&context));
  EXPECT_EQ(type.getShape()[0], mlir::ShapedType::kDynamic);
  EXPECT_EQ(type.getShape()[1], 3);
  EXPECT_EQ(type.getShape()[2], mlir::ShapedType::kDynamic);
}

} // namespace
