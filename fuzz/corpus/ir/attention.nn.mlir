module @attention attributes {nn.optimizer = "sgd(lr=0.01)"} {
  func.func @forward(%arg0: tensor<?x?x16xf32> {nn.dims = ["B", "T", ""], nn.kind = "input", nn.name = "x"}, %arg1: tensor<?x?x16xf32> {nn.dims = ["B", "T", ""], nn.kind = "input", nn.name = "target"}, %arg2: tensor<16x16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "q.weight"}, %arg3: tensor<16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "q.bias"}, %arg4: tensor<16x16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "k.weight"}, %arg5: tensor<16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "k.bias"}, %arg6: tensor<16x16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "v.weight"}, %arg7: tensor<16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "v.bias"}, %arg8: tensor<16x16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "o.weight"}, %arg9: tensor<16xf32> {nn.init = "uniform(-0.25, 0.25)", nn.kind = "param", nn.name = "o.bias"}) -> (tensor<?x?x16xf32> {nn.kind = "output", nn.name = "y"}, tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
    %0 = nn.matmul %arg0, %arg2 transpose_b : tensor<?x?x16xf32>, tensor<16x16xf32> -> tensor<?x?x16xf32>
    %1 = nn.add %0, %arg3 : tensor<?x?x16xf32>, tensor<16xf32> -> tensor<?x?x16xf32>
    %2 = nn.matmul %arg0, %arg4 transpose_b : tensor<?x?x16xf32>, tensor<16x16xf32> -> tensor<?x?x16xf32>
    %3 = nn.add %2, %arg5 : tensor<?x?x16xf32>, tensor<16xf32> -> tensor<?x?x16xf32>
    %4 = nn.matmul %arg0, %arg6 transpose_b : tensor<?x?x16xf32>, tensor<16x16xf32> -> tensor<?x?x16xf32>
    %5 = nn.add %4, %arg7 : tensor<?x?x16xf32>, tensor<16xf32> -> tensor<?x?x16xf32>
    %6 = nn.transpose %3 perm = [0, 2, 1] : tensor<?x?x16xf32> -> tensor<?x16x?xf32>
    %7 = nn.matmul %1, %6 : tensor<?x?x16xf32>, tensor<?x16x?xf32> -> tensor<?x?x?xf32>
    %8 = nn.constant dense<2.500000e-01> : tensor<f32>
    %9 = nn.mul %7, %8 : tensor<?x?x?xf32>, tensor<f32> -> tensor<?x?x?xf32>
    %10 = nn.softmax %9 axis = 2 : tensor<?x?x?xf32>
    %11 = nn.matmul %10, %5 : tensor<?x?x?xf32>, tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    %12 = nn.matmul %11, %arg8 transpose_b : tensor<?x?x16xf32>, tensor<16x16xf32> -> tensor<?x?x16xf32>
    %13 = nn.add %12, %arg9 : tensor<?x?x16xf32>, tensor<16xf32> -> tensor<?x?x16xf32>
    %14 = nn.add %arg0, %13 : tensor<?x?x16xf32>, tensor<?x?x16xf32> -> tensor<?x?x16xf32>
    %15 = nn.mse %14, %arg1 : (tensor<?x?x16xf32>, tensor<?x?x16xf32>) -> tensor<f32>
    return %14, %15 : tensor<?x?x16xf32>, tensor<f32>
  }
}

