//===- ConstFold.cpp - Folding ONNX ops on compile-time constants ---------===//
//
// The shape arithmetic of exported graphs (Shape -> Gather -> Unsqueeze ->
// Concat -> Reshape, constants built with ConstantOfShape, ...) is folded
// here when its values are known, on HostTensors. Float results are computed
// in double and rounded to the tensor's dtype once; integers in int64.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>

using namespace adjoint;
using namespace adjoint::onnximport;

static bool isFloat(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64;
}

/// Writes `value` into element `index` of `tensor`.
static void setElement(HostTensor &tensor, int64_t index, double value) {
  switch (tensor.getDType()) {
  case DType::F32:
    tensor.getMutableValues<float>()[index] = static_cast<float>(value);
    return;
  case DType::F64:
    tensor.getMutableValues<double>()[index] = value;
    return;
  case DType::I64:
    tensor.getMutableValues<int64_t>()[index] = static_cast<int64_t>(value);
    return;
  case DType::I32:
    tensor.getMutableValues<int32_t>()[index] = static_cast<int32_t>(value);
    return;
  }
}

static int64_t getInt(const HostTensor &tensor, int64_t index) {
  if (tensor.getDType() == DType::I64)
    return tensor.getValues<int64_t>()[index];
  if (tensor.getDType() == DType::I32)
    return tensor.getValues<int32_t>()[index];
  return static_cast<int64_t>(tensor.getElementAsDouble(index));
}

static void setInt(HostTensor &tensor, int64_t index, int64_t value) {
  if (tensor.getDType() == DType::I64)
    tensor.getMutableValues<int64_t>()[index] = value;
  else
    setElement(tensor, index, static_cast<double>(value));
}

/// Row-major strides of a shape.
static llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// The flat index into a tensor of `shape` (aligned to the trailing dims of
/// `resultShape`, broadcasting size-1 dims) of result element `index`.
static int64_t broadcastIndex(int64_t index, llvm::ArrayRef<int64_t> resultShape,
                              llvm::ArrayRef<int64_t> shape) {
  int64_t offset = static_cast<int64_t>(resultShape.size() - shape.size());
  llvm::SmallVector<int64_t> strides = stridesOf(shape);
  int64_t flat = 0;
  for (int64_t d = static_cast<int64_t>(resultShape.size()) - 1; d >= 0; --d) {
    int64_t coord = index % resultShape[d];
    index /= resultShape[d];
    int64_t s = d - offset;
    if (s >= 0 && shape[s] != 1)
      flat += coord * strides[s];
  }
  return flat;
}

llvm::Expected<HostTensor>
adjoint::onnximport::foldBinary(BinaryKind kind, const HostTensor &lhs,
                                const HostTensor &rhs) {
  llvm::ArrayRef<int64_t> a = lhs.getShape(), b = rhs.getShape();
  size_t rank = std::max(a.size(), b.size());
  llvm::SmallVector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "cannot broadcast shapes " + formatShape(a) + " and " +
              formatShape(b));
    shape[i] = da == 1 ? db : da;
  }
  // The result has the dtype of the left operand (ONNX requires both equal).
  HostTensor result(lhs.getDType(), shape);
  bool floating = isFloat(lhs.getDType()) || isFloat(rhs.getDType());
  for (int64_t i = 0; i < result.getNumElements(); ++i) {
    int64_t li = broadcastIndex(i, shape, a), ri = broadcastIndex(i, shape, b);
    if (floating) {
      double x = lhs.getElementAsDouble(li), y = rhs.getElementAsDouble(ri);
      double r = 0;
      switch (kind) {
      case BinaryKind::Add: r = x + y; break;
      case BinaryKind::Sub: r = x - y; break;
      case BinaryKind::Mul: r = x * y; break;
      case BinaryKind::Div: r = x / y; break;
      case BinaryKind::Pow: r = std::pow(x, y); break;
      }
      setElement(result, i, r);
      continue;
    }
    int64_t x = getInt(lhs, li), y = getInt(rhs, ri), r = 0;
    switch (kind) {
    case BinaryKind::Add: r = x + y; break;
    case BinaryKind::Sub: r = x - y; break;
    case BinaryKind::Mul: r = x * y; break;
    case BinaryKind::Div:
      if (y == 0)
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "integer division by zero");
      r = x / y;
      break;
    case BinaryKind::Pow:
      r = static_cast<int64_t>(std::pow(static_cast<double>(x), y));
      break;
    }
    setInt(result, i, r);
  }
  return std::move(result);
}

HostTensor adjoint::onnximport::foldUnary(UnaryKind kind,
                                          const HostTensor &input) {
  HostTensor result(input.getDType(), input.getShape());
  for (int64_t i = 0; i < input.getNumElements(); ++i) {
    double x = input.getElementAsDouble(i), r = 0;
    switch (kind) {
    case UnaryKind::Neg: r = -x; break;
    case UnaryKind::Exp: r = std::exp(x); break;
    case UnaryKind::Log: r = std::log(x); break;
    case UnaryKind::Sqrt: r = std::sqrt(x); break;
    case UnaryKind::Relu: r = x > 0 ? x : 0; break;
    case UnaryKind::Sigmoid: r = 1 / (1 + std::exp(-x)); break;
    case UnaryKind::Tanh: r = std::tanh(x); break;
    case UnaryKind::Reciprocal: r = 1 / x; break;
    }
    if (isFloat(input.getDType()))
      setElement(result, i, r);
    else
      setInt(result, i, static_cast<int64_t>(r));
  }
  return result;
}

/// Copies element `from` of `src` to element `to` of `dst` (same dtype).
static void copyElement(const HostTensor &src, int64_t from, HostTensor &dst,
                        int64_t to) {
  size_t size = getDTypeSize(src.getDType());
  std::memcpy(static_cast<char *>(dst.getData()) + to * size,
              static_cast<const char *>(src.getData()) + from * size, size);
}

HostTensor adjoint::onnximport::foldTranspose(const HostTensor &input,
                                              llvm::ArrayRef<int64_t> perm) {
  llvm::ArrayRef<int64_t> inShape = input.getShape();
  llvm::SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inShape[p]);
  HostTensor result(input.getDType(), shape);
  llvm::SmallVector<int64_t> inStrides = stridesOf(inShape);
  for (int64_t i = 0; i < result.getNumElements(); ++i) {
    int64_t rest = i, from = 0;
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      from += (rest % shape[d]) * inStrides[perm[d]];
      rest /= shape[d];
    }
    copyElement(input, from, result, i);
  }
  return result;
}

HostTensor adjoint::onnximport::foldReshape(const HostTensor &input,
                                            llvm::ArrayRef<int64_t> shape) {
  HostTensor result(input.getDType(), shape);
  assert(result.getNumBytes() == input.getNumBytes() && "element count");
  std::memcpy(result.getData(), input.getData(), input.getNumBytes());
  return result;
}

llvm::Expected<HostTensor>
adjoint::onnximport::foldGather(const HostTensor &data,
                                const HostTensor &indices, int64_t axis) {
  llvm::ArrayRef<int64_t> dataShape = data.getShape();
  llvm::SmallVector<int64_t> shape(dataShape.begin(), dataShape.begin() + axis);
  llvm::append_range(shape, indices.getShape());
  shape.append(dataShape.begin() + axis + 1, dataShape.end());
  HostTensor result(data.getDType(), shape);
  int64_t outer = 1, inner = 1, axisSize = dataShape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= dataShape[d];
  for (size_t d = axis + 1; d < dataShape.size(); ++d)
    inner *= dataShape[d];
  int64_t numIndices = indices.getNumElements(), to = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < numIndices; ++k) {
      int64_t index = getInt(indices, k);
      if (index < 0)
        index += axisSize;
      if (index < 0 || index >= axisSize)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            "index " + std::to_string(getInt(indices, k)) +
                " is out of range for a dim of size " +
                std::to_string(axisSize));
      for (int64_t i = 0; i < inner; ++i)
        copyElement(data, (o * axisSize + index) * inner + i, result, to++);
    }
  }
  return std::move(result);
}

HostTensor adjoint::onnximport::foldSlice(const HostTensor &data,
                                          llvm::ArrayRef<int64_t> axes,
                                          llvm::ArrayRef<int64_t> starts,
                                          llvm::ArrayRef<int64_t> ends,
                                          llvm::ArrayRef<int64_t> steps) {
  llvm::ArrayRef<int64_t> inShape = data.getShape();
  size_t rank = inShape.size();
  llvm::SmallVector<int64_t> start(rank, 0), step(rank, 1),
      shape(inShape.begin(), inShape.end());
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = axes[i];
    start[a] = starts[i];
    step[a] = steps[i];
    int64_t span = step[a] > 0 ? ends[i] - starts[i] : starts[i] - ends[i];
    int64_t stride = std::abs(step[a]);
    shape[a] = span <= 0 ? 0 : (span + stride - 1) / stride;
  }
  HostTensor result(data.getDType(), shape);
  llvm::SmallVector<int64_t> inStrides = stridesOf(inShape);
  for (int64_t i = 0; i < result.getNumElements(); ++i) {
    int64_t rest = i, from = 0;
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      int64_t coord = rest % shape[d];
      rest /= shape[d];
      from += (start[d] + coord * step[d]) * inStrides[d];
    }
    copyElement(data, from, result, i);
  }
  return result;
}

HostTensor
adjoint::onnximport::foldConcat(llvm::ArrayRef<const HostTensor *> inputs,
                                int64_t axis) {
  llvm::SmallVector<int64_t> shape(inputs.front()->getShape());
  shape[axis] = 0;
  for (const HostTensor *input : inputs)
    shape[axis] += input->getShape()[axis];
  HostTensor result(inputs.front()->getDType(), shape);
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  int64_t to = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (const HostTensor *input : inputs) {
      int64_t chunk = input->getNumElements() / std::max<int64_t>(outer, 1);
      for (int64_t i = 0; i < chunk; ++i)
        copyElement(*input, o * chunk + i, result, to++);
    }
  }
  return result;
}

HostTensor adjoint::onnximport::foldFill(const HostTensor &value,
                                         llvm::ArrayRef<int64_t> shape) {
  HostTensor result(value.getDType(), shape);
  for (int64_t i = 0; i < result.getNumElements(); ++i)
    copyElement(value, 0, result, i);
  return result;
}
