//===- MatmulMicrokernels.cpp - BLIS-style f32 matmul on buffers ----------===//
//
// Lowers linalg.matmul (any of the four transpose variants) to calls of one
// kernel function per variant: packed, cache-blocked loops around an MR x NR
// register-blocked FMA kernel, and a path without packing for products of
// few rows. See the pass description in include/adjoint/Codegen/Passes.td
// and docs/performance.md for the measurements behind the choices.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "MatmulEpilogue.h"
#include "MatmulVariants.h"

#include "Threads.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"

namespace adjoint {
#define GEN_PASS_DEF_MATMULMICROKERNELS
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// The block of K of the small-rows path: eight rows of B of this many
/// floats are 16 KiB, read from the L1 cache by every row of A.
constexpr int64_t kSmallRowsBlock = 512;

/// Marks the kernel functions that the pass made.
constexpr llvm::StringLiteral kKernelAttr = "adjoint.matmul_kernel";

struct KernelShape {
  int64_t mr, nrVectors, vectorWidth, kc, mc, nc;
  /// Products of at most this many rows take the path without packing.
  int64_t smallRows;
  int64_t nr() const { return nrVectors * vectorWidth; }
};

bool isSupportedOperand(Value value) {
  auto type = llvm::dyn_cast<MemRefType>(value.getType());
  return type && type.getRank() == 2 && type.getElementType().isF32() &&
         type.isLastDimUnitStride();
}

/// The memref type of the kernel functions' operands: any 2-D f32 buffer
/// with a unit innermost stride.
MemRefType getKernelOperandType(MLIRContext *ctx) {
  auto layout = StridedLayoutAttr::get(ctx, ShapedType::kDynamic,
                                       {ShapedType::kDynamic, 1});
  return MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                         Float32Type::get(ctx), layout);
}

/// Whether the kernel of a variant has the path without packing for
/// products of at most `small-rows` rows (A B^T).
bool hasSmallRowsPath(const KernelShape &shape, bool transA, bool transB) {
  return shape.smallRows > 0 && transB && !transA;
}

/// A B^T products of at most this many rows and a K of at least
/// kDeepSmallRowsDepth also take the small-rows path: packing B (N x K, with
/// transposes) costs more than its few rows reuse it. (LeNet-5's second
/// filter gradient, 16 x 150 over K = 4096: the step 4% faster; MNIST's
/// forward at batch 16, K = 784, was 40% slower on that path.)
constexpr int64_t kDeepSmallRows = 16;
constexpr int64_t kDeepSmallRowsDepth = 2048;

/// Whether a product of `m` rows and depth `k` takes one of the kernel's
/// paths without packing (an i1), or null when its variant has none:
/// - A B^T with at most `small-rows` rows, or at most kDeepSmallRows and
///   a K of at least kDeepSmallRowsDepth;
/// - a B stored by rows and at most MR rows (one row tile: each panel of B
///   would be packed to be read once).
Value buildTakesUnpackedPath(ImplicitLocOpBuilder &b, const KernelShape &shape,
                             bool transA, bool transB, Value m, Value k) {
  auto atMost = [&](Value x, int64_t bound) -> Value {
    return arith::CmpIOp::create(
        b, arith::CmpIPredicate::sle, x,
        arith::ConstantIndexOp::create(b, bound));
  };
  if (hasSmallRowsPath(shape, transA, transB)) {
    Value deep = arith::AndIOp::create(
        b, atMost(m, std::max(shape.smallRows, kDeepSmallRows)),
        arith::CmpIOp::create(
            b, arith::CmpIPredicate::sge, k,
            arith::ConstantIndexOp::create(b, kDeepSmallRowsDepth)));
    return arith::OrIOp::create(b, atMost(m, shape.smallRows), deep);
  }
  if (!transB)
    return atMost(m, shape.mr);
  return nullptr;
}

/// The memref type of the kernels' workspace, where B is packed: a 1-D f32
/// buffer, possibly a slice of a larger one.
MemRefType getWorkspaceType(MLIRContext *ctx) {
  auto layout = StridedLayoutAttr::get(ctx, ShapedType::kDynamic, {1});
  return MemRefType::get({ShapedType::kDynamic}, Float32Type::get(ctx),
                         layout);
}

/// The step that splits [0, total) into ceil(total / limit) blocks of equal
/// size (rounded up to a multiple of `multiple`), at least `multiple`.
Value balancedStep(ImplicitLocOpBuilder &b, Value total, int64_t limit,
                   int64_t multiple) {
  auto idx = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  Value blocks = arith::MaxSIOp::create(
      b, arith::CeilDivSIOp::create(b, total, idx(limit)), idx(1));
  Value step = arith::MulIOp::create(
      b,
      arith::CeilDivSIOp::create(
          b, arith::CeilDivSIOp::create(b, total, blocks), idx(multiple)),
      idx(multiple));
  return arith::MaxSIOp::create(b, step, idx(multiple));
}

/// The depth of the packed blocks of B for a product of depth `k`: K is
/// split into equal blocks of at most KC, so that a K of 784 is 4 blocks of
/// 196 rather than 3 of 256 and one of 16.
Value getPackedDepth(ImplicitLocOpBuilder &b, const KernelShape &shape,
                     Value k) {
  return arith::MinSIOp::create(b, k, balancedStep(b, k, shape.kc, 1));
}

/// The f32 elements of workspace that the packed path needs for `columns`
/// columns of C (rounded up to NR), `depth` (getPackedDepth) rows each.
Value getWorkspaceSize(ImplicitLocOpBuilder &b, const KernelShape &shape,
                       Value depth, Value columns) {
  Value nr = arith::ConstantIndexOp::create(b, shape.nr());
  Value rounded = arith::MulIOp::create(
      b, arith::CeilDivSIOp::create(b, columns, nr), nr);
  return arith::MulIOp::create(b, depth, rounded);
}

/// Emits the body of a kernel function:
///   C[:, colBegin:colEnd] (= or +=) op(A) op(B)[:, colBegin:colEnd]
/// with `overwrite` (an i1) choosing whether C's old values are dropped,
/// packing B into `workspace` (getWorkspaceSize for min(NC, colEnd -
/// colBegin) columns).
class MatmulEmitter {
public:
  MatmulEmitter(ImplicitLocOpBuilder &b, const KernelShape &shape, Value a,
                Value bm, Value c, Value workspace, bool transA, bool transB,
                Value overwrite)
      : b(b), shape(shape), a(a), bm(bm), c(c), transA(transA),
        transB(transB), overwrite(overwrite), packedB(workspace) {
    f32 = b.getF32Type();
    vecType = VectorType::get({shape.vectorWidth}, f32);
    maskType = VectorType::get({shape.vectorWidth}, b.getI1Type());
    vec8Type = VectorType::get({8}, f32);
    mask8Type = VectorType::get({8}, b.getI1Type());
  }

  void emit(Value colBegin, Value colEnd);

private:
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::slt, x, y);
  }
  Value le(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::sle, x, y);
  }
  Value dim(Value memref, int64_t d) {
    return memref::DimOp::create(b, memref, d);
  }
  Value zeroVector() {
    return arith::ConstantOp::create(
        b, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0)));
  }
  Value mask(Value lanes) {
    return vector::CreateMaskOp::create(b, maskType, ValueRange{lanes});
  }
  /// Whether the sums of the K block from `kBegin` add to C's values: C is
  /// read unless this is the first K block of an overwritten C (an i1).
  Value addsToOld(Value kBegin) {
    return arith::OrIOp::create(
        b, arith::CmpIOp::create(b, arith::CmpIPredicate::ne, kBegin, idx(0)),
        keepOld);
  }
  Value zeroVector8() {
    return arith::ConstantOp::create(
        b, DenseElementsAttr::get(vec8Type, b.getF32FloatAttr(0)));
  }
  Value mask8(Value lanes) {
    return vector::CreateMaskOp::create(b, mask8Type, ValueRange{lanes});
  }

  /// for (iv = lb; iv < ub; iv += step) body(iv)
  void loop(Value lb, Value ub, Value step,
            function_ref<void(Value)> body) {
    scf::ForOp::create(b, lb, ub, step, ValueRange{},
                       [&](OpBuilder &nested, Location loc, Value iv,
                           ValueRange) {
                         OpBuilder::InsertionGuard guard(b);
                         b.setInsertionPoint(nested.getInsertionBlock(),
                                             nested.getInsertionPoint());
                         body(iv);
                         scf::YieldOp::create(b);
                       });
  }
  /// The results of a loop from lb to ub carrying `init`; `body` returns
  /// the values of the next iteration.
  ValueRange reduceLoop(
      Value lb, Value ub, Value step, ValueRange init,
      function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    auto forOp = scf::ForOp::create(
        b, lb, ub, step, init,
        [&](OpBuilder &nested, Location loc, Value iv, ValueRange args) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          scf::YieldOp::create(b, body(iv, args));
        });
    return forOp.getResults();
  }
  void ifThen(Value cond, function_ref<void()> thenBody,
              function_ref<void()> elseBody = nullptr) {
    auto ifOp = scf::IfOp::create(b, cond, /*withElseRegion=*/bool(elseBody));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    thenBody();
    if (elseBody) {
      b.setInsertionPointToStart(&ifOp.getElseRegion().front());
      elseBody();
    }
  }

  /// op(A)[m, k] and op(B)[k, n] as scalars.
  Value loadA(Value m, Value k) {
    return transA ? memref::LoadOp::create(b, a, ValueRange{k, m})
                  : memref::LoadOp::create(b, a, ValueRange{m, k});
  }
  Value loadB(Value k, Value n) {
    return transB ? memref::LoadOp::create(b, bm, ValueRange{n, k})
                  : memref::LoadOp::create(b, bm, ValueRange{k, n});
  }

  /// The packed path: the loop nest over C's columns [colBegin, colEnd).
  void emitPacked(Value colBegin, Value colEnd);
  void packB(Value jc, Value nc, Value pc, Value kc);
  void packTransposedPanel(Value base, Value col, Value pc, Value kc,
                           Value valid);
  void kernel(Value ic, Value mc, Value jc, Value nc, Value ir, Value jr,
              Value pc, Value kc);

  /// The path without packing for `A B^T` with at most `smallRows` rows.
  void emitSmallRowsTransposedB(Value colBegin, Value colEnd);
  /// The path without packing for a B stored by rows and at most MR rows:
  /// the register kernel over whole K, B's vectors loaded in place.
  void emitOneRowTileUnpacked(Value colBegin, Value colEnd);

  /// MR x NR accumulators over k in [kBegin, kEnd) for the rows `rows` of
  /// op(A); `loadB(k, h)` is the h-th vector of the NR columns of op(B)[k].
  SmallVector<Value> accumulate(ArrayRef<Value> rows, Value kBegin,
                                Value kEnd,
                                function_ref<Value(Value, int64_t)> loadB);
  /// C[row0 + r, col0 + ...] (+)= accs, for the tile's rows below `rowsLeft`
  /// and columns below `colsLeft`; C is read first where `addOld` (an i1).
  void storeTile(ValueRange accs, Value row0, Value rowsLeft, Value col0,
                 Value colsLeft, Value addOld);

  ImplicitLocOpBuilder &b;
  const KernelShape &shape;
  Value a, bm, c;
  bool transA, transB;
  Value overwrite;
  /// Not `overwrite`: C's old values are added to.
  Value keepOld;
  /// Where B is packed.
  Value packedB;
  Type f32;
  VectorType vecType, maskType;
  /// The 8-lane vectors of the 8 x 8 transposes (packing a transposed B, the
  /// small-rows path), whatever the kernel's vector width.
  VectorType vec8Type, mask8Type;
  Value m, n, k;
  /// M - 1: rows of A past the end are read from the last row (valid
  /// memory); their results are never stored.
  Value lastRow;
};

void MatmulEmitter::emit(Value colBegin, Value colEnd) {
  m = dim(c, 0);
  n = dim(c, 1);
  k = dim(a, transA ? 0 : 1);
  lastRow = sub(m, idx(1));
  keepOld = arith::XOrIOp::create(
      b, overwrite, arith::ConstantOp::create(b, b.getBoolAttr(true)));
  // Few rows of a dense layer's forward product (inference at small
  // batches), or of a convolution's (filter x im2col matrix): every packed
  // panel of B would be used a few times at most, and packing costs about
  // as much as the product.
  Value unpacked = buildTakesUnpackedPath(b, shape, transA, transB, m, k);
  if (!unpacked) {
    emitPacked(colBegin, colEnd);
    return;
  }
  ifThen(
      unpacked,
      [&] {
        if (transB)
          emitSmallRowsTransposedB(colBegin, colEnd);
        else
          emitOneRowTileUnpacked(colBegin, colEnd);
      },
      [&] { emitPacked(colBegin, colEnd); });
}

void MatmulEmitter::emitOneRowTileUnpacked(Value colBegin, Value colEnd) {
  int64_t mr = shape.mr, vw = shape.vectorWidth, nr = shape.nr();
  Value zero = idx(0), cNr = idx(nr);
  SmallVector<Value> rows;
  for (int64_t r = 0; r < mr; ++r)
    rows.push_back(min(idx(r), lastRow));
  auto panel = [&](Value col0, Value colsLeft, bool masked) {
    SmallVector<Value> masks;
    if (masked)
      for (int64_t h = 0; h < shape.nrVectors; ++h)
        masks.push_back(mask(max(sub(colsLeft, idx(h * vw)), zero)));
    SmallVector<Value> accs =
        accumulate(rows, zero, k, [&](Value kk, int64_t h) -> Value {
          SmallVector<Value, 2> at{kk, add(col0, idx(h * vw))};
          if (!masked)
            return vector::LoadOp::create(b, vecType, bm, at);
          return vector::MaskedLoadOp::create(b, vecType, bm, at, masks[h],
                                              zeroVector());
        });
    storeTile(accs, zero, m, col0, colsLeft, keepOld);
  };
  // Whole panels, then the last one of fewer than NR columns.
  Value width = sub(colEnd, colBegin);
  Value fullEnd = add(colBegin, mul(arith::DivSIOp::create(b, width, cNr), cNr));
  loop(colBegin, fullEnd, cNr,
       [&](Value col0) { panel(col0, sub(colEnd, col0), false); });
  ifThen(lt(fullEnd, colEnd),
         [&] { panel(fullEnd, sub(colEnd, fullEnd), true); });
}

void MatmulEmitter::emitPacked(Value colBegin, Value colEnd) {
  Value zero = idx(0);
  int64_t mr = shape.mr, nr = shape.nr();

  // Block sizes: K and M are split into equal blocks (balancedStep). Only B
  // is packed, one kc x nc block at a time. A is read in place: the kernel
  // broadcasts one scalar of A per row and k anyway, so packing it would
  // only save address arithmetic, and it costs a copy that dominates small
  // products.
  Value kcStep = balancedStep(b, k, shape.kc, 1);
  Value mcStep = balancedStep(b, m, shape.mc, mr);
  Value ncStep = idx(shape.nc);

  loop(colBegin, colEnd, ncStep, [&](Value jc) {
    Value nc = min(ncStep, sub(colEnd, jc));
    loop(zero, k, kcStep, [&](Value pc) {
      Value kc = min(kcStep, sub(k, pc));
      packB(jc, nc, pc, kc);
      loop(zero, m, mcStep, [&](Value ic) {
        Value mc = min(mcStep, sub(m, ic));
        loop(zero, nc, idx(nr), [&](Value jr) {
          loop(zero, mc, idx(mr),
               [&](Value ir) { kernel(ic, mc, jc, nc, ir, jr, pc, kc); });
        });
      });
    });
  });
}

/// packedB[jr * kc + k * NR + j] = op(B)[pc + k, jc + jr + j], zero beyond nc.
/// Every panel, also the last one of fewer than NR columns, is packed with
/// vector loads: masked ones for a B stored by rows, 8 x 8 register
/// transposes for a transposed B (a scalar copy of the edge, and zero
/// stores for its padding, had been most of the time of products with 6
/// columns).
void MatmulEmitter::packB(Value jc, Value nc, Value pc, Value kc) {
  int64_t nr = shape.nr(), vw = shape.vectorWidth;
  Value zero = idx(0), one = idx(1), cNr = idx(nr);
  loop(zero, nc, cNr, [&](Value jr) {
    Value base = mul(jr, kc);
    Value col = add(jc, jr);
    Value valid = min(cNr, sub(nc, jr));
    if (transB) {
      if (nr % 8 != 0) {
        // One column of the panel at a time: reads run along k (rows of the
        // stored matrix), writes stride NR; zeros past the edge.
        loop(zero, cNr, one, [&](Value j) {
          Value inside = lt(j, valid);
          Value row = min(add(col, j), sub(add(col, valid), one));
          loop(zero, kc, one, [&](Value kk) {
            Value v = arith::SelectOp::create(
                b, inside, loadB(add(pc, kk), row),
                arith::ConstantOp::create(b, b.getF32FloatAttr(0)));
            memref::StoreOp::create(
                b, v, packedB, ValueRange{add(base, add(mul(kk, cNr), j))});
          });
        });
        return;
      }
      packTransposedPanel(base, col, pc, kc, valid);
      return;
    }
    // B rows are contiguous: NR columns with vector loads, masked at the
    // right edge (the masked-off lanes are zeros).
    SmallVector<Value> masks;
    for (int64_t h = 0; h < shape.nrVectors; ++h)
      masks.push_back(mask(sub(valid, idx(h * vw))));
    loop(zero, kc, one, [&](Value kk) {
      Value row = add(pc, kk);
      Value dst = add(base, mul(kk, cNr));
      for (int64_t h = 0; h < shape.nrVectors; ++h) {
        Value v = vector::MaskedLoadOp::create(
            b, vecType, bm, ValueRange{row, add(col, idx(h * vw))}, masks[h],
            zeroVector());
        vector::StoreOp::create(b, v, packedB,
                                ValueRange{add(dst, idx(h * vw))});
      }
    });
  });
}

/// The 8 x 8 transpose of eight vector<8xf32> rows with 24 shuffles
/// (unpcklps/unpckhps, shufps, vperm2f128 on AVX).
static SmallVector<Value> transpose8x8(ImplicitLocOpBuilder &b,
                                       ArrayRef<Value> r) {
  auto shuffle = [&](Value x, Value y, ArrayRef<int64_t> mask) -> Value {
    return vector::ShuffleOp::create(b, x, y, b.getDenseI64ArrayAttr(mask));
  };
  const int64_t lo[] = {0, 8, 1, 9, 4, 12, 5, 13};
  const int64_t hi[] = {2, 10, 3, 11, 6, 14, 7, 15};
  const int64_t pairLo[] = {0, 1, 8, 9, 4, 5, 12, 13};
  const int64_t pairHi[] = {2, 3, 10, 11, 6, 7, 14, 15};
  const int64_t halfLo[] = {0, 1, 2, 3, 8, 9, 10, 11};
  const int64_t halfHi[] = {4, 5, 6, 7, 12, 13, 14, 15};
  Value t[8], s[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = shuffle(r[2 * i], r[2 * i + 1], lo);
    t[2 * i + 1] = shuffle(r[2 * i], r[2 * i + 1], hi);
  }
  for (int i = 0; i < 2; ++i) {
    s[4 * i + 0] = shuffle(t[4 * i], t[4 * i + 2], pairLo);
    s[4 * i + 1] = shuffle(t[4 * i], t[4 * i + 2], pairHi);
    s[4 * i + 2] = shuffle(t[4 * i + 1], t[4 * i + 3], pairLo);
    s[4 * i + 3] = shuffle(t[4 * i + 1], t[4 * i + 3], pairHi);
  }
  SmallVector<Value> out(8);
  for (int i = 0; i < 4; ++i) {
    out[i] = shuffle(s[i], s[i + 4], halfLo);
    out[i + 4] = shuffle(s[i], s[i + 4], halfHi);
  }
  return out;
}

/// packedB[base + k * NR + j] = B[col + j, pc + k] for a panel of a
/// transposed B with `valid` (at most NR) columns, zeros past them: rows of
/// the stored B are read along k, 8 at a time, and transposed in registers;
/// the k that do not fill 8 are copied one by one. Rows past the edge are
/// read at the last valid row (in bounds), and their lanes of the
/// transposed vectors replaced by zeros.
void MatmulEmitter::packTransposedPanel(Value base, Value col, Value pc,
                                        Value kc, Value valid) {
  int64_t nr = shape.nr();
  Value zero = idx(0), one = idx(1), c8 = idx(8), cNr = idx(nr);
  Value lastRow = sub(add(col, valid), one);
  SmallVector<Value> rows, inside;
  for (int64_t j = 0; j < nr; ++j) {
    rows.push_back(min(add(col, idx(j)), lastRow));
    inside.push_back(lt(idx(j), valid));
  }
  // Lanes of the transposed vectors that hold columns past the edge: one
  // mask per group of 8 columns (vector selects, where per-row selects of
  // the loads became branches).
  SmallVector<Value> groupMasks;
  for (int64_t j0 = 0; j0 < nr; j0 += 8)
    groupMasks.push_back(mask8(sub(valid, idx(j0))));
  Value k8 = mul(arith::DivSIOp::create(b, kc, c8), c8);
  loop(zero, k8, c8, [&](Value k0) {
    for (int64_t j0 = 0; j0 < nr; j0 += 8) {
      SmallVector<Value> rowVecs;
      for (int64_t j = 0; j < 8; ++j)
        rowVecs.push_back(vector::LoadOp::create(
            b, vec8Type, bm, ValueRange{rows[j0 + j], add(pc, k0)}));
      SmallVector<Value> cols = transpose8x8(b, rowVecs);
      for (int64_t i = 0; i < 8; ++i)
        vector::StoreOp::create(
            b,
            arith::SelectOp::create(b, groupMasks[j0 / 8], cols[i],
                                    zeroVector8()),
            packedB,
            ValueRange{add(base, add(mul(add(k0, idx(i)), cNr), idx(j0)))});
    }
  });
  Value zeroF = arith::ConstantOp::create(b, b.getF32FloatAttr(0));
  loop(k8, kc, one, [&](Value kk) {
    for (int64_t j = 0; j < nr; ++j) {
      Value v = arith::SelectOp::create(b, inside[j],
                                        loadB(add(pc, kk), rows[j]), zeroF);
      memref::StoreOp::create(b, v, packedB,
                              ValueRange{add(base, add(mul(kk, cNr), idx(j)))});
    }
  });
}

SmallVector<Value>
MatmulEmitter::accumulate(ArrayRef<Value> rows, Value kBegin, Value kEnd,
                          function_ref<Value(Value, int64_t)> loadBVector) {
  int64_t nv = shape.nrVectors;
  SmallVector<Value> init(rows.size() * nv, zeroVector());
  ValueRange results = reduceLoop(
      kBegin, kEnd, idx(1), init, [&](Value kk, ValueRange accs) {
        SmallVector<Value> bv;
        for (int64_t h = 0; h < nv; ++h)
          bv.push_back(loadBVector(kk, h));
        SmallVector<Value> next;
        for (auto [r, row] : llvm::enumerate(rows)) {
          Value splat = vector::BroadcastOp::create(b, vecType, loadA(row, kk));
          for (int64_t h = 0; h < nv; ++h)
            next.push_back(
                vector::FMAOp::create(b, splat, bv[h], accs[r * nv + h]));
        }
        return next;
      });
  return SmallVector<Value>(results);
}

void MatmulEmitter::storeTile(ValueRange accs, Value row0, Value rowsLeft,
                              Value col0, Value colsLeft, Value addOld) {
  int64_t nv = shape.nrVectors, vw = shape.vectorWidth;
  int64_t rows = static_cast<int64_t>(accs.size()) / nv;
  Value zero = idx(0), zeroVec = zeroVector();
  // `add` false: the first K block of a C that is overwritten, written
  // without reading it.
  auto fullTile = [&](bool add) {
    for (int64_t r = 0; r < rows; ++r) {
      Value row = this->add(row0, idx(r));
      for (int64_t h = 0; h < nv; ++h) {
        SmallVector<Value, 2> at{row, this->add(col0, idx(h * vw))};
        Value sum = accs[r * nv + h];
        if (add)
          sum = arith::AddFOp::create(
              b, vector::LoadOp::create(b, vecType, c, at), sum);
        vector::StoreOp::create(b, sum, c, at);
      }
    }
  };
  // An edge tile: rows past rowsLeft are skipped, columns past colsLeft
  // masked.
  auto edgeTile = [&](bool add) {
    for (int64_t r = 0; r < rows; ++r) {
      ifThen(lt(idx(r), rowsLeft), [&] {
        Value row = this->add(row0, idx(r));
        for (int64_t h = 0; h < nv; ++h) {
          Value lanes = max(sub(colsLeft, idx(h * vw)), zero);
          Value laneMask = mask(lanes);
          SmallVector<Value, 2> at{row, this->add(col0, idx(h * vw))};
          Value sum = accs[r * nv + h];
          if (add)
            sum = arith::AddFOp::create(
                b,
                vector::MaskedLoadOp::create(b, vecType, c, at, laneMask,
                                             zeroVec),
                sum);
          vector::MaskedStoreOp::create(b, c, at, laneMask, sum);
        }
      });
    }
  };
  auto store = [&](function_ref<void(bool)> tile) {
    ifThen(
        addOld, [&] { tile(true); }, [&] { tile(false); });
  };
  Value full = arith::AndIOp::create(b, le(idx(rows), rowsLeft),
                                     le(idx(shape.nr()), colsLeft));
  ifThen(
      full, [&] { store(fullTile); }, [&] { store(edgeTile); });
}

/// C[ic + ir + (0..MR), jc + jr + (0..NR)] (+)= packed panels' product.
void MatmulEmitter::kernel(Value ic, Value mc, Value jc, Value nc, Value ir,
                           Value jr, Value pc, Value kc) {
  int64_t mr = shape.mr, vw = shape.vectorWidth, nr = shape.nr();
  Value bBase = mul(jr, kc);
  Value row0 = add(ic, ir), col0 = add(jc, jr);
  SmallVector<Value> rows;
  for (int64_t r = 0; r < mr; ++r)
    rows.push_back(min(add(row0, idx(r)), lastRow));
  SmallVector<Value> accs =
      accumulate(rows, pc, add(pc, kc), [&](Value kA, int64_t h) -> Value {
        Value bOff = add(bBase, mul(sub(kA, pc), idx(nr)));
        return vector::LoadOp::create(b, vecType, packedB,
                                      ValueRange{add(bOff, idx(h * vw))});
      });
  Value addOld = addsToOld(pc);
  storeTile(accs, row0, sub(mc, ir), col0, sub(nc, jr), addOld);
}

/// C[r, j] (+)= A[r, :] . B[j, :] for a B stored transposed: eight columns
/// at a time, eight accumulators of partial dot products along k (A and B
/// rows are both contiguous there), summed across lanes with one 8 x 8
/// transpose, so that each row of C gets one vector of eight results. K is
/// taken in blocks of kSmallRowsBlock, each block's eight rows of B read
/// from the L1 cache by every row of A (a convolution's filter gradient has
/// a K of N Ho Wo); C adds each block's sums. The vectors along k have 16
/// lanes when the kernel's have (folded to 8 before the transpose).
void MatmulEmitter::emitSmallRowsTransposedB(Value colBegin, Value colEnd) {
  constexpr int64_t kColumns = 8;
  int64_t lanes = shape.vectorWidth >= 16 ? 16 : 8;
  auto dotType = VectorType::get({lanes}, f32);
  auto dotMaskType = VectorType::get({lanes}, b.getI1Type());
  Value zero = idx(0), one = idx(1), cLanes = idx(lanes);
  Value zeroDot = arith::ConstantOp::create(
      b, DenseElementsAttr::get(dotType, b.getF32FloatAttr(0)));
  Value lastCol = sub(colEnd, one);
  Value cBlock = idx(kSmallRowsBlock);
  loop(colBegin, colEnd, idx(kColumns), [&](Value col0) {
    // Columns past the end are read from the last one; never stored.
    SmallVector<Value> cols;
    for (int64_t j = 0; j < kColumns; ++j)
      cols.push_back(min(add(col0, idx(j)), lastCol));
    Value colsLeft = sub(colEnd, col0);
    loop(zero, k, cBlock, [&](Value kb) {
      Value kbEnd = min(add(kb, cBlock), k);
      Value kFull = add(
          kb, mul(arith::DivSIOp::create(b, sub(kbEnd, kb), cLanes), cLanes));
      Value addOld = addsToOld(kb);
      loop(zero, m, one, [&](Value row) {
        SmallVector<Value> init(kColumns, zeroDot);
        auto step = [&](Value kk, ValueRange accs, Value laneMask) {
          auto load = [&](Value memref, Value r) -> Value {
            SmallVector<Value, 2> at{r, kk};
            if (!laneMask)
              return vector::LoadOp::create(b, dotType, memref, at);
            return vector::MaskedLoadOp::create(b, dotType, memref, at,
                                                laneMask, zeroDot);
          };
          Value av = load(a, row);
          SmallVector<Value> next;
          for (int64_t j = 0; j < kColumns; ++j)
            next.push_back(
                vector::FMAOp::create(b, av, load(bm, cols[j]), accs[j]));
          return next;
        };
        ValueRange body = reduceLoop(
            kb, kFull, cLanes, init, [&](Value kk, ValueRange accs) {
              return step(kk, accs, nullptr);
            });
        // The block's last k % lanes with masked loads (no lanes when the
        // block is a multiple).
        SmallVector<Value> accs = step(
            kFull, body,
            vector::CreateMaskOp::create(b, dotMaskType,
                                         ValueRange{sub(kbEnd, kFull)}));
        if (lanes == 16) {
          SmallVector<int64_t> low = {0, 1, 2, 3, 4, 5, 6, 7};
          SmallVector<int64_t> high = {8, 9, 10, 11, 12, 13, 14, 15};
          for (Value &acc : accs)
            acc = arith::AddFOp::create(
                b, vector::ShuffleOp::create(b, acc, acc, low),
                vector::ShuffleOp::create(b, acc, acc, high));
        }
        // sums[j] = the lane sum of accs[j].
        SmallVector<Value> columns = transpose8x8(b, accs);
        Value sums = columns[0];
        for (int64_t i = 1; i < kColumns; ++i)
          sums = arith::AddFOp::create(b, sums, columns[i]);
        SmallVector<Value, 2> at{row, col0};
        auto store = [&](bool add, Value laneMask) {
          Value result = sums;
          if (add)
            result = arith::AddFOp::create(
                b,
                laneMask ? Value(vector::MaskedLoadOp::create(
                               b, vec8Type, c, at, laneMask, zeroVector8()))
                         : Value(vector::LoadOp::create(b, vec8Type, c, at)),
                result);
          if (laneMask)
            vector::MaskedStoreOp::create(b, c, at, laneMask, result);
          else
            vector::StoreOp::create(b, result, c, at);
        };
        ifThen(
            le(idx(kColumns), colsLeft),
            [&] {
              ifThen(
                  addOld, [&] { store(true, nullptr); },
                  [&] { store(false, nullptr); });
            },
            [&] {
              Value laneMask = mask8(colsLeft);
              ifThen(
                  addOld, [&] { store(true, laneMask); },
                  [&] { store(false, laneMask); });
            });
      });
    });
  });
}

struct MatmulMicrokernelsPass
    : adjoint::impl::MatmulMicrokernelsBase<MatmulMicrokernelsPass> {
  using MatmulMicrokernelsBase::MatmulMicrokernelsBase;

  void runOnOperation() override {
    KernelShape shape{mr, nrVectors, vectorWidth, kc, mc, nc, smallRows};
    if (shape.mr < 1 || shape.nrVectors < 1 || shape.vectorWidth < 1 ||
        shape.kc < 1 || shape.mc < shape.mr || shape.nc < shape.nr() ||
        shape.smallRows < 0 || chunksPerThread < 1) {
      getOperation().emitError(
          "adjoint-matmul-microkernels: invalid sizes (mr, nr-vectors, "
          "vector-width, kc and chunks-per-thread must be positive, mc at "
          "least mr, nc at least NR, small-rows not negative)");
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    for (linalg::MatmulOp op : matmuls) {
      if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2)
        continue;
      Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1],
            c = op.getDpsInits()[0];
      if (!isSupportedOperand(a) || !isSupportedOperand(bm) ||
          !isSupportedOperand(c))
        continue;
      if (op.getCast() != linalg::TypeFn::cast_signed)
        continue;
      FailureOr<std::pair<bool, bool>> transposes = adjoint::getMatmulTransposes(op);
      if (failed(transposes))
        continue;
      if (smallFlops > 0 && isSmall(op))
        continue;
      auto fill = llvm::dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
      if (!fill || !fill.hasPureBufferSemantics() ||
          fill.getDpsInits()[0] != c ||
          !matchPattern(fill.getDpsInputs()[0], m_AnyZeroFloat()))
        fill = nullptr;
      func::FuncOp kernel =
          getKernel(shape, transposes->first, transposes->second);
      // The product runs where its last epilogue op was.
      std::optional<adjoint::MatmulEpilogue> epilogue;
      if (parallel && epilogues)
        epilogue.emplace(op);
      ImplicitLocOpBuilder b(op.getLoc(), op);
      if (epilogue && !epilogue->empty())
        b.setInsertionPointAfter(epilogue->getLastOp());
      emitCall(b, kernel, shape, a, bm, c, transposes->first,
               transposes->second, fill,
               epilogue ? &*epilogue : nullptr);
      if (epilogue)
        epilogue->erase();
      op.erase();
    }
  }

  /// The kernel function of one transpose variant, made on first use:
  ///   func.func private @adjoint_sgemm_<nn|nt|tn|tt>(%a, %b, %c,
  ///       %workspace, %col_begin: index, %col_end: index, %overwrite: i1)
  /// with internal linkage, so that each library has its own.
  func::FuncOp getKernel(const KernelShape &shape, bool transA, bool transB) {
    ModuleOp module = getOperation();
    std::string base = (llvm::Twine("adjoint_sgemm_") + (transA ? "t" : "n") +
                        (transB ? "t" : "n"))
                           .str();
    // A symbol of that name that is not our kernel (a user's function)
    // gives the kernel a numbered name.
    std::string name = base;
    for (unsigned suffix = 0;; ++suffix) {
      Operation *existing = module.lookupSymbol(name);
      if (!existing)
        break;
      if (existing->hasAttr(kKernelAttr))
        return llvm::cast<func::FuncOp>(existing);
      name = base + "_" + std::to_string(suffix);
    }
    MLIRContext *ctx = module.getContext();
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    Type operand = getKernelOperandType(ctx);
    Type index = builder.getIndexType();
    auto type = builder.getFunctionType({operand, operand, operand,
                                         getWorkspaceType(ctx), index, index,
                                         builder.getI1Type()},
                                        {});
    auto fn = func::FuncOp::create(builder, module.getLoc(), name, type);
    fn.setPrivate();
    fn->setAttr(kKernelAttr, builder.getUnitAttr());
    fn->setAttr("llvm.linkage",
                LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
    Block *entry = fn.addEntryBlock();
    ImplicitLocOpBuilder b(module.getLoc(), ctx);
    b.setInsertionPointToEnd(entry);
    ValueRange args = entry->getArguments();
    MatmulEmitter(b, shape, args[0], args[1], args[2], args[3], transA, transB,
                  args[6])
        .emit(args[4], args[5]);
    func::ReturnOp::create(b);
    return fn;
  }

  /// Replaces a matmul by calls of `kernel`: one for all columns, or with
  /// `parallel` one per chunk of columns in an scf.parallel when there are
  /// several threads and the product is large enough to pay for waking them.
  /// The ops of `epilogue` run after the kernel on each chunk where they can,
  /// else after the product.
  void emitCall(ImplicitLocOpBuilder &b, func::FuncOp kernel,
                const KernelShape &shape, Value a, Value bm, Value c,
                bool transA, bool transB, linalg::FillOp zeroFill,
                const adjoint::MatmulEpilogue *epilogue) {
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    Value zero = idx(0), one = idx(1);
    Value m = memref::DimOp::create(b, c, 0);
    Value n = memref::DimOp::create(b, c, 1);
    Value k = memref::DimOp::create(b, a, transA ? 0 : 1);
    // After a fill with zeros, the kernel overwrites C; the fill only runs
    // when there is nothing to sum (K = 0).
    if (zeroFill) {
      auto ifOp = scf::IfOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::eq, k, zero),
          /*withElseRegion=*/false);
      zeroFill->moveBefore(ifOp.thenBlock(), ifOp.thenBlock()->begin());
    }
    Value overwrite =
        arith::ConstantOp::create(b, b.getBoolAttr(bool(zeroFill)));
    Type operandType = getKernelOperandType(b.getContext());
    auto cast = [&](Value v) -> Value {
      if (v.getType() == operandType)
        return v;
      return memref::CastOp::create(b, operandType, v);
    };
    SmallVector<Value> operands{cast(a), cast(bm), cast(c)};

    // The workspace where the kernel packs B, allocated here, so that
    // adjoint-temporaries-arena places it in the caller's arena with the
    // other temporaries (no allocation per call). Its size depends only on
    // the operands' sizes: one packed block for min(N, NC) columns, or with
    // `parallel` for all N, where the chunk of columns from `begin` packs
    // at `begin * depth` (chunks start at multiples of NR, so the chunks'
    // blocks do not overlap). Products that take the path without packing
    // need none.
    //
    // With `parallel`, a product too narrow to give every thread a chunk of
    // NR columns (a convolution's, N = 6 or 16 output channels) is split by
    // rows instead, and each chunk packs all of B into a block of its own:
    // the workspace then holds one block per thread.
    MLIRContext *ctx = b.getContext();
    Value depth = getPackedDepth(b, shape, k);
    Value columns =
        parallel ? n : Value(arith::MinSIOp::create(b, n, idx(shape.nc)));
    Value size = getWorkspaceSize(b, shape, depth, columns);
    if (Value unpacked =
            buildTakesUnpackedPath(b, shape, transA, transB, m, k))
      size = arith::SelectOp::create(b, unpacked, zero, size);
    Value threads, byRows;
    int64_t nr = shape.nr();
    if (parallel) {
      // By rows when the columns do not make a chunk per thread, and there
      // are at least 6 MR t^2 rows: then every chunk (below) has more than MR
      // rows, so none takes another path through the kernel (the one
      // without packing, which sums in another order), and the results are
      // the same for any thread count.
      //
      // Also by rows when the epilogue writes the function's results (the
      // optimizer's update of a weight from its gradient, dW = dZ^T X): the
      // next step's forward product (X W^T) reads W by rows, each thread
      // the rows of its chunk of columns of C. Written by columns, half of
      // every row came from the other core's cache there (the MNIST step
      // 15% slower on two threads).
      threads = adjoint::buildThreadCount(b, getOperation());
      Value minRows = arith::MulIOp::create(
          b, idx(6 * shape.mr), arith::MulIOp::create(b, threads, threads));
      Value narrow =
          epilogue && epilogue->writesOutsideAllocations()
              ? Value(arith::ConstantOp::create(b, b.getBoolAttr(true)))
              : Value(arith::CmpIOp::create(
                    b, arith::CmpIPredicate::slt, n,
                    arith::MulIOp::create(b, threads, idx(nr))));
      Value enoughRows =
          arith::CmpIOp::create(b, arith::CmpIPredicate::sge, m, minRows);
      byRows = arith::AndIOp::create(b, narrow, enoughRows);
    }
    Value allocated =
        parallel ? Value(arith::SelectOp::create(
                       b, byRows, arith::MulIOp::create(b, size, threads), size))
                 : size;
    Value workspace = memref::AllocOp::create(
        b, MemRefType::get({ShapedType::kDynamic}, b.getF32Type()),
        ValueRange{allocated}, b.getI64IntegerAttr(64));
    Value workspaceView =
        memref::CastOp::create(b, getWorkspaceType(ctx), workspace);
    auto call = [&](Value packInto, Value begin, Value end) {
      SmallVector<Value> args(operands);
      args.append({packInto, begin, end, overwrite});
      func::CallOp::create(b, kernel, args);
    };
    if (!parallel) {
      // (Epilogues are only found with `parallel`.)
      call(workspaceView, zero, n);
      memref::DeallocOp::create(b, workspace);
      return;
    }
    auto emitWhole = [&](unsigned from) {
      if (epilogue)
        epilogue->emitWhole(b, from);
    };
    auto chunked = [&](unsigned dim) {
      return epilogue ? epilogue->getChunkedCount(dim) : 0;
    };

    // Threads only where each gets a share worth its reads: chunks of rows,
    // or of at least two panels of columns. (Conv1's weight gradient, 6 x 25
    // over K = 36864, split into chunks of 16 and 9 columns was slower on
    // two threads than on one: both read all of A and the same cache lines
    // of B.)
    Value flops = arith::MulIOp::create(b, arith::MulIOp::create(b, m, n), k);
    Value wide = arith::CmpIOp::create(
        b, arith::CmpIPredicate::sge, n,
        arith::MulIOp::create(b, threads, idx(2 * nr)));
    Value useThreads = arith::AndIOp::create(
        b,
        arith::AndIOp::create(
            b, arith::CmpIOp::create(b, arith::CmpIPredicate::slt, one, threads),
            arith::CmpIOp::create(b, arith::CmpIPredicate::sle,
                                  idx(parallelFlops), flops)),
        arith::OrIOp::create(b, byRows, wide));
    auto ifOp = scf::IfOp::create(b, useThreads, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    auto rowsIf = scf::IfOp::create(b, byRows, /*withElseRegion=*/true);
    b.setInsertionPointToStart(rowsIf.thenBlock());
    emitRowChunks(b, operands, workspaceView, size, m, n, k, threads,
                  overwrite, kernel, shape, transA,
                  [&](Value begin, Value end) {
                    if (epilogue)
                      epilogue->emitChunk(b, chunked(0), 0, begin, end);
                  });
    emitWhole(chunked(0));
    b.setInsertionPointToStart(rowsIf.elseBlock());
    // `chunks-per-thread` chunks per thread, a multiple of NR columns each,
    // taken by the threads as they become free.
    forEachChunk(b, n, nr, threads, chunksPerThread,
                 [&](Value, Value begin, Value end) {
                   // (The slice is empty where the kernel does not pack.)
                   Value offset = arith::MulIOp::create(b, begin, depth);
                   Value slice = memref::SubViewOp::create(
                       b, workspaceView, ArrayRef<OpFoldResult>{offset},
                       ArrayRef<OpFoldResult>{
                           arith::MaxSIOp::create(
                               b, arith::SubIOp::create(b, size, offset), zero)
                               .getResult()},
                       ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
                   call(slice, begin, end);
                   if (epilogue)
                     epilogue->emitChunk(b, chunked(1), 1, begin, end);
                 });
    emitWhole(chunked(1));
    b.setInsertionPointToStart(ifOp.elseBlock());
    call(workspaceView, zero, n);
    emitWhole(0);
    b.setInsertionPointAfter(ifOp);
    memref::DeallocOp::create(b, workspace);
  }

  /// An scf.parallel over chunks of [0, total), `perThread` per thread, each
  /// a multiple of `granule` (at least one granule): body(chunk, begin, end).
  ///
  /// With one chunk per thread, the scf.parallel runs over the chunks. With
  /// more, it runs over one slot per thread (at most one per chunk), and
  /// each slot owns a contiguous range of the chunks: it takes its own
  /// chunks in order, then the chunks that the other slots have not taken
  /// yet, each slot's next chunk counted by an atomic counter of its own
  /// (one per cache line). A thread that finishes early takes over the rest
  /// of a slower one (the two cores of a shared machine often run at
  /// different speeds), while a balanced run keeps the static split: each
  /// thread computes the columns of C it computed in the previous call,
  /// which the optimizer's update, split the same way, left in its cache.
  /// The chunks do not depend on the schedule, so neither do the results.
  void forEachChunk(ImplicitLocOpBuilder &b, Value total, int64_t granule,
                    Value threads, int64_t perThread,
                    function_ref<void(Value, Value, Value)> body) {
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, v);
    };
    Value step = idx(granule);
    Value shares = threads;
    if (perThread > 1)
      shares = arith::MulIOp::create(b, threads, idx(perThread));
    Value perShare = arith::CeilDivSIOp::create(b, total, shares);
    Value chunk = arith::MaxSIOp::create(
        b,
        arith::MulIOp::create(b, arith::CeilDivSIOp::create(b, perShare, step),
                              step),
        step);
    Value chunks = arith::CeilDivSIOp::create(b, total, chunk);
    auto emitChunk = [&](Value index) {
      Value begin = arith::MulIOp::create(b, index, chunk);
      body(index, begin,
           arith::MinSIOp::create(b, arith::AddIOp::create(b, begin, chunk),
                                  total));
    };
    auto emitParallel = [&](Value count,
                            function_ref<void(Value)> emitIteration) {
      auto buildBody = [&](OpBuilder &nested, Location, ValueRange ivs) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        emitIteration(ivs[0]);
      };
      scf::ParallelOp::create(b, ValueRange{idx(0)}, ValueRange{count},
                              ValueRange{idx(1)}, buildBody);
    };
    if (perThread <= 1) {
      emitParallel(chunks, emitChunk);
      return;
    }

    // Slot s owns chunks [s * chunks / slots, (s + 1) * chunks / slots);
    // counters[s * kLine] counts those taken.
    constexpr int64_t kLine = 8;
    Value slots = arith::MinSIOp::create(b, threads, chunks);
    Type i64 = b.getI64Type();
    Value counters = memref::AllocOp::create(
        b, MemRefType::get({ShapedType::kDynamic}, i64),
        ValueRange{arith::MulIOp::create(b, slots, idx(kLine))},
        b.getI64IntegerAttr(64));
    linalg::FillOp::create(
        b, ValueRange{arith::ConstantOp::create(b, b.getI64IntegerAttr(0))},
        ValueRange{counters});
    auto ownBegin = [&](Value slot) -> Value {
      return arith::DivSIOp::create(b, arith::MulIOp::create(b, slot, chunks),
                                    slots);
    };
    emitParallel(slots, [&](Value slot) {
      scf::ForOp::create(
          b, idx(0), slots, idx(1), ValueRange{},
          [&](OpBuilder &nested, Location, Value offset, ValueRange) {
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPoint(nested.getInsertionBlock(),
                                nested.getInsertionPoint());
            // The slots in the order slot, slot + 1, ...: its own first.
            Value owner = arith::RemSIOp::create(
                b, arith::AddIOp::create(b, slot, offset), slots);
            Value begin = ownBegin(owner);
            Value end = ownBegin(arith::AddIOp::create(b, owner, idx(1)));
            Value counter = arith::MulIOp::create(b, owner, idx(kLine));
            auto loop = scf::WhileOp::create(b, TypeRange{b.getIndexType()},
                                             ValueRange{});
            {
              OpBuilder::InsertionGuard whileGuard(b);
              b.createBlock(&loop.getBefore());
              Value taken = memref::AtomicRMWOp::create(
                  b, arith::AtomicRMWKind::addi,
                  arith::ConstantOp::create(b, b.getI64IntegerAttr(1)),
                  counters, ValueRange{counter});
              Value index = arith::AddIOp::create(
                  b, begin,
                  arith::IndexCastOp::create(b, b.getIndexType(), taken));
              scf::ConditionOp::create(
                  b,
                  arith::CmpIOp::create(b, arith::CmpIPredicate::slt, index,
                                        end),
                  ValueRange{index});
              Block *after = b.createBlock(&loop.getAfter(), {},
                                           {b.getIndexType()}, {b.getLoc()});
              emitChunk(after->getArgument(0));
              scf::YieldOp::create(b);
            }
            scf::YieldOp::create(b);
          });
    });
    memref::DeallocOp::create(b, counters);
  }

  /// The calls of `kernel` for a product split by rows: one chunk of a
  /// multiple of MR rows per thread, each a call on the rows of A (columns
  /// of its storage when transposed) and C, packing all of B into its own
  /// block of `size` floats of the workspace.
  void emitRowChunks(ImplicitLocOpBuilder &b, ArrayRef<Value> operands,
                     Value workspace, Value size, Value m, Value n, Value k,
                     Value threads, Value overwrite, func::FuncOp kernel,
                     const KernelShape &shape, bool transA,
                     function_ref<void(Value, Value)> afterChunk) {
    auto unit = b.getIndexAttr(1);
    forEachChunk(
        b, m, shape.mr, threads, /*perThread=*/1,
        [&](Value index, Value begin, Value end) {
          Value rows = arith::SubIOp::create(b, end, begin);
          auto rowsOf = [&](Value v, bool transposed, Value cols) -> Value {
            SmallVector<OpFoldResult> offsets{begin, b.getIndexAttr(0)};
            SmallVector<OpFoldResult> sizes{rows, cols};
            if (transposed) {
              std::swap(offsets[0], offsets[1]);
              std::swap(sizes[0], sizes[1]);
            }
            return memref::SubViewOp::create(
                b, getKernelOperandType(b.getContext()), v, offsets, sizes,
                ArrayRef<OpFoldResult>{unit, unit});
          };
          Value block = memref::SubViewOp::create(
              b, workspace,
              ArrayRef<OpFoldResult>{
                  arith::MulIOp::create(b, index, size).getResult()},
              ArrayRef<OpFoldResult>{size}, ArrayRef<OpFoldResult>{unit});
          func::CallOp::create(
              b, kernel,
              ValueRange{rowsOf(operands[0], transA, k), operands[1],
                         rowsOf(operands[2], false, n), block,
                         arith::ConstantIndexOp::create(b, 0), n, overwrite});
          afterChunk(begin, end);
        });
  }

  bool isSmall(linalg::MatmulOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t flops = 1;
    for (int64_t r : ranges) {
      if (ShapedType::isDynamic(r))
        return false;
      flops *= r;
    }
    return flops <= smallFlops;
  }
};

} // namespace
