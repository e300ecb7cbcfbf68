func.func @binary(%a: tensor<?x128xf32>, %b: tensor<128xf32>, %c: tensor<f32>,
                  %d: tensor<4x1x3xf64>, %e: tensor<5x1xf64>,
                  %f: tensor<?x1xf32>) {
  %0 = nn.add %a, %b : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
  %1 = nn.sub %a, %a : tensor<?x128xf32>, tensor<?x128xf32> -> tensor<?x128xf32>
  %2 = nn.mul %c, %a : tensor<f32>, tensor<?x128xf32> -> tensor<?x128xf32>
  %3 = nn.div %a, %c : tensor<?x128xf32>, tensor<f32> -> tensor<?x128xf32>
  %4 = nn.add %d, %e : tensor<4x1x3xf64>, tensor<5x1xf64> -> tensor<4x5x3xf64>
  %5 = nn.mul %f, %b : tensor<?x1xf32>, tensor<128xf32> -> tensor<?x128xf32>
  return
}
