func.func @forward(%x: tensor<?x3xf32> {nn.name = "x", nn.kind = "input"},
                   %w: tensor<3xf32> {nn.name = "w", nn.kind = "param"})
    -> (tensor<?x3xf32> {nn.name = "y", nn.kind = "output"}) {
  %y = nn.mul %x, %w : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
