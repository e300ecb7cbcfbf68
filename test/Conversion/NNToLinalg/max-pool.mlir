// RUN: adjoint-opt %s --convert-nn-to-linalg --split-input-file | FileCheck %s

// max_pool2d's cotangent: the argmax of every window (one reduction), then
// a scatter that adds each window's cotangent to the input element at its
// argmax: the output map is the window's element (y * 2 + i, x * 2 + j), so
// the loops over windows and their elements reduce. Nothing is dilated.
// CHECK-DAG: #[[POOLED:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[WINDOW:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[INPUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @vjp
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x6x8xf32>, %[[DY:.*]]: tensor<?x3x3x4xf32>)
// CHECK: %[[ARGMAX:.*]]:2 = linalg.generic {{.*}} ins(%[[X]], %{{.*}} : tensor<?x3x6x8xf32>, tensor<2x2xf32>) outs(%{{.*}}, %{{.*}} : tensor<?x3x3x4xf32>, tensor<?x3x3x4xi64>)
// CHECK-NOT: tensor.insert_slice
// CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<?x3x6x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[POOLED]], #[[POOLED]], #[[WINDOW]], #[[INPUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[DY]], %[[ARGMAX]]#1, %{{.*}} : tensor<?x3x3x4xf32>, tensor<?x3x3x4xi64>, tensor<2x2xf32>) outs(%[[ZEROS]] : tensor<?x3x6x8xf32>)
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: arith.addf
func.func @vjp(%x: tensor<?x3x6x8xf32>, %dy: tensor<?x3x3x4xf32>) -> tensor<?x3x6x8xf32> {
  %dx = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<?x3x6x8xf32>, tensor<?x3x3x4xf32>) -> tensor<?x3x6x8xf32>
  return %dx : tensor<?x3x6x8xf32>
}
