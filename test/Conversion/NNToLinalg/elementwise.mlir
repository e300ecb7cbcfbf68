// RUN: adjoint-opt %s --convert-nn-to-linalg --split-input-file | FileCheck %s

// A unary op is one parallel linalg.generic over an empty tensor of the
// input's sizes; relu keeps x where x > 0 or x is NaN (ugt).
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[X]] : tensor<?x4xf32>) outs(%[[E]] : tensor<?x4xf32>)
// CHECK: arith.cmpf ugt
// CHECK: arith.select
// CHECK-NOT: nn.
func.func @relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = nn.relu %x : tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// The bias is read through a map that aligns it to the trailing dim.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_bias
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[LAST]], #[[ID]]]
// CHECK: arith.addf
func.func @add_bias(%x: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %y = nn.add %x, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// A static 1 broadcasts (the map reads element 0); two dynamic dims must
// agree at run time.
// CHECK-DAG: #[[BCAST:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @mul_dynamic
// CHECK-SAME: (%[[A:.*]]: tensor<?x?xf32>, %[[B:.*]]: tensor<1x?xf32>)
// CHECK: %[[DA:.*]] = tensor.dim %[[A]], %c1
// CHECK: %[[DB:.*]] = tensor.dim %[[B]], %c1
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[DA]], %[[DB]]
// CHECK: cf.assert %[[EQ]], "nn.mul at {{.*}}elementwise.mlir:{{[0-9]+}}:{{[0-9]+}}: dynamic dims of the operands differ at result dim 1"
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BCAST]], #{{.*}}]
// CHECK: arith.mulf
func.func @mul_dynamic(%a: tensor<?x?xf32>, %b: tensor<1x?xf32>) -> tensor<?x?xf32> {
  %y = nn.mul %a, %b : tensor<?x?xf32>, tensor<1x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// gelu is exact: x * 0.5 * (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @gelu
// CHECK: linalg.generic
// CHECK: math.erf
// CHECK: arith.mulf
func.func @gelu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = nn.gelu %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @constant
// CHECK: arith.constant dense<2.500000e+00> : tensor<f32>
func.func @constant() -> tensor<f32> {
  %c = nn.constant dense<2.5> : tensor<f32>
  return %c : tensor<f32>
}
