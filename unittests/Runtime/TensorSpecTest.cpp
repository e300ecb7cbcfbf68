//===- TensorSpecTest.cpp - Tests of the tensor/declaration check ---------===//

#include "adjoint/Runtime/TensorSpec.h"

#include "gtest/gtest.h"

using namespace adjoint;

namespace {

std::string errorOf(llvm::Error err) {
  if (!err)
    return "<success>";
  return llvm::toString(std::move(err));
}

TensorSpec makeSpec(llvm::StringRef name, DType dtype,
                    llvm::ArrayRef<int64_t> shape,
                    llvm::ArrayRef<std::string> dimNames) {
  TensorSpec spec;
  spec.name = name.str();
  spec.dtype = dtype;
  spec.shape.assign(shape.begin(), shape.end());
  spec.dimNames.assign(dimNames.begin(), dimNames.end());
  return spec;
}

TEST(TensorSpecTest, Format) {
  TensorSpec spec = makeSpec("x", DType::F32, {-1, 64, -1}, {"N", "", ""});
  EXPECT_EQ(spec.formatShape(), "[N, 64, ?]");
  EXPECT_EQ(spec.formatType(), "f32[N, 64, ?]");
  EXPECT_EQ(makeSpec("s", DType::I64, {}, {}).formatType(), "i64[]");
}

TEST(TensorSpecTest, AcceptsMatchingTensors) {
  TensorSpec spec = makeSpec("x", DType::F32, {-1, 64}, {"N", ""});
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {3, 64}),
                                           "x.npy", spec)),
            "<success>");
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {0, 64}),
                                           "x.npy", spec)),
            "<success>");
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {}), "l.npy",
                                           makeSpec("l", DType::F32, {}, {}))),
            "<success>");
}

TEST(TensorSpecTest, ShapeMismatch) {
  TensorSpec spec = makeSpec("x", DType::F32, {-1, 64}, {"N", ""});
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {3, 65}),
                                           "x.npy", spec)),
            "x.npy: shape [3, 65] does not match input 'x' of shape [N, 64]");
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {64}),
                                           "x.npy", spec)),
            "x.npy: shape [64] does not match input 'x' of shape [N, 64]");
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {2, 64, 1}),
                                           "x.npy", spec)),
            "x.npy: shape [2, 64, 1] does not match input 'x' of shape "
            "[N, 64]");
  TensorSpec param = makeSpec("h.weight", DType::F32, {128, 64}, {});
  param.kind = "parameter";
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {64, 128}),
                                           "p/h.weight.npy", param)),
            "p/h.weight.npy: shape [64, 128] does not match parameter "
            "'h.weight' of shape [128, 64]");
}

TEST(TensorSpecTest, DTypeMismatch) {
  TensorSpec spec = makeSpec("label", DType::I64, {-1}, {"N"});
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::I32, {3}), "y.npy",
                                           spec)),
            "y.npy: dtype i32 does not match input 'label' of type i64[N]");
}

TEST(TensorSpecTest, RepeatedSymbolWithinOneTensor) {
  TensorSpec spec = makeSpec("a", DType::F32, {-1, -1}, {"N", "N"});
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {3, 3}),
                                           "a.npy", spec)),
            "<success>");
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {3, 4}),
                                           "a.npy", spec)),
            "a.npy: shape [3, 4] does not match input 'a' of shape [N, N]: N "
            "is 3 in dim 0 but 4 in dim 1");
  // Anonymous dynamic dims are independent.
  TensorSpec anonymous = makeSpec("b", DType::F32, {-1, -1}, {});
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {3, 4}),
                                           "b.npy", anonymous)),
            "<success>");
}

TEST(TensorSpecTest, BindingsAcrossInputs) {
  DimBindings bindings;
  TensorSpec x = makeSpec("x", DType::F32, {-1, 64}, {"N", ""});
  TensorSpec label = makeSpec("label", DType::I64, {-1}, {"N"});
  ASSERT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {4, 64}),
                                           "x.npy", x, &bindings)),
            "<success>");
  EXPECT_EQ(bindings.lookup("N"), 4);
  EXPECT_EQ(bindings.getOrigin("N"), "input 'x'");
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::I64, {5}), "y.npy",
                                           label, &bindings)),
            "y.npy: shape [5] does not match input 'label' of shape [N]: N is "
            "4 (from input 'x')");
  EXPECT_EQ(errorOf(checkTensorMatchesSpec(HostTensor(DType::I64, {4}), "y.npy",
                                           label, &bindings)),
            "<success>");
  EXPECT_EQ(bindings.lookup("M"), std::nullopt);
}

TEST(TensorSpecTest, FailedCheckBindsNothing) {
  DimBindings bindings;
  TensorSpec spec = makeSpec("x", DType::F32, {-1, -1, 3}, {"N", "T", ""});
  EXPECT_NE(errorOf(checkTensorMatchesSpec(HostTensor(DType::F32, {2, 5, 4}),
                                           "x.npy", spec, &bindings)),
            "<success>");
  EXPECT_EQ(bindings.lookup("N"), std::nullopt);
  EXPECT_EQ(bindings.lookup("T"), std::nullopt);
}

} // namespace
