func.func @pool(%r: tensor<?x8x8x8xf32>, %q: tensor<1x2x5x7xf64>,
                %dy: tensor<?x8x4x4xf32>) {
  %0 = nn.max_pool2d %r kernel = [2, 2] stride = [2, 2]
      : tensor<?x8x8x8xf32> -> tensor<?x8x4x4xf32>
  %1 = nn.avg_pool2d %q kernel = [3, 2] stride = [1, 2]
      : tensor<1x2x5x7xf64> -> tensor<1x2x3x3xf64>
  %2 = nn.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2]
      : tensor<?x8x4x4xf32> -> tensor<?x8x8x8xf32>
  %3 = nn.max_pool2d_jvp %r, %r kernel = [2, 2] stride = [2, 2]
      : (tensor<?x8x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<?x8x4x4xf32>
  %4 = nn.max_pool2d_vjp %r, %dy kernel = [2, 2] stride = [2, 2]
      : (tensor<?x8x8x8xf32>, tensor<?x8x4x4xf32>) -> tensor<?x8x8x8xf32>
  return
}
