// RUN: adjoint-opt %s --adjoint-temporaries-arena --split-input-file --allow-unregistered-dialect | FileCheck %s

// Two temporaries freed in their block: views into one arena, 64-byte
// aligned offsets, one dealloc after the last of the old ones.
// CHECK-LABEL: func.func @two
// CHECK-SAME: (%[[N:.*]]: index,
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2048:.*]] = arith.constant 2048 : index
// CHECK: %[[BYTES:.*]] = arith.muli %[[N]], %[[C2048]]
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[UNITS:.*]] = arith.ceildivsi %[[BYTES]], %[[C64]]
// CHECK: %[[B_AT:.*]] = arith.muli %[[UNITS]], %[[C64]]
// CHECK: %[[END:.*]] = arith.addi %[[B_AT]], %{{.*}}
// CHECK: %[[ARENA:.*]] = memref.alloc(%[[END]]) {alignment = 64 : i64} : memref<?xi8>
// CHECK: memref.view %[[ARENA]][%[[C0]]][%[[N]]] : memref<?xi8> to memref<?x512xf32>
// CHECK: memref.view %[[ARENA]][%[[B_AT]]][] : memref<?xi8> to memref<16x16xi64>
// CHECK-NOT: memref.alloc
// CHECK: "test.use"
// CHECK-NEXT: memref.dealloc %[[ARENA]] : memref<?xi8>
// CHECK-NOT: memref.dealloc
func.func @two(%n: index, %out: memref<f32>) {
  %a = memref.alloc(%n) : memref<?x512xf32>
  %b = memref.alloc() : memref<16x16xi64>
  "test.use"(%a, %b) : (memref<?x512xf32>, memref<16x16xi64>) -> ()
  memref.dealloc %b : memref<16x16xi64>
  memref.dealloc %a : memref<?x512xf32>
  return
}

// -----

// A division by a computed value is not speculatable, but it is free of
// side effects and moves up within its block (the matmul kernels' workspace
// size divides K by its block count).
// CHECK-LABEL: func.func @divided_size
// CHECK: %[[BLOCKS:.*]] = arith.maxsi
// CHECK: arith.ceildivsi %{{.*}}, %[[BLOCKS]]
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?xi8>
// CHECK-NOT: memref.alloc
// CHECK: "test.first"
func.func @divided_size(%x: memref<?x4xf32>) {
  "test.first"() : () -> ()
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %d = memref.dim %x, %c0 : memref<?x4xf32>
  %q = arith.ceildivsi %d, %c256 : index
  %blocks = arith.maxsi %q, %c1 : index
  %s = arith.ceildivsi %d, %blocks : index
  %a = memref.alloc(%s) : memref<?xf32>
  %b = memref.alloc(%d) : memref<?xf32>
  "test.use"(%a, %b) : (memref<?xf32>, memref<?xf32>) -> ()
  memref.dealloc %a : memref<?xf32>
  memref.dealloc %b : memref<?xf32>
  return
}

// -----

// A dynamic size computed in the block by side-effect free ops: they move
// to the start of the block, before the arena.
// CHECK-LABEL: func.func @computed_size
// CHECK: memref.dim
// CHECK: arith.ceildivsi
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?xi8>
// CHECK: "test.first"
func.func @computed_size(%x: memref<?x4xf32>) {
  "test.first"() : () -> ()
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %d = memref.dim %x, %c0 : memref<?x4xf32>
  %s = arith.ceildivsi %d, %c8 : index
  %a = memref.alloc(%s) : memref<?xf32>
  %b = memref.alloc(%d) : memref<?xf32>
  "test.use"(%a, %b) : (memref<?xf32>, memref<?xf32>) -> ()
  memref.dealloc %a : memref<?xf32>
  memref.dealloc %b : memref<?xf32>
  return
}

// -----

// Left alone: freed in another block, never freed (returned), i1 elements,
// a size read from memory, a layout; and then fewer than two candidates.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: memref.view
// CHECK-NOT: memref<?xi8>
// CHECK-COUNT-6: memref.alloc
func.func @left_alone(%c: i1, %p: memref<index>) -> memref<8xf32> {
  %a = memref.alloc() : memref<8xf32>
  scf.if %c {
    memref.dealloc %a : memref<8xf32>
  }
  %r = memref.alloc() : memref<8xf32>
  %m = memref.alloc() : memref<8xi1>
  %n = memref.load %p[] : memref<index>
  %l = memref.alloc(%n) : memref<?xf32>
  %s = memref.alloc() : memref<8xf32, strided<[2]>>
  %ok = memref.alloc() : memref<8xf32>
  "test.use"(%m, %l, %s, %ok) : (memref<8xi1>, memref<?xf32>, memref<8xf32, strided<[2]>>, memref<8xf32>) -> ()
  memref.dealloc %m : memref<8xi1>
  memref.dealloc %l : memref<?xf32>
  memref.dealloc %s : memref<8xf32, strided<[2]>>
  memref.dealloc %ok : memref<8xf32>
  return %r : memref<8xf32>
}
