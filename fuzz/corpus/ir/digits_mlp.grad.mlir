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
  func.func @gradient(%arg0: tensor<?x64xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "x"}, %arg1: tensor<?xi64> {nn.dims = ["N"], nn.kind = "input", nn.name = "label"}, %arg2: tensor<128x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.weight"}, %arg3: tensor<128xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.bias"}, %arg4: tensor<10x128xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.weight"}, %arg5: tensor<10xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.bias"}) -> (tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"}, tensor<f32> {nn.kind = "loss", nn.name = "ce"}, tensor<128x64xf32> {nn.kind = "grad", nn.name = "grad.h.weight"}, tensor<128xf32> {nn.kind = "grad", nn.name = "grad.h.bias"}, tensor<10x128xf32> {nn.kind = "grad", nn.name = "grad.logits.weight"}, tensor<10xf32> {nn.kind = "grad", nn.name = "grad.logits.bias"}, tensor<?x64xf32> {nn.kind = "grad", nn.name = "grad.x"}) {
    %c0 = arith.constant 0 : index
    %0 = nn.constant dense<1.000000e+00> : tensor<f32>
    %1 = nn.matmul %arg0, %arg2 transpose_b : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    %2 = nn.add %1, %arg3 : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
    %3 = nn.relu %2 : tensor<?x128xf32>
    %4 = nn.relu_mask %2 : tensor<?x128xf32>
    %5 = nn.matmul %3, %arg4 transpose_b : tensor<?x128xf32>, tensor<10x128xf32> -> tensor<?x10xf32>
    %6 = nn.add %5, %arg5 : tensor<?x10xf32>, tensor<10xf32> -> tensor<?x10xf32>
    %7 = nn.softmax_cross_entropy %6, %arg1 : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
    %8 = nn.softmax %6 axis = 1 : tensor<?x10xf32>
    %9 = nn.one_hot %arg1 : tensor<?xi64> -> tensor<?x10xf32>
    %10 = nn.sub %8, %9 : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x10xf32>
    %11 = nn.size %6 axes = [0] : tensor<?x10xf32> -> tensor<f32>
    %12 = nn.div %0, %11 : tensor<f32>, tensor<f32> -> tensor<f32>
    %13 = nn.reshape %12 : tensor<f32> -> tensor<1x1xf32>
    %dim = tensor.dim %6, %c0 : tensor<?x10xf32>
    %14 = nn.broadcast %13[%dim] : tensor<1x1xf32> -> tensor<?x10xf32>
    %15 = nn.mul %14, %10 : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x10xf32>
    %16 = nn.sum %15 axes = [0] : tensor<?x10xf32> -> tensor<10xf32>
    %17 = nn.matmul %15, %3 transpose_a : tensor<?x10xf32>, tensor<?x128xf32> -> tensor<10x128xf32>
    %18 = nn.matmul %15, %arg4 : tensor<?x10xf32>, tensor<10x128xf32> -> tensor<?x128xf32>
    %19 = nn.mul %18, %4 : tensor<?x128xf32>, tensor<?x128xf32> -> tensor<?x128xf32>
    %20 = nn.sum %19 axes = [0] : tensor<?x128xf32> -> tensor<128xf32>
    %21 = nn.matmul %19, %arg0 transpose_a : tensor<?x128xf32>, tensor<?x64xf32> -> tensor<128x64xf32>
    %22 = nn.matmul %19, %arg2 : tensor<?x128xf32>, tensor<128x64xf32> -> tensor<?x64xf32>
    return %6, %7, %21, %20, %17, %16, %22 : tensor<?x10xf32>, tensor<f32>, tensor<128x64xf32>, tensor<128xf32>, tensor<10x128xf32>, tensor<10xf32>, tensor<?x64xf32>
  }
  func.func @train_step(%arg0: tensor<?x64xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "x"}, %arg1: tensor<?xi64> {nn.dims = ["N"], nn.kind = "input", nn.name = "label"}, %arg2: tensor<128x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.weight"}, %arg3: tensor<128xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.bias"}, %arg4: tensor<10x128xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.weight"}, %arg5: tensor<10xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.bias"}, %arg6: tensor<128x64xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.h.weight.momentum_buffer"}, %arg7: tensor<128xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.h.bias.momentum_buffer"}, %arg8: tensor<10x128xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.logits.weight.momentum_buffer"}, %arg9: tensor<10xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.logits.bias.momentum_buffer"}) -> (tensor<f32> {nn.kind = "loss", nn.name = "ce"}, tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"}, tensor<128x64xf32> {nn.kind = "param", nn.name = "h.weight"}, tensor<128xf32> {nn.kind = "param", nn.name = "h.bias"}, tensor<10x128xf32> {nn.kind = "param", nn.name = "logits.weight"}, tensor<10xf32> {nn.kind = "param", nn.name = "logits.bias"}, tensor<128x64xf32> {nn.kind = "state", nn.name = "optimizer.h.weight.momentum_buffer"}, tensor<128xf32> {nn.kind = "state", nn.name = "optimizer.h.bias.momentum_buffer"}, tensor<10x128xf32> {nn.kind = "state", nn.name = "optimizer.logits.weight.momentum_buffer"}, tensor<10xf32> {nn.kind = "state", nn.name = "optimizer.logits.bias.momentum_buffer"}) attributes {nn.accuracy = {labels = 1 : i64, logits = 1 : i64}} {
    %c0 = arith.constant 0 : index
    %0 = nn.constant dense<1.000000e+00> : tensor<f32>
    %1 = nn.matmul %arg0, %arg2 transpose_b : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    %2 = nn.add %1, %arg3 : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
    %3 = nn.relu %2 : tensor<?x128xf32>
    %4 = nn.relu_mask %2 : tensor<?x128xf32>
    %5 = nn.matmul %3, %arg4 transpose_b : tensor<?x128xf32>, tensor<10x128xf32> -> tensor<?x10xf32>
    %6 = nn.add %5, %arg5 : tensor<?x10xf32>, tensor<10xf32> -> tensor<?x10xf32>
    %7 = nn.softmax_cross_entropy %6, %arg1 : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
    %8 = nn.softmax %6 axis = 1 : tensor<?x10xf32>
    %9 = nn.one_hot %arg1 : tensor<?xi64> -> tensor<?x10xf32>
    %10 = nn.sub %8, %9 : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x10xf32>
    %11 = nn.size %6 axes = [0] : tensor<?x10xf32> -> tensor<f32>
    %12 = nn.div %0, %11 : tensor<f32>, tensor<f32> -> tensor<f32>
    %13 = nn.reshape %12 : tensor<f32> -> tensor<1x1xf32>
    %dim = tensor.dim %6, %c0 : tensor<?x10xf32>
    %14 = nn.broadcast %13[%dim] : tensor<1x1xf32> -> tensor<?x10xf32>
    %15 = nn.mul %14, %10 : tensor<?x10xf32>, tensor<?x10xf32> -> tensor<?x10xf32>
    %16 = nn.sum %15 axes = [0] : tensor<?x10xf32> -> tensor<10xf32>
    %17 = nn.matmul %15, %3 transpose_a : tensor<?x10xf32>, tensor<?x128xf32> -> tensor<10x128xf32>
    %18 = nn.matmul %15, %arg4 : tensor<?x10xf32>, tensor<10x128xf32> -> tensor<?x128xf32>
    %19 = nn.mul %18, %4 : tensor<?x128xf32>, tensor<?x128xf32> -> tensor<?x128xf32>
    %20 = nn.sum %19 axes = [0] : tensor<?x128xf32> -> tensor<128xf32>
    %21 = nn.matmul %19, %arg0 transpose_a : tensor<?x128xf32>, tensor<?x64xf32> -> tensor<128x64xf32>
    %22 = nn.constant dense<0.899999976> : tensor<f32>
    %23 = nn.mul %arg6, %22 : tensor<128x64xf32>, tensor<f32> -> tensor<128x64xf32>
    %24 = nn.add %23, %21 : tensor<128x64xf32>, tensor<128x64xf32> -> tensor<128x64xf32>
    %25 = nn.constant dense<1.000000e-01> : tensor<f32>
    %26 = nn.mul %24, %25 : tensor<128x64xf32>, tensor<f32> -> tensor<128x64xf32>
    %27 = nn.sub %arg2, %26 : tensor<128x64xf32>, tensor<128x64xf32> -> tensor<128x64xf32>
    %28 = nn.mul %arg7, %22 : tensor<128xf32>, tensor<f32> -> tensor<128xf32>
    %29 = nn.add %28, %20 : tensor<128xf32>, tensor<128xf32> -> tensor<128xf32>
    %30 = nn.mul %29, %25 : tensor<128xf32>, tensor<f32> -> tensor<128xf32>
    %31 = nn.sub %arg3, %30 : tensor<128xf32>, tensor<128xf32> -> tensor<128xf32>
    %32 = nn.mul %arg8, %22 : tensor<10x128xf32>, tensor<f32> -> tensor<10x128xf32>
    %33 = nn.add %32, %17 : tensor<10x128xf32>, tensor<10x128xf32> -> tensor<10x128xf32>
    %34 = nn.mul %33, %25 : tensor<10x128xf32>, tensor<f32> -> tensor<10x128xf32>
    %35 = nn.sub %arg4, %34 : tensor<10x128xf32>, tensor<10x128xf32> -> tensor<10x128xf32>
    %36 = nn.mul %arg9, %22 : tensor<10xf32>, tensor<f32> -> tensor<10xf32>
    %37 = nn.add %36, %16 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    %38 = nn.mul %37, %25 : tensor<10xf32>, tensor<f32> -> tensor<10xf32>
    %39 = nn.sub %arg5, %38 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    return %7, %6, %27, %31, %35, %39, %24, %29, %33, %37 : tensor<f32>, tensor<?x10xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<10x128xf32>, tensor<10xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<10x128xf32>, tensor<10xf32>
  }
  func.func @eval_step(%arg0: tensor<?x64xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "x"}, %arg1: tensor<?xi64> {nn.dims = ["N"], nn.kind = "input", nn.name = "label"}, %arg2: tensor<128x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.weight"}, %arg3: tensor<128xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.bias"}, %arg4: tensor<10x128xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.weight"}, %arg5: tensor<10xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.bias"}) -> (tensor<f32> {nn.kind = "loss", nn.name = "ce"}, tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"}) attributes {nn.accuracy = {labels = 1 : i64, logits = 1 : i64}} {
    %0 = nn.matmul %arg0, %arg2 transpose_b : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    %1 = nn.add %0, %arg3 : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
    %2 = nn.relu %1 : tensor<?x128xf32>
    %3 = nn.matmul %2, %arg4 transpose_b : tensor<?x128xf32>, tensor<10x128xf32> -> tensor<?x10xf32>
    %4 = nn.add %3, %arg5 : tensor<?x10xf32>, tensor<10xf32> -> tensor<?x10xf32>
    %5 = nn.softmax_cross_entropy %4, %arg1 : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
    return %5, %4 : tensor<f32>, tensor<?x10xf32>
  }
  func.func @apply_update(%arg0: tensor<128x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.weight"}, %arg1: tensor<128xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.bias"}, %arg2: tensor<10x128xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.weight"}, %arg3: tensor<10xf32> {nn.init = "uniform(-0.08838834764831843, 0.08838834764831843)", nn.kind = "param", nn.name = "logits.bias"}, %arg4: tensor<128x64xf32> {nn.kind = "grad", nn.name = "grad.h.weight"}, %arg5: tensor<128xf32> {nn.kind = "grad", nn.name = "grad.h.bias"}, %arg6: tensor<10x128xf32> {nn.kind = "grad", nn.name = "grad.logits.weight"}, %arg7: tensor<10xf32> {nn.kind = "grad", nn.name = "grad.logits.bias"}, %arg8: tensor<128x64xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.h.weight.momentum_buffer"}, %arg9: tensor<128xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.h.bias.momentum_buffer"}, %arg10: tensor<10x128xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.logits.weight.momentum_buffer"}, %arg11: tensor<10xf32> {nn.init = "zeros", nn.kind = "state", nn.name = "optimizer.logits.bias.momentum_buffer"}) -> (tensor<128x64xf32> {nn.kind = "param", nn.name = "h.weight"}, tensor<128xf32> {nn.kind = "param", nn.name = "h.bias"}, tensor<10x128xf32> {nn.kind = "param", nn.name = "logits.weight"}, tensor<10xf32> {nn.kind = "param", nn.name = "logits.bias"}, tensor<128x64xf32> {nn.kind = "state", nn.name = "optimizer.h.weight.momentum_buffer"}, tensor<128xf32> {nn.kind = "state", nn.name = "optimizer.h.bias.momentum_buffer"}, tensor<10x128xf32> {nn.kind = "state", nn.name = "optimizer.logits.weight.momentum_buffer"}, tensor<10xf32> {nn.kind = "state", nn.name = "optimizer.logits.bias.momentum_buffer"}) {
    %0 = nn.constant dense<0.899999976> : tensor<f32>
    %1 = nn.mul %arg8, %0 : tensor<128x64xf32>, tensor<f32> -> tensor<128x64xf32>
    %2 = nn.add %1, %arg4 : tensor<128x64xf32>, tensor<128x64xf32> -> tensor<128x64xf32>
    %3 = nn.constant dense<1.000000e-01> : tensor<f32>
    %4 = nn.mul %2, %3 : tensor<128x64xf32>, tensor<f32> -> tensor<128x64xf32>
    %5 = nn.sub %arg0, %4 : tensor<128x64xf32>, tensor<128x64xf32> -> tensor<128x64xf32>
    %6 = nn.mul %arg9, %0 : tensor<128xf32>, tensor<f32> -> tensor<128xf32>
    %7 = nn.add %6, %arg5 : tensor<128xf32>, tensor<128xf32> -> tensor<128xf32>
    %8 = nn.mul %7, %3 : tensor<128xf32>, tensor<f32> -> tensor<128xf32>
    %9 = nn.sub %arg1, %8 : tensor<128xf32>, tensor<128xf32> -> tensor<128xf32>
    %10 = nn.mul %arg10, %0 : tensor<10x128xf32>, tensor<f32> -> tensor<10x128xf32>
    %11 = nn.add %10, %arg6 : tensor<10x128xf32>, tensor<10x128xf32> -> tensor<10x128xf32>
    %12 = nn.mul %11, %3 : tensor<10x128xf32>, tensor<f32> -> tensor<10x128xf32>
    %13 = nn.sub %arg2, %12 : tensor<10x128xf32>, tensor<10x128xf32> -> tensor<10x128xf32>
    %14 = nn.mul %arg11, %0 : tensor<10xf32>, tensor<f32> -> tensor<10xf32>
    %15 = nn.add %14, %arg7 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    %16 = nn.mul %15, %3 : tensor<10xf32>, tensor<f32> -> tensor<10xf32>
    %17 = nn.sub %arg3, %16 : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
    return %5, %9, %13, %17, %2, %7, %11, %15 : tensor<128x64xf32>, tensor<128xf32>, tensor<10x128xf32>, tensor<10xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<10x128xf32>, tensor<10xf32>
  }
}

