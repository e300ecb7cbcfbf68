// RUN: adjoint-opt %s --adjoint-split-shared-fills --split-input-file | FileCheck %s

// Two products share one zero-filled accumulator (as CSE leaves them): each
// gets its own tensor.empty and fill, right before it.
// CHECK-LABEL: func.func @two_products
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8x8xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.0
// CHECK: %[[N:.*]] = tensor.dim %[[X]]
// CHECK: %[[E1:.*]] = tensor.empty(%[[N]]) : tensor<?x8xf32>
// CHECK-NEXT: %[[F1:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E1]] : tensor<?x8xf32>)
// CHECK-NEXT: %[[A:.*]] = linalg.matmul ins(%[[X]], %[[W]] : {{.*}}) outs(%[[F1]] : tensor<?x8xf32>)
// CHECK-NEXT: %[[E2:.*]] = tensor.empty(%[[N]]) : tensor<?x8xf32>
// CHECK-NEXT: %[[F2:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E2]] : tensor<?x8xf32>)
// CHECK-NEXT: %[[B:.*]] = linalg.matmul ins(%[[A]], %[[W]] : {{.*}}) outs(%[[F2]] : tensor<?x8xf32>)
// CHECK-NEXT: return %[[B]]
func.func @two_products(%x: tensor<?x8xf32>, %w: tensor<8x8xf32>) -> tensor<?x8xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x8xf32>) -> tensor<?x8xf32>
  %a = linalg.matmul ins(%x, %w : tensor<?x8xf32>, tensor<8x8xf32>)
      outs(%z : tensor<?x8xf32>) -> tensor<?x8xf32>
  %b = linalg.matmul ins(%a, %w : tensor<?x8xf32>, tensor<8x8xf32>)
      outs(%z : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %b : tensor<?x8xf32>
}

// -----

// A fill that is also read (an input, a result) keeps its place for those
// uses; the product gets a copy. A fill with one use, and a fill on a
// buffer, are left alone. (The two fills' shared tensor.empty is split.)
// CHECK-LABEL: func.func @other_uses
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK-NEXT: tensor.empty
// CHECK-NEXT: %[[ONE:.*]] = linalg.fill
// CHECK-NEXT: linalg.fill {{.*}} outs(%{{.*}} : memref<4xf32>)
// CHECK-NEXT: tensor.empty
// CHECK-NEXT: %[[COPY:.*]] = linalg.fill
// CHECK-NEXT: %[[S:.*]] = linalg.add ins(%[[ONE]], %[[ONE]] : {{.*}}) outs(%[[COPY]] : tensor<4xf32>)
// CHECK-NEXT: return %[[Z]], %[[S]]
func.func @other_uses(%m: memref<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %o = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  linalg.fill ins(%zero : f32) outs(%m : memref<4xf32>)
  %s = linalg.add ins(%o, %o : tensor<4xf32>, tensor<4xf32>)
      outs(%z : tensor<4xf32>) -> tensor<4xf32>
  return %z, %s : tensor<4xf32>, tensor<4xf32>
}

// -----

// A user in a nested region gets its copy there; the user in the fill's
// block keeps the original, moved right before it.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for
// CHECK-NEXT: tensor.empty
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.matmul
// CHECK: scf.yield
// CHECK-NEXT: }
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.matmul
func.func @nested(%x: tensor<8x8xf32>, %n: index) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %e = tensor.empty() : tensor<8x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<8x8xf32> {
    %p = linalg.matmul ins(%acc, %x : tensor<8x8xf32>, tensor<8x8xf32>)
        outs(%z : tensor<8x8xf32>) -> tensor<8x8xf32>
    scf.yield %p : tensor<8x8xf32>
  }
  %q = linalg.matmul ins(%x, %x : tensor<8x8xf32>, tensor<8x8xf32>)
      outs(%z : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r, %q : tensor<8x8xf32>, tensor<8x8xf32>
}

// -----

// A tensor.empty that is the init of several ops (as CSE leaves it): every
// one but the first gets its own, right before it, so that bufferization
// does not write one op's result into the buffer where another's operand
// was (which would keep adjoint-matmul-microkernels from running the
// consumer on each thread's chunk of the product). An empty with one init
// use is left alone.
// CHECK-LABEL: func.func @shared_empty
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK-NEXT: %[[R:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4x8xf32>) outs(%[[E]] : tensor<4x8xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.negf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: }
// CHECK-NEXT: %[[E2:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK-NEXT: %[[S:.*]] = linalg.generic {{.*}} ins(%[[R]] : tensor<4x8xf32>) outs(%[[E2]] : tensor<4x8xf32>)
// CHECK: %[[E3:.*]] = tensor.empty() : tensor<8xf32>
// CHECK-NOT: tensor.empty
// CHECK: return
#id = affine_map<(i, j) -> (i, j)>
func.func @shared_empty(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %in : f32
    linalg.yield %a : f32
  } -> tensor<4x8xf32>
  %one = tensor.empty() : tensor<8xf32>
  return %s, %one : tensor<4x8xf32>, tensor<8xf32>
}
