func.func @layernorm(%x: tensor<?x32xf32>, %w: tensor<32xf32>,
                     %b: tensor<32xf32>) {
  %0 = nn.layernorm %x, %w, %b eps = 1.0e-5
      : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  %1 = nn.layernorm %x, %w, %b eps = 1.0e-3
      : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  %2 = "nn.layernorm"(%x, %w, %b)
      : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return
}
