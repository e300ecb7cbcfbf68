// RUN: adjoint-opt %s --adjoint-openmp-serial-if --split-input-file | FileCheck %s

// A work-sharing loop over chunks: the region runs on the thread team only
// when there is more than one iteration.
// CHECK-LABEL: func.func @chunks
// CHECK-SAME: (%[[LB:.*]]: index, %[[UB:.*]]: index, %[[STEP:.*]]: index)
// CHECK: %[[TRIPS:.*]] = arith.subi %[[UB]], %[[LB]] : index
// CHECK: %[[SEVERAL:.*]] = arith.cmpi sgt, %[[TRIPS]], %[[STEP]] : index
// CHECK: omp.parallel if(%[[SEVERAL]])
func.func @chunks(%lb: index, %ub: index, %step: index) {
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%lb) to (%ub) step (%step) {
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// An `if` clause already there is kept.
// CHECK-LABEL: func.func @has_if
// CHECK-NOT: arith.cmpi
// CHECK: omp.parallel if(%arg3)
func.func @has_if(%lb: index, %ub: index, %step: index, %cond: i1) {
  omp.parallel if(%cond) {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%lb) to (%ub) step (%step) {
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Left alone: an inclusive loop, a region without a loop, and bounds that
// the region computes itself.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: arith.cmpi
// CHECK-NOT: if(
func.func @left_alone(%lb: index, %ub: index, %step: index) {
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%lb) to (%ub) inclusive step (%step) {
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.terminator
  }
  omp.parallel {
    %c2 = arith.constant 2 : index
    omp.wsloop {
      omp.loop_nest (%i) : index = (%lb) to (%c2) step (%step) {
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
