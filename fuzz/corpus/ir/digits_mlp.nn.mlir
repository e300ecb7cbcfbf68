module @digits_mlp attributes {nn.optimizer = "sgd(lr=0.1, momentum=0.9)"} {
  func.func @forward(%arg0: tensor<?x64xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "x"}, %arg1: tensor<?xi64> {nn.dims = ["N"], nn.kind = "input", nn.name = "label"}, %arg2: tensor<128x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.weight"}, %arg3: tensor<128xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.bias"}, %arg4: tensor<10x128xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.weight"}, %arg5: tensor<10xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.bias"}) -> (tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"}, tensor<f32> {nn.kind = "loss", nn.name = "ce"}) {
    %0 = nn.matmul %arg0, %arg2 transpose_b : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    %1 = nn.add %0, %arg3 : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
    %2 = nn.relu %1 : tensor<?x128xf32>
    %3 = nn.matmul %2, %arg4 transpose_b : tensor<?x128xf32>, tensor<10x128xf32> -> tensor<?x10xf32>
    %4 = nn.add %3, %arg5 : tensor<?x10xf32>, tensor<10xf32> -> tensor<?x10xf32>
    %5 = nn.softmax_cross_entropy %4, %arg1 : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
    return %4, %5 : tensor<?x10xf32>, tensor<f32>
  }
}

