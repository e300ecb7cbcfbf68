// The elementwise ops, with NumPy broadcasting, against numpy formulas.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; rng = np.random.default_rng(1); \
// RUN:   np.save('%t/x.npy', rng.standard_normal((3, 4)).astype(np.float32)); \
// RUN:   np.save('%t/b.npy', rng.uniform(0.5, 2.0, (4,)).astype(np.float32))"
// RUN: adjoint-run --engine=interp %s --input x=%t/x.npy --input b=%t/b.npy --out %t/out
// RUN: %python -c "import numpy as np; from math import erf; \
// RUN:   x = np.load('%t/x.npy').astype(np.float64); b = np.load('%t/b.npy').astype(np.float64); \
// RUN:   out = lambda name: np.load('%t/out/outputs/' + name + '.npy'); \
// RUN:   expected = {'relu': np.maximum(x, 0), 'sigmoid': 1 / (1 + np.exp(-x)), 'tanh': np.tanh(x), \
// RUN:     'gelu': x * 0.5 * (1 + np.vectorize(erf)(x / np.sqrt(2))), 'leaky': np.where(x > 0, x, 0.1 * x), \
// RUN:     'exp': np.exp(x), 'neg': -x, 'sum': x + b, 'diff': x - b, 'prod': x * b, 'quot': x / b, \
// RUN:     'log': np.log(b), 'sqrt': np.sqrt(b), 'scaled': x * 0.25}; \
// RUN:   [np.testing.assert_allclose(out(k), v, rtol=2e-6, atol=1e-7, err_msg=k) for k, v in expected.items()]; \
// RUN:   assert all(out(k).dtype == np.dtype('<f4') and out(k).shape == v.shape for k, v in expected.items()); \
// RUN:   print('checked', len(expected))" | FileCheck %s
// CHECK: checked 14

func.func @forward(%x: tensor<?x4xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]},
                   %b: tensor<4xf32> {nn.name = "b", nn.kind = "input"})
    -> (tensor<?x4xf32> {nn.name = "relu", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "sigmoid", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "tanh", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "gelu", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "leaky", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "exp", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "neg", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "sum", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "diff", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "prod", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "quot", nn.kind = "output"},
        tensor<4xf32> {nn.name = "log", nn.kind = "output"},
        tensor<4xf32> {nn.name = "sqrt", nn.kind = "output"},
        tensor<?x4xf32> {nn.name = "scaled", nn.kind = "output"}) {
  %relu = nn.relu %x : tensor<?x4xf32>
  %sigmoid = nn.sigmoid %x : tensor<?x4xf32>
  %tanh = nn.tanh %x : tensor<?x4xf32>
  %gelu = nn.gelu %x : tensor<?x4xf32>
  %leaky = nn.leaky_relu %x {alpha = 0.1 : f32} : tensor<?x4xf32>
  %exp = nn.exp %x : tensor<?x4xf32>
  %neg = nn.neg %x : tensor<?x4xf32>
  %sum = nn.add %x, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %diff = nn.sub %x, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %prod = nn.mul %x, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %quot = nn.div %x, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  %log = nn.log %b : tensor<4xf32>
  %sqrt = nn.sqrt %b : tensor<4xf32>
  %c = nn.constant dense<2.500000e-01> : tensor<f32>
  %scaled = nn.mul %x, %c : tensor<?x4xf32>, tensor<f32> -> tensor<?x4xf32>
  return %relu, %sigmoid, %tanh, %gelu, %leaky, %exp, %neg, %sum, %diff, %prod, %quot, %log, %sqrt, %scaled
      : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>,
        tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<4xf32>,
        tensor<4xf32>, tensor<?x4xf32>
}
