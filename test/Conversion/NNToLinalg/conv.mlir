// RUN: adjoint-opt %s --convert-nn-to-linalg="direct-conv=false" --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --convert-nn-to-linalg="im2col=false direct-conv=false" --split-input-file | FileCheck %s --check-prefix=NOIM2COL

// A convolution with a static output size: the windows of the padded input
// are copied into a [C kh kw, N Ho Wo] matrix (im2col, transposed: loops
// (c, i, j, n, y, x), the innermost along the output's x), which the filter
// [O, C kh kw] multiplies (a plain matmul: the filter's few rows are M);
// the [O, N Ho Wo] product is copied into NCHW.
// CHECK-DAG: #[[WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d1 + d4, d2 + d5)>
// CHECK-DAG: #[[TO_NCHW:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0 * 30 + d2 * 5 + d3)>
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x6x5xf32>, %[[W:.*]]: tensor<3x2x3x3xf32>)
// CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[WIN:.*]] = linalg.generic {indexing_maps = [#[[WINDOW]], #{{.*}}]{{.*}} ins(%[[XP]] : tensor<?x2x8x7xf32>) outs(%{{.*}} : tensor<2x3x3x?x6x5xf32>)
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<2x3x3x?x6x5xf32> into tensor<18x?xf32>
// CHECK: %[[W2:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0], [1, 2, 3]] : tensor<3x2x3x3xf32> into tensor<3x18xf32>
// CHECK: %[[P:.*]] = linalg.matmul ins(%[[W2]], %[[COLS]] : tensor<3x18xf32>, tensor<18x?xf32>) outs(%{{.*}} : tensor<3x?xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[TO_NCHW]], #{{.*}}]{{.*}} ins(%[[P]] : tensor<3x?xf32>) outs(%{{.*}} : tensor<?x3x6x5xf32>)
// CHECK-NOT: linalg.conv_2d
// NOIM2COL-LABEL: func.func @forward
// NOIM2COL: linalg.conv_2d_nchw_fchw
// NOIM2COL-NOT: linalg.matmul
func.func @forward(%x: tensor<?x2x6x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<?x3x6x5xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<?x2x6x5xf32>, tensor<3x2x3x3xf32>) -> tensor<?x3x6x5xf32>
  return %y : tensor<?x3x6x5xf32>
}

// -----

// The filter's gradient: the cotangent with its channels first, [O, N Ho
// Wo], times the transposed im2col matrix transposed (a matmul with maps
// (m, k), (n, k)), whose [O, C kh kw] result is the filter's layout (a
// reshape, no copy).
// CHECK-DAG: #[[MK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[CHANNELS_FIRST:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>
// CHECK-LABEL: func.func @backward_filter
// CHECK: %[[WIN:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x5x5x?x2x2xf32>)
// CHECK: %[[COLS:.*]] = tensor.collapse_shape %[[WIN]] {{.*}} into tensor<25x?xf32>
// CHECK: %[[DYO:.*]] = linalg.generic {indexing_maps = [#[[CHANNELS_FIRST]], #{{.*}}]{{.*}} outs(%{{.*}} : tensor<4x?x2x2xf32>)
// CHECK: %[[DY2:.*]] = tensor.collapse_shape %[[DYO]] {{.*}} into tensor<4x?xf32>
// CHECK: %[[P:.*]] = linalg.matmul indexing_maps = [#[[MK]], #[[NK]], #{{.*}}] ins(%[[DY2]], %[[COLS]] : tensor<4x?xf32>, tensor<25x?xf32>) outs(%{{.*}} : tensor<4x25xf32>)
// CHECK: %[[DW:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1, 2, 3]] output_shape [4, 1, 5, 5] : tensor<4x25xf32> into tensor<4x1x5x5xf32>
// CHECK: return %[[DW]]
// NOIM2COL-LABEL: func.func @backward_filter
// NOIM2COL-NOT: linalg.matmul
// NOIM2COL: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
func.func @backward_filter(%x: tensor<?x1x6x6xf32>, %dy: tensor<?x4x2x2xf32>) -> tensor<4x1x5x5xf32> {
  %dw = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [0, 0] : (tensor<?x1x6x6xf32>, tensor<?x4x2x2xf32>) -> tensor<4x1x5x5xf32>
  return %dw : tensor<4x1x5x5xf32>
}

// -----

// The input's gradient: the transposed gradient of the im2col matrix,
// filter^T [C kh kw, O] x dyO [O, N ho wo] (dy with its channels first, a
// copy), and col2im, a reduction that adds each column back into its window
// of the input (strides 2: rows y * 2 + i).
// CHECK-DAG: #[[TA:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[B:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[COLS:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d3, d0, d4, d5)>
// CHECK-DAG: #[[WINDOWS:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-LABEL: func.func @backward_input
// CHECK-SAME: (%[[DY:.*]]: tensor<?x4x3x3xf32>, %[[W:.*]]: tensor<4x2x3x3xf32>)
// CHECK: %[[DYO:.*]] = linalg.generic {{.*}} ins(%[[DY]] : tensor<?x4x3x3xf32>) outs(%{{.*}} : tensor<4x?x3x3xf32>)
// CHECK-DAG: %[[DYM:.*]] = tensor.collapse_shape %[[DYO]] {{\[\[}}0], [1, 2, 3]] : tensor<4x?x3x3xf32> into tensor<4x?xf32>
// CHECK-DAG: %[[WM:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0], [1, 2, 3]] : tensor<4x2x3x3xf32> into tensor<4x18xf32>
// CHECK: %[[DCOLS:.*]] = linalg.matmul indexing_maps = [#[[TA]], #[[B]], #{{.*}}] ins(%[[WM]], %[[DYM]] : tensor<4x18xf32>, tensor<4x?xf32>) {{.*}} -> tensor<18x?xf32>
// CHECK: %[[D6:.*]] = tensor.expand_shape %[[DCOLS]] {{\[\[}}0, 1, 2], [3, 4, 5]] {{.*}} into tensor<2x3x3x?x3x3xf32>
// CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<?x2x7x7xf32>
// CHECK: linalg.generic {indexing_maps = [#[[COLS]], #[[WINDOWS]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[D6]] : tensor<2x3x3x?x3x3xf32>) outs(%[[ZEROS]] : tensor<?x2x7x7xf32>)
// CHECK: arith.addf
// CHECK-NOT: linalg.conv_2d
// CHECK-NOT: tensor.insert_slice
// Without im2col: the convolution of the dilated cotangent with the flipped
// filter.
// NOIM2COL-LABEL: func.func @backward_input
// NOIM2COL: tensor.insert_slice
// NOIM2COL: linalg.conv_2d_nchw_fchw
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
