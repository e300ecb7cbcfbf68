//===- ConvPool.cpp - Convolution and pooling, NCHW -----------------------===//
//
// Pooling uses the named linalg ops linalg.pooling_nchw_max / _sum. A
// convolution whose output has static spatial dims is a matmul (im2col): the
// windows of the padded input are copied into a [C kh kw, N Ho Wo] matrix
// (rows along the output's x, so the copies are long and unit-stride), which
// the filter [O, C kh kw] multiplies; the product [O, N Ho Wo] is copied into
// NCHW. The kernels' vectors run along N Ho Wo, all lanes live however few
// the output channels (lib/Codegen). The backward filter is the cotangent as
// [O, N Ho Wo] times that matrix transposed. Dynamic spatial dims (and
// `im2col=false`) use tensor.pad then linalg.conv_2d_nchw_fchw, and a generic
// contraction for the backward filter. Stride-1 convolutions with few terms
// per output skip im2col: they are vector loops over the output rows,
// forward and filter gradient (DirectConv.cpp).
//
// A convolution's input gradient is, with im2col, a matmul that makes the
// gradient of the im2col matrix and col2im, a linalg.generic reduction whose
// output map (n, c, y sh + i, x sw + j) adds every column back into its
// window. Without im2col, and for avg_pool2d, the transposed op is a
// convolution (or sum pooling) of the cotangent dilated by the strides into
// zeros: dx[y] = sum_i dyd[y + i] w[kh - 1 - i], with the filter flipped and
// its channels swapped. max_pool2d's tangent and cotangent go through the
// argmax of each window (first maximum wins, NaN counts as the maximum),
// computed by one linalg.generic; the cotangent is scattered to the argmax
// of its window in the same way as col2im, or, where the windows tile the
// input, written once per element (as vector rows when they are short).
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

/// The output size of a window of `kernel`, `stride` apart, over `size`
/// padded by `pad` on both sides: (size + 2 pad - kernel) / stride + 1. A
/// run-time check that the window fits when `size` is dynamic.
OpFoldResult windowOutput(OpBuilder &b, Location loc, Operation *op,
                          OpFoldResult size, int64_t kernel, int64_t stride,
                          int64_t pad) {
  if (std::optional<int64_t> v = getConstantIntValue(size))
    return b.getIndexAttr((*v + 2 * pad - kernel) / stride + 1);
  Value span = toValue(b, loc, affine(b, loc, size, 1, 2 * pad - kernel));
  Value fits = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, span,
                                     indexConstant(b, loc, 0));
  createCheck(b, loc, op, fits,
              "a window of " + Twine(kernel) + " does not fit the input");
  Value out = arith::DivSIOp::create(b, loc, span, indexConstant(b, loc, stride));
  return arith::AddIOp::create(b, loc, out, indexConstant(b, loc, 1))
      .getResult();
}

/// The smallest input size whose window output is `out`:
/// (out - 1) stride + kernel - 2 pad, or the result type's static size.
OpFoldResult windowInput(OpBuilder &b, Location loc, RankedTensorType type,
                         int64_t dim, OpFoldResult out, int64_t kernel,
                         int64_t stride, int64_t pad) {
  if (!type.isDynamicDim(dim))
    return b.getIndexAttr(type.getDimSize(dim));
  return affine(b, loc, out, stride, kernel - 2 * pad - stride);
}

/// Pads dims 2 and 3 of an NCHW tensor by (ph, pw) on both sides with
/// `value`.
Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t ph, int64_t pw,
                 Value value) {
  if (ph == 0 && pw == 0)
    return x;
  SmallVector<int64_t> low = {0, 0, ph, pw};
  auto type = tensor::PadOp::inferResultType(
      llvm::cast<RankedTensorType>(x.getType()), low, low);
  SmallVector<OpFoldResult> lowOfr;
  for (int64_t v : low)
    lowOfr.push_back(b.getIndexAttr(v));
  return tensor::PadOp::create(b, loc, type, x, lowOfr, lowOfr, value);
}

/// `dy` [N, C, Ho, Wo] dilated by (sh, sw) and placed at (offH, offW) in a
/// tensor of [N, C, height, width] filled with `fill`.
Value dilateInto(OpBuilder &b, Location loc, Value dy, OpFoldResult height,
                 OpFoldResult width, int64_t offH, int64_t offW, int64_t sh,
                 int64_t sw, Value fill) {
  SmallVector<OpFoldResult> dySizes = getSizes(b, loc, dy);
  SmallVector<OpFoldResult> sizes = {dySizes[0], dySizes[1], height, width};
  Value zeros = createFilled(b, loc, sizes, fill);
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), b.getIndexAttr(0),
                                       b.getIndexAttr(offH),
                                       b.getIndexAttr(offW)};
  SmallVector<OpFoldResult> strides = {b.getIndexAttr(1), b.getIndexAttr(1),
                                       b.getIndexAttr(sh), b.getIndexAttr(sw)};
  return tensor::InsertSliceOp::create(b, loc, dy, zeros, offsets, dySizes,
                                       strides);
}

/// The 2-element attribute `dense<[a, b]> : tensor<2xi64>`.
NamedAttribute pairAttr(OpBuilder &b, StringRef name, int64_t x, int64_t y) {
  return b.getNamedAttr(name, b.getI64TensorAttr({x, y}));
}

Value castTo(OpBuilder &b, Location loc, Value v, Type type) {
  if (v.getType() == type)
    return v;
  return tensor::CastOp::create(b, loc, type, v);
}

/// A stride-1 (or strided) linalg.conv_2d_nchw_fchw of `x` and `filter`
/// into zeros of `sizes`.
Value buildConv(OpBuilder &b, Location loc, Value x, Value filter,
                ArrayRef<OpFoldResult> sizes, int64_t sh, int64_t sw,
                int64_t dh = 1, int64_t dw = 1) {
  Type elementType = llvm::cast<RankedTensorType>(x.getType()).getElementType();
  Value acc = createFilled(b, loc, sizes, floatConstant(b, loc, elementType, 0));
  return linalg::Conv2DNchwFchwOp::create(
             b, loc, TypeRange{acc.getType()}, ValueRange{x, filter},
             ValueRange{acc},
             {pairAttr(b, "strides", sh, sw), pairAttr(b, "dilations", dh, dw)})
      .getResult(0);
}

/// Loops over `numDims` dims, as an affine map of the given results.
AffineMap loopMap(MLIRContext *context, unsigned numDims,
                  ArrayRef<AffineExpr> results) {
  return AffineMap::get(numDims, 0, results, context);
}

/// A linalg.generic that copies `input`, read through `inputMap`, into a new
/// tensor of `sizes` written in loop order.
Value buildGather(OpBuilder &b, Location loc, Value input, AffineMap inputMap,
                  ArrayRef<OpFoldResult> sizes) {
  Type elementType =
      llvm::cast<RankedTensorType>(input.getType()).getElementType();
  Value init = createEmpty(b, loc, sizes, elementType);
  unsigned rank = sizes.size();
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{input},
             ValueRange{init}, {inputMap, b.getMultiDimIdentityMap(rank)},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, args[0]);
             })
      .getResult(0);
}

/// im2col, transposed: the windows of `p` [N, C, Hp, Wp] (already padded or
/// dilated) as the matrix colsT[(c, i, j), (n, y, x)] = p[n, c, y sh + i,
/// x sw + j] of [C kh kw, N Ho Wo]. Its loops are (c, i, j, n, y, x): the
/// innermost copies a row of the window's output, unit-stride on both sides
/// when sw = 1, which LLVM vectorizes (the [N Ho Wo, C kh kw] orientation
/// copied rows of kw elements, kh kw C apart).
Value buildColumnsT(OpBuilder &b, Location loc, Value p, int64_t kh,
                    int64_t kw, int64_t sh, int64_t sw, int64_t ho,
                    int64_t wo) {
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  SmallVector<OpFoldResult> ps = getSizes(b, loc, p);
  SmallVector<OpFoldResult> sizes = {ps[1],           b.getIndexAttr(kh),
                                     b.getIndexAttr(kw), ps[0],
                                     b.getIndexAttr(ho), b.getIndexAttr(wo)};
  AffineMap window =
      loopMap(context, 6, {d(3), d(0), d(4) * sh + d(1), d(5) * sw + d(2)});
  Value windows = buildGather(b, loc, p, window, sizes);
  SmallVector<ReassociationIndices> groups = {{0, 1, 2}, {3, 4, 5}};
  return tensor::CollapseShapeOp::create(b, loc, windows, groups);
}

/// `dy` [N, O, Ho, Wo] as the matrix [O, N Ho Wo] (a copy whose rows of Ho
/// Wo elements are contiguous on both sides).
Value buildChannelsMajor(OpBuilder &b, Location loc, Value dy) {
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  SmallVector<OpFoldResult> s = getSizes(b, loc, dy);
  Value copy = buildGather(b, loc, dy,
                           loopMap(context, 4, {d(1), d(0), d(2), d(3)}),
                           {s[1], s[0], s[2], s[3]});
  return tensor::CollapseShapeOp::create(
      b, loc, copy, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
}

/// createMatmul into zeros of the product's sizes.
Value buildPlainMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       bool transposeA, bool transposeB) {
  Type elementType =
      llvm::cast<RankedTensorType>(lhs.getType()).getElementType();
  SmallVector<OpFoldResult> ls = getSizes(b, loc, lhs);
  SmallVector<OpFoldResult> rs = getSizes(b, loc, rhs);
  Value acc = createFilled(
      b, loc, {transposeA ? ls[1] : ls[0], transposeB ? rs[0] : rs[1]},
      floatConstant(b, loc, elementType, 0.0));
  return createMatmul(b, loc, lhs, rhs, acc, transposeA, transposeB);
}

/// The convolution of `p` [N, C, Hp, Wp] (padded or dilated already) with
/// `filter` [O, C, kh, kw] at strides (sh, sw) into [N, O, ho, wo], as the
/// matmul filter [O, C kh kw] x colsT [C kh kw, N ho wo] and a copy of its
/// [O, N ho wo] result into NCHW (rows of ho wo elements). The filter's few
/// rows are the product's M, its long N Ho Wo the product's N: the
/// kernels' vectors run along N Ho Wo, all lanes live however few the
/// output channels.
Value buildConvAsMatmul(OpBuilder &b, Location loc, Value p, Value filter,
                        OpFoldResult batch, int64_t sh, int64_t sw, int64_t ho,
                        int64_t wo) {
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  auto fType = llvm::cast<RankedTensorType>(filter.getType());
  int64_t kh = fType.getDimSize(2), kw = fType.getDimSize(3);
  Value colsT = buildColumnsT(b, loc, p, kh, kw, sh, sw, ho, wo);
  SmallVector<ReassociationIndices> groups = {{0}, {1, 2, 3}};
  Value f2 = tensor::CollapseShapeOp::create(b, loc, filter, groups);
  Value product = buildPlainMatmul(b, loc, f2, colsT, /*transposeA=*/false,
                                   /*transposeB=*/false);
  // y[n, o, y, x] = product[o, (n ho + y) wo + x] over loops (n, o, y, x).
  SmallVector<OpFoldResult> fs = getSizes(b, loc, filter);
  SmallVector<OpFoldResult> sizes = {batch, fs[0], b.getIndexAttr(ho),
                                     b.getIndexAttr(wo)};
  AffineMap read =
      loopMap(context, 4, {d(1), d(0) * (ho * wo) + d(2) * wo + d(3)});
  return buildGather(b, loc, product, read, sizes);
}

/// The input gradient of a convolution as a matmul and col2im, for `dy`
/// [N, O, ho, wo] and `filter` [O, C, kh, kw] at strides (sh, sw): the
/// gradient of the im2col matrix, transposed,
///   dcolsT [C kh kw, N ho wo] = filter^T [C kh kw, O] x dyO [O, N ho wo]
/// (dyO is dy with its channels first, buildChannelsMajor, which is small
/// and the same copy as the filter gradient's), and
/// col2im, a linalg.generic reduction that adds every column back into the
/// window it came from:
///   dxp[n, c, y sh + i, x sw + j] += dcolsT[(c, i, j), (n, y, x)]
/// into zeros of [N, C, hp, wp], the padded input. Its loops are
/// (n, c, i, j, y, x), so that the innermost runs along rows of both.
/// Compared with the convolution of the dilated, padded cotangent, this
/// makes no im2col matrix of the (larger) padded input, and its matmul has
/// the filter's C kh kw rows instead of O columns.
Value buildBackwardInputAsCol2im(OpBuilder &b, Location loc, Value dy,
                                 Value filter, OpFoldResult batch, int64_t sh,
                                 int64_t sw, int64_t ho, int64_t wo,
                                 int64_t hp, int64_t wp) {
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  auto fType = llvm::cast<RankedTensorType>(filter.getType());
  Type elementType = fType.getElementType();
  int64_t kh = fType.getDimSize(2), kw = fType.getDimSize(3);
  SmallVector<OpFoldResult> fs = getSizes(b, loc, filter);
  Value dyO = buildChannelsMajor(b, loc, dy);
  Value f2 = tensor::CollapseShapeOp::create(
      b, loc, filter, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
  Value dcolsT = buildPlainMatmul(b, loc, f2, dyO, /*transposeA=*/true,
                                  /*transposeB=*/false);
  // [C kh kw, N ho wo] -> [C, kh, kw, N, ho, wo].
  SmallVector<OpFoldResult> expanded = {fs[1], b.getIndexAttr(kh),
                                        b.getIndexAttr(kw), batch,
                                        b.getIndexAttr(ho), b.getIndexAttr(wo)};
  SmallVector<int64_t> staticExpanded;
  SmallVector<Value> dynamicExpanded;
  dispatchIndexOpFoldResults(expanded, dynamicExpanded, staticExpanded);
  auto expandedType = RankedTensorType::get(staticExpanded, elementType);
  Value dcols = tensor::ExpandShapeOp::create(
      b, loc, expandedType, dcolsT,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}}, expanded);
  Value dxp = createFilled(b, loc,
                           {batch, fs[1], b.getIndexAttr(hp),
                            b.getIndexAttr(wp)},
                           floatConstant(b, loc, elementType, 0.0));
  // Loops (n, c, i, j, y, x); windows overlap, so all but n and c reduce.
  AffineMap read = loopMap(context, 6, {d(1), d(2), d(3), d(0), d(4), d(5)});
  AffineMap write =
      loopMap(context, 6, {d(0), d(1), d(4) * sh + d(2), d(5) * sw + d(3)});
  SmallVector<utils::IteratorType> iterators(6,
                                             utils::IteratorType::reduction);
  iterators[0] = iterators[1] = utils::IteratorType::parallel;
  return linalg::GenericOp::create(
             b, loc, TypeRange{dxp.getType()}, ValueRange{dcols},
             ValueRange{dxp}, {read, write}, iterators,
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nloc,
                   ValueRange{arith::AddFOp::create(nb, nloc, args[1],
                                                    args[0])});
             })
      .getResult(0);
}

/// The static (Ho, Wo) of an NCHW type, if both are static.
std::optional<std::pair<int64_t, int64_t>> getStaticSpatial(Type type) {
  auto ranked = llvm::cast<RankedTensorType>(type);
  if (ranked.isDynamicDim(2) || ranked.isDynamicDim(3))
    return std::nullopt;
  return std::pair{ranked.getDimSize(2), ranked.getDimSize(3)};
}

/// The kernel dims of a conv filter type; failure when dynamic.
FailureOr<std::pair<int64_t, int64_t>> getKernel(RankedTensorType filter) {
  if (filter.isDynamicDim(2) || filter.isDynamicDim(3))
    return failure();
  return std::pair{filter.getDimSize(2), filter.getDimSize(3)};
}

struct Conv2DLowering : OpConversionPattern<nn::Conv2DOp> {
  Conv2DLowering(MLIRContext *context, bool useIm2col, bool useDirect)
      : OpConversionPattern(context), useIm2col(useIm2col),
        useDirect(useDirect) {}
  /// Lower as im2col and a matmul where the sizes allow.
  bool useIm2col;
  /// Lower as direct vector code where isDirectConv says so.
  bool useDirect;
  LogicalResult
  matchAndRewrite(nn::Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput(), w = adaptor.getFilter();
    auto kernel = getKernel(llvm::cast<RankedTensorType>(w.getType()));
    if (failed(kernel))
      return rewriter.notifyMatchFailure(op, "dynamic kernel size");
    auto [kh, kw] = *kernel;
    ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding();
    SmallVector<OpFoldResult> xs = getSizes(rewriter, loc, x);
    SmallVector<OpFoldResult> ws = getSizes(rewriter, loc, w);
    checkEqual(rewriter, loc, op, xs[1], ws[1],
               "the input's channels differ from the filter's");
    SmallVector<OpFoldResult> sizes = {
        xs[0], ws[0],
        windowOutput(rewriter, loc, op, xs[2], kh, stride[0], padding[0]),
        windowOutput(rewriter, loc, op, xs[3], kw, stride[1], padding[1])};
    Type elementType = op.getType().getElementType();
    Value zero = floatConstant(rewriter, loc, elementType, 0.0);
    Value padded = padSpatial(rewriter, loc, x, padding[0], padding[1], zero);
    Value y;
    auto spatial = getStaticSpatial(op.getType());
    if (spatial && useDirect &&
        isDirectConv(llvm::cast<RankedTensorType>(padded.getType()),
                     llvm::cast<RankedTensorType>(w.getType()), stride,
                     spatial->first, spatial->second))
      y = buildDirectConv(rewriter, loc, padded, w, xs[0], spatial->first,
                          spatial->second);
    else if (spatial && useIm2col)
      y = buildConvAsMatmul(rewriter, loc, padded, w, xs[0], stride[0],
                            stride[1], spatial->first, spatial->second);
    else
      y = buildConv(rewriter, loc, padded, w, sizes, stride[0], stride[1]);
    rewriter.replaceOp(op, castTo(rewriter, loc, y, op.getType()));
    return success();
  }
};

/// The input gradient of a convolution as the stride-1 convolution of the
/// cotangent, dilated by the strides into zeros of the padded input's size
/// plus the kernel's, with the filter flipped and its channels swapped
/// (sizes that are not static, or `im2col=false`).
Value buildBackwardInputAsConv(OpBuilder &b, Location loc, Value dy, Value w,
                               ArrayRef<OpFoldResult> dys,
                               ArrayRef<OpFoldResult> ws, OpFoldResult hp,
                               OpFoldResult wp, int64_t kh, int64_t kw,
                               ArrayRef<int64_t> stride) {
  MLIRContext *context = b.getContext();
  Type elementType = llvm::cast<RankedTensorType>(w.getType()).getElementType();
  Value zero = floatConstant(b, loc, elementType, 0.0);
  Value dilated = dilateInto(b, loc, dy, affine(b, loc, hp, 1, kh - 1),
                             affine(b, loc, wp, 1, kw - 1), kh - 1,
                             kw - 1, stride[0], stride[1], zero);
  // The flipped filter with its channels swapped: wt[c, o, i, j] =
  // w[o, c, kh - 1 - i, kw - 1 - j].
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineMap flip = AffineMap::get(4, 0,
                                  {d(1), d(0), kh - 1 - d(2), kw - 1 - d(3)},
                                  context);
  SmallVector<OpFoldResult> wtSizes = {ws[1], ws[0], ws[2], ws[3]};
  Value wtInit = createEmpty(b, loc, wtSizes, elementType);
  Value wt = linalg::GenericOp::create(
                 b, loc, TypeRange{wtInit.getType()}, ValueRange{w},
                 ValueRange{wtInit},
                 {flip, b.getMultiDimIdentityMap(4)},
                 SmallVector<utils::IteratorType>(
                     4, utils::IteratorType::parallel),
                 [](OpBuilder &b, Location nloc, ValueRange args) {
                   linalg::YieldOp::create(b, nloc, args[0]);
                 })
                 .getResult(0);
  SmallVector<OpFoldResult> fullSizes = {dys[0], ws[1], hp, wp};
  return buildConv(b, loc, dilated, wt, fullSizes, 1, 1);
}

/// Checks at run time that the window output of the input dims (h, w) is
/// (ho, wo), where any of them is dynamic.
void checkWindowOutput(OpBuilder &b, Location loc, Operation *op,
                       OpFoldResult h, OpFoldResult w, OpFoldResult ho,
                       OpFoldResult wo, int64_t kh, int64_t kw,
                       ArrayRef<int64_t> stride, ArrayRef<int64_t> padding) {
  checkEqual(b, loc, op, windowOutput(b, loc, op, h, kh, stride[0], padding[0]),
             ho, "the output gradient's height does not match the input");
  checkEqual(b, loc, op, windowOutput(b, loc, op, w, kw, stride[1], padding[1]),
             wo, "the output gradient's width does not match the input");
}

struct Conv2DBackwardInputLowering
    : OpConversionPattern<nn::Conv2DBackwardInputOp> {
  Conv2DBackwardInputLowering(MLIRContext *context, bool useIm2col)
      : OpConversionPattern(context), useIm2col(useIm2col) {}
  /// Lower as im2col and a matmul where the sizes allow.
  bool useIm2col;
  LogicalResult
  matchAndRewrite(nn::Conv2DBackwardInputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value dy = adaptor.getGradOutput(), w = adaptor.getFilter();
    auto wType = llvm::cast<RankedTensorType>(w.getType());
    auto kernel = getKernel(wType);
    if (failed(kernel))
      return rewriter.notifyMatchFailure(op, "dynamic kernel size");
    auto [kh, kw] = *kernel;
    auto type = llvm::cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding();
    SmallVector<OpFoldResult> dys = getSizes(rewriter, loc, dy);
    SmallVector<OpFoldResult> ws = getSizes(rewriter, loc, w);
    checkEqual(rewriter, loc, op, dys[1], ws[0],
               "the output gradient's channels differ from the filter's");
    OpFoldResult h = windowInput(rewriter, loc, type, 2, dys[2], kh, stride[0],
                                 padding[0]);
    OpFoldResult wd = windowInput(rewriter, loc, type, 3, dys[3], kw,
                                  stride[1], padding[1]);
    checkWindowOutput(rewriter, loc, op, h, wd, dys[2], dys[3], kh, kw, stride,
                      padding);
    OpFoldResult hp = affine(rewriter, loc, h, 1, 2 * padding[0]);
    OpFoldResult wp = affine(rewriter, loc, wd, 1, 2 * padding[1]);
    std::optional<int64_t> staticHp = getConstantIntValue(hp);
    std::optional<int64_t> staticWp = getConstantIntValue(wp);
    auto dySpatial = getStaticSpatial(dy.getType());

    Value full =
        staticHp && staticWp && dySpatial && useIm2col
            ? buildBackwardInputAsCol2im(rewriter, loc, dy, w, dys[0],
                                         stride[0], stride[1],
                                         dySpatial->first, dySpatial->second,
                                         *staticHp, *staticWp)
            : buildBackwardInputAsConv(rewriter, loc, dy, w, dys, ws, hp, wp,
                                       kh, kw, stride);
    Value dx = full;
    if (padding[0] != 0 || padding[1] != 0) {
      SmallVector<OpFoldResult> offsets = {
          rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
          rewriter.getIndexAttr(padding[0]), rewriter.getIndexAttr(padding[1])};
      SmallVector<OpFoldResult> sizes = {dys[0], ws[1], h, wd};
      SmallVector<OpFoldResult> ones(4, rewriter.getIndexAttr(1));
      dx = tensor::ExtractSliceOp::create(rewriter, loc, full, offsets, sizes,
                                          ones);
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, dx, type));
    return success();
  }
};

struct Conv2DBackwardFilterLowering
    : OpConversionPattern<nn::Conv2DBackwardFilterOp> {
  Conv2DBackwardFilterLowering(MLIRContext *context, bool useIm2col,
                               bool useDirect)
      : OpConversionPattern(context), useIm2col(useIm2col),
        useDirect(useDirect) {}
  /// Lower as im2col and a matmul where the sizes allow.
  bool useIm2col;
  /// Lower as direct vector code where isDirectConv says so.
  bool useDirect;
  LogicalResult
  matchAndRewrite(nn::Conv2DBackwardFilterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput(), dy = adaptor.getGradOutput();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    auto kernel = getKernel(type);
    if (failed(kernel))
      return rewriter.notifyMatchFailure(op, "dynamic kernel size");
    auto [kh, kw] = *kernel;
    Type elementType = type.getElementType();
    MLIRContext *context = rewriter.getContext();
    ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding();
    SmallVector<OpFoldResult> xs = getSizes(rewriter, loc, x);
    SmallVector<OpFoldResult> dys = getSizes(rewriter, loc, dy);
    checkEqual(rewriter, loc, op, xs[0], dys[0],
               "the input and the output gradient differ in the batch size");
    checkWindowOutput(rewriter, loc, op, xs[2], xs[3], dys[2], dys[3], kh, kw,
                      stride, padding);
    Value zero = floatConstant(rewriter, loc, elementType, 0.0);
    Value padded = padSpatial(rewriter, loc, x, padding[0], padding[1], zero);
    auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
    auto spatial = getStaticSpatial(dy.getType());
    auto dyType = llvm::cast<RankedTensorType>(dy.getType());
    if (spatial && useDirect && !dyType.isDynamicDim(1) &&
        isDirectConv(llvm::cast<RankedTensorType>(padded.getType()),
                     RankedTensorType::get({dyType.getDimSize(1),
                                            type.getDimSize(1), kh, kw},
                                           elementType),
                     stride, spatial->first, spatial->second)) {
      Value dw = buildDirectConvFilterGrad(rewriter, loc, padded, dy, kh, kw);
      rewriter.replaceOp(op, castTo(rewriter, loc, dw, type));
      return success();
    }
    if (spatial && useIm2col) {
      auto [ho, wo] = *spatial;
      // dw[o, (c, i, j)] = sum over (n, y, x) of dyO[o, (n, y, x)]
      // colsT[(c, i, j), (n, y, x)]: A B^T with both operands' rows along
      // N Ho Wo, and the result already in the filter's layout.
      Value colsT = buildColumnsT(rewriter, loc, padded, kh, kw, stride[0],
                                  stride[1], ho, wo);
      Value dyO = buildChannelsMajor(rewriter, loc, dy);
      Value product = buildPlainMatmul(rewriter, loc, dyO, colsT,
                                       /*transposeA=*/false,
                                       /*transposeB=*/true);
      SmallVector<OpFoldResult> sizes = {dys[1], xs[1],
                                         rewriter.getIndexAttr(kh),
                                         rewriter.getIndexAttr(kw)};
      SmallVector<int64_t> staticSizes;
      SmallVector<Value> dynamicSizes;
      dispatchIndexOpFoldResults(sizes, dynamicSizes, staticSizes);
      Value dw = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(staticSizes, elementType),
          product, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}}, sizes);
      rewriter.replaceOp(op, castTo(rewriter, loc, dw, type));
      return success();
    }
    // dw[o, c, i, j] = sum_{n, y, x} xp[n, c, y sh + i, x sw + j] dy[n, o, y, x]
    // over loops (o, c, i, j, n, y, x).
    AffineMap xMap = AffineMap::get(
        7, 0, {d(4), d(1), d(5) * stride[0] + d(2), d(6) * stride[1] + d(3)},
        context);
    AffineMap dyMap = AffineMap::get(7, 0, {d(4), d(0), d(5), d(6)}, context);
    AffineMap outMap = AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, context);
    SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    SmallVector<OpFoldResult> sizes = {dys[1], xs[1], rewriter.getIndexAttr(kh),
                                       rewriter.getIndexAttr(kw)};
    Value acc = createFilled(rewriter, loc, sizes, zero);
    Value dw = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{acc.getType()},
                   ValueRange{padded, dy}, ValueRange{acc},
                   {xMap, dyMap, outMap}, iterators,
                   [](OpBuilder &b, Location nloc, ValueRange args) {
                     Value p = arith::MulFOp::create(b, nloc, args[0], args[1]);
                     linalg::YieldOp::create(
                         b, nloc,
                         arith::AddFOp::create(b, nloc, args[2], p).getResult());
                   })
                   .getResult(0);
    rewriter.replaceOp(op, castTo(rewriter, loc, dw, type));
    return success();
  }
};

/// Pooling attributes of any pooling op.
struct PoolAttrs {
  int64_t kh, kw, sh, sw;
};

PoolAttrs getPoolAttrs(Operation *op) {
  auto kernel = llvm::cast<DenseI64ArrayAttr>(op->getAttr("kernel"));
  auto stride = llvm::cast<DenseI64ArrayAttr>(op->getAttr("stride"));
  return {kernel[0], kernel[1], stride[0], stride[1]};
}

/// The pooled sizes [N, C, Ho, Wo] of `x`.
SmallVector<OpFoldResult> getPooledSizes(OpBuilder &b, Location loc,
                                         Operation *op, Value x,
                                         const PoolAttrs &p) {
  SmallVector<OpFoldResult> xs = getSizes(b, loc, x);
  return {xs[0], xs[1], windowOutput(b, loc, op, xs[2], p.kh, p.sh, 0),
          windowOutput(b, loc, op, xs[3], p.kw, p.sw, 0)};
}

template <typename PoolOp>
Value buildPool(OpBuilder &b, Location loc, Value x, Value init,
                const PoolAttrs &p, int64_t stride = 0) {
  Type elementType = llvm::cast<RankedTensorType>(x.getType()).getElementType();
  Value window = createEmpty(
      b, loc, {b.getIndexAttr(p.kh), b.getIndexAttr(p.kw)}, elementType);
  int64_t sh = stride ? stride : p.sh, sw = stride ? stride : p.sw;
  return PoolOp::create(b, loc, TypeRange{init.getType()},
                        ValueRange{x, window}, ValueRange{init},
                        {pairAttr(b, "strides", sh, sw),
                         pairAttr(b, "dilations", 1, 1)})
      .getResult(0);
}

/// Divides every element of `x` by kh * kw.
Value divideByWindow(OpBuilder &b, Location loc, Value x, const PoolAttrs &p) {
  auto type = llvm::cast<RankedTensorType>(x.getType());
  Value scale = floatConstant(b, loc, type.getElementType(),
                              1.0 / static_cast<double>(p.kh * p.kw));
  return buildElementwise(b, loc, type, getSizes(b, loc, x), x,
                          [&](OpBuilder &nb, Location nloc, ValueRange args) {
                            return arith::MulFOp::create(nb, nloc, args[0],
                                                         scale)
                                .getResult();
                          });
}

/// Windows of at most this many elements (and strides above 1) are read
/// element by element in the body of one parallel generic.
constexpr int64_t kMaxUnrolledWindow = 16;

/// Whether the windows of `p` are small and strided enough for
/// buildUnrolledWindows. (With a stride of 1 an input's map has the bare loop
/// dim, and linalg would infer that loop's range from the input instead of
/// the output.)
bool hasUnrolledWindows(const PoolAttrs &p) {
  return p.kh * p.kw <= kMaxUnrolledWindow && p.sh > 1 && p.sw > 1;
}

/// The widest rows (W, the input's width) that max pooling reads or writes
/// as whole vectors (buildWindowRows, buildTiledScatterRows).
constexpr int64_t kMaxVectorRow = 256;

/// A tensor of [rows, rowShape...] of `elementType` built by an scf.for over
/// its rows: acc = body(r, acc) from an empty tensor.
Value buildRowLoop(
    OpBuilder &b, Location loc, OpFoldResult rows,
    ArrayRef<int64_t> rowShape, Type elementType,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  SmallVector<OpFoldResult> sizes = {rows};
  for (int64_t size : rowShape)
    sizes.push_back(b.getIndexAttr(size));
  Value init = createEmpty(b, loc, sizes, elementType);
  return scf::ForOp::create(
             b, loc, indexConstant(b, loc, 0),
             getValueOrCreateConstantIndexOp(b, loc, rows),
             indexConstant(b, loc, 1), ValueRange{init},
             [&](OpBuilder &nb, Location nloc, Value r, ValueRange acc) {
               scf::YieldOp::create(nb, nloc, body(nb, nloc, r, acc[0]));
             })
      .getResult(0);
}

/// buildUnrolledWindows for inputs with static rows of at most
/// kMaxVectorRow elements, as vector code: for each output row (N C Ho of
/// them), the kh input rows of its windows are read as vectors, the
/// elements j, j + sw, ... of each taken out by a shuffle, and `combine`
/// applied to the kh kw vectors of Wo lanes at once. The generic read its
/// inputs sw apart, which LLVM did with gathers.
Value buildWindowRows(
    OpBuilder &b, Location loc, Value x, ArrayRef<OpFoldResult> pooledSizes,
    const PoolAttrs &p, Type resultType,
    function_ref<Value(OpBuilder &, Location, ValueRange)> combine) {
  auto xType = llvm::cast<RankedTensorType>(x.getType());
  Type elementType = xType.getElementType();
  int64_t h = xType.getDimSize(2), w = xType.getDimSize(3);
  int64_t ho = *getConstantIntValue(pooledSizes[2]);
  int64_t wo = *getConstantIntValue(pooledSizes[3]);
  Value xRows = tensor::CollapseShapeOp::create(
      b, loc, x, SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  // N C Ho output rows.
  OpFoldResult rows =
      affine(b, loc, pooledSizes[0], xType.getDimSize(1) * ho, 0);
  auto rowType = VectorType::get({w}, elementType);
  Value zero = indexConstant(b, loc, 0);
  Value pad = floatConstant(b, loc, elementType, 0.0);
  Value pooledRows = buildRowLoop(
      b, loc, rows, {wo}, resultType,
      [&](OpBuilder &nb, Location nloc, Value r, Value acc) -> Value {
        // Input row of the window's first row: (r / Ho) H + (r % Ho) sh.
        Value hoValue = indexConstant(nb, nloc, ho);
        Value base = arith::AddIOp::create(
            nb, nloc,
            arith::MulIOp::create(nb, nloc,
                                  arith::DivUIOp::create(nb, nloc, r, hoValue),
                                  indexConstant(nb, nloc, h)),
            arith::MulIOp::create(nb, nloc,
                                  arith::RemUIOp::create(nb, nloc, r, hoValue),
                                  indexConstant(nb, nloc, p.sh)));
        SmallVector<bool> inBounds = {true};
        SmallVector<Value> window;
        for (int64_t i = 0; i < p.kh; ++i) {
          Value row = vector::TransferReadOp::create(
              nb, nloc, rowType, xRows,
              ValueRange{arith::AddIOp::create(nb, nloc, base,
                                               indexConstant(nb, nloc, i)),
                         zero},
              pad, inBounds);
          for (int64_t j = 0; j < p.kw; ++j) {
            SmallVector<int64_t> lanes;
            for (int64_t xo = 0; xo < wo; ++xo)
              lanes.push_back(xo * p.sw + j);
            window.push_back(vector::ShuffleOp::create(
                nb, nloc, row, row, nb.getDenseI64ArrayAttr(lanes)));
          }
        }
        return vector::TransferWriteOp::create(nb, nloc,
                                               combine(nb, nloc, window), acc,
                                               ValueRange{r, zero}, inBounds)
            .getResult();
      });
  SmallVector<int64_t> staticSizes;
  SmallVector<Value> dynamicSizes;
  dispatchIndexOpFoldResults(pooledSizes, dynamicSizes, staticSizes);
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(staticSizes, resultType), pooledRows,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3}}, pooledSizes);
}

/// A parallel linalg.generic over the pooled positions (n, c, y, x) of `x`
/// that reads each element of the window through its own input (x at
/// (y sh + i, x sw + j)), in window order, and yields `combine` of them:
/// with the loops parallel and the window in the body, LLVM vectorizes
/// along x.
Value buildUnrolledWindows(
    OpBuilder &b, Location loc, Value x, ArrayRef<OpFoldResult> pooledSizes,
    const PoolAttrs &p, Type resultType,
    function_ref<Value(OpBuilder &, Location, ValueRange)> combine) {
  auto xType = llvm::cast<RankedTensorType>(x.getType());
  if (!xType.isDynamicDim(1) && !xType.isDynamicDim(2) &&
      !xType.isDynamicDim(3) && xType.getDimSize(3) <= kMaxVectorRow &&
      getConstantIntValue(pooledSizes[2]) &&
      getConstantIntValue(pooledSizes[3]))
    return buildWindowRows(b, loc, x, pooledSizes, p, resultType, combine);
  MLIRContext *context = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (int64_t i = 0; i < p.kh; ++i)
    for (int64_t j = 0; j < p.kw; ++j) {
      inputs.push_back(x);
      maps.push_back(AffineMap::get(
          4, 0, {d(0), d(1), d(2) * p.sh + i, d(3) * p.sw + j}, context));
    }
  maps.push_back(b.getMultiDimIdentityMap(4));
  Value init = createEmpty(b, loc, pooledSizes, resultType);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
             maps,
             SmallVector<utils::IteratorType>(4,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nloc, combine(nb, nloc, args.drop_back()));
             })
      .getResult(0);
}

template <typename OpTy>
struct PoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  static constexpr bool isMax = std::is_same_v<OpTy, nn::MaxPool2DOp>;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    PoolAttrs p = getPoolAttrs(op);
    Type elementType = op.getType().getElementType();
    SmallVector<OpFoldResult> sizes = getPooledSizes(rewriter, loc, op, x, p);
    Value result;
    if constexpr (isMax) {
      if (hasUnrolledWindows(p)) {
        // max(...max(max(-inf, x0), x1)..., xk) as the pooling op computes
        // it (NaN propagates), without the -inf.
        result = buildUnrolledWindows(
            rewriter, loc, x, sizes, p, elementType,
            [](OpBuilder &nb, Location nloc, ValueRange window) {
              Value best = window.front();
              for (Value v : window.drop_front())
                best = arith::MaximumFOp::create(nb, nloc, best, v);
              return best;
            });
      } else {
        Value negInf = floatConstant(rewriter, loc, elementType,
                                     -std::numeric_limits<double>::infinity());
        Value init = createFilled(rewriter, loc, sizes, negInf);
        result = buildPool<linalg::PoolingNchwMaxOp>(rewriter, loc, x, init, p);
      }
    } else {
      Value init = createFilled(rewriter, loc, sizes,
                                floatConstant(rewriter, loc, elementType, 0.0));
      Value sum = buildPool<linalg::PoolingNchwSumOp>(rewriter, loc, x, init, p);
      result = divideByWindow(rewriter, loc, sum, p);
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// Checks that `pooled` has the pooled sizes of an input of sizes
/// (n, c, h, w).
void checkPooled(OpBuilder &b, Location loc, Operation *op,
                 ArrayRef<OpFoldResult> inputSizes, Value pooled,
                 const PoolAttrs &p) {
  SmallVector<OpFoldResult> ps = getSizes(b, loc, pooled);
  checkEqual(b, loc, op, inputSizes[0], ps[0],
             "the pooled tensor differs from the input in the batch size");
  checkEqual(b, loc, op, inputSizes[1], ps[1],
             "the pooled tensor differs from the input in the channels");
  checkWindowOutput(b, loc, op, inputSizes[2], inputSizes[3], ps[2], ps[3],
                    p.kh, p.kw, {p.sh, p.sw}, {0, 0});
}

struct AvgPool2DBackwardLowering
    : OpConversionPattern<nn::AvgPool2DBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::AvgPool2DBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value dy = adaptor.getGradOutput();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    PoolAttrs p = getPoolAttrs(op);
    SmallVector<OpFoldResult> dys = getSizes(rewriter, loc, dy);
    SmallVector<OpFoldResult> sizes = {
        dys[0], dys[1],
        windowInput(rewriter, loc, type, 2, dys[2], p.kh, p.sh, 0),
        windowInput(rewriter, loc, type, 3, dys[3], p.kw, p.sw, 0)};
    checkPooled(rewriter, loc, op, sizes, dy, p);
    Value zero = floatConstant(rewriter, loc, type.getElementType(), 0.0);
    Value dilated = dilateInto(
        rewriter, loc, dy, affine(rewriter, loc, sizes[2], 1, p.kh - 1),
        affine(rewriter, loc, sizes[3], 1, p.kw - 1), p.kh - 1, p.kw - 1, p.sh,
        p.sw, zero);
    Value init = createFilled(rewriter, loc, sizes, zero);
    Value sum = buildPool<linalg::PoolingNchwSumOp>(rewriter, loc, dilated,
                                                    init, p, /*stride=*/1);
    rewriter.replaceOp(op, castTo(rewriter, loc, divideByWindow(rewriter, loc, sum, p),
                                  type));
    return success();
  }
};

/// The position of the current element in its window, i kw + j as i32,
/// from the loops `iLoop` and `jLoop` (4 and 5 of a window generic over
/// (n, c, y, x, i, j)).
Value buildWindowPosition(OpBuilder &b, Location loc, int64_t kw,
                          int64_t iLoop = 4, int64_t jLoop = 5) {
  Value i = linalg::IndexOp::create(b, loc, iLoop);
  Value j = linalg::IndexOp::create(b, loc, jLoop);
  Value k = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, i, indexConstant(b, loc, kw)), j);
  return arith::IndexCastOp::create(b, loc, b.getI32Type(), k);
}

/// The argmax of windows for which hasUnrolledWindows holds, by
/// buildUnrolledWindows: the best so far is kept in registers, in window
/// order; a later element wins only if it is larger, or a NaN over a number,
/// so the first maximum (or NaN) wins.
Value buildUnrolledArgmax(OpBuilder &b, Location loc, Value x,
                          ArrayRef<OpFoldResult> pooledSizes,
                          const PoolAttrs &p) {
  return buildUnrolledWindows(
      b, loc, x, pooledSizes, p, b.getI32Type(),
      [](OpBuilder &nb, Location nloc, ValueRange window) {
        Value best = window.front();
        // Positions as i32, or vectors of them for vector windows.
        auto position = [&](int64_t k) -> Value {
          TypedAttr value = nb.getI32IntegerAttr(k);
          if (auto vector = llvm::dyn_cast<VectorType>(best.getType()))
            value = DenseElementsAttr::get(
                VectorType::get(vector.getShape(), nb.getI32Type()), value);
          return arith::ConstantOp::create(nb, nloc, value);
        };
        Value bestIndex = position(0);
        for (auto [k, v] : llvm::enumerate(window.drop_front())) {
          Value bestIsNumber = arith::CmpFOp::create(
              nb, nloc, arith::CmpFPredicate::ORD, best, best);
          // v > best, or v is NaN (UGT is true for unordered).
          Value wins = arith::AndIOp::create(
              nb, nloc, bestIsNumber,
              arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::UGT, v,
                                    best));
          best = arith::SelectOp::create(nb, nloc, wins, v, best);
          bestIndex =
              arith::SelectOp::create(nb, nloc, wins, position(k + 1),
                                      bestIndex);
        }
        return bestIndex;
      });
}

/// The position (i kw + j, as i32) of the maximum of every window of `x`,
/// [N, C, Ho, Wo]. The first maximum wins, and a NaN counts as the maximum
/// (the first NaN wins), as PyTorch: the comparison orders (value, position)
/// pairs so that the result does not depend on the reduction order.
Value buildArgmax(OpBuilder &b, Location loc, Value x,
                  ArrayRef<OpFoldResult> pooledSizes, const PoolAttrs &p) {
  if (hasUnrolledWindows(p))
    return buildUnrolledArgmax(b, loc, x, pooledSizes, p);
  MLIRContext *context = b.getContext();
  Type elementType = llvm::cast<RankedTensorType>(x.getType()).getElementType();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineMap xMap = AffineMap::get(
      6, 0, {d(0), d(1), d(2) * p.sh + d(4), d(3) * p.sw + d(5)}, context);
  AffineMap windowMap = AffineMap::get(6, 0, {d(4), d(5)}, context);
  AffineMap outMap = AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, context);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  Value window = createEmpty(
      b, loc, {b.getIndexAttr(p.kh), b.getIndexAttr(p.kw)}, elementType);
  Value bestValue = createFilled(
      b, loc, pooledSizes,
      floatConstant(b, loc, elementType,
                    -std::numeric_limits<double>::infinity()));
  Value bestIndex = createFilled(
      b, loc, pooledSizes,
      arith::ConstantOp::create(
          b, loc, b.getI32IntegerAttr(std::numeric_limits<int32_t>::max())));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{bestValue.getType(), bestIndex.getType()},
      ValueRange{x, window}, ValueRange{bestValue, bestIndex},
      {xMap, windowMap, outMap, outMap}, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = args[0], bv = args[2], bi = args[3];
        Value k32 = buildWindowPosition(nb, nloc, p.kw);
        auto cmpf = [&](arith::CmpFPredicate pred, Value a, Value c) {
          return arith::CmpFOp::create(nb, nloc, pred, a, c).getResult();
        };
        Value vNan = cmpf(arith::CmpFPredicate::UNO, v, v);
        Value bNan = cmpf(arith::CmpFPredicate::UNO, bv, bv);
        Value bNotNan = cmpf(arith::CmpFPredicate::ORD, bv, bv);
        Value earlier = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::slt,
                                              k32, bi);
        // Better: a NaN over a number; a larger number; an equal value (or
        // both NaN) at an earlier position.
        Value nanWins = arith::AndIOp::create(nb, nloc, vNan, bNotNan);
        Value larger = arith::AndIOp::create(
            nb, nloc, bNotNan, cmpf(arith::CmpFPredicate::OGT, v, bv));
        Value equal = arith::OrIOp::create(
            nb, nloc, cmpf(arith::CmpFPredicate::OEQ, v, bv),
            arith::AndIOp::create(nb, nloc, vNan, bNan));
        Value tie = arith::AndIOp::create(nb, nloc, equal, earlier);
        Value better = arith::OrIOp::create(
            nb, nloc, arith::OrIOp::create(nb, nloc, nanWins, larger), tie);
        linalg::YieldOp::create(
            nb, nloc,
            ValueRange{arith::SelectOp::create(nb, nloc, better, v, bv),
                       arith::SelectOp::create(nb, nloc, better, k32, bi)});
      });
  return generic.getResult(1);
}

/// Moves values between the elements of each window and the window's
/// argmax, over loops (n, c, y, x, i, j) with (i, j) the element's position
/// in its window:
///   dest[..] += (argmax[n, c, y, x] == i kw + j) ? source[..] : 0
/// `source` is read, and `dest` (zeros of `destSizes`) written, at the
/// window's element (y sh + i, x sw + j) or at the window (y, x): a gather
/// into the pooled shape (the JVP: the tangent at each argmax) when
/// `scatter` is false, a scatter into the input's shape (the VJP: each
/// window's cotangent added to its argmax) when it is true. Overlapping
/// windows (stride below the kernel) add to the same element, so a scatter
/// reduces over all but n and c.
Value buildArgmaxTransfer(OpBuilder &b, Location loc, Value source,
                          Value argmax, ArrayRef<OpFoldResult> destSizes,
                          const PoolAttrs &p, bool scatter) {
  MLIRContext *context = b.getContext();
  Type elementType =
      llvm::cast<RankedTensorType>(source.getType()).getElementType();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineMap pooledMap = AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, context);
  AffineMap elementMap = AffineMap::get(
      6, 0, {d(0), d(1), d(2) * p.sh + d(4), d(3) * p.sw + d(5)}, context);
  AffineMap windowMap = AffineMap::get(6, 0, {d(4), d(5)}, context);
  unsigned numParallel = scatter ? 2 : 4;
  SmallVector<utils::IteratorType> iterators(numParallel,
                                             utils::IteratorType::parallel);
  iterators.append(6 - numParallel, utils::IteratorType::reduction);
  Value window = createEmpty(
      b, loc, {b.getIndexAttr(p.kh), b.getIndexAttr(p.kw)}, elementType);
  Value zero = floatConstant(b, loc, elementType, 0.0);
  Value acc = createFilled(b, loc, destSizes, zero);
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()},
             ValueRange{source, argmax, window}, ValueRange{acc},
             {scatter ? pooledMap : elementMap, pooledMap, windowMap,
              scatter ? elementMap : pooledMap},
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value hit = arith::CmpIOp::create(
                   nb, nloc, arith::CmpIPredicate::eq, args[1],
                   buildWindowPosition(nb, nloc, p.kw));
               Value picked = arith::SelectOp::create(
                   nb, nloc, hit, args[0],
                   floatConstant(nb, nloc, elementType, 0));
               linalg::YieldOp::create(
                   nb, nloc,
                   arith::AddFOp::create(nb, nloc, args[3], picked).getResult());
             })
      .getResult(0);
}

/// Whether the windows tile the input exactly (stride = kernel, and the
/// input's static spatial sizes are multiples of it): every element is in
/// one window.
bool windowsTileInput(ArrayRef<OpFoldResult> xs, const PoolAttrs &p) {
  std::optional<int64_t> h = getConstantIntValue(xs[2]);
  std::optional<int64_t> w = getConstantIntValue(xs[3]);
  return p.sh == p.kh && p.sw == p.kw && h && w && *h % p.kh == 0 &&
         *w % p.kw == 0;
}

/// buildTiledScatter for rows of at most kMaxVectorRow elements, as vector
/// code: for each row r of dy [N C Ho, Wo], the row and its argmax are read
/// as vectors, each element repeated kw times (a shuffle), and each of the
/// kh rows of the window is written at once:
///   dx[r, i, :] = select(argmax' == i kw + (0..kw-1, ...), dy', 0).
/// The generic over (n, c, y, i, x, j) wrote kw elements, W / kw apart in
/// its loop, per iteration of x, which LLVM's vectorizer left scalar.
Value buildTiledScatterRows(OpBuilder &b, Location loc, Value dy,
                            Value argmax, ArrayRef<OpFoldResult> xs,
                            const PoolAttrs &p) {
  auto dyType = llvm::cast<RankedTensorType>(dy.getType());
  Type elementType = dyType.getElementType();
  int64_t h = *getConstantIntValue(xs[2]), w = *getConstantIntValue(xs[3]);
  int64_t wo = w / p.kw;
  SmallVector<ReassociationIndices> rowsOf4 = {{0, 1, 2}, {3}};
  Value dyRows = tensor::CollapseShapeOp::create(b, loc, dy, rowsOf4);
  Value argmaxRows = tensor::CollapseShapeOp::create(b, loc, argmax, rowsOf4);
  Value zeroIndex = indexConstant(b, loc, 0);
  OpFoldResult rowCount = tensor::getMixedSize(b, loc, dyRows, 0);
  Type indexElement =
      llvm::cast<RankedTensorType>(argmax.getType()).getElementType();
  auto rowType = VectorType::get({wo}, elementType);
  auto indexRowType = VectorType::get({wo}, indexElement);
  auto outType = VectorType::get({w}, elementType);
  auto outIndexType = VectorType::get({w}, indexElement);
  SmallVector<int64_t> repeat;
  for (int64_t x = 0; x < wo; ++x)
    repeat.append(p.kw, x);
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(outType, b.getZeroAttr(elementType)));
  Value floatPad = floatConstant(b, loc, elementType, 0.0);
  Value indexPad =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(indexElement, 0));
  Value dxRows = buildRowLoop(
      b, loc, rowCount, {p.kh, w}, elementType,
      [&](OpBuilder &nb, Location nloc, Value r, Value dx) -> Value {
        SmallVector<bool> inBounds = {true};
        Value dyRow = vector::TransferReadOp::create(
            nb, nloc, rowType, dyRows, ValueRange{r, zeroIndex}, floatPad,
            inBounds);
        Value argmaxRow = vector::TransferReadOp::create(
            nb, nloc, indexRowType, argmaxRows, ValueRange{r, zeroIndex},
            indexPad, inBounds);
        Value spread = vector::ShuffleOp::create(nb, nloc, dyRow, dyRow,
                                                 nb.getDenseI64ArrayAttr(repeat));
        Value spreadArgmax = vector::ShuffleOp::create(
            nb, nloc, argmaxRow, argmaxRow, nb.getDenseI64ArrayAttr(repeat));
        for (int64_t i = 0; i < p.kh; ++i) {
          SmallVector<Attribute> positions;
          for (int64_t x = 0; x < w; ++x)
            positions.push_back(
                nb.getIntegerAttr(indexElement, i * p.kw + x % p.kw));
          Value position = arith::ConstantOp::create(
              nb, nloc, DenseElementsAttr::get(outIndexType, positions));
          Value hit = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq,
                                            spreadArgmax, position);
          Value row = arith::SelectOp::create(nb, nloc, hit, spread, zeros);
          dx = vector::TransferWriteOp::create(
                   nb, nloc, row, dx,
                   ValueRange{r, indexConstant(nb, nloc, i), zeroIndex},
                   inBounds)
                   .getResult();
        }
        return dx;
      });
  // [N C Ho, kh, W] -> [N, C, Ho, kh, W] -> [N, C, H, W].
  Value tiled = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({dyType.getDimSize(0), dyType.getDimSize(1),
                             dyType.getDimSize(2), p.kh, w},
                            elementType),
      dxRows, SmallVector<ReassociationIndices>{{0, 1, 2}, {3}, {4}},
      SmallVector<OpFoldResult>{xs[0], xs[1], b.getIndexAttr(h / p.kh),
                                b.getIndexAttr(p.kh), b.getIndexAttr(w)});
  return tensor::CollapseShapeOp::create(
      b, loc,
      RankedTensorType::get(
          {dyType.getDimSize(0), dyType.getDimSize(1), h, w}, elementType),
      tiled, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
}


/// The scatter of buildArgmaxTransfer where the windows tile the input: a
/// parallel generic over the input viewed as [N, C, Ho, kh, Wo, kw], loops
/// (n, c, y, i, x, j), that writes every element once:
///   dx[n, c, y, i, x, j] = (argmax[n, c, y, x] == i kw + j) ? dy[n, c, y, x] : 0
/// No zero fill, no read-modify-write, and elementwise consumers (the relu
/// mask) fuse into it.
Value buildTiledScatter(OpBuilder &b, Location loc, Value dy, Value argmax,
                        ArrayRef<OpFoldResult> xs, const PoolAttrs &p) {
  MLIRContext *context = b.getContext();
  Type elementType = llvm::cast<RankedTensorType>(dy.getType()).getElementType();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  int64_t h = *getConstantIntValue(xs[2]), w = *getConstantIntValue(xs[3]);
  if (w <= kMaxVectorRow)
    return buildTiledScatterRows(b, loc, dy, argmax, xs, p);
  SmallVector<OpFoldResult> tiled = {xs[0],
                                     xs[1],
                                     b.getIndexAttr(h / p.kh),
                                     b.getIndexAttr(p.kh),
                                     b.getIndexAttr(w / p.kw),
                                     b.getIndexAttr(p.kw)};
  AffineMap pooledMap = AffineMap::get(6, 0, {d(0), d(1), d(2), d(4)}, context);
  Value init = createEmpty(b, loc, tiled, elementType);
  Value tiledDx =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()}, ValueRange{dy, argmax},
          ValueRange{init},
          {pooledMap, pooledMap, b.getMultiDimIdentityMap(6)},
          SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            // Loops (n, c, y, i, x, j).
            Value hit = arith::CmpIOp::create(
                nb, nloc, arith::CmpIPredicate::eq, args[1],
                buildWindowPosition(nb, nloc, p.kw, /*iLoop=*/3, /*jLoop=*/5));
            linalg::YieldOp::create(
                nb, nloc,
                arith::SelectOp::create(nb, nloc, hit, args[0],
                                        floatConstant(nb, nloc, elementType, 0))
                    .getResult());
          })
          .getResult(0);
  auto type = RankedTensorType::get(
      {llvm::cast<RankedTensorType>(tiledDx.getType()).getDimSize(0),
       llvm::cast<RankedTensorType>(tiledDx.getType()).getDimSize(1), h, w},
      elementType);
  return tensor::CollapseShapeOp::create(
      b, loc, type, tiledDx,
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4, 5}});
}

struct MaxPool2DJvpLowering : OpConversionPattern<nn::MaxPool2DJvpOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::MaxPool2DJvpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput(), t = adaptor.getTangent();
    PoolAttrs p = getPoolAttrs(op);
    SmallVector<OpFoldResult> xs = getSizes(rewriter, loc, x);
    for (int64_t i = 0; i < 4; ++i)
      checkEqual(rewriter, loc, op, xs[i],
                 tensor::getMixedSize(rewriter, loc, t, i),
                 "the tangent's shape differs from the input's at dim " +
                     Twine(i));
    SmallVector<OpFoldResult> sizes = getPooledSizes(rewriter, loc, op, x, p);
    Value argmax = buildArgmax(rewriter, loc, x, sizes, p);
    // out[n, c, y, x] = t at the argmax of window (y, x).
    Value result = buildArgmaxTransfer(rewriter, loc, t, argmax, sizes, p,
                                       /*scatter=*/false);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, op.getType()));
    return success();
  }
};

struct MaxPool2DVjpLowering : OpConversionPattern<nn::MaxPool2DVjpOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::MaxPool2DVjpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput(), dy = adaptor.getGradOutput();
    PoolAttrs p = getPoolAttrs(op);
    SmallVector<OpFoldResult> xs = getSizes(rewriter, loc, x);
    checkPooled(rewriter, loc, op, xs, dy, p);
    SmallVector<OpFoldResult> pooled = getPooledSizes(rewriter, loc, op, x, p);
    Value argmax = buildArgmax(rewriter, loc, x, pooled, p);
    // dx: each window's cotangent added to the input element at its argmax.
    Value result =
        windowsTileInput(xs, p)
            ? buildTiledScatter(rewriter, loc, dy, argmax, xs, p)
            : buildArgmaxTransfer(rewriter, loc, dy, argmax, xs, p,
                                  /*scatter=*/true);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, op.getType()));
    return success();
  }
};

} // namespace

void nn_to_linalg::populateConvPoolPatterns(RewritePatternSet &patterns,
                                            bool im2col, bool directConv) {
  patterns.add<Conv2DLowering, Conv2DBackwardFilterLowering>(
      patterns.getContext(), im2col, directConv);
  patterns.add<Conv2DBackwardInputLowering>(patterns.getContext(), im2col);
  patterns.add<PoolLowering<nn::MaxPool2DOp>,
               PoolLowering<nn::AvgPool2DOp>, AvgPool2DBackwardLowering,
               MaxPool2DJvpLowering, MaxPool2DVjpLowering>(
      patterns.getContext());
}
