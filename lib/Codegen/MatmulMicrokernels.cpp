//===- MatmulMicrokernels.cpp - BLIS-style f32 matmul on buffers ----------===//
//
// Lowers linalg.matmul (any of the four transpose variants) to packed,
// cache-blocked loops around an MR x NR register-blocked FMA kernel. See the
// pass description in include/adjoint/Codegen/Passes.td and
// docs/performance.md for the measurements behind the choices.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"

namespace adjoint {
#define GEN_PASS_DEF_MATMULMICROKERNELS
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

struct KernelShape {
  int64_t mr, nrVectors, vectorWidth, kc, mc, nc;
  /// The function that returns the number of threads (an i32), or null for
  /// serial code only; products of fewer multiply-adds stay serial.
  func::FuncOp threadCount;
  int64_t parallelFlops;
  int64_t nr() const { return nrVectors * vectorWidth; }
};

/// Which operands of a linalg.matmul are transposed, from its indexing maps;
/// failure for maps that are not one of the four plain variants.
FailureOr<std::pair<bool, bool>> getTransposes(linalg::MatmulOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps.size() != 3)
    return failure();
  MLIRContext *ctx = op.getContext();
  auto map = [&](unsigned a, unsigned b) {
    return AffineMap::get(3, 0,
                          {getAffineDimExpr(a, ctx), getAffineDimExpr(b, ctx)},
                          ctx);
  };
  // Loops (m, n, k).
  if (maps[2] != map(0, 1))
    return failure();
  bool transA, transB;
  if (maps[0] == map(0, 2))
    transA = false;
  else if (maps[0] == map(2, 0))
    transA = true;
  else
    return failure();
  if (maps[1] == map(2, 1))
    transB = false;
  else if (maps[1] == map(1, 2))
    transB = true;
  else
    return failure();
  return std::make_pair(transA, transB);
}

bool isSupportedOperand(Value value) {
  auto type = llvm::dyn_cast<MemRefType>(value.getType());
  return type && type.getRank() == 2 && type.getElementType().isF32() &&
         type.isLastDimUnitStride();
}

/// Emits the loop nest of one matmul at the builder's position.
class MatmulEmitter {
public:
  /// `zeroFill`, when not null, is the linalg.fill of C with zeros that
  /// precedes the matmul: the first K block then writes C without reading
  /// it, and the fill only runs when K is 0.
  MatmulEmitter(ImplicitLocOpBuilder &b, const KernelShape &shape, Value a,
                Value bm, Value c, bool transA, bool transB,
                linalg::FillOp zeroFill)
      : b(b), shape(shape), a(a), bm(bm), c(c), transA(transA),
        transB(transB), zeroFill(zeroFill), overwriteFirst(bool(zeroFill)) {
    f32 = b.getF32Type();
    vecType = VectorType::get({shape.vectorWidth}, f32);
    maskType = VectorType::get({shape.vectorWidth}, b.getI1Type());
  }

  void emit();

private:
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, x, y); }
  Value ceilDiv(Value x, Value y) { return arith::CeilDivSIOp::create(b, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::slt, x, y);
  }
  Value le(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::sle, x, y);
  }
  Value dim(Value memref, int64_t d) {
    return memref::DimOp::create(b, memref, d);
  }
  /// `x` rounded up to a multiple of `m`.
  Value roundUp(Value x, int64_t m) { return mul(ceilDiv(x, idx(m)), idx(m)); }
  /// The step that splits [0, total) into ceil(total / limit) blocks of equal
  /// size (rounded up to a multiple of `multiple`), at least `multiple`.
  Value balancedStep(Value total, int64_t limit, int64_t multiple) {
    Value one = idx(1);
    Value blocks = max(ceilDiv(total, idx(limit)), one);
    Value step = roundUp(ceilDiv(total, blocks), multiple);
    return max(step, idx(multiple));
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

  /// The loop nest over C's columns [colBegin, colEnd).
  void emitColumns(Value colBegin, Value colEnd);
  void packB(Value jc, Value nc, Value pc, Value kc);
  void packTransposedPanel(Value base, Value col, Value pc, Value kc);
  void kernel(Value ic, Value mc, Value jc, Value nc, Value ir, Value jr,
              Value pc, Value kc);

  ImplicitLocOpBuilder &b;
  const KernelShape &shape;
  Value a, bm, c;
  bool transA, transB;
  linalg::FillOp zeroFill;
  bool overwriteFirst;
  Type f32;
  VectorType vecType, maskType;
  Value packedB;
  Value m, n, k;
  /// M - 1: rows of A past the end are read from the last row (valid
  /// memory); their results are never stored.
  Value lastRow;
};

void MatmulEmitter::emit() {
  Value zero = idx(0);
  m = dim(c, 0);
  n = dim(c, 1);
  k = dim(a, transA ? 0 : 1);
  lastRow = sub(m, idx(1));
  if (zeroFill) {
    ifThen(arith::CmpIOp::create(b, arith::CmpIPredicate::eq, k, zero), [&] {
      zeroFill->moveBefore(b.getInsertionBlock(), b.getInsertionPoint());
    });
  }
  if (!shape.threadCount) {
    emitColumns(zero, n);
    return;
  }

  // One chunk of columns per thread, when there are several threads and the
  // product is large enough to pay for waking them.
  Value threads = arith::IndexCastOp::create(
      b, b.getIndexType(),
      func::CallOp::create(b, shape.threadCount, ValueRange{}).getResult(0));
  Value flops = mul(mul(m, n), k);
  Value useThreads =
      arith::AndIOp::create(b, lt(idx(1), threads),
                            le(idx(shape.parallelFlops), flops));
  // The loop nest is emitted once: the serial case is one chunk of all the
  // columns (adjoint-openmp-serial-if keeps it on the calling thread).
  Value chunk = arith::SelectOp::create(
      b, useThreads,
      max(roundUp(ceilDiv(n, threads), shape.nr()), idx(shape.nr())),
      max(n, idx(1)));
  Value chunks = ceilDiv(n, chunk);
  scf::ParallelOp::create(
      b, ValueRange{zero}, ValueRange{chunks}, ValueRange{idx(1)},
      [&](OpBuilder &nested, Location loc, ValueRange ivs) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        Value begin = mul(ivs[0], chunk);
        emitColumns(begin, min(add(begin, chunk), n));
      });
}

void MatmulEmitter::emitColumns(Value colBegin, Value colEnd) {
  Value zero = idx(0);
  int64_t mr = shape.mr, nr = shape.nr();
  Value width = sub(colEnd, colBegin);

  // Block sizes: K and M are split into equal blocks, so that a K of 784 is
  // 4 blocks of 196 rather than 3 of 256 and one of 16.
  Value kcStep = balancedStep(k, shape.kc, 1);
  Value mcStep = balancedStep(m, shape.mc, mr);
  Value ncStep = idx(shape.nc);

  // The packed B block, sized for the largest block. A is read in place:
  // the kernel broadcasts one scalar of A per row and k anyway, so packing
  // it would only save address arithmetic, and it costs a copy that
  // dominates small products.
  Value kcMax = min(k, kcStep);
  Value ncMax = roundUp(min(width, ncStep), nr);
  auto bufferType = MemRefType::get({ShapedType::kDynamic}, f32);
  IntegerAttr alignment = b.getI64IntegerAttr(64);
  packedB = memref::AllocOp::create(b, bufferType, ValueRange{mul(kcMax, ncMax)},
                                    alignment);

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

  memref::DeallocOp::create(b, packedB);
}

/// packedB[jr * kc + k * NR + j] = op(B)[pc + k, jc + jr + j], zero beyond nc.
void MatmulEmitter::packB(Value jc, Value nc, Value pc, Value kc) {
  int64_t nr = shape.nr(), vw = shape.vectorWidth;
  Value zero = idx(0), one = idx(1), cNr = idx(nr);
  loop(zero, nc, cNr, [&](Value jr) {
    Value base = mul(jr, kc);
    Value col = add(jc, jr);
    auto scalarPanel = [&] {
      // One column of the panel at a time: reads run along k for a
      // transposed B (rows of the stored matrix), writes stride NR.
      loop(zero, cNr, one, [&](Value j) {
        Value inside = lt(add(jr, j), nc);
        ifThen(
            inside,
            [&] {
              loop(zero, kc, one, [&](Value kk) {
                Value v = loadB(add(pc, kk), add(col, j));
                memref::StoreOp::create(b, v, packedB,
                                        ValueRange{add(base, add(mul(kk, cNr), j))});
              });
            },
            [&] {
              Value zeroF = arith::ConstantOp::create(b, b.getF32FloatAttr(0));
              loop(zero, kc, one, [&](Value kk) {
                memref::StoreOp::create(b, zeroF, packedB,
                                        ValueRange{add(base, add(mul(kk, cNr), j))});
              });
            });
      });
    };
    if (transB) {
      // Full panels are transposed 8 x 8 in registers.
      if (vw != 8) {
        scalarPanel();
        return;
      }
      ifThen(
          le(add(jr, cNr), nc),
          [&] { packTransposedPanel(base, col, pc, kc); }, scalarPanel);
      return;
    }
    // B rows are contiguous: copy NR columns with vector loads, except at
    // the right edge.
    ifThen(
        le(add(jr, cNr), nc),
        [&] {
          loop(zero, kc, one, [&](Value kk) {
            Value row = add(pc, kk);
            Value dst = add(base, mul(kk, cNr));
            for (int64_t h = 0; h < shape.nrVectors; ++h) {
              Value v = vector::LoadOp::create(
                  b, vecType, bm, ValueRange{row, add(col, idx(h * vw))});
              vector::StoreOp::create(b, v, packedB,
                                      ValueRange{add(dst, idx(h * vw))});
            }
          });
        },
        scalarPanel);
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

/// packedB[base + k * NR + j] = B[col + j, pc + k] for a full panel of a
/// transposed B: rows of the stored B are read along k, 8 at a time, and
/// transposed in registers; the k that do not fill 8 are copied one by one.
void MatmulEmitter::packTransposedPanel(Value base, Value col, Value pc,
                                        Value kc) {
  int64_t nr = shape.nr();
  Value zero = idx(0), one = idx(1), c8 = idx(8), cNr = idx(nr);
  Value k8 = mul(arith::DivSIOp::create(b, kc, c8), c8);
  loop(zero, k8, c8, [&](Value k0) {
    for (int64_t j0 = 0; j0 < nr; j0 += 8) {
      SmallVector<Value> rowVecs;
      for (int64_t j = 0; j < 8; ++j)
        rowVecs.push_back(vector::LoadOp::create(
            b, vecType, bm,
            ValueRange{add(col, idx(j0 + j)), add(pc, k0)}));
      SmallVector<Value> cols = transpose8x8(b, rowVecs);
      for (int64_t i = 0; i < 8; ++i)
        vector::StoreOp::create(
            b, cols[i], packedB,
            ValueRange{add(base, add(mul(add(k0, idx(i)), cNr), idx(j0)))});
    }
  });
  loop(k8, kc, one, [&](Value kk) {
    for (int64_t j = 0; j < nr; ++j) {
      Value v = loadB(add(pc, kk), add(col, idx(j)));
      memref::StoreOp::create(b, v, packedB,
                              ValueRange{add(base, add(mul(kk, cNr), idx(j)))});
    }
  });
}

/// C[ic + ir + (0..MR), jc + jr + (0..NR)] += packed panels' product.
void MatmulEmitter::kernel(Value ic, Value mc, Value jc, Value nc, Value ir,
                           Value jr, Value pc, Value kc) {
  int64_t mr = shape.mr, nv = shape.nrVectors, vw = shape.vectorWidth,
          nr = shape.nr();
  Value zero = idx(0), one = idx(1);
  Value bBase = mul(jr, kc);
  Value row0 = add(ic, ir), col0 = add(jc, jr);
  SmallVector<Value> rows;
  for (int64_t r = 0; r < mr; ++r)
    rows.push_back(min(add(row0, idx(r)), lastRow));
  Value zeroVec = arith::ConstantOp::create(
      b, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0)));
  SmallVector<Value> init(mr * nv, zeroVec);

  auto kLoop = scf::ForOp::create(
      b, zero, kc, one, init,
      [&](OpBuilder &nested, Location loc, Value kk, ValueRange accs) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        Value bOff = add(bBase, mul(kk, idx(nr)));
        SmallVector<Value> bv;
        for (int64_t h = 0; h < nv; ++h)
          bv.push_back(vector::LoadOp::create(
              b, vecType, packedB, ValueRange{add(bOff, idx(h * vw))}));
        Value kA = add(pc, kk);
        SmallVector<Value> next;
        for (int64_t r = 0; r < mr; ++r) {
          Value av = loadA(rows[r], kA);
          Value splat = vector::BroadcastOp::create(b, vecType, av);
          for (int64_t h = 0; h < nv; ++h)
            next.push_back(
                vector::FMAOp::create(b, splat, bv[h], accs[r * nv + h]));
        }
        scf::YieldOp::create(b, next);
      });
  ValueRange accs = kLoop.getResults();

  // C tile (+)= accumulators. `addOld` false: the first K block of a C
  // that was only zero-filled, written without reading it.
  auto fullTile = [&](bool addOld) {
    for (int64_t r = 0; r < mr; ++r) {
      Value row = add(row0, idx(r));
      for (int64_t h = 0; h < nv; ++h) {
        SmallVector<Value, 2> at{row, add(col0, idx(h * vw))};
        Value sum = accs[r * nv + h];
        if (addOld)
          sum = arith::AddFOp::create(
              b, vector::LoadOp::create(b, vecType, c, at), sum);
        vector::StoreOp::create(b, sum, c, at);
      }
    }
  };
  // An edge tile: rows past mc are skipped, columns past nc masked.
  auto edgeTile = [&](bool addOld) {
    Value colsLeft = sub(nc, jr);
    for (int64_t r = 0; r < mr; ++r) {
      ifThen(lt(add(ir, idx(r)), mc), [&] {
        Value row = add(row0, idx(r));
        for (int64_t h = 0; h < nv; ++h) {
          Value lanes = max(sub(colsLeft, idx(h * vw)), zero);
          Value mask =
              vector::CreateMaskOp::create(b, maskType, ValueRange{lanes});
          SmallVector<Value, 2> at{row, add(col0, idx(h * vw))};
          Value sum = accs[r * nv + h];
          if (addOld)
            sum = arith::AddFOp::create(
                b,
                vector::MaskedLoadOp::create(b, vecType, c, at, mask, zeroVec),
                sum);
          vector::MaskedStoreOp::create(b, c, at, mask, sum);
        }
      });
    }
  };
  auto store = [&](function_ref<void(bool)> tile) {
    if (!overwriteFirst) {
      tile(true);
      return;
    }
    ifThen(
        arith::CmpIOp::create(b, arith::CmpIPredicate::ne, pc, zero),
        [&] { tile(true); }, [&] { tile(false); });
  };
  Value full = arith::AndIOp::create(b, le(add(ir, idx(mr)), mc),
                                     le(add(jr, idx(nr)), nc));
  ifThen(
      full, [&] { store(fullTile); }, [&] { store(edgeTile); });
}

struct MatmulMicrokernelsPass
    : adjoint::impl::MatmulMicrokernelsBase<MatmulMicrokernelsPass> {
  using MatmulMicrokernelsBase::MatmulMicrokernelsBase;

  void runOnOperation() override {
    KernelShape shape{mr, nrVectors, vectorWidth, kc, mc, nc, nullptr,
                      parallelFlops};
    if (shape.mr < 1 || shape.nrVectors < 1 || shape.vectorWidth < 1 ||
        shape.kc < 1 || shape.mc < shape.mr || shape.nc < shape.nr()) {
      getOperation().emitError("adjoint-matmul-microkernels: invalid sizes");
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
      FailureOr<std::pair<bool, bool>> transposes = getTransposes(op);
      if (failed(transposes))
        continue;
      if (smallFlops > 0 && isSmall(op))
        continue;
      if (parallel && !shape.threadCount)
        shape.threadCount = getThreadCountFunction();
      auto fill = llvm::dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
      if (!fill || !fill.hasPureBufferSemantics() ||
          fill.getDpsInits()[0] != c ||
          !matchPattern(fill.getDpsInputs()[0], m_AnyZeroFloat()))
        fill = nullptr;
      ImplicitLocOpBuilder b(op.getLoc(), op);
      MatmulEmitter(b, shape, a, bm, c, transposes->first, transposes->second,
                    fill)
          .emit();
      op.erase();
    }
  }

  /// `func.func private @omp_get_max_threads() -> i32`, declared once.
  func::FuncOp getThreadCountFunction() {
    ModuleOp module = getOperation();
    StringRef name = "omp_get_max_threads";
    if (auto existing = module.lookupSymbol<func::FuncOp>(name))
      return existing;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto type = b.getFunctionType({}, {b.getI32Type()});
    auto fn = func::FuncOp::create(b, module.getLoc(), name, type);
    fn.setPrivate();
    return fn;
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
