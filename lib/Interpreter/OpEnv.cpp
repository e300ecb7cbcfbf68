//===- OpEnv.cpp - What an eval function sees of its op -------------------===//
//
// Error formatting, run-time dtypes, allocation, and the index arithmetic
// (strides, broadcasting) that the kernels share.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

std::string interp::formatLocation(Location loc) {
  if (auto file = llvm::dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  if (auto name = llvm::dyn_cast<NameLoc>(loc))
    return formatLocation(name.getChildLoc());
  if (auto callSite = llvm::dyn_cast<CallSiteLoc>(loc))
    return formatLocation(callSite.getCallee());
  if (auto fused = llvm::dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations()) {
      std::string text = formatLocation(inner);
      if (!text.empty())
        return text;
    }
  }
  return "";
}

llvm::Error OpEnv::error(const Twine &message) const {
  std::string where = formatLocation(op->getLoc());
  return llvm::createStringError(
      "evaluate: " + op->getName().getStringRef() +
      (where.empty() ? "" : " at " + where) + ": " + message);
}

llvm::Expected<DType> OpEnv::getDType(Type type) const {
  if (type.isF32())
    return options.computeInF64 ? DType::F64 : DType::F32;
  if (type.isF64())
    return DType::F64;
  if (type.isIndex() || type.isInteger(64))
    return DType::I64;
  if (type.isInteger(32))
    return DType::I32;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return error("unsupported element type " + text);
}

llvm::Expected<DType> OpEnv::getResultDType(unsigned i) const {
  return getDType(getElementTypeOrSelf(op->getResult(i).getType()));
}

RankedTensorType OpEnv::getResultType(unsigned i) const {
  return llvm::dyn_cast<RankedTensorType>(op->getResult(i).getType());
}

llvm::Expected<HostTensor> OpEnv::allocate(DType dtype,
                                           llvm::ArrayRef<int64_t> shape) const {
  llvm::Expected<HostTensor> tensor = HostTensor::create(dtype, shape);
  if (!tensor)
    return error("cannot allocate the result: " +
                 llvm::toString(tensor.takeError()));
  return tensor;
}

llvm::Expected<HostTensor>
OpEnv::allocateResult(llvm::ArrayRef<int64_t> shape, unsigned i) const {
  llvm::Expected<DType> dtype = getResultDType(i);
  if (!dtype)
    return dtype.takeError();
  return allocate(*dtype, shape);
}

int64_t OpEnv::getIndexOperand(unsigned i) const {
  const HostTensor &value = operand(i);
  assert(value.getNumElements() == 1 && "not a scalar");
  if (value.getDType() == DType::I32)
    return value.getValues<int32_t>()[0];
  return value.getValues<int64_t>()[0];
}

Shape interp::getStrides(llvm::ArrayRef<int64_t> shape) {
  Shape strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

void interp::unflattenIndex(int64_t flat, llvm::ArrayRef<int64_t> shape,
                            llvm::MutableArrayRef<int64_t> index) {
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    index[i] = flat % shape[i];
    flat /= shape[i];
  }
}

llvm::Expected<Shape>
interp::broadcastRuntimeShapes(const OpEnv &env, llvm::ArrayRef<int64_t> lhs,
                               llvm::ArrayRef<int64_t> lhsType,
                               llvm::ArrayRef<int64_t> rhs,
                               llvm::ArrayRef<int64_t> rhsType) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank, 1);
  // Walks the dims from the last; a missing leading dim broadcasts.
  for (size_t k = 0; k < rank; ++k) {
    bool hasA = k < lhs.size(), hasB = k < rhs.size();
    int64_t a = hasA ? lhs[lhs.size() - 1 - k] : 1;
    int64_t b = hasB ? rhs[rhs.size() - 1 - k] : 1;
    int64_t typeA = hasA ? lhsType[lhsType.size() - 1 - k] : 1;
    int64_t typeB = hasB ? rhsType[rhsType.size() - 1 - k] : 1;
    int64_t &out = result[rank - 1 - k];
    if (a == b)
      out = a;
    else if (typeA == 1)
      out = b;
    else if (typeB == 1)
      out = a;
    else
      return env.error(Twine(ShapedType::isDynamic(typeA) ||
                                     ShapedType::isDynamic(typeB)
                                 ? "dynamic dims differ: "
                                 : "shapes differ: ") +
                       formatShape(lhs) + " vs " + formatShape(rhs));
  }
  return result;
}

BroadcastIndexer::BroadcastIndexer(llvm::ArrayRef<int64_t> operandShape,
                                   llvm::ArrayRef<int64_t> resultShape)
    : resultShape(resultShape), strides(resultShape.size(), 0) {
  assert(operandShape.size() <= resultShape.size() && "operand rank too big");
  Shape operandStrides = getStrides(operandShape);
  size_t offset = resultShape.size() - operandShape.size();
  for (size_t i = 0; i < operandShape.size(); ++i)
    if (operandShape[i] == resultShape[offset + i])
      strides[offset + i] = operandStrides[i];
    else
      assert(operandShape[i] == 1 && "dim does not broadcast");
}

int64_t BroadcastIndexer::operator()(int64_t resultPosition) const {
  int64_t position = 0;
  for (int64_t i = static_cast<int64_t>(resultShape.size()) - 1; i >= 0; --i) {
    position += (resultPosition % resultShape[i]) * strides[i];
    resultPosition /= resultShape[i];
  }
  return position;
}
