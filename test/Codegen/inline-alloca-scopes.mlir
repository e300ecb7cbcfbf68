// RUN: adjoint-opt %s --adjoint-inline-alloca-scopes --split-input-file --allow-unregistered-dialect | FileCheck %s

// A scope around a call and a loop (a kernel call and the elementwise op
// after it, per chunk of a product): inlined.
// CHECK-LABEL: func.func @call_and_loop
// CHECK-NOT: memref.alloca_scope
// CHECK: call @kernel(%arg0)
// CHECK-NEXT: scf.for
// CHECK: return
func.func private @kernel(memref<?xf32>)
func.func @call_and_loop(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  memref.alloca_scope {
    func.call @kernel(%m) : (memref<?xf32>) -> ()
    scf.for %i = %c0 to %n step %c1 {
      memref.store %zero, %m[%i] : memref<?xf32>
    }
  }
  return
}

// -----

// A scope with a stack allocation, or with an op of unknown effects, stays.
// CHECK-LABEL: func.func @alloca
// CHECK: memref.alloca_scope
// CHECK: memref.alloca
func.func @alloca(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.alloca_scope {
      %buffer = memref.alloca() : memref<16xf32>
      "test.use"(%buffer) : (memref<16xf32>) -> ()
    }
  }
  return
}

// CHECK-LABEL: func.func @unknown
// CHECK: memref.alloca_scope
// CHECK-NEXT: "test.unknown"
func.func @unknown() {
  memref.alloca_scope {
    "test.unknown"() : () -> ()
  }
  return
}

// -----

// A scope with results: its uses take the returned values.
// CHECK-LABEL: func.func @results
// CHECK-NOT: memref.alloca_scope
// CHECK: %[[SUM:.*]] = arith.addf %arg0, %arg0
// CHECK: return %[[SUM]]
func.func @results(%x: f32) -> f32 {
  %r = memref.alloca_scope -> (f32) {
    %s = arith.addf %x, %x : f32
    memref.alloca_scope.return %s : f32
  }
  return %r : f32
}
