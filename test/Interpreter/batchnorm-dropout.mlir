// batchnorm and dropout in both modes. Training mode normalizes with the
// batch statistics and updates the running ones (unbiased variance,
// new = (1 - momentum) old + momentum batch), which --save-params writes;
// eval mode uses the running statistics. Dropout keeps about 1 - p of the
// elements, scaled by 1 / (1 - p), with a mask fixed by the seed; in eval
// mode it is the identity.
// RUN: rm -rf %t && mkdir -p %t/params
// RUN: %python -c "import numpy as np; rng = np.random.default_rng(5); \
// RUN:   np.save('%t/x.npy', (2 + 3 * rng.standard_normal((4, 3, 5, 5))).astype(np.float32)); \
// RUN:   np.save('%t/params/bn.weight.npy', rng.uniform(0.5, 1.5, (3,)).astype(np.float32)); \
// RUN:   np.save('%t/params/bn.bias.npy', rng.standard_normal((3,)).astype(np.float32)); \
// RUN:   np.save('%t/params/bn.running_mean.npy', rng.standard_normal((3,)).astype(np.float32)); \
// RUN:   np.save('%t/params/bn.running_var.npy', rng.uniform(0.5, 2, (3,)).astype(np.float32))"
// RUN: adjoint-run --engine=interp %s --mode=train --seed 7 --input x=%t/x.npy --params %t/params --out %t/train --save-params %t/saved
// RUN: adjoint-run --engine=interp %s --mode=train --seed 7 --input x=%t/x.npy --params %t/params --out %t/again
// RUN: adjoint-run --engine=interp %s --mode=train --seed 8 --input x=%t/x.npy --params %t/params --out %t/other
// RUN: adjoint-run --engine=interp %s --input x=%t/x.npy --params %t/params --out %t/eval --save-params %t/saved-eval
// RUN: %python -c "import numpy as np; \
// RUN:   ld = lambda path: np.load('%t/' + path + '.npy').astype(np.float64); \
// RUN:   x, w, b = ld('x'), ld('params/bn.weight'), ld('params/bn.bias'); \
// RUN:   rm, rv = ld('params/bn.running_mean'), ld('params/bn.running_var'); \
// RUN:   c = lambda v: v.reshape(1, 3, 1, 1); \
// RUN:   mean = x.mean(axis=(0, 2, 3)); var = x.var(axis=(0, 2, 3)); \
// RUN:   y = (x - c(mean)) / np.sqrt(c(var) + 1e-5) * c(w) + c(b); \
// RUN:   np.testing.assert_allclose(ld('train/outputs/y'), y, rtol=1e-5, atol=1e-5); \
// RUN:   np.testing.assert_allclose(ld('saved/bn.running_mean'), 0.9 * rm + 0.1 * mean, rtol=1e-5); \
// RUN:   np.testing.assert_allclose(ld('saved/bn.running_var'), 0.9 * rv + 0.1 * var * 100 / 99, rtol=1e-5); \
// RUN:   np.testing.assert_allclose(ld('saved/bn.weight'), w); \
// RUN:   ye = (x - c(rm)) / np.sqrt(c(rv) + 1e-5) * c(w) + c(b); \
// RUN:   np.testing.assert_allclose(ld('eval/outputs/y'), ye, rtol=1e-5, atol=1e-5); \
// RUN:   np.testing.assert_allclose(ld('saved-eval/bn.running_var'), rv); \
// RUN:   np.testing.assert_allclose(ld('eval/outputs/d'), ye, rtol=1e-5, atol=1e-5); \
// RUN:   d = ld('train/outputs/d'); kept = d != 0; \
// RUN:   np.testing.assert_allclose(d[kept], y[kept] / 0.75, rtol=1e-5, atol=1e-5); \
// RUN:   print('kept about 3/4:', abs(kept.mean() - 0.75) < 0.06); \
// RUN:   print('same seed, same mask:', np.array_equal(d, ld('again/outputs/d'))); \
// RUN:   print('other seed, other mask:', not np.array_equal(d, ld('other/outputs/d')))" | FileCheck %s
// CHECK: kept about 3/4: True
// CHECK-NEXT: same seed, same mask: True
// CHECK-NEXT: other seed, other mask: True

func.func @forward(%x: tensor<?x3x5x5xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", "", "", ""]},
                   %w: tensor<3xf32> {nn.name = "bn.weight", nn.kind = "param"},
                   %b: tensor<3xf32> {nn.name = "bn.bias", nn.kind = "param"},
                   %rm: tensor<3xf32> {nn.name = "bn.running_mean", nn.kind = "buffer"},
                   %rv: tensor<3xf32> {nn.name = "bn.running_var", nn.kind = "buffer"},
                   %seed: tensor<i64> {nn.name = "seed", nn.kind = "seed"})
    -> (tensor<?x3x5x5xf32> {nn.name = "y", nn.kind = "output"},
        tensor<?x3x5x5xf32> {nn.name = "d", nn.kind = "output"}) {
  %y, %m, %v = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05 momentum = 1.000000e-01
      : (tensor<?x3x5x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
      -> (tensor<?x3x5x5xf32>, tensor<3xf32>, tensor<3xf32>)
  %d = nn.dropout %y, %seed p = 2.500000e-01 stream = 0 : tensor<?x3x5x5xf32>, tensor<i64>
  return %y, %d : tensor<?x3x5x5xf32>, tensor<?x3x5x5xf32>
}
