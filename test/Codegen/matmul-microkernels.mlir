// RUN: adjoint-opt %s --adjoint-matmul-microkernels --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="small-flops=100000" --split-input-file | FileCheck %s --check-prefix=SMALL
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="parallel=true parallel-flops=4096" --split-input-file | FileCheck %s --check-prefix=PARALLEL

// A dense layer's forward product, A B^T with a dynamic batch: B is packed
// (8 x 8 transposes in registers for full panels) into one aligned buffer,
// the kernel keeps 6 x 2 accumulators of vector<8xf32> and writes C once
// per K block, masked at the edges.
// CHECK-LABEL: func.func @forward
// CHECK-NOT: linalg.matmul
// CHECK: %[[PACKED:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xf32>
// CHECK: scf.for
// CHECK: vector.shuffle
// CHECK: scf.for {{.*}} iter_args
// CHECK-COUNT-12: vector.fma {{.*}} : vector<8xf32>
// CHECK: vector.maskedstore %{{.*}} : memref<?x128xf32>, vector<8xi1>, vector<8xf32>
// CHECK: memref.dealloc %[[PACKED]]
// SMALL-LABEL: func.func @forward
// SMALL-NOT: linalg.matmul
// With `parallel`: one chunk of columns per thread (a multiple of 16) when
// there are several threads and at least `parallel-flops` multiply-adds, else
// one chunk of all columns; the kernel is emitted once, in the scf.parallel.
// PARALLEL-LABEL: func.func @forward
// PARALLEL: %[[THREADS:.*]] = call @omp_get_max_threads() : () -> i32
// PARALLEL: %[[BIG:.*]] = arith.cmpi sle, %c4096
// PARALLEL: %[[USE:.*]] = arith.andi %{{.*}}, %[[BIG]]
// PARALLEL: %[[CHUNK:.*]] = arith.select %[[USE]]
// PARALLEL: scf.parallel
// PARALLEL-COUNT-12: vector.fma
// PARALLEL-NOT: vector.fma
// PARALLEL: return
func.func @forward(%x: memref<?x64xf32>, %w: memref<128x64xf32>, %y: memref<?x128xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %w : memref<?x64xf32>, memref<128x64xf32>)
      outs(%y : memref<?x128xf32>)
  return
}

// -----

// A B: panels of B are copied with vector loads, no transposes.
// CHECK-LABEL: func.func @input_grad
// CHECK-NOT: linalg.matmul
// CHECK-NOT: vector.shuffle
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

// A zero fill right before the product: the first K block stores the
// accumulators without reading C, and the fill only runs when K is 0.
// CHECK-LABEL: func.func @zero_filled
// SMALL-LABEL: func.func @zero_filled
// CHECK-SAME: (%[[A:[^:]*]]: memref<?x?xf32>,
// CHECK: %[[K:.*]] = memref.dim %[[A]], %{{.*}} : memref<?x?xf32>
// CHECK: %[[EMPTY:.*]] = arith.cmpi eq, %[[K]], %{{.*}}
// CHECK: scf.if %[[EMPTY]] {
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: }
// CHECK: %[[LATER:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}}
// CHECK: scf.if %[[LATER]] {
// CHECK: vector.load %{{.*}} : memref<?x?xf32>, vector<8xf32>
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
