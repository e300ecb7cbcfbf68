// OpCensusPlugin.so is an ordinary MLIR pass plugin, written and linked
// against upstream MLIR alone. It loads into adjoint-opt as into mlir-opt.

// RUN: %build_plugins
// RUN: %sdk_opt %s --load-pass-plugin=%plugins/OpCensusPlugin.so \
// RUN:   --pass-pipeline='builtin.module(op-census)' | FileCheck %s
// RUN: %sdk_opt %s --load-pass-plugin=%plugins/OpCensusPlugin.so \
// RUN:   --pass-pipeline='builtin.module(op-census{attr-name=ops})' \
// RUN:   | FileCheck %s --check-prefix=OPTION
// mlir-opt does not know the nn dialect: it reads the generic form.
// RUN: %sdk_opt %s --mlir-print-op-generic \
// RUN:   | mlir-opt --allow-unregistered-dialect \
// RUN:   --load-pass-plugin=%plugins/OpCensusPlugin.so \
// RUN:   --pass-pipeline='builtin.module(op-census)' \
// RUN:   | FileCheck %s --check-prefix=MLIR-OPT

// A plugin that does not exist, and a library that is not a pass plugin: as
// in mlir-opt, the request is ignored with a message, and a pipeline that
// names the plugin's pass then fails.
// RUN: not %sdk_opt %s --load-pass-plugin=%plugins/Missing.so \
// RUN:   --pass-pipeline='builtin.module(op-census)' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// RUN: not %sdk_opt %s --load-pass-plugin=%prefix/lib/libAdjointRuntime.so \
// RUN:   --pass-pipeline='builtin.module(op-census)' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOT-A-PLUGIN

// CHECK-LABEL: func.func @forward
// CHECK-SAME: attributes {census = {func = 1 : i64, nn = 3 : i64}}
// CHECK-LABEL: func.func @shape
// CHECK-SAME: attributes {census = {arith = 1 : i64, func = 1 : i64, tensor = 1 : i64}}

// OPTION: func.func @forward
// OPTION-SAME: attributes {ops = {func = 1 : i64, nn = 3 : i64}}

// MLIR-OPT: func.func @forward
// MLIR-OPT-SAME: attributes {census = {func = 1 : i64, nn = 3 : i64}}

// MISSING: Failed to load passes from '{{.*}}Missing.so'
// MISSING: 'op-census' does not refer to a registered pass
// NOT-A-PLUGIN: Failed to load passes from '{{.*}}libAdjointRuntime.so'
// NOT-A-PLUGIN: 'op-census' does not refer to a registered pass

func.func @forward(%x: tensor<?x4xf32>, %w: tensor<8x4xf32>, %b: tensor<8xf32>)
    -> tensor<?x8xf32> {
  %0 = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<8x4xf32> -> tensor<?x8xf32>
  %1 = nn.add %0, %b : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  %2 = nn.relu %1 : tensor<?x8xf32>
  return %2 : tensor<?x8xf32>
}

func.func @shape(%x: tensor<?x4xf32>) -> index {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4xf32>
  return %n : index
}
