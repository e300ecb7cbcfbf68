// FlopReportPlugin.so, built against the installed SDK, reads nn ops through
// their C++ classes: one row per layer (location), FLOPs and bytes.

// RUN: %build_plugins
// RUN: %sdk_opt %s --load-pass-plugin=%plugins/FlopReportPlugin.so \
// RUN:   --pass-pipeline='builtin.module(nn-flop-report)' -o %t.mlir 2>&1 \
// RUN:   | FileCheck %s
// The module is left as it was.
// RUN: %sdk_opt %s -o %t.expected.mlir
// RUN: diff %t.expected.mlir %t.mlir
// RUN: %sdk_opt %s --load-pass-plugin=%plugins/FlopReportPlugin.so \
// RUN:   --pass-pipeline='builtin.module(nn-flop-report{dynamic-size=32})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=BATCH
// RUN: %sdk_opt %s --load-pass-plugin=%plugins/FlopReportPlugin.so \
// RUN:   --pass-pipeline='builtin.module(nn-flop-report{function=cnn})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=CNN
// RUN: not %sdk_opt %s --load-pass-plugin=%plugins/FlopReportPlugin.so \
// RUN:   --pass-pipeline='builtin.module(nn-flop-report{function=gradient})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=NO-FUNC
// RUN: not %sdk_opt %s --load-pass-plugin=%plugins/FlopReportPlugin.so \
// RUN:   --pass-pipeline='builtin.module(nn-flop-report{dynamic-size=0})' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SIZE

// Per example (dynamic dims = 1). h: matmul 2*128*64 + add 128; params
// 128*64*4 + 128*4 bytes; activations two [1, 128] f32 results.
// CHECK: nn-flop-report @forward (dynamic dims = 1, bytes)
// CHECK-NEXT: layer ops flops params activations
// CHECK-NEXT: mlp.nn:7 (h) 2 16512 33280 1024
// CHECK-NEXT: mlp.nn:8 1 128 0 512
// CHECK-NEXT: mlp.nn:9 (logits) 2 2570 5160 80
// CHECK-NEXT: mlp.nn:11 1 10 0 4
// CHECK-NEXT: total 6 19220 38440 1620

// BATCH: nn-flop-report @forward (dynamic dims = 32, bytes)
// BATCH: mlp.nn:7 (h) 2 528384 33280 32768

// conv: 2 * (4*8*8 outputs) * (1*3*3); pool: 4*4*4 outputs * 2*2; the
// reshape moves data only and has no file location.
// CNN: nn-flop-report @cnn
// CNN: cnn.nn:3 (c) 1 4608 144 1024
// CNN-NEXT: cnn.nn:4 1 256 0 256
// CNN-NEXT: <unknown> 1 0 0 256
// CNN-NEXT: total 3 4864 144 1536

// NO-FUNC: error: nn-flop-report: no function @gradient
// SIZE: error: nn-flop-report: dynamic-size must be at least 1, got 0

func.func @forward(
    %x: tensor<?x64xf32> {nn.kind = "input", nn.name = "x"},
    %label: tensor<?xi64> {nn.kind = "input", nn.name = "label"},
    %w1: tensor<128x64xf32> {nn.kind = "param", nn.name = "h.weight"},
    %b1: tensor<128xf32> {nn.kind = "param", nn.name = "h.bias"},
    %w2: tensor<10x128xf32> {nn.kind = "param", nn.name = "logits.weight"},
    %b2: tensor<10xf32> {nn.kind = "param", nn.name = "logits.bias"})
    -> (tensor<?x10xf32> {nn.kind = "output", nn.name = "logits"},
        tensor<f32> {nn.kind = "loss", nn.name = "ce"}) {
  %0 = nn.matmul %x, %w1 transpose_b
      : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32> loc("mlp.nn":7:5)
  %1 = nn.add %0, %b1
      : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32> loc("mlp.nn":7:5)
  %2 = nn.relu %1 : tensor<?x128xf32> loc("mlp.nn":8:5)
  %3 = nn.matmul %2, %w2 transpose_b
      : tensor<?x128xf32>, tensor<10x128xf32> -> tensor<?x10xf32> loc("mlp.nn":9:10)
  %4 = nn.add %3, %b2
      : tensor<?x10xf32>, tensor<10xf32> -> tensor<?x10xf32> loc("mlp.nn":9:10)
  %5 = nn.softmax_cross_entropy %4, %label
      : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32> loc("mlp.nn":11:10)
  return %4, %5 : tensor<?x10xf32>, tensor<f32>
}

func.func @cnn(
    %x: tensor<?x1x8x8xf32> {nn.kind = "input", nn.name = "x"},
    %w: tensor<4x1x3x3xf32> {nn.kind = "param", nn.name = "c.weight"})
    -> (tensor<?x64xf32> {nn.kind = "output", nn.name = "f"}) {
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      : (tensor<?x1x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<?x4x8x8xf32> loc("cnn.nn":3:5)
  %1 = nn.max_pool2d %0 kernel = [2, 2] stride = [2, 2]
      : tensor<?x4x8x8xf32> -> tensor<?x4x4x4xf32> loc("cnn.nn":4:5)
  %2 = nn.reshape %1 : tensor<?x4x4x4xf32> -> tensor<?x64xf32> loc(unknown)
  return %2 : tensor<?x64xf32>
}
