// RUN: adjoint-opt %s --adjoint-fuse-elementwise --split-input-file | FileCheck %s

// A chain of elementwise ops becomes one linalg.generic.
// CHECK-LABEL: func.func @chain
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @chain(%x: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// A matmul whose operand is a collapsed tensor stays a linalg.matmul (for the
// matmul micro-kernels); upstream's linalg-fuse-elementwise-ops makes it a
// 4-d linalg.generic contraction.
// CHECK-LABEL: func.func @collapsed_matmul_operand
// CHECK: tensor.collapse_shape
// CHECK: linalg.matmul
// CHECK-NOT: linalg.generic
func.func @collapsed_matmul_operand(%w: tensor<3x18xf32>, %cols: tensor<2x9x4x5xf32>) -> tensor<3x20xf32> {
  %c = tensor.collapse_shape %cols [[0, 1], [2, 3]] : tensor<2x9x4x5xf32> into tensor<18x20xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x20xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<3x20xf32>) -> tensor<3x20xf32>
  %r = linalg.matmul ins(%w, %c : tensor<3x18xf32>, tensor<18x20xf32>) outs(%acc : tensor<3x20xf32>) -> tensor<3x20xf32>
  return %r : tensor<3x20xf32>
}

// -----

// An elementwise op of a collapsed tensor: the reshape is folded by
// expanding the op's loops, as upstream does.
// CHECK-LABEL: func.func @collapsed_elementwise_operand
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: tensor.collapse_shape
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @collapsed_elementwise_operand(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  %e = tensor.empty() : tensor<6x4xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c : tensor<6x4xf32>) outs(%e : tensor<6x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

// -----

// A producer read through a broadcast (the consumer's map drops loops) would
// be recomputed for every iteration of the dropped loops: it fuses only when
// its body is a couple of ops. Here the expensive one (a chain of five ops,
// like max pooling's argmax read once per window element) stays, the cheap
// one (one op) fuses.
// CHECK-LABEL: func.func @broadcast_producers
// CHECK: %[[EXPENSIVE:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-COUNT-5: arith.
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[EXPENSIVE]], %{{.*}} : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4x8xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
// CHECK: return
#b = affine_map<(d0, d1) -> (d0)>
#v = affine_map<(d0) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @broadcast_producers(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4x8xf32> {
  %e1 = tensor.empty() : tensor<4xf32>
  %expensive = linalg.generic {indexing_maps = [#v, #v], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.mulf %a, %a : f32
    %1 = arith.addf %0, %a : f32
    %2 = arith.mulf %1, %1 : f32
    %3 = arith.subf %2, %a : f32
    %4 = arith.divf %3, %1 : f32
    linalg.yield %4 : f32
  } -> tensor<4xf32>
  %cheap = linalg.generic {indexing_maps = [#v, #v], iterator_types = ["parallel"]}
      ins(%y : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.mulf %a, %a : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#b, #b, #id], iterator_types = ["parallel", "parallel"]}
      ins(%expensive, %cheap : tensor<4xf32>, tensor<4xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// The optimizer's velocity v' = 0.9 v + g, which the weight update reads
// and the step returns: one loop yields both (upstream's pattern would
// recompute v' in the update and keep its loop too).
// CHECK-LABEL: func.func @producer_with_later_use
// CHECK: %[[BOTH:.*]]:2 = linalg.generic
// CHECK: %[[V:.*]] = arith.addf
// CHECK: %[[W:.*]] = arith.subf
// CHECK: linalg.yield %[[V]], %[[W]]
// CHECK-NOT: linalg.generic
// CHECK: return %[[BOTH]]#1, %[[BOTH]]#0
#id = affine_map<(i, j) -> (i, j)>
func.func @producer_with_later_use(%w: tensor<4x8xf32>, %v: tensor<4x8xf32>, %g: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %lr = arith.constant 0.01 : f32
  %mu = arith.constant 0.9 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %vnew = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%v, %g : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %mu : f32
    %t = arith.addf %s, %b : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  %wnew = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %vnew : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %b, %lr : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %wnew, %vnew : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A producer with a use before the consumer stays: the fused op could not
// define that use's operand.
// CHECK-LABEL: func.func @producer_with_earlier_use
// CHECK: %[[N:.*]] = linalg.generic
// CHECK: arith.negf
// CHECK: call @use(%[[N]])
// CHECK: linalg.generic {{.*}} ins(%[[N]] :
// CHECK: arith.addf
#id = affine_map<(i, j) -> (i, j)>
func.func private @use(tensor<4x8xf32>)
func.func @producer_with_earlier_use(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %n = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.negf %a : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  call @use(%n) : (tensor<4x8xf32>) -> ()
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%n : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %a, %a : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %s : tensor<4x8xf32>
}

// -----

// A consumer that reads the producer through two operands (x * x), while
// the producer has a later use: the canonicalizer merges the two operands,
// then the two ops fuse, the fused op yielding exp(x) and its square.
// CHECK-LABEL: func.func @consumer_reads_twice
// CHECK: %[[BOTH:.*]]:2 = linalg.generic {{.*}} ins(%arg0 :
// CHECK: %[[EXP:.*]] = math.exp
// CHECK: %[[SQ:.*]] = arith.mulf %[[EXP]], %[[EXP]]
// CHECK: linalg.yield %[[EXP]], %[[SQ]]
// CHECK: return %[[BOTH]]#1, %[[BOTH]]#0
#id = affine_map<(i, j) -> (i, j)>
func.func @consumer_reads_twice(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %ex = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.exp %a : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %ex : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.mulf %a, %b : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %sq, %ex : tensor<4x8xf32>, tensor<4x8xf32>
}
