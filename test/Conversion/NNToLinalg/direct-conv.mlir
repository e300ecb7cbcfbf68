// RUN: adjoint-opt %s --convert-nn-to-linalg --canonicalize --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --convert-nn-to-linalg="direct-conv=false" --split-input-file | FileCheck %s --check-prefix=OFF

// A stride-1 convolution with few terms per output (C kh kw = 9): an
// scf.for over the N Ho output rows, each row of Wo = 11 in chunks of 8, 2
// and 1 lanes (powers of two). Each chunk is an scf.for over the C kh = 3
// input rows of the window (q = c kh + i) carrying one vector per output
// channel, which adds the input row read at offset j times the broadcast
// weight w[o, c, i, j] for j = 0, 1, 2; the sums go into rows
// (n O + o) Ho + y of [N O Ho, Wo], expanded to NCHW. No im2col matrix, no
// matmul.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<?x1x5x13xf32>, %[[W:.*]]: tensor<2x1x3x3xf32>)
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %c0
// CHECK: %[[OUT_ROWS:.*]] = arith.muli %[[N]], %[[C6]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[OUT_ROWS]]) : tensor<?x11xf32>
// CHECK: %[[ROWS:.*]] = arith.muli %[[N]], %[[C3]]
// CHECK: %[[LOOP:.*]] = scf.for %[[R:.*]] = %c0 to %[[ROWS]] step %c1 iter_args(%[[OUT:.*]] = %[[INIT]]) -> (tensor<?x11xf32>)
// CHECK-DAG: %[[NN:.*]] = arith.divui %[[R]], %[[C3]]
// CHECK-DAG: %[[Y:.*]] = arith.remui %[[R]], %[[C3]]
// CHECK: %[[FIRST:.*]] = arith.addi %{{.*}}, %[[Y]]
// CHECK: %[[SUMS:.*]]:2 = scf.for %[[Q:.*]] = %c0 to %[[C3]] step %c1 iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>)
// CHECK-DAG: %[[C:.*]] = arith.divui %[[Q]], %[[C3]]
// CHECK-DAG: %[[I:.*]] = arith.remui %[[Q]], %[[C3]]
// CHECK: %[[ROW:.*]] = arith.addi %[[Y]], %[[I]]
// CHECK: vector.transfer_read %[[X]][%[[NN]], %[[C]], %[[ROW]], %c0]{{.*}} : tensor<?x1x5x13xf32>, vector<8xf32>
// CHECK: tensor.extract %[[W]][%c0, %[[C]], %[[I]], %c0]
// CHECK: vector.fma {{.*}} : vector<8xf32>
// CHECK: tensor.extract %[[W]][%c1, %[[C]], %[[I]], %c0]
// CHECK: vector.fma {{.*}} : vector<8xf32>
// CHECK: vector.transfer_read %[[X]][%[[NN]], %[[C]], %[[ROW]], %c1]
// CHECK-COUNT-2: vector.fma {{.*}} : vector<8xf32>
// CHECK: vector.transfer_read %[[X]][%[[NN]], %[[C]], %[[ROW]], %c2]
// CHECK-COUNT-2: vector.fma {{.*}} : vector<8xf32>
// CHECK-NOT: vector.fma
// CHECK: scf.yield
// CHECK: %[[W0:.*]] = vector.transfer_write %[[SUMS]]#0, %[[OUT]][%[[FIRST]], %c0] {{.*}} : vector<8xf32>, tensor<?x11xf32>
// CHECK: %[[ROW1:.*]] = arith.addi %[[FIRST]], %[[C3]]
// CHECK: vector.transfer_write %[[SUMS]]#1, %[[W0]][%[[ROW1]], %c0] {{.*}} : vector<8xf32>, tensor<?x11xf32>
// CHECK: scf.for {{.*}} -> (vector<2xf32>, vector<2xf32>)
// CHECK-COUNT-6: vector.fma {{.*}} : vector<2xf32>
// CHECK: vector.transfer_write {{.*}}, %c8] {{.*}} : vector<2xf32>, tensor<?x11xf32>
// CHECK: vector.transfer_write {{.*}}, %c8] {{.*}} : vector<2xf32>, tensor<?x11xf32>
// CHECK: scf.for {{.*}} -> (vector<1xf32>, vector<1xf32>)
// CHECK-COUNT-6: vector.fma {{.*}} : vector<1xf32>
// CHECK: vector.transfer_write {{.*}}, %c10] {{.*}} : vector<1xf32>, tensor<?x11xf32>
// CHECK: vector.transfer_write {{.*}}, %c10] {{.*}} : vector<1xf32>, tensor<?x11xf32>
// CHECK: scf.yield
// CHECK: tensor.expand_shape %[[LOOP]] {{\[\[}}0, 1, 2], [3]] output_shape [%[[N]], 2, 3, 11] : tensor<?x11xf32> into tensor<?x2x3x11xf32>
// CHECK-NOT: linalg.matmul
// OFF-LABEL: func.func @forward
// OFF-NOT: vector.fma
// OFF: linalg.matmul
func.func @forward(%x: tensor<?x1x5x13xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<?x2x3x11xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<?x1x5x13xf32>, tensor<2x1x3x3xf32>) -> tensor<?x2x3x11xf32>
  return %y : tensor<?x2x3x11xf32>
}

// -----

// Padding is applied first (tensor.pad); the rows are read from the padded
// input.
// CHECK-LABEL: func.func @forward_padded
// CHECK: %[[P:.*]] = tensor.pad
// CHECK: scf.for
// CHECK: vector.transfer_read %[[P]]
// CHECK-NOT: linalg.matmul
func.func @forward_padded(%x: tensor<4x2x6x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<4x3x6x5xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1] : (tensor<4x2x6x5xf32>, tensor<3x2x3x3xf32>) -> tensor<4x3x6x5xf32>
  return %y : tensor<4x3x6x5xf32>
}

// -----

// The filter gradient: one pass over the N Ho rows per (o, c, i) (4 x 1 x 5
// = 20 of them), carrying the kw = 5 sums of dy's row times the input row
// at offset j as vectors, each reduced to dw[o, c, i, j] after the pass.
// CHECK-LABEL: func.func @backward_filter
// CHECK-SAME: (%[[X:.*]]: tensor<?x1x6x6xf32>, %[[DY:.*]]: tensor<?x4x2x2xf32>)
// CHECK-DAG: %[[C20:.*]] = arith.constant 20 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x1x5x5xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[DY]], %c0
// CHECK: %[[ROWS:.*]] = arith.muli %[[N]], %c2
// CHECK: scf.for %[[Q:.*]] = %c0 to %[[C20]] step %c1 iter_args(%[[DW:.*]] = %[[INIT]]) -> (tensor<4x1x5x5xf32>)
// CHECK: %[[I:.*]] = arith.remui %[[Q]], %[[C5]]
// CHECK: %[[SUMS:.*]]:5 = scf.for %{{.*}} = %c0 to %[[ROWS]] step %c1 iter_args({{.*}}) -> (vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>, vector<2xf32>)
// CHECK: vector.transfer_read %[[DY]]{{.*}} vector<2xf32>
// CHECK-COUNT-5: vector.fma {{.*}} : vector<2xf32>
// CHECK: scf.yield
// CHECK: vector.reduction <add>, %[[SUMS]]#0 fastmath<reassoc> : vector<2xf32> into f32
// CHECK: tensor.insert {{.*}} into %[[DW]][{{.*}}, {{.*}}, %[[I]], %c0]
// CHECK-COUNT-4: vector.reduction <add>
// CHECK-NOT: linalg.matmul
// OFF-LABEL: func.func @backward_filter
// OFF-NOT: vector.fma
// OFF: linalg.matmul
func.func @backward_filter(%x: tensor<?x1x6x6xf32>, %dy: tensor<?x4x2x2xf32>) -> tensor<4x1x5x5xf32> {
  %dw = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [0, 0] : (tensor<?x1x6x6xf32>, tensor<?x4x2x2xf32>) -> tensor<4x1x5x5xf32>
  return %dw : tensor<4x1x5x5xf32>
}

// -----

// What the direct code leaves to im2col: strides, more than 32 terms per
// output (2 x 5 x 5 = 50), more than 32 output channels.
// CHECK-LABEL: func.func @strided
// CHECK-NOT: vector.fma
// CHECK: linalg.matmul
func.func @strided(%x: tensor<?x1x7x7xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<?x2x3x3xf32> {
  %y = nn.conv2d %x, %w stride = [2, 2] padding = [0, 0] : (tensor<?x1x7x7xf32>, tensor<2x1x3x3xf32>) -> tensor<?x2x3x3xf32>
  return %y : tensor<?x2x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @many_terms
// CHECK-NOT: vector.fma
// CHECK: linalg.matmul
func.func @many_terms(%x: tensor<?x2x9x9xf32>, %w: tensor<2x2x5x5xf32>) -> tensor<?x2x5x5xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<?x2x9x9xf32>, tensor<2x2x5x5xf32>) -> tensor<?x2x5x5xf32>
  return %y : tensor<?x2x5x5xf32>
}

// -----

// CHECK-LABEL: func.func @many_channels
// CHECK-NOT: vector.fma
// CHECK: linalg.matmul
func.func @many_channels(%x: tensor<?x1x4x4xf32>, %w: tensor<33x1x3x3xf32>) -> tensor<?x33x2x2xf32> {
  %y = nn.conv2d %x, %w stride = [1, 1] padding = [0, 0] : (tensor<?x1x4x4xf32>, tensor<33x1x3x3xf32>) -> tensor<?x33x2x2xf32>
  return %y : tensor<?x33x2x2xf32>
}

// -----

// The filter gradient of a strided convolution stays a matmul.
// CHECK-LABEL: func.func @backward_filter_strided
// CHECK-NOT: vector.fma
// CHECK: linalg.matmul
func.func @backward_filter_strided(%x: tensor<?x1x7x7xf32>, %dy: tensor<?x2x3x3xf32>) -> tensor<2x1x3x3xf32> {
  %dw = nn.conv2d_backward_filter %x, %dy stride = [2, 2] padding = [0, 0] : (tensor<?x1x7x7xf32>, tensor<?x2x3x3xf32>) -> tensor<2x1x3x3xf32>
  return %dw : tensor<2x1x3x3xf32>
}
