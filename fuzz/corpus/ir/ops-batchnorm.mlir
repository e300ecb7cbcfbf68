func.func @batchnorm(%y: tensor<?x8x4x4xf32>, %g: tensor<8xf32>,
                     %z: tensor<3x8xf64>, %h: tensor<8xf64>) {
  %0:3 = nn.batchnorm %y, %g, %g, %g, %g eps = 1.0e-5 momentum = 0.1 training
      : (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
         tensor<8xf32>) -> (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>)
  %1:3 = nn.batchnorm %z, %h, %h, %h, %h eps = 1.0e-3 momentum = 0.5
      : (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>,
         tensor<8xf64>) -> (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>)
  %2:3 = "nn.batchnorm"(%z, %h, %h, %h, %h)
      : (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>,
         tensor<8xf64>) -> (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>)
  return
}
