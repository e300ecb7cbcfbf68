//===- HostTensorTest.cpp - Tests of HostTensor ---------------------------===//

#include "adjoint/Runtime/HostTensor.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>

using namespace adjoint;

namespace {

std::string errorOf(llvm::Expected<HostTensor> result) {
  if (result)
    return "<success>";
  return llvm::toString(result.takeError());
}

bool isAligned(const void *ptr) {
  return reinterpret_cast<uintptr_t>(ptr) % HostTensor::kAlignment == 0;
}

TEST(HostTensorTest, DTypes) {
  for (DType dtype : {DType::F32, DType::F64, DType::I64, DType::I32})
    EXPECT_EQ(parseDTypeName(getDTypeName(dtype)), dtype);
  EXPECT_EQ(getDTypeName(DType::F32), "f32");
  EXPECT_EQ(getDTypeSize(DType::F32), 4u);
  EXPECT_EQ(getDTypeSize(DType::F64), 8u);
  EXPECT_EQ(getDTypeSize(DType::I64), 8u);
  EXPECT_EQ(getDTypeSize(DType::I32), 4u);
  EXPECT_EQ(parseDTypeName("f16"), std::nullopt);
}

TEST(HostTensorTest, DefaultIsScalarZero) {
  HostTensor tensor;
  EXPECT_EQ(tensor.getDType(), DType::F32);
  EXPECT_EQ(tensor.getRank(), 0);
  EXPECT_EQ(tensor.getNumElements(), 1);
  EXPECT_EQ(tensor.getNumBytes(), 4u);
  EXPECT_EQ(tensor.getValues<float>()[0], 0.0f);
}

TEST(HostTensorTest, ZeroFilledAndAligned) {
  HostTensor tensor(DType::I64, {3, 5, 7});
  EXPECT_EQ(tensor.getNumElements(), 105);
  EXPECT_EQ(tensor.getNumBytes(), 840u);
  EXPECT_TRUE(isAligned(tensor.getData()));
  for (int64_t value : tensor.getValues<int64_t>())
    EXPECT_EQ(value, 0);

  HostTensor empty(DType::F32, {4, 0});
  EXPECT_EQ(empty.getNumElements(), 0);
  EXPECT_EQ(empty.getNumBytes(), 0u);
  EXPECT_NE(empty.getData(), nullptr);
  EXPECT_TRUE(isAligned(empty.getData()));
}

TEST(HostTensorTest, IndexingIsRowMajor) {
  HostTensor tensor =
      HostTensor::fromValues<int32_t>({2, 3}, {0, 1, 2, 10, 11, 12});
  EXPECT_EQ(tensor.getFlatIndex({1, 2}), 5);
  EXPECT_EQ(tensor.at<int32_t>({1, 0}), 10);
  tensor.at<int32_t>({0, 2}) = 42;
  EXPECT_EQ(tensor.getValues<int32_t>()[2], 42);
  EXPECT_EQ(tensor.getElementAsDouble(4), 11.0);
}

TEST(HostTensorTest, CopiesAreDeepMovesAreCheap) {
  HostTensor original = HostTensor::fromValues<float>({2}, {1.0f, 2.0f});
  HostTensor copy = original;
  copy.getMutableValues<float>()[0] = 5.0f;
  EXPECT_EQ(original.getValues<float>()[0], 1.0f);
  EXPECT_NE(copy.getData(), original.getData());
  EXPECT_TRUE(isAligned(copy.getData()));

  const void *storage = original.getData();
  HostTensor moved = std::move(original);
  EXPECT_EQ(moved.getData(), storage);
  EXPECT_EQ(moved.getValues<float>()[1], 2.0f);

  copy = moved;
  EXPECT_TRUE(copy.isBitwiseEqual(moved));
  HostTensor &self = copy;
  copy = self;
  EXPECT_TRUE(copy.isBitwiseEqual(moved));
}

TEST(HostTensorTest, BitwiseEquality) {
  HostTensor a = HostTensor::fromValues<float>({2}, {1.0f, 2.0f});
  EXPECT_FALSE(a.isBitwiseEqual(HostTensor::fromValues<float>({2}, {1, 3})));
  EXPECT_FALSE(a.isBitwiseEqual(HostTensor::fromValues<float>({2, 1}, {1, 2})));
  EXPECT_FALSE(a.isBitwiseEqual(a.convertTo(DType::F64)));
}

TEST(HostTensorTest, ConvertTo) {
  HostTensor ints = HostTensor::fromValues<int32_t>({3}, {-2, 0, 7});
  HostTensor wide = ints.convertTo(DType::I64);
  EXPECT_EQ(wide.getDType(), DType::I64);
  EXPECT_EQ(wide.getValues<int64_t>()[0], -2);
  EXPECT_EQ(wide.getValues<int64_t>()[2], 7);
  HostTensor floats = wide.convertTo(DType::F32);
  EXPECT_EQ(floats.getValues<float>()[0], -2.0f);
  EXPECT_EQ(floats.getShape(), ints.getShape());
}

TEST(HostTensorTest, NumElementsChecksOverflow) {
  EXPECT_EQ(getNumElements({}), 1);
  EXPECT_EQ(getNumElements({2, 3, 4}), 24);
  EXPECT_EQ(getNumElements({5, 0}), 0);
  EXPECT_EQ(getNumElements({-1, 2}), std::nullopt);
  EXPECT_EQ(getNumElements({int64_t(1) << 32, int64_t(1) << 31}), std::nullopt);
  EXPECT_EQ(getNumElements({int64_t(1) << 32, int64_t(1) << 32, 0}),
            std::nullopt);
  EXPECT_EQ(getNumElements({std::numeric_limits<int64_t>::max(), 1}),
            std::numeric_limits<int64_t>::max());
}

TEST(HostTensorTest, FormatShape) {
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(formatShape({5}), "[5]");
  EXPECT_EQ(formatShape({3, 64}), "[3, 64]");
}

TEST(HostTensorTest, CreateRefusesBadShapes) {
  llvm::Expected<HostTensor> ok = HostTensor::create(DType::F64, {2, 2});
  ASSERT_TRUE(bool(ok)) << llvm::toString(ok.takeError());
  EXPECT_EQ(ok->getNumBytes(), 32u);
  EXPECT_EQ(errorOf(HostTensor::create(DType::F32, {3, -1})),
            "invalid shape [3, -1]: dims must not be negative");
  EXPECT_EQ(errorOf(HostTensor::create(DType::F32,
                                       {int64_t(1) << 40, int64_t(1) << 40})),
            "shape [1099511627776, 1099511627776] has too many elements (the "
            "count overflows int64)");
  // One element over the 16 GiB limit; exactly 16 GiB would be allocated.
  EXPECT_EQ(errorOf(HostTensor::create(DType::I64, {(int64_t(1) << 31) + 1})),
            "shape [2147483649] of i64 is too large (2147483649 elements; "
            "the limit is 16 GiB of data)");
  EXPECT_EQ(errorOf(HostTensor::create(DType::F32, {1 << 16, 1 << 16, 2})),
            "shape [65536, 65536, 2] of f32 is too large (8589934592 "
            "elements; the limit is 16 GiB of data)");
}

} // namespace
