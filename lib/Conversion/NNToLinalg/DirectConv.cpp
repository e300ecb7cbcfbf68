//===- DirectConv.cpp - Convolutions with few terms as vector rows --------===//
//
// A convolution with few terms per output (C kh kw, the im2col product's K,
// at most kMaxDirectTerms) and stride 1 does not pay for im2col: the matrix
// is kh kw times the input (25 times for LeNet-5's first layer, 3.7 MB at
// batch 64), written once and read back by a product too shallow to reuse
// it. Here the convolution runs over the output's rows instead, each row a
// vector of Wo lanes:
//
//   y[n, o, y, :] = sum over (c, i, j) of w[o, c, i, j] p[n, c, y + i, j : j + Wo]
//
// the input row at offset j read straight from the padded input (a loop over
// the window's C kh rows, the kw offsets and the output channels unrolled),
// and the result written in NCHW (no channels-major copy). Its filter
// gradient,
//
//   dw[o, c, i, j] = sum over (n, y) of sum(dy[n, o, y, :] p[n, c, y + i, j : j + Wo])
//
// accumulates kw vectors per (o, c, i) over all rows and reduces each to a
// scalar at the end. Both are scf.for loops over vector ops on tensors,
// bufferized like the rest.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::nn_to_linalg;

namespace {

/// The most terms (C kh kw) per output of a direct convolution.
constexpr int64_t kMaxDirectTerms = 32;
/// The most output channels: the forward's loop over the window's rows
/// unrolls O kw vector FMAs per chunk of a row.
constexpr int64_t kMaxDirectChannels = 32;
/// The widest output rows (one vector each).
constexpr int64_t kMaxDirectRow = 256;
/// The vector registers the forward's accumulators may take, counted in
/// 8-lane registers (AVX2 has 16; a few stay for the input rows).
constexpr int64_t kAccumulatorRegisters = 12;

/// The row r of the N Ho output rows as (n, y).
std::pair<Value, Value> splitRow(OpBuilder &b, Location loc, Value r,
                                 int64_t ho) {
  Value hoValue = indexConstant(b, loc, ho);
  return {arith::DivUIOp::create(b, loc, r, hoValue),
          arith::RemUIOp::create(b, loc, r, hoValue)};
}

/// A row of `width` elements as (offset, lanes) chunks of at most 16 lanes,
/// each a power of two (24: 16 and 8). LLVM splits a vector<24xf32> carried
/// by a loop into 4-lane pieces that go through the stack.
SmallVector<std::pair<int64_t, int64_t>> getRowChunks(int64_t width) {
  SmallVector<std::pair<int64_t, int64_t>> chunks;
  int64_t offset = 0;
  while (offset < width) {
    int64_t lanes = std::min<int64_t>(16, llvm::bit_floor(
                                              uint64_t(width - offset)));
    chunks.push_back({offset, lanes});
    offset += lanes;
  }
  return chunks;
}

/// The elements [x, x + lanes) of the row of `t` [N, C, H, W] at (n, c, y)
/// as a vector (in bounds: the callers' rows fit).
Value readRow(OpBuilder &b, Location loc, Value t, Value n, Value c, Value y,
              int64_t x, int64_t lanes) {
  Type elementType = llvm::cast<ShapedType>(t.getType()).getElementType();
  return vector::TransferReadOp::create(
      b, loc, VectorType::get({lanes}, elementType), t,
      ValueRange{n, c, y, indexConstant(b, loc, x)},
      floatConstant(b, loc, elementType, 0.0), SmallVector<bool>{true});
}

/// A vector of `lanes` zeros.
Value zeroVector(OpBuilder &b, Location loc, int64_t lanes, Type elementType) {
  auto type = VectorType::get({lanes}, elementType);
  return arith::ConstantOp::create(
      b, loc, type, DenseElementsAttr::get(type, b.getZeroAttr(elementType)));
}

} // namespace

bool nn_to_linalg::isDirectConv(RankedTensorType padded,
                                RankedTensorType filter,
                                ArrayRef<int64_t> stride, int64_t ho,
                                int64_t wo) {
  if (stride[0] != 1 || stride[1] != 1)
    return false;
  if (!filter.hasStaticShape() || padded.isDynamicDim(1) ||
      padded.isDynamicDim(2) || padded.isDynamicDim(3))
    return false;
  int64_t o = filter.getDimSize(0), c = filter.getDimSize(1),
          kh = filter.getDimSize(2), kw = filter.getDimSize(3);
  return c * kh * kw <= kMaxDirectTerms && o <= kMaxDirectChannels &&
         wo >= 1 && wo <= kMaxDirectRow && ho >= 1 &&
         padded.getDimSize(2) == ho + kh - 1 &&
         padded.getDimSize(3) == wo + kw - 1;
}

Value nn_to_linalg::buildDirectConv(OpBuilder &b, Location loc, Value p,
                                    Value filter, OpFoldResult batch,
                                    int64_t ho, int64_t wo) {
  auto fType = llvm::cast<RankedTensorType>(filter.getType());
  Type elementType = fType.getElementType();
  int64_t numO = fType.getDimSize(0), numC = fType.getDimSize(1),
          kh = fType.getDimSize(2), kw = fType.getDimSize(3);

  // The loop writes the rows of [N O Ho, Wo], expanded to NCHW after it
  // (so that the result's batch size reads off the expand_shape).
  Value init = createEmpty(
      b, loc, {affine(b, loc, batch, numO * ho, 0), b.getIndexAttr(wo)},
      elementType);
  Value rows = toValue(b, loc, affine(b, loc, batch, ho, 0));
  auto body = [&](OpBuilder &nb, Location nloc, Value r, ValueRange iter) {
    auto [n, y] = splitRow(nb, nloc, r, ho);
    // Row (n O + o) Ho + y of the result is output channel o's.
    Value first = arith::AddIOp::create(
        nb, nloc,
        arith::MulIOp::create(nb, nloc, n, indexConstant(nb, nloc, numO * ho)),
        y);
    Value out = iter[0];
    for (auto [x, lanes] : getRowChunks(wo)) {
      auto type = VectorType::get({lanes}, elementType);
      // Output channels in groups whose accumulators fit the registers, as
      // even as the count allows (6 channels of 16 lanes: 2 groups of 3).
      int64_t maxGroup = std::max<int64_t>(
          1, kAccumulatorRegisters / llvm::divideCeil(lanes, 8));
      int64_t numGroups = llvm::divideCeil(numO, maxGroup);
      int64_t begin = 0;
      for (int64_t g = 0; g < numGroups; ++g) {
        int64_t end = begin + (numO - begin) / (numGroups - g);
        // A loop over the C kh input rows of the window, q = c kh + i,
        // with the kw offsets unrolled (a loop keeps the body, and the JIT's
        // compile time, small).
        SmallVector<Value> zeros(end - begin,
                                 zeroVector(nb, nloc, lanes, elementType));
        auto windowRow = [&](OpBuilder &qb, Location qloc, Value q,
                             ValueRange sums) {
          Value khValue = indexConstant(qb, qloc, kh);
          Value c = arith::DivUIOp::create(qb, qloc, q, khValue);
          Value i = arith::RemUIOp::create(qb, qloc, q, khValue);
          Value row = arith::AddIOp::create(qb, qloc, y, i);
          SmallVector<Value> acc(sums.begin(), sums.end());
          for (int64_t j = 0; j < kw; ++j) {
            Value in = readRow(qb, qloc, p, n, c, row, x + j, lanes);
            for (int64_t o = begin; o < end; ++o) {
              Value weight = tensor::ExtractOp::create(
                  qb, qloc, filter,
                  ValueRange{indexConstant(qb, qloc, o), c, i,
                             indexConstant(qb, qloc, j)});
              Value splat =
                  vector::BroadcastOp::create(qb, qloc, type, weight);
              acc[o - begin] = vector::FMAOp::create(qb, qloc, type, splat,
                                                     in, acc[o - begin]);
            }
          }
          scf::YieldOp::create(qb, qloc, acc);
        };
        ValueRange acc =
            scf::ForOp::create(nb, nloc, indexConstant(nb, nloc, 0),
                               indexConstant(nb, nloc, numC * kh),
                               indexConstant(nb, nloc, 1), zeros, windowRow)
                .getResults();
        for (int64_t o = begin; o < end; ++o)
          out = vector::TransferWriteOp::create(
                    nb, nloc, acc[o - begin], out,
                    ValueRange{
                        toValue(nb, nloc, affine(nb, nloc, first, 1, o * ho)),
                        indexConstant(nb, nloc, x)},
                    SmallVector<bool>{true})
                    .getResult();
        begin = end;
      }
    }
    scf::YieldOp::create(nb, nloc, out);
  };
  Value outRows =
      scf::ForOp::create(b, loc, indexConstant(b, loc, 0), rows,
                         indexConstant(b, loc, 1), ValueRange{init}, body)
          .getResult(0);
  SmallVector<OpFoldResult> sizes = {batch, b.getIndexAttr(numO),
                                     b.getIndexAttr(ho), b.getIndexAttr(wo)};
  return createExpandShape(
      b, loc, RankedTensorType::get(getStaticShape(sizes), elementType),
      outRows, {{0, 1, 2}, {3}}, sizes);
}

Value nn_to_linalg::buildDirectConvFilterGrad(OpBuilder &b, Location loc,
                                              Value p, Value dy, int64_t kh,
                                              int64_t kw) {
  auto pType = llvm::cast<RankedTensorType>(p.getType());
  auto dyType = llvm::cast<RankedTensorType>(dy.getType());
  Type elementType = pType.getElementType();
  int64_t numO = dyType.getDimSize(1), numC = pType.getDimSize(1);
  int64_t ho = dyType.getDimSize(2), wo = dyType.getDimSize(3);
  SmallVector<std::pair<int64_t, int64_t>> chunks = getRowChunks(wo);
  Value init = createEmpty(
      b, loc,
      {b.getIndexAttr(numO), b.getIndexAttr(numC), b.getIndexAttr(kh),
       b.getIndexAttr(kw)},
      elementType);
  Value rows =
      toValue(b, loc, affine(b, loc, getSizes(b, loc, dy)[0], ho, 0));
  Value zero = indexConstant(b, loc, 0), one = indexConstant(b, loc, 1);
  // The sums of (j, chunk) at j * chunks.size() + chunk.
  SmallVector<Value> zeros;
  for (int64_t j = 0; j < kw; ++j)
    for (auto [x, lanes] : chunks)
      zeros.push_back(zeroVector(b, loc, lanes, elementType));
  // One pass over the rows per (o, c, i), q = (o C + c) kh + i.
  auto pass = [&](OpBuilder &nb, Location nloc, Value q, ValueRange iter) {
    Value khValue = indexConstant(nb, nloc, kh);
    Value i = arith::RemUIOp::create(nb, nloc, q, khValue);
    Value oc = arith::DivUIOp::create(nb, nloc, q, khValue);
    Value cCount = indexConstant(nb, nloc, numC);
    Value c = arith::RemUIOp::create(nb, nloc, oc, cCount);
    Value o = arith::DivUIOp::create(nb, nloc, oc, cCount);
    auto sums = scf::ForOp::create(
        nb, nloc, zero, rows, one, zeros,
        [&](OpBuilder &rb, Location rloc, Value r, ValueRange acc) {
          auto [n, y] = splitRow(rb, rloc, r, ho);
          Value row = arith::AddIOp::create(rb, rloc, y, i);
          SmallVector<Value> next(acc.begin(), acc.end());
          for (auto [k, chunk] : llvm::enumerate(chunks)) {
            auto [x, lanes] = chunk;
            auto type = VectorType::get({lanes}, elementType);
            Value d = readRow(rb, rloc, dy, n, o, y, x, lanes);
            for (int64_t j = 0; j < kw; ++j) {
              Value in = readRow(rb, rloc, p, n, c, row, x + j, lanes);
              Value &sum = next[j * chunks.size() + k];
              sum = vector::FMAOp::create(rb, rloc, type, d, in, sum);
            }
          }
          scf::YieldOp::create(rb, rloc, next);
        });
    Value dw = iter[0];
    for (int64_t j = 0; j < kw; ++j) {
      Value total;
      for (size_t k = 0; k < chunks.size(); ++k) {
        Value sum = vector::ReductionOp::create(
            nb, nloc, vector::CombiningKind::ADD,
            sums.getResult(j * chunks.size() + k),
            arith::FastMathFlags::reassoc);
        total = total ? arith::AddFOp::create(nb, nloc, total, sum) : sum;
      }
      dw = tensor::InsertOp::create(
          nb, nloc, total, dw, ValueRange{o, c, i, indexConstant(nb, nloc, j)});
    }
    scf::YieldOp::create(nb, nloc, dw);
  };
  return scf::ForOp::create(b, loc, zero,
                            indexConstant(b, loc, numO * numC * kh), one,
                            ValueRange{init}, pass)
      .getResult(0);
}
