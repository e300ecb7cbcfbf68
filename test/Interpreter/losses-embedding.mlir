// The losses (means, as PyTorch), embedding and one_hot, against numpy; the
// loss result goes to loss.npy as a 0-d f32 array.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; rng = np.random.default_rng(4); \
// RUN:   np.save('%t/logits.npy', (3 * rng.standard_normal((6, 5))).astype(np.float32)); \
// RUN:   np.save('%t/label.npy', rng.integers(0, 5, (6,)).astype(np.int64)); \
// RUN:   np.save('%t/target.npy', rng.uniform(0, 1, (6, 5)).astype(np.float32)); \
// RUN:   np.save('%t/ids.npy', rng.integers(0, 7, (2, 3)).astype(np.int32)); \
// RUN:   np.save('%t/table.npy', rng.standard_normal((7, 4)).astype(np.float32))"
// RUN: adjoint-run --engine=interp %s --input logits=%t/logits.npy --input label=%t/label.npy \
// RUN:   --input target=%t/target.npy --input ids=%t/ids.npy --params %t --out %t/out
// RUN: %python -c "import numpy as np; \
// RUN:   ld = lambda name: np.load('%t/' + name + '.npy'); \
// RUN:   x = ld('logits').astype(np.float64); t = ld('target').astype(np.float64); l = ld('label'); \
// RUN:   lse = np.log(np.exp(x - x.max(1, keepdims=True)).sum(1)) + x.max(1); \
// RUN:   ce = np.mean(lse - x[np.arange(6), l]); \
// RUN:   bce = np.mean(np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))); \
// RUN:   expected = {'mse': np.mean((x - t) ** 2), 'bce': bce, 'onehot': np.eye(5)[l], \
// RUN:     'embedded': ld('table')[ld('ids')]}; \
// RUN:   out = lambda name: np.load('%t/out/outputs/' + name + '.npy'); \
// RUN:   [np.testing.assert_allclose(out(k), v, rtol=1e-5, atol=1e-6, err_msg=k) for k, v in expected.items()]; \
// RUN:   loss = np.load('%t/out/loss.npy'); np.testing.assert_allclose(loss, ce, rtol=1e-5); \
// RUN:   print(loss.dtype, loss.shape, out('mse').shape, out('embedded').shape)" | FileCheck %s
// CHECK: float32 () () (2, 3, 4)

func.func @forward(%logits: tensor<?x5xf32> {nn.name = "logits", nn.kind = "input", nn.dims = ["N", ""]},
                   %label: tensor<?xi64> {nn.name = "label", nn.kind = "input", nn.dims = ["N"]},
                   %target: tensor<?x5xf32> {nn.name = "target", nn.kind = "input", nn.dims = ["N", ""]},
                   %ids: tensor<?x3xi32> {nn.name = "ids", nn.kind = "input", nn.dims = ["B", ""]},
                   %table: tensor<7x4xf32> {nn.name = "table", nn.kind = "param"})
    -> (tensor<f32> {nn.name = "mse", nn.kind = "output"},
        tensor<f32> {nn.name = "bce", nn.kind = "output"},
        tensor<?x5xf32> {nn.name = "onehot", nn.kind = "output"},
        tensor<?x3x4xf32> {nn.name = "embedded", nn.kind = "output"},
        tensor<f32> {nn.name = "ce", nn.kind = "loss"}) {
  %mse = nn.mse %logits, %target : (tensor<?x5xf32>, tensor<?x5xf32>) -> tensor<f32>
  %bce = nn.bce_with_logits %logits, %target : (tensor<?x5xf32>, tensor<?x5xf32>) -> tensor<f32>
  %oh = nn.one_hot %label : tensor<?xi64> -> tensor<?x5xf32>
  %e = nn.embedding %ids, %table : (tensor<?x3xi32>, tensor<7x4xf32>) -> tensor<?x3x4xf32>
  %ce = nn.softmax_cross_entropy %logits, %label : (tensor<?x5xf32>, tensor<?xi64>) -> tensor<f32>
  return %mse, %bce, %oh, %e, %ce : tensor<f32>, tensor<f32>, tensor<?x5xf32>, tensor<?x3x4xf32>, tensor<f32>
}
