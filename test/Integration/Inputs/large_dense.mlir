// A dense layer large enough for the threaded paths: its products (N x 256
// x 512 multiply-adds) and its elementwise ops (N x 256) are above the
// thresholds of adjoint-matmul-microkernels{parallel} and
// adjoint-parallel-elementwise at N = 300.
module @large_dense {
  func.func @forward(%x: tensor<?x512xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]}, %w: tensor<256x512xf32> {nn.name = "w", nn.kind = "param"}, %b: tensor<256xf32> {nn.name = "b", nn.kind = "param"}, %t: tensor<?x256xf32> {nn.name = "t", nn.kind = "input", nn.dims = ["N", ""]}) -> (tensor<?x256xf32> {nn.name = "y", nn.kind = "output"}, tensor<f32> {nn.name = "loss", nn.kind = "loss"}) {
    %z = nn.matmul %x, %w transpose_b : tensor<?x512xf32>, tensor<256x512xf32> -> tensor<?x256xf32>
    %zb = nn.add %z, %b : tensor<?x256xf32>, tensor<256xf32> -> tensor<?x256xf32>
    %y = nn.relu %zb : tensor<?x256xf32>
    %l = nn.mse %y, %t : (tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<f32>
    return %y, %l : tensor<?x256xf32>, tensor<f32>
  }
}
