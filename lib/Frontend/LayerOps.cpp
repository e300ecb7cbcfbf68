//===- LayerOps.cpp - Layers with parameters, and pooling -----------------===//
//
// Layers create their parameters as arguments of @forward, named after the
// value they define (`h.weight`, `h.bias`), with PyTorch's shapes and
// default initializers, and decompose into nn ops: dense is a matmul with
// `transpose_b` and an add of the bias; conv2d adds the bias reshaped to
// [O, 1, 1].
//
//===----------------------------------------------------------------------===//

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Frontend/Initializers.h"
#include "adjoint/Frontend/OpEmitters.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace adjoint::frontend;
namespace nn = adjoint::nn;

/// Reads a positive integer argument (units, out, num, dim).
static FailureOr<int64_t> getPositive(OpContext &ctx, unsigned index) {
  FailureOr<int64_t> value = ctx.args.getInteger(index, 0);
  if (failed(value))
    return failure();
  if (*value <= 0) {
    ctx.error(index, "'" + ctx.args.getParamName(index) +
                         "' must be positive, got " + llvm::Twine(*value));
    return failure();
  }
  return value;
}

/// Reports a dim that must be static to size a parameter.
static void errorNotStatic(OpContext &ctx, const TensorValue &x, SymDim dim,
                           llvm::StringRef which) {
  std::string why = dim.isSymbolic()
                        ? ("'" + dim.symbol + "' is symbolic; fix it with -D " +
                           dim.symbol + "=SIZE")
                              .str()
                        : std::string("it is only known at run time");
  ctx.error(0, "the " + which + " of the input " + formatShape(x.shape) +
                   " sizes the parameters and must be static, but " + why);
}

/// The location for the parameters a layer creates: its op call.
static llvm::SMLoc getParamLoc(OpContext &ctx) {
  return ctx.args.getCall().loc;
}

/// `NAME.SUFFIX`.
static std::string paramName(OpContext &ctx, llvm::StringRef suffix) {
  return (ctx.target + "." + suffix).str();
}

static SymShape staticShape(llvm::ArrayRef<int64_t> sizes) {
  SymShape shape;
  for (int64_t size : sizes)
    shape.push_back(SymDim::of(size));
  return shape;
}

//===----------------------------------------------------------------------===//
// dense
//===----------------------------------------------------------------------===//

FailureOr<TensorValue> adjoint::frontend::emitDense(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<int64_t> units = getPositive(ctx, 1);
  FailureOr<bool> hasBias = ctx.args.getBool(2, true);
  if (failed(x) || failed(units) || failed(hasBias))
    return failure();
  if (x->shape.empty()) {
    ctx.error(0, "needs an input of rank >= 1, got a scalar");
    return failure();
  }
  SymDim in = x->shape.back();
  if (!in.isStatic()) {
    errorNotStatic(ctx, *x, in, "last dim");
    return failure();
  }

  std::string init = getDefaultLayerInit(in.size);
  FailureOr<TensorValue> weight =
      ctx.net.createParameter(paramName(ctx, "weight"), {*units, in.size}, init,
                              false, getParamLoc(ctx));
  if (failed(weight))
    return failure();
  std::optional<TensorValue> bias;
  if (*hasBias) {
    FailureOr<TensorValue> b = ctx.net.createParameter(
        paramName(ctx, "bias"), {*units}, init, false, getParamLoc(ctx));
    if (failed(b))
      return failure();
    bias = *b;
  }

  OpBuilder &b = ctx.builder();
  Type f32 = ctx.net.getF32Type();
  // matmul needs rank >= 2: a vector goes through [1, in].
  Value input = x->value;
  bool isVector = x->shape.size() == 1;
  if (isVector)
    input = nn::ReshapeOp::create(b, ctx.loc,
                                  RankedTensorType::get({1, in.size}, f32),
                                  input, ValueRange());
  SymShape shape(x->shape.begin(), x->shape.end() - 1);
  shape.push_back(SymDim::of(*units));
  SymShape matmulShape = isVector ? staticShape({1, *units}) : shape;
  Value result = nn::MatmulOp::create(b, ctx.loc, ctx.getType(matmulShape, f32),
                                      input, weight->value,
                                      /*transpose_a=*/false,
                                      /*transpose_b=*/true);
  if (isVector)
    result = nn::ReshapeOp::create(b, ctx.loc, ctx.getType(shape, f32), result,
                                   ValueRange());
  if (bias)
    result = nn::AddOp::create(b, ctx.loc, ctx.getType(shape, f32), result,
                               bias->value);
  return ctx.make(result, shape);
}

//===----------------------------------------------------------------------===//
// conv2d and pooling
//===----------------------------------------------------------------------===//

/// Reads an `int or [h, w]` argument into [h, w], each at least `minValue`.
static FailureOr<std::array<int64_t, 2>> getPair(OpContext &ctx, unsigned index,
                                                 int64_t defaultValue,
                                                 int64_t minValue) {
  FailureOr<llvm::SmallVector<int64_t>> values =
      ctx.args.getIntegers(index, {defaultValue});
  if (failed(values))
    return failure();
  llvm::StringRef name = ctx.args.getParamName(index);
  if (values->size() == 1)
    values->push_back(values->front());
  if (values->size() != 2) {
    ctx.error(index, "'" + name +
                         "' must be an integer or a list of two integers, "
                         "got a list of " +
                         llvm::Twine(values->size()));
    return failure();
  }
  for (int64_t v : *values) {
    if (v < minValue) {
      ctx.error(index, "'" + name + "' must be " +
                           (minValue == 0 ? "non-negative" : "positive") +
                           ", got " + llvm::Twine(v));
      return failure();
    }
  }
  return std::array<int64_t, 2>{(*values)[0], (*values)[1]};
}

static std::string formatPair(std::array<int64_t, 2> pair) {
  return "[" + std::to_string(pair[0]) + ", " + std::to_string(pair[1]) + "]";
}

/// The spatial output dims of a window over the H and W of `x` (NCHW).
static FailureOr<std::array<SymDim, 2>>
getWindowDims(OpContext &ctx, const TensorValue &x,
              std::array<int64_t, 2> kernel, std::array<int64_t, 2> stride,
              std::array<int64_t, 2> padding) {
  std::array<SymDim, 2> dims;
  for (int i = 0; i < 2; ++i) {
    SymDim size = x.shape[2 + i];
    if (!size.isStatic()) {
      dims[i] = SymDim::unknown();
      continue;
    }
    std::optional<int64_t> padded =
        llvm::checkedMulAdd<int64_t>(2, padding[i], size.size);
    if (!padded) {
      ctx.error("the padding " + formatPair(padding) + " is too large");
      return failure();
    }
    if (*padded < kernel[i]) {
      std::string withPadding = padding[0] || padding[1]
                                    ? " with padding " + formatPair(padding)
                                    : "";
      ctx.error("the kernel " + formatPair(kernel) +
                " does not fit the input " + formatShape(x.shape) +
                withPadding);
      return failure();
    }
    dims[i] = SymDim::of((*padded - kernel[i]) / stride[i] + 1);
  }
  return dims;
}

static LogicalResult checkNCHW(OpContext &ctx, const TensorValue &x) {
  if (x.shape.size() == 4)
    return success();
  ctx.error(0, "expects an NCHW input [N, C, H, W], got shape " +
                   formatShape(x.shape));
  return failure();
}

FailureOr<TensorValue> adjoint::frontend::emitConv2D(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<int64_t> out = getPositive(ctx, 1);
  FailureOr<std::array<int64_t, 2>> kernel = getPair(ctx, 2, 1, 1);
  FailureOr<std::array<int64_t, 2>> stride = getPair(ctx, 3, 1, 1);
  FailureOr<std::array<int64_t, 2>> padding = getPair(ctx, 4, 0, 0);
  FailureOr<bool> hasBias = ctx.args.getBool(5, true);
  if (failed(x) || failed(out) || failed(kernel) || failed(stride) ||
      failed(padding) || failed(hasBias) || failed(checkNCHW(ctx, *x)))
    return failure();
  SymDim channels = x->shape[1];
  if (!channels.isStatic()) {
    errorNotStatic(ctx, *x, channels, "channel dim");
    return failure();
  }
  FailureOr<std::array<SymDim, 2>> spatial =
      getWindowDims(ctx, *x, *kernel, *stride, *padding);
  if (failed(spatial))
    return failure();
  std::optional<int64_t> fanIn =
      staticProduct({channels.size, (*kernel)[0], (*kernel)[1]});
  if (!fanIn) {
    ctx.error("the weight [" + llvm::Twine(*out) + ", " +
              llvm::Twine(channels.size) + ", " + formatPair(*kernel) +
              "] is too large");
    return failure();
  }

  std::string init = getDefaultLayerInit(*fanIn);
  FailureOr<TensorValue> weight =
      ctx.net.createParameter(paramName(ctx, "weight"),
                              {*out, channels.size, (*kernel)[0], (*kernel)[1]},
                              init, false, getParamLoc(ctx));
  if (failed(weight))
    return failure();
  std::optional<TensorValue> bias;
  if (*hasBias) {
    FailureOr<TensorValue> b = ctx.net.createParameter(
        paramName(ctx, "bias"), {*out}, init, false, getParamLoc(ctx));
    if (failed(b))
      return failure();
    bias = *b;
  }

  OpBuilder &b = ctx.builder();
  Type f32 = ctx.net.getF32Type();
  SymShape shape = {x->shape[0], SymDim::of(*out), (*spatial)[0],
                    (*spatial)[1]};
  Value result = nn::Conv2DOp::create(
      b, ctx.loc, ctx.getType(shape, f32), x->value, weight->value,
      llvm::ArrayRef<int64_t>(*stride), llvm::ArrayRef<int64_t>(*padding));
  if (bias) {
    Value column = nn::ReshapeOp::create(
        b, ctx.loc, RankedTensorType::get({*out, 1, 1}, f32), bias->value,
        ValueRange());
    result =
        nn::AddOp::create(b, ctx.loc, ctx.getType(shape, f32), result, column);
  }
  return ctx.make(result, shape);
}

FailureOr<TensorValue> adjoint::frontend::emitPool2D(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<std::array<int64_t, 2>> kernel = getPair(ctx, 1, 1, 1);
  if (failed(x) || failed(kernel))
    return failure();
  FailureOr<std::array<int64_t, 2>> stride =
      ctx.args.get(2) ? getPair(ctx, 2, 1, 1) : kernel;
  if (failed(stride) || failed(checkNCHW(ctx, *x)))
    return failure();
  FailureOr<std::array<SymDim, 2>> spatial =
      getWindowDims(ctx, *x, *kernel, *stride, {0, 0});
  if (failed(spatial))
    return failure();
  SymShape shape = {x->shape[0], x->shape[1], (*spatial)[0], (*spatial)[1]};
  Type type = ctx.getType(shape, x->getElementType());
  Value result =
      ctx.getOpName() == "max_pool2d"
          ? nn::MaxPool2DOp::create(ctx.builder(), ctx.loc, type, x->value,
                                    llvm::ArrayRef<int64_t>(*kernel),
                                    llvm::ArrayRef<int64_t>(*stride))
                .getResult()
          : nn::AvgPool2DOp::create(ctx.builder(), ctx.loc, type, x->value,
                                    llvm::ArrayRef<int64_t>(*kernel),
                                    llvm::ArrayRef<int64_t>(*stride))
                .getResult();
  return ctx.make(result, shape);
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

static LogicalResult checkEps(OpContext &ctx, unsigned index, double eps) {
  if (eps > 0)
    return success();
  ctx.error(index, "'eps' must be positive, got " + formatNumber(eps));
  return failure();
}

FailureOr<TensorValue> adjoint::frontend::emitLayerNorm(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<double> eps = ctx.args.getNumber(1, 1e-5);
  if (failed(x) || failed(eps) || failed(checkEps(ctx, 1, *eps)))
    return failure();
  if (x->shape.empty()) {
    ctx.error(0, "normalizes over the last dim, which needs rank >= 1, got a "
                 "scalar");
    return failure();
  }
  SymDim features = x->shape.back();
  if (!features.isStatic()) {
    errorNotStatic(ctx, *x, features, "last dim");
    return failure();
  }
  FailureOr<TensorValue> weight =
      ctx.net.createParameter(paramName(ctx, "weight"), {features.size}, "ones",
                              false, getParamLoc(ctx));
  if (failed(weight))
    return failure();
  FailureOr<TensorValue> bias =
      ctx.net.createParameter(paramName(ctx, "bias"), {features.size}, "zeros",
                              false, getParamLoc(ctx));
  if (failed(bias))
    return failure();
  Value result = nn::LayerNormOp::create(
      ctx.builder(), ctx.loc, x->value.getType(), x->value, weight->value,
      bias->value, llvm::APFloat(*eps));
  return ctx.make(result, x->shape);
}

FailureOr<TensorValue> adjoint::frontend::emitBatchNorm(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<double> eps = ctx.args.getNumber(1, 1e-5);
  FailureOr<double> momentum = ctx.args.getNumber(2, 0.1);
  if (failed(x) || failed(eps) || failed(momentum) ||
      failed(checkEps(ctx, 1, *eps)))
    return failure();
  if (*momentum < 0 || *momentum > 1) {
    ctx.error(2,
              "'momentum' must be in [0, 1], got " + formatNumber(*momentum));
    return failure();
  }
  if (x->shape.size() != 2 && x->shape.size() != 4) {
    ctx.error(0, "expects an input [N, C] or [N, C, H, W], got shape " +
                     formatShape(x->shape));
    return failure();
  }
  SymDim channels = x->shape[1];
  if (!channels.isStatic()) {
    errorNotStatic(ctx, *x, channels, "channel dim");
    return failure();
  }
  int64_t c = channels.size;
  llvm::SMLoc loc = getParamLoc(ctx);
  FailureOr<TensorValue> weight = ctx.net.createParameter(
      paramName(ctx, "weight"), {c}, "ones", false, loc);
  if (failed(weight))
    return failure();
  FailureOr<TensorValue> bias =
      ctx.net.createParameter(paramName(ctx, "bias"), {c}, "zeros", false, loc);
  if (failed(bias))
    return failure();
  FailureOr<TensorValue> mean = ctx.net.createParameter(
      paramName(ctx, "running_mean"), {c}, "zeros", true, loc);
  if (failed(mean))
    return failure();
  FailureOr<TensorValue> var = ctx.net.createParameter(
      paramName(ctx, "running_var"), {c}, "ones", true, loc);
  if (failed(var))
    return failure();
  Type stats = RankedTensorType::get({c}, ctx.net.getF32Type());
  auto op = nn::BatchNormOp::create(
      ctx.builder(), ctx.loc, x->value.getType(), stats, stats, x->value,
      weight->value, bias->value, mean->value, var->value, llvm::APFloat(*eps),
      llvm::APFloat(*momentum), /*training=*/false);
  return ctx.make(op.getResult(), x->shape);
}

//===----------------------------------------------------------------------===//
// embedding
//===----------------------------------------------------------------------===//

FailureOr<TensorValue> adjoint::frontend::emitEmbedding(OpContext &ctx) {
  FailureOr<TensorValue> ids = ctx.getTensor(0);
  FailureOr<int64_t> num = getPositive(ctx, 1);
  FailureOr<int64_t> dim = getPositive(ctx, 2);
  if (failed(ids) || failed(num) || failed(dim))
    return failure();
  if (ids->isFloat()) {
    ctx.error(0, "'ids' must be an integer tensor (i64 or i32), got " +
                     describeExpr(*ctx.args.get(0)) + " of type " +
                     ids->describeType());
    return failure();
  }
  FailureOr<TensorValue> weight =
      ctx.net.createParameter(paramName(ctx, "weight"), {*num, *dim},
                              "normal(0, 1)", false, getParamLoc(ctx));
  if (failed(weight))
    return failure();
  SymShape shape = ids->shape;
  shape.push_back(SymDim::of(*dim));
  Value result = nn::EmbeddingOp::create(
      ctx.builder(), ctx.loc, ctx.getType(shape, ctx.net.getF32Type()),
      ids->value, weight->value);
  return ctx.make(result, shape);
}
