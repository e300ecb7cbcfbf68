//===- ModelArguments.h - The arguments of a model and their values -*- C++ -*-===//
//
// What adjoint-run knows about each argument of @forward (from the attributes
// of docs/ir-conventions.md), and how it gets a value for it: inputs from
// --input files, parameters and buffers from --params or their initializer,
// the dropout seed from --seed.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_TOOLS_ADJOINT_RUN_MODELARGUMENTS_H
#define ADJOINT_TOOLS_ADJOINT_RUN_MODELARGUMENTS_H

#include "adjoint/Runtime/HostTensor.h"
#include "adjoint/Runtime/TensorSpec.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace adjoint::run {

/// One argument of @forward.
struct ArgumentInfo {
  unsigned index = 0;
  /// `nn.name`, or "arg<i>" when it has none.
  std::string name;
  /// `nn.kind`: "input" (also when it has none), "param", "buffer", "seed".
  std::string kind;
  /// `nn.init` of a parameter or buffer ("" when it has none).
  std::string init;
  /// The declared type, with `nn.dims`; spec.kind is "input", "parameter" or
  /// "buffer".
  TensorSpec spec;

  bool isInput() const { return kind == "input"; }
  bool isParamOrBuffer() const { return kind == "param" || kind == "buffer"; }
};

/// Describes the arguments of `func`. Fails on an argument whose type is not
/// a ranked tensor of f32, f64, i64 or i32.
llvm::Expected<std::vector<ArgumentInfo>>
describeArguments(mlir::func::FuncOp func);

/// Where the argument values come from.
struct ArgumentSources {
  /// --input NAME=FILE, in command-line order.
  std::vector<std::pair<std::string, std::string>> inputs;
  /// --params DIR ("" for none: initialize).
  std::string paramsDir;
  /// Values that the model file carries (an ONNX model's initializers), by
  /// name; without --params they are used instead of the initializers.
  const std::map<std::string, HostTensor> *initialValues = nullptr;
  uint64_t seed = 0;
};

/// The values of the arguments, by argument index; an input that was not
/// given has none.
struct ArgumentValues {
  std::vector<std::optional<HostTensor>> values;
  /// The sizes the inputs gave the symbolic dims.
  DimBindings bindings;
};

/// A zero tensor that fits the declared type of `arg`: its symbolic dims
/// take their sizes from `bindings` (0 when unbound), other dynamic dims 0.
/// It stands in for an input that the evaluated function does not read, so
/// that every engine gets a full argument list.
HostTensor makePlaceholder(const ArgumentInfo &arg,
                           const DimBindings &bindings);

/// Reads the inputs (checked against their declared types, one symbolic dim
/// one size across all inputs), loads or initializes the parameters and
/// buffers, and makes the seed. Errors: an unknown or repeated input name, an
/// unreadable or malformed file, a dtype or shape that does not fit, a
/// missing parameter file, a parameter without initializer. Inputs that are
/// not given are left empty; the caller decides whether they are needed.
llvm::Expected<ArgumentValues>
loadArguments(llvm::ArrayRef<ArgumentInfo> arguments,
              const ArgumentSources &sources);

} // namespace adjoint::run

#endif // ADJOINT_TOOLS_ADJOINT_RUN_MODELARGUMENTS_H
