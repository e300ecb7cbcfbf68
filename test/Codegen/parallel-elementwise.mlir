// RUN: adjoint-opt %s --adjoint-parallel-elementwise --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --adjoint-parallel-elementwise="min-elements=1000" --split-input-file | FileCheck %s --check-prefix=MIN

// An elementwise op on buffers: with several threads and at least
// min-elements iterations, one chunk of its outermost loop per thread in an
// scf.parallel (subviews of every operand); else the op as it was. The
// thread count is asked once per function, for both ops.
// CHECK-LABEL: func.func @update
// CHECK-SAME: (%[[W:.*]]: memref<?x512xf32>, %[[V:.*]]: memref<?x512xf32>)
// CHECK: %[[T32:.*]] = call @omp_get_max_threads() {adjoint.thread_count} : () -> i32
// CHECK-NEXT: %[[THREADS:.*]] = arith.index_cast %[[T32]] : i32 to index
// CHECK-NOT: call @omp_get_max_threads
// CHECK: %[[N:.*]] = memref.dim %[[V]]
// CHECK: %[[ELEMENTS:.*]] = arith.muli %{{.*}}, %[[N]]
// CHECK-DAG: %[[MANY:.*]] = arith.cmpi sgt, %[[THREADS]], %c1
// CHECK-DAG: %[[BIG:.*]] = arith.cmpi sge, %{{.*}}, %c65536
// CHECK: %[[USE:.*]] = arith.andi %[[MANY]], %[[BIG]]
// CHECK: scf.if %[[USE]] {
// CHECK: %[[CHUNK:.*]] = arith.ceildivsi %{{.*}}, %[[THREADS]]
// CHECK: scf.parallel (%[[I:.*]]) = (%{{.*}}) to (%{{.*}}) step (%[[CHUNK]]) {
// CHECK: memref.subview %[[V]][%[[I]], 0]
// CHECK: memref.subview %[[W]][%[[I]], 0]
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<?x512xf32, strided<[512, 1], offset: ?>>) outs(%{{.*}} : memref<?x512xf32, strided<[512, 1], offset: ?>>)
// CHECK: } else {
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[V]] : memref<?x512xf32>) outs(%[[W]] : memref<?x512xf32>)
// CHECK: scf.if
// CHECK: scf.parallel
// CHECK-NOT: call @omp_get_max_threads
// CHECK: return
#id = affine_map<(i, j) -> (i, j)>
func.func @update(%w: memref<?x512xf32>, %v: memref<?x512xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%v : memref<?x512xf32>) outs(%w : memref<?x512xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.subf %b, %a : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w : memref<?x512xf32>) outs(%v : memref<?x512xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.mulf %b, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Left alone: reductions, ops on tensors, ops already inside an
// scf.parallel, named ops. The threshold is the option's.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: scf.if
// CHECK-NOT: omp_get_max_threads
// CHECK: return
// MIN-LABEL: func.func @left_alone
// MIN-NOT: scf.if
// MIN: return
// MIN-LABEL: func.func @small
// MIN: arith.cmpi sge, %{{.*}}, %c1000
// MIN: scf.parallel
func.func @left_alone(%m: memref<4096x64xf32>, %r: memref<4096xf32>, %t: tensor<4096x64xf32>,
                      %n: index) -> tensor<4096x64xf32> {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%m : memref<4096x64xf32>) outs(%r : memref<4096xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  %e = tensor.empty() : tensor<4096x64xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<4096x64xf32>) outs(%e : tensor<4096x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.negf %a : f32
    linalg.yield %s : f32
  } -> tensor<4096x64xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                    iterator_types = ["parallel", "parallel"]}
        ins(%m : memref<4096x64xf32>) outs(%m : memref<4096x64xf32>) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
    scf.reduce
  }
  linalg.copy ins(%m : memref<4096x64xf32>) outs(%m : memref<4096x64xf32>)
  return %y : tensor<4096x64xf32>
}

// A static 32 x 64 op: 2048 iterations, below the default threshold but
// above min-elements=1000.
// CHECK-LABEL: func.func @small
// CHECK: arith.cmpi sge, %{{.*}}, %c65536
func.func @small(%m: memref<32x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      outs(%m : memref<32x64xf32>) {
  ^bb0(%a: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// An op whose input was last written, in its block, by an op that runs on
// the calling thread only (a serial loop nest, a call) stays as it was: its
// threads would read their chunks from the calling thread's cache. One whose
// input was written by an op with an scf.parallel inside is split, and so is
// the op after it, which reads what the split op wrote.
// CHECK-LABEL: func.func @producers
// CHECK-SAME: (%[[N:.*]]: index, %[[A:.*]]: memref<?x512xf32>, %[[B:.*]]: memref<?x512xf32>, %[[C:.*]]: memref<?x512xf32>, %[[D:.*]]: memref<?x512xf32>)
// CHECK: scf.for
// CHECK-NOT: scf.if
// CHECK: linalg.generic {{.*}} ins(%[[A]] : memref<?x512xf32>) outs(%[[B]] : memref<?x512xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.addf
// CHECK-NOT: scf.if
// CHECK: call @kernel(%[[C]])
// CHECK-NOT: scf.if
// CHECK: linalg.generic {{.*}} ins(%[[C]] : memref<?x512xf32>) outs(%[[D]] : memref<?x512xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.subf
// CHECK: scf.parallel
// CHECK: memref.store
// CHECK: scf.if
// CHECK: scf.parallel
// CHECK: } else {
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[A]] : memref<?x512xf32>) outs(%[[B]] : memref<?x512xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK: scf.if
// CHECK: scf.parallel
// CHECK: } else {
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[B]] : memref<?x512xf32>) outs(%[[C]] : memref<?x512xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.divf
// CHECK: return
#id = affine_map<(i, j) -> (i, j)>
func.func private @kernel(memref<?x512xf32>)
func.func @producers(%n: index, %a: memref<?x512xf32>, %b: memref<?x512xf32>, %c: memref<?x512xf32>, %d: memref<?x512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %one, %a[%i, %c0] : memref<?x512xf32>
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<?x512xf32>) outs(%b : memref<?x512xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  func.call @kernel(%c) : (memref<?x512xf32>) -> ()
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<?x512xf32>) outs(%d : memref<?x512xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.subf %x, %y : f32
    linalg.yield %s : f32
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %one, %a[%i, %c0] : memref<?x512xf32>
    scf.reduce
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<?x512xf32>) outs(%b : memref<?x512xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<?x512xf32>) outs(%c : memref<?x512xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.divf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}
