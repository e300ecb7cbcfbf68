// RUN: adjoint-opt %s --adjoint-reuse-arena='release-function=net_release' --split-input-file --allow-unregistered-dialect | FileCheck %s
// RUN: adjoint-opt %s --adjoint-reuse-arena --split-input-file --allow-unregistered-dialect | FileCheck %s --check-prefix=DEFAULT

// The slots of a function body's arena and those of a branch of an scf.if
// (the C interface's checks) are kept between calls: the block takes its
// arena (`_enter` on its busy flag, which says whether it got the kept
// slots), each slot comes from `_acquire` on its global as a noalias pointer
// wrapped in a memref descriptor, and is given back by `_release`; `_exit`
// after the last. The helpers are made once per module and not inlined. A
// public function frees all kept slots.
// CHECK-LABEL: func.func @step(
// CHECK-SAME:      %[[N:.*]]: index, %[[C:.*]]: i1)
// CHECK:         %[[BUSY:.*]] = llvm.mlir.addressof @__adjoint_arena_step_busy : !llvm.ptr
// CHECK:         %[[OWNED:.*]] = llvm.call @__adjoint_arena_enter(%[[BUSY]]) : (!llvm.ptr) -> i1
// CHECK:         %[[S0:.*]] = llvm.mlir.addressof @__adjoint_arena_step_0 : !llvm.ptr
// CHECK:         %[[BYTES:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK:         %[[P0:.*]] = llvm.call @__adjoint_arena_acquire(%[[S0]], %[[BYTES]], %[[OWNED]]) : (!llvm.ptr, i64, i1) -> !llvm.ptr
// CHECK:         llvm.insertvalue %[[P0]], %{{.*}}[0]
// CHECK:         llvm.insertvalue %[[P0]], %{{.*}}[1]
// CHECK:         llvm.insertvalue %[[BYTES]], %{{.*}}[3, 0]
// CHECK:         %[[SLOT0:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xi8>
// CHECK:         %[[S1:.*]] = llvm.mlir.addressof @__adjoint_arena_step_1 : !llvm.ptr
// CHECK:         %[[P1:.*]] = llvm.call @__adjoint_arena_acquire(%[[S1]], %{{.*}}, %[[OWNED]])
// CHECK:         "test.use"(%[[SLOT0]], %{{.*}})
// CHECK:         scf.if %[[C]] {
// CHECK:           %[[INNER_BUSY:.*]] = llvm.mlir.addressof @__adjoint_arena_step_1_busy
// CHECK:           %[[INNER:.*]] = llvm.call @__adjoint_arena_enter(%[[INNER_BUSY]])
// CHECK:           llvm.mlir.addressof @__adjoint_arena_step_1_0 :
// CHECK:           llvm.call @__adjoint_arena_acquire(%{{.*}}, %{{.*}}, %[[INNER]])
// CHECK:           llvm.call @__adjoint_arena_release(%{{.*}}, %[[INNER]])
// CHECK:           llvm.call @__adjoint_arena_exit(%[[INNER_BUSY]], %[[INNER]])
// CHECK:         }
// CHECK:         llvm.call @__adjoint_arena_release(%[[P0]], %[[OWNED]]) : (!llvm.ptr, i1) -> ()
// CHECK:         llvm.call @__adjoint_arena_release(%[[P1]], %[[OWNED]]) : (!llvm.ptr, i1) -> ()
// CHECK-NEXT:    llvm.call @__adjoint_arena_exit(%[[BUSY]], %[[OWNED]]) : (!llvm.ptr, i1) -> ()
// CHECK-NOT:     memref.dealloc
// CHECK:         return
// CHECK:       llvm.func @free(!llvm.ptr)
// CHECK:       llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK:       llvm.func internal @__adjoint_arena_enter(%{{.*}}: !llvm.ptr) -> i1 attributes {no_inline}
// CHECK:         llvm.cmpxchg
// CHECK:       llvm.func internal @__adjoint_arena_exit(%{{.*}}: !llvm.ptr, %{{.*}}: i1) attributes {no_inline}
// CHECK:         llvm.store %{{.*}} atomic release
// CHECK:       llvm.func internal @__adjoint_arena_acquire(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i1) -> (!llvm.ptr {llvm.noalias}) attributes {no_inline}
// CHECK:         llvm.call @aligned_alloc
// CHECK:         llvm.call @free
// CHECK:       llvm.func internal @__adjoint_arena_release(
// CHECK:       llvm.func internal @__adjoint_arena_drop(
// CHECK:       llvm.mlir.global internal @__adjoint_arena_step_busy(0 : i32)
// CHECK:       llvm.mlir.global internal @__adjoint_arena_step_0() {{.*}} : !llvm.struct<(ptr, i64)>
// CHECK:       llvm.mlir.global internal @__adjoint_arena_step_1() {{.*}} : !llvm.struct<(ptr, i64)>
// CHECK:       llvm.func internal @__adjoint_arena_step_free() {
// CHECK:         llvm.call @__adjoint_arena_enter(
// CHECK:         llvm.call @__adjoint_arena_drop(
// CHECK:         llvm.call @__adjoint_arena_drop(
// CHECK:         llvm.call @__adjoint_arena_exit(
// CHECK-LABEL: llvm.func @net_release() {
// CHECK-NEXT:    llvm.call @__adjoint_arena_step_free() : () -> ()
// CHECK-NEXT:    llvm.call @__adjoint_arena_step_1_free() : () -> ()
// CHECK-NEXT:    llvm.return
func.func @step(%n: index, %c: i1) {
  %a = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
  %a2 = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
  "test.use"(%a, %a2) : (memref<?xi8>, memref<?xi8>) -> ()
  scf.if %c {
    %b = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    "test.use"(%b) : (memref<?xi8>) -> ()
    memref.dealloc %b : memref<?xi8>
  }
  memref.dealloc %a : memref<?xi8>
  memref.dealloc %a2 : memref<?xi8>
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
// DEFAULT-NOT:   llvm.call
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
// DEFAULT-LABEL: llvm.func @tiny_release_workspace() {
// DEFAULT-NEXT:    llvm.call @__adjoint_arena_tiny_forward_free() : () -> ()
module attributes {adjoint.abi = "{\"network\": \"tiny\"}"} {
  func.func @tiny_forward(%n: index) {
    %a = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    "test.use"(%a) : (memref<?xi8>) -> ()
    memref.dealloc %a : memref<?xi8>
    return
  }
}
