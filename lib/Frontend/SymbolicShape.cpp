//===- SymbolicShape.cpp - Shapes with symbolic dims ----------------------===//

#include "adjoint/Frontend/SymbolicShape.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace adjoint::frontend;

std::string adjoint::frontend::formatDim(SymDim dim) {
  if (dim.isStatic())
    return std::to_string(dim.size);
  if (dim.isSymbolic())
    return dim.symbol.str();
  return "?";
}

std::string adjoint::frontend::formatShape(llvm::ArrayRef<SymDim> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os, [&](SymDim dim) { os << formatDim(dim); });
  os << "]";
  return text;
}

RankedTensorType adjoint::frontend::getTensorType(llvm::ArrayRef<SymDim> shape,
                                                  Type elementType) {
  llvm::SmallVector<int64_t> sizes;
  for (SymDim dim : shape)
    sizes.push_back(dim.size);
  return RankedTensorType::get(sizes, elementType);
}

bool adjoint::frontend::dimsAgree(SymDim a, SymDim b) {
  if (a.isUnknown() || b.isUnknown())
    return true;
  return a == b;
}

SymDim adjoint::frontend::mergeDims(SymDim a, SymDim b) {
  if (a.isStatic() || b.isUnknown())
    return a;
  if (b.isStatic() || a.isUnknown())
    return b;
  return a;
}

bool adjoint::frontend::shapesAgree(llvm::ArrayRef<SymDim> a,
                                    llvm::ArrayRef<SymDim> b) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip_equal(a, b))
    if (!dimsAgree(x, y))
      return false;
  return true;
}

std::optional<SymShape>
adjoint::frontend::broadcastShapes(llvm::ArrayRef<SymDim> a,
                                   llvm::ArrayRef<SymDim> b) {
  size_t rank = std::max(a.size(), b.size());
  SymShape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    SymDim x = i < rank - a.size() ? SymDim::of(1) : a[i - (rank - a.size())];
    SymDim y = i < rank - b.size() ? SymDim::of(1) : b[i - (rank - b.size())];
    if (x.isOne()) {
      result[i] = y;
    } else if (y.isOne()) {
      result[i] = x;
    } else if (dimsAgree(x, y)) {
      // An unknown dim against a symbolic or static one: at run time it
      // must be that size (or 1, which the IR cannot express statically).
      result[i] = mergeDims(x, y);
    } else {
      return std::nullopt;
    }
  }
  return result;
}

std::string ElementCount::str() const {
  if (unknown)
    return "?";
  std::string text;
  if (constant != 1 || symbols.empty())
    text = std::to_string(constant);
  for (llvm::StringRef symbol : symbols) {
    if (!text.empty())
      text += "*";
    text += symbol.str();
  }
  return text;
}

ElementCount adjoint::frontend::countElements(llvm::ArrayRef<SymDim> shape) {
  ElementCount count;
  for (SymDim dim : shape) {
    if (dim.isStatic()) {
      std::optional<int64_t> product =
          llvm::checkedMul(count.constant, dim.size);
      if (!product)
        count.overflow = true;
      else
        count.constant = *product;
    } else if (dim.isSymbolic()) {
      count.symbols.push_back(dim.symbol);
    } else {
      count.unknown = true;
    }
  }
  llvm::sort(count.symbols);
  return count;
}

std::optional<int64_t>
adjoint::frontend::staticProduct(llvm::ArrayRef<int64_t> sizes) {
  int64_t product = 1;
  for (int64_t size : sizes) {
    std::optional<int64_t> next = llvm::checkedMul(product, size);
    if (!next)
      return std::nullopt;
    product = *next;
  }
  return product;
}
