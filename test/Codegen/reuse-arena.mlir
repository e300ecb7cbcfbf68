// RUN: adjoint-opt %s --adjoint-reuse-arena='release-function=net_release' --split-input-file --allow-unregistered-dialect | FileCheck %s
// RUN: adjoint-opt %s --adjoint-reuse-arena --split-input-file --allow-unregistered-dialect | FileCheck %s --check-prefix=DEFAULT

// The arena of a function body and that of a branch of an scf.if (the C
// interface's checks) are kept between calls: acquire and release calls,
// state in internal globals, helpers with internal linkage; a public
// function frees them all.
// CHECK-LABEL: func.func @step(
// CHECK-SAME:      %[[N:.*]]: index, %[[C:.*]]: i1)
// CHECK:         %[[BYTES:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK:         %[[ARENA:.*]] = call @__adjoint_arena_step_acquire(%[[BYTES]]) : (i64) -> memref<?xi8>
// CHECK:         "test.use"(%[[ARENA]])
// CHECK:         scf.if %[[C]] {
// CHECK:           %[[INNER:.*]] = func.call @__adjoint_arena_step_1_acquire(
// CHECK:           "test.use"(%[[INNER]])
// CHECK:           %[[P1:.*]] = memref.extract_aligned_pointer_as_index %[[INNER]]
// CHECK:           %[[A1:.*]] = arith.index_cast %[[P1]] : index to i64
// CHECK:           func.call @__adjoint_arena_step_1_release(%[[A1]]) : (i64) -> ()
// CHECK:         }
// CHECK:         %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[ARENA]]
// CHECK:         %[[A:.*]] = arith.index_cast %[[P]] : index to i64
// CHECK:         call @__adjoint_arena_step_release(%[[A]]) : (i64) -> ()
// CHECK-NOT:     memref.dealloc
// CHECK:         return
// CHECK:       llvm.func @free(!llvm.ptr)
// CHECK:       llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK:       llvm.mlir.global internal @__adjoint_arena_step_ptr()
// CHECK:       llvm.mlir.global internal @__adjoint_arena_step_bytes(0 : i64)
// CHECK:       llvm.mlir.global internal @__adjoint_arena_step_busy(0 : i32)
// CHECK:       func.func private @__adjoint_arena_step_acquire(%{{.*}}: i64) -> memref<?xi8> attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK:         llvm.cmpxchg
// CHECK:         llvm.call @aligned_alloc
// CHECK:       func.func private @__adjoint_arena_step_release(%{{.*}}: i64) attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK:       func.func private @__adjoint_arena_step_free() attributes {llvm.linkage = #llvm.linkage<internal>}
// CHECK:       func.func private @__adjoint_arena_step_1_acquire(
// CHECK-LABEL: func.func @net_release() {
// CHECK-NEXT:    call @__adjoint_arena_step_free() : () -> ()
// CHECK-NEXT:    call @__adjoint_arena_step_1_free() : () -> ()
// CHECK-NEXT:    return
func.func @step(%n: index, %c: i1) {
  %a = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
  "test.use"(%a) : (memref<?xi8>) -> ()
  scf.if %c {
    %b = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    "test.use"(%b) : (memref<?xi8>) -> ()
    memref.dealloc %b : memref<?xi8>
  }
  memref.dealloc %a : memref<?xi8>
  return
}

// -----

// Left alone: an arena in a loop body (many per call), an allocation that
// adjoint-temporaries-arena did not make, an arena freed in another block.
// With no arena left and no release function asked for (the DEFAULT run;
// no C interface either), the module is unchanged.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     call @__adjoint_arena
// CHECK-COUNT-3: memref.alloc
// DEFAULT-LABEL: func.func @left_alone
// DEFAULT-NOT:   __adjoint_arena
// DEFAULT-NOT:   llvm.func
func.func @left_alone(%n: index, %c: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    "test.use"(%a) : (memref<?xi8>) -> ()
    memref.dealloc %a : memref<?xi8>
  }
  %b = memref.alloc(%n) {alignment = 64 : i64} : memref<?xi8>
  "test.use"(%b) : (memref<?xi8>) -> ()
  memref.dealloc %b : memref<?xi8>
  %d = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
  scf.if %c {
    memref.dealloc %d : memref<?xi8>
  }
  return
}

// -----

// A module with the C interface gets <network>_release_workspace.
// CHECK-LABEL: func.func @tiny_forward
// DEFAULT-LABEL: func.func @tiny_forward
// DEFAULT-LABEL: func.func @tiny_release_workspace() {
// DEFAULT-NEXT:    call @__adjoint_arena_tiny_forward_free() : () -> ()
module attributes {adjoint.abi = "{\"network\": \"tiny\"}"} {
  func.func @tiny_forward(%n: index) {
    %a = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    "test.use"(%a) : (memref<?xi8>) -> ()
    memref.dealloc %a : memref<?xi8>
    return
  }
}
