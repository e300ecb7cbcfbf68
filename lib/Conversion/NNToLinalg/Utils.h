//===- Utils.h - Helpers shared by the nn-to-linalg patterns -----*- C++ -*-===//
//
// Internal to lib/Conversion/NNToLinalg: sizes of dynamic tensors, empty and
// filled tensors, linalg.generic builders for elementwise maps and
// reductions, and run-time checks.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_CONVERSION_NNTOLINALG_UTILS_H
#define ADJOINT_LIB_CONVERSION_NNTOLINALG_UTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <string>

namespace adjoint::nn_to_linalg {

using BodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

//===----------------------------------------------------------------------===//
// Sizes and tensors
//===----------------------------------------------------------------------===//

/// The sizes of a ranked tensor value: attributes for static dims,
/// `tensor.dim` values for dynamic ones.
llvm::SmallVector<mlir::OpFoldResult> getSizes(mlir::OpBuilder &b,
                                               mlir::Location loc,
                                               mlir::Value tensor);

/// Dim `dim` of `tensor` as an index value (a constant when static).
mlir::Value getDim(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor,
                   int64_t dim);

/// `ofr` as an index value.
mlir::Value toValue(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::OpFoldResult ofr);

/// An index constant.
mlir::Value indexConstant(mlir::OpBuilder &b, mlir::Location loc,
                          int64_t value);

/// `a * x + c` on index values: a constant when x is one.
mlir::OpFoldResult affine(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::OpFoldResult x, int64_t a, int64_t c);

/// A float constant of type `type` (f32 or f64).
mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type type, double value);

/// `tensor.empty` of the given sizes.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<mlir::OpFoldResult> sizes,
                        mlir::Type elementType);

/// A tensor of the given sizes filled with `value` (`linalg.fill`).
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<mlir::OpFoldResult> sizes,
                         mlir::Value value);

/// A linalg.matmul of `lhs` ([M, K], or [K, M] with `transposeA`) and `rhs`
/// ([K, N], or [N, K] with `transposeB`) accumulated into `acc` [M, N]. A
/// transposed operand changes the indexing maps; it is never materialized.
mlir::Value createMatmul(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value lhs, mlir::Value rhs, mlir::Value acc,
                         bool transposeA, bool transposeB);

/// The product of `sizes` as an index value.
mlir::Value product(mlir::OpBuilder &b, mlir::Location loc,
                    llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// An index value converted to a float of type `type`.
mlir::Value indexToFloat(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value index, mlir::Type type);

/// A static shape with the sizes of `sizes` that are constants, kDynamic for
/// the rest.
llvm::SmallVector<int64_t>
getStaticShape(llvm::ArrayRef<mlir::OpFoldResult> sizes);

//===----------------------------------------------------------------------===//
// Direct convolutions (DirectConv.cpp)
//===----------------------------------------------------------------------===//

/// Whether a convolution of the padded input type `padded` [N, C, Hp, Wp]
/// and `filter` [O, C, kh, kw] into rows (ho, wo) lowers as direct vector
/// code: stride 1, static shapes but N, few terms per output (C kh kw), few
/// output channels and rows short enough to be one vector.
bool isDirectConv(mlir::RankedTensorType padded, mlir::RankedTensorType filter,
                  llvm::ArrayRef<int64_t> stride, int64_t ho, int64_t wo);

/// The stride-1 convolution of `p` [N, C, ho + kh - 1, wo + kw - 1] with
/// `filter` [O, C, kh, kw] into [N, O, ho, wo], one vector per output row
/// (isDirectConv's shapes).
mlir::Value buildDirectConv(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value p, mlir::Value filter,
                            mlir::OpFoldResult batch, int64_t ho, int64_t wo);

/// The filter gradient [O, C, kh, kw] of that convolution for the cotangent
/// `dy` [N, O, ho, wo], as kw vector sums per (o, c, i) over the rows.
mlir::Value buildDirectConvFilterGrad(mlir::OpBuilder &b, mlir::Location loc,
                                      mlir::Value p, mlir::Value dy,
                                      int64_t kh, int64_t kw);

//===----------------------------------------------------------------------===//
// Run-time checks
//===----------------------------------------------------------------------===//

/// "nn.add at file.nn:3:5", the prefix of every run-time check message.
std::string describeOp(mlir::Operation *op);

/// Asserts `condition` (i1) at run time: a `cf.assert` whose message is
/// describeOp(op) + ": " + message.
void createCheck(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op,
                 mlir::Value condition, const llvm::Twine &message);

/// Asserts that two index values are equal, unless both are the same
/// constant (then nothing is emitted). A static mismatch is not checked
/// here: the verifiers reject it.
void checkEqual(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op,
                mlir::OpFoldResult lhs, mlir::OpFoldResult rhs,
                const llvm::Twine &message);

//===----------------------------------------------------------------------===//
// linalg.generic
//===----------------------------------------------------------------------===//

/// The map from the loops of a result of rank `resultRank` to an operand of
/// `operandType` broadcast NumPy style: the operand is aligned to the
/// trailing dims, and its static size-1 dims where the result's dim is not a
/// static 1 read element 0.
mlir::AffineMap getBroadcastMap(mlir::RankedTensorType operandType,
                                mlir::RankedTensorType resultType);

/// The size of dim `d` of `resultType`, a NumPy broadcast of the operand
/// dims `aligned` (each a tensor and its dim aligned with `d`, negative when
/// it has none), with a run-time check (`message`) that the dims that are not
/// broadcast agree.
mlir::OpFoldResult
getBroadcastDimSize(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op,
                    mlir::RankedTensorType resultType, int64_t d,
                    llvm::ArrayRef<std::pair<mlir::Value, int64_t>> aligned,
                    const llvm::Twine &message);

/// The result sizes of broadcasting `operands` (tensors) to `resultType`,
/// with a run-time check wherever a dynamic dim must agree with another dim.
llvm::SmallVector<mlir::OpFoldResult>
getBroadcastSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op,
                  mlir::ValueRange operands, mlir::RankedTensorType resultType);

/// A parallel linalg.generic that computes `body(elements of inputs)` for a
/// result of `resultType` with `sizes`, each input read through
/// getBroadcastMap. `body` gets the input elements.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             llvm::ArrayRef<mlir::OpFoldResult> sizes,
                             mlir::ValueRange inputs, BodyBuilder body);

/// Reduces `input` over `axes` (sorted) with `combine(element, accumulator)`
/// starting from `init`; the reduced dims are dropped. `map` (optional)
/// transforms each element before it is combined.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input, llvm::ArrayRef<int64_t> axes,
                           mlir::Value init, BodyBuilder combine);

/// Like buildReduction, over several inputs of the same shape: `combine` gets
/// the elements of all inputs, then the accumulator.
mlir::Value buildMultiReduction(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::ValueRange inputs,
                                llvm::ArrayRef<int64_t> axes, mlir::Value init,
                                BodyBuilder combine);

/// The map from the loops of a tensor of rank `rank` to the tensor with
/// `axes` dropped (the result of buildReduction).
mlir::AffineMap getDropAxesMap(mlir::MLIRContext *context, int64_t rank,
                               llvm::ArrayRef<int64_t> axes);

/// Inserts unit dims at `axes` of the reduced tensor `reduced`, giving
/// `keptType` (tensor.expand_shape).
mlir::Value expandReducedDims(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value reduced,
                              mlir::RankedTensorType keptType,
                              llvm::ArrayRef<int64_t> axes);

/// A check that every element of the integer tensor `ids` lies in
/// [0, limit): a reduction to one i1, asserted with `message`.
void checkIdsInRange(mlir::OpBuilder &b, mlir::Location loc,
                     mlir::Operation *op, mlir::Value ids, mlir::Value limit,
                     const llvm::Twine &message);

/// `id` (any integer type) clamped to [0, limit - 1] and cast to index, so
/// that an out-of-range id never reads outside its table (the check above
/// reports it).
mlir::Value clampToIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value id,
                         mlir::Value limit);

//===----------------------------------------------------------------------===//
// Pattern registration, one function per file
//===----------------------------------------------------------------------===//

/// tensor.expand_shape of `source` into `type`, or tensor.reshape with a
/// shape operand where a group of `groups` has more than one dynamic dim:
/// MLIR 22's expand-strided-metadata crashes on such a memref.expand_shape.
mlir::Value createExpandShape(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type, mlir::Value source,
                              llvm::ArrayRef<mlir::ReassociationIndices> groups,
                              llvm::ArrayRef<mlir::OpFoldResult> sizes);

void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateMatmulPatterns(mlir::RewritePatternSet &patterns);
void populateLayoutPatterns(mlir::RewritePatternSet &patterns);
void populateReductionPatterns(mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populateConvPoolPatterns(mlir::RewritePatternSet &patterns, bool im2col,
                              bool directConv);
void populateLookupPatterns(mlir::RewritePatternSet &patterns);
void populateLossPatterns(mlir::RewritePatternSet &patterns);
void populateDropoutPatterns(mlir::RewritePatternSet &patterns);

} // namespace adjoint::nn_to_linalg

#endif // ADJOINT_LIB_CONVERSION_NNTOLINALG_UTILS_H
