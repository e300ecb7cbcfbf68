// conv2d (stride, padding, several channels), max and average pooling, NCHW,
// against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; rng = np.random.default_rng(3); \
// RUN:   np.save('%t/x.npy', rng.standard_normal((2, 3, 7, 6)).astype(np.float32)); \
// RUN:   np.save('%t/w.npy', rng.standard_normal((4, 3, 3, 2)).astype(np.float32))"
// RUN: adjoint-run --engine=interp %s --input x=%t/x.npy --params %t --out %t/out
// RUN: %python -c "import numpy as np; from numpy.lib.stride_tricks import sliding_window_view as win; \
// RUN:   x = np.load('%t/x.npy').astype(np.float64); w = np.load('%t/w.npy').astype(np.float64); \
// RUN:   xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (0, 0))); \
// RUN:   conv = np.einsum('nchwij,ocij->nohw', win(xp, (3, 2), axis=(2, 3))[:, :, ::2, :, :, :], w); \
// RUN:   pools = win(x, (2, 2), axis=(2, 3))[:, :, ::2, ::2]; \
// RUN:   expected = {'conv': conv, 'maxpool': pools.max(axis=(4, 5)), 'avgpool': pools.mean(axis=(4, 5))}; \
// RUN:   out = lambda name: np.load('%t/out/outputs/' + name + '.npy'); \
// RUN:   [np.testing.assert_allclose(out(k), v, rtol=1e-5, atol=1e-5, err_msg=k) for k, v in expected.items()]; \
// RUN:   print([out(k).shape for k in expected])" | FileCheck %s
// CHECK: [(2, 4, 4, 5), (2, 3, 3, 3), (2, 3, 3, 3)]

func.func @forward(%x: tensor<?x3x7x6xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", "", "", ""]},
                   %w: tensor<4x3x3x2xf32> {nn.name = "w", nn.kind = "param"})
    -> (tensor<?x4x4x5xf32> {nn.name = "conv", nn.kind = "output"},
        tensor<?x3x3x3xf32> {nn.name = "maxpool", nn.kind = "output"},
        tensor<?x3x3x3xf32> {nn.name = "avgpool", nn.kind = "output"}) {
  %conv = nn.conv2d %x, %w stride = [2, 1] padding = [1, 0]
      : (tensor<?x3x7x6xf32>, tensor<4x3x3x2xf32>) -> tensor<?x4x4x5xf32>
  %max = nn.max_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<?x3x7x6xf32> -> tensor<?x3x3x3xf32>
  %avg = nn.avg_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<?x3x7x6xf32> -> tensor<?x3x3x3xf32>
  return %conv, %max, %avg : tensor<?x4x4x5xf32>, tensor<?x3x3x3xf32>, tensor<?x3x3x3xf32>
}
