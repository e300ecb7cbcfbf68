func.func @layout(%k: tensor<?x?x16xf32>, %i: tensor<2x3xi64>,
                  %p: tensor<?x16x2x2xf32>, %n: index, %s: tensor<128xf32>,
                  %t: tensor<6xf32>) {
  %0 = nn.transpose %k perm = [0, 2, 1] : tensor<?x?x16xf32> -> tensor<?x16x?xf32>
  %1 = nn.transpose %i perm = [1, 0] : tensor<2x3xi64> -> tensor<3x2xi64>
  %2 = nn.reshape %p : tensor<?x16x2x2xf32> -> tensor<?x64xf32>
  %3 = nn.reshape %2 [%n] : tensor<?x64xf32> -> tensor<?x16x2x2xf32>
  %4 = nn.reshape %t : tensor<6xf32> -> tensor<2x3xf32>
  %5 = nn.reshape %i : tensor<2x3xi64> -> tensor<6xi64>
  %6 = nn.reshape %k [%n, %n] : tensor<?x?x16xf32> -> tensor<?x?xf32>
  %7 = nn.broadcast %s [%n] : tensor<128xf32> -> tensor<?x128xf32>
  %8 = nn.broadcast %t : tensor<6xf32> -> tensor<2x6xf32>
  %9 = nn.broadcast %i : tensor<2x3xi64> -> tensor<4x2x3xi64>
  return
}
