//===- SymbolicShape.h - Shapes with symbolic dims --------------*- C++ -*-===//
//
// The frontend checks shapes on symbolic shapes, so that its messages speak
// the user's names (`add: cannot broadcast shapes [N, 128] and [64]`) and so
// that one symbolic name is one size across the file: `N` agrees with `N`,
// but not with `M` or with 64. A dim is
//   - static: a known size (a number, or a symbol fixed by -D NAME=VALUE),
//   - symbolic: an unfixed symbol of the file, dynamic in the IR,
//   - unknown: dynamic with no name (a conv2d over a symbolic height, a
//     reshape's -1 of a product); it agrees with anything.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_SYMBOLICSHAPE_H
#define ADJOINT_FRONTEND_SYMBOLICSHAPE_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace adjoint::frontend {

struct SymDim {
  /// The size, or ShapedType::kDynamic.
  int64_t size = mlir::ShapedType::kDynamic;
  /// The symbol of a symbolic dim; empty otherwise.
  llvm::StringRef symbol;

  static SymDim of(int64_t size) { return {size, {}}; }
  static SymDim named(llvm::StringRef symbol) {
    return {mlir::ShapedType::kDynamic, symbol};
  }
  static SymDim unknown() { return {}; }

  bool isStatic() const { return !mlir::ShapedType::isDynamic(size); }
  bool isSymbolic() const { return !isStatic() && !symbol.empty(); }
  bool isUnknown() const { return !isStatic() && symbol.empty(); }
  bool isOne() const { return size == 1; }
  bool operator==(const SymDim &other) const {
    return size == other.size && symbol == other.symbol;
  }
};

using SymShape = llvm::SmallVector<SymDim, 4>;

/// `N`, `64` or `?`.
std::string formatDim(SymDim dim);
/// `[N, 64]`.
std::string formatShape(llvm::ArrayRef<SymDim> shape);

/// The IR type of a value of this shape: symbolic and unknown dims dynamic.
mlir::RankedTensorType getTensorType(llvm::ArrayRef<SymDim> shape,
                                     mlir::Type elementType);

/// Two dims agree when both are static and equal, both are the same symbol,
/// or either is unknown.
bool dimsAgree(SymDim a, SymDim b);
/// Of two agreeing dims, the one that says more (static over symbolic over
/// unknown).
SymDim mergeDims(SymDim a, SymDim b);
/// Shapes agree when their ranks are equal and every dim agrees.
bool shapesAgree(llvm::ArrayRef<SymDim> a, llvm::ArrayRef<SymDim> b);

/// NumPy broadcasting: aligned from the trailing dim, a static 1 stretches,
/// otherwise the dims must agree. std::nullopt when they do not.
std::optional<SymShape> broadcastShapes(llvm::ArrayRef<SymDim> a,
                                        llvm::ArrayRef<SymDim> b);

/// The number of elements of a shape, as a monomial: constant * symbols.
struct ElementCount {
  int64_t constant = 1;
  /// Sorted, with repeats.
  llvm::SmallVector<llvm::StringRef, 4> symbols;
  /// An unknown dim takes part; nothing can be said about the count.
  bool unknown = false;
  /// The static part does not fit in int64.
  bool overflow = false;

  /// `64*N`, `128`, `N*T`, `?`.
  std::string str() const;
  bool operator==(const ElementCount &other) const {
    return constant == other.constant && symbols == other.symbols && !unknown &&
           !other.unknown;
  }
};
ElementCount countElements(llvm::ArrayRef<SymDim> shape);

/// The product of static sizes, or std::nullopt on int64 overflow.
std::optional<int64_t> staticProduct(llvm::ArrayRef<int64_t> sizes);

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_SYMBOLICSHAPE_H
