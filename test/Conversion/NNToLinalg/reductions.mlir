// RUN: adjoint-opt %s --convert-nn-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @bias_grad
// CHECK: %[[ACC:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK-SAME: outs(%[[ACC]] : tensor<128xf32>)
// CHECK: arith.addf
func.func @bias_grad(%dz: tensor<?x128xf32>) -> tensor<128xf32> {
  %db = nn.sum %dz axes = [0] : tensor<?x128xf32> -> tensor<128xf32>
  return %db : tensor<128xf32>
}

// -----

// keepdims expands the reduced tensor; the mean divides by the count.
// CHECK-LABEL: func.func @mean_keepdims
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.divf
// CHECK: tensor.expand_shape {{.*}} {{\[}}[0, 1]] output_shape [%{{.*}}, 1] : tensor<?xf32> into tensor<?x1xf32>
func.func @mean_keepdims(%x: tensor<?x32xf32>) -> tensor<?x1xf32> {
  %m = nn.mean %x axes = [1] keepdims : tensor<?x32xf32> -> tensor<?x1xf32>
  return %m : tensor<?x1xf32>
}

// -----

// CHECK-LABEL: func.func @size
// CHECK: %[[N:.*]] = tensor.dim
// CHECK: arith.muli %[[N]], %c10
// CHECK: arith.sitofp
// CHECK: tensor.from_elements
func.func @size(%x: tensor<?x10xf32>) -> tensor<f32> {
  %n = nn.size %x axes = [] : tensor<?x10xf32> -> tensor<f32>
  return %n : tensor<f32>
}
