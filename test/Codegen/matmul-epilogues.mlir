// RUN: adjoint-opt %s --adjoint-matmul-microkernels="parallel=true parallel-flops=4096 chunks-per-thread=1" --split-input-file | FileCheck %s
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="parallel=true parallel-flops=4096" --split-input-file | FileCheck %s --check-prefix=BALANCED
// RUN: adjoint-opt %s --adjoint-matmul-microkernels="parallel=true parallel-flops=4096 epilogues=false" --split-input-file | FileCheck %s --check-prefix=OFF
// RUN: adjoint-opt %s --adjoint-matmul-microkernels --split-input-file | FileCheck %s --check-prefix=OFF

#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
#nt = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]

// A dense layer's bias and relu run on each thread's chunk of the product,
// by rows or by columns, right after the kernel: each on subviews of its
// operands over the chunk. On one thread they follow the call, whole. The
// copy that reads their result stays after the product.
// CHECK-LABEL: func.func @bias_relu
// CHECK-SAME: (%[[X:.*]]: memref<?x64xf32>, %[[W:.*]]: memref<128x64xf32>, %[[B:.*]]: memref<128xf32>, %[[Y:.*]]: memref<?x128xf32>)
// CHECK: %[[Z:.*]] = memref.alloc(%{{.*}}) : memref<?x128xf32>
// CHECK: %[[H:.*]] = memref.alloc(%{{.*}}) : memref<?x128xf32>
// CHECK: %[[A:.*]] = memref.alloc(%{{.*}}) : memref<?x128xf32>
// CHECK: scf.if %{{.*}} {
// CHECK: scf.if %{{.*}} {
// CHECK: scf.parallel
// CHECK: %[[ROW0:.*]] = arith.muli
// CHECK: func.call @adjoint_sgemm_nt
// CHECK: %[[ZR:.*]] = memref.subview %[[Z]][%[[ROW0]], 0] [%{{.*}}, 128] [1, 1]
// CHECK: %[[BR:.*]] = memref.subview %[[B]][0] [128] [1]
// CHECK: %[[HR:.*]] = memref.subview %[[H]][%[[ROW0]], 0] [%{{.*}}, 128] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[ZR]], %[[BR]] : {{.*}}) outs(%[[HR]] : {{.*}})
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: scf.reduce
// CHECK: } else {
// CHECK: scf.parallel
// CHECK: %[[COL0:.*]] = arith.muli
// CHECK: func.call @adjoint_sgemm_nt
// CHECK: %[[ZC:.*]] = memref.subview %[[Z]][0, %[[COL0]]] [%{{.*}}, %{{.*}}] [1, 1]
// CHECK: %[[BC:.*]] = memref.subview %[[B]][%[[COL0]]] [%{{.*}}] [1]
// CHECK: %[[HC:.*]] = memref.subview %[[H]][0, %[[COL0]]] [%{{.*}}, %{{.*}}] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[ZC]], %[[BC]] : {{.*}}) outs(%[[HC]] : {{.*}})
// CHECK: linalg.generic
// CHECK: scf.reduce
// CHECK: } else {
// CHECK-NEXT: func.call @adjoint_sgemm_nt
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[Z]], %[[B]] : {{.*}}) outs(%[[H]] : {{.*}})
// CHECK: linalg.generic {{.*}} ins(%[[H]] : {{.*}}) outs(%[[A]] : {{.*}})
// CHECK: memref.dealloc
// CHECK-NOT: linalg.generic
// CHECK: memref.copy %[[A]], %[[Y]]
// With several chunks per thread (the default), the members run after the
// kernel on each chunk a thread takes, in the loop that takes them.
// BALANCED-LABEL: func.func @bias_relu
// BALANCED: scf.while
// BALANCED: memref.atomic_rmw
// BALANCED: } do {
// BALANCED-NEXT: ^bb0(%[[C:.*]]: index):
// BALANCED-NEXT: %[[COL0:.*]] = arith.muli %[[C]]
// BALANCED: func.call @adjoint_sgemm_nt
// BALANCED: %[[ZC:.*]] = memref.subview %{{.*}}[0, %[[COL0]]] [%{{.*}}, %{{.*}}] [1, 1]
// BALANCED: linalg.generic {{.*}} ins(%[[ZC]], %{{.*}} : {{.*}})
// BALANCED: arith.addf
// BALANCED: linalg.generic
// BALANCED: arith.maximumf
// BALANCED: scf.yield
// BALANCED-NEXT: }
// BALANCED-NEXT: }
// BALANCED-NEXT: scf.reduce
// BALANCED-NOT: linalg.generic
// BALANCED: } else {
// BALANCED-NEXT: func.call @adjoint_sgemm_nt
// OFF-LABEL: func.func @bias_relu
// OFF-NOT: scf.reduce
// OFF: call @adjoint_sgemm_nt
// OFF-NOT: linalg.generic
// OFF: memref.dealloc
// OFF: linalg.generic
// OFF: linalg.generic
// OFF: memref.copy
func.func @bias_relu(%x: memref<?x64xf32>, %w: memref<128x64xf32>, %b: memref<128xf32>, %y: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  %z = memref.alloc(%n) : memref<?x128xf32>
  %h = memref.alloc(%n) : memref<?x128xf32>
  %a = memref.alloc(%n) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<?x128xf32>)
  linalg.matmul indexing_maps = #nt
      ins(%x, %w : memref<?x64xf32>, memref<128x64xf32>) outs(%z : memref<?x128xf32>)
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z, %b : memref<?x128xf32>, memref<128xf32>) outs(%h : memref<?x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h : memref<?x128xf32>) outs(%a : memref<?x128xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %a, %y : memref<?x128xf32> to memref<?x128xf32>
  return
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
#nn = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]

// The backward product dA = dZ W, then the relu mask and the bias
// gradient's column sums. By columns both run on the chunk; by rows the
// column sums (a reduction along the rows) run after the parallel loop.
// An unrelated fill between the product and its epilogue stays before it.
// CHECK-LABEL: func.func @mask_column_sums
// CHECK: %[[OTHER:.*]] = memref.alloc() : memref<16xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[OTHER]] : memref<16xf32>)
// CHECK: scf.if
// CHECK: scf.if
// CHECK: scf.parallel
// CHECK: func.call @adjoint_sgemm_nn
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK-NOT: linalg.generic
// CHECK: scf.reduce
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK: } else {
// CHECK: scf.parallel
// CHECK: func.call @adjoint_sgemm_nn
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK: scf.reduce
// CHECK: } else {
// OFF-LABEL: func.func @mask_column_sums
// OFF-NOT: scf.reduce
// OFF: call @adjoint_sgemm_nn
func.func @mask_column_sums(%dz: memref<?x128xf32>, %w: memref<128x256xf32>, %h: memref<?x256xf32>, %db: memref<256xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %dz, %c0 : memref<?x128xf32>
  %da = memref.alloc(%n) : memref<?x256xf32>
  %d = memref.alloc(%n) : memref<?x256xf32>
  %sums = memref.alloc() : memref<256xf32>
  %other = memref.alloc() : memref<16xf32>
  linalg.fill ins(%zero : f32) outs(%da : memref<?x256xf32>)
  linalg.matmul indexing_maps = #nn
      ins(%dz, %w : memref<?x128xf32>, memref<128x256xf32>) outs(%da : memref<?x256xf32>)
  linalg.fill ins(%zero : f32) outs(%other : memref<16xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%da, %h : memref<?x256xf32>, memref<?x256xf32>) outs(%d : memref<?x256xf32>) {
  ^bb0(%g: f32, %pre: f32, %out: f32):
    %pos = arith.cmpf ogt, %pre, %zero : f32
    %m = arith.select %pos, %g, %zero : f32
    linalg.yield %m : f32
  }
  linalg.fill ins(%zero : f32) outs(%sums : memref<256xf32>)
  linalg.generic {indexing_maps = [#id, #col], iterator_types = ["reduction", "parallel"]}
      ins(%d : memref<?x256xf32>) outs(%sums : memref<256xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  memref.copy %sums, %db : memref<256xf32> to memref<256xf32>
  return
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#tr = affine_map<(i, j) -> (j, i)>
#nt = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]

// What stays after the product: an op that reads C transposed (each chunk
// would need the others' elements); an op that writes the product's operand
// A (the other threads still read it); an op after a copy that reads C (the
// product cannot move past the copy).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc
// CHECK: linalg.generic {{.*}}ins(%[[C1:.*]] : memref<64x64xf32>) outs(%[[T:.*]] : memref<64x64xf32>)
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc
// CHECK: linalg.generic {{.*}}ins(%[[C2:.*]] : memref<64x64xf32>) outs(%[[A:.*]] : memref<64x64xf32>)
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc
// CHECK: memref.copy
// CHECK: linalg.generic
func.func @left_alone(%w: memref<64x64xf32>, %out: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<64x64xf32>
  %c1 = memref.alloc() : memref<64x64xf32>
  %c2 = memref.alloc() : memref<64x64xf32>
  %c3 = memref.alloc() : memref<64x64xf32>
  %t = memref.alloc() : memref<64x64xf32>
  %u = memref.alloc() : memref<64x64xf32>
  %v = memref.alloc() : memref<64x64xf32>
  linalg.fill ins(%zero : f32) outs(%a : memref<64x64xf32>)
  linalg.matmul indexing_maps = #nt
      ins(%a, %w : memref<64x64xf32>, memref<64x64xf32>) outs(%c1 : memref<64x64xf32>)
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c1 : memref<64x64xf32>) outs(%t : memref<64x64xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.matmul indexing_maps = #nt
      ins(%a, %w : memref<64x64xf32>, memref<64x64xf32>) outs(%c2 : memref<64x64xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c2 : memref<64x64xf32>) outs(%a : memref<64x64xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.matmul indexing_maps = #nt
      ins(%t, %w : memref<64x64xf32>, memref<64x64xf32>) outs(%c3 : memref<64x64xf32>)
  memref.copy %c3, %u : memref<64x64xf32> to memref<64x64xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c3 : memref<64x64xf32>) outs(%v : memref<64x64xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  memref.copy %v, %out : memref<64x64xf32> to memref<64x64xf32>
  return
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#tn = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]

// The optimizer's update of a weight from its gradient dW = dZ^T X writes
// the function's results: the product splits by rows whenever there are
// enough of them, so that each thread writes whole rows of W (which the
// next forward product reads by rows). (The weights are read from an
// allocation here: two arguments of a function with memref arguments may
// alias, and then the update stays after the product.)
// CHECK-LABEL: func.func @weight_update
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[ENOUGH_ROWS:.*]] = arith.cmpi sge
// CHECK: %[[BY_ROWS:.*]] = arith.andi %[[TRUE]], %[[ENOUGH_ROWS]]
// CHECK: scf.if %[[BY_ROWS]] {
// CHECK: scf.parallel
// CHECK: func.call @adjoint_sgemm_tn
// CHECK: linalg.generic
// CHECK: arith.subf
// OFF-LABEL: func.func @weight_update
// OFF: call @adjoint_sgemm_tn
// OFF-NOT: linalg.generic
// OFF: memref.dealloc
// OFF: linalg.generic
func.func @weight_update(%wnew: memref<256x512xf32>) {
  %zero = arith.constant 0.0 : f32
  %lr = arith.constant 0.1 : f32
  %w = memref.alloc() : memref<256x512xf32>
  linalg.fill ins(%zero : f32) outs(%w : memref<256x512xf32>)
  %dz = memref.alloc() : memref<64x256xf32>
  %x = memref.alloc() : memref<64x512xf32>
  %dw = memref.alloc() : memref<256x512xf32>
  linalg.fill ins(%zero : f32) outs(%dz : memref<64x256xf32>)
  linalg.fill ins(%zero : f32) outs(%x : memref<64x512xf32>)
  linalg.matmul indexing_maps = #tn
      ins(%dz, %x : memref<64x256xf32>, memref<64x512xf32>) outs(%dw : memref<256x512xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw : memref<256x512xf32>, memref<256x512xf32>) outs(%wnew : memref<256x512xf32>) {
  ^bb0(%old: f32, %g: f32, %o: f32):
    %step = arith.mulf %g, %lr : f32
    %new = arith.subf %old, %step : f32
    linalg.yield %new : f32
  }
  return
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#tn = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]

// Views of the C interface's arguments (docs/codegen.md: a descriptor
// built with llvm.insertvalue from a pointer argument, or a constant byte
// offset from one, cast to a memref): arguments are restrict, and views of
// one argument alias when their byte ranges overlap. Disjoint: the update
// of W (in `params`) into `state`, or into `params` 16384 bytes on (past
// W's 64 x 64 floats), runs on the chunks; 8192 bytes on, the new W would
// overlap the old one, and the update stays after the product.
// CHECK-LABEL: func.func @restrict_arguments
// CHECK: func.call @adjoint_sgemm_tn
// CHECK-NOT: scf.reduce
// CHECK: linalg.generic
// CHECK: scf.reduce
// CHECK-LABEL: func.func @disjoint_fields
// CHECK: func.call @adjoint_sgemm_tn
// CHECK-NOT: scf.reduce
// CHECK: linalg.generic
// CHECK: scf.reduce
// CHECK-LABEL: func.func @overlapping_fields
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc
// CHECK-NEXT: linalg.generic
func.func @restrict_arguments(%params: !llvm.ptr, %state: !llvm.ptr) {
  %zero = arith.constant 0.0 : f32
  %lr = arith.constant 0.1 : f32
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %c64_i64 = arith.constant 64 : i64
  %undef = llvm.mlir.poison : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_0 = llvm.insertvalue %params, %undef[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_1 = llvm.insertvalue %params, %w_0[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_2 = llvm.insertvalue %c0_i64, %w_1[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_3 = llvm.insertvalue %c64_i64, %w_2[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_4 = llvm.insertvalue %c64_i64, %w_3[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_5 = llvm.insertvalue %c64_i64, %w_4[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_6 = llvm.insertvalue %c1_i64, %w_5[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w = builtin.unrealized_conversion_cast %w_6 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<64x64xf32>
  %wnew_0 = llvm.insertvalue %state, %undef[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_1 = llvm.insertvalue %state, %wnew_0[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_2 = llvm.insertvalue %c0_i64, %wnew_1[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_3 = llvm.insertvalue %c64_i64, %wnew_2[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_4 = llvm.insertvalue %c64_i64, %wnew_3[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_5 = llvm.insertvalue %c64_i64, %wnew_4[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_6 = llvm.insertvalue %c1_i64, %wnew_5[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew = builtin.unrealized_conversion_cast %wnew_6 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<64x64xf32>
  %dz = memref.alloc() : memref<64x64xf32>
  %x = memref.alloc() : memref<64x64xf32>
  %dw = memref.alloc() : memref<64x64xf32>
  linalg.fill ins(%zero : f32) outs(%dz : memref<64x64xf32>)
  linalg.fill ins(%zero : f32) outs(%x : memref<64x64xf32>)
  linalg.matmul indexing_maps = #tn
      ins(%dz, %x : memref<64x64xf32>, memref<64x64xf32>) outs(%dw : memref<64x64xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw : memref<64x64xf32>, memref<64x64xf32>) outs(%wnew : memref<64x64xf32>) {
  ^bb0(%old: f32, %g: f32, %o: f32):
    %step = arith.mulf %g, %lr : f32
    %new = arith.subf %old, %step : f32
    linalg.yield %new : f32
  }
  return
}
func.func @disjoint_fields(%params: !llvm.ptr, %state: !llvm.ptr) {
  %zero = arith.constant 0.0 : f32
  %lr = arith.constant 0.1 : f32
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %c64_i64 = arith.constant 64 : i64
  %undef = llvm.mlir.poison : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_0 = llvm.insertvalue %params, %undef[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_1 = llvm.insertvalue %params, %w_0[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_2 = llvm.insertvalue %c0_i64, %w_1[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_3 = llvm.insertvalue %c64_i64, %w_2[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_4 = llvm.insertvalue %c64_i64, %w_3[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_5 = llvm.insertvalue %c64_i64, %w_4[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_6 = llvm.insertvalue %c1_i64, %w_5[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w = builtin.unrealized_conversion_cast %w_6 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<64x64xf32>
  %wnew_p = llvm.getelementptr %params[16384] : (!llvm.ptr) -> !llvm.ptr, i8
  %wnew_0 = llvm.insertvalue %wnew_p, %undef[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_1 = llvm.insertvalue %wnew_p, %wnew_0[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_2 = llvm.insertvalue %c0_i64, %wnew_1[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_3 = llvm.insertvalue %c64_i64, %wnew_2[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_4 = llvm.insertvalue %c64_i64, %wnew_3[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_5 = llvm.insertvalue %c64_i64, %wnew_4[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_6 = llvm.insertvalue %c1_i64, %wnew_5[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew = builtin.unrealized_conversion_cast %wnew_6 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<64x64xf32>
  %dz = memref.alloc() : memref<64x64xf32>
  %x = memref.alloc() : memref<64x64xf32>
  %dw = memref.alloc() : memref<64x64xf32>
  linalg.fill ins(%zero : f32) outs(%dz : memref<64x64xf32>)
  linalg.fill ins(%zero : f32) outs(%x : memref<64x64xf32>)
  linalg.matmul indexing_maps = #tn
      ins(%dz, %x : memref<64x64xf32>, memref<64x64xf32>) outs(%dw : memref<64x64xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw : memref<64x64xf32>, memref<64x64xf32>) outs(%wnew : memref<64x64xf32>) {
  ^bb0(%old: f32, %g: f32, %o: f32):
    %step = arith.mulf %g, %lr : f32
    %new = arith.subf %old, %step : f32
    linalg.yield %new : f32
  }
  return
}
func.func @overlapping_fields(%params: !llvm.ptr, %state: !llvm.ptr) {
  %zero = arith.constant 0.0 : f32
  %lr = arith.constant 0.1 : f32
  %c0_i64 = arith.constant 0 : i64
  %c1_i64 = arith.constant 1 : i64
  %c64_i64 = arith.constant 64 : i64
  %undef = llvm.mlir.poison : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_0 = llvm.insertvalue %params, %undef[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_1 = llvm.insertvalue %params, %w_0[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_2 = llvm.insertvalue %c0_i64, %w_1[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_3 = llvm.insertvalue %c64_i64, %w_2[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_4 = llvm.insertvalue %c64_i64, %w_3[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_5 = llvm.insertvalue %c64_i64, %w_4[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w_6 = llvm.insertvalue %c1_i64, %w_5[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %w = builtin.unrealized_conversion_cast %w_6 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<64x64xf32>
  %wnew_p = llvm.getelementptr %params[8192] : (!llvm.ptr) -> !llvm.ptr, i8
  %wnew_0 = llvm.insertvalue %wnew_p, %undef[0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_1 = llvm.insertvalue %wnew_p, %wnew_0[1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_2 = llvm.insertvalue %c0_i64, %wnew_1[2] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_3 = llvm.insertvalue %c64_i64, %wnew_2[3, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_4 = llvm.insertvalue %c64_i64, %wnew_3[4, 0] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_5 = llvm.insertvalue %c64_i64, %wnew_4[3, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew_6 = llvm.insertvalue %c1_i64, %wnew_5[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
  %wnew = builtin.unrealized_conversion_cast %wnew_6 : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<64x64xf32>
  %dz = memref.alloc() : memref<64x64xf32>
  %x = memref.alloc() : memref<64x64xf32>
  %dw = memref.alloc() : memref<64x64xf32>
  linalg.fill ins(%zero : f32) outs(%dz : memref<64x64xf32>)
  linalg.fill ins(%zero : f32) outs(%x : memref<64x64xf32>)
  linalg.matmul indexing_maps = #tn
      ins(%dz, %x : memref<64x64xf32>, memref<64x64xf32>) outs(%dw : memref<64x64xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw : memref<64x64xf32>, memref<64x64xf32>) outs(%wnew : memref<64x64xf32>) {
  ^bb0(%old: f32, %g: f32, %o: f32):
    %step = arith.mulf %g, %lr : f32
    %new = arith.subf %old, %step : f32
    linalg.yield %new : f32
  }
  return
}
