// RUN: adjoint-opt %s --adjoint-reuse-arena --split-input-file --allow-unregistered-dialect -verify-diagnostics

// The arenas call the C library's free and aligned_alloc: another function
// of either name is an error.
// expected-error@+1 {{'free' has a different type than the C library's, which the arena calls}}
llvm.func @free(i64)
func.func @clash(%n: index) {
  %a = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
  "test.use"(%a) : (memref<?xi8>) -> ()
  memref.dealloc %a : memref<?xi8>
  return
}

// -----

// expected-error@+1 {{the symbol 'aligned_alloc' is taken; the arena calls the C library's}}
module {
  func.func private @aligned_alloc(i64, i64) -> i64
  func.func @clash(%n: index) {
    %a = memref.alloc(%n) {adjoint.arena, alignment = 64 : i64} : memref<?xi8>
    "test.use"(%a) : (memref<?xi8>) -> ()
    memref.dealloc %a : memref<?xi8>
    return
  }
}
