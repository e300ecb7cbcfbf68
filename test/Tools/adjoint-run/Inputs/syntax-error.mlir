func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = nn.relu %x : tensor<?x3xf32
  return %y : tensor<?x3xf32>
}
