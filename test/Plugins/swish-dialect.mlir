// SwishPlugin.so, loaded as a dialect plugin, adds swish.swish with its
// gradient rule (an external model of adjoint::LinearizeOpInterface) and its
// expansion (DecomposableOpInterface). The op parses and prints, the
// nn-adjoint pass differentiates it with the rule, nn-decompose expands it,
// and the lowering pipeline compiles it through the expansion.

// RUN: %build_plugins
// RUN: %sdk_opt %s --load-dialect-plugin=%plugins/SwishPlugin.so \
// RUN:   | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: %sdk_opt %s --load-dialect-plugin=%plugins/SwishPlugin.so \
// RUN:   --nn-adjoint --canonicalize --cse | FileCheck %s --check-prefix=GRAD
// RUN: %sdk_opt %s --load-dialect-plugin=%plugins/SwishPlugin.so \
// RUN:   --nn-decompose | FileCheck %s --check-prefix=DECOMPOSE
// RUN: %sdk_opt %s --load-dialect-plugin=%plugins/SwishPlugin.so \
// RUN:   --nn-adjoint --adjoint-lower-to-linalg | FileCheck %s --check-prefix=LINALG \
// RUN:   --implicit-check-not=swish.swish --implicit-check-not='= nn.'

// Without the plugin the op is unknown; a library that is not a dialect
// plugin is ignored with a message, as in mlir-opt.
// RUN: not %sdk_opt %s 2>&1 | FileCheck %s --check-prefix=NO-PLUGIN
// RUN: not %sdk_opt %s --load-dialect-plugin=%plugins/OpCensusPlugin.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOT-A-PLUGIN

// ROUNDTRIP: %[[A:.*]] = swish.swish %{{.*}} : tensor<?x3xf32>
// ROUNDTRIP: nn.mse %[[A]]

// The gradient keeps swish.swish in the forward computation, and the rule's
// tangent dh = da * (s + a (1 - s)), s = sigmoid(h), transposed: dh is the
// cotangent of a times the same coefficient.
// GRAD-LABEL: func.func @gradient
// GRAD-DAG: %[[ONE:.*]] = nn.constant dense<1.000000e+00> : tensor<f32>
// GRAD-DAG: %[[H:.*]] = nn.matmul
// GRAD: %[[A:.*]] = swish.swish %[[H]] : tensor<?x3xf32>
// GRAD: %[[S:.*]] = nn.sigmoid %[[H]] : tensor<?x3xf32>
// GRAD: %[[OMS:.*]] = nn.sub %[[ONE]], %[[S]] : tensor<f32>, tensor<?x3xf32> -> tensor<?x3xf32>
// GRAD: %[[T:.*]] = nn.mul %[[A]], %[[OMS]]
// GRAD: %[[D:.*]] = nn.add %[[S]], %[[T]]
// GRAD: %[[DH:.*]] = nn.mul %{{.*}}, %[[D]] : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
// GRAD: nn.matmul %[[DH]], %{{.*}} transpose_a
// GRAD: return

// DECOMPOSE-LABEL: func.func @forward
// DECOMPOSE-SAME: (%[[X:.*]]: tensor<?x4xf32>
// DECOMPOSE-NOT: swish.swish
// DECOMPOSE: %[[H:.*]] = nn.matmul %[[X]]
// DECOMPOSE-NEXT: %[[S:.*]] = nn.sigmoid %[[H]] : tensor<?x3xf32>
// DECOMPOSE-NEXT: %[[A:.*]] = nn.mul %[[H]], %[[S]] : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
// DECOMPOSE-NEXT: nn.mse %[[A]]
// DECOMPOSE-NOT: swish.swish

// Neither swish nor nn ops are left: swish.swish was lowered through its
// expansion (the sigmoid's exp), in the forward and in the gradient.
// LINALG-LABEL: func.func @forward
// LINALG: math.exp
// LINALG-LABEL: func.func @gradient
// LINALG: math.exp

// NO-PLUGIN: error: Dialect `swish' not found for custom op 'swish.swish'
// NOT-A-PLUGIN: Failed to load dialect plugin from '{{.*}}OpCensusPlugin.so'
// NOT-A-PLUGIN: error: Dialect `swish' not found for custom op 'swish.swish'

// loss = mse(swish(x W^T), t)
func.func @forward(%x: tensor<?x4xf32> {nn.kind = "input", nn.name = "x"},
                   %w: tensor<3x4xf32> {nn.kind = "param", nn.name = "h.weight",
                                        nn.init = "uniform(-0.5, 0.5)"},
                   %t: tensor<?x3xf32> {nn.kind = "input", nn.name = "t"})
    -> (tensor<?x3xf32> {nn.kind = "output", nn.name = "a"},
        tensor<f32> {nn.kind = "loss", nn.name = "l"}) {
  %h = nn.matmul %x, %w transpose_b
      : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x3xf32>
  %a = swish.swish %h : tensor<?x3xf32>
  %l = nn.mse %a, %t : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<f32>
  return %a, %l : tensor<?x3xf32>, tensor<f32>
}
