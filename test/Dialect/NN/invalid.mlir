// Every verifier and type-inference error of the nn dialect, one case each.
// An op whose result type is inferred reports its own message and then
// "failed to infer returned types".

// RUN: adjoint-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Type constraints from ODS
//===----------------------------------------------------------------------===//

func.func @constant_element_type() {
  // expected-error @+1 {{'nn.constant' op result #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xi8>'}}
  %0 = nn.constant dense<1> : tensor<2xi8>
  return
}

// -----

func.func @constant_type_mismatch() {
  // expected-error @+1 {{'nn.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return
}

// -----

func.func @unary_int_operand(%a: tensor<3xi32>) {
  // expected-error @+1 {{'nn.relu' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<3xi32>'}}
  %0 = nn.relu %a : tensor<3xi32>
  return
}

// -----

func.func @unary_result_type(%a: tensor<3xf32>) {
  // expected-error @+1 {{'nn.exp' op requires the same type for all operands and results}}
  %0 = "nn.exp"(%a) : (tensor<3xf32>) -> tensor<3xf64>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'nn.tanh' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = nn.tanh %a : tensor<*xf32>
  return
}

// -----

func.func @binary_int_operand(%a: tensor<3xi64>) {
  // expected-error @+1 {{'nn.add' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %0 = nn.add %a, %a : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  return
}

// -----

func.func @matmul_int_operand(%a: tensor<3x3xi32>) {
  // expected-error @+1 {{'nn.matmul' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<3x3xi32>'}}
  %0 = nn.matmul %a, %a : tensor<3x3xi32>, tensor<3x3xi32> -> tensor<3x3xi32>
  return
}

// -----

func.func @sum_int_operand(%a: tensor<3xi64>) {
  // expected-error @+1 {{'nn.sum' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %0 = nn.sum %a axes = [0] : tensor<3xi64> -> tensor<i64>
  return
}

// -----

func.func @size_result_rank(%a: tensor<3xf32>) {
  // expected-error @+1 {{'nn.size' op result #0 must be 0D tensor of 32-bit float or 64-bit float values, but got 'tensor<1xf32>'}}
  %0 = nn.size %a axes = [0] : tensor<3xf32> -> tensor<1xf32>
  return
}

// -----

func.func @dropout_seed_type(%a: tensor<3xf32>, %s: tensor<i32>) {
  // expected-error @+1 {{'nn.dropout' op operand #1 must be 0D tensor of 64-bit signless integer values, but got 'tensor<i32>'}}
  %0 = nn.dropout %a, %s p = 0.5 stream = 0 : tensor<3xf32>, tensor<i32>
  return
}

// -----

func.func @dropout_result_type(%a: tensor<3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'nn.dropout' op failed to verify that all of {input, result} have same type}}
  %0 = "nn.dropout"(%a, %s) {p = 0.5, stream = 0} : (tensor<3xf32>, tensor<i64>) -> tensor<4xf32>
  return
}

// -----

func.func @softmax_int_operand(%a: tensor<3xi64>) {
  // expected-error @+1 {{'nn.softmax' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<3xi64>'}}
  %0 = nn.softmax %a axis = 0 : tensor<3xi64>
  return
}

// -----

func.func @conv2d_int_operand(%x: tensor<1x1x4x4xi32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<1x1x4x4xi32>'}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<1x1x4x4xi32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @embedding_float_ids(%ids: tensor<4xf32>, %w: tensor<10x3xf32>) {
  // expected-error @+1 {{'nn.embedding' op operand #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = nn.embedding %ids, %w : (tensor<4xf32>, tensor<10x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @one_hot_int_result(%l: tensor<4xi64>) {
  // expected-error @+1 {{'nn.one_hot' op result #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<4x10xi64>'}}
  %0 = nn.one_hot %l : tensor<4xi64> -> tensor<4x10xi64>
  return
}

// -----

func.func @cross_entropy_float_labels(%l: tensor<4x10xf32>, %t: tensor<4xf32>) {
  // expected-error @+1 {{'nn.softmax_cross_entropy' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = nn.softmax_cross_entropy %l, %t : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @mse_result_rank(%a: tensor<4xf32>) {
  // expected-error @+1 {{'nn.mse' op result #0 must be 0D tensor of 32-bit float or 64-bit float values, but got 'tensor<4xf32>'}}
  %0 = nn.mse %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Ops that take the element type from their operands check it matches.
func.func @conv2d_backward_input_element_type(%dy: tensor<1x1x2x2xf32>, %w: tensor<1x1x3x3xf64>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op failed to verify that all of {grad_output, filter, result} have same element type}}
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 1] padding = [0, 0] : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @conv2d_backward_filter_element_type(%x: tensor<1x1x4x4xf32>, %dy: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op failed to verify that all of {input, grad_output, result} have same element type}}
  %0 = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [0, 0] : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf64>
  return
}

// -----

func.func @avg_pool2d_backward_element_type(%dy: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d_backward' op failed to verify that all of {grad_output, result} have same element type}}
  %0 = nn.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2] : tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf64>
  return
}

// -----

func.func @max_pool2d_jvp_element_type(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_jvp' op failed to verify that all of {input, tangent, result} have same element type}}
  %0 = nn.max_pool2d_jvp %x, %x kernel = [2, 2] stride = [2, 2] : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf64>
  return
}

// -----

func.func @max_pool2d_vjp_element_type(%x: tensor<1x1x4x4xf32>, %dy: tensor<1x1x2x2xf64>) {
  // expected-error @+1 {{'nn.max_pool2d_vjp' op failed to verify that all of {input, grad_output, result} have same element type}}
  %0 = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf64>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @embedding_backward_element_type(%ids: tensor<4xi64>, %dy: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.embedding_backward' op failed to verify that all of {grad_output, result} have same element type}}
  %0 = nn.embedding_backward %ids, %dy : (tensor<4xi64>, tensor<4x3xf32>) -> tensor<10x3xf64>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise ops with broadcasting
//===----------------------------------------------------------------------===//

// -----

func.func @binary_element_types(%a: tensor<3xf32>, %b: tensor<3xf64>) {
  // expected-error @+2 {{'nn.mul' op element types 'f32' and 'f64' differ}}
  // expected-error @+1 {{'nn.mul' op failed to infer returned types}}
  %0 = nn.mul %a, %b : tensor<3xf32>, tensor<3xf64> -> tensor<3xf32>
  return
}

// -----

func.func @binary_broadcast(%a: tensor<?x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'nn.add' op cannot broadcast shapes [?, 3] and [4]}}
  // expected-error @+1 {{'nn.add' op failed to infer returned types}}
  %0 = nn.add %a, %b : tensor<?x3xf32>, tensor<4xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @binary_result_type(%a: tensor<?x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'nn.sub' op inferred type(s) 'tensor<?x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'nn.sub' op failed to infer returned types}}
  %0 = nn.sub %a, %b : tensor<?x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @binary_dynamic_broadcast(%a: tensor<?xf32>, %b: tensor<4x?xf32>) {
  // A dynamic dim never broadcasts against a static 1, so [?] and [4, ?]
  // give [4, ?], and a dim that is statically 1 takes the other's size.
  // expected-error @+2 {{'nn.div' op inferred type(s) 'tensor<4x?xf32>' are incompatible with return type(s) of operation 'tensor<4x1xf32>'}}
  // expected-error @+1 {{'nn.div' op failed to infer returned types}}
  %0 = nn.div %a, %b : tensor<?xf32>, tensor<4x?xf32> -> tensor<4x1xf32>
  return
}

//===----------------------------------------------------------------------===//
// Matmul and transpose
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error @+2 {{'nn.matmul' op element types 'f32' and 'f64' differ}}
  // expected-error @+1 {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf64> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'nn.matmul' op operands must have rank >= 2, got shapes [3] and [3, 4]}}
  // expected-error @+1 {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : tensor<3xf32>, tensor<3x4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<?x64xf32>, %w: tensor<128x32xf32>) {
  // expected-error @+2 {{'nn.matmul' op contraction dims differ: [?, 64] times [128, 32]^T}}
  // expected-error @+1 {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %w transpose_b : tensor<?x64xf32>, tensor<128x32xf32> -> tensor<?x128xf32>
  return
}

// -----

func.func @matmul_contraction_transpose_a(%a: tensor<3x2xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{'nn.matmul' op contraction dims differ: [3, 2]^T times [2, 4]}}
  // expected-error @+1 {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b transpose_a : tensor<3x2xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error @+2 {{'nn.matmul' op cannot broadcast batch dims of shapes [2, 3, 4] and [5, 4, 6]}}
  // expected-error @+1 {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : tensor<2x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x3x6xf32>
  return
}

// -----

func.func @transpose_perm_size(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'nn.transpose' op perm has 2 entries for an operand of shape [2, 3, 4]}}
  // expected-error @+1 {{'nn.transpose' op failed to infer returned types}}
  %0 = nn.transpose %a perm = [1, 0] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  return
}

// -----

func.func @transpose_not_permutation(%a: tensor<2x3xi64>) {
  // expected-error @+2 {{'nn.transpose' op perm is not a permutation of the dims of shape [2, 3]}}
  // expected-error @+1 {{'nn.transpose' op failed to infer returned types}}
  %0 = nn.transpose %a perm = [0, 0] : tensor<2x3xi64> -> tensor<2x2xi64>
  return
}

// -----

func.func @transpose_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'nn.transpose' op perm is not a permutation of the dims of shape [2, 3]}}
  // expected-error @+1 {{'nn.transpose' op failed to infer returned types}}
  %0 = nn.transpose %a perm = [2, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reshape and broadcast
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_element_types(%a: tensor<6xf32>) {
  // expected-error @+1 {{'nn.reshape' op element types 'f32' and 'f64' differ}}
  %0 = nn.reshape %a : tensor<6xf32> -> tensor<2x3xf64>
  return
}

// -----

func.func @reshape_two_inferred_dims(%a: tensor<?x64xf32>) {
  // expected-error @+1 {{'nn.reshape' op result shape [?, ?, 4] has more than one dynamic dim but no dynamic sizes are given}}
  %0 = nn.reshape %a : tensor<?x64xf32> -> tensor<?x?x4xf32>
  return
}

// -----

func.func @reshape_size_count(%a: tensor<?x64xf32>, %n: index) {
  // expected-error @+1 {{'nn.reshape' op expected 2 dynamic sizes for [?, ?, 4], got 1}}
  %0 = nn.reshape %a [%n] : tensor<?x64xf32> -> tensor<?x?x4xf32>
  return
}

// -----

func.func @reshape_element_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.reshape' op cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)}}
  %0 = nn.reshape %a : tensor<2x3xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @reshape_not_multiple(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.reshape' op cannot reshape [2, 3] to [?, 4]: the element count is not a multiple of 4}}
  %0 = nn.reshape %a : tensor<2x3xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @broadcast_element_types(%a: tensor<3xf32>) {
  // expected-error @+1 {{'nn.broadcast' op element types 'f32' and 'f64' differ}}
  %0 = nn.broadcast %a : tensor<3xf32> -> tensor<2x3xf64>
  return
}

// -----

func.func @broadcast_shape(%a: tensor<3xf32>) {
  // expected-error @+1 {{'nn.broadcast' op cannot broadcast shape [3] to [3, 2]}}
  %0 = nn.broadcast %a : tensor<3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @broadcast_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.broadcast' op cannot broadcast shape [2, 3] to [3]}}
  %0 = nn.broadcast %a : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @broadcast_size_count(%a: tensor<3xf32>) {
  // expected-error @+1 {{'nn.broadcast' op expected 1 dynamic sizes for [?, 3], got 0}}
  %0 = nn.broadcast %a : tensor<3xf32> -> tensor<?x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

func.func @sum_axis_range(%a: tensor<?x3xf32>) {
  // expected-error @+2 {{'nn.sum' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'nn.sum' op failed to infer returned types}}
  %0 = nn.sum %a axes = [2] : tensor<?x3xf32> -> tensor<?xf32>
  return
}

// -----

func.func @mean_negative_axis(%a: tensor<?x3xf32>) {
  // expected-error @+2 {{'nn.mean' op axis -1 is out of range for rank 2}}
  // expected-error @+1 {{'nn.mean' op failed to infer returned types}}
  %0 = nn.mean %a axes = [-1] : tensor<?x3xf32> -> tensor<?xf32>
  return
}

// -----

func.func @mean_axes_order(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'nn.mean' op axes must be sorted and distinct}}
  // expected-error @+1 {{'nn.mean' op failed to infer returned types}}
  %0 = nn.mean %a axes = [2, 0] : tensor<2x3x4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @sum_axes_repeated(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'nn.sum' op axes must be sorted and distinct}}
  // expected-error @+1 {{'nn.sum' op failed to infer returned types}}
  %0 = nn.sum %a axes = [1, 1] : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @sum_result_type(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'nn.sum' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{'nn.sum' op failed to infer returned types}}
  %0 = nn.sum %a axes = [1] keepdims : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @size_axis_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'nn.size' op axis 5 is out of range for rank 2}}
  // expected-error @+1 {{'nn.size' op failed to infer returned types}}
  %0 = nn.size %a axes = [5] : tensor<2x3xf32> -> tensor<f32>
  return
}

//===----------------------------------------------------------------------===//
// Concat, slice, pad
//===----------------------------------------------------------------------===//

// -----

func.func @concat_no_operands() {
  // expected-error @+2 {{'nn.concat' op needs at least one operand}}
  // expected-error @+1 {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat axis = 0 : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'nn.concat' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %a axis = 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'nn.concat' op operand shapes [2, 3] and [3] differ in rank or element type}}
  // expected-error @+1 {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b axis = 0 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xf64>) {
  // expected-error @+2 {{'nn.concat' op operand shapes [2, 3] and [2, 3] differ in rank or element type}}
  // expected-error @+1 {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b axis = 0 : (tensor<2x3xf32>, tensor<2x3xf64>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_other_dims(%a: tensor<?x8xf32>, %b: tensor<?x4xf32>) {
  // expected-error @+2 {{'nn.concat' op operand shapes [?, 8] and [?, 4] differ outside axis 0}}
  // expected-error @+1 {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b axis = 0 : (tensor<?x8xf32>, tensor<?x4xf32>) -> tensor<?x8xf32>
  return
}

// -----

func.func @slice_rank(%a: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.slice' op operand [4, 3] and result [2] differ in rank or element type}}
  %0 = nn.slice %a axis = 0 start = 0 : tensor<4x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @slice_axis(%a: tensor<4x3xf32>) {
  // expected-error @+1 {{'nn.slice' op axis 2 is out of range for rank 2}}
  %0 = nn.slice %a axis = 2 start = 0 : tensor<4x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @slice_dynamic_result(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{'nn.slice' op result dim 0 must be static}}
  %0 = nn.slice %a axis = 0 start = 0 : tensor<?x3xf32> -> tensor<?x3xf32>
  return
}

// -----

func.func @slice_bounds(%a: tensor<?x12xf32>) {
  // expected-error @+1 {{'nn.slice' op slice [10, 14) of axis 1 is out of bounds for shape [?, 12]}}
  %0 = nn.slice %a axis = 1 start = 10 : tensor<?x12xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @slice_negative_start(%a: tensor<?x12xf32>) {
  // expected-error @+1 {{'nn.slice' op slice [-1, 3) of axis 1 is out of bounds for shape [?, 12]}}
  %0 = nn.slice %a axis = 1 start = -1 : tensor<?x12xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @slice_other_dims(%a: tensor<5x12xf32>) {
  // expected-error @+1 {{'nn.slice' op operand [5, 12] and result [4, 4] differ outside axis 1}}
  %0 = nn.slice %a axis = 1 start = 0 : tensor<5x12xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @pad_entries(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'nn.pad' op needs one low and one high entry per dim of shape [2, 3]}}
  // expected-error @+1 {{'nn.pad' op failed to infer returned types}}
  %0 = nn.pad %a low = [1] high = [1, 1] : tensor<2x3xf32> -> tensor<4x5xf32>
  return
}

// -----

func.func @pad_negative(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'nn.pad' op padding must be >= 0}}
  // expected-error @+1 {{'nn.pad' op failed to infer returned types}}
  %0 = nn.pad %a low = [0, -1] high = [0, 0] : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Softmax, normalizations, dropout
//===----------------------------------------------------------------------===//

// -----

func.func @softmax_axis(%a: tensor<?x10xf32>) {
  // expected-error @+1 {{'nn.softmax' op axis 2 is out of range for shape [?, 10]}}
  %0 = nn.softmax %a axis = 2 : tensor<?x10xf32>
  return
}

// -----

func.func @log_softmax_axis(%a: tensor<?x10xf32>) {
  // expected-error @+1 {{'nn.log_softmax' op axis -1 is out of range for shape [?, 10]}}
  %0 = nn.log_softmax %a axis = -1 : tensor<?x10xf32>
  return
}

// -----

func.func @layernorm_rank(%a: tensor<f32>, %w: tensor<1xf32>) {
  // expected-error @+2 {{'nn.layernorm' op input must have rank >= 1}}
  // expected-error @+1 {{'nn.layernorm' op failed to infer returned types}}
  %0 = nn.layernorm %a, %w, %w eps = 1.0e-5 : (tensor<f32>, tensor<1xf32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

func.func @layernorm_weight_shape(%a: tensor<?x32xf32>, %w: tensor<16xf32>, %b: tensor<32xf32>) {
  // expected-error @+2 {{'nn.layernorm' op weight has shape [16] but the input [?, 32] needs [32]}}
  // expected-error @+1 {{'nn.layernorm' op failed to infer returned types}}
  %0 = nn.layernorm %a, %w, %b eps = 1.0e-5 : (tensor<?x32xf32>, tensor<16xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return
}

// -----

func.func @layernorm_bias_element_type(%a: tensor<?x32xf32>, %w: tensor<32xf32>, %b: tensor<32xf64>) {
  // expected-error @+2 {{'nn.layernorm' op bias element type differs from the input's}}
  // expected-error @+1 {{'nn.layernorm' op failed to infer returned types}}
  %0 = nn.layernorm %a, %w, %b eps = 1.0e-5 : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf64>) -> tensor<?x32xf32>
  return
}

// -----

func.func @layernorm_dynamic_features(%a: tensor<4x?xf32>, %w: tensor<2x8xf32>) {
  // expected-error @+2 {{'nn.layernorm' op weight has shape [2, 8] but the input [4, ?] needs [?]}}
  // expected-error @+1 {{'nn.layernorm' op failed to infer returned types}}
  %0 = nn.layernorm %a, %w, %w eps = 1.0e-5 : (tensor<4x?xf32>, tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<4x?xf32>
  return
}

// -----

func.func @layernorm_eps(%a: tensor<?x32xf32>, %w: tensor<32xf32>) {
  // expected-error @+2 {{'nn.layernorm' op eps must be > 0}}
  // expected-error @+1 {{'nn.layernorm' op failed to infer returned types}}
  %0 = nn.layernorm %a, %w, %w eps = 0.0 : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return
}

// -----

func.func @batchnorm_rank(%x: tensor<2x8x4xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'nn.batchnorm' op input must be [N, C] or [N, C, H, W], got [2, 8, 4]}}
  // expected-error @+1 {{'nn.batchnorm' op failed to infer returned types}}
  %0:3 = nn.batchnorm %x, %g, %g, %g, %g eps = 1.0e-5 momentum = 0.1 : (tensor<2x8x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<2x8x4xf32>, tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @batchnorm_running_var_shape(%x: tensor<?x8x4x4xf32>, %g: tensor<8xf32>, %v: tensor<4xf32>) {
  // expected-error @+2 {{'nn.batchnorm' op running_var has shape [4] but the input [?, 8, 4, 4] needs [8]}}
  // expected-error @+1 {{'nn.batchnorm' op failed to infer returned types}}
  %0:3 = nn.batchnorm %x, %g, %g, %g, %v eps = 1.0e-5 momentum = 0.1 : (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<4xf32>)
  return
}

// -----

func.func @batchnorm_weight_element_type(%x: tensor<?x8xf32>, %g: tensor<8xf32>, %w: tensor<8xf64>) {
  // expected-error @+2 {{'nn.batchnorm' op weight element type differs from the input's}}
  // expected-error @+1 {{'nn.batchnorm' op failed to infer returned types}}
  %0:3 = nn.batchnorm %x, %w, %g, %g, %g eps = 1.0e-5 momentum = 0.1 : (tensor<?x8xf32>, tensor<8xf64>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @batchnorm_momentum(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'nn.batchnorm' op needs eps > 0 and momentum in [0, 1]}}
  // expected-error @+1 {{'nn.batchnorm' op failed to infer returned types}}
  %0:3 = nn.batchnorm %x, %g, %g, %g, %g eps = 1.0e-5 momentum = 1.5 : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @batchnorm_eps(%x: tensor<?x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{'nn.batchnorm' op needs eps > 0 and momentum in [0, 1]}}
  // expected-error @+1 {{'nn.batchnorm' op failed to infer returned types}}
  %0:3 = nn.batchnorm %x, %g, %g, %g, %g eps = -1.0 momentum = 0.1 : (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>)
  return
}

// -----

func.func @dropout_p(%x: tensor<?x8xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'nn.dropout' op probability p must be in [0, 1), got 1.000000e+00}}
  %0 = nn.dropout %x, %s p = 1.0 stream = 0 training : tensor<?x8xf32>, tensor<i64>
  return
}

// -----

func.func @dropout_negative_p(%x: tensor<?x8xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'nn.dropout' op probability p must be in [0, 1), got -5.000000e-01}}
  %0 = nn.dropout %x, %s p = -0.5 stream = 0 : tensor<?x8xf32>, tensor<i64>
  return
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

// -----

func.func @conv2d_rank(%x: tensor<?x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op expects an NCHW input and an OIHW filter, got shapes [?, 8, 8] and [8, 1, 3, 3]}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<?x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @conv2d_element_types(%x: tensor<1x1x8x8xf32>, %w: tensor<8x1x3x3xf64>) {
  // expected-error @+2 {{'nn.conv2d' op element types differ}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<1x1x8x8xf32>, tensor<8x1x3x3xf64>) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @conv2d_stride_entries(%x: tensor<?x1x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op stride must have 2 entries, got 1}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1] padding = [1, 1] : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @conv2d_stride_zero(%x: tensor<?x1x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op stride must be >= 1, got 0}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 0] padding = [1, 1] : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @conv2d_negative_padding(%x: tensor<?x1x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op padding must be >= 0, got -1}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [-1, 1] : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x6x8xf32>
  return
}

// -----

func.func @conv2d_padding_entries(%x: tensor<?x1x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op padding must have 2 entries, got 3}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1, 1] : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @conv2d_channels(%x: tensor<?x3x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op input [?, 3, 8, 8] has 3 channels but the filter [8, 1, 3, 3] expects 1}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<?x3x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @conv2d_filter_too_large(%x: tensor<?x1x2x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op the filter [8, 1, 3, 3] does not fit the input [?, 1, 2, 8]}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<?x1x2x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x1x6xf32>
  return
}

// -----

func.func @conv2d_result_type(%x: tensor<?x1x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+2 {{'nn.conv2d' op inferred type(s) 'tensor<?x8x6x6xf32>' are incompatible with return type(s) of operation 'tensor<?x8x8x8xf32>'}}
  // expected-error @+1 {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @conv2d_backward_input_shape(%dy: tensor<?x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op output gradient [?, 8, 6, 6] does not match the conv2d result [?, 8, 8, 8] of input [?, 1, 8, 8] and filter [8, 1, 3, 3]}}
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1] : (tensor<?x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<?x1x8x8xf32>
  return
}

// -----

func.func @conv2d_backward_input_rank(%dy: tensor<?x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op output gradient [?, 8, 8] does not match the conv2d result [?, 8, 8, 8] of input [?, 1, 8, 8] and filter [8, 1, 3, 3]}}
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1] : (tensor<?x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x1x8x8xf32>
  return
}

// -----

func.func @conv2d_backward_input_channels(%dy: tensor<?x8x8x8xf32>, %w: tensor<8x1x3x3xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_input' op input [?, 2, 8, 8] has 2 channels but the filter [8, 1, 3, 3] expects 1}}
  %0 = nn.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1] : (tensor<?x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x2x8x8xf32>
  return
}

// -----

func.func @conv2d_backward_filter_shape(%x: tensor<?x1x8x8xf32>, %dy: tensor<?x8x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op output gradient [?, 8, 8, 8] does not match the conv2d result [?, 4, 8, 8] of input [?, 1, 8, 8] and filter [4, 1, 3, 3]}}
  %0 = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] : (tensor<?x1x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<4x1x3x3xf32>
  return
}

// -----

func.func @conv2d_backward_filter_stride(%x: tensor<?x1x8x8xf32>, %dy: tensor<?x8x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d_backward_filter' op stride must be >= 1, got 0}}
  %0 = nn.conv2d_backward_filter %x, %dy stride = [0, 1] padding = [1, 1] : (tensor<?x1x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<8x1x3x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -----

func.func @max_pool2d_rank(%x: tensor<?x8x8xf32>) {
  // expected-error @+2 {{'nn.max_pool2d' op expects an NCHW input, got shape [?, 8, 8]}}
  // expected-error @+1 {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<?x8x8xf32> -> tensor<?x4x4xf32>
  return
}

// -----

func.func @avg_pool2d_kernel_entries(%x: tensor<?x1x8x8xf32>) {
  // expected-error @+2 {{'nn.avg_pool2d' op kernel must have 2 entries, got 1}}
  // expected-error @+1 {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x kernel = [2] stride = [2, 2] : tensor<?x1x8x8xf32> -> tensor<?x1x4x4xf32>
  return
}

// -----

func.func @avg_pool2d_kernel_zero(%x: tensor<?x1x8x8xf32>) {
  // expected-error @+2 {{'nn.avg_pool2d' op kernel must be >= 1, got 0}}
  // expected-error @+1 {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x kernel = [0, 2] stride = [2, 2] : tensor<?x1x8x8xf32> -> tensor<?x1x4x4xf32>
  return
}

// -----

func.func @max_pool2d_stride_zero(%x: tensor<?x1x8x8xf32>) {
  // expected-error @+2 {{'nn.max_pool2d' op stride must be >= 1, got 0}}
  // expected-error @+1 {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x kernel = [2, 2] stride = [2, 0] : tensor<?x1x8x8xf32> -> tensor<?x1x4x4xf32>
  return
}

// -----

func.func @max_pool2d_kernel_too_large(%x: tensor<?x1x8x3xf32>) {
  // expected-error @+2 {{'nn.max_pool2d' op kernel [4, 4] does not fit the input [?, 1, 8, 3]}}
  // expected-error @+1 {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x kernel = [4, 4] stride = [4, 4] : tensor<?x1x8x3xf32> -> tensor<?x1x2x1xf32>
  return
}

// -----

func.func @avg_pool2d_backward_shape(%dy: tensor<?x8x3x4xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d_backward' op pooled shape [?, 8, 3, 4] does not match the pooling of [?, 8, 8, 8], which is [?, 8, 4, 4]}}
  %0 = nn.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2] : tensor<?x8x3x4xf32> -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @avg_pool2d_backward_rank(%dy: tensor<?x8x4x4xf32>) {
  // expected-error @+1 {{'nn.avg_pool2d_backward' op expects an NCHW input, got shape [?, 8, 8]}}
  %0 = nn.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2] : tensor<?x8x4x4xf32> -> tensor<?x8x8xf32>
  return
}

// -----

func.func @max_pool2d_jvp_tangent(%x: tensor<?x8x8x8xf32>, %t: tensor<?x8x8x4xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_jvp' op tangent [?, 8, 8, 4] differs from the input [?, 8, 8, 8]}}
  %0 = nn.max_pool2d_jvp %x, %t kernel = [2, 2] stride = [2, 2] : (tensor<?x8x8x8xf32>, tensor<?x8x8x4xf32>) -> tensor<?x8x4x4xf32>
  return
}

// -----

func.func @max_pool2d_jvp_result(%x: tensor<?x8x8x8xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_jvp' op pooled shape [?, 8, 8, 8] does not match the pooling of [?, 8, 8, 8], which is [?, 8, 4, 4]}}
  %0 = nn.max_pool2d_jvp %x, %x kernel = [2, 2] stride = [2, 2] : (tensor<?x8x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<?x8x8x8xf32>
  return
}

// -----

func.func @max_pool2d_vjp_result(%x: tensor<?x8x8x8xf32>, %dy: tensor<?x8x4x4xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_vjp' op result [?, 8, 4, 4] differs from the input [?, 8, 8, 8]}}
  %0 = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<?x8x8x8xf32>, tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
  return
}

// -----

func.func @max_pool2d_vjp_grad(%x: tensor<?x8x8x8xf32>, %dy: tensor<?x8x2x2xf32>) {
  // expected-error @+1 {{'nn.max_pool2d_vjp' op pooled shape [?, 8, 2, 2] does not match the pooling of [?, 8, 8, 8], which is [?, 8, 4, 4]}}
  %0 = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<?x8x8x8xf32>, tensor<?x8x2x2xf32>) -> tensor<?x8x8x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Embedding and labels
//===----------------------------------------------------------------------===//

// -----

func.func @embedding_weight_rank(%ids: tensor<?x8xi64>, %w: tensor<100xf32>) {
  // expected-error @+2 {{'nn.embedding' op weight must be [NUM, DIM], got [100]}}
  // expected-error @+1 {{'nn.embedding' op failed to infer returned types}}
  %0 = nn.embedding %ids, %w : (tensor<?x8xi64>, tensor<100xf32>) -> tensor<?x8xf32>
  return
}

// -----

func.func @embedding_backward_rank(%ids: tensor<?x8xi64>, %dy: tensor<?x16xf32>) {
  // expected-error @+1 {{'nn.embedding_backward' op expects a [NUM, DIM] result and a gradient of rank 3, got [100, 16] and [?, 16]}}
  %0 = nn.embedding_backward %ids, %dy : (tensor<?x8xi64>, tensor<?x16xf32>) -> tensor<100x16xf32>
  return
}

// -----

func.func @embedding_backward_ids(%ids: tensor<?x8xi64>, %dy: tensor<?x4x16xf32>) {
  // expected-error @+1 {{'nn.embedding_backward' op gradient [?, 4, 16] does not match ids [?, 8]}}
  %0 = nn.embedding_backward %ids, %dy : (tensor<?x8xi64>, tensor<?x4x16xf32>) -> tensor<100x16xf32>
  return
}

// -----

func.func @embedding_backward_table(%ids: tensor<?x8xi64>, %dy: tensor<?x8x16xf32>) {
  // expected-error @+1 {{'nn.embedding_backward' op gradient [?, 8, 16] does not match table [100, 32]}}
  %0 = nn.embedding_backward %ids, %dy : (tensor<?x8xi64>, tensor<?x8x16xf32>) -> tensor<100x32xf32>
  return
}

// -----

func.func @one_hot_rank(%l: tensor<?xi64>) {
  // expected-error @+1 {{'nn.one_hot' op result [?] must add one static class dim to the labels [?]}}
  %0 = nn.one_hot %l : tensor<?xi64> -> tensor<?xf32>
  return
}

// -----

func.func @one_hot_dynamic_classes(%l: tensor<?xi64>) {
  // expected-error @+1 {{'nn.one_hot' op result [?, ?] must add one static class dim to the labels [?]}}
  %0 = nn.one_hot %l : tensor<?xi64> -> tensor<?x?xf32>
  return
}

// -----

func.func @one_hot_batch(%l: tensor<4xi64>) {
  // expected-error @+1 {{'nn.one_hot' op result [5, 10] does not match the labels [4]}}
  %0 = nn.one_hot %l : tensor<4xi64> -> tensor<5x10xf32>
  return
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

// -----

func.func @mse_shapes(%y: tensor<?x32xf32>, %t: tensor<?x16xf32>) {
  // expected-error @+2 {{'nn.mse' op operand shapes [?, 32] and [?, 16] must be the same}}
  // expected-error @+1 {{'nn.mse' op failed to infer returned types}}
  %0 = nn.mse %y, %t : (tensor<?x32xf32>, tensor<?x16xf32>) -> tensor<f32>
  return
}

// -----

func.func @mse_element_types(%y: tensor<4xf32>, %t: tensor<4xf64>) {
  // expected-error @+2 {{'nn.mse' op operand shapes [4] and [4] must be the same}}
  // expected-error @+1 {{'nn.mse' op failed to infer returned types}}
  %0 = nn.mse %y, %t : (tensor<4xf32>, tensor<4xf64>) -> tensor<f32>
  return
}

// -----

func.func @bce_with_logits_shapes(%x: tensor<?x1xf32>, %t: tensor<?xf32>) {
  // expected-error @+2 {{'nn.bce_with_logits' op operand shapes [?, 1] and [?] must be the same}}
  // expected-error @+1 {{'nn.bce_with_logits' op failed to infer returned types}}
  %0 = nn.bce_with_logits %x, %t : (tensor<?x1xf32>, tensor<?xf32>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_shapes(%l: tensor<?x10xf32>, %t: tensor<?x1xi64>) {
  // expected-error @+2 {{'nn.softmax_cross_entropy' op expects logits [N, C] and labels [N], got [?, 10] and [?, 1]}}
  // expected-error @+1 {{'nn.softmax_cross_entropy' op failed to infer returned types}}
  %0 = nn.softmax_cross_entropy %l, %t : (tensor<?x10xf32>, tensor<?x1xi64>) -> tensor<f32>
  return
}

// -----

func.func @cross_entropy_batch(%l: tensor<4x10xf32>, %t: tensor<5xi64>) {
  // expected-error @+2 {{'nn.softmax_cross_entropy' op expects logits [N, C] and labels [N], got [4, 10] and [5]}}
  // expected-error @+1 {{'nn.softmax_cross_entropy' op failed to infer returned types}}
  %0 = nn.softmax_cross_entropy %l, %t : (tensor<4x10xf32>, tensor<5xi64>) -> tensor<f32>
  return
}

//===----------------------------------------------------------------------===//
// Argument and result attributes
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{'nn.name' must be a string}}
func.func @name_not_string(%x: tensor<4xf32> {nn.name = 1 : i64}) {
  return
}

// -----

// expected-error @+1 {{'nn.init' must be a string}}
func.func @init_not_string(%x: tensor<4xf32> {nn.init = ["zeros"]}) {
  return
}

// -----

// expected-error @+1 {{'nn.kind' must be a string}}
func.func @kind_not_string(%x: tensor<4xf32> {nn.kind = 0 : i64}) {
  return
}

// -----

// expected-error @+1 {{unknown argument kind 'output'}}
func.func @argument_kind(%x: tensor<4xf32> {nn.kind = "output"}) {
  return
}

// -----

// expected-error @+1 {{unknown result kind 'input'}}
func.func @result_kind(%x: tensor<4xf32>) -> (tensor<4xf32> {nn.kind = "input"}) {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'nn.dims' must be an array of strings}}
func.func @dims_not_strings(%x: tensor<?xf32> {nn.dims = [1]}) {
  return
}

// -----

// expected-error @+1 {{'nn.dims' must be an array of strings}}
func.func @dims_not_array(%x: tensor<?xf32> {nn.dims = "N"}) {
  return
}

// -----

// expected-error @+1 {{'nn.dims' must name one symbol per dim of 'tensor<?x64xf32>'}}
func.func @dims_rank(%x: tensor<?x64xf32> {nn.dims = ["N"]}) {
  return
}

// -----

// expected-error @+1 {{'nn.dims' must name one symbol per dim of 'tensor<?xf32>'}}
func.func @result_dims_rank(%x: tensor<?xf32>) -> (tensor<?xf32> {nn.dims = ["N", ""]}) {
  return %x : tensor<?xf32>
}

// -----

// expected-error @+1 {{'nn.dims' must name one symbol per dim of 'tensor<?x?xf32>'}}
func.func private @declaration_dims(tensor<?x?xf32> {nn.dims = ["N"]})

// -----

// expected-error @+1 {{'nn.dims' must name one symbol per dim of 'index'}}
func.func @dims_not_tensor(%n: index {nn.dims = ["N"]}) {
  return
}

// -----

// expected-error @+1 {{unknown nn attribute 'nn.shape'}}
func.func @unknown_attribute(%x: tensor<4xf32> {nn.shape = [4]}) {
  return
}

// -----

// expected-error @+1 {{unknown nn attribute 'nn.optimizer'}}
func.func @optimizer_on_argument(%x: tensor<4xf32> {nn.optimizer = "sgd(lr=0.1)"}) {
  return
}
