// Round trip of every nn op: parse, print, parse again, in the custom form and
// from the generic form. The GENERIC run checks that default-valued
// attributes are materialized when the custom form leaves them out.

// RUN: adjoint-opt %s | adjoint-opt | FileCheck %s
// RUN: adjoint-opt %s -mlir-print-op-generic | adjoint-opt | FileCheck %s
// RUN: adjoint-opt %s -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constant()
func.func @constant() -> (tensor<f32>, tensor<2x3xf32>, tensor<3xi64>,
                          tensor<2xi32>, tensor<f64>) {
  // CHECK: nn.constant dense<2.000000e+00> : tensor<f32>
  %0 = nn.constant dense<2.0> : tensor<f32>
  // CHECK: nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
  %1 = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  // CHECK: nn.constant dense<[1, 2, 3]> : tensor<3xi64>
  %2 = nn.constant dense<[1, 2, 3]> : tensor<3xi64>
  // CHECK: nn.constant dense<7> : tensor<2xi32>
  %3 = nn.constant dense<7> : tensor<2xi32>
  // CHECK: nn.constant dense<5.000000e-01> : tensor<f64>
  %4 = nn.constant dense<0.5> : tensor<f64>
  return %0, %1, %2, %3, %4
      : tensor<f32>, tensor<2x3xf32>, tensor<3xi64>, tensor<2xi32>, tensor<f64>
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8xf32>, %[[S:[^:]*]]: tensor<f64>, %[[T:[^:]*]]: tensor<2x3xf32>
func.func @unary(%x: tensor<?x8xf32>, %s: tensor<f64>, %t: tensor<2x3xf32>) {
  // CHECK: nn.neg %[[X]] : tensor<?x8xf32>
  %0 = nn.neg %x : tensor<?x8xf32>
  // CHECK: nn.exp %[[X]] : tensor<?x8xf32>
  %1 = nn.exp %x : tensor<?x8xf32>
  // CHECK: nn.log %[[X]] : tensor<?x8xf32>
  %2 = nn.log %x : tensor<?x8xf32>
  // CHECK: nn.sqrt %[[X]] : tensor<?x8xf32>
  %3 = nn.sqrt %x : tensor<?x8xf32>
  // CHECK: nn.relu %[[X]] : tensor<?x8xf32>
  %4 = nn.relu %x : tensor<?x8xf32>
  // CHECK: nn.sigmoid %[[X]] : tensor<?x8xf32>
  %5 = nn.sigmoid %x : tensor<?x8xf32>
  // CHECK: nn.tanh %[[X]] : tensor<?x8xf32>
  %6 = nn.tanh %x : tensor<?x8xf32>
  // CHECK: nn.gelu %[[X]] : tensor<?x8xf32>
  %7 = nn.gelu %x : tensor<?x8xf32>
  // CHECK: nn.gelu_deriv %[[X]] : tensor<?x8xf32>
  %8 = nn.gelu_deriv %x : tensor<?x8xf32>
  // CHECK: nn.relu %[[S]] : tensor<f64>
  %9 = nn.relu %s : tensor<f64>
  // CHECK: nn.exp %[[T]] : tensor<2x3xf32>
  %10 = nn.exp %t : tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @leaky_relu(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8xf32>
// GENERIC-LABEL: sym_name = "leaky_relu"
func.func @leaky_relu(%x: tensor<4x8xf32>) {
  // CHECK: nn.leaky_relu %[[X]] : tensor<4x8xf32>
  // GENERIC: "nn.leaky_relu"(%{{.*}}) <{alpha = 0.00999999977 : f32}>
  %0 = nn.leaky_relu %x : tensor<4x8xf32>
  // CHECK: nn.leaky_relu %[[X]] {alpha = 2.000000e-01 : f32} : tensor<4x8xf32>
  // GENERIC: "nn.leaky_relu"(%{{.*}}) <{alpha = 2.000000e-01 : f32}>
  %1 = nn.leaky_relu %x {alpha = 0.2 : f32} : tensor<4x8xf32>
  // CHECK: nn.relu_mask %[[X]] : tensor<4x8xf32>
  // GENERIC: "nn.relu_mask"(%{{.*}}) <{alpha = 0.000000e+00 : f32}>
  %2 = nn.relu_mask %x : tensor<4x8xf32>
  // CHECK: nn.relu_mask %[[X]] {alpha = 2.000000e-01 : f32} : tensor<4x8xf32>
  // GENERIC: "nn.relu_mask"(%{{.*}}) <{alpha = 2.000000e-01 : f32}>
  %3 = nn.relu_mask %x {alpha = 0.2 : f32} : tensor<4x8xf32>
  return
}

// CHECK-LABEL: func.func @binary(
// CHECK-SAME: %[[A:[^:]*]]: tensor<?x128xf32>, %[[B:[^:]*]]: tensor<128xf32>, %[[C:[^:]*]]: tensor<f32>, %[[D:[^:]*]]: tensor<4x1x3xf64>, %[[E:[^:]*]]: tensor<5x1xf64>, %[[F:[^:]*]]: tensor<?x1xf32>
func.func @binary(%a: tensor<?x128xf32>, %b: tensor<128xf32>, %c: tensor<f32>,
                  %d: tensor<4x1x3xf64>, %e: tensor<5x1xf64>,
                  %f: tensor<?x1xf32>) {
  // CHECK: nn.add %[[A]], %[[B]] : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
  %0 = nn.add %a, %b : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
  // CHECK: nn.sub %[[A]], %[[A]] : tensor<?x128xf32>, tensor<?x128xf32> -> tensor<?x128xf32>
  %1 = nn.sub %a, %a : tensor<?x128xf32>, tensor<?x128xf32> -> tensor<?x128xf32>
  // CHECK: nn.mul %[[C]], %[[A]] : tensor<f32>, tensor<?x128xf32> -> tensor<?x128xf32>
  %2 = nn.mul %c, %a : tensor<f32>, tensor<?x128xf32> -> tensor<?x128xf32>
  // CHECK: nn.div %[[A]], %[[C]] : tensor<?x128xf32>, tensor<f32> -> tensor<?x128xf32>
  %3 = nn.div %a, %c : tensor<?x128xf32>, tensor<f32> -> tensor<?x128xf32>
  // CHECK: nn.add %[[D]], %[[E]] : tensor<4x1x3xf64>, tensor<5x1xf64> -> tensor<4x5x3xf64>
  %4 = nn.add %d, %e : tensor<4x1x3xf64>, tensor<5x1xf64> -> tensor<4x5x3xf64>
  // A dynamic dim against a static 1 stays dynamic.
  // CHECK: nn.mul %[[F]], %[[B]] : tensor<?x1xf32>, tensor<128xf32> -> tensor<?x128xf32>
  %5 = nn.mul %f, %b : tensor<?x1xf32>, tensor<128xf32> -> tensor<?x128xf32>
  return
}

//===----------------------------------------------------------------------===//
// Linear algebra and layout
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x64xf32>, %[[W:[^:]*]]: tensor<128x64xf32>, %[[A:[^:]*]]: tensor<2x?x3x4xf32>, %[[B:[^:]*]]: tensor<4x5xf32>, %[[C:[^:]*]]: tensor<4x3xf32>, %[[D:[^:]*]]: tensor<1x6x4xf64>, %[[E:[^:]*]]: tensor<4x3xf64>
// GENERIC-LABEL: sym_name = "matmul"
func.func @matmul(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>,
                  %a: tensor<2x?x3x4xf32>, %b: tensor<4x5xf32>,
                  %c: tensor<4x3xf32>, %d: tensor<1x6x4xf64>,
                  %e: tensor<4x3xf64>) {
  // CHECK: nn.matmul %[[X]], %[[W]] transpose_b : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  // GENERIC: "nn.matmul"(%{{.*}}, %{{.*}}) <{transpose_b}>
  %0 = nn.matmul %x, %w transpose_b
      : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  // CHECK: nn.matmul %[[A]], %[[B]] : tensor<2x?x3x4xf32>, tensor<4x5xf32> -> tensor<2x?x3x5xf32>
  // GENERIC: "nn.matmul"(%{{.*}}, %{{.*}}) : (tensor<2x?x3x4xf32>
  %1 = nn.matmul %a, %b
      : tensor<2x?x3x4xf32>, tensor<4x5xf32> -> tensor<2x?x3x5xf32>
  // CHECK: nn.matmul %[[C]], %[[B]] transpose_a : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  // GENERIC: "nn.matmul"(%{{.*}}, %{{.*}}) <{transpose_a}>
  %2 = nn.matmul %c, %b transpose_a
      : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  // CHECK: nn.matmul %[[E]], %[[D]] transpose_a transpose_b : tensor<4x3xf64>, tensor<1x6x4xf64> -> tensor<1x3x6xf64>
  // GENERIC: "nn.matmul"(%{{.*}}, %{{.*}}) <{transpose_a, transpose_b}>
  %3 = nn.matmul %e, %d transpose_a transpose_b
      : tensor<4x3xf64>, tensor<1x6x4xf64> -> tensor<1x3x6xf64>
  return
}

// CHECK-LABEL: func.func @layout(
// CHECK-SAME: %[[K:[^:]*]]: tensor<?x?x16xf32>, %[[I:[^:]*]]: tensor<2x3xi64>, %[[P:[^:]*]]: tensor<?x16x2x2xf32>, %[[N:[^:]*]]: index, %[[S:[^:]*]]: tensor<128xf32>, %[[T:[^:]*]]: tensor<6xf32>
func.func @layout(%k: tensor<?x?x16xf32>, %i: tensor<2x3xi64>,
                  %p: tensor<?x16x2x2xf32>, %n: index, %s: tensor<128xf32>,
                  %t: tensor<6xf32>) {
  // CHECK: nn.transpose %[[K]] perm = [0, 2, 1] : tensor<?x?x16xf32> -> tensor<?x16x?xf32>
  %0 = nn.transpose %k perm = [0, 2, 1] : tensor<?x?x16xf32> -> tensor<?x16x?xf32>
  // CHECK: nn.transpose %[[I]] perm = [1, 0] : tensor<2x3xi64> -> tensor<3x2xi64>
  %1 = nn.transpose %i perm = [1, 0] : tensor<2x3xi64> -> tensor<3x2xi64>
  // CHECK: %[[R:.*]] = nn.reshape %[[P]] : tensor<?x16x2x2xf32> -> tensor<?x64xf32>
  %2 = nn.reshape %p : tensor<?x16x2x2xf32> -> tensor<?x64xf32>
  // CHECK: nn.reshape %[[R]][%[[N]]] : tensor<?x64xf32> -> tensor<?x16x2x2xf32>
  %3 = nn.reshape %2 [%n] : tensor<?x64xf32> -> tensor<?x16x2x2xf32>
  // CHECK: nn.reshape %[[T]] : tensor<6xf32> -> tensor<2x3xf32>
  %4 = nn.reshape %t : tensor<6xf32> -> tensor<2x3xf32>
  // CHECK: nn.reshape %[[I]] : tensor<2x3xi64> -> tensor<6xi64>
  %5 = nn.reshape %i : tensor<2x3xi64> -> tensor<6xi64>
  // CHECK: nn.reshape %[[K]][%[[N]], %[[N]]] : tensor<?x?x16xf32> -> tensor<?x?xf32>
  %6 = nn.reshape %k [%n, %n] : tensor<?x?x16xf32> -> tensor<?x?xf32>
  // CHECK: nn.broadcast %[[S]][%[[N]]] : tensor<128xf32> -> tensor<?x128xf32>
  %7 = nn.broadcast %s [%n] : tensor<128xf32> -> tensor<?x128xf32>
  // CHECK: nn.broadcast %[[T]] : tensor<6xf32> -> tensor<2x6xf32>
  %8 = nn.broadcast %t : tensor<6xf32> -> tensor<2x6xf32>
  // CHECK: nn.broadcast %[[I]] : tensor<2x3xi64> -> tensor<4x2x3xi64>
  %9 = nn.broadcast %i : tensor<2x3xi64> -> tensor<4x2x3xi64>
  return
}

// CHECK-LABEL: func.func @reductions(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x32xf32>, %[[Y:[^:]*]]: tensor<4x5x6xf64>
// GENERIC-LABEL: sym_name = "reductions"
func.func @reductions(%x: tensor<?x32xf32>, %y: tensor<4x5x6xf64>) {
  // CHECK: nn.sum %[[X]] axes = [0] : tensor<?x32xf32> -> tensor<32xf32>
  // GENERIC: "nn.sum"(%{{.*}}) <{axes = array<i64: 0>}>
  %0 = nn.sum %x axes = [0] : tensor<?x32xf32> -> tensor<32xf32>
  // CHECK: nn.mean %[[X]] axes = [1] keepdims : tensor<?x32xf32> -> tensor<?x1xf32>
  // GENERIC: "nn.mean"(%{{.*}}) <{axes = array<i64: 1>, keepdims}>
  %1 = nn.mean %x axes = [1] keepdims : tensor<?x32xf32> -> tensor<?x1xf32>
  // CHECK: nn.sum %[[Y]] axes = [0, 2] keepdims : tensor<4x5x6xf64> -> tensor<1x5x1xf64>
  %2 = nn.sum %y axes = [0, 2] keepdims : tensor<4x5x6xf64> -> tensor<1x5x1xf64>
  // CHECK: nn.mean %[[Y]] axes = [0, 1, 2] : tensor<4x5x6xf64> -> tensor<f64>
  %3 = nn.mean %y axes = [0, 1, 2] : tensor<4x5x6xf64> -> tensor<f64>
  // CHECK: nn.sum %[[Y]] axes = [] : tensor<4x5x6xf64> -> tensor<4x5x6xf64>
  %4 = nn.sum %y axes = [] : tensor<4x5x6xf64> -> tensor<4x5x6xf64>
  // CHECK: nn.size %[[X]] axes = [0] : tensor<?x32xf32> -> tensor<f32>
  %5 = nn.size %x axes = [0] : tensor<?x32xf32> -> tensor<f32>
  // CHECK: nn.size %[[Y]] axes = [] : tensor<4x5x6xf64> -> tensor<f64>
  %6 = nn.size %y axes = [] : tensor<4x5x6xf64> -> tensor<f64>
  return
}

// CHECK-LABEL: func.func @concat_slice_pad(
// CHECK-SAME: %[[A:[^:]*]]: tensor<?x8xf32>, %[[B:[^:]*]]: tensor<?x4xf32>, %[[C:[^:]*]]: tensor<2x3xf32>, %[[X:[^:]*]]: tensor<?x1x8x8xf32>
func.func @concat_slice_pad(%a: tensor<?x8xf32>, %b: tensor<?x4xf32>,
                            %c: tensor<2x3xf32>, %x: tensor<?x1x8x8xf32>) {
  // CHECK: %[[AB:.*]] = nn.concat %[[A]], %[[B]] axis = 1 : (tensor<?x8xf32>, tensor<?x4xf32>) -> tensor<?x12xf32>
  %0 = nn.concat %a, %b axis = 1
      : (tensor<?x8xf32>, tensor<?x4xf32>) -> tensor<?x12xf32>
  // CHECK: %[[CCC:.*]] = nn.concat %[[C]], %[[C]], %[[C]] axis = 0 : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<6x3xf32>
  %1 = nn.concat %c, %c, %c axis = 0
      : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<6x3xf32>
  // CHECK: nn.concat %[[C]] axis = 1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.concat %c axis = 1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.slice %[[AB]] axis = 1 start = 8 : tensor<?x12xf32> -> tensor<?x4xf32>
  %3 = nn.slice %0 axis = 1 start = 8 : tensor<?x12xf32> -> tensor<?x4xf32>
  // CHECK: nn.slice %[[CCC]] axis = 0 start = 0 : tensor<6x3xf32> -> tensor<2x3xf32>
  %4 = nn.slice %1 axis = 0 start = 0 : tensor<6x3xf32> -> tensor<2x3xf32>
  // CHECK: nn.pad %[[X]] low = [0, 0, 1, 1] high = [0, 0, 1, 1] : tensor<?x1x8x8xf32> -> tensor<?x1x10x10xf32>
  %5 = nn.pad %x low = [0, 0, 1, 1] high = [0, 0, 1, 1]
      : tensor<?x1x8x8xf32> -> tensor<?x1x10x10xf32>
  // CHECK: nn.pad %[[C]] low = [1, 0] high = [0, 2] : tensor<2x3xf32> -> tensor<3x5xf32>
  %6 = nn.pad %c low = [1, 0] high = [0, 2] : tensor<2x3xf32> -> tensor<3x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// Normalizations, softmax and dropout
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[S:[^:]*]]: tensor<?x?x?xf32>, %[[X:[^:]*]]: tensor<3x10xf64>
func.func @softmax(%s: tensor<?x?x?xf32>, %x: tensor<3x10xf64>) {
  // CHECK: nn.softmax %[[S]] axis = 2 : tensor<?x?x?xf32>
  %0 = nn.softmax %s axis = 2 : tensor<?x?x?xf32>
  // CHECK: nn.log_softmax %[[X]] axis = 0 : tensor<3x10xf64>
  %1 = nn.log_softmax %x axis = 0 : tensor<3x10xf64>
  return
}

// CHECK-LABEL: func.func @layernorm(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x32xf32>, %[[W:[^:]*]]: tensor<32xf32>, %[[B:[^:]*]]: tensor<32xf32>
func.func @layernorm(%x: tensor<?x32xf32>, %w: tensor<32xf32>,
                     %b: tensor<32xf32>) {
  // CHECK: nn.layernorm %[[X]], %[[W]], %[[B]] eps = 1.000000e-05 : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  %0 = nn.layernorm %x, %w, %b eps = 1.0e-5
      : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  // CHECK: nn.layernorm %[[X]], %[[W]], %[[B]] eps = 1.000000e-03
  %1 = nn.layernorm %x, %w, %b eps = 1.0e-3
      : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  // The generic form may leave out eps; it then takes its default.
  // CHECK: nn.layernorm %[[X]], %[[W]], %[[B]] eps = 1.000000e-05
  %2 = "nn.layernorm"(%x, %w, %b)
      : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
  return
}

// CHECK-LABEL: func.func @batchnorm(
// CHECK-SAME: %[[Y:[^:]*]]: tensor<?x8x4x4xf32>, %[[G:[^:]*]]: tensor<8xf32>, %[[Z:[^:]*]]: tensor<3x8xf64>, %[[H:[^:]*]]: tensor<8xf64>
// GENERIC-LABEL: sym_name = "batchnorm"
func.func @batchnorm(%y: tensor<?x8x4x4xf32>, %g: tensor<8xf32>,
                     %z: tensor<3x8xf64>, %h: tensor<8xf64>) {
  // CHECK: nn.batchnorm %[[Y]], %[[G]], %[[G]], %[[G]], %[[G]] eps = 1.000000e-05 momentum = 1.000000e-01 training : (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>)
  // GENERIC: "nn.batchnorm"({{.*}}) <{eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, training}>
  %0:3 = nn.batchnorm %y, %g, %g, %g, %g eps = 1.0e-5 momentum = 0.1 training
      : (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
         tensor<8xf32>) -> (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>)
  // CHECK: nn.batchnorm %[[Z]], %[[H]], %[[H]], %[[H]], %[[H]] eps = 1.000000e-03 momentum = 5.000000e-01 : (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>) -> (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>)
  // GENERIC: "nn.batchnorm"({{.*}}) <{eps = 1.000000e-03 : f64, momentum = 5.000000e-01 : f64}>
  %1:3 = nn.batchnorm %z, %h, %h, %h, %h eps = 1.0e-3 momentum = 0.5
      : (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>,
         tensor<8xf64>) -> (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>)
  // Default eps and momentum when the generic form leaves them out.
  // CHECK: nn.batchnorm %[[Z]], %[[H]], %[[H]], %[[H]], %[[H]] eps = 1.000000e-05 momentum = 1.000000e-01 :
  %2:3 = "nn.batchnorm"(%z, %h, %h, %h, %h)
      : (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>,
         tensor<8xf64>) -> (tensor<3x8xf64>, tensor<8xf64>, tensor<8xf64>)
  return
}

// CHECK-LABEL: func.func @dropout(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x32xf32>, %[[SEED:[^:]*]]: tensor<i64>
func.func @dropout(%x: tensor<?x32xf32>, %seed: tensor<i64>) {
  // CHECK: nn.dropout %[[X]], %[[SEED]] p = 5.000000e-01 stream = 0 training : tensor<?x32xf32>, tensor<i64>
  %0 = nn.dropout %x, %seed p = 0.5 stream = 0 training
      : tensor<?x32xf32>, tensor<i64>
  // CHECK: nn.dropout %[[X]], %[[SEED]] p = 0.000000e+00 stream = 3 : tensor<?x32xf32>, tensor<i64>
  %1 = nn.dropout %x, %seed p = 0.0 stream = 3 : tensor<?x32xf32>, tensor<i64>
  return
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x1x8x8xf32>, %[[W:[^:]*]]: tensor<8x1x3x3xf32>, %[[DY:[^:]*]]: tensor<?x8x8x8xf32>, %[[A:[^:]*]]: tensor<2x3x9x7xf64>, %[[B:[^:]*]]: tensor<4x3x3x2xf64>
func.func @conv(%x: tensor<?x1x8x8xf32>, %w: tensor<8x1x3x3xf32>,
                %dy: tensor<?x8x8x8xf32>, %a: tensor<2x3x9x7xf64>,
                %b: tensor<4x3x3x2xf64>) {
  // CHECK: nn.conv2d %[[X]], %[[W]] stride = [1, 1] padding = [1, 1] : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  %0 = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1]
      : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
  // Ho = (9 + 2 - 3) / 2 + 1 = 5, Wo = (7 - 2) / 3 + 1 = 2.
  // CHECK: nn.conv2d %[[A]], %[[B]] stride = [2, 3] padding = [1, 0] : (tensor<2x3x9x7xf64>, tensor<4x3x3x2xf64>) -> tensor<2x4x5x2xf64>
  %1 = nn.conv2d %a, %b stride = [2, 3] padding = [1, 0]
      : (tensor<2x3x9x7xf64>, tensor<4x3x3x2xf64>) -> tensor<2x4x5x2xf64>
  // CHECK: nn.conv2d_backward_input %[[DY]], %[[W]] stride = [1, 1] padding = [1, 1] : (tensor<?x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x1x8x8xf32>
  %2 = nn.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1]
      : (tensor<?x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x1x8x8xf32>
  // CHECK: nn.conv2d_backward_filter %[[X]], %[[DY]] stride = [1, 1] padding = [1, 1] : (tensor<?x1x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<8x1x3x3xf32>
  %3 = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1]
      : (tensor<?x1x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<8x1x3x3xf32>
  return
}

// CHECK-LABEL: func.func @pool(
// CHECK-SAME: %[[R:[^:]*]]: tensor<?x8x8x8xf32>, %[[Q:[^:]*]]: tensor<1x2x5x7xf64>, %[[DY:[^:]*]]: tensor<?x8x4x4xf32>
func.func @pool(%r: tensor<?x8x8x8xf32>, %q: tensor<1x2x5x7xf64>,
                %dy: tensor<?x8x4x4xf32>) {
  // CHECK: nn.max_pool2d %[[R]] kernel = [2, 2] stride = [2, 2] : tensor<?x8x8x8xf32> -> tensor<?x8x4x4xf32>
  %0 = nn.max_pool2d %r kernel = [2, 2] stride = [2, 2]
      : tensor<?x8x8x8xf32> -> tensor<?x8x4x4xf32>
  // CHECK: nn.avg_pool2d %[[Q]] kernel = [3, 2] stride = [1, 2] : tensor<1x2x5x7xf64> -> tensor<1x2x3x3xf64>
  %1 = nn.avg_pool2d %q kernel = [3, 2] stride = [1, 2]
      : tensor<1x2x5x7xf64> -> tensor<1x2x3x3xf64>
  // CHECK: nn.avg_pool2d_backward %[[DY]] kernel = [2, 2] stride = [2, 2] : tensor<?x8x4x4xf32> -> tensor<?x8x8x8xf32>
  %2 = nn.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2]
      : tensor<?x8x4x4xf32> -> tensor<?x8x8x8xf32>
  // CHECK: nn.max_pool2d_jvp %[[R]], %[[R]] kernel = [2, 2] stride = [2, 2] : (tensor<?x8x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<?x8x4x4xf32>
  %3 = nn.max_pool2d_jvp %r, %r kernel = [2, 2] stride = [2, 2]
      : (tensor<?x8x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<?x8x4x4xf32>
  // CHECK: nn.max_pool2d_vjp %[[R]], %[[DY]] kernel = [2, 2] stride = [2, 2] : (tensor<?x8x8x8xf32>, tensor<?x8x4x4xf32>) -> tensor<?x8x8x8xf32>
  %4 = nn.max_pool2d_vjp %r, %dy kernel = [2, 2] stride = [2, 2]
      : (tensor<?x8x8x8xf32>, tensor<?x8x4x4xf32>) -> tensor<?x8x8x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Embedding and labels
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @embedding(
// CHECK-SAME: %[[IDS:[^:]*]]: tensor<?x8xi64>, %[[W:[^:]*]]: tensor<100x16xf32>, %[[DE:[^:]*]]: tensor<?x8x16xf32>, %[[I32:[^:]*]]: tensor<3xi32>, %[[LAB:[^:]*]]: tensor<?xi64>
func.func @embedding(%ids: tensor<?x8xi64>, %w: tensor<100x16xf32>,
                     %de: tensor<?x8x16xf32>, %i32: tensor<3xi32>,
                     %labels: tensor<?xi64>) {
  // CHECK: nn.embedding %[[IDS]], %[[W]] : (tensor<?x8xi64>, tensor<100x16xf32>) -> tensor<?x8x16xf32>
  %0 = nn.embedding %ids, %w
      : (tensor<?x8xi64>, tensor<100x16xf32>) -> tensor<?x8x16xf32>
  // CHECK: nn.embedding %[[I32]], %[[W]] : (tensor<3xi32>, tensor<100x16xf32>) -> tensor<3x16xf32>
  %1 = nn.embedding %i32, %w
      : (tensor<3xi32>, tensor<100x16xf32>) -> tensor<3x16xf32>
  // CHECK: nn.embedding_backward %[[IDS]], %[[DE]] : (tensor<?x8xi64>, tensor<?x8x16xf32>) -> tensor<100x16xf32>
  %2 = nn.embedding_backward %ids, %de
      : (tensor<?x8xi64>, tensor<?x8x16xf32>) -> tensor<100x16xf32>
  // CHECK: nn.one_hot %[[LAB]] : tensor<?xi64> -> tensor<?x10xf32>
  %3 = nn.one_hot %labels : tensor<?xi64> -> tensor<?x10xf32>
  // CHECK: nn.one_hot %[[I32]] : tensor<3xi32> -> tensor<3x5xf64>
  %4 = nn.one_hot %i32 : tensor<3xi32> -> tensor<3x5xf64>
  return
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @losses(
// CHECK-SAME: %[[Y:[^:]*]]: tensor<?x32xf32>, %[[T:[^:]*]]: tensor<8x32xf32>, %[[L:[^:]*]]: tensor<?x10xf32>, %[[LAB:[^:]*]]: tensor<?xi64>, %[[X:[^:]*]]: tensor<4x1xf64>
func.func @losses(%y: tensor<?x32xf32>, %t: tensor<8x32xf32>,
                  %l: tensor<?x10xf32>, %lab: tensor<?xi64>,
                  %x: tensor<4x1xf64>) {
  // CHECK: nn.mse %[[Y]], %[[T]] : (tensor<?x32xf32>, tensor<8x32xf32>) -> tensor<f32>
  %0 = nn.mse %y, %t : (tensor<?x32xf32>, tensor<8x32xf32>) -> tensor<f32>
  // CHECK: nn.softmax_cross_entropy %[[L]], %[[LAB]] : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
  %1 = nn.softmax_cross_entropy %l, %lab
      : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
  // CHECK: nn.bce_with_logits %[[X]], %[[X]] : (tensor<4x1xf64>, tensor<4x1xf64>) -> tensor<f64>
  %2 = nn.bce_with_logits %x, %x
      : (tensor<4x1xf64>, tensor<4x1xf64>) -> tensor<f64>
  return
}

//===----------------------------------------------------------------------===//
// Argument and result attributes
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @attributes(
// CHECK-SAME: %{{[^:]*}}: tensor<?x64xf32> {nn.dims = ["N", ""], nn.kind = "input", nn.name = "x"}
// CHECK-SAME: %{{[^:]*}}: tensor<128x64xf32> {nn.init = "uniform(-0.125, 0.125)", nn.kind = "param", nn.name = "h.weight"}
// CHECK-SAME: %{{[^:]*}}: tensor<8xf32> {nn.init = "zeros", nn.kind = "buffer", nn.name = "bn.running_mean"}
// CHECK-SAME: %{{[^:]*}}: tensor<i64> {nn.kind = "seed", nn.name = "seed"}
// CHECK-SAME: -> (tensor<?x128xf32> {nn.dims = ["N", ""], nn.kind = "output", nn.name = "h"}, tensor<f32> {nn.kind = "loss", nn.name = "loss"}, tensor<128x64xf32> {nn.kind = "grad", nn.name = "grad.h.weight"}, tensor<8xf32> {nn.kind = "buffer", nn.name = "bn.running_mean"}, tensor<8xf32> {nn.kind = "state", nn.name = "opt.m"})
func.func @attributes(
    %x: tensor<?x64xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", ""]},
    %w: tensor<128x64xf32> {nn.name = "h.weight", nn.kind = "param",
                            nn.init = "uniform(-0.125, 0.125)"},
    %rm: tensor<8xf32> {nn.name = "bn.running_mean", nn.kind = "buffer",
                        nn.init = "zeros"},
    %seed: tensor<i64> {nn.name = "seed", nn.kind = "seed"})
    -> (tensor<?x128xf32> {nn.name = "h", nn.kind = "output", nn.dims = ["N", ""]},
        tensor<f32> {nn.name = "loss", nn.kind = "loss"},
        tensor<128x64xf32> {nn.name = "grad.h.weight", nn.kind = "grad"},
        tensor<8xf32> {nn.name = "bn.running_mean", nn.kind = "buffer"},
        tensor<8xf32> {nn.name = "opt.m", nn.kind = "state"}) {
  %h = nn.matmul %x, %w transpose_b
      : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  %l = nn.constant dense<0.0> : tensor<f32>
  return %h, %l, %w, %rm, %rm
      : tensor<?x128xf32>, tensor<f32>, tensor<128x64xf32>, tensor<8xf32>,
        tensor<8xf32>
}

// A declaration has no region; its argument attributes are checked against
// the function type.
// CHECK-LABEL: func.func private @declaration(
// CHECK-SAME: tensor<?x?xf32> {nn.dims = ["N", "M"], nn.kind = "input", nn.name = "x"}
// CHECK-SAME: -> (tensor<?xf32> {nn.dims = ["N"], nn.kind = "output"})
func.func private @declaration(
    tensor<?x?xf32> {nn.name = "x", nn.kind = "input", nn.dims = ["N", "M"]})
    -> (tensor<?xf32> {nn.kind = "output", nn.dims = ["N"]})

// The module carries the optimizer statement.
// CHECK: module attributes {nn.optimizer = "sgd(lr=0.1, momentum=0.9)"}
module attributes {nn.optimizer = "sgd(lr=0.1, momentum=0.9)"} {
}
