//===- Utils.cpp - Helpers shared by the nn-to-linalg patterns ------------===//

#include "Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

//===----------------------------------------------------------------------===//
// Sizes and tensors
//===----------------------------------------------------------------------===//

SmallVector<OpFoldResult> nn_to_linalg::getSizes(OpBuilder &b, Location loc,
                                                 Value tensor) {
  return tensor::getMixedSizes(b, loc, tensor);
}

Value nn_to_linalg::getDim(OpBuilder &b, Location loc, Value tensor,
                           int64_t dim) {
  auto type = llvm::cast<RankedTensorType>(tensor.getType());
  if (!type.isDynamicDim(dim))
    return indexConstant(b, loc, type.getDimSize(dim));
  return tensor::DimOp::create(b, loc, tensor, dim);
}

Value nn_to_linalg::toValue(OpBuilder &b, Location loc, OpFoldResult ofr) {
  return getValueOrCreateConstantIndexOp(b, loc, ofr);
}

Value nn_to_linalg::indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

OpFoldResult nn_to_linalg::affine(OpBuilder &b, Location loc, OpFoldResult x,
                                  int64_t a, int64_t c) {
  if (std::optional<int64_t> v = getConstantIntValue(x))
    return b.getIndexAttr(a * *v + c);
  Value r = toValue(b, loc, x);
  if (a != 1)
    r = arith::MulIOp::create(b, loc, r, indexConstant(b, loc, a));
  if (c != 0)
    r = arith::AddIOp::create(b, loc, r, indexConstant(b, loc, c));
  return r;
}

Value nn_to_linalg::floatConstant(OpBuilder &b, Location loc, Type type,
                                  double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value nn_to_linalg::createEmpty(OpBuilder &b, Location loc,
                                ArrayRef<OpFoldResult> sizes,
                                Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

Value nn_to_linalg::createFilled(OpBuilder &b, Location loc,
                                 ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = createEmpty(b, loc, sizes, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value nn_to_linalg::createMatmul(OpBuilder &b, Location loc, Value lhs,
                                 Value rhs, Value acc, bool transposeA,
                                 bool transposeB) {
  auto matmul = linalg::MatmulOp::create(b, loc, TypeRange{acc.getType()},
                                         ValueRange{lhs, rhs}, ValueRange{acc});
  if (transposeA || transposeB) {
    // Loops (m, n, k).
    MLIRContext *context = b.getContext();
    AffineExpr m = getAffineDimExpr(0, context);
    AffineExpr n = getAffineDimExpr(1, context);
    AffineExpr k = getAffineDimExpr(2, context);
    auto map = [&](AffineExpr row, AffineExpr col) {
      return AffineMapAttr::get(AffineMap::get(3, 0, {row, col}, context));
    };
    SmallVector<Attribute> maps = {transposeA ? map(k, m) : map(m, k),
                                   transposeB ? map(n, k) : map(k, n),
                                   map(m, n)};
    matmul.setIndexingMapsAttr(b.getArrayAttr(maps));
  }
  return matmul.getResult(0);
}

Value nn_to_linalg::product(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> sizes) {
  int64_t staticPart = 1;
  Value result;
  for (OpFoldResult size : sizes) {
    if (std::optional<int64_t> c = getConstantIntValue(size)) {
      staticPart *= *c;
      continue;
    }
    Value v = llvm::cast<Value>(size);
    result = result ? arith::MulIOp::create(b, loc, result, v).getResult() : v;
  }
  Value constant = indexConstant(b, loc, staticPart);
  if (!result)
    return constant;
  if (staticPart == 1)
    return result;
  return arith::MulIOp::create(b, loc, result, constant);
}

Value nn_to_linalg::indexToFloat(OpBuilder &b, Location loc, Value index,
                                 Type type) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return arith::SIToFPOp::create(b, loc, type, i64);
}

SmallVector<int64_t> nn_to_linalg::getStaticShape(ArrayRef<OpFoldResult> sizes) {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  return shape;
}

//===----------------------------------------------------------------------===//
// Run-time checks
//===----------------------------------------------------------------------===//

std::string nn_to_linalg::describeOp(Operation *op) {
  std::string text = op->getName().getStringRef().str();
  op->getLoc()->walk([&](Location loc) {
    auto fileLoc = llvm::dyn_cast<FileLineColLoc>(loc);
    if (!fileLoc)
      return WalkResult::advance();
    llvm::raw_string_ostream os(text);
    os << " at " << fileLoc.getFilename().getValue() << ":"
       << fileLoc.getLine() << ":" << fileLoc.getColumn();
    return WalkResult::interrupt();
  });
  return text;
}

void nn_to_linalg::createCheck(OpBuilder &b, Location loc, Operation *op,
                               Value condition, const Twine &message) {
  cf::AssertOp::create(b, loc, condition,
                       (describeOp(op) + ": " + message).str());
}

void nn_to_linalg::checkEqual(OpBuilder &b, Location loc, Operation *op,
                              OpFoldResult lhs, OpFoldResult rhs,
                              const Twine &message) {
  std::optional<int64_t> l = getConstantIntValue(lhs);
  std::optional<int64_t> r = getConstantIntValue(rhs);
  if (l && r && *l == *r)
    return;
  if (!l && !r && lhs == rhs)
    return;
  Value cond = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                     toValue(b, loc, lhs), toValue(b, loc, rhs));
  createCheck(b, loc, op, cond, message);
}

//===----------------------------------------------------------------------===//
// linalg.generic
//===----------------------------------------------------------------------===//

AffineMap nn_to_linalg::getBroadcastMap(RankedTensorType operandType,
                                        RankedTensorType resultType) {
  MLIRContext *context = operandType.getContext();
  int64_t rank = resultType.getRank();
  int64_t offset = rank - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operandType.getRank(); ++i) {
    int64_t d = offset + i;
    bool broadcast = operandType.getDimSize(i) == 1 &&
                     resultType.getDimSize(d) != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, context)
                              : getAffineDimExpr(d, context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

OpFoldResult nn_to_linalg::getBroadcastDimSize(
    OpBuilder &b, Location loc, Operation *op, RankedTensorType resultType,
    int64_t d, ArrayRef<std::pair<Value, int64_t>> aligned,
    const Twine &message) {
  // The operand dims that are not broadcast at `d` must all agree with the
  // result's size.
  SmallVector<std::pair<Value, int64_t>> contributors;
  for (auto [value, i] : aligned) {
    auto type = llvm::cast<RankedTensorType>(value.getType());
    if (i < 0)
      continue;
    if (type.getDimSize(i) == 1 && resultType.getDimSize(d) != 1)
      continue;
    contributors.push_back({value, i});
  }
  OpFoldResult size;
  if (!resultType.isDynamicDim(d))
    size = b.getIndexAttr(resultType.getDimSize(d));
  else if (!contributors.empty())
    size = tensor::getMixedSize(b, loc, contributors.front().first,
                                contributors.front().second);
  else
    size = b.getIndexAttr(1);
  for (auto [value, i] : contributors)
    checkEqual(b, loc, op, size, tensor::getMixedSize(b, loc, value, i),
               message);
  return size;
}

SmallVector<OpFoldResult>
nn_to_linalg::getBroadcastSizes(OpBuilder &b, Location loc, Operation *op,
                                ValueRange operands,
                                RankedTensorType resultType) {
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    SmallVector<std::pair<Value, int64_t>> aligned;
    for (Value operand : operands)
      aligned.push_back(
          {operand,
           d - (rank - llvm::cast<RankedTensorType>(operand.getType())
                           .getRank())});
    sizes.push_back(getBroadcastDimSize(
        b, loc, op, resultType, d, aligned,
        "dynamic dims of the operands differ at result dim " + Twine(d)));
  }
  return sizes;
}

Value nn_to_linalg::buildElementwise(OpBuilder &b, Location loc,
                                     RankedTensorType resultType,
                                     ArrayRef<OpFoldResult> sizes,
                                     ValueRange inputs, BodyBuilder body) {
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastMap(
        llvm::cast<RankedTensorType>(input.getType()), resultType));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  Value init = createEmpty(b, loc, sizes, resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, result);
      });
  Value result = generic.getResult(0);
  if (result.getType() != resultType)
    result = tensor::CastOp::create(b, loc, resultType, result);
  return result;
}

AffineMap nn_to_linalg::getDropAxesMap(MLIRContext *context, int64_t rank,
                                       ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

Value nn_to_linalg::buildMultiReduction(OpBuilder &b, Location loc,
                                        ValueRange inputs,
                                        ArrayRef<int64_t> axes, Value init,
                                        BodyBuilder combine) {
  Value first = inputs.front();
  auto type = llvm::cast<RankedTensorType>(first.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> inputSizes = getSizes(b, loc, first);
  SmallVector<OpFoldResult> sizes;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced)
      sizes.push_back(inputSizes[d]);
  }
  Value out = createFilled(b, loc, sizes, init);
  SmallVector<AffineMap> maps(inputs.size(), b.getMultiDimIdentityMap(rank));
  maps.push_back(getDropAxesMap(b.getContext(), rank, axes));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{out.getType()}, inputs, ValueRange{out}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, args));
      });
  return generic.getResult(0);
}

Value nn_to_linalg::buildReduction(OpBuilder &b, Location loc, Value input,
                                   ArrayRef<int64_t> axes, Value init,
                                   BodyBuilder combine) {
  return buildMultiReduction(b, loc, ValueRange{input}, axes, init, combine);
}

Value nn_to_linalg::expandReducedDims(OpBuilder &b, Location loc,
                                      Value reduced, RankedTensorType keptType,
                                      ArrayRef<int64_t> axes) {
  int64_t rank = keptType.getRank();
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices leading;
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(axes, d)) {
      if (groups.empty())
        leading.push_back(d);
      else
        groups.back().push_back(d);
      continue;
    }
    ReassociationIndices group = leading;
    leading.clear();
    group.push_back(d);
    groups.push_back(group);
  }
  SmallVector<OpFoldResult> reducedSizes = getSizes(b, loc, reduced);
  SmallVector<OpFoldResult> outputShape;
  int64_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    outputShape.push_back(llvm::is_contained(axes, d)
                              ? OpFoldResult(b.getIndexAttr(1))
                              : reducedSizes[next++]);
  return createExpandShape(b, loc, keptType, reduced, groups, outputShape);
}

Value nn_to_linalg::createExpandShape(OpBuilder &b, Location loc,
                                      RankedTensorType type, Value source,
                                      ArrayRef<ReassociationIndices> groups,
                                      ArrayRef<OpFoldResult> sizes) {
  bool manyDynamic = llvm::any_of(groups, [&](const ReassociationIndices &g) {
    return llvm::count_if(g, [&](int64_t d) {
             return type.isDynamicDim(d);
           }) > 1;
  });
  if (!manyDynamic)
    return tensor::ExpandShapeOp::create(b, loc, type, source, groups, sizes);
  SmallVector<Value> shapeValues;
  for (OpFoldResult size : sizes)
    shapeValues.push_back(toValue(b, loc, size));
  auto shapeType = RankedTensorType::get(
      {static_cast<int64_t>(shapeValues.size())}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, shapeValues);
  return tensor::ReshapeOp::create(b, loc, type, source, shape);
}

void nn_to_linalg::checkIdsInRange(OpBuilder &b, Location loc, Operation *op,
                                   Value ids, Value limit,
                                   const Twine &message) {
  auto type = llvm::cast<RankedTensorType>(ids.getType());
  Type intType = type.getElementType();
  Value limitInt = arith::IndexCastOp::create(b, loc, intType, limit);
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(intType, 0));
  Value ok = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  Value all = buildReduction(
      b, loc, ids, axes, ok, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value id = args[0], acc = args[1];
        Value geZero = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::sge,
                                             id, zero);
        Value ltLimit = arith::CmpIOp::create(
            nb, nloc, arith::CmpIPredicate::slt, id, limitInt);
        Value inRange = arith::AndIOp::create(nb, nloc, geZero, ltLimit);
        return arith::AndIOp::create(nb, nloc, acc, inRange).getResult();
      });
  Value cond = tensor::ExtractOp::create(b, loc, all, ValueRange{});
  createCheck(b, loc, op, cond, message);
}

Value nn_to_linalg::clampToIndex(OpBuilder &b, Location loc, Value id,
                                 Value limit) {
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), id);
  Value zero = indexConstant(b, loc, 0);
  Value one = indexConstant(b, loc, 1);
  Value last = arith::SubIOp::create(b, loc, limit, one);
  Value low = arith::MaxSIOp::create(b, loc, index, zero);
  Value clamped = arith::MinSIOp::create(b, loc, low, last);
  // An empty table (limit 0) gives index 0; nothing reads it then.
  return arith::MaxSIOp::create(b, loc, clamped, zero);
}
