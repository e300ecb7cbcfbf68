// RUN: adjoint-opt %s --convert-nn-to-linalg --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --convert-nn-to-linalg="im2col=false" --split-input-file | FileCheck %s --check-prefix=DIRECT

// A convolution with a static output size: the windows of the padded input
// are copied into a [C kh kw, N Ho Wo] matrix (im2col), which the filter
// [O, C kh kw] multiplies; the [O, N Ho Wo] product is copied into NCHW.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x6x5xf32>, %[[W:.*]]: tensor<3x2x3x3xf32>)
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[WIN:.*]] = linalg.generic {{.*}} ins(%[[XP]] : tensor<?x2x8x7xf32>) outs(%{{.*}} : tensor<2x3x3x?x6x5xf32>)
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<2x3x3x?x6x5xf32> into tensor<18x?xf32>
// CHECK: %[[W2:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0], [1, 2, 3]] : tensor<3x2x3x3xf32> into tensor<3x18xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[W2]], %[[COLS]] : tensor<3x18xf32>, tensor<18x?xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<3x?xf32>) outs(%{{.*}} : tensor<?x3x6x5xf32>)
// CHECK-NOT: linalg.conv_2d
// DIRECT-LABEL: func.func @forward
// DIRECT: linalg.conv_2d_nchw_fchw
// DIRECT-NOT: linalg.matmul
func.func @forward(%x: tensor<?x2x6x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<?x3x6x5xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<?x2x6x5xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x6x5xf32>
  return %y : tensor<?x3x6x5xf32>
}

// -----

// The filter's gradient: the cotangent transposed to [O, N Ho Wo] times the
// im2col matrix transposed (a matmul whose B is [N, K]), copied into
// [O, C, kh, kw].
// CHECK-LABEL: func.func @backward_filter
// CHECK: %[[WIN:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x5x5x?x2x2xf32>)
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{.*}} into tensor<25x?xf32>
// CHECK: %[[DYT:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x?x2x2xf32>)
// CHECK: %[[DY2:.*]] = tensor.collapse_shape %[[DYT]] {{.*}} into tensor<4x?xf32>
// CHECK: %[[P:.*]] = linalg.matmul indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%[[DY2]], %[[COLS]] : tensor<4x?xf32>, tensor<25x?xf32>) outs(%{{.*}} : tensor<4x25xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<4x25xf32>) outs(%{{.*}} : tensor<4x1x5x5xf32>)
// DIRECT-LABEL: func.func @backward_filter
// DIRECT-NOT: linalg.matmul
// DIRECT: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
func.func @backward_filter(%x: tensor<?x1x6x6xf32>, %dy: tensor<?x4x2x2xf32>) -> tensor<4x1x5x5xf32> {
  %dw = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [0, 0] : (tensor<?x1x6x6xf32>, tensor<?x4x2x2xf32>) -> tensor<4x1x5x5xf32>
  return %dw : tensor<4x1x5x5xf32>
}

// -----

// The input's gradient: the convolution of the dilated cotangent with the
// flipped filter, as a matmul too.
// CHECK-LABEL: func.func @backward_input
// CHECK: tensor.insert_slice
// CHECK: linalg.matmul
// CHECK-NOT: linalg.conv_2d
// DIRECT-LABEL: func.func @backward_input
// DIRECT: linalg.conv_2d_nchw_fchw
func.func @backward_input(%dy: tensor<?x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<?x2x7x7xf32> {
  %dx = nn.conv2d_backward_input %dy, %w stride = [2, 2] padding = [0, 0] : (tensor<?x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<?x2x7x7xf32>
  return %dx : tensor<?x2x7x7xf32>
}

// -----

// Dynamic spatial dims: the named convolution, whatever the option.
// CHECK-LABEL: func.func @dynamic_spatial
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.matmul
func.func @dynamic_spatial(%x: tensor<1x2x?x?xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x?x?xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<1x2x?x?xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x?x?xf32>
  return %y : tensor<1x3x?x?xf32>
}
