//===- MemoryReport.h - Memory use of a network's functions ------*- C++ -*-===//
//
// `adjointc --memory-report`: for every function of a module (forward,
// gradient, training step...), the peak of the bytes held by live tensors,
// and for @gradient the activations that the backward pass keeps from the
// forward pass, per layer (statement of the network file).
//
// The estimate is made on nn IR, before bufferization: a tensor is live from
// the op that defines it to its last use (or to the end, when returned), and
// function arguments belong to the caller. Dynamic dims count as their value
// under -D, or as 1 (the report says so): the numbers are then per unit of
// each dynamic dim.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_ANALYSIS_MEMORYREPORT_H
#define ADJOINT_ANALYSIS_MEMORYREPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace adjoint::analysis {

/// The activations of one layer that the backward pass keeps.
struct SavedActivations {
  /// "h (line 7)": the statement's name, or the location.
  std::string layer;
  int64_t bytes = 0;
  int64_t tensors = 0;
};

struct FunctionMemory {
  std::string function;
  /// The peak of live tensor bytes, and the op where it is reached.
  int64_t peakBytes = 0;
  std::string peakAt;
  /// For @gradient: what lives across the loss, per layer, in order.
  std::vector<SavedActivations> saved;
  /// True when some dim was dynamic (counted as 1).
  bool hasDynamicDims = false;
};

/// The report of every function of `module`.
std::vector<FunctionMemory> analyzeMemory(mlir::ModuleOp module);

/// Prints `report` as a table.
void printMemoryReport(llvm::raw_ostream &os,
                       const std::vector<FunctionMemory> &report);

} // namespace adjoint::analysis

#endif // ADJOINT_ANALYSIS_MEMORYREPORT_H
