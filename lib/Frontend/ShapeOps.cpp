//===- ShapeOps.cpp - matmul, layout ops and reductions -------------------===//

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Frontend/OpEmitters.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace adjoint::frontend;
namespace nn = adjoint::nn;

static std::string formatList(llvm::ArrayRef<int64_t> values) {
  return "[" +
         llvm::join(llvm::map_range(
                        values, [](int64_t v) { return std::to_string(v); }),
                    ", ") +
         "]";
}

FailureOr<TensorValue> adjoint::frontend::emitMatmul(OpContext &ctx) {
  FailureOr<TensorValue> a = ctx.getFloatTensor(0);
  FailureOr<TensorValue> b = ctx.getFloatTensor(1);
  if (failed(a) || failed(b))
    return failure();
  std::string shapes = formatShape(a->shape) + " and " + formatShape(b->shape);
  if (a->shape.size() < 2 || b->shape.size() < 2) {
    ctx.error("operands must have rank >= 2, got shapes " + shapes);
    return failure();
  }
  llvm::ArrayRef<SymDim> as = a->shape, bs = b->shape;
  SymDim k1 = as.back(), k2 = bs[bs.size() - 2];
  if (!dimsAgree(k1, k2)) {
    ctx.error("contraction dims differ: " + formatDim(k1) + " and " +
              formatDim(k2) + " in shapes " + shapes);
    return failure();
  }
  std::optional<SymShape> batch =
      broadcastShapes(as.drop_back(2), bs.drop_back(2));
  if (!batch) {
    ctx.error("cannot broadcast the batch dims of shapes " + shapes);
    return failure();
  }
  SymShape shape = *batch;
  shape.push_back(as[as.size() - 2]);
  shape.push_back(bs.back());
  Value result = nn::MatmulOp::create(ctx.builder(), ctx.loc,
                                      ctx.getType(shape, a->getElementType()),
                                      a->value, b->value);
  return ctx.make(result, shape);
}

FailureOr<TensorValue> adjoint::frontend::emitTranspose(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getTensor(0);
  if (failed(x))
    return failure();
  int64_t rank = x->shape.size();
  llvm::SmallVector<int64_t> perm;
  if (ctx.args.get(1)) {
    FailureOr<llvm::SmallVector<int64_t>> given = ctx.args.getIntegers(1, {});
    if (failed(given))
      return failure();
    if (static_cast<int64_t>(given->size()) != rank) {
      ctx.error(1, "perm " + formatList(*given) + " has " +
                       llvm::Twine(given->size()) + " entries for the " +
                       llvm::Twine(rank) + " dims of shape " +
                       formatShape(x->shape));
      return failure();
    }
    llvm::SmallVector<bool> seen(rank, false);
    for (int64_t p : *given) {
      int64_t q = p < 0 ? p + rank : p;
      if (q < 0 || q >= rank || seen[q]) {
        ctx.error(1, "perm " + formatList(*given) +
                         " is not a permutation of the dims of shape " +
                         formatShape(x->shape));
        return failure();
      }
      seen[q] = true;
      perm.push_back(q);
    }
  } else {
    if (rank < 2) {
      ctx.error(0, "swaps the last two dims by default, which needs rank >= "
                   "2, got shape " +
                       formatShape(x->shape));
      return failure();
    }
    for (int64_t i = 0; i < rank; ++i)
      perm.push_back(i);
    std::swap(perm[rank - 1], perm[rank - 2]);
  }
  SymShape shape;
  for (int64_t p : perm)
    shape.push_back(x->shape[p]);
  Value result = nn::TransposeOp::create(
      ctx.builder(), ctx.loc, ctx.getType(shape, x->getElementType()), x->value,
      perm);
  return ctx.make(result, shape);
}

FailureOr<TensorValue> adjoint::frontend::emitReduction(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getFloatTensor(0);
  FailureOr<bool> keepdims = ctx.args.getBool(2, false);
  if (failed(x) || failed(keepdims))
    return failure();
  int64_t rank = x->shape.size();
  llvm::SmallVector<int64_t> allAxes;
  for (int64_t i = 0; i < rank; ++i)
    allAxes.push_back(i);
  FailureOr<llvm::SmallVector<int64_t>> given =
      ctx.args.getIntegers(1, allAxes);
  if (failed(given))
    return failure();
  llvm::SmallVector<int64_t> axes;
  for (int64_t axis : *given) {
    FailureOr<int64_t> normalized = ctx.normalizeAxis(axis, 1, *x);
    if (failed(normalized))
      return failure();
    if (llvm::is_contained(axes, *normalized)) {
      ctx.error(1, "axis " + llvm::Twine(axis) + " is repeated");
      return failure();
    }
    axes.push_back(*normalized);
  }
  llvm::sort(axes);
  SymShape shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(axes, i))
      shape.push_back(x->shape[i]);
    else if (*keepdims)
      shape.push_back(SymDim::of(1));
  }
  Type type = ctx.getType(shape, x->getElementType());
  Value result = ctx.getOpName() == "sum"
                     ? nn::SumOp::create(ctx.builder(), ctx.loc, type, x->value,
                                         axes, *keepdims)
                           .getResult()
                     : nn::MeanOp::create(ctx.builder(), ctx.loc, type,
                                          x->value, axes, *keepdims)
                           .getResult();
  return ctx.make(result, shape);
}

/// Removes the symbols of `part` from `whole` (multisets); false when `part`
/// has one that `whole` lacks.
static bool removeSymbols(llvm::SmallVectorImpl<llvm::StringRef> &whole,
                          llvm::ArrayRef<llvm::StringRef> part) {
  for (llvm::StringRef symbol : part) {
    auto *it = llvm::find(whole, symbol);
    if (it == whole.end())
      return false;
    whole.erase(it);
  }
  return true;
}

/// The product of the dims of `value` as an index: static dims folded into
/// one constant, dynamic ones read with tensor.dim.
static Value buildElementCount(OpContext &ctx, const TensorValue &value) {
  OpBuilder &b = ctx.builder();
  int64_t constant = 1;
  for (SymDim dim : value.shape)
    if (dim.isStatic())
      constant *= dim.size;
  Value product = arith::ConstantIndexOp::create(b, ctx.loc, constant);
  for (auto [i, dim] : llvm::enumerate(value.shape)) {
    if (dim.isStatic())
      continue;
    Value size = tensor::DimOp::create(b, ctx.loc, value.value, i);
    product = arith::MulIOp::create(b, ctx.loc, product, size);
  }
  return product;
}

/// The index values of the dynamic dims of `shape`, the target of a reshape
/// of `input` with more than one dynamic dim. Symbolic dims read their size
/// from an input that declares them; the one unknown dim (a -1) is the
/// element count of `input` divided by the other dims.
static FailureOr<llvm::SmallVector<Value>>
getDynamicSizes(OpContext &ctx, const TensorValue &input,
                llvm::ArrayRef<SymDim> shape) {
  OpBuilder &b = ctx.builder();
  llvm::SmallVector<Value> sizes;
  std::optional<unsigned> unknownIndex;
  int64_t knownConstant = 1;
  llvm::SmallVector<Value> knownSizes;
  for (SymDim dim : shape) {
    if (dim.isStatic()) {
      knownConstant *= dim.size;
      continue;
    }
    if (dim.isUnknown()) {
      unknownIndex = sizes.size();
      sizes.push_back(nullptr);
      continue;
    }
    Value size = ctx.net.getSymbolSize(dim.symbol, ctx.loc);
    if (!size)
      return failure();
    sizes.push_back(size);
    knownSizes.push_back(size);
  }
  if (unknownIndex) {
    Value known = arith::ConstantIndexOp::create(b, ctx.loc, knownConstant);
    for (Value size : knownSizes)
      known = arith::MulIOp::create(b, ctx.loc, known, size);
    sizes[*unknownIndex] = arith::DivUIOp::create(
        b, ctx.loc, buildElementCount(ctx, input), known);
  }
  return sizes;
}

static unsigned countDynamic(llvm::ArrayRef<SymDim> shape) {
  return llvm::count_if(shape, [](SymDim d) { return !d.isStatic(); });
}

FailureOr<TensorValue> adjoint::frontend::emitReshape(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getTensor(0);
  if (failed(x))
    return failure();
  const Expr *shapeExpr = ctx.args.get(1);
  if (shapeExpr->kind != Expr::Kind::List) {
    ctx.error(1, "'shape' must be a list of sizes, got " +
                     describeExpr(*shapeExpr));
    return failure();
  }

  // Entries: positive integers, symbolic names, and at most one -1.
  SymShape shape;
  std::optional<unsigned> inferred;
  for (const std::unique_ptr<Expr> &entry : shapeExpr->elements) {
    if (entry->kind == Expr::Kind::Name) {
      if (!ctx.net.isDeclaredSymbol(entry->text)) {
        ctx.net.getDiags().error(entry->loc,
                                 "reshape: '" + entry->text +
                                     "' is not a symbolic dim of any input");
        return failure();
      }
      if (std::optional<int64_t> size = ctx.net.getFixedSize(entry->text))
        shape.push_back(SymDim::of(*size));
      else
        shape.push_back(SymDim::named(entry->text));
      continue;
    }
    if (entry->kind != Expr::Kind::Number || !entry->isInteger) {
      ctx.net.getDiags().error(entry->loc,
                               "reshape: a size must be a positive integer, a "
                               "symbolic dim or -1, got " +
                                   describeExpr(*entry));
      return failure();
    }
    if (entry->intValue == -1) {
      if (inferred) {
        ctx.net.getDiags().error(entry->loc,
                                 "reshape: only one size may be -1");
        return failure();
      }
      inferred = shape.size();
      shape.push_back(SymDim::unknown());
      continue;
    }
    if (entry->intValue <= 0) {
      ctx.net.getDiags().error(entry->loc,
                               "reshape: a size must be a positive integer, "
                               "a symbolic dim or -1, got " +
                                   llvm::Twine(entry->intValue));
      return failure();
    }
    shape.push_back(SymDim::of(entry->intValue));
  }

  ElementCount in = countElements(x->shape);
  SymShape known = shape;
  if (inferred)
    known.erase(known.begin() + *inferred);
  ElementCount out = countElements(known);
  std::string target =
      "[" +
      llvm::join(llvm::map_range(shape,
                                 [&](SymDim d) {
                                   return d.isUnknown() ? std::string("-1")
                                                        : formatDim(d);
                                 }),
                 ", ") +
      "]";
  if (out.overflow) {
    ctx.error(1,
              "the shape " + target + " has more elements than fit in 64 bits");
    return failure();
  }
  if (!in.unknown) {
    if (!inferred) {
      if (!(in == out)) {
        ctx.error("cannot reshape " + formatShape(x->shape) + " (" + in.str() +
                  " elements) to " + target + " (" + out.str() + " elements)");
        return failure();
      }
    } else {
      llvm::SmallVector<llvm::StringRef, 4> rest(in.symbols);
      if (in.constant % out.constant != 0 ||
          !removeSymbols(rest, out.symbols)) {
        ctx.error("cannot reshape " + formatShape(x->shape) + " (" + in.str() +
                  " elements) to " + target + ": " + in.str() +
                  " is not a multiple of " + out.str());
        return failure();
      }
      int64_t quotient = in.constant / out.constant;
      if (rest.empty())
        shape[*inferred] = SymDim::of(quotient);
      else if (rest.size() == 1 && quotient == 1)
        shape[*inferred] = SymDim::named(rest.front());
    }
  }

  llvm::SmallVector<Value> sizes;
  if (countDynamic(shape) > 1) {
    FailureOr<llvm::SmallVector<Value>> dynamic =
        getDynamicSizes(ctx, *x, shape);
    if (failed(dynamic)) {
      ctx.error(1, "the sizes of " + target + " cannot be computed");
      return failure();
    }
    sizes = *dynamic;
  }
  Value result = nn::ReshapeOp::create(ctx.builder(), ctx.loc,
                                       ctx.getType(shape, x->getElementType()),
                                       x->value, sizes);
  return ctx.make(result, shape);
}

FailureOr<TensorValue> adjoint::frontend::emitFlatten(OpContext &ctx) {
  FailureOr<TensorValue> x = ctx.getTensor(0);
  if (failed(x))
    return failure();
  if (x->shape.size() < 2) {
    ctx.error(0, "keeps dim 0 and flattens the rest, which needs rank >= 2, "
                 "got shape " +
                     formatShape(x->shape));
    return failure();
  }
  llvm::ArrayRef<SymDim> rest = llvm::ArrayRef<SymDim>(x->shape).drop_front();
  ElementCount count = countElements(rest);
  SymDim flat = SymDim::unknown();
  if (count.overflow) {
    ctx.error(0, "the flattened size of " + formatShape(x->shape) +
                     " does not fit in 64 bits");
    return failure();
  }
  if (!count.unknown && count.symbols.empty())
    flat = SymDim::of(count.constant);
  else if (!count.unknown && count.symbols.size() == 1 && count.constant == 1)
    flat = SymDim::named(count.symbols.front());
  SymShape shape = {x->shape.front(), flat};

  llvm::SmallVector<Value> sizes;
  if (countDynamic(shape) > 1) {
    // Both dims are dynamic: read dim 0 and multiply the dims of the rest.
    OpBuilder &b = ctx.builder();
    sizes.push_back(tensor::DimOp::create(b, ctx.loc, x->value, 0));
    Value product = arith::ConstantIndexOp::create(b, ctx.loc, count.constant);
    for (auto [i, dim] : llvm::enumerate(rest)) {
      if (dim.isStatic())
        continue;
      Value size = tensor::DimOp::create(b, ctx.loc, x->value, i + 1);
      product = arith::MulIOp::create(b, ctx.loc, product, size);
    }
    sizes.push_back(product);
  }
  Value result = nn::ReshapeOp::create(ctx.builder(), ctx.loc,
                                       ctx.getType(shape, x->getElementType()),
                                       x->value, sizes);
  return ctx.make(result, shape);
}

FailureOr<TensorValue> adjoint::frontend::emitConcat(OpContext &ctx) {
  llvm::SmallVector<TensorValue> inputs;
  bool ok = true;
  for (const Expr *expr : ctx.args.getVariadic()) {
    FailureOr<TensorValue> value = ctx.net.getTensor(ctx.args, *expr, "x");
    if (failed(value)) {
      ok = false;
      continue;
    }
    if (!value->isFloat()) {
      ctx.net.getDiags().error(
          expr->loc, "concat: expects f32 tensors, got " + describeExpr(*expr) +
                         " of type " + value->describeType());
      ok = false;
      continue;
    }
    inputs.push_back(*value);
  }
  FailureOr<int64_t> axisArg = ctx.args.getInteger(0, 0);
  if (!ok || failed(axisArg))
    return failure();
  const TensorValue &first = inputs.front();
  if (first.shape.empty()) {
    ctx.error("cannot concatenate scalars");
    return failure();
  }
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisArg, 0, first);
  if (failed(axis))
    return failure();
  SymShape shape = first.shape;
  for (const TensorValue &value : llvm::drop_begin(inputs)) {
    bool agree = value.shape.size() == shape.size();
    for (size_t i = 0; agree && i < shape.size(); ++i)
      if (static_cast<int64_t>(i) != *axis)
        agree = dimsAgree(shape[i], value.shape[i]);
    if (!agree) {
      ctx.error("shapes " + formatShape(first.shape) + " and " +
                formatShape(value.shape) + " differ outside axis " +
                llvm::Twine(*axis));
      return failure();
    }
    for (size_t i = 0; i < shape.size(); ++i) {
      if (static_cast<int64_t>(i) != *axis) {
        shape[i] = mergeDims(shape[i], value.shape[i]);
        continue;
      }
      if (!shape[i].isStatic() || !value.shape[i].isStatic()) {
        shape[i] = SymDim::unknown();
        continue;
      }
      std::optional<int64_t> sum =
          llvm::checkedAdd(shape[i].size, value.shape[i].size);
      if (!sum) {
        ctx.error("the concatenated size along axis " + llvm::Twine(*axis) +
                  " does not fit in 64 bits");
        return failure();
      }
      shape[i] = SymDim::of(*sum);
    }
  }
  llvm::SmallVector<Value> values;
  for (const TensorValue &value : inputs)
    values.push_back(value.value);
  Value result = nn::ConcatOp::create(
      ctx.builder(), ctx.loc, ctx.getType(shape, first.getElementType()),
      values, *axis);
  return ctx.make(result, shape);
}
