// RUN: adjoint-opt %s --adjoint-convolution-loop-order --split-input-file | FileCheck %s

// A convolution iterates (n, f, oh, ow, c, kh, kw); afterwards the loop of
// ow, the output's innermost dim, is innermost.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d3, d2 + d4, d5 + d6)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d6)>
// CHECK-LABEL: func.func @conv
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]
func.func @conv(%x: memref<?x1x28x28xf32>, %w: memref<6x1x5x5xf32>, %y: memref<?x6x24x24xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<?x1x28x28xf32>, memref<6x1x5x5xf32>)
      outs(%y : memref<?x6x24x24xf32>)
  return
}

// -----

// Max pooling: the window moves outside the output's columns.
// CHECK-LABEL: func.func @pool
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]
// CHECK: arith.maximumf
func.func @pool(%x: memref<?x6x24x24xf32>, %k: memref<2x2xf32>, %y: memref<?x6x12x12xf32>) {
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %k : memref<?x6x24x24xf32>, memref<2x2xf32>)
      outs(%y : memref<?x6x12x12xf32>)
  return
}

// -----

// Left alone: tensors, and a matmul (not a convolution).
// CHECK-LABEL: func.func @left_alone
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: linalg.matmul
func.func @left_alone(%x: tensor<1x1x8x8xf32>, %w: tensor<1x1x3x3xf32>, %y: tensor<1x1x6x6xf32>,
                      %a: memref<4x4xf32>) -> tensor<1x1x6x6xf32> {
  %r = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x8x8xf32>, tensor<1x1x3x3xf32>)
      outs(%y : tensor<1x1x6x6xf32>) -> tensor<1x1x6x6xf32>
  linalg.matmul ins(%a, %a : memref<4x4xf32>, memref<4x4xf32>) outs(%a : memref<4x4xf32>)
  return %r : tensor<1x1x6x6xf32>
}
