func.func @embedding(%ids: tensor<?x8xi64>, %w: tensor<100x16xf32>,
                     %de: tensor<?x8x16xf32>, %i32: tensor<3xi32>,
                     %labels: tensor<?xi64>) {
  %0 = nn.embedding %ids, %w
      : (tensor<?x8xi64>, tensor<100x16xf32>) -> tensor<?x8x16xf32>
  %1 = nn.embedding %i32, %w
      : (tensor<3xi32>, tensor<100x16xf32>) -> tensor<3x16xf32>
  %2 = nn.embedding_backward %ids, %de
      : (tensor<?x8xi64>, tensor<?x8x16xf32>) -> tensor<100x16xf32>
  %3 = nn.one_hot %labels : tensor<?xi64> -> tensor<?x10xf32>
  %4 = nn.one_hot %i32 : tensor<3xi32> -> tensor<3x5xf64>
  return
}
