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

// -----

// A convolution's bias gradient, over N, H and W: first over N and H with
// the rows of W kept as a parallel (innermost) loop, then over W.
// CHECK-DAG: #[[IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ROWS:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func.func @conv_bias_grad
// CHECK: %[[PARTIAL:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[ROWS]]], iterator_types = ["reduction", "parallel", "reduction", "parallel"]} ins(%{{.*}} : tensor<?x6x24x24xf32>) outs(%{{.*}} : tensor<6x24xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[PARTIAL]] : tensor<6x24xf32>) outs(%{{.*}} : tensor<6xf32>)
func.func @conv_bias_grad(%dz: tensor<?x6x24x24xf32>) -> tensor<6xf32> {
  %db = nn.sum %dz axes = [0, 2, 3] : tensor<?x6x24x24xf32> -> tensor<6xf32>
  return %db : tensor<6xf32>
}

// -----

// One stage: rows of fewer than 8 elements, or the innermost dim kept.
// CHECK-LABEL: func.func @one_stage
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]} ins(%{{.*}} : tensor<?x16x4x4xf32>) outs(%{{.*}} : tensor<16xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction", "parallel"]} ins(%{{.*}} : tensor<?x8x32xf32>) outs(%{{.*}} : tensor<32xf32>)
// CHECK-NOT: linalg.generic
func.func @one_stage(%a: tensor<?x16x4x4xf32>, %b: tensor<?x8x32xf32>) -> (tensor<16xf32>, tensor<32xf32>) {
  %0 = nn.sum %a axes = [0, 2, 3] : tensor<?x16x4x4xf32> -> tensor<16xf32>
  %1 = nn.sum %b axes = [0, 1] : tensor<?x8x32xf32> -> tensor<32xf32>
  return %0, %1 : tensor<16xf32>, tensor<32xf32>
}
