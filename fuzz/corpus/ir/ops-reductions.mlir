func.func @reductions(%x: tensor<?x32xf32>, %y: tensor<4x5x6xf64>) {
  %0 = nn.sum %x axes = [0] : tensor<?x32xf32> -> tensor<32xf32>
  %1 = nn.mean %x axes = [1] keepdims : tensor<?x32xf32> -> tensor<?x1xf32>
  %2 = nn.sum %y axes = [0, 2] keepdims : tensor<4x5x6xf64> -> tensor<1x5x1xf64>
  %3 = nn.mean %y axes = [0, 1, 2] : tensor<4x5x6xf64> -> tensor<f64>
  %4 = nn.sum %y axes = [] : tensor<4x5x6xf64> -> tensor<4x5x6xf64>
  %5 = nn.size %x axes = [0] : tensor<?x32xf32> -> tensor<f32>
  %6 = nn.size %y axes = [] : tensor<4x5x6xf64> -> tensor<f64>
  return
}
