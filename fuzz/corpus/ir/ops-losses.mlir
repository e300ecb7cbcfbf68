func.func @losses(%y: tensor<?x32xf32>, %t: tensor<8x32xf32>,
                  %l: tensor<?x10xf32>, %lab: tensor<?xi64>,
                  %x: tensor<4x1xf64>) {
  %0 = nn.mse %y, %t : (tensor<?x32xf32>, tensor<8x32xf32>) -> tensor<f32>
  %1 = nn.softmax_cross_entropy %l, %lab
      : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
  %2 = nn.bce_with_logits %x, %x
      : (tensor<4x1xf64>, tensor<4x1xf64>) -> tensor<f64>
  return
}
