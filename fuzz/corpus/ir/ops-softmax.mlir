func.func @softmax(%s: tensor<?x?x?xf32>, %x: tensor<3x10xf64>) {
  %0 = nn.softmax %s axis = 2 : tensor<?x?x?xf32>
  %1 = nn.log_softmax %x axis = 0 : tensor<3x10xf64>
  return
}
