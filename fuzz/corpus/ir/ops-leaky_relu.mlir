func.func @leaky_relu(%x: tensor<4x8xf32>) {
  %0 = nn.leaky_relu %x : tensor<4x8xf32>
  %1 = nn.leaky_relu %x {alpha = 0.2 : f32} : tensor<4x8xf32>
  %2 = nn.relu_mask %x : tensor<4x8xf32>
  %3 = nn.relu_mask %x {alpha = 0.2 : f32} : tensor<4x8xf32>
  return
}
