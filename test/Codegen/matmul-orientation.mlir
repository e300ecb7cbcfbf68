// RUN: adjoint-opt %s --adjoint-matmul-orientation --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --adjoint-matmul-orientation --adjoint-fuse-elementwise --split-input-file | FileCheck %s --check-prefix=FUSED

// A convolution's weight gradient, cols^T dy with 6 columns and 25 rows
// (A^T B), is computed as dy^T cols (A^T B again, operands swapped) into a
// new 6 x 25 zero fill, then transposed back by a generic...
// CHECK-DAG: #[[KM:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[KN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[MN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[SWAP:map[0-9]*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @weight_grad
// CHECK-SAME: (%[[COLS:.*]]: tensor<?x25xf32>, %[[DY:.*]]: tensor<?x6xf32>, %[[W:.*]]: tensor<25x6xf32>)
// CHECK: %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<6x25xf32>
// CHECK: %[[T:.*]] = linalg.matmul indexing_maps = [#[[KM]], #[[KN]], #[[MN]]] ins(%[[DY]], %[[COLS]] : tensor<?x6xf32>, tensor<?x25xf32>) outs(%[[FILL]] : tensor<6x25xf32>)
// CHECK: %[[BACK:.*]] = linalg.generic {indexing_maps = [#[[SWAP]], #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%[[T]] : tensor<6x25xf32>) outs(%{{.*}} : tensor<25x6xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[W]], %[[BACK]] :
// ...which the fusion folds into its consumer: no transposed copy is left.
// FUSED-LABEL: func.func @weight_grad
// FUSED: %[[T:.*]] = linalg.matmul
// FUSED-SAME: outs(%{{.*}} : tensor<6x25xf32>)
// FUSED: linalg.generic {indexing_maps = [#{{.*}}, #[[SWAPPED:.*]], #{{.*}}]{{.*}} ins(%{{.*}}, %[[T]] : tensor<25x6xf32>, tensor<6x25xf32>)
// FUSED-NOT: linalg.generic
// FUSED: return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @weight_grad(%cols: tensor<?x25xf32>, %dy: tensor<?x6xf32>, %w: tensor<25x6xf32>) -> tensor<25x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<25x6xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e : tensor<25x6xf32>) -> tensor<25x6xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                       affine_map<(m, n, k) -> (k, n)>,
                                       affine_map<(m, n, k) -> (m, n)>]
      ins(%cols, %dy : tensor<?x25xf32>, tensor<?x6xf32>)
      outs(%fill : tensor<25x6xf32>) -> tensor<25x6xf32>
  %new = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw : tensor<25x6xf32>, tensor<25x6xf32>) outs(%e : tensor<25x6xf32>) {
  ^bb0(%a: f32, %g: f32, %o: f32):
    %s = arith.subf %a, %g : f32
    linalg.yield %s : f32
  } -> tensor<25x6xf32>
  return %new : tensor<25x6xf32>
}

// -----

// A B with an accumulator that is not a fill: A^T B^T into the transposed
// accumulator, the result transposed back.
// CHECK-DAG: #[[KM:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[NK:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @accumulate
// CHECK-SAME: (%[[A:.*]]: tensor<32x64xf32>, %[[B:.*]]: tensor<64x8xf32>, %[[C:.*]]: tensor<32x8xf32>)
// CHECK: %[[CT:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<32x8xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// CHECK: %[[T:.*]] = linalg.matmul indexing_maps = [#[[KM]], #[[NK]], #{{.*}}] ins(%[[B]], %[[A]] : tensor<64x8xf32>, tensor<32x64xf32>) outs(%[[CT]] : tensor<8x32xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[T]] : tensor<8x32xf32>) outs(%{{.*}} : tensor<32x8xf32>)
// CHECK: return %[[R]]
func.func @accumulate(%a: tensor<32x64xf32>, %b: tensor<64x8xf32>, %c: tensor<32x8xf32>) -> tensor<32x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<32x64xf32>, tensor<64x8xf32>)
      outs(%c : tensor<32x8xf32>) -> tensor<32x8xf32>
  return %r : tensor<32x8xf32>
}

// -----

// Left alone: a dynamic M (the batch: at batch 1 the transposed product
// would be the worse one), 16 columns or more, fewer rows than `narrow`,
// f64, and products on buffers.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: linalg.generic
// CHECK-COUNT-4: linalg.matmul ins
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @left_alone(%x: tensor<?x84xf32>, %w: tensor<84x10xf32>, %c: tensor<?x10xf32>,
                      %a: tensor<32x64xf32>, %b16: tensor<64x16xf32>, %c16: tensor<32x16xf32>,
                      %a8: tensor<8x64xf32>, %b8: tensor<64x4xf32>, %c8: tensor<8x4xf32>,
                      %ad: tensor<32x64xf64>, %bd: tensor<64x8xf64>, %cd: tensor<32x8xf64>,
                      %am: memref<32x64xf32>, %bmem: memref<64x8xf32>, %cm: memref<32x8xf32>)
    -> (tensor<?x10xf32>, tensor<32x16xf32>, tensor<8x4xf32>, tensor<32x8xf64>) {
  %0 = linalg.matmul ins(%x, %w : tensor<?x84xf32>, tensor<84x10xf32>) outs(%c : tensor<?x10xf32>) -> tensor<?x10xf32>
  %1 = linalg.matmul ins(%a, %b16 : tensor<32x64xf32>, tensor<64x16xf32>) outs(%c16 : tensor<32x16xf32>) -> tensor<32x16xf32>
  %2 = linalg.matmul ins(%a8, %b8 : tensor<8x64xf32>, tensor<64x4xf32>) outs(%c8 : tensor<8x4xf32>) -> tensor<8x4xf32>
  %3 = linalg.matmul ins(%ad, %bd : tensor<32x64xf64>, tensor<64x8xf64>) outs(%cd : tensor<32x8xf64>) -> tensor<32x8xf64>
  linalg.matmul ins(%am, %bmem : memref<32x64xf32>, memref<64x8xf32>) outs(%cm : memref<32x8xf32>)
  return %0, %1, %2, %3 : tensor<?x10xf32>, tensor<32x16xf32>, tensor<8x4xf32>, tensor<32x8xf64>
}
