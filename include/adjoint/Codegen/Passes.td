//===- Passes.td - CPU code generation passes of Adjoint ---*- tablegen -*-===//
//
// Passes that run on buffers (after one-shot bufferization) and turn linalg
// ops into tiled, vectorized loops for the host CPU. The pipeline that uses
// them is buildLowerToLLVMPipeline (lib/Pipelines/Pipelines.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_CODEGEN_PASSES_TD
#define ADJOINT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def MatmulMicrokernels : Pass<"adjoint-matmul-microkernels", "::mlir::ModuleOp"> {
  let summary = "Lowers f32 linalg.matmul on buffers to packed, register-blocked vector code";
  let description = [{
    Rewrites every `linalg.matmul` on memrefs with f32 operands, whose
    indexing maps are one of `A B`, `A^T B`, `A B^T` or `A^T B^T` (as
    `convert-nn-to-linalg` makes them), into a call of a kernel function,
    made once per module and variant (`@adjoint_sgemm_nn`, `_nt`, `_tn`,
    `_tt`, private with internal linkage):

    ```mlir
    func.func private @adjoint_sgemm_nt(
        %a: memref<?x?xf32, strided<[?, 1], offset: ?>>, %b: ..., %c: ...,
        %col_begin: index, %col_end: index, %overwrite: i1)
    ```

    computes `C[:, col_begin:col_end] (+)= op(A) op(B)[:, col_begin:col_end]`
    (`=` when `overwrite`) with any sizes, by the loop nest of a BLIS-style
    GEMM:

    ```
    for jc in [col_begin, col_end) step NC     // column block of C
      for pc in [0, K) step kc                 // kc: K split evenly, <= KC
        pack op(B)[pc:+kc, jc:+nc] into panels of NR columns, zero-padded
        for ic in [0, M) step mc               // mc: M split evenly, <= MC
          for jr in [0, nc) step NR
            for ir in [0, mc) step MR
              MR x NR accumulators in vector registers: per k, NR / VW
              loads of packed B, MR scalars of op(A) broadcast (read in
              place, rows past M clamped), one FMA per (row, vector);
              then C[tile] += accumulators (masked at the edges of C)
    ```

    A transposed B is packed with 8 x 8 transposes in registers, so all four
    variants run the same inner kernel and a transposed B is never read with
    strided vector accesses; a transposed A only changes which scalar the
    kernel broadcasts. The packed buffer is allocated once per call
    (`memref.alloc` with 64-byte alignment) and freed after it. When the
    matmul directly follows a `linalg.fill` of C with zeros, the call
    overwrites C (the first K block stores the accumulators without reading
    C), and the fill only runs when K is 0. The kernel is written with
    `vector.load`, `vector.broadcast` and `vector.fma` on `vector<VWxf32>`,
    so `convert-vector-to-llvm` must run later.

    Two paths do not pack, and their products need no workspace:
    - `A B^T` with at most `small-rows` rows, or at most 16 rows and a K
      of at least 2048, where packing B would cost more than its few rows
      reuse it (a dense layer's forward product at a small batch, a
      convolution's filter gradient, K = N Ho Wo): each row
      of C takes eight columns at a time, eight accumulators of partial dot
      products along K (where rows of A and of the stored B are both
      contiguous), summed across lanes with one 8 x 8 transpose. K is taken
      in blocks of 512, so that every row of A reads the block's eight rows
      of B from the L1 cache; C adds each block's sums.
    - `A B` and `A^T B` with at most MR rows (a convolution's forward
      product, the filter times the im2col matrix): one row tile, the
      register kernel over the whole K with B's vectors loaded in place
      (masked in the last panel), since each packed panel would be read
      once.

    `vector-width` 16 (AVX-512; the tools choose it from the target CPU)
    gives an MR x 2 x 16 tile; the transposes of B and the small-rows path
    stay on 8-lane vectors.

    One function per variant keeps the code small: the kernels are compiled
    once, not once per matmul (the JIT compile time of a training step).

    With `parallel`, a product of at least `parallel-flops` multiply-adds is
    split by columns into `chunks-per-thread` chunks per thread
    (`omp_get_max_threads()`, a multiple of NR columns each), one call per
    chunk, in an `scf.parallel` over one slot per thread that
    `convert-scf-to-openmp` makes an OpenMP work-sharing loop, so the code
    then needs libomp. Each slot owns a contiguous range of the chunks and
    takes them in order, counting them with an atomic counter of its own
    (`memref.atomic_rmw`, one per cache line); then it takes the chunks of
    the other slots that are not taken yet. A thread that finishes early
    thus takes over the rest of a slower one, while a balanced run keeps
    the static split (each thread the columns it computed in the previous
    call). The chunks are the same for any schedule, and so are the
    results. With one chunk per thread, the `scf.parallel` runs over the
    chunks. Smaller products, and any product when one thread is
    available, call the kernel once on the calling thread (an `scf.if`
    around the `scf.parallel`), without entering the OpenMP runtime.

    With `parallel` and `epilogues`, the elementwise `linalg.generic` ops
    that consume the product's C run in the same `scf.parallel`, each thread
    on its own chunk of C right after the kernel computed it, while the
    chunk is in its cache: a layer's bias and activation, the backward
    pass's relu masks and bias gradients (column sums, when the chunks are
    columns), the optimizer's update of a weight from its gradient. Without
    this, each of them was an OpenMP region of its own that read, split by
    rows, what the product had written split by columns, from the other
    core's cache (docs/performance.md). A generic joins when it has two
    loops, reads C or an earlier member's result with the identity map, and
    every buffer that the product or the members write is accessed by all
    of them with the identity map only, so that the chunks are independent.
    The ops between the matmul and its last member stay in place and the
    product moves down to it, so the search stops at the first op that
    touches a buffer the group writes, writes one it reads (A, B, the
    members' other operands), or has unknown memory effects. Members whose
    loop along the chunks is a reduction, and the members after them, run
    whole after the parallel loop; on one thread, the product and all its
    members run one after the other. A product whose members write memory
    that the function did not allocate (its results: the optimizer's new
    weights) splits by rows whenever it has the 6 MR t^2 rows that this
    needs, so that each thread writes whole rows of W, which the next
    step's forward product reads by rows (docs/performance.md).

    Matmuls the pass does not handle (other element types, operands whose
    innermost stride is not 1, other indexing maps) are left alone, for
    `convert-linalg-to-loops`. Matmuls with at most `small-flops`
    multiply-adds (`M N K`) are also left alone when it is positive.

    Example:

    ```mlir
    linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                   affine_map<(m, n, k) -> (n, k)>,
                                   affine_map<(m, n, k) -> (m, n)>]
        ins(%x, %w : memref<?x64xf32>, memref<128x64xf32>)
        outs(%y : memref<?x128xf32>)
    ```

    becomes a `memref.cast` of each operand and
    `call @adjoint_sgemm_nt(%x, %w, %y, %c0, %n, %false)`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
  let options = [
    Option<"mr", "mr", "int64_t", "6",
           "Rows of the register tile">,
    Option<"nrVectors", "nr-vectors", "int64_t", "2",
           "Columns of the register tile, in vectors">,
    Option<"vectorWidth", "vector-width", "int64_t", "8",
           "Lanes of one f32 vector (8 for AVX2, 16 for AVX-512)">,
    Option<"kc", "kc", "int64_t", "256",
           "Largest K block (the packed panels' depth)">,
    Option<"mc", "mc", "int64_t", "144",
           "Largest M block (rows of packed A kept in L2)">,
    Option<"nc", "nc", "int64_t", "128",
           "Largest N block (columns of packed B)">,
    Option<"parallel", "parallel", "bool", "false",
           "Split large products over OpenMP threads (see above)">,
    Option<"parallelFlops", "parallel-flops", "int64_t", "2000000",
           "Smallest product (M N K) that runs on several threads">,
    Option<"chunksPerThread", "chunks-per-thread", "int64_t", "4",
           "With `parallel`, chunks of columns per thread, taken by the "
           "threads as they become free (see above)">,
    Option<"smallRows", "small-rows", "int64_t", "6",
           "Products A B^T of at most this many rows skip packing (see "
           "above); 0: never">,
    Option<"smallFlops", "small-flops", "int64_t", "0",
           "Leave matmuls with at most this many multiply-adds (static "
           "sizes only) to the loops; 0: none">,
    Option<"epilogues", "epilogues", "bool", "true",
           "With `parallel`, run the elementwise ops that consume a "
           "product on its chunks, after the kernel (see above)">
  ];
}

def MatmulOrientation : Pass<"adjoint-matmul-orientation"> {
  let summary = "Computes products with few columns and many rows transposed";
  let description = [{
    The matmul kernel (`adjoint-matmul-microkernels`) computes C in register
    tiles of 6 rows by 16 columns: a product with fewer than 16 columns
    leaves lanes of every FMA idle, and one with 6 (a convolution with 6
    output channels) uses 6 of 16. This pass rewrites an f32 `linalg.matmul`
    on tensors whose result has a static N below `narrow` and a static M of
    at least `narrow` as the transposed product,

    ```
    C = op(A) op(B)   ->   C = transpose(op(B)^T op(A)^T)
    ```

    a `linalg.matmul` with the operands swapped and each transpose flag
    flipped (`A^T B` stays `A^T B`, `A B` becomes `A^T B^T`), into the
    accumulator transposed (a fill is made again in the new shape), and a
    `linalg.generic` that transposes the result back, which
    `adjoint-fuse-elementwise` folds into the consumers. The weight
    gradient of LeNet-5's first convolution, `cols^T dy` of 25 x 6 over
    36864 rows of K, becomes `dy^T cols`, 6 x 25: one row tile, two
    16-column panels, 2.5 times fewer FMAs.

    Products whose M is dynamic (the batch) are left alone: at batch 1 the
    transposed product would be the worse one.
  }];
  let options = [
    Option<"narrow", "narrow", "int64_t", "16",
           "Products with fewer columns than this (and at least as many rows) are computed transposed">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def TemporariesArena : Pass<"adjoint-temporaries-arena", "::mlir::func::FuncOp"> {
  let summary = "Places the temporaries of a block in slots that temporaries with disjoint lifetimes share";
  let description = [{
    Replaces the `memref.alloc`s of a block whose only `memref.dealloc` is
    in the same block (the temporaries that the ownership-based deallocation
    frees at the end of a function body) by `memref.view`s of slots: one
    allocation per slot, made at the start of the block and freed where the
    last of the temporaries was, which temporaries whose lifetimes do not
    overlap share. The sizes are computed at the start of the block: an
    allocation qualifies when its dynamic sizes are computed from values
    defined outside the block by side-effect free ops, which are moved up
    (also divisions, which are not speculatable: they stay in the block,
    which runs them anyway), or read off other temporaries (`memref.dim`
    of a collapsed temporary resolves to its allocation's sizes).

    Why: every call of a compiled function allocated and freed its
    temporaries, and glibc gave the large ones back to the kernel after
    every call (it trims the heap top past `M_TRIM_THRESHOLD`), so every
    call paid page faults on them again. The slots are marked
    `adjoint.arena` for `adjoint-reuse-arena`, which keeps them between
    calls. They are separate allocations, not offsets into one: LLVM then
    knows that temporaries in different slots do not alias, which it needs
    to vectorize loops over them without run-time checks (the LeNet-5 step
    15% faster than with one allocation).

    Example:

    ```mlir
    %a = memref.alloc(%n) : memref<?x512xf32>
    %b = memref.alloc() : memref<512x784xf32>
    ...
    memref.dealloc %a : memref<?x512xf32>
    memref.dealloc %b : memref<512x784xf32>
    ```

    becomes (both alive at once, so in two slots)

    ```mlir
    %s0 = memref.alloc(%bytes) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    %s1 = memref.alloc(%c1605632) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    %a = memref.view %s0[%c0][%n] : memref<?xi8> to memref<?x512xf32>
    %b = memref.view %s1[%c0][] : memref<?xi8> to memref<512x784xf32>
    ...
    memref.dealloc %s0 : memref<?xi8>
    memref.dealloc %s1 : memref<?xi8>
    ```

    A lifetime runs from the allocation to the last op of the block that
    uses the buffer or a view of it (`memref.view`, `subview`, `cast`,
    reshapes; a use inside a loop or a branch counts at that op), or to the
    `memref.dealloc` when a view may live on (it is yielded, returned, or
    passed to an op with memref results that is not a view). Calls only use
    their operands (the matmul kernels, libm). In program order, each
    temporary takes the first slot whose last temporary is dead by then; a
    slot is as large as the largest of its temporaries (a runtime maximum
    for dynamic sizes), rounded up to 64 bytes. The LeNet-5 training step
    at batch 64: 21.4 MB of temporaries in 8.9 MB.

    Allocations with a layout, a memory space, or an element type whose
    size is not a whole number of bytes are left alone (i1 takes a byte, as
    LLVM stores it). A block that runs more than once per call (a loop body)
    needs two temporaries; a block that runs at most once takes a single
    temporary too, since `adjoint-reuse-arena` keeps its slots.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ReuseArena : Pass<"adjoint-reuse-arena", "::mlir::ModuleOp"> {
  let summary = "Keeps the slots of each function's temporaries between calls";
  let description = [{
    Replaces the slots of a block that runs at most once per call (a
    function body, or a branch of the C interface's `scf.if`): the
    `memref.alloc`s marked `adjoint.arena` by `adjoint-temporaries-arena`,
    and their `memref.dealloc`s in the same block. Each such block gets a
    busy flag and each of its slots a `{pointer, bytes}` global (internal),
    and calls helpers in the LLVM dialect made once per module:

    ```mlir
    %busy = llvm.mlir.addressof @__adjoint_arena_train_step_busy : !llvm.ptr
    %owned = llvm.call @__adjoint_arena_enter(%busy) : (!llvm.ptr) -> i1
    %s0 = llvm.mlir.addressof @__adjoint_arena_train_step_0 : !llvm.ptr
    %p0 = llvm.call @__adjoint_arena_acquire(%s0, %bytes0, %owned) : (!llvm.ptr, i64, i1) -> !llvm.ptr
    %slot0 = ... the memref<?xi8> descriptor over %p0 ...
    ...
    llvm.call @__adjoint_arena_release(%p0, %owned) : (!llvm.ptr, i1) -> ()
    llvm.call @__adjoint_arena_exit(%busy, %owned) : (!llvm.ptr, i1) -> ()
    ```

    `_enter` takes the block's kept slots with a compare-and-swap on a busy
    flag, and says whether it got them; `_exit` gives them back. Each
    `_acquire` returns the kept slot, first grown (`aligned_alloc`, 64
    bytes) when a larger batch needs more bytes; a call that did not get
    the kept slots (two threads calling the same function) allocates its
    own, and its `_release` frees them. So a training step allocates
    nothing once its batch size has been seen (issue 7: buffers planned
    once per batch size and reused). `_acquire` returns a `noalias`
    pointer, as malloc does, and the helpers are not inlined: LLVM then
    knows that slots do not alias each other or the caller's buffers.

    The module also gets a public function that frees the kept slots (of
    the blocks no call holds at that moment), for programs that unload the
    code or want the memory back: `@<network>_release_workspace()` for a
    module with the C interface (`adjoint.abi`; the header declares it, and
    the JIT calls it when it is destroyed), or the name given by
    `release-function`.
  }];
  let options = [
    Option<"releaseFunction", "release-function", "std::string", "\"\"",
           "The public function that frees the kept slots (default: "
           "<network>_release_workspace with the C interface, else none)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def ConvolutionLoopOrder : Pass<"adjoint-convolution-loop-order", "::mlir::func::FuncOp"> {
  let summary = "Makes the output's innermost dim the innermost loop of convolutions and poolings";
  let description = [{
    Convolutions and poolings (ops that `linalg::isaConvolutionOpInterface`
    recognizes, named or generic) on buffers iterate their window (a
    reduction) innermost, so `convert-linalg-to-loops` makes a scalar
    reduction that LLVM cannot vectorize. This pass generalizes such an op
    and interchanges its loops so that the parallel loop that indexes the
    innermost dim of the output runs innermost: the inner loop then updates
    consecutive, independent outputs from consecutive inputs (for unit
    strides) instead of chaining one reduction, which pipelines well (LeNet-5
    step 57 -> 37 ms) and is the order a vectorizer needs (LLVM does not
    vectorize it yet: the loops stay scalar, docs/performance.md). Each
    output still sums its terms in the same order, so results do not change.

    Example: `linalg.conv_2d_nchw_fchw` iterates (n, f, oh, ow, c, kh, kw);
    afterwards a `linalg.generic` iterates (n, f, oh, c, kh, kw, ow).

    Ops whose output's innermost dim is not indexed by a single parallel
    loop, and ops already in that order, are left alone.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def FuseElementwise : Pass<"adjoint-fuse-elementwise", "::mlir::ModuleOp"> {
  let summary = "Fuses elementwise linalg ops on tensors, keeping contractions as they are";
  let description = [{
    Upstream's `linalg-fuse-elementwise-ops`, with one difference: a
    `tensor.collapse_shape` or `tensor.expand_shape` is folded into a linalg
    op (by expanding the op's loops) only when that op has parallel loops
    alone. Upstream folds reshapes into contractions too, which turns a
    `linalg.matmul` whose operand is a collapsed tensor (a convolution as
    im2col and a matmul, a batched dense layer) into a `linalg.generic`
    contraction of higher rank that `adjoint-matmul-microkernels` cannot
    lower, so that it ran as scalar loops.

    A producer is fused into its consumer when it has one use, as upstream;
    elementwise producers are still fused into reductions (an activation's
    mask into the bias gradient's column sums). A producer with parallel
    loops alone whose other uses all come after the consumer in its block,
    read by an all-parallel consumer with the identity map, is fused too,
    and the fused op yields its result for those uses: the optimizer's
    velocity, which the weight update reads and the step returns, and a
    layer's biased product, which the activation reads and the backward
    pass's relu mask. (Upstream's pattern would recompute such a producer
    in the consumer and keep its loop as well.)
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def SplitSharedFills : Pass<"adjoint-split-shared-fills"> {
  let summary = "Gives every destination-passing user of a tensor linalg.fill or tensor.empty its own";
  let description = [{
    CSE merges equal `linalg.fill`s of equal `tensor.empty`s, so that the
    zero-filled accumulators of several matmuls (or reductions) become one
    tensor, the init of all of them. One-shot bufferization then fills one
    buffer and copies it for every other user (the MNIST training step:
    three copies of a batch x 512 matrix per step), and the matmul kernels
    can no longer fold the fill into the product (they overwrite C only
    after a fill right before it).

    This pass undoes that before bufferization: a fill on tensors whose
    result is the init (DPS "outs") of several ops, or of one op besides
    other uses, is cloned right before each of those ops, with a clone of
    its `tensor.empty`. The first such user keeps the original fill, moved
    right before it where it is in the same block and no other use is
    earlier. Fills with one use, and fills on buffers, are left alone.

    CSE also merges the `tensor.empty` inits of elementwise ops, and
    bufferization then writes one op's result into the buffer where an
    earlier, dead value was: a relu mask into the buffer of the product's
    operand A that computed its input, which keeps
    `adjoint-matmul-microkernels` from running the mask on each thread's
    chunk of the product (the other threads still read A). Every init use of
    a `tensor.empty` but the first in its block gets its own clone, right
    before the user; `adjoint-temporaries-arena` shares the memory of
    temporaries whose lifetimes do not overlap.

    Run it after the last CSE before bufferization.

    Example:

    ```mlir
    %e = tensor.empty(%n) : tensor<?x512xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x512xf32>) -> tensor<?x512xf32>
    %a = linalg.matmul ins(%x, %w : ...) outs(%z : tensor<?x512xf32>) -> tensor<?x512xf32>
    %b = linalg.matmul ins(%y, %v : ...) outs(%z : tensor<?x512xf32>) -> tensor<?x512xf32>
    ```

    becomes two `tensor.empty` + `linalg.fill` pairs, one right before each
    matmul.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ParallelElementwise : Pass<"adjoint-parallel-elementwise", "::mlir::ModuleOp"> {
  let summary = "Splits large elementwise linalg ops on buffers over OpenMP threads";
  let description = [{
    A `linalg.generic` on buffers whose loops are all parallel (elementwise
    ops, broadcasts, the optimizer's update) and that is not already inside
    an `scf.parallel` becomes

    ```mlir
    scf.if (threads > 1 && elements >= min-elements) {
      scf.parallel over chunks of its outermost loop {
        the op on subviews of the chunk
      }
    } else {
      the op
    }
    ```

    with one chunk per thread (`omp_get_max_threads()`, ceil(d0 / threads)
    iterations each), made by linalg tiling with parallel loops.
    `convert-scf-to-openmp` then makes the `scf.parallel` a work-sharing
    loop; small ops, and every op when one thread is available, run as
    before without entering the OpenMP runtime. Each element is computed
    exactly as before, so results do not depend on the thread count.

    Why: with the matmuls split over threads (`adjoint-matmul-microkernels`
    with `parallel`), the elementwise loops were the serial part of the
    MNIST training step at 2 threads (the optimizer's update reads and
    writes every parameter, its velocity and its gradient).

    Left alone: an op whose input was last written, in its block, by an op
    with no `scf.parallel` inside (a serial loop nest such as a direct
    convolution or a pooling, a kernel call, an op that stayed serial),
    since that input is in the calling thread's cache and the other threads
    would read their chunks from there; on the machine measured, a cache
    line written by one core costs the other about a read from memory
    (LeNet-5's step at 2 threads 27% faster; docs/performance.md). The ops
    are taken in program order, so an op that reads what a split op wrote
    is split too.
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", "65536",
           "Smallest iteration count (the product of the loop sizes) that "
           "runs on several threads">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def InlineAllocaScopes : Pass<"adjoint-inline-alloca-scopes"> {
  let summary = "Inlines memref.alloca_scope regions that allocate nothing on the stack";
  let description = [{
    `convert-scf-to-openmp` wraps the body of every parallel loop in a
    `memref.alloca_scope`, and the canonicalizer inlines a scope only when
    every op in it is known not to allocate on the stack: a `func.call`
    (the matmul kernels, called per chunk) keeps it. A scope that stays must
    have one block, so loops in it (the elementwise ops that
    `adjoint-matmul-microkernels` runs on each chunk after the kernel) could
    not be lowered to the `cf` dialect.

    This pass inlines every `memref.alloca_scope` of one block whose ops,
    outside nested allocation scopes, do not allocate on the stack, calls
    included: what a callee allocates on its stack is freed when it
    returns. Scopes with a `memref.alloca`, or an op of unknown effects, are
    left alone.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def OpenMPSerialIf : Pass<"adjoint-openmp-serial-if", "::mlir::ModuleOp"> {
  let summary = "Runs omp.parallel regions whose work-sharing loop has one iteration on the calling thread";
  let description = [{
    Gives every `omp.parallel` without an `if` clause, whose region holds one
    `omp.loop_nest` of one exclusive loop with bounds defined outside the
    region, the clause `if(upper - lower > step)`: with a single iteration the
    region runs on the encountering thread (`__kmpc_serialized_parallel`)
    instead of waking the thread team, which costs microseconds.

    `adjoint-matmul-microkernels{parallel=true}` calls the kernel outside
    OpenMP when the product is small or one thread is available, but its
    `scf.parallel` still has one chunk when C has at most NR columns; after
    `convert-scf-to-openmp` this pass makes such a chunk run serially. Other
    `omp.parallel` regions are left alone.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::omp::OpenMPDialect"
  ];
}

#endif // ADJOINT_CODEGEN_PASSES_TD
