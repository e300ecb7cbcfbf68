func.func @unary(%x: tensor<?x8xf32>, %s: tensor<f64>, %t: tensor<2x3xf32>) {
  %0 = nn.neg %x : tensor<?x8xf32>
  %1 = nn.exp %x : tensor<?x8xf32>
  %2 = nn.log %x : tensor<?x8xf32>
  %3 = nn.sqrt %x : tensor<?x8xf32>
  %4 = nn.relu %x : tensor<?x8xf32>
  %5 = nn.sigmoid %x : tensor<?x8xf32>
  %6 = nn.tanh %x : tensor<?x8xf32>
  %7 = nn.gelu %x : tensor<?x8xf32>
  %8 = nn.gelu_deriv %x : tensor<?x8xf32>
  %9 = nn.relu %s : tensor<f64>
  %10 = nn.exp %t : tensor<2x3xf32>
  return
}
