// RUN: adjoint-opt %s --adjoint-lower-to-llvm="c-interface=false" | FileCheck %s
// RUN: adjoint-opt %s --adjoint-lower-to-llvm="c-interface=false threads=true" | FileCheck %s --check-prefix=THREADS
// RUN: adjoint-opt %s --adjoint-lower-to-llvm="c-interface=false matmul-microkernels=false temporaries-arena=false" | FileCheck %s --check-prefix=LOOPS

// A dense layer: the matmul becomes a call of the A B^T kernel, an internal
// function whose FMAs are on <8 x f32>, and the temporaries of @dense are
// slots of an arena kept between calls (the one allocation is the result,
// which the caller owns).
// CHECK-LABEL: llvm.func @dense
// CHECK-NOT: llvm.call @aligned_alloc
// CHECK: %[[BUSY:.*]] = llvm.mlir.addressof @__adjoint_arena_dense_busy
// CHECK: %[[OWNED:.*]] = llvm.call @__adjoint_arena_enter(%[[BUSY]])
// CHECK: llvm.call @__adjoint_arena_acquire(%{{.*}}, %{{.*}}, %[[OWNED]])
// CHECK-NOT: llvm.call @aligned_alloc
// CHECK: llvm.call @adjoint_sgemm_nt(
// CHECK-NOT: omp.
// CHECK: llvm.call @aligned_alloc
// CHECK-NOT: llvm.call @aligned_alloc
// CHECK: llvm.call @__adjoint_arena_release(
// CHECK: llvm.call @__adjoint_arena_exit(%[[BUSY]], %[[OWNED]])
// CHECK: llvm.return
// CHECK: llvm.func internal @adjoint_sgemm_nt(
// CHECK-SAME: adjoint.matmul_kernel
// CHECK: llvm.intr.fmuladd({{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK-NOT: omp.
// With threads, large products call the kernel in an OpenMP work-sharing
// loop, one chunk of rows (when the columns are too few) or of columns per
// thread; small ones (or one thread) call it once, outside OpenMP.
// THREADS-LABEL: llvm.func @dense
// THREADS: llvm.call @omp_get_max_threads()
// THREADS: llvm.cond_br
// THREADS: omp.parallel if(
// THREADS: omp.wsloop
// THREADS: llvm.call @adjoint_sgemm_nt(
// THREADS: omp.terminator
// THREADS: omp.parallel if(
// THREADS: omp.wsloop
// THREADS: llvm.call @adjoint_sgemm_nt(
// THREADS: omp.terminator
// THREADS-NOT: omp.
// THREADS: llvm.call @adjoint_sgemm_nt(
// THREADS: llvm.return
// THREADS: llvm.func internal @adjoint_sgemm_nt(
// THREADS-NOT: omp.
// THREADS: llvm.intr.fmuladd
// Without the kernels: scalar loops, a malloc per temporary.
// LOOPS-LABEL: llvm.func @dense
// LOOPS-NOT: vector<8xf32>
// LOOPS: llvm.call @aligned_alloc
// LOOPS: llvm.call @aligned_alloc
func.func @dense(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>) -> tensor<f32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x64xf32>
  %empty = tensor.empty(%n) : tensor<?x128xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<?x128xf32>) -> tensor<?x128xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                      affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %w : tensor<?x64xf32>, tensor<128x64xf32>)
      outs(%acc : tensor<?x128xf32>) -> tensor<?x128xf32>
  %e0 = tensor.empty() : tensor<f32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>],
                       iterator_types = ["reduction", "reduction"]}
      ins(%y : tensor<?x128xf32>) outs(%s0 : tensor<f32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    %t = arith.addf %r, %out : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  return %s : tensor<f32>
}
