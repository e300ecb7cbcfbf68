//===- TensorSpec.h - Checking tensors against declared types ---*- C++ -*-===//
//
// What a model declares for one of its inputs or parameters (dtype and shape,
// with symbolic dims), and the check that a tensor loaded from a file fits
// that declaration, with a message such as
//   x.npy: shape [3, 65] does not match input 'x' of shape [N, 64]
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_RUNTIME_TENSORSPEC_H
#define ADJOINT_RUNTIME_TENSORSPEC_H

#include "adjoint/Runtime/HostTensor.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace adjoint {

/// The declared type of a model input, parameter or buffer.
struct TensorSpec {
  /// What the value is, for messages: "input", "parameter", "buffer".
  std::string kind = "input";
  /// The user-visible name: "x", "h.weight".
  std::string name;
  DType dtype = DType::F32;
  /// One entry per dim; -1 for a dynamic dim.
  llvm::SmallVector<int64_t, 4> shape;
  /// Empty, or one entry per dim: the symbolic name of a dynamic dim ("N"),
  /// "" for a static dim or an anonymous dynamic one. Dims that share a name
  /// must have the same size.
  llvm::SmallVector<std::string, 4> dimNames;

  /// The symbolic name of dim `i`, or "" if it has none.
  llvm::StringRef getDimName(size_t i) const;

  /// The declared shape as written in a .nn file: "[N, 64]" (an anonymous
  /// dynamic dim prints as "?").
  std::string formatShape() const;

  /// The declared type: "f32[N, 64]".
  std::string formatType() const;
};

/// The sizes that symbolic dims have taken so far, so that one name is one
/// size across all the inputs of a run, and where each size came from.
class DimBindings {
public:
  /// The size bound to `symbol`, if any.
  std::optional<int64_t> lookup(llvm::StringRef symbol) const;

  /// Binds `symbol` to `size`; `origin` describes where the size came from
  /// ("input 'x'"). An existing binding is overwritten.
  void bind(llvm::StringRef symbol, int64_t size, llvm::StringRef origin);

  /// Where the binding of `symbol` came from ("" if it is not bound).
  llvm::StringRef getOrigin(llvm::StringRef symbol) const;

private:
  struct Binding {
    int64_t size;
    std::string origin;
  };
  llvm::StringMap<Binding> bindings;
};

/// Checks that `tensor`, read from `source` (a file name), has the dtype and
/// shape of `spec`. A static dim must match exactly; a dynamic dim matches any
/// size, except that a named one must agree with other dims of the same name
/// in `spec` and, when `bindings` is given, with the sizes bound earlier. On
/// success the named dims are bound in `bindings`; on failure `bindings` is
/// unchanged. The error message starts with `source`.
llvm::Error checkTensorMatchesSpec(const HostTensor &tensor,
                                   llvm::StringRef source,
                                   const TensorSpec &spec,
                                   DimBindings *bindings = nullptr);

} // namespace adjoint

#endif // ADJOINT_RUNTIME_TENSORSPEC_H
