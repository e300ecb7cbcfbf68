//===- NNOps.cpp - Ops of the nn dialect ----------------------------------===//
//
// Result type inference, verifiers and folders of the nn ops. Every shape
// error names the op and the shapes involved.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace adjoint::nn;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static RankedTensorType tensorOf(Type type) {
  return llvm::cast<RankedTensorType>(type);
}

/// True when `value` is a constant whose every element equals `x`.
static bool isSplatOf(Attribute attr, double x) {
  auto dense = llvm::dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (!llvm::isa<FloatType>(dense.getElementType()))
    return false;
  return dense.getSplatValue<APFloat>().convertToDouble() == x;
}

/// Checks that `axes` are sorted, distinct and within [0, rank).
static LogicalResult verifyAxes(std::optional<Location> loc, StringRef opName,
                                ArrayRef<int64_t> axes, int64_t rank) {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank)
      return emitOptionalError(loc, "'", opName, "' op axis ", axes[i],
                               " is out of range for rank ", rank);
    if (i > 0 && axes[i] <= axes[i - 1])
      return emitOptionalError(loc, "'", opName,
                               "' op axes must be sorted and distinct");
  }
  return success();
}

/// Checks a pair of 2-element window attributes (kernel, stride, padding).
static LogicalResult verifyPair(std::optional<Location> loc, StringRef opName,
                                StringRef what, ArrayRef<int64_t> pair,
                                int64_t minValue) {
  if (pair.size() != 2)
    return emitOptionalError(loc, "'", opName, "' op ", what,
                             " must have 2 entries, got ", pair.size());
  for (int64_t v : pair)
    if (v < minValue)
      return emitOptionalError(loc, "'", opName, "' op ", what, " must be >= ",
                               minValue, ", got ", v);
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

static LogicalResult inferBinary(std::optional<Location> loc, StringRef opName,
                                 Type lhs, Type rhs,
                                 SmallVectorImpl<Type> &inferred) {
  auto a = tensorOf(lhs), b = tensorOf(rhs);
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "'", opName, "' op element types ",
                             a.getElementType(), " and ", b.getElementType(),
                             " differ");
  auto shape = broadcastShapes(a.getShape(), b.getShape());
  if (!shape)
    return emitOptionalError(loc, "'", opName, "' op cannot broadcast shapes ",
                             formatShape(a.getShape()), " and ",
                             formatShape(b.getShape()));
  inferred.push_back(RankedTensorType::get(*shape, a.getElementType()));
  return success();
}

#define NN_BINARY_INFER(OP, NAME)                                              \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    return inferBinary(loc, NAME, adaptor.getLhs().getType(),                  \
                       adaptor.getRhs().getType(), inferred);                  \
  }
NN_BINARY_INFER(AddOp, "nn.add")
NN_BINARY_INFER(SubOp, "nn.sub")
NN_BINARY_INFER(MulOp, "nn.mul")
NN_BINARY_INFER(DivOp, "nn.div")
#undef NN_BINARY_INFER

/// Folds `op(x, c)` to `x` when `c` is a splat of `identity` and the result
/// has the type of `x` (so no broadcast is lost).
static OpFoldResult foldRightIdentity(Operation *op, Value lhs,
                                      Attribute rhsAttr, double identity) {
  if (isSplatOf(rhsAttr, identity) &&
      lhs.getType() == op->getResult(0).getType())
    return lhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(*this, getLhs(), adaptor.getRhs(), 0))
    return r;
  return foldRightIdentity(*this, getRhs(), adaptor.getLhs(), 0);
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldRightIdentity(*this, getLhs(), adaptor.getRhs(), 0);
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(*this, getLhs(), adaptor.getRhs(), 1))
    return r;
  return foldRightIdentity(*this, getRhs(), adaptor.getLhs(), 1);
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldRightIdentity(*this, getLhs(), adaptor.getRhs(), 1);
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto a = tensorOf(adaptor.getLhs().getType());
  auto b = tensorOf(adaptor.getRhs().getType());
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "'nn.matmul' op element types ",
                             a.getElementType(), " and ", b.getElementType(),
                             " differ");
  if (a.getRank() < 2 || b.getRank() < 2)
    return emitOptionalError(loc, "'nn.matmul' op operands must have rank >= 2,"
                                  " got shapes ",
                             formatShape(a.getShape()), " and ",
                             formatShape(b.getShape()));
  ArrayRef<int64_t> as = a.getShape(), bs = b.getShape();
  int64_t m = as[as.size() - 2], ka = as.back();
  if (adaptor.getTransposeA())
    std::swap(m, ka);
  int64_t kb = bs[bs.size() - 2], n = bs.back();
  if (adaptor.getTransposeB())
    std::swap(kb, n);
  if (!dimsCompatible(ka, kb))
    return emitOptionalError(
        loc, "'nn.matmul' op contraction dims differ: ", formatShape(as),
        adaptor.getTransposeA() ? "^T" : "", " times ", formatShape(bs),
        adaptor.getTransposeB() ? "^T" : "");
  auto batch = broadcastShapes(as.drop_back(2), bs.drop_back(2));
  if (!batch)
    return emitOptionalError(loc, "'nn.matmul' op cannot broadcast batch dims "
                                  "of shapes ",
                             formatShape(as), " and ", formatShape(bs));
  SmallVector<int64_t> shape = *batch;
  shape.push_back(m);
  shape.push_back(n);
  inferred.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto type = tensorOf(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (static_cast<int64_t>(perm.size()) != type.getRank())
    return emitOptionalError(loc, "'nn.transpose' op perm has ", perm.size(),
                             " entries for an operand of shape ",
                             formatShape(type.getShape()));
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= type.getRank() || seen[p])
      return emitOptionalError(loc, "'nn.transpose' op perm is not a "
                                    "permutation of the dims of shape ",
                               formatShape(type.getShape()));
    seen[p] = true;
    shape.push_back(type.getDimSize(p));
  }
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i)
    identity &= perm[i] == static_cast<int64_t>(i);
  if (identity)
    return getInput();
  // transpose(transpose(x, p), q) = transpose(x, p o q).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> innerPerm = inner.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(innerPerm[p]);
    getInputMutable().assign(inner.getInput());
    setPerm(composed);
    return getResult();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// ReshapeOp and BroadcastOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = tensorOf(getInput().getType()), out = tensorOf(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element types ") << in.getElementType() << " and "
                                         << out.getElementType() << " differ";
  int64_t numDynamic = out.getNumDynamicDims();
  size_t numSizes = getDynamicSizes().size();
  if (numSizes == 0 && numDynamic > 1)
    return emitOpError("result shape ")
           << formatShape(out.getShape())
           << " has more than one dynamic dim but no dynamic sizes are given";
  if (numSizes != 0 && static_cast<int64_t>(numSizes) != numDynamic)
    return emitOpError("expected ") << numDynamic << " dynamic sizes for "
                                    << formatShape(out.getShape()) << ", got "
                                    << numSizes;
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << formatShape(in.getShape()) << " (" << in.getNumElements()
           << " elements) to " << formatShape(out.getShape()) << " ("
           << out.getNumElements() << " elements)";
  // With one inferred dim, the static part must divide the static input.
  if (in.hasStaticShape() && numDynamic == 1 && numSizes == 0) {
    int64_t staticPart = 1;
    for (int64_t d : out.getShape())
      if (!ShapedType::isDynamic(d))
        staticPart *= d;
    if (staticPart == 0 || in.getNumElements() % staticPart != 0)
      return emitOpError("cannot reshape ")
             << formatShape(in.getShape()) << " to "
             << formatShape(out.getShape())
             << ": the element count is not a multiple of " << staticPart;
  }
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  // Same type and at most one dynamic dim: the element count fixes that dim,
  // so the reshape is the identity. With two dynamic dims it may not be
  // ([2, 6] -> [3, 4] has type tensor<?x?xf32> on both sides).
  if (getInput().getType() == getType() && getType().getNumDynamicDims() <= 1)
    return getInput();
  // reshape(reshape(x)) = reshape(x) when the outer one needs no sizes.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    if (getDynamicSizes().empty()) {
      getInputMutable().assign(inner.getInput());
      return getResult();
    }
  }
  if (auto dense = llvm::dyn_cast_if_present<DenseElementsAttr>(
          adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  return {};
}

LogicalResult BroadcastOp::verify() {
  auto in = tensorOf(getInput().getType()), out = tensorOf(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element types ") << in.getElementType() << " and "
                                         << out.getElementType() << " differ";
  if (!isBroadcastableTo(in.getShape(), out.getShape()))
    return emitOpError("cannot broadcast shape ")
           << formatShape(in.getShape()) << " to "
           << formatShape(out.getShape());
  if (static_cast<int64_t>(getDynamicSizes().size()) !=
      out.getNumDynamicDims())
    return emitOpError("expected ")
           << out.getNumDynamicDims() << " dynamic sizes for "
           << formatShape(out.getShape()) << ", got "
           << getDynamicSizes().size();
  return success();
}

OpFoldResult BroadcastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto dense =
      llvm::dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (dense && dense.isSplat() && getType().hasStaticShape())
    return DenseElementsAttr::get(getType(),
                                  dense.getSplatValue<Attribute>());
  return {};
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

static LogicalResult inferReduction(std::optional<Location> loc,
                                    StringRef opName, Type inputType,
                                    ArrayRef<int64_t> axes, bool keepdims,
                                    SmallVectorImpl<Type> &inferred) {
  auto type = tensorOf(inputType);
  if (failed(verifyAxes(loc, opName, axes, type.getRank())))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!llvm::is_contained(axes, i))
      shape.push_back(type.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult SumOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  return inferReduction(loc, "nn.sum", adaptor.getInput().getType(),
                        adaptor.getAxes(), adaptor.getKeepdims(), inferred);
}

LogicalResult MeanOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  return inferReduction(loc, "nn.mean", adaptor.getInput().getType(),
                        adaptor.getAxes(), adaptor.getKeepdims(), inferred);
}

OpFoldResult SumOp::fold(FoldAdaptor) {
  if (getAxes().empty())
    return getInput();
  return {};
}

OpFoldResult MeanOp::fold(FoldAdaptor) {
  if (getAxes().empty())
    return getInput();
  return {};
}

LogicalResult SizeOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto type = tensorOf(adaptor.getInput().getType());
  if (failed(verifyAxes(loc, "nn.size", adaptor.getAxes(), type.getRank())))
    return failure();
  inferred.push_back(RankedTensorType::get({}, type.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ConcatOp, SliceOp, PadOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "'nn.concat' op needs at least one operand");
  auto first = tensorOf(inputs.front().getType());
  int64_t rank = first.getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= rank)
    return emitOptionalError(loc, "'nn.concat' op axis ", axis,
                             " is out of range for rank ", rank);
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : inputs.drop_front()) {
    auto t = tensorOf(v.getType());
    if (t.getRank() != rank || t.getElementType() != first.getElementType())
      return emitOptionalError(loc, "'nn.concat' op operand shapes ",
                               formatShape(first.getShape()), " and ",
                               formatShape(t.getShape()),
                               " differ in rank or element type");
    for (int64_t i = 0; i < rank; ++i) {
      if (i == axis) {
        shape[i] = ShapedType::isDynamic(shape[i]) || t.isDynamicDim(i)
                       ? ShapedType::kDynamic
                       : shape[i] + t.getDimSize(i);
        continue;
      }
      if (!dimsCompatible(shape[i], t.getDimSize(i)))
        return emitOptionalError(loc, "'nn.concat' op operand shapes ",
                                 formatShape(first.getShape()), " and ",
                                 formatShape(t.getShape()),
                                 " differ outside axis ", axis);
      if (ShapedType::isDynamic(shape[i]))
        shape[i] = t.getDimSize(i);
    }
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  return {};
}

LogicalResult SliceOp::verify() {
  auto in = tensorOf(getInput().getType()), out = tensorOf(getType());
  int64_t axis = getAxis(), start = getStart();
  if (in.getRank() != out.getRank() ||
      in.getElementType() != out.getElementType())
    return emitOpError("operand ") << formatShape(in.getShape())
                                   << " and result "
                                   << formatShape(out.getShape())
                                   << " differ in rank or element type";
  if (axis < 0 || axis >= in.getRank())
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << in.getRank();
  if (out.isDynamicDim(axis))
    return emitOpError("result dim ") << axis << " must be static";
  if (start < 0 || (!in.isDynamicDim(axis) &&
                    start + out.getDimSize(axis) > in.getDimSize(axis)))
    return emitOpError("slice [")
           << start << ", " << start + out.getDimSize(axis) << ") of axis "
           << axis << " is out of bounds for shape "
           << formatShape(in.getShape());
  for (int64_t i = 0; i < in.getRank(); ++i)
    if (i != axis && !dimsCompatible(in.getDimSize(i), out.getDimSize(i)))
      return emitOpError("operand ") << formatShape(in.getShape())
                                     << " and result "
                                     << formatShape(out.getShape())
                                     << " differ outside axis " << axis;
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  auto type = tensorOf(adaptor.getInput().getType());
  ArrayRef<int64_t> low = adaptor.getLow(), high = adaptor.getHigh();
  if (static_cast<int64_t>(low.size()) != type.getRank() ||
      static_cast<int64_t>(high.size()) != type.getRank())
    return emitOptionalError(loc, "'nn.pad' op needs one low and one high "
                                  "entry per dim of shape ",
                             formatShape(type.getShape()));
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (low[i] < 0 || high[i] < 0)
      return emitOptionalError(loc, "'nn.pad' op padding must be >= 0");
    int64_t d = type.getDimSize(i);
    shape.push_back(ShapedType::isDynamic(d) ? d : d + low[i] + high[i]);
  }
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax and normalizations
//===----------------------------------------------------------------------===//

static LogicalResult verifySoftmaxAxis(Operation *op, int64_t axis) {
  auto type = tensorOf(op->getOperand(0).getType());
  if (axis < 0 || axis >= type.getRank())
    return op->emitOpError("axis ")
           << axis << " is out of range for shape "
           << formatShape(type.getShape());
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifySoftmaxAxis(*this, getAxis()); }
LogicalResult LogSoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, getAxis());
}

/// Checks that a per-feature parameter `param` is 1-D of `size` elements.
static LogicalResult verifyFeatureParam(std::optional<Location> loc,
                                        StringRef opName, StringRef what,
                                        Type paramType, Type inputType,
                                        int64_t size) {
  auto p = tensorOf(paramType);
  if (p.getElementType() != tensorOf(inputType).getElementType())
    return emitOptionalError(loc, "'", opName, "' op ", what,
                             " element type differs from the input's");
  if (p.getRank() != 1 || !dimsCompatible(p.getDimSize(0), size))
    return emitOptionalError(loc, "'", opName, "' op ", what, " has shape ",
                             formatShape(p.getShape()), " but the input ",
                             formatShape(inputType), " needs [",
                             ShapedType::isDynamic(size) ? std::string("?")
                                                         : std::to_string(size),
                             "]");
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto type = tensorOf(adaptor.getInput().getType());
  if (type.getRank() < 1)
    return emitOptionalError(loc, "'nn.layernorm' op input must have rank >= 1");
  int64_t features = type.getShape().back();
  if (failed(verifyFeatureParam(loc, "nn.layernorm", "weight",
                                adaptor.getWeight().getType(), type,
                                features)) ||
      failed(verifyFeatureParam(loc, "nn.layernorm", "bias",
                                adaptor.getBias().getType(), type, features)))
    return failure();
  if (adaptor.getEps().convertToDouble() <= 0)
    return emitOptionalError(loc, "'nn.layernorm' op eps must be > 0");
  inferred.push_back(type);
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto type = tensorOf(adaptor.getInput().getType());
  if (type.getRank() != 2 && type.getRank() != 4)
    return emitOptionalError(loc, "'nn.batchnorm' op input must be [N, C] or "
                                  "[N, C, H, W], got ",
                             formatShape(type.getShape()));
  int64_t channels = type.getDimSize(1);
  std::pair<StringRef, Value> params[] = {
      {"weight", adaptor.getWeight()},
      {"bias", adaptor.getBias()},
      {"running_mean", adaptor.getRunningMean()},
      {"running_var", adaptor.getRunningVar()}};
  for (auto [what, value] : params)
    if (failed(verifyFeatureParam(loc, "nn.batchnorm", what, value.getType(),
                                  type, channels)))
      return failure();
  double momentum = adaptor.getMomentum().convertToDouble();
  if (adaptor.getEps().convertToDouble() <= 0 || momentum < 0 || momentum > 1)
    return emitOptionalError(loc, "'nn.batchnorm' op needs eps > 0 and "
                                  "momentum in [0, 1]");
  inferred.push_back(type);
  inferred.push_back(adaptor.getRunningMean().getType());
  inferred.push_back(adaptor.getRunningVar().getType());
  return success();
}

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (p < 0 || p >= 1)
    return emitOpError("probability p must be in [0, 1), got ") << p;
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

/// Shape of conv2d(input, filter): [N, O, Ho, Wo]. Emits on failure.
static FailureOr<SmallVector<int64_t>>
convResultShape(std::optional<Location> loc, StringRef opName,
                RankedTensorType input, RankedTensorType filter,
                ArrayRef<int64_t> stride, ArrayRef<int64_t> padding) {
  if (input.getRank() != 4 || filter.getRank() != 4) {
    (void)emitOptionalError(loc, "'", opName,
                            "' op expects an NCHW input and an OIHW filter, "
                            "got shapes ",
                            formatShape(input.getShape()), " and ",
                            formatShape(filter.getShape()));
    return failure();
  }
  if (failed(verifyPair(loc, opName, "stride", stride, 1)) ||
      failed(verifyPair(loc, opName, "padding", padding, 0)))
    return failure();
  if (!dimsCompatible(input.getDimSize(1), filter.getDimSize(1))) {
    (void)emitOptionalError(loc, "'", opName, "' op input ",
                            formatShape(input.getShape()), " has ",
                            input.getDimSize(1), " channels but the filter ",
                            formatShape(filter.getShape()), " expects ",
                            filter.getDimSize(1));
    return failure();
  }
  SmallVector<int64_t> shape = {input.getDimSize(0), filter.getDimSize(0)};
  for (int i = 0; i < 2; ++i) {
    int64_t k = filter.getDimSize(2 + i);
    int64_t out = ShapedType::isDynamic(k)
                      ? ShapedType::kDynamic
                      : windowOutputSize(input.getDimSize(2 + i), k, stride[i],
                                         padding[i]);
    if (out == 0) {
      (void)emitOptionalError(loc, "'", opName, "' op the filter ",
                              formatShape(filter.getShape()),
                              " does not fit the input ",
                              formatShape(input.getShape()));
      return failure();
    }
    shape.push_back(out);
  }
  return shape;
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = tensorOf(adaptor.getInput().getType());
  auto filter = tensorOf(adaptor.getFilter().getType());
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, "'nn.conv2d' op element types differ");
  auto shape = convResultShape(loc, "nn.conv2d", input, filter,
                               adaptor.getStride(), adaptor.getPadding());
  if (failed(shape))
    return failure();
  inferred.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

/// Checks that `grad` has the shape of conv2d(input, filter).
static LogicalResult verifyConvBackward(Operation *op, RankedTensorType input,
                                        RankedTensorType filter,
                                        RankedTensorType grad,
                                        ArrayRef<int64_t> stride,
                                        ArrayRef<int64_t> padding) {
  auto shape = convResultShape(op->getLoc(), op->getName().getStringRef(),
                               input, filter, stride, padding);
  if (failed(shape))
    return failure();
  for (int64_t i = 0; i < 4; ++i)
    if (grad.getRank() != 4 || !dimsCompatible((*shape)[i], grad.getDimSize(i)))
      return op->emitOpError("output gradient ")
             << formatShape(grad.getShape()) << " does not match the conv2d "
             << "result " << formatShape(*shape) << " of input "
             << formatShape(input.getShape()) << " and filter "
             << formatShape(filter.getShape());
  return success();
}

LogicalResult Conv2DBackwardInputOp::verify() {
  return verifyConvBackward(*this, tensorOf(getType()),
                            tensorOf(getFilter().getType()),
                            tensorOf(getGradOutput().getType()), getStride(),
                            getPadding());
}

LogicalResult Conv2DBackwardFilterOp::verify() {
  return verifyConvBackward(*this, tensorOf(getInput().getType()),
                            tensorOf(getType()),
                            tensorOf(getGradOutput().getType()), getStride(),
                            getPadding());
}

/// Shape of a pooling of `input`: [N, C, Ho, Wo]. Emits on failure.
static FailureOr<SmallVector<int64_t>>
poolResultShape(std::optional<Location> loc, StringRef opName,
                RankedTensorType input, ArrayRef<int64_t> kernel,
                ArrayRef<int64_t> stride) {
  if (input.getRank() != 4) {
    (void)emitOptionalError(loc, "'", opName,
                            "' op expects an NCHW input, got shape ",
                            formatShape(input.getShape()));
    return failure();
  }
  if (failed(verifyPair(loc, opName, "kernel", kernel, 1)) ||
      failed(verifyPair(loc, opName, "stride", stride, 1)))
    return failure();
  SmallVector<int64_t> shape = {input.getDimSize(0), input.getDimSize(1)};
  for (int i = 0; i < 2; ++i) {
    int64_t out =
        windowOutputSize(input.getDimSize(2 + i), kernel[i], stride[i], 0);
    if (out == 0) {
      (void)emitOptionalError(loc, "'", opName, "' op kernel [", kernel[0],
                              ", ", kernel[1], "] does not fit the input ",
                              formatShape(input.getShape()));
      return failure();
    }
    shape.push_back(out);
  }
  return shape;
}

static LogicalResult inferPool(std::optional<Location> loc, StringRef opName,
                               Type inputType, ArrayRef<int64_t> kernel,
                               ArrayRef<int64_t> stride,
                               SmallVectorImpl<Type> &inferred) {
  auto input = tensorOf(inputType);
  auto shape = poolResultShape(loc, opName, input, kernel, stride);
  if (failed(shape))
    return failure();
  inferred.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferPool(loc, "nn.max_pool2d", adaptor.getInput().getType(),
                   adaptor.getKernel(), adaptor.getStride(), inferred);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferPool(loc, "nn.avg_pool2d", adaptor.getInput().getType(),
                   adaptor.getKernel(), adaptor.getStride(), inferred);
}

/// Checks that `pooled` has the shape of pooling `input`.
static LogicalResult verifyPoolPair(Operation *op, RankedTensorType input,
                                    RankedTensorType pooled,
                                    ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> stride) {
  auto shape = poolResultShape(op->getLoc(), op->getName().getStringRef(),
                               input, kernel, stride);
  if (failed(shape))
    return failure();
  for (int64_t i = 0; i < 4; ++i)
    if (pooled.getRank() != 4 ||
        !dimsCompatible((*shape)[i], pooled.getDimSize(i)))
      return op->emitOpError("pooled shape ")
             << formatShape(pooled.getShape())
             << " does not match the pooling of "
             << formatShape(input.getShape()) << ", which is "
             << formatShape(*shape);
  return success();
}

LogicalResult AvgPool2DBackwardOp::verify() {
  return verifyPoolPair(*this, tensorOf(getType()),
                        tensorOf(getGradOutput().getType()), getKernel(),
                        getStride());
}

LogicalResult MaxPool2DJvpOp::verify() {
  if (getInput().getType() != getTangent().getType())
    return emitOpError("tangent ") << formatShape(getTangent().getType())
                                   << " differs from the input "
                                   << formatShape(getInput().getType());
  return verifyPoolPair(*this, tensorOf(getInput().getType()),
                        tensorOf(getType()), getKernel(), getStride());
}

LogicalResult MaxPool2DVjpOp::verify() {
  if (getInput().getType() != getType())
    return emitOpError("result ") << formatShape(getType())
                                  << " differs from the input "
                                  << formatShape(getInput().getType());
  return verifyPoolPair(*this, tensorOf(getInput().getType()),
                        tensorOf(getGradOutput().getType()), getKernel(),
                        getStride());
}

//===----------------------------------------------------------------------===//
// Embedding and labels
//===----------------------------------------------------------------------===//

LogicalResult EmbeddingOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto ids = tensorOf(adaptor.getIds().getType());
  auto weight = tensorOf(adaptor.getWeight().getType());
  if (weight.getRank() != 2)
    return emitOptionalError(loc, "'nn.embedding' op weight must be [NUM, "
                                  "DIM], got ",
                             formatShape(weight.getShape()));
  SmallVector<int64_t> shape(ids.getShape());
  shape.push_back(weight.getDimSize(1));
  inferred.push_back(RankedTensorType::get(shape, weight.getElementType()));
  return success();
}

LogicalResult EmbeddingBackwardOp::verify() {
  auto ids = tensorOf(getIds().getType());
  auto grad = tensorOf(getGradOutput().getType());
  auto table = tensorOf(getType());
  if (table.getRank() != 2 || grad.getRank() != ids.getRank() + 1)
    return emitOpError("expects a [NUM, DIM] result and a gradient of rank ")
           << ids.getRank() + 1 << ", got " << formatShape(table.getShape())
           << " and " << formatShape(grad.getShape());
  for (int64_t i = 0; i < ids.getRank(); ++i)
    if (!dimsCompatible(ids.getDimSize(i), grad.getDimSize(i)))
      return emitOpError("gradient ")
             << formatShape(grad.getShape()) << " does not match ids "
             << formatShape(ids.getShape());
  if (!dimsCompatible(grad.getShape().back(), table.getDimSize(1)))
    return emitOpError("gradient ") << formatShape(grad.getShape())
                                    << " does not match table "
                                    << formatShape(table.getShape());
  return success();
}

LogicalResult OneHotOp::verify() {
  auto labels = tensorOf(getLabels().getType());
  auto out = tensorOf(getType());
  if (out.getRank() != labels.getRank() + 1 ||
      out.isDynamicDim(out.getRank() - 1))
    return emitOpError("result ")
           << formatShape(out.getShape())
           << " must add one static class dim to the labels "
           << formatShape(labels.getShape());
  for (int64_t i = 0; i < labels.getRank(); ++i)
    if (!dimsCompatible(labels.getDimSize(i), out.getDimSize(i)))
      return emitOpError("result ") << formatShape(out.getShape())
                                    << " does not match the labels "
                                    << formatShape(labels.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

static LogicalResult inferSameShapeLoss(std::optional<Location> loc,
                                        StringRef opName, Type lhs, Type rhs,
                                        SmallVectorImpl<Type> &inferred) {
  auto a = tensorOf(lhs), b = tensorOf(rhs);
  bool same = a.getRank() == b.getRank() &&
              a.getElementType() == b.getElementType();
  for (int64_t i = 0; same && i < a.getRank(); ++i)
    same = dimsCompatible(a.getDimSize(i), b.getDimSize(i));
  if (!same)
    return emitOptionalError(loc, "'", opName, "' op operand shapes ",
                             formatShape(a.getShape()), " and ",
                             formatShape(b.getShape()),
                             " must be the same");
  inferred.push_back(RankedTensorType::get({}, a.getElementType()));
  return success();
}

LogicalResult MseOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  return inferSameShapeLoss(loc, "nn.mse", adaptor.getPred().getType(),
                            adaptor.getTarget().getType(), inferred);
}

LogicalResult BceWithLogitsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  return inferSameShapeLoss(loc, "nn.bce_with_logits",
                            adaptor.getLogits().getType(),
                            adaptor.getTargets().getType(), inferred);
}

LogicalResult SoftmaxCrossEntropyOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto logits = tensorOf(adaptor.getLogits().getType());
  auto labels = tensorOf(adaptor.getLabels().getType());
  if (logits.getRank() != 2 || labels.getRank() != 1 ||
      !dimsCompatible(logits.getDimSize(0), labels.getDimSize(0)))
    return emitOptionalError(loc, "'nn.softmax_cross_entropy' op expects "
                                  "logits [N, C] and labels [N], got ",
                             formatShape(logits.getShape()), " and ",
                             formatShape(labels.getShape()));
  inferred.push_back(RankedTensorType::get({}, logits.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "adjoint/Dialect/NN/IR/NNOps.cpp.inc"
