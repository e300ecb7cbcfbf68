module @residual_block attributes {nn.optimizer = "adam(lr=0.001)"} {
  func.func @forward(%arg0: tensor<?x32xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "x"}, %arg1: tensor<?x32xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "target"}, %arg2: tensor<32xf32> {nn.init = "ones", nn.kind = "param", nn.name = "n1.weight"}, %arg3: tensor<32xf32> {nn.init = "zeros", nn.kind = "param", nn.name = "n1.bias"}, %arg4: tensor<64x32xf32> {nn.init = "uniform(-0.17677669529663687, 0.17677669529663687)", nn.kind = "param", nn.name = "h1.weight"}, %arg5: tensor<64xf32> {nn.init = "uniform(-0.17677669529663687, 0.17677669529663687)", nn.kind = "param", nn.name = "h1.bias"}, %arg6: tensor<32x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h2.weight"}, %arg7: tensor<32xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h2.bias"}, %arg8: tensor<32xf32> {nn.init = "ones", nn.kind = "param", nn.name = "n2.weight"}, %arg9: tensor<32xf32> {nn.init = "zeros", nn.kind = "param", nn.name = "n2.bias"}) -> (tensor<?x32xf32> {nn.kind = "output", nn.name = "n2"}, tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
    %0 = nn.layernorm %arg0, %arg2, %arg3 eps = 1.000000e-05 : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
    %1 = nn.matmul %0, %arg4 transpose_b : tensor<?x32xf32>, tensor<64x32xf32> -> tensor<?x64xf32>
    %2 = nn.add %1, %arg5 : tensor<?x64xf32>, tensor<64xf32> -> tensor<?x64xf32>
    %3 = nn.gelu %2 : tensor<?x64xf32>
    %4 = nn.matmul %3, %arg6 transpose_b : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
    %5 = nn.add %4, %arg7 : tensor<?x32xf32>, tensor<32xf32> -> tensor<?x32xf32>
    %6 = nn.add %arg0, %5 : tensor<?x32xf32>, tensor<?x32xf32> -> tensor<?x32xf32>
    %7 = nn.layernorm %6, %arg8, %arg9 eps = 1.000000e-05 : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
    %8 = nn.mse %7, %arg1 : (tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<f32>
    return %7, %8 : tensor<?x32xf32>, tensor<f32>
  }
}

