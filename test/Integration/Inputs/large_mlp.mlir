// Two dense layers large enough for the threaded paths at N = 300, whose
// products have epilogues (adjoint-matmul-microkernels{epilogues}): bias and
// relu after the forward products, the relu mask and the bias gradient's
// column sums after the backward product dA1 = dZ2 W2. Its second layer
// sums 256 terms of magnitude 10 or so, to outputs near zero: compare with
// --rtol=1e-3 --atol=1e-3.
module @large_mlp {
  func.func @forward(%x: tensor<?x512xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]}, %w1: tensor<256x512xf32> {nn.name = "w1", nn.kind = "param"}, %b1: tensor<256xf32> {nn.name = "b1", nn.kind = "param"}, %w2: tensor<256x256xf32> {nn.name = "w2", nn.kind = "param"}, %b2: tensor<256xf32> {nn.name = "b2", nn.kind = "param"}, %t: tensor<?x256xf32> {nn.name = "t", nn.kind = "input", nn.dims = ["N", ""]}) -> (tensor<?x256xf32> {nn.name = "y", nn.kind = "output"}, tensor<f32> {nn.name = "loss", nn.kind = "loss"}) {
    %z1 = nn.matmul %x, %w1 transpose_b : tensor<?x512xf32>, tensor<256x512xf32> -> tensor<?x256xf32>
    %h1 = nn.add %z1, %b1 : tensor<?x256xf32>, tensor<256xf32> -> tensor<?x256xf32>
    %a1 = nn.relu %h1 : tensor<?x256xf32>
    %z2 = nn.matmul %a1, %w2 transpose_b : tensor<?x256xf32>, tensor<256x256xf32> -> tensor<?x256xf32>
    %h2 = nn.add %z2, %b2 : tensor<?x256xf32>, tensor<256xf32> -> tensor<?x256xf32>
    %y = nn.relu %h2 : tensor<?x256xf32>
    %l = nn.mse %y, %t : (tensor<?x256xf32>, tensor<?x256xf32>) -> tensor<f32>
    return %y, %l : tensor<?x256xf32>, tensor<f32>
  }
}
