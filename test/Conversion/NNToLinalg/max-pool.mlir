// RUN: adjoint-opt %s --convert-nn-to-linalg --split-input-file | FileCheck %s

// max_pool2d's cotangent: the argmax of every window, then each window's
// cotangent goes to the input element at its argmax. With strides above 1
// and a small window, the argmax is computed a row of windows at a time:
// the window's input rows read as vectors, the elements j, j + sw, ... of
// each taken out by a shuffle, and the best kept in window order across
// the vectors (first maximum, or first NaN, wins). Where the windows tile the input
// (stride = kernel, sizes multiples of it), each element of the input is
// written once (no zero fill, no sum): for each row of dy (N C Ho of them),
// the row and its argmax are read as vectors, each element repeated kw
// times by a shuffle, and each of the kh rows of the windows is written as
// one vector, dy where the argmax is at that position (i kw + j) and zero
// elsewhere. Nothing is dilated.
// CHECK-LABEL: func.func @vjp
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x6x8xf32>, %[[DY:.*]]: tensor<?x3x3x4xf32>)
// CHECK: %[[X_ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2], [3]] : tensor<?x3x6x8xf32> into tensor<?x8xf32>
// CHECK: %[[ARGMAX_LOOP:.*]] = scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<?x4xi32>) {
// CHECK: %[[ROW0:.*]] = vector.transfer_read %[[X_ROWS]]{{.*}} : tensor<?x8xf32>, vector<8xf32>
// CHECK: %[[E00:.*]] = vector.shuffle %[[ROW0]], %[[ROW0]] [0, 2, 4, 6]
// CHECK: %[[E01:.*]] = vector.shuffle %[[ROW0]], %[[ROW0]] [1, 3, 5, 7]
// CHECK: %[[ROW1:.*]] = vector.transfer_read %[[X_ROWS]]{{.*}} : tensor<?x8xf32>, vector<8xf32>
// CHECK: vector.shuffle %[[ROW1]], %[[ROW1]] [0, 2, 4, 6]
// CHECK: vector.shuffle %[[ROW1]], %[[ROW1]] [1, 3, 5, 7]
// CHECK: arith.cmpf ugt, %[[E01]], %[[E00]] : vector<4xf32>
// CHECK-COUNT-2: arith.cmpf ugt
// CHECK: %[[BEST:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<4xi1>, vector<4xi32>
// CHECK: vector.transfer_write %[[BEST]]
// CHECK: %[[ARGMAX:.*]] = tensor.expand_shape %[[ARGMAX_LOOP]] {{\[\[}}0, 1, 2], [3]] {{.*}} : tensor<?x4xi32> into tensor<?x3x3x4xi32>
// CHECK-NOT: linalg.fill
// CHECK: %[[DY_ROWS:.*]] = tensor.collapse_shape %[[DY]] {{\[\[}}0, 1, 2], [3]] : tensor<?x3x3x4xf32> into tensor<?x4xf32>
// CHECK: %[[ARGMAX_ROWS:.*]] = tensor.collapse_shape %[[ARGMAX]] {{\[\[}}0, 1, 2], [3]] : tensor<?x3x3x4xi32> into tensor<?x4xi32>
// CHECK: %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x2x8xf32>
// CHECK: %[[ROWS:.*]] = scf.for %[[R:.*]] = %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (tensor<?x2x8xf32>) {
// CHECK: %[[DY_ROW:.*]] = vector.transfer_read %[[DY_ROWS]][%[[R]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<?x4xf32>, vector<4xf32>
// CHECK: %[[ARGMAX_ROW:.*]] = vector.transfer_read %[[ARGMAX_ROWS]][%[[R]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<?x4xi32>, vector<4xi32>
// CHECK: %[[SPREAD:.*]] = vector.shuffle %[[DY_ROW]], %[[DY_ROW]] [0, 0, 1, 1, 2, 2, 3, 3]
// CHECK: %[[SPREAD_ARGMAX:.*]] = vector.shuffle %[[ARGMAX_ROW]], %[[ARGMAX_ROW]] [0, 0, 1, 1, 2, 2, 3, 3]
// CHECK: %[[FIRST_ROW:.*]] = arith.constant dense<[0, 1, 0, 1, 0, 1, 0, 1]> : vector<8xi32>
// CHECK: %[[HIT0:.*]] = arith.cmpi eq, %[[SPREAD_ARGMAX]], %[[FIRST_ROW]]
// CHECK: %[[ROW0:.*]] = arith.select %[[HIT0]], %[[SPREAD]], %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK: %[[W0:.*]] = vector.transfer_write %[[ROW0]], %[[ACC]][%[[R]], %c0{{.*}}, %c0{{.*}}] {in_bounds = [true]}
// CHECK: %[[SECOND_ROW:.*]] = arith.constant dense<[2, 3, 2, 3, 2, 3, 2, 3]> : vector<8xi32>
// CHECK: %[[HIT1:.*]] = arith.cmpi eq, %[[SPREAD_ARGMAX]], %[[SECOND_ROW]]
// CHECK: %[[ROW1:.*]] = arith.select %[[HIT1]], %[[SPREAD]], %{{.*}} : vector<8xi1>, vector<8xf32>
// CHECK: %[[W1:.*]] = vector.transfer_write %[[ROW1]], %[[W0]][%[[R]], %c1{{.*}}, %c0{{.*}}] {in_bounds = [true]}
// CHECK: scf.yield %[[W1]]
// CHECK-NOT: arith.addf
// CHECK: %[[TILED:.*]] = tensor.expand_shape %[[ROWS]] {{\[\[}}0, 1, 2], [3], [4]] {{.*}} : tensor<?x2x8xf32> into tensor<?x3x3x2x8xf32>
// CHECK: tensor.collapse_shape %[[TILED]] {{\[\[}}0], [1], [2, 3], [4]] : tensor<?x3x3x2x8xf32> into tensor<?x3x6x8xf32>
func.func @vjp(%x: tensor<?x3x6x8xf32>, %dy: tensor<?x3x3x4xf32>) -> tensor<?x3x6x8xf32> {
  %dx = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<?x3x6x8xf32>, tensor<?x3x3x4xf32>) -> tensor<?x3x6x8xf32>
  return %dx : tensor<?x3x6x8xf32>
}

// -----

// Rows wider than 256 elements: the cotangent is a parallel generic over the
// input viewed as [N, C, Ho, kh, Wo, kw], each element written once.
// CHECK-DAG: #[[WINDOWOF:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[ID6:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @vjp_wide_rows
// CHECK-SAME: (%[[X:.*]]: tensor<?x1x2x260xf32>, %[[DY:.*]]: tensor<?x1x1x130xf32>)
// CHECK-NOT: scf.for
// CHECK-NOT: linalg.fill
// CHECK: %[[TILED:.*]] = linalg.generic {indexing_maps = [#[[WINDOWOF]], #[[WINDOWOF]], #[[ID6]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[DY]], %{{.*}} : tensor<?x1x1x130xf32>, tensor<?x1x1x130xi32>) outs(%{{.*}} : tensor<?x1x1x2x130x2xf32>)
// CHECK: linalg.index 3
// CHECK: linalg.index 5
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK-NOT: arith.addf
// CHECK: tensor.collapse_shape %[[TILED]] {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<?x1x1x2x130x2xf32> into tensor<?x1x2x260xf32>
func.func @vjp_wide_rows(%x: tensor<?x1x2x260xf32>, %dy: tensor<?x1x1x130xf32>) -> tensor<?x1x2x260xf32> {
  %dx = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<?x1x2x260xf32>, tensor<?x1x1x130xf32>) -> tensor<?x1x2x260xf32>
  return %dx : tensor<?x1x2x260xf32>
}

// -----

// The windows leave the last row out (7 rows): a scatter into zeros, whose
// output map is the window's element (y * 2 + i, x * 2 + j), so the loops
// over windows and their elements reduce.
// CHECK-DAG: #[[POOLED:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[WINDOW:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[INPUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @vjp_uncovered
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x7x8xf32>, %[[DY:.*]]: tensor<?x3x3x4xf32>)
// CHECK: %[[ARGMAX:.*]] = tensor.expand_shape {{.*}} into tensor<?x3x3x4xi32>
// CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<?x3x7x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[POOLED]], #[[POOLED]], #[[WINDOW]], #[[INPUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[DY]], %[[ARGMAX]], %{{.*}} : tensor<?x3x3x4xf32>, tensor<?x3x3x4xi32>, tensor<2x2xf32>) outs(%[[ZEROS]] : tensor<?x3x7x8xf32>)
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: arith.addf
func.func @vjp_uncovered(%x: tensor<?x3x7x8xf32>, %dy: tensor<?x3x3x4xf32>) -> tensor<?x3x7x8xf32> {
  %dx = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2] : (tensor<?x3x7x8xf32>, tensor<?x3x3x4xf32>) -> tensor<?x3x7x8xf32>
  return %dx : tensor<?x3x7x8xf32>
}

// -----

// Stride 1: the argmax is a reduction over the window, which orders
// (value, position) pairs so that its result does not depend on the order.
// CHECK-LABEL: func.func @vjp_overlapping
// CHECK: %[[ARGMAX:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} {{.*}} outs(%{{.*}}, %{{.*}} : tensor<?x1x3x3xf32>, tensor<?x1x3x3xi32>)
// CHECK: arith.cmpi slt
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[ARGMAX]]#1, %{{.*}} : tensor<?x1x3x3xf32>, tensor<?x1x3x3xi32>, tensor<2x2xf32>)
func.func @vjp_overlapping(%x: tensor<?x1x4x4xf32>, %dy: tensor<?x1x3x3xf32>) -> tensor<?x1x4x4xf32> {
  %dx = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [1, 1] : (tensor<?x1x4x4xf32>, tensor<?x1x3x3xf32>) -> tensor<?x1x4x4xf32>
  return %dx : tensor<?x1x4x4xf32>
}

// -----

// The forward max pooling of small strided windows, a row of windows at a
// time: the maximum in window order of the shuffled-out vectors (NaN
// propagates, as linalg's pooling op).
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x6x8xf32>)
// CHECK-NOT: linalg.pooling
// CHECK: scf.for
// CHECK: %[[A:.*]] = vector.shuffle %{{.*}} [0, 2, 4, 6]
// CHECK: %[[B:.*]] = vector.shuffle %{{.*}} [1, 3, 5, 7]
// CHECK: %[[C:.*]] = vector.shuffle %{{.*}} [0, 2, 4, 6]
// CHECK: %[[D:.*]] = vector.shuffle %{{.*}} [1, 3, 5, 7]
// CHECK: %[[AB:.*]] = arith.maximumf %[[A]], %[[B]] : vector<4xf32>
// CHECK: %[[ABC:.*]] = arith.maximumf %[[AB]], %[[C]] : vector<4xf32>
// CHECK: %[[ABCD:.*]] = arith.maximumf %[[ABC]], %[[D]] : vector<4xf32>
// CHECK: vector.transfer_write %[[ABCD]]
// CHECK: tensor.expand_shape {{.*}} into tensor<?x3x3x4xf32>
func.func @forward(%x: tensor<?x3x6x8xf32>) -> tensor<?x3x3x4xf32> {
  %y = nn.max_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<?x3x6x8xf32> -> tensor<?x3x3x4xf32>
  return %y : tensor<?x3x3x4xf32>
}

// -----

// Rows wider than 256: one parallel generic that reads each window element
// through its own input and takes the maximum in window order.
// CHECK-DAG: #[[E00:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2)>
// CHECK-DAG: #[[E11:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2 + 1)>
// CHECK-LABEL: func.func @forward_wide_rows
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x6x260xf32>)
// CHECK-NOT: linalg.pooling
// CHECK-NOT: scf.for
// CHECK: linalg.generic {indexing_maps = [#[[E00]], #{{.*}}, #{{.*}}, #[[E11]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[X]], %[[X]], %[[X]] : {{.*}}) outs(%{{.*}} : tensor<?x3x3x130xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32, %[[D:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[AB:.*]] = arith.maximumf %[[A]], %[[B]] : f32
// CHECK: %[[ABC:.*]] = arith.maximumf %[[AB]], %[[C]] : f32
// CHECK: %[[ABCD:.*]] = arith.maximumf %[[ABC]], %[[D]] : f32
// CHECK: linalg.yield %[[ABCD]] : f32
func.func @forward_wide_rows(%x: tensor<?x3x6x260xf32>) -> tensor<?x3x3x130xf32> {
  %y = nn.max_pool2d %x kernel = [2, 2] stride = [2, 2] : tensor<?x3x6x260xf32> -> tensor<?x3x3x130xf32>
  return %y : tensor<?x3x3x130xf32>
}

// -----

// Stride 1: linalg's pooling op.
// CHECK-LABEL: func.func @forward_overlapping
// CHECK: linalg.pooling_nchw_max
func.func @forward_overlapping(%x: tensor<?x1x4x4xf32>) -> tensor<?x1x3x3xf32> {
  %y = nn.max_pool2d %x kernel = [2, 2] stride = [1, 1] : tensor<?x1x4x4xf32> -> tensor<?x1x3x3xf32>
  return %y : tensor<?x1x3x3xf32>
}
