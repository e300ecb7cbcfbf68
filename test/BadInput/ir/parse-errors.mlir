// Malformed nn IR text: adjoint-opt reports each error at its place, exits
// non-zero and does not crash (`not` fails on a crash). Each chunk is parsed
// on its own (-split-input-file), and every chunk's error is checked.
// test/Dialect/NN/invalid.mlir checks the verifiers' messages one by one with
// -verify-diagnostics; these are about the text itself.
// RUN: not adjoint-opt %s -split-input-file 2>&1 | FileCheck %s --implicit-check-not=error:

// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: custom op 'nn.frobnicate' is unknown
func.func @unknown_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.frobnicate %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:18: error: expected ':'
func.func @extra_operand(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:17: error: expected ','
func.func @missing_operand(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.add %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.add' op expected 2 operands, but found 1
func.func @generic_operand_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "nn.add"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:10: error: 'nn.relu' op requires one result
func.func @generic_result_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = "nn.relu"(%x) : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:30: error: expected non-function type
func.func @bad_element_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x : tensor<4xbogus>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:21: error: custom op 'nn.relu' invalid kind of type specified: expected builtin.tensor, but found 'memref<4xf32>'
func.func @memref(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x : memref<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:21: error: custom op 'nn.relu' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  %0 = nn.relu %x : tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:16: error: use of undeclared SSA value name
func.func @undefined_value(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %y : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+3]]:3: error: redefinition of SSA value '%0'
func.func @redefined_value(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %x : tensor<4xf32>
  %0 = nn.relu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:29: error: integer constant out of range for attribute
func.func @axis_overflow(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.softmax %x axis = 99999999999999999999 : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.softmax' op axis -9223372036854775808 is out of range for shape [4, 3]
func.func @axis_min(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.softmax %x axis = -9223372036854775808 : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+3]]:8: error: 'nn.sum' op axis -9223372036854775808 is out of range for rank 2
// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.sum' op failed to infer returned types
func.func @sum_axis_min(%x: tensor<4x3xf32>) -> tensor<3xf32> {
  %0 = nn.sum %x axes = [-9223372036854775808] : tensor<4x3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+3]]:8: error: 'nn.transpose' op perm is not a permutation of the dims of shape [4, 3]
// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.transpose' op failed to infer returned types
func.func @perm_min(%x: tensor<4x3xf32>) -> tensor<3x4xf32> {
  %0 = nn.transpose %x perm = [-9223372036854775808, 1] : tensor<4x3xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+3]]:8: error: 'nn.concat' op axis 9223372036854775807 is out of range for rank 2
// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.concat' op failed to infer returned types
func.func @concat_axis_max(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.concat %a axis = 9223372036854775807 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+3]]:8: error: 'nn.concat' op needs at least one operand
// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.concat' op failed to infer returned types
func.func @concat_nothing() -> tensor<2x3xf32> {
  %0 = nn.concat axis = 0 : () -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+3]]:8: error: 'nn.conv2d' op stride must be >= 1, got 0
// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.conv2d' op failed to infer returned types
func.func @conv_stride_zero(%a: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  %0 = nn.conv2d %a, %w stride = [0, 0] padding = [0, 0] : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:20: error: inferred shape of elements literal ([2]) does not match type ([4, 3])
func.func @constant_shape() -> tensor<4x3xf32> {
  %0 = nn.constant dense<[1.0, 2.0]> : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+1]]:28: error: dialect 'nn' provides no type parsing hook
func.func @nn_type(%x: !nn.bogus) {
  return
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: block with no terminator
func.func @no_terminator(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.relu %x : tensor<4x3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.reshape' op cannot reshape [4, 3] (12 elements) to [5, 3] (15 elements)
func.func @reshape_count(%x: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %0 = nn.reshape %x : tensor<4x3xf32> -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// CHECK: parse-errors.mlir:[[@LINE+2]]:8: error: 'nn.broadcast' op expected 1 dynamic sizes for [?, 3], got 2
func.func @broadcast_sizes(%a: tensor<2x3xf32>, %n: index) -> tensor<?x3xf32> {
  %0 = nn.broadcast %a [%n, %n] : tensor<2x3xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// The last chunk is cut off in the middle of the function.
// CHECK: parse-errors.mlir:{{[0-9]+}}:{{[0-9]+}}: error: expected operation name in quotes
func.func @truncated(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.relu %x : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
