module @digits_cnn attributes {nn.optimizer = "adam(lr=0.01)"} {
  func.func @forward(%arg0: tensor<?x1x8x8xf32> {nn.dims = ["N", "", "", ""], nn.kind = "input", nn.name = "x"}, %arg1: tensor<?xi64> {nn.dims = ["N"], nn.kind = "input", nn.name = "label"}, %arg2: tensor<8x1x3x3xf32> {nn.init = "uniform(-0.3333333333333333, 0.3333333333333333)", nn.kind = "param", nn.name = "c1.weight"}, %arg3: tensor<8xf32> {nn.init = "uniform(-0.3333333333333333, 0.3333333333333333)", nn.kind = "param", nn.name = "c1.bias"}, %arg4: tensor<16x8x3x3xf32> {nn.init = "uniform(-0.11785113019775793, 0.11785113019775793)", nn.kind = "param", nn.name = "c2.weight"}, %arg5: tensor<16xf32> {nn.init = "uniform(-0.11785113019775793, 0.11785113019775793)", nn.kind = "param", nn.name = "c2.bias"}, %arg6: tensor<10x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "logits.weight"}, %arg7: tensor<10xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "logits.bias"}) -> (tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"}, tensor<f32> {nn.kind = "loss", nn.name = "ce"}) {
    %0 = nn.conv2d %arg0, %arg2 stride = [1, 1] padding = [1, 1] : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
    %1 = nn.reshape %arg3 : tensor<8xf32> -> tensor<8x1x1xf32>
    %2 = nn.add %0, %1 : tensor<?x8x8x8xf32>, tensor<8x1x1xf32> -> tensor<?x8x8x8xf32>
    %3 = nn.relu %2 : tensor<?x8x8x8xf32>
    %4 = nn.max_pool2d %3 kernel = [2, 2] stride = [2, 2] : tensor<?x8x8x8xf32> -> tensor<?x8x4x4xf32>
    %5 = nn.conv2d %4, %arg4 stride = [1, 1] padding = [1, 1] : (tensor<?x8x4x4xf32>, tensor<16x8x3x3xf32>) -> tensor<?x16x4x4xf32>
    %6 = nn.reshape %arg5 : tensor<16xf32> -> tensor<16x1x1xf32>
    %7 = nn.add %5, %6 : tensor<?x16x4x4xf32>, tensor<16x1x1xf32> -> tensor<?x16x4x4xf32>
    %8 = nn.relu %7 : tensor<?x16x4x4xf32>
    %9 = nn.avg_pool2d %8 kernel = [2, 2] stride = [2, 2] : tensor<?x16x4x4xf32> -> tensor<?x16x2x2xf32>
    %10 = nn.reshape %9 : tensor<?x16x2x2xf32> -> tensor<?x64xf32>
    %11 = nn.matmul %10, %arg6 transpose_b : tensor<?x64xf32>, tensor<10x64xf32> -> tensor<?x10xf32>
    %12 = nn.add %11, %arg7 : tensor<?x10xf32>, tensor<10xf32> -> tensor<?x10xf32>
    %13 = nn.softmax_cross_entropy %12, %arg1 : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
    return %12, %13 : tensor<?x10xf32>, tensor<f32>
  }
}

