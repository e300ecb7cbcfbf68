func.func @constant() -> (tensor<f32>, tensor<2x3xf32>, tensor<3xi64>,
                          tensor<2xi32>, tensor<f64>) {
  %0 = nn.constant dense<2.0> : tensor<f32>
  %1 = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %2 = nn.constant dense<[1, 2, 3]> : tensor<3xi64>
  %3 = nn.constant dense<7> : tensor<2xi32>
  %4 = nn.constant dense<0.5> : tensor<f64>
  return %0, %1, %2, %3, %4
      : tensor<f32>, tensor<2x3xf32>, tensor<3xi64>, tensor<2xi32>, tensor<f64>
}
