// The folders of the nn ops, and the cases each must leave alone.

// RUN: adjoint-opt %s -canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant_dedup
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: return %[[C]], %[[C]]
func.func @constant_dedup() -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = nn.constant dense<1.0> : tensor<2xf32>
  %1 = nn.constant dense<1.0> : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @constant_distinct
// CHECK-DAG: nn.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG: nn.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK-DAG: nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
func.func @constant_distinct() -> (tensor<2xf32>, tensor<2xf64>, tensor<2xf32>) {
  %0 = nn.constant dense<1.0> : tensor<2xf32>
  %1 = nn.constant dense<1.0> : tensor<2xf64>
  %2 = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xf64>, tensor<2xf32>
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @transpose_identity(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x3xf32>
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = nn.transpose %x perm = [0, 1] : tensor<?x3xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_of_transpose_inverse(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4xf32>
// CHECK-NEXT: return %[[X]]
func.func @transpose_of_transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.transpose %x perm = [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = nn.transpose %0 perm = [2, 0, 1] : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// Result dim i of the outer transpose is dim inner[outer[i]] of %x.
// CHECK-LABEL: func.func @transpose_of_transpose_composed(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4xi64>
// CHECK-NEXT: %[[T:.*]] = nn.transpose %[[X]] perm = [1, 2, 0] : tensor<2x3x4xi64> -> tensor<3x4x2xi64>
// CHECK-NEXT: return %[[T]]
func.func @transpose_of_transpose_composed(%x: tensor<2x3x4xi64>) -> tensor<3x4x2xi64> {
  %0 = nn.transpose %x perm = [1, 0, 2] : tensor<2x3x4xi64> -> tensor<3x2x4xi64>
  %1 = nn.transpose %0 perm = [0, 2, 1] : tensor<3x2x4xi64> -> tensor<3x4x2xi64>
  return %1 : tensor<3x4x2xi64>
}

// -----

// The inner transpose stays when it has another use.
// CHECK-LABEL: func.func @transpose_of_transpose_shared(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x3xf32>
// CHECK-NEXT: %[[T:.*]] = nn.transpose %[[X]] perm = [1, 0]
// CHECK-NEXT: return %[[X]], %[[T]]
func.func @transpose_of_transpose_shared(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<3x?xf32>) {
  %0 = nn.transpose %x perm = [1, 0] : tensor<?x3xf32> -> tensor<3x?xf32>
  %1 = nn.transpose %0 perm = [1, 0] : tensor<3x?xf32> -> tensor<?x3xf32>
  return %1, %0 : tensor<?x3xf32>, tensor<3x?xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_kept(
// CHECK-NEXT: nn.transpose %{{.*}} perm = [1, 0]
func.func @transpose_kept(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = nn.transpose %x perm = [1, 0] : tensor<3x3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

//===----------------------------------------------------------------------===//
// Neutral elements
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @add_zero(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK-NOT: nn.add
// CHECK: return %[[X]], %[[X]], %[[X]]
func.func @add_zero(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>) {
  %z = nn.constant dense<0.0> : tensor<f32>
  %zz = nn.constant dense<0.0> : tensor<1x8xf32>
  %0 = nn.add %x, %z : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %1 = nn.add %z, %x : tensor<f32>, tensor<?x8xf32> -> tensor<?x8xf32>
  %2 = nn.add %x, %zz : tensor<?x8xf32>, tensor<1x8xf32> -> tensor<?x8xf32>
  return %0, %1, %2 : tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Adding zero that broadcasts %x to a larger shape is not the identity.
// CHECK-LABEL: func.func @add_zero_broadcasting(
// CHECK-SAME: %[[X:[^:]*]]: tensor<8xf32>, %[[Y:[^:]*]]: tensor<?x1xf32>
// CHECK-DAG: %[[Z:.*]] = nn.constant dense<0.000000e+00> : tensor<4x8xf32>
// CHECK-DAG: %[[Z2:.*]] = nn.constant dense<0.000000e+00> : tensor<8xf32>
// CHECK-DAG: nn.add %[[X]], %[[Z]] : tensor<8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
// CHECK-DAG: nn.add %[[Y]], %[[Z2]] : tensor<?x1xf32>, tensor<8xf32> -> tensor<?x8xf32>
func.func @add_zero_broadcasting(%x: tensor<8xf32>, %y: tensor<?x1xf32>) -> (tensor<4x8xf32>, tensor<?x8xf32>) {
  %z = nn.constant dense<0.0> : tensor<4x8xf32>
  %z2 = nn.constant dense<0.0> : tensor<8xf32>
  %0 = nn.add %x, %z : tensor<8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %1 = nn.add %y, %z2 : tensor<?x1xf32>, tensor<8xf32> -> tensor<?x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @add_not_zero(
// CHECK-COUNT-2: nn.add
func.func @add_not_zero(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %a = nn.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %b = nn.constant dense<1.0> : tensor<2xf32>
  %0 = nn.add %x, %a : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %1 = nn.add %x, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @sub_zero(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf64>
// CHECK-NEXT: return %[[X]]
func.func @sub_zero(%x: tensor<?x8xf64>) -> tensor<?x8xf64> {
  %z = nn.constant dense<0.0> : tensor<8xf64>
  %0 = nn.sub %x, %z : tensor<?x8xf64>, tensor<8xf64> -> tensor<?x8xf64>
  return %0 : tensor<?x8xf64>
}

// -----

// 0 - x is -x, not x.
// CHECK-LABEL: func.func @zero_sub(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK: %[[R:.*]] = nn.sub %{{.*}}, %[[X]]
// CHECK: return %[[R]]
func.func @zero_sub(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %z = nn.constant dense<0.0> : tensor<f32>
  %0 = nn.sub %z, %x : tensor<f32>, tensor<?x8xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @mul_one(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK-NOT: nn.mul
// CHECK: return %[[X]], %[[X]]
func.func @mul_one(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %one = nn.constant dense<1.0> : tensor<f32>
  %0 = nn.mul %x, %one : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
  %1 = nn.mul %one, %x : tensor<f32>, tensor<?x8xf32> -> tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @mul_kept(
// CHECK-COUNT-3: nn.mul
func.func @mul_kept(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<2x8xf32>) {
  %zero = nn.constant dense<0.0> : tensor<f32>
  %two = nn.constant dense<2.0> : tensor<f32>
  %ones = nn.constant dense<1.0> : tensor<2x8xf32>
  %0 = nn.mul %x, %zero : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %1 = nn.mul %x, %two : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %2 = nn.mul %x, %ones : tensor<8xf32>, tensor<2x8xf32> -> tensor<2x8xf32>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xf32>, tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @div_one(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK-NEXT: return %[[X]]
func.func @div_one(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %one = nn.constant dense<1.0> : tensor<8xf32>
  %0 = nn.div %x, %one : tensor<?x8xf32>, tensor<8xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// 1 / x is not x.
// CHECK-LABEL: func.func @one_div(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK: %[[R:.*]] = nn.div %{{.*}}, %[[X]]
// CHECK: return %[[R]]
func.func @one_div(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %one = nn.constant dense<1.0> : tensor<f32>
  %0 = nn.div %one, %x : tensor<f32>, tensor<?x8xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @neg_neg(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK-NEXT: %[[N:.*]] = nn.neg %[[X]]
// CHECK-NEXT: return %[[X]], %[[N]]
func.func @neg_neg(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = nn.neg %x : tensor<?x8xf32>
  %1 = nn.neg %0 : tensor<?x8xf32>
  %2 = nn.neg %1 : tensor<?x8xf32>
  %3 = nn.neg %2 : tensor<?x8xf32>
  %4 = nn.neg %3 : tensor<?x8xf32>
  return %3, %4 : tensor<?x8xf32>, tensor<?x8xf32>
}

//===----------------------------------------------------------------------===//
// Reshape and broadcast
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reshape_same_type(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>, %[[Y:[^:]*]]: tensor<?x64xf32>, %[[N:[^:]*]]: index
// CHECK-NEXT: return %[[X]], %[[Y]], %[[Y]]
func.func @reshape_same_type(%x: tensor<2x3xf32>, %y: tensor<?x64xf32>, %n: index)
    -> (tensor<2x3xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  %0 = nn.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // One dynamic dim is fixed by the element count.
  %1 = nn.reshape %y : tensor<?x64xf32> -> tensor<?x64xf32>
  %2 = nn.reshape %y [%n] : tensor<?x64xf32> -> tensor<?x64xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}

// -----

// With two dynamic dims the same type can hide a real reshape ([2, 6] to
// [3, 4]).
// CHECK-LABEL: func.func @reshape_two_dynamic_dims(
// CHECK: %[[R:.*]] = nn.reshape
// CHECK: return %[[R]]
func.func @reshape_two_dynamic_dims(%x: tensor<?x?xf32>, %a: index, %b: index) -> tensor<?x?xf32> {
  %0 = nn.reshape %x [%a, %b] : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_reshape(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x16x2x2xf32>
// CHECK-NEXT: %[[R:.*]] = nn.reshape %[[X]] : tensor<?x16x2x2xf32> -> tensor<?x8x8xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<?x16x2x2xf32>) -> tensor<?x8x8xf32> {
  %0 = nn.reshape %x : tensor<?x16x2x2xf32> -> tensor<?x64xf32>
  %1 = nn.reshape %0 : tensor<?x64xf32> -> tensor<?x8x8xf32>
  return %1 : tensor<?x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_reshape_back(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x6xf32>
// CHECK-NEXT: return %[[X]]
func.func @reshape_of_reshape_back(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %0 = nn.reshape %x : tensor<4x6xf32> -> tensor<2x12xf32>
  %1 = nn.reshape %0 : tensor<2x12xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_constant(
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<{{\[\[}}1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
// CHECK-NEXT: return %[[C]]
func.func @reshape_of_constant() -> tensor<2x3xi64> {
  %c = nn.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %0 = nn.reshape %c : tensor<6xi64> -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// A constant reshaped to a dynamic shape keeps the reshape.
// CHECK-LABEL: func.func @reshape_of_constant_dynamic(
// CHECK: %[[C:.*]] = nn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: %[[R:.*]] = nn.reshape %[[C]] : tensor<4xf32> -> tensor<?x2xf32>
// CHECK: return %[[R]]
func.func @reshape_of_constant_dynamic() -> tensor<?x2xf32> {
  %c = nn.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %0 = nn.reshape %c : tensor<4xf32> -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_same_type(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>, %[[Y:[^:]*]]: tensor<?x3xf32>, %[[N:[^:]*]]: index
// CHECK-NEXT: return %[[X]], %[[Y]]
func.func @broadcast_same_type(%x: tensor<2x3xf32>, %y: tensor<?x3xf32>, %n: index)
    -> (tensor<2x3xf32>, tensor<?x3xf32>) {
  %0 = nn.broadcast %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // A dynamic dim never broadcasts, so this is the identity too.
  %1 = nn.broadcast %y [%n] : tensor<?x3xf32> -> tensor<?x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_of_splat(
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<5.000000e-01> : tensor<4x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @broadcast_of_splat() -> tensor<4x3xf32> {
  %c = nn.constant dense<0.5> : tensor<f32>
  %0 = nn.broadcast %c : tensor<f32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A non-splat constant, a dynamic result and a real broadcast stay.
// CHECK-LABEL: func.func @broadcast_kept(
// CHECK-SAME: %[[X:[^:]*]]: tensor<3xf32>, %[[N:[^:]*]]: index
// CHECK-DAG: %[[C:.*]] = nn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[S:.*]] = nn.constant dense<5.000000e-01> : tensor<f32>
// CHECK-DAG: %[[B0:.*]] = nn.broadcast %[[C]] : tensor<3xf32> -> tensor<2x3xf32>
// CHECK-DAG: %[[B1:.*]] = nn.broadcast %[[S]][%[[N]]] : tensor<f32> -> tensor<?x3xf32>
// CHECK-DAG: %[[B2:.*]] = nn.broadcast %[[X]] : tensor<3xf32> -> tensor<2x3xf32>
// CHECK: return %[[B0]], %[[B1]], %[[B2]]
func.func @broadcast_kept(%x: tensor<3xf32>, %n: index)
    -> (tensor<2x3xf32>, tensor<?x3xf32>, tensor<2x3xf32>) {
  %c = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %s = nn.constant dense<0.5> : tensor<f32>
  %0 = nn.broadcast %c : tensor<3xf32> -> tensor<2x3xf32>
  %1 = nn.broadcast %s [%n] : tensor<f32> -> tensor<?x3xf32>
  %2 = nn.broadcast %x : tensor<3xf32> -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<?x3xf32>, tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Reductions and concat
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reduce_no_axes(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]]
func.func @reduce_no_axes(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = nn.sum %x axes = [] : tensor<?x8xf32> -> tensor<?x8xf32>
  %1 = nn.mean %x axes = [] : tensor<?x8xf32> -> tensor<?x8xf32>
  %2 = nn.sum %x axes = [] keepdims : tensor<?x8xf32> -> tensor<?x8xf32>
  return %0, %1, %2 : tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_kept(
// CHECK: nn.sum %{{.*}} axes = [0]
// CHECK: nn.mean %{{.*}} axes = [1] keepdims
func.func @reduce_kept(%x: tensor<1x8xf32>) -> (tensor<8xf32>, tensor<1x1xf32>) {
  %0 = nn.sum %x axes = [0] : tensor<1x8xf32> -> tensor<8xf32>
  %1 = nn.mean %x axes = [1] keepdims : tensor<1x8xf32> -> tensor<1x1xf32>
  return %0, %1 : tensor<8xf32>, tensor<1x1xf32>
}

// -----

// CHECK-LABEL: func.func @concat_single(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK-NEXT: return %[[X]]
func.func @concat_single(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = nn.concat %x axis = 1 : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @concat_kept(
// CHECK: nn.concat
func.func @concat_kept(%x: tensor<?x8xf32>) -> tensor<?x16xf32> {
  %0 = nn.concat %x, %x axis = 1 : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// Folders chain: the neutral elements go away once the layout ops fold.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8xf32>
// CHECK-NEXT: return %[[X]]
func.func @chain(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %z = nn.constant dense<0.0> : tensor<f32>
  %zb = nn.broadcast %z : tensor<f32> -> tensor<4x8xf32>
  %0 = nn.transpose %x perm = [1, 0] : tensor<4x8xf32> -> tensor<8x4xf32>
  %1 = nn.transpose %0 perm = [1, 0] : tensor<8x4xf32> -> tensor<4x8xf32>
  %2 = nn.add %1, %zb : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
  %3 = nn.reshape %2 : tensor<4x8xf32> -> tensor<32xf32>
  %4 = nn.reshape %3 : tensor<32xf32> -> tensor<4x8xf32>
  return %4 : tensor<4x8xf32>
}
