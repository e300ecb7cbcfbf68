// --grad evaluates the module's own @gradient when it has one, and finds its
// results by nn.kind and nn.name, not by position: here they come as
// (grad, loss, output, grad).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; rng = np.random.default_rng(6); \
// RUN:   np.save('%t/x.npy', rng.standard_normal((4, 3)).astype(np.float32)); \
// RUN:   np.save('%t/w.npy', rng.standard_normal((3,)).astype(np.float32))"
// RUN: adjoint-run %s --grad --input x=%t/x.npy --params %t --out %t/out
// RUN: %python -c "import numpy as np; \
// RUN:   x = np.load('%t/x.npy').astype(np.float64); w = np.load('%t/w.npy').astype(np.float64); \
// RUN:   ld = lambda name: np.load('%t/out/' + name + '.npy'); \
// RUN:   np.testing.assert_allclose(ld('outputs/y'), x * w, rtol=1e-6); \
// RUN:   np.testing.assert_allclose(ld('loss'), (x * w).sum(), rtol=1e-5); \
// RUN:   np.testing.assert_allclose(ld('grad/w'), x.sum(axis=0), rtol=1e-5); \
// RUN:   np.testing.assert_allclose(ld('grad/x'), np.broadcast_to(w, (4, 3)), rtol=1e-6); \
// RUN:   print(ld('loss').shape, ld('grad/w').shape, ld('grad/x').shape, ld('grad/x').dtype)" | FileCheck %s
// CHECK: () (3,) (4, 3) float32

func.func @forward(%x: tensor<?x3xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]},
                   %w: tensor<3xf32> {nn.name = "w", nn.kind = "param"})
    -> (tensor<?x3xf32> {nn.name = "y", nn.kind = "output"},
        tensor<f32> {nn.name = "l", nn.kind = "loss"}) {
  %y = nn.mul %x, %w : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %l = nn.sum %y axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  return %y, %l : tensor<?x3xf32>, tensor<f32>
}

func.func @gradient(%x: tensor<?x3xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]},
                    %w: tensor<3xf32> {nn.name = "w", nn.kind = "param"})
    -> (tensor<3xf32> {nn.name = "grad.w", nn.kind = "grad"},
        tensor<f32> {nn.name = "l", nn.kind = "loss"},
        tensor<?x3xf32> {nn.name = "y", nn.kind = "output"},
        tensor<?x3xf32> {nn.name = "grad.x", nn.kind = "grad"}) {
  %y = nn.mul %x, %w : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %l = nn.sum %y axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
  %gw = nn.sum %x axes = [0] : tensor<?x3xf32> -> tensor<3xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %gx = nn.broadcast %w [%n] : tensor<3xf32> -> tensor<?x3xf32>
  return %gw, %l, %y, %gx : tensor<3xf32>, tensor<f32>, tensor<?x3xf32>, tensor<?x3xf32>
}
