//===- Dropout.cpp - nn.dropout -------------------------------------------===//
//
// The mask is the interpreter's, bit for bit (lib/Runtime/Random.cpp and
// lib/Interpreter/Dropout.cpp): element i (row-major) is kept when the
// uniform number i of the stream (seed, "nn.dropout.<stream>") is >= p, that
// is when (splitMix64(key + (i + 1) gamma) >> 11) >= ceil(p 2^53), with
// key = splitMix64(splitMix64(seed + gamma) ^ fnv1a("nn.dropout.<stream>")).
// Kept elements are scaled by 1 / (1 - p) in f64 and rounded once.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Runtime/Random.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return arith::ConstantOp::create(
      b, loc, b.getI64IntegerAttr(static_cast<int64_t>(value)));
}

/// The SplitMix64 output function on an i64 value.
Value buildSplitMix64(OpBuilder &b, Location loc, Value x) {
  auto mix = [&](Value v, unsigned shift, uint64_t multiplier) {
    Value shifted = arith::ShRUIOp::create(b, loc, v, i64Constant(b, loc, shift));
    Value xored = arith::XOrIOp::create(b, loc, v, shifted);
    return arith::MulIOp::create(b, loc, xored, i64Constant(b, loc, multiplier))
        .getResult();
  };
  x = mix(x, 30, 0xbf58476d1ce4e5b9ULL);
  x = mix(x, 27, 0x94d049bb133111ebULL);
  Value shifted = arith::ShRUIOp::create(b, loc, x, i64Constant(b, loc, 31));
  return arith::XOrIOp::create(b, loc, x, shifted);
}

struct DropoutLowering : OpConversionPattern<nn::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(nn::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value input = adaptor.getInput();
    if (!op.getTraining()) {
      rewriter.replaceOp(op, input);
      return success();
    }
    Location loc = op.getLoc();
    auto type = llvm::cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    double p = op.getP().convertToDouble();
    double scale = 1.0 / (1.0 - p);
    // u >= p  <=>  (bits >> 11) >= ceil(p 2^53), exactly (p 2^53 is exact).
    auto threshold = static_cast<uint64_t>(std::ceil(std::ldexp(p, 53)));
    std::string streamName = "nn.dropout." + std::to_string(op.getStream());
    uint64_t nameHash = hashStableName(streamName);

    Value seed = tensor::ExtractOp::create(rewriter, loc, adaptor.getSeed(),
                                           ValueRange{});
    Value seeded = arith::AddIOp::create(rewriter, loc, seed,
                                         i64Constant(rewriter, loc, kGamma));
    Value key = buildSplitMix64(
        rewriter, loc,
        arith::XOrIOp::create(rewriter, loc,
                              buildSplitMix64(rewriter, loc, seeded),
                              i64Constant(rewriter, loc, nameHash)));

    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    SmallVector<Value> sizeValues;
    for (OpFoldResult size : sizes)
      sizeValues.push_back(toValue(rewriter, loc, size));
    Value result = buildElementwise(
        rewriter, loc, type, sizes, input,
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          // The row-major position of the element.
          Value flat = indexConstant(b, nloc, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, nloc, d);
            flat = arith::AddIOp::create(
                b, nloc, arith::MulIOp::create(b, nloc, flat, sizeValues[d]), i);
          }
          Value counter =
              arith::IndexCastOp::create(b, nloc, b.getI64Type(), flat);
          Value next = arith::AddIOp::create(b, nloc, counter,
                                             i64Constant(b, nloc, 1));
          Value state = arith::AddIOp::create(
              b, nloc, key,
              arith::MulIOp::create(b, nloc, next, i64Constant(b, nloc, kGamma)));
          Value bits = buildSplitMix64(b, nloc, state);
          Value top = arith::ShRUIOp::create(b, nloc, bits,
                                             i64Constant(b, nloc, 11));
          Value kept = arith::CmpIOp::create(b, nloc, arith::CmpIPredicate::uge,
                                             top, i64Constant(b, nloc, threshold));
          Type elementType = args[0].getType();
          Value wide = args[0];
          if (!elementType.isF64())
            wide = arith::ExtFOp::create(b, nloc, b.getF64Type(), wide);
          Value scaled = arith::MulFOp::create(
              b, nloc, wide, floatConstant(b, nloc, b.getF64Type(), scale));
          if (!elementType.isF64())
            scaled = arith::TruncFOp::create(b, nloc, elementType, scaled);
          return arith::SelectOp::create(b, nloc, kept, scaled,
                                         floatConstant(b, nloc, elementType, 0))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void nn_to_linalg::populateDropoutPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutLowering>(patterns.getContext());
}
