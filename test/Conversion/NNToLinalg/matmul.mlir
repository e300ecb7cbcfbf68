// RUN: adjoint-opt %s --convert-nn-to-linalg --split-input-file | FileCheck %s

// Two matrices: linalg.matmul; a transposed operand changes the indexing
// maps, it is never materialized.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dense
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: linalg.matmul indexing_maps = [#[[A]], #[[BT]], #[[C]]]
// CHECK-SAME: outs(%[[ZERO]] : tensor<?x128xf32>)
// CHECK-NOT: linalg.transpose
func.func @dense(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>) -> tensor<?x128xf32> {
  %z = nn.matmul %x, %w transpose_b : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  return %z : tensor<?x128xf32>
}

// -----

// The weight gradient dW = dZ^T X contracts over the dynamic batch.
// CHECK-DAG: #[[AT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @weight_grad
// CHECK: arith.cmpi eq
// CHECK: cf.assert {{.*}} "nn.matmul at {{.*}}: the contraction dims differ"
// CHECK: linalg.matmul indexing_maps = [#[[AT]]
func.func @weight_grad(%dz: tensor<?x128xf32>, %x: tensor<?x64xf32>) -> tensor<128x64xf32> {
  %dw = nn.matmul %dz, %x transpose_a : tensor<?x128xf32>, tensor<?x64xf32> -> tensor<128x64xf32>
  return %dw : tensor<128x64xf32>
}

// -----

// Two stacks of matrices with the same batch: linalg.batch_matmul.
// CHECK-LABEL: func.func @attention_scores
// CHECK: linalg.batch_matmul
func.func @attention_scores(%q: tensor<?x?x16xf32>, %k: tensor<?x?x16xf32>) -> tensor<?x?x?xf32> {
  %s = nn.matmul %q, %k transpose_b : tensor<?x?x16xf32>, tensor<?x?x16xf32> -> tensor<?x?x?xf32>
  return %s : tensor<?x?x?xf32>
}

// -----

// A dense layer on a sequence: the rows are collapsed into one matmul. With
// two dynamic dims in the row group the result is restored by tensor.reshape
// (memref.expand_shape of such a group crashes expand-strided-metadata).
// CHECK-LABEL: func.func @sequence_dense
// CHECK: tensor.collapse_shape {{.*}} {{\[}}[0, 1], [2]] : tensor<?x?x16xf32> into tensor<?x16xf32>
// CHECK: linalg.matmul
// CHECK-NOT: tensor.expand_shape
// CHECK: tensor.reshape {{.*}} -> tensor<?x?x8xf32>
func.func @sequence_dense(%x: tensor<?x?x16xf32>, %w: tensor<8x16xf32>) -> tensor<?x?x8xf32> {
  %y = nn.matmul %x, %w transpose_b : tensor<?x?x16xf32>, tensor<8x16xf32> -> tensor<?x?x8xf32>
  return %y : tensor<?x?x8xf32>
}

// -----

// One dynamic dim in the row group: tensor.expand_shape.
// CHECK-LABEL: func.func @sequence_dense_static_t
// CHECK: tensor.collapse_shape {{.*}} {{\[}}[0, 1], [2]] : tensor<?x5x16xf32> into tensor<?x16xf32>
// CHECK: linalg.matmul
// CHECK: tensor.expand_shape {{.*}} {{\[}}[0, 1], [2]]
func.func @sequence_dense_static_t(%x: tensor<?x5x16xf32>, %w: tensor<8x16xf32>) -> tensor<?x5x8xf32> {
  %y = nn.matmul %x, %w transpose_b : tensor<?x5x16xf32>, tensor<8x16xf32> -> tensor<?x5x8xf32>
  return %y : tensor<?x5x8xf32>
}

// -----

// Broadcast batch dims: a generic contraction whose static-1 batch dim reads
// element 0.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d3)>
// CHECK-LABEL: func.func @broadcast_batch
// CHECK: linalg.generic {indexing_maps = [#[[LHS]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
func.func @broadcast_batch(%a: tensor<1x3x4xf32>, %b: tensor<5x4x2xf32>) -> tensor<5x3x2xf32> {
  %y = nn.matmul %a, %b : tensor<1x3x4xf32>, tensor<5x4x2xf32> -> tensor<5x3x2xf32>
  return %y : tensor<5x3x2xf32>
}
