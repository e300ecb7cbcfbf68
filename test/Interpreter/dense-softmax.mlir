// A dense layer (matmul with transpose_b plus a broadcast bias), softmax,
// log_softmax, layernorm, reductions and layout ops, against numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; rng = np.random.default_rng(2); \
// RUN:   np.save('%t/x.npy', rng.standard_normal((5, 6)).astype(np.float32)); \
// RUN:   np.save('%t/w.npy', rng.standard_normal((3, 6)).astype(np.float32)); \
// RUN:   np.save('%t/b.npy', rng.standard_normal((3,)).astype(np.float32)); \
// RUN:   np.save('%t/g.npy', rng.uniform(0.5, 1.5, (3,)).astype(np.float32)); \
// RUN:   np.save('%t/beta.npy', rng.standard_normal((3,)).astype(np.float32))"
// RUN: adjoint-run --engine=interp %s --input x=%t/x.npy --params %t --out %t/out
// RUN: %python -c "import numpy as np; \
// RUN:   ld = lambda name: np.load('%t/' + name + '.npy').astype(np.float64); \
// RUN:   x, w, b, g, beta = ld('x'), ld('w'), ld('b'), ld('g'), ld('beta'); \
// RUN:   z = x @ w.T + b; e = np.exp(z - z.max(axis=1, keepdims=True)); sm = e / e.sum(axis=1, keepdims=True); \
// RUN:   mu = z.mean(axis=1, keepdims=True); var = z.var(axis=1, keepdims=True); \
// RUN:   expected = {'z': z, 'softmax': sm, 'log_softmax': np.log(sm), \
// RUN:     'layernorm': (z - mu) / np.sqrt(var + 1e-5) * g + beta, 'colsum': z.sum(axis=0), \
// RUN:     'rowmean': z.mean(axis=1, keepdims=True), 'zt': z.T, 'flat': z.reshape(15), \
// RUN:     'cat': np.concatenate([z, x], axis=1), 'middle': x[:, 2:4], \
// RUN:     'padded': np.pad(z, ((1, 0), (0, 2)))}; \
// RUN:   out = lambda name: np.load('%t/out/outputs/' + name + '.npy'); \
// RUN:   [np.testing.assert_allclose(out(k), v, rtol=1e-5, atol=1e-6, err_msg=k) for k, v in expected.items()]; \
// RUN:   assert all(out(k).dtype == np.dtype('<f4') and out(k).shape == v.shape for k, v in expected.items()); \
// RUN:   print('checked', len(expected))" | FileCheck %s
// CHECK: checked 11

func.func @forward(%x: tensor<?x6xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]},
                   %w: tensor<3x6xf32> {nn.name = "w", nn.kind = "param"},
                   %b: tensor<3xf32> {nn.name = "b", nn.kind = "param"},
                   %g: tensor<3xf32> {nn.name = "g", nn.kind = "param"},
                   %beta: tensor<3xf32> {nn.name = "beta", nn.kind = "param"})
    -> (tensor<?x3xf32> {nn.name = "z", nn.kind = "output"},
        tensor<?x3xf32> {nn.name = "softmax", nn.kind = "output"},
        tensor<?x3xf32> {nn.name = "log_softmax", nn.kind = "output"},
        tensor<?x3xf32> {nn.name = "layernorm", nn.kind = "output"},
        tensor<3xf32> {nn.name = "colsum", nn.kind = "output"},
        tensor<?x1xf32> {nn.name = "rowmean", nn.kind = "output"},
        tensor<3x?xf32> {nn.name = "zt", nn.kind = "output"},
        tensor<?xf32> {nn.name = "flat", nn.kind = "output"},
        tensor<?x9xf32> {nn.name = "cat", nn.kind = "output"},
        tensor<?x2xf32> {nn.name = "middle", nn.kind = "output"},
        tensor<?x5xf32> {nn.name = "padded", nn.kind = "output"}) {
  %mm = nn.matmul %x, %w transpose_b : tensor<?x6xf32>, tensor<3x6xf32> -> tensor<?x3xf32>
  %z = nn.add %mm, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
  %sm = nn.softmax %z axis = 1 : tensor<?x3xf32>
  %lsm = nn.log_softmax %z axis = 1 : tensor<?x3xf32>
  %ln = nn.layernorm %z, %g, %beta eps = 1.0e-05 : (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %cs = nn.sum %z axes = [0] : tensor<?x3xf32> -> tensor<3xf32>
  %rm = nn.mean %z axes = [1] keepdims : tensor<?x3xf32> -> tensor<?x1xf32>
  %zt = nn.transpose %z perm = [1, 0] : tensor<?x3xf32> -> tensor<3x?xf32>
  %flat = nn.reshape %z : tensor<?x3xf32> -> tensor<?xf32>
  %cat = nn.concat %z, %x axis = 1 : (tensor<?x3xf32>, tensor<?x6xf32>) -> tensor<?x9xf32>
  %mid = nn.slice %x axis = 1 start = 2 : tensor<?x6xf32> -> tensor<?x2xf32>
  %pad = nn.pad %z low = [1, 0] high = [0, 2] : tensor<?x3xf32> -> tensor<?x5xf32>
  return %z, %sm, %lsm, %ln, %cs, %rm, %zt, %flat, %cat, %mid, %pad
      : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<3xf32>, tensor<?x1xf32>,
        tensor<3x?xf32>, tensor<?xf32>, tensor<?x9xf32>, tensor<?x2xf32>, tensor<?x5xf32>
}
