// RUN: adjoint-opt %s --adjoint-temporaries-arena --split-input-file --allow-unregistered-dialect | FileCheck %s

// Two temporaries freed in their block, both alive at once: one slot each,
// an allocation per slot (so that LLVM sees that they do not alias), sizes
// rounded up to 64 bytes, the deallocations after the last of the old ones.
// CHECK-LABEL: func.func @two
// CHECK-SAME: (%[[N:.*]]: index,
// CHECK: %[[C2048:.*]] = arith.constant 2048 : index
// CHECK: %[[BYTES:.*]] = arith.muli %[[N]], %[[C2048]]
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[UNITS:.*]] = arith.ceildivsi %[[BYTES]], %[[C64]]
// CHECK: %[[A_BYTES:.*]] = arith.muli %[[UNITS]], %[[C64]]
// CHECK: %[[A_SLOT:.*]] = memref.alloc(%[[A_BYTES]]) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
// CHECK: %[[B_SLOT:.*]] = memref.alloc(%{{.*}}) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[A_SLOT]][%[[C0]]][%[[N]]] : memref<?xi8> to memref<?x512xf32>
// CHECK: memref.view %[[B_SLOT]][%[[C0]]][] : memref<?xi8> to memref<16x16xi64>
// CHECK-NOT: memref.alloc
// CHECK: "test.use"
// CHECK-NEXT: memref.dealloc %[[A_SLOT]] : memref<?xi8>
// CHECK-NEXT: memref.dealloc %[[B_SLOT]] : memref<?xi8>
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

// Temporaries whose lifetimes do not overlap (from the allocation to the
// last use, through views) share a slot: %a is dead once %b is allocated,
// so both are views of the first slot, which is as large as the larger;
// %c, used with %b, gets a slot of its own.
// CHECK-LABEL: func.func @reuse
// CHECK-SAME: (%[[N:[^:]*]]: index
// CHECK: %[[SLOT:.*]] = arith.maxui %{{.*}}, %c4096
// CHECK: %[[FIRST:.*]] = memref.alloc(%[[SLOT]])
// CHECK: %[[SECOND:.*]] = memref.alloc(%c64
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[FIRST]][%[[C0]]][%[[N]]] : memref<?xi8> to memref<?x16xf32>
// CHECK: "test.first"
// CHECK: memref.view %[[FIRST]][%[[C0]]][] : memref<?xi8> to memref<32x32xf32>
// CHECK: memref.view %[[SECOND]][%[[C0]]][] : memref<?xi8> to memref<4xf32>
func.func @reuse(%n: index) {
  %a = memref.alloc(%n) : memref<?x16xf32>
  %sub = memref.subview %a[0, 0] [2, 16] [1, 1] : memref<?x16xf32> to memref<2x16xf32, strided<[16, 1]>>
  "test.first"(%sub) : (memref<2x16xf32, strided<[16, 1]>>) -> ()
  %b = memref.alloc() : memref<32x32xf32>
  %c = memref.alloc() : memref<4xf32>
  "test.second"(%b, %c) : (memref<32x32xf32>, memref<4xf32>) -> ()
  memref.dealloc %a : memref<?x16xf32>
  memref.dealloc %b : memref<32x32xf32>
  memref.dealloc %c : memref<4xf32>
  return
}

// -----

// Uses inside a loop count at the loop: %a and %b, both used in it, do not
// share. After the loop %c takes the place of %a, but it is passed to an op
// with a memref result that is not a view (here an unregistered op), so it
// lives to its dealloc: %d takes the place of %b, not of %c.
// CHECK-LABEL: func.func @no_reuse
// CHECK: %[[FIRST:.*]] = memref.alloc
// CHECK: %[[SECOND:.*]] = memref.alloc
// CHECK: memref.view %[[FIRST]][%[[C0:c0(_[0-9]+)?]]][] : memref<?xi8> to memref<64xf32>
// CHECK: memref.view %[[SECOND]][%[[C0]]][] : memref<?xi8> to memref<64xf32>
// CHECK: scf.for
// CHECK: memref.view %[[FIRST]][%[[C0]]][] : memref<?xi8> to memref<64xf32>
// CHECK: "test.alias"
// CHECK: memref.view %[[SECOND]][%[[C0]]][] : memref<?xi8> to memref<64xf32>
func.func @no_reuse(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<64xf32>
  %b = memref.alloc() : memref<64xf32>
  scf.for %i = %c0 to %n step %c1 {
    "test.use"(%a) : (memref<64xf32>) -> ()
    "test.use"(%b) : (memref<64xf32>) -> ()
  }
  %c = memref.alloc() : memref<64xf32>
  %alias = "test.alias"(%c) : (memref<64xf32>) -> memref<64xf32>
  %d = memref.alloc() : memref<64xf32>
  "test.use"(%d) : (memref<64xf32>) -> ()
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  memref.dealloc %c : memref<64xf32>
  memref.dealloc %d : memref<64xf32>
  return
}

// -----

// A division by a computed value is not speculatable, but it is free of
// side effects and moves up within its block (the matmul kernels' workspace
// size divides K by its block count).
// CHECK-LABEL: func.func @divided_size
// CHECK: %[[BLOCKS:.*]] = arith.maxsi
// CHECK: arith.ceildivsi %{{.*}}, %[[BLOCKS]]
// CHECK-COUNT-2: memref.alloc({{.*}}) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
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
// CHECK: memref.alloc({{.*}}) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
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

// Left alone: freed in another block, never freed (returned), i4 elements,
// a size read from memory, a layout.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: memref.view
// CHECK-NOT: memref<?xi8>
// CHECK-COUNT-5: memref.alloc
func.func @left_alone(%c: i1, %p: memref<index>) -> memref<8xf32> {
  %a = memref.alloc() : memref<8xf32>
  scf.if %c {
    memref.dealloc %a : memref<8xf32>
  }
  %r = memref.alloc() : memref<8xf32>
  %m = memref.alloc() : memref<8xi4>
  %n = memref.load %p[] : memref<index>
  %l = memref.alloc(%n) : memref<?xf32>
  %s = memref.alloc() : memref<8xf32, strided<[2]>>
  "test.use"(%m, %l, %s) : (memref<8xi4>, memref<?xf32>, memref<8xf32, strided<[2]>>) -> ()
  memref.dealloc %m : memref<8xi4>
  memref.dealloc %l : memref<?xf32>
  memref.dealloc %s : memref<8xf32, strided<[2]>>
  return %r : memref<8xf32>
}

// -----

// One temporary: an arena in a function body (adjoint-reuse-arena keeps it
// between calls), not in a loop body, where it would gain nothing.
// CHECK-LABEL: func.func @one
// CHECK:         %[[ARENA:.*]] = memref.alloc(%{{.*}}) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
// CHECK:         memref.view %[[ARENA]]
// CHECK:         scf.for
// CHECK-NEXT:      %[[T:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:      "test.use"(%[[T]])
// CHECK-NEXT:      memref.dealloc %[[T]]
// CHECK:         memref.dealloc %[[ARENA]]
func.func @one(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<8xf32>
  "test.use"(%a) : (memref<8xf32>) -> ()
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() : memref<4xf32>
    "test.use"(%t) : (memref<4xf32>) -> ()
    memref.dealloc %t : memref<4xf32>
  }
  memref.dealloc %a : memref<8xf32>
  return
}

// -----

// Booleans take a byte each, as LLVM stores them: 8 x i1 in a 64-byte slot.
// CHECK-LABEL: func.func @booleans
// CHECK:         %[[BYTES:.*]] = arith.constant 64 : index
// CHECK-NEXT:    %[[ARENA:.*]] = memref.alloc(%[[BYTES]]) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    memref.view %[[ARENA]][%[[C0]]][] : memref<?xi8> to memref<8xi1>
func.func @booleans() {
  %m = memref.alloc() : memref<8xi1>
  "test.use"(%m) : (memref<8xi1>) -> ()
  memref.dealloc %m : memref<8xi1>
  return
}

// -----

// Sizes that qualify although they are computed in the block: the thread
// count (a call marked adjoint.thread_count, which only reads libomp's
// settings, moves up like an op without side effects), a dim read off an
// expand_shape of a temporary (resolved to the size it was expanded with),
// and index elements (8 bytes each: the shape buffers of reshapes).
// CHECK-LABEL: func.func @computed_in_block
// CHECK-SAME: (%[[N:.*]]: index)
// CHECK: %[[T32:.*]] = call @omp_get_max_threads() {adjoint.thread_count}
// CHECK-COUNT-4: memref.alloc({{.*}}) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
// CHECK-NOT: memref.alloc
// CHECK: "test.first"
// CHECK-NOT: memref.dim
// CHECK: return
func.func private @omp_get_max_threads() -> i32
func.func @computed_in_block(%n: index) {
  "test.first"() : () -> ()
  %c0 = arith.constant 0 : index
  %t32 = call @omp_get_max_threads() {adjoint.thread_count} : () -> i32
  %t = arith.index_cast %t32 : i32 to index
  %ws = memref.alloc(%t) : memref<?xf32>
  %a = memref.alloc(%n) : memref<?x8xf32>
  %e = memref.expand_shape %a [[0], [1, 2]] output_shape [%n, 2, 4] : memref<?x8xf32> into memref<?x2x4xf32>
  %d = memref.dim %e, %c0 : memref<?x2x4xf32>
  %b = memref.alloc(%d) : memref<?x4xf32>
  %s = memref.alloc() : memref<3xindex>
  "test.use"(%ws, %e, %b, %s) : (memref<?xf32>, memref<?x2x4xf32>, memref<?x4xf32>, memref<3xindex>) -> ()
  memref.dealloc %ws : memref<?xf32>
  memref.dealloc %a : memref<?x8xf32>
  memref.dealloc %b : memref<?x4xf32>
  memref.dealloc %s : memref<3xindex>
  return
}
