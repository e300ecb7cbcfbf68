func.func @conv(%x: tensor<?x1x8x8xf32>, %w: tensor<8x1x3x3xf32>,
                %dy: tensor<?x8x8x8xf32>, %a: tensor<2x3x9x7xf64>,
                %b: tensor<4x3x3x2xf64>) {
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  %1 = nn.conv2d %a, %b stride = [2, 3] padding = [1, 0]
      : (tensor<2x3x9x7xf64>, tensor<4x3x3x2xf64>) -> tensor<2x4x5x2xf64>
  %2 = nn.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1]
      : (tensor<?x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x1x8x8xf32>
  %3 = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1]
      : (tensor<?x1x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<8x1x3x3xf32>
  return
}
