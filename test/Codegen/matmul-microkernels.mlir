// RUN: adjoint-opt %s --adjoint-matmul-microkernels --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="small-flops=100000" --split-input-file | FileCheck %s --check-prefix=SMALL
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="parallel=true parallel-flops=4096" --split-input-file | FileCheck %s --check-prefix=PARALLEL
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="parallel=true parallel-flops=4096 chunks-per-thread=1" --split-input-file | FileCheck %s --check-prefix=STATIC
// RUN: not adjoint-opt %s --adjoint-matmul-microkernels="parallel=true chunks-per-thread=0" --split-input-file 2>&1 | FileCheck %s --check-prefix=INVALID
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="small-rows=0" --split-input-file | FileCheck %s --check-prefix=NOSMALL
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="vector-width=16" --split-input-file | FileCheck %s --check-prefix=AVX512

// A dense layer's forward product, A B^T with a dynamic batch, becomes a
// call of the A B^T kernel on casts of the operands, for all columns,
// adding to C (no zero fill before it). The caller allocates the workspace
// where B is packed: depth min(K, 256) (K split evenly) times N rounded up
// to 16, none when the product has at most 6 rows (no packing then).
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: memref<?x64xf32>, %[[W:.*]]: memref<128x64xf32>, %[[Y:.*]]: memref<?x128xf32>)
// CHECK-NOT: linalg.matmul
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[N:.*]] = memref.dim %[[Y]], %c1{{(_[0-9]+)?}} : memref<?x128xf32>
// CHECK-DAG: %[[K:.*]] = memref.dim %[[X]], %c1{{(_[0-9]+)?}} : memref<?x64xf32>
// CHECK-DAG: %[[FALSE:.*]] = arith.constant false
// CHECK-DAG: %[[XC:.*]] = memref.cast %[[X]] : memref<?x64xf32> to memref<?x?xf32, strided<[?, 1], offset: ?>>
// CHECK-DAG: %[[WC:.*]] = memref.cast %[[W]] : memref<128x64xf32> to memref<?x?xf32, strided<[?, 1], offset: ?>>
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[Y]] : memref<?x128xf32> to memref<?x?xf32, strided<[?, 1], offset: ?>>
// CHECK: %[[DEPTH:.*]] = arith.minsi %[[K]],
// CHECK: %[[COLUMNS:.*]] = arith.minsi %[[N]], %c128
// CHECK: arith.ceildivsi %[[COLUMNS]], %c16
// CHECK: %[[PACKED:.*]] = arith.muli %[[DEPTH]],
// CHECK: %[[DEEP_K:.*]] = arith.cmpi sge, %[[K]], %c2048
// CHECK: %[[DEEP_M:.*]] = arith.cmpi sle, %{{.*}}, %c16
// CHECK: %[[DEEP:.*]] = arith.andi %[[DEEP_M]], %[[DEEP_K]]
// CHECK: %[[FEW:.*]] = arith.cmpi sle, %{{.*}}, %c6
// CHECK: %[[UNPACKED:.*]] = arith.ori %[[FEW]], %[[DEEP]]
// CHECK: %[[SIZE:.*]] = arith.select %[[UNPACKED]], %[[C0]], %[[PACKED]]
// CHECK: %[[WS:.*]] = memref.alloc(%[[SIZE]]) {alignment = 64 : i64} : memref<?xf32>
// CHECK: %[[WSC:.*]] = memref.cast %[[WS]] : memref<?xf32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK: call @adjoint_sgemm_nt(%[[XC]], %[[WC]], %[[YC]], %[[WSC]], %[[C0]], %[[N]], %[[FALSE]])
// CHECK-NEXT: memref.dealloc %[[WS]]
// CHECK-NEXT: return
// The kernel: private, internal linkage, marked as ours.
// CHECK-LABEL: func.func private @adjoint_sgemm_nt(
// CHECK-SAME: %[[A:[^:]*]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[B:[^:]*]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[C:[^:]*]]: memref<?x?xf32, strided<[?, 1], offset: ?>>,
// CHECK-SAME: %[[PACKED:[^:]*]]: memref<?xf32, strided<[1], offset: ?>>,
// CHECK-SAME: %[[BEGIN:[^:]*]]: index, %[[END:[^:]*]]: index, %[[OVERWRITE:[^:]*]]: i1)
// CHECK-SAME: attributes {adjoint.matmul_kernel, llvm.linkage = #llvm.linkage<internal>}
// At most `small-rows` (6) rows, or at most 16 over a K of 2048 or more: no
// packing; eight columns at a time, K in
// blocks of 512 (eight rows of B in the L1 cache for every row of A), dot
// products along K in eight accumulators, lane sums by an 8 x 8 transpose;
// C adds every block's sums but the first, when C is overwritten.
// CHECK: %[[M:.*]] = memref.dim %[[C]], %{{.*}}
// CHECK: %[[KA:.*]] = memref.dim %[[A]], %{{.*}}
// CHECK: %[[DEEP_K:.*]] = arith.cmpi sge, %[[KA]], %c2048
// CHECK: %[[DEEP_M:.*]] = arith.cmpi sle, %[[M]], %c16
// CHECK: %[[DEEP:.*]] = arith.andi %[[DEEP_M]], %[[DEEP_K]]
// CHECK: %[[FEW:.*]] = arith.cmpi sle, %[[M]], %c6
// CHECK: %[[FEW_ROWS:.*]] = arith.ori %[[FEW]], %[[DEEP]]
// CHECK: scf.if %[[FEW_ROWS]] {
// CHECK-NOT: memref.alloc
// CHECK: scf.for %{{.*}} = %[[BEGIN]] to %[[END]] step %c8
// CHECK: scf.for %[[KB:.*]] = %{{.*}} to %[[KA]] step %c512
// CHECK: %[[LATER_BLOCK:.*]] = arith.cmpi ne, %[[KB]]
// CHECK: %[[ADD_OLD_BLOCK:.*]] = arith.ori %[[LATER_BLOCK]]
// CHECK: scf.for {{.*}} iter_args
// CHECK-COUNT-8: vector.fma
// CHECK: scf.yield
// CHECK-COUNT-8: vector.maskedload %[[B]]
// CHECK-COUNT-24: vector.shuffle
// CHECK: vector.store %{{.*}}, %[[C]]
// CHECK: vector.maskedstore %[[C]]
// Otherwise B is packed (8 x 8 transposes in registers, also for the last
// panel: its rows past N are read at the last row, and their lanes of the
// transposed vectors replaced by zeros, by a select on a mask per group of
// 8 columns) into the workspace; the kernel keeps 6 x 2 accumulators of
// vector<8xf32> and writes C once per K block, masked at the edges.
// CHECK: } else {
// CHECK-NOT: memref.alloc
// CHECK: scf.for %{{.*}} = %[[BEGIN]] to %[[END]] step %c128
// CHECK: %[[GROUP_MASK:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK: %[[ROW_VECTOR:.*]] = vector.load %[[B]]
// CHECK-NOT: arith.select
// CHECK: vector.shuffle %[[ROW_VECTOR]]
// CHECK: %[[MASKED:.*]] = arith.select %[[GROUP_MASK]], %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK: vector.store %[[MASKED]], %[[PACKED]]
// CHECK: scf.for {{.*}} iter_args
// CHECK: vector.load %[[PACKED]]
// CHECK-COUNT-12: vector.fma {{.*}} : vector<8xf32>
// CHECK: vector.maskedstore %[[C]]
// CHECK-NOT: memref.alloc
// CHECK: return
// With vector-width=16 (AVX-512), the kernel's accumulators and B's panels
// are vector<16xf32>, 6 x 32; the small-rows path's dot products have 16
// lanes, folded to 8 for the 8 x 8 transpose of the lane sums; the
// transposes of B stay 8 x 8 (vector<8xf32>).
// AVX512-LABEL: func.func @forward
// AVX512: arith.ceildivsi %{{.*}}, %c32
// AVX512-LABEL: func.func private @adjoint_sgemm_nt(
// AVX512: scf.if
// AVX512: scf.for {{.*}} step %c16{{(_[0-9]+)?}} iter_args
// AVX512-COUNT-8: vector.fma {{.*}} : vector<16xf32>
// AVX512: vector.shuffle %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7] : vector<16xf32>, vector<16xf32>
// AVX512: vector.shuffle %{{.*}} [8, 9, 10, 11, 12, 13, 14, 15] : vector<16xf32>, vector<16xf32>
// AVX512: vector.shuffle {{.*}} : vector<8xf32>, vector<8xf32>
// AVX512: } else {
// AVX512: vector.load {{.*}} vector<8xf32>
// AVX512: vector.shuffle {{.*}} : vector<8xf32>, vector<8xf32>
// AVX512: vector.load {{.*}} vector<16xf32>
// AVX512-COUNT-12: vector.fma {{.*}} : vector<16xf32>
// AVX512: vector.maskedstore {{.*}} vector<16xi1>, vector<16xf32>
// With small-rows=0, every product is packed.
// NOSMALL-LABEL: func.func @forward
// NOSMALL-NOT: arith.select
// NOSMALL: memref.alloc
// NOSMALL-LABEL: func.func private @adjoint_sgemm_nt(
// NOSMALL-NOT: arith.cmpi sle, %{{.*}}, %c6
// NOSMALL-NOT: scf.if
// NOSMALL: scf.for
// SMALL-LABEL: func.func @forward
// SMALL-NOT: linalg.matmul
// With `parallel`: one chunk of columns per thread (a multiple of 16) when
// there are several threads and at least `parallel-flops` multiply-adds,
// else one call for all columns, outside OpenMP. The workspace is for all
// N columns: the chunk from column `begin` packs at `begin * depth`. A
// product too narrow for a chunk of columns per thread, with at least
// 36 t^2 rows, is split by rows instead: each chunk calls the kernel on its
// rows of A and C and packs all of B into its own block of the workspace,
// which then holds one block per thread. Columns split only when every
// thread gets at least two panels (N >= 32 t); otherwise the product runs
// on one thread.
// PARALLEL-LABEL: func.func @forward
// PARALLEL: %[[DEPTH:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// PARALLEL-NOT: arith.minsi
// PARALLEL: %[[BLOCK:.*]] = arith.select
// PARALLEL: %[[THREADS:.*]] = call @omp_get_max_threads() {adjoint.thread_count} : () -> i32
// PARALLEL: %[[T:.*]] = arith.index_cast %[[THREADS]]
// PARALLEL: %[[NARROW:.*]] = arith.cmpi slt, %[[N:[^,]*]], %{{.*}}
// PARALLEL: %[[ENOUGH_ROWS:.*]] = arith.cmpi sge
// PARALLEL: %[[BY_ROWS:.*]] = arith.andi %[[NARROW]], %[[ENOUGH_ROWS]]
// PARALLEL: %[[BLOCKS:.*]] = arith.muli %[[BLOCK]], %[[T]]
// PARALLEL: %[[SIZE:.*]] = arith.select %[[BY_ROWS]], %[[BLOCKS]], %[[BLOCK]]
// PARALLEL: %[[WS:.*]] = memref.alloc(%[[SIZE]])
// PARALLEL: %[[WSC:.*]] = memref.cast %[[WS]]
// PARALLEL: %[[WIDE:.*]] = arith.cmpi sge, %[[N]]
// PARALLEL: %[[SPLITS:.*]] = arith.ori %[[BY_ROWS]], %[[WIDE]]
// PARALLEL: %[[BIG:.*]] = arith.cmpi sle, %c4096
// PARALLEL: %[[MANY:.*]] = arith.andi %{{.*}}, %[[BIG]]
// PARALLEL: %[[USE:.*]] = arith.andi %[[MANY]], %[[SPLITS]]
// PARALLEL: scf.if %[[USE]] {
// PARALLEL: scf.if %[[BY_ROWS]] {
// PARALLEL: scf.parallel (%[[R:.*]]) =
// PARALLEL: %[[ROW_BEGIN:.*]] = arith.muli %[[R]]
// PARALLEL: %[[ROW_END:.*]] = arith.minsi
// PARALLEL: %[[ROWS:.*]] = arith.subi %[[ROW_END]], %[[ROW_BEGIN]]
// PARALLEL: %[[AT:.*]] = arith.muli %[[R]], %[[BLOCK]]
// PARALLEL: %[[OWN:.*]] = memref.subview %[[WSC]][%[[AT]]] [%[[BLOCK]]] [1]
// PARALLEL: %[[AROWS:.*]] = memref.subview %{{.*}}[%[[ROW_BEGIN]], 0] [%[[ROWS]], %{{.*}}] [1, 1]
// PARALLEL: %[[CROWS:.*]] = memref.subview %{{.*}}[%[[ROW_BEGIN]], 0] [%[[ROWS]], %{{.*}}] [1, 1]
// PARALLEL: func.call @adjoint_sgemm_nt(%[[AROWS]], %{{.*}}, %[[CROWS]], %[[OWN]], %{{.*}}, %{{.*}}, %false)
// By columns: four chunks per thread (multiples of NR = 16 columns), one
// slot per thread, each owning a range of chunks [s C / S, (s + 1) C / S)
// counted by an atomic counter of its own (8 i64 apart: a cache line); a
// slot takes its own chunks, then the others' (owner = (s + i) mod S).
// PARALLEL: } else {
// PARALLEL: %[[SHARES:.*]] = arith.muli %[[T]], %c4
// PARALLEL: %[[PER_SHARE:.*]] = arith.ceildivsi %[[N]], %[[SHARES]]
// PARALLEL: %[[PANELS:.*]] = arith.ceildivsi %[[PER_SHARE]], %c16
// PARALLEL: %[[ROUNDED:.*]] = arith.muli %[[PANELS]], %c16
// PARALLEL: %[[CHUNK:.*]] = arith.maxsi %[[ROUNDED]], %c16
// PARALLEL: %[[CHUNKS:.*]] = arith.ceildivsi %[[N]], %[[CHUNK]]
// PARALLEL: %[[SLOTS:.*]] = arith.minsi %[[T]], %[[CHUNKS]]
// PARALLEL: %[[LINES:.*]] = arith.muli %[[SLOTS]], %c8
// PARALLEL: %[[COUNTERS:.*]] = memref.alloc(%[[LINES]]) {alignment = 64 : i64} : memref<?xi64>
// PARALLEL: linalg.fill ins(%c0_i64 : i64) outs(%[[COUNTERS]] : memref<?xi64>)
// PARALLEL: scf.parallel (%[[SLOT:.*]]) = (%{{.*}}) to (%[[SLOTS]])
// PARALLEL: scf.for %[[I:.*]] = %{{.*}} to %[[SLOTS]]
// PARALLEL: %[[SUM:.*]] = arith.addi %[[SLOT]], %[[I]]
// PARALLEL: %[[OWNER:.*]] = arith.remsi %[[SUM]], %[[SLOTS]]
// PARALLEL: %[[OWN_SCALED:.*]] = arith.muli %[[OWNER]], %[[CHUNKS]]
// PARALLEL: %[[OWN_BEGIN:.*]] = arith.divsi %[[OWN_SCALED]], %[[SLOTS]]
// PARALLEL: %[[NEXT:.*]] = arith.addi %[[OWNER]], %c1
// PARALLEL: %[[NEXT_SCALED:.*]] = arith.muli %[[NEXT]], %[[CHUNKS]]
// PARALLEL: %[[OWN_END:.*]] = arith.divsi %[[NEXT_SCALED]], %[[SLOTS]]
// PARALLEL: %[[LINE:.*]] = arith.muli %[[OWNER]], %c8
// PARALLEL: scf.while : () -> index {
// PARALLEL: %[[TAKEN:.*]] = memref.atomic_rmw addi %c1_i64, %[[COUNTERS]][%[[LINE]]] : (i64, memref<?xi64>) -> i64
// PARALLEL: %[[TAKEN_INDEX:.*]] = arith.index_cast %[[TAKEN]] : i64 to index
// PARALLEL: %[[INDEX:.*]] = arith.addi %[[OWN_BEGIN]], %[[TAKEN_INDEX]]
// PARALLEL: %[[MORE:.*]] = arith.cmpi slt, %[[INDEX]], %[[OWN_END]]
// PARALLEL: scf.condition(%[[MORE]]) %[[INDEX]] : index
// PARALLEL: } do {
// PARALLEL: ^bb0(%[[C:.*]]: index):
// PARALLEL: %[[CHUNK_BEGIN:.*]] = arith.muli %[[C]], %[[CHUNK]]
// PARALLEL: %[[CHUNK_LIMIT:.*]] = arith.addi %[[CHUNK_BEGIN]], %[[CHUNK]]
// PARALLEL: %[[CHUNK_END:.*]] = arith.minsi %[[CHUNK_LIMIT]], %[[N]]
// PARALLEL: %[[OFFSET:.*]] = arith.muli %[[CHUNK_BEGIN]], %[[DEPTH]]
// PARALLEL: %[[SLICE:.*]] = memref.subview %[[WSC]][%[[OFFSET]]]
// PARALLEL: func.call @adjoint_sgemm_nt(%{{.*}}, %{{.*}}, %{{.*}}, %[[SLICE]], %[[CHUNK_BEGIN]], %[[CHUNK_END]], %false)
// PARALLEL-NEXT: scf.yield
// PARALLEL: memref.dealloc %[[COUNTERS]]
// PARALLEL: } else {
// PARALLEL-NEXT: func.call @adjoint_sgemm_nt(%{{.*}}, %{{.*}}, %{{.*}}, %[[WSC]], %c0, %{{.*}}, %false)
// PARALLEL-NEXT: }
// PARALLEL-NEXT: memref.dealloc %[[WS]]
// PARALLEL-NEXT: return
// PARALLEL-NEXT: }
// PARALLEL-NEXT: func.func private @adjoint_sgemm_nt(
// PARALLEL-NOT: scf.parallel

// With one chunk per thread, the scf.parallel runs over the chunks, without
// counters.
// STATIC-LABEL: func.func @forward
// STATIC: } else {
// STATIC-NOT: memref.atomic_rmw
// STATIC: scf.parallel (%[[C:.*]]) =
// STATIC-NEXT: %[[CHUNK_BEGIN:.*]] = arith.muli %[[C]]
// STATIC: func.call @adjoint_sgemm_nt(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[CHUNK_BEGIN]], %{{.*}}, %false)
// STATIC-NOT: memref.atomic_rmw
// STATIC: func.func private @adjoint_sgemm_nt(

// INVALID: error: adjoint-matmul-microkernels: invalid sizes
// PARALLEL: // -----
func.func @forward(%x: memref<?x64xf32>, %w: memref<128x64xf32>, %y: memref<?x128xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %w : memref<?x64xf32>, memref<128x64xf32>)
      outs(%y : memref<?x128xf32>)
  return
}

// -----

// A B: at most MR (6) rows, one row tile: B is read in place, its full
// panels with plain vector loads and the last one with masked loads, and the
// caller gives no workspace. Otherwise panels of B are copied with vector
// loads, no transposes; masked ones, so that the last panel, narrower than
// 16 columns, is copied the same way (the masked-off lanes are the panel's
// zero padding).
// CHECK-LABEL: func.func @input_grad
// CHECK-NOT: linalg.matmul
// CHECK-NOT: vector.shuffle
// CHECK: %[[ONE_TILE_SIZE:.*]] = arith.cmpi sle, %{{.*}}, %c6
// CHECK: arith.select %[[ONE_TILE_SIZE]], %c0
// CHECK-LABEL: func.func private @adjoint_sgemm_nn(
// CHECK-SAME: %{{[a-z0-9]*}}: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[B:[a-z0-9]*]]: memref<?x?xf32, strided<[?, 1], offset: ?>>, %{{[a-z0-9]*}}: memref<?x?xf32, strided<[?, 1], offset: ?>>, %[[WS:[a-z0-9]*]]:
// CHECK: %[[ONE_TILE:.*]] = arith.cmpi sle, %{{.*}}, %c6
// CHECK: scf.if %[[ONE_TILE]] {
// CHECK-NOT: %[[WS]]
// CHECK: vector.load %[[B]]
// CHECK-NOT: %[[WS]]
// CHECK: vector.fma
// CHECK-NOT: %[[WS]]
// CHECK: vector.maskedload %[[B]]
// CHECK-NOT: %[[WS]]
// CHECK: vector.fma
// CHECK: %[[LANES:.*]] = arith.minsi %c16
// CHECK: %[[M0:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK: %[[M1:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK: scf.for
// CHECK: %[[V0:.*]] = vector.maskedload %[[B]][%{{.*}}, %{{.*}}], %[[M0]], %{{.*}}
// CHECK: vector.store %[[V0]], %[[WS]]
// CHECK: %[[V1:.*]] = vector.maskedload %[[B]][%{{.*}}, %{{.*}}], %[[M1]], %{{.*}}
// CHECK: vector.store %[[V1]], %[[WS]]
// CHECK-NOT: memref.store
// CHECK: vector.fma
func.func @input_grad(%dy: memref<?x128xf32>, %w: memref<128x64xf32>, %dx: memref<?x64xf32>) {
  linalg.matmul ins(%dy, %w : memref<?x128xf32>, memref<128x64xf32>)
      outs(%dx : memref<?x64xf32>)
  return
}

// -----

// A^T B, the weight gradient, contracts over the dynamic batch: A is read in
// place (the kernel broadcasts its scalars), with row indices clamped.
// CHECK-LABEL: func.func @weight_grad
// CHECK-NOT: linalg.matmul
// CHECK: arith.minsi
// CHECK: vector.fma
func.func @weight_grad(%dy: memref<?x128xf32>, %x: memref<?x64xf32>, %dw: memref<128x64xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                 affine_map<(m, n, k) -> (k, n)>,
                                 affine_map<(m, n, k) -> (m, n)>]
      ins(%dy, %x : memref<?x128xf32>, memref<?x64xf32>)
      outs(%dw : memref<128x64xf32>)
  return
}

// -----

// Left alone: tensors (before bufferization), other element types, a
// non-unit innermost stride, batch_matmul.
// CHECK-LABEL: func.func @left_alone
// SMALL-LABEL: func.func @left_alone
// CHECK-COUNT-3: linalg.matmul
// CHECK: linalg.batch_matmul
// CHECK-NOT: vector.fma
func.func @left_alone(%t: tensor<4x4xf32>, %d: memref<4x4xf64>,
                      %s: memref<4x4xf32, strided<[8, 2]>>, %c: memref<4x4xf32>,
                      %b: memref<2x4x4xf32>) -> tensor<4x4xf32> {
  %r = linalg.matmul ins(%t, %t : tensor<4x4xf32>, tensor<4x4xf32>)
      outs(%t : tensor<4x4xf32>) -> tensor<4x4xf32>
  linalg.matmul ins(%d, %d : memref<4x4xf64>, memref<4x4xf64>)
      outs(%d : memref<4x4xf64>)
  linalg.matmul ins(%s, %c : memref<4x4xf32, strided<[8, 2]>>, memref<4x4xf32>)
      outs(%c : memref<4x4xf32>)
  linalg.batch_matmul ins(%b, %b : memref<2x4x4xf32>, memref<2x4x4xf32>)
      outs(%b : memref<2x4x4xf32>)
  return %r : tensor<4x4xf32>
}

// -----

// With small-flops, static products up to that many multiply-adds stay
// linalg.matmul (for the loops); dynamic ones are always lowered.
// SMALL-LABEL: func.func @small
// SMALL: linalg.matmul
// SMALL-NOT: vector.fma
// CHECK-LABEL: func.func @small
// CHECK-NOT: linalg.matmul
func.func @small(%a: memref<8x10xf32>, %b: memref<10x12xf32>, %c: memref<8x12xf32>) {
  linalg.matmul ins(%a, %b : memref<8x10xf32>, memref<10x12xf32>)
      outs(%c : memref<8x12xf32>)
  return
}

// -----

// A zero fill right before the product: the call overwrites C, and the
// fill only runs when K is 0 (when the kernel stores nothing). The kernel
// reads C unless it is the first K block of an overwritten C.
// CHECK-LABEL: func.func @zero_filled
// SMALL-LABEL: func.func @zero_filled
// CHECK-SAME: (%[[A:[^:]*]]: memref<?x?xf32>,
// CHECK: %[[K:.*]] = memref.dim %[[A]], %{{.*}} : memref<?x?xf32>
// CHECK: %[[EMPTY:.*]] = arith.cmpi eq, %[[K]], %{{.*}}
// CHECK: scf.if %[[EMPTY]] {
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: }
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: call @adjoint_sgemm_nn({{.*}}, %[[TRUE]])
// CHECK-LABEL: func.func private @adjoint_sgemm_nn(
// CHECK-SAME: %[[OVERWRITE:[^:]*]]: i1)
// CHECK: %[[KEEP:.*]] = arith.xori %[[OVERWRITE]], %true
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c128
// CHECK-NEXT: arith.subi
// CHECK-NEXT: arith.minsi
// CHECK-NEXT: scf.for %[[PC:[^ ]*]] =
// CHECK: %[[LATER:.*]] = arith.cmpi ne, %[[PC]], %{{.*}}
// CHECK: %[[ADD_OLD:.*]] = arith.ori %[[LATER]], %[[KEEP]]
// CHECK: scf.if %[[ADD_OLD]] {
// CHECK: vector.load %{{.*}} : memref<?x?xf32, strided<[?, 1], offset: ?>>, vector<8xf32>
// CHECK: } else {
// CHECK-NOT: vector.load
// CHECK: vector.store
func.func @zero_filled(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?xf32>)
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>)
      outs(%c : memref<?x?xf32>)
  return
}

// -----

// One kernel per variant and module: both products of a variant call the
// same function. A user's function of the kernel's name is left alone and
// the kernel takes a numbered name.
// CHECK-LABEL: func.func @adjoint_sgemm_nn()
// CHECK-NEXT: return
// CHECK-LABEL: func.func @two_products
// CHECK: call @adjoint_sgemm_nn_0(
// CHECK: call @adjoint_sgemm_nn_0(
// CHECK: call @adjoint_sgemm_tt(
// CHECK-NOT: func.func
// CHECK: func.func private @adjoint_sgemm_nn_0(
// CHECK-NOT: func.func private @adjoint_sgemm_nn
// CHECK: func.func private @adjoint_sgemm_tt(
// CHECK-NOT: func.func
func.func @adjoint_sgemm_nn() {
  return
}
func.func @two_products(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  linalg.matmul ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>)
      outs(%c : memref<8x8xf32>)
  linalg.matmul ins(%b, %a : memref<8x8xf32>, memref<8x8xf32>)
      outs(%c : memref<8x8xf32>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>)
      outs(%c : memref<8x8xf32>)
  return
}
