func.func @forward(%x: tensor<?x3xf32> {nn.name = "x", nn.kind = "input"},
                   %seed: tensor<i64> {nn.name = "seed", nn.kind = "seed"})
    -> (tensor<?x3xf32> {nn.name = "y", nn.kind = "output"},
        tensor<f32> {nn.name = "l", nn.kind = "loss"}) {
  %y = nn.dropout %x, %seed p = 5.000000e-01 stream = 0 : tensor<?x3xf32>, tensor<i64>
  %l = nn.mean %y axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  return %y, %l : tensor<?x3xf32>, tensor<f32>
}
