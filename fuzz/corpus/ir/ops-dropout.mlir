func.func @dropout(%x: tensor<?x32xf32>, %seed: tensor<i64>) {
  %0 = nn.dropout %x, %seed p = 0.5 stream = 0 training
      : tensor<?x32xf32>, tensor<i64>
  %1 = nn.dropout %x, %seed p = 0.0 stream = 3 : tensor<?x32xf32>, tensor<i64>
  return
}
