//===- NNShapes.cpp - Shape arithmetic shared by nn ops -------------------===//

#include "adjoint/Dialect/NN/IR/NNShapes.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace adjoint::nn {

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << '?';
    else
      os << dim;
  });
  os << ']';
  return text;
}

std::string formatShape(Type type) {
  if (auto shaped = llvm::dyn_cast<RankedTensorType>(type))
    return formatShape(shaped.getShape());
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

bool dimsCompatible(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  llvm::SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the trailing dim; a missing dim acts as a static 1.
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1) {
      result[i] = b;
    } else if (b == 1) {
      result[i] = a;
    } else if (ShapedType::isDynamic(a)) {
      result[i] = b;
    } else if (ShapedType::isDynamic(b) || a == b) {
      result[i] = a;
    } else {
      return std::nullopt;
    }
  }
  return result;
}

bool isBroadcastableTo(llvm::ArrayRef<int64_t> from,
                       llvm::ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  size_t offset = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t a = from[i], b = to[i + offset];
    if (a == 1 || dimsCompatible(a, b))
      continue;
    return false;
  }
  return true;
}

llvm::SmallVector<int64_t>
broadcastAxes(llvm::ArrayRef<int64_t> operandShape,
              llvm::ArrayRef<int64_t> resultShape) {
  llvm::SmallVector<int64_t> axes;
  size_t offset = resultShape.size() - operandShape.size();
  for (size_t i = 0; i < resultShape.size(); ++i) {
    if (i < offset) {
      axes.push_back(i);
      continue;
    }
    if (operandShape[i - offset] == 1 && resultShape[i] != 1)
      axes.push_back(i);
  }
  return axes;
}

int64_t windowOutputSize(int64_t size, int64_t kernel, int64_t stride,
                         int64_t pad) {
  if (ShapedType::isDynamic(size))
    return ShapedType::kDynamic;
  int64_t span = size + 2 * pad - kernel;
  if (span < 0)
    return 0;
  return span / stride + 1;
}

} // namespace adjoint::nn
