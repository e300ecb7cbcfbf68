//===- ABI.h - The C ABI of a compiled network -------------------*- C++ -*-===//
//
// What `adjoint-generate-c-interface` decides about the C-callable functions
// of a network: the layout of the parameter struct, and for each function
// its C parameters, the shapes of its results in terms of the symbolic dims,
// and the messages of its run-time checks. The pass stores it as JSON in the
// module attribute `adjoint.abi`, so that the header generator and the JIT
// read the one description that the code was compiled against.
//
// The C signature of `<network>_<function>` (docs/codegen.md):
//   int <network>_<function>(
//       const <network>_params *params,      // State: params and buffers
//       int64_t N, ...,                       // Dim: one per symbol
//       const float *x, const int64_t *label, // Input: one per input
//       int64_t seed,                         // Seed
//       float *logits, float *loss,           // Result: outputs, loss, ...
//       <network>_params *grad,               // Grad: d params, d buffers
//       float *grad_x,                        // Result: d inputs
//       <network>_params *new_state);         // NewState: updated buffers
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_CONVERSION_CINTERFACE_ABI_H
#define ADJOINT_CONVERSION_CINTERFACE_ABI_H

#include "adjoint/Runtime/HostTensor.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace adjoint::abi {

/// The module attribute that holds the ABI as JSON.
constexpr llvm::StringLiteral kAttrName = "adjoint.abi";

/// One dim of a shape: a static size, or a symbolic dim given at run time.
struct Dim {
  int64_t size = 0;
  /// The symbol ("N"); empty for a static dim.
  std::string symbol;

  bool isSymbolic() const { return !symbol.empty(); }
};

/// An argument or result of a network function.
struct Tensor {
  /// The user-visible name (nn.name): "x", "h.weight", "grad.h.weight".
  std::string name;
  /// nn.kind: "input", "param", "buffer", "seed", "output", "loss", "grad".
  std::string kind;
  DType dtype = DType::F32;
  llvm::SmallVector<Dim, 4> shape;

  /// "[N, 64]" ("[]" for 0-d).
  std::string formatShape() const;
};

/// A field of the parameter struct: a parameter or buffer, stored as a dense
/// row-major array at `offset` bytes from the start of the struct.
struct StateField {
  std::string name;  // "h.weight"
  std::string field; // "h_weight"
  std::string kind;  // "param" or "buffer"
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t, 4> shape;
  int64_t offset = 0;
  int64_t numElements = 1;
};

/// What a parameter of a C function stands for.
enum class ParamKind {
  State,    // const <net>_params *: the params and buffers
  Dim,      // int64_t: the size of symbol `index`
  Input,    // const T *: argument `index` of the network function
  Seed,     // int64_t: argument `index` (a 0-d i64 tensor)
  Result,   // T *: result `index`
  Grad,     // <net>_params *: the results mapped to fields (gradients)
  NewState, // <net>_params *: the results mapped to fields (new values)
};

llvm::StringRef getParamKindName(ParamKind kind);

struct Param {
  ParamKind kind = ParamKind::Input;
  /// The C name of the parameter.
  std::string name;
  /// Dim: index into NetworkABI::symbols; Input, Seed: argument index;
  /// Result: result index; -1 otherwise.
  int64_t index = -1;
};

/// One C function, `<network>_<name>`.
struct Function {
  /// The network function: "forward", "gradient".
  std::string name;
  /// The C symbol: "digits_mlp_forward".
  std::string symbol;
  std::vector<Tensor> arguments;
  std::vector<Tensor> results;
  /// Per argument: the state field it is read from, or -1.
  llvm::SmallVector<int64_t> argumentFields;
  /// Per result: the state field it is written to (in the Grad or NewState
  /// struct, as `resultStructs` says), or -1 for a result of its own.
  llvm::SmallVector<int64_t> resultFields;
  llvm::SmallVector<ParamKind> resultStructs;
  /// The C parameters in order.
  llvm::SmallVector<Param> params;
  /// Messages of the run-time checks: status 2 + k means check k failed.
  llvm::SmallVector<std::string> checks;

  /// The message for a non-zero status.
  std::string describeStatus(int status) const;
};

/// The ABI of a network's compiled functions.
struct NetworkABI {
  /// The symbol prefix, the network's name: "digits_mlp".
  std::string network;
  /// The symbolic dims, in order of first appearance.
  llvm::SmallVector<std::string> symbols;
  std::vector<StateField> state;
  /// sizeof(<network>_params).
  int64_t stateBytes = 0;
  std::vector<Function> functions;

  /// The function named `name` ("forward"), or null.
  const Function *lookup(llvm::StringRef name) const;
  /// The state field named `name` ("h.weight"), or -1.
  int64_t lookupField(llvm::StringRef name) const;

  std::string toJSON() const;
  static llvm::Expected<NetworkABI> fromJSON(llvm::StringRef text);
};

/// Reads the ABI that adjoint-generate-c-interface stored on `module`.
llvm::Expected<NetworkABI> readABI(mlir::ModuleOp module);

/// A C identifier made from `name`: characters other than letters, digits
/// and '_' become '_', a leading digit or a C keyword gets a '_' appended
/// or prepended.
std::string makeCIdentifier(llvm::StringRef name);

/// The C symbol of the function that frees the workspaces which the
/// functions of `network` keep between calls (adjoint-reuse-arena makes it,
/// the header declares it, the JIT calls it).
inline std::string getReleaseWorkspaceSymbol(llvm::StringRef network) {
  return (network + "_release_workspace").str();
}

} // namespace adjoint::abi

#endif // ADJOINT_CONVERSION_CINTERFACE_ABI_H
