func.func @matmul(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>,
                  %a: tensor<2x?x3x4xf32>, %b: tensor<4x5xf32>,
                  %c: tensor<4x3xf32>, %d: tensor<1x6x4xf64>,
                  %e: tensor<4x3xf64>) {
  %0 = nn.matmul %x, %w transpose_b
      : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  %1 = nn.matmul %a, %b
      : tensor<2x?x3x4xf32>, tensor<4x5xf32> -> tensor<2x?x3x5xf32>
  %2 = nn.matmul %c, %b transpose_a
      : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  %3 = nn.matmul %e, %d transpose_a transpose_b
      : tensor<4x3xf64>, tensor<1x6x4xf64> -> tensor<1x3x6xf64>
  return
}
