func.func @attributes(
    %x: tensor<?x64xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]},
    %w: tensor<128x64xf32> {nn.name = "h.weight", nn.kind = "param",
                            nn.init = "uniform(-0.125, 0.125)"},
    %rm: tensor<8xf32> {nn.name = "bn.running_mean", nn.kind = "buffer",
                        nn.init = "zeros"},
    %seed: tensor<i64> {nn.name = "seed", nn.kind = "seed"})
    -> (tensor<?x128xf32> {nn.name = "h", nn.kind = "output", nn.dims = ["N", ""]},
        tensor<f32> {nn.name = "loss", nn.kind = "loss"},
        tensor<128x64xf32> {nn.name = "grad.h.weight", nn.kind = "grad"},
        tensor<8xf32> {nn.name = "bn.running_mean", nn.kind = "buffer"},
        tensor<8xf32> {nn.name = "opt.m", nn.kind = "state"}) {
  %h = nn.matmul %x, %w transpose_b
      : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  %l = nn.constant dense<0.0> : tensor<f32>
  return %h, %l, %w, %rm, %rm
      : tensor<?x128xf32>, tensor<f32>, tensor<128x64xf32>, tensor<8xf32>,
        tensor<8xf32>
}
