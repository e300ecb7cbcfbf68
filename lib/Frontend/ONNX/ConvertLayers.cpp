//===- ConvertLayers.cpp - Layer ONNX ops ---------------------------------===//
//
// Products (Gemm, MatMul: nn.matmul with transposes folded into its flags, so
// that PyTorch's Linear reads as the dense layer's matmul + add), convolution
// and pooling, reductions, softmax, normalizations and dropout.
//
//===----------------------------------------------------------------------===//

#include "Converters.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/IR/Value.h"

#include <cmath>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::onnximport;

//===----------------------------------------------------------------------===//
// Products
//===----------------------------------------------------------------------===//

/// When `value` is an nn.transpose that only swaps the last two dims, its
/// input (the transpose folds into nn.matmul's flag); else `value` itself.
static TValue foldSwapTranspose(const TValue &value, bool &transposed) {
  auto op = value.value.getDefiningOp<nn::TransposeOp>();
  if (!op)
    return value;
  llvm::ArrayRef<int64_t> perm = op.getPerm();
  int64_t rank = static_cast<int64_t>(perm.size());
  if (rank < 2)
    return value;
  for (int64_t i = 0; i < rank - 2; ++i)
    if (perm[i] != i)
      return value;
  if (perm[rank - 2] != rank - 1 || perm[rank - 1] != rank - 2)
    return value;
  transposed = !transposed;
  Shape shape = value.shape;
  std::swap(shape[rank - 2], shape[rank - 1]);
  return TValue{op.getInput(), shape};
}

/// nn.matmul of `lhs` and `rhs` with transposes folded into its flags.
static FailureOr<TValue> buildMatmul(GraphImporter &importer, TValue lhs,
                                     TValue rhs, bool transA, bool transB) {
  lhs = foldSwapTranspose(lhs, transA);
  rhs = foldSwapTranspose(rhs, transB);
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return importer.emitNodeError()
           << "operands must have rank >= 2, not " << importer.formatDims(lhs.shape)
           << " and " << importer.formatDims(rhs.shape);
  OpBuilder &b = importer.getBuilder();
  FailureOr<nn::MatmulOp> op = importer.create<nn::MatmulOp>(
      lhs.value, rhs.value, transA ? b.getUnitAttr() : UnitAttr(),
      transB ? b.getUnitAttr() : UnitAttr());
  if (failed(op))
    return failure();
  // The symbols of the result: broadcast batch dims, M and N.
  llvm::ArrayRef<Dim> l = lhs.shape, r = rhs.shape;
  Shape hint;
  FailureOr<Shape> batch =
      importer.broadcast(l.drop_back(2), r.drop_back(2));
  if (succeeded(batch))
    hint = *batch;
  hint.push_back(transA ? l.back() : l[l.size() - 2]);
  hint.push_back(transB ? r[r.size() - 2] : r.back());
  return TValue{*op, importer.resultShape(*op, hint)};
}

LogicalResult adjoint::onnximport::convertMatMul(GraphImporter &importer,
                                                 const onnx::NodeProto &) {
  FailureOr<TValue> lhs = importer.getTensorInput(0);
  FailureOr<TValue> rhs = importer.getTensorInput(1);
  if (failed(lhs) || failed(rhs) ||
      failed(requireFloat(importer, *lhs, "the left operand")) ||
      failed(requireFloat(importer, *rhs, "the right operand")))
    return failure();
  FailureOr<TValue> result = buildMatmul(importer, *lhs, *rhs, false, false);
  if (failed(result))
    return failure();
  importer.setTensor(0, *result);
  return success();
}

/// Multiplies by a scalar unless it is 1.
static FailureOr<TValue> scaleBy(GraphImporter &importer, const TValue &value,
                                 double factor) {
  if (factor == 1.0)
    return value;
  Value scaled = nn::MulOp::create(importer.getBuilder(), importer.getLoc(),
                                   value.getType(), value.value,
                                   importer.scalarConstant(factor).value);
  return TValue{scaled, value.shape};
}

/// alpha * op(A) op(B) + beta * C as nn.matmul (with transpose flags) and
/// nn.add: Gemm with transB = 1 is exactly the dense layer.
LogicalResult adjoint::onnximport::convertGemm(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  FailureOr<TValue> a = importer.getTensorInput(0);
  FailureOr<TValue> b = importer.getTensorInput(1);
  if (failed(a) || failed(b) ||
      failed(requireFloat(importer, *a, "input A")) ||
      failed(requireFloat(importer, *b, "input B")))
    return failure();
  if (a->getRank() != 2 || b->getRank() != 2)
    return importer.emitNodeError() << "A and B must be matrices";
  FailureOr<TValue> product =
      buildMatmul(importer, *a, *b, importer.getIntAttr("transA", 0) != 0,
                  importer.getIntAttr("transB", 0) != 0);
  if (failed(product))
    return failure();
  product = scaleBy(importer, *product, importer.getFloatAttr("alpha", 1.0));
  if (failed(product))
    return failure();
  if (!importer.hasInput(2)) {
    importer.setTensor(0, *product);
    return success();
  }
  FailureOr<TValue> c = importer.getTensorInput(2);
  if (failed(c) || failed(requireFloat(importer, *c, "input C")))
    return failure();
  FailureOr<TValue> bias =
      scaleBy(importer, *c, importer.getFloatAttr("beta", 1.0));
  FailureOr<Shape> shape = importer.broadcast(product->shape, bias->shape);
  if (failed(bias) || failed(shape))
    return failure();
  FailureOr<nn::AddOp> add =
      importer.create<nn::AddOp>(product->value, bias->value);
  if (failed(add))
    return failure();
  importer.setTensor(0, *add, importer.resultShape(*add, *shape));
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// The (begin, end) pads of a 2-D window op: `pads` is [top, left, bottom,
/// right]; auto_pad=VALID means none.
static FailureOr<std::pair<llvm::SmallVector<int64_t>, llvm::SmallVector<int64_t>>>
getPads(GraphImporter &importer) {
  llvm::SmallVector<int64_t> pads =
      importer.getIntsAttr("pads").value_or(llvm::SmallVector<int64_t>(4, 0));
  if (importer.getStringAttr("auto_pad", "NOTSET") == "VALID")
    pads.assign(4, 0);
  if (pads.size() != 4 || llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return importer.emitNodeError() << "pads must be 4 values >= 0";
  return std::make_pair(llvm::SmallVector<int64_t>{pads[0], pads[1]},
                        llvm::SmallVector<int64_t>{pads[2], pads[3]});
}

/// nn.pad of the spatial dims of an NCHW tensor.
static FailureOr<TValue> padSpatial(GraphImporter &importer, const TValue &x,
                                    llvm::ArrayRef<int64_t> begin,
                                    llvm::ArrayRef<int64_t> end) {
  OpBuilder &b = importer.getBuilder();
  FailureOr<nn::PadOp> op = importer.create<nn::PadOp>(
      x.value, b.getDenseI64ArrayAttr({0, 0, begin[0], begin[1]}),
      b.getDenseI64ArrayAttr({0, 0, end[0], end[1]}));
  if (failed(op))
    return failure();
  return TValue{*op, importer.resultShape(*op, x.shape)};
}

static LogicalResult requireNCHW(GraphImporter &importer, const TValue &x) {
  if (failed(requireFloat(importer, x, "the input")))
    return failure();
  if (x.getRank() != 4)
    return importer.emitNodeError()
           << "only 2-D NCHW inputs are supported, not "
           << importer.formatDims(x.shape);
  return success();
}

LogicalResult adjoint::onnximport::convertConv(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  FailureOr<TValue> w = importer.getTensorInput(1);
  if (failed(x) || failed(w) || failed(requireNCHW(importer, *x)) ||
      failed(requireFloat(importer, *w, "the filter")))
    return failure();
  auto pads = getPads(importer);
  if (failed(pads))
    return failure();
  llvm::SmallVector<int64_t> strides =
      importer.getIntsAttr("strides").value_or(llvm::SmallVector<int64_t>{1, 1});
  if (strides.size() != 2)
    return importer.emitNodeError() << "strides must have 2 values";
  auto [begin, end] = *pads;
  TValue input = *x;
  llvm::SmallVector<int64_t> padding = begin;
  if (begin != end) {
    FailureOr<TValue> padded = padSpatial(importer, input, begin, end);
    if (failed(padded))
      return failure();
    input = *padded;
    padding = {0, 0};
  }
  OpBuilder &b = importer.getBuilder();
  FailureOr<nn::Conv2DOp> conv = importer.create<nn::Conv2DOp>(
      input.value, w->value, b.getDenseI64ArrayAttr(strides),
      b.getDenseI64ArrayAttr(padding));
  if (failed(conv))
    return failure();
  Shape hint = {input.shape[0], w->shape[0], Dim(), Dim()};
  TValue result{*conv, importer.resultShape(*conv, hint)};
  if (importer.hasInput(2)) {
    FailureOr<TValue> bias = importer.getTensorInput(2);
    if (failed(bias) || failed(requireFloat(importer, *bias, "the bias")))
      return failure();
    if (bias->getRank() != 1)
      return importer.emitNodeError() << "the bias must be 1-D";
    // The bias [O] broadcasts as [O, 1, 1] over the NCHW result.
    TValue bias3 = importer.reshape(
        *bias, {bias->shape[0], Dim::fixed(1), Dim::fixed(1)});
    FailureOr<nn::AddOp> add =
        importer.create<nn::AddOp>(result.value, bias3.value);
    if (failed(add))
      return failure();
    result = TValue{*add, importer.resultShape(*add, result.shape)};
  }
  importer.setTensor(0, result);
  return success();
}

template <typename OpTy>
static LogicalResult convertPool(GraphImporter &importer, bool isAverage) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireNCHW(importer, *x)))
    return failure();
  std::optional<llvm::SmallVector<int64_t>> kernel =
      importer.getIntsAttr("kernel_shape");
  if (!kernel || kernel->size() != 2)
    return importer.emitNodeError() << "kernel_shape must have 2 values";
  llvm::SmallVector<int64_t> strides =
      importer.getIntsAttr("strides").value_or(llvm::SmallVector<int64_t>{1, 1});
  if (strides.size() != 2)
    return importer.emitNodeError() << "strides must have 2 values";
  auto pads = getPads(importer);
  if (failed(pads))
    return failure();
  TValue input = *x;
  auto [begin, end] = *pads;
  if (llvm::any_of(begin, [](int64_t p) { return p != 0; }) ||
      llvm::any_of(end, [](int64_t p) { return p != 0; })) {
    // Checked before import: only average pooling that counts the padding.
    assert(isAverage && "max pooling with padding is refused earlier");
    FailureOr<TValue> padded = padSpatial(importer, input, begin, end);
    if (failed(padded))
      return failure();
    input = *padded;
  }
  OpBuilder &b = importer.getBuilder();
  FailureOr<OpTy> op = importer.create<OpTy>(
      input.value, b.getDenseI64ArrayAttr(*kernel),
      b.getDenseI64ArrayAttr(strides));
  if (failed(op))
    return failure();
  Shape hint = {input.shape[0], input.shape[1], Dim(), Dim()};
  importer.setTensor(0, *op, importer.resultShape(*op, hint));
  return success();
}

LogicalResult adjoint::onnximport::convertMaxPool(GraphImporter &importer,
                                                  const onnx::NodeProto &) {
  return convertPool<nn::MaxPool2DOp>(importer, /*isAverage=*/false);
}

LogicalResult adjoint::onnximport::convertAveragePool(GraphImporter &importer,
                                                      const onnx::NodeProto &) {
  return convertPool<nn::AvgPool2DOp>(importer, /*isAverage=*/true);
}

//===----------------------------------------------------------------------===//
// Reductions and softmax
//===----------------------------------------------------------------------===//

/// nn.sum / nn.mean over `axes` (all dims when empty).
template <typename OpTy>
static LogicalResult buildReduction(GraphImporter &importer,
                                    llvm::ArrayRef<int64_t> axes,
                                    bool keepdims) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the input")))
    return failure();
  int64_t rank = x->getRank();
  llvm::SmallVector<int64_t> normalized;
  for (int64_t axis : axes) {
    FailureOr<int64_t> a = normalizeAxis(importer, axis, rank, "axis");
    if (failed(a))
      return failure();
    normalized.push_back(*a);
  }
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i)
      normalized.push_back(i);
  llvm::sort(normalized);
  normalized.erase(std::unique(normalized.begin(), normalized.end()),
                   normalized.end());
  OpBuilder &b = importer.getBuilder();
  FailureOr<OpTy> op = importer.create<OpTy>(
      x->value, b.getDenseI64ArrayAttr(normalized),
      keepdims ? b.getUnitAttr() : UnitAttr());
  if (failed(op))
    return failure();
  Shape hint;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(normalized, i))
      hint.push_back(x->shape[i]);
    else if (keepdims)
      hint.push_back(Dim::fixed(1));
  }
  importer.setTensor(0, *op, importer.resultShape(*op, hint));
  return success();
}

LogicalResult adjoint::onnximport::convertReduceSum(GraphImporter &importer,
                                                    const onnx::NodeProto &) {
  llvm::SmallVector<int64_t> axes;
  if (importer.hasInput(1)) {
    FailureOr<llvm::SmallVector<int64_t>> a = importer.getIntsInput(1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  if (axes.empty() && importer.getIntAttr("noop_with_empty_axes", 0) != 0) {
    importer.alias(0, 0);
    return success();
  }
  return buildReduction<nn::SumOp>(importer, axes,
                                   importer.getIntAttr("keepdims", 1) != 0);
}

LogicalResult adjoint::onnximport::convertReduceMean(GraphImporter &importer,
                                                     const onnx::NodeProto &) {
  llvm::SmallVector<int64_t> axes =
      importer.getIntsAttr("axes").value_or(llvm::SmallVector<int64_t>());
  return buildReduction<nn::MeanOp>(importer, axes,
                                    importer.getIntAttr("keepdims", 1) != 0);
}

LogicalResult
adjoint::onnximport::convertGlobalAveragePool(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireNCHW(importer, *x)))
    return failure();
  return buildReduction<nn::MeanOp>(importer, {2, 3}, /*keepdims=*/true);
}

template <typename OpTy>
static LogicalResult convertSoftmaxLike(GraphImporter &importer) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the input")))
    return failure();
  FailureOr<int64_t> axis = normalizeAxis(
      importer, importer.getIntAttr("axis", -1), x->getRank(), "axis");
  if (failed(axis))
    return failure();
  OpBuilder &b = importer.getBuilder();
  Value result = OpTy::create(b, importer.getLoc(), x->getType(), x->value,
                              b.getI64IntegerAttr(*axis));
  importer.setTensor(0, result, x->shape);
  return success();
}

LogicalResult adjoint::onnximport::convertSoftmax(GraphImporter &importer,
                                                  const onnx::NodeProto &) {
  return convertSoftmaxLike<nn::SoftmaxOp>(importer);
}

LogicalResult adjoint::onnximport::convertLogSoftmax(GraphImporter &importer,
                                                     const onnx::NodeProto &) {
  return convertSoftmaxLike<nn::LogSoftmaxOp>(importer);
}

//===----------------------------------------------------------------------===//
// Normalizations and dropout
//===----------------------------------------------------------------------===//

LogicalResult
adjoint::onnximport::convertLayerNormalization(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  FailureOr<TValue> scale = importer.getTensorInput(1);
  if (failed(x) || failed(scale) ||
      failed(requireFloat(importer, *x, "the input")))
    return failure();
  FailureOr<int64_t> axis = normalizeAxis(
      importer, importer.getIntAttr("axis", -1), x->getRank(), "axis");
  if (failed(axis))
    return failure();
  if (*axis != x->getRank() - 1)
    return importer.emitNodeError()
           << "only normalization over the last dim is supported (axis "
           << *axis << " of rank " << x->getRank() << ")";
  TValue bias;
  if (importer.hasInput(2)) {
    FailureOr<TValue> b = importer.getTensorInput(2);
    if (failed(b))
      return failure();
    bias = *b;
  } else {
    const Dim &last = x->shape.back();
    if (!last.isStatic())
      return importer.emitNodeError()
             << "a missing bias needs a static last dim";
    HostTensor zeros(DType::F32, {last.size});
    bias = importer.materialize(
        importer.getFloatType().isF64() ? zeros.convertTo(DType::F64) : zeros);
  }
  FailureOr<nn::LayerNormOp> op = importer.create<nn::LayerNormOp>(
      x->value, scale->value, bias.value,
      importer.getBuilder().getF64FloatAttr(
          importer.getFloatAttr("epsilon", 1e-5)));
  if (failed(op))
    return failure();
  importer.setTensor(0, *op, importer.resultShape(*op, x->shape));
  return success();
}

/// nn.batchnorm in inference mode (the gradient function switches it to
/// training mode, as for .nn models). ONNX's momentum is the weight of the
/// old running value (0.9), nn's that of the new one (0.1).
LogicalResult
adjoint::onnximport::convertBatchNormalization(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  llvm::SmallVector<TValue, 5> in;
  for (unsigned i = 0; i < 5; ++i) {
    FailureOr<TValue> v = importer.getTensorInput(i);
    if (failed(v) || failed(requireFloat(importer, *v, "an input")))
      return failure();
    in.push_back(*v);
  }
  if (importer.isOutputUsed(3) || importer.isOutputUsed(4))
    return importer.emitNodeError()
           << "the saved mean and variance outputs are not supported";
  OpBuilder &b = importer.getBuilder();
  // 1 - 0.9 in decimal, not in binary: 0.1.
  double momentum =
      std::round((1.0 - importer.getFloatAttr("momentum", 0.9)) * 1e12) / 1e12;
  FailureOr<nn::BatchNormOp> op = importer.create<nn::BatchNormOp>(
      in[0].value, in[1].value, in[2].value, in[3].value, in[4].value,
      b.getF64FloatAttr(importer.getFloatAttr("epsilon", 1e-5)),
      b.getF64FloatAttr(momentum), UnitAttr());
  if (failed(op))
    return failure();
  importer.setTensor(0, op->getResult(), importer.resultShape(op->getResult(),
                                                              in[0].shape));
  importer.setTensor(1, op->getNewRunningMean(), in[3].shape);
  importer.setTensor(2, op->getNewRunningVar(), in[4].shape);
  return success();
}

/// nn.dropout with the model's seed argument, in inference mode (the gradient
/// and training functions switch it on). ONNX's training_mode is ignored: the
/// tool decides the mode.
LogicalResult adjoint::onnximport::convertDropout(GraphImporter &importer,
                                                  const onnx::NodeProto &) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the input")))
    return failure();
  if (importer.isOutputUsed(1))
    return importer.emitNodeError() << "the mask output is not supported";
  double ratio = importer.getFloatAttr("ratio", 0.5);
  if (importer.hasInput(1)) {
    const HostTensor *r = importer.getConstantInput(1);
    if (!r || r->getNumElements() != 1)
      return importer.emitNodeError() << "the ratio must be a constant";
    ratio = r->getElementAsDouble(0);
  }
  if (importer.hasInput(2) && !importer.getConstantInput(2))
    return importer.emitNodeError() << "training_mode must be a constant";
  if (ratio < 0 || ratio >= 1)
    return importer.emitNodeError() << "ratio " << ratio
                                    << " is outside [0, 1)";
  if (ratio == 0) {
    importer.setTensor(0, *x);
    return success();
  }
  OpBuilder &b = importer.getBuilder();
  Value result = nn::DropoutOp::create(
      b, importer.getLoc(), x->getType(), x->value, importer.getSeed(),
      b.getF64FloatAttr(ratio), b.getI64IntegerAttr(importer.nextDropoutStream()),
      UnitAttr());
  importer.setTensor(0, result, x->shape);
  return success();
}
