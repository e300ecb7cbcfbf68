//===- Upstream.cpp - The arith and tensor ops of shape computations ------===//
//
// Scalars are 0-d HostTensors: index and i64 as I64, i32 as I32, floats in
// the compute type. Integer arithmetic wraps to the type's width, as arith
// defines it; division by zero and signed overflow of a division are errors.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstring>
#include <limits>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

namespace {

/// A 0-d tensor of result `i`'s dtype holding `value`: integers wrap to the
/// width (i32 keeps the low 32 bits), floats are rounded.
llvm::Expected<HostTensor> makeScalar(const OpEnv &env, int64_t intValue,
                                      double floatValue, unsigned i = 0) {
  llvm::Expected<HostTensor> result = env.allocateResult({}, i);
  if (!result)
    return result.takeError();
  switch (result->getDType()) {
  case DType::I64:
    result->getMutableValues<int64_t>()[0] = intValue;
    break;
  case DType::I32:
    result->getMutableValues<int32_t>()[0] =
        static_cast<int32_t>(static_cast<uint32_t>(intValue));
    break;
  case DType::F32:
    result->getMutableValues<float>()[0] = static_cast<float>(floatValue);
    break;
  case DType::F64:
    result->getMutableValues<double>()[0] = floatValue;
    break;
  }
  return result;
}

llvm::Expected<HostTensor> makeInt(const OpEnv &env, int64_t value) {
  return makeScalar(env, value, 0.0);
}

llvm::Expected<HostTensor> makeFloat(const OpEnv &env, double value) {
  return makeScalar(env, 0, value);
}

llvm::Expected<OpResults> wrap(llvm::Expected<HostTensor> result) {
  if (!result)
    return result.takeError();
  OpResults results;
  results.push_back(std::move(*result));
  return results;
}

/// Operand `i` as an unsigned number of its width.
uint64_t getUnsignedOperand(const OpEnv &env, unsigned i) {
  int64_t value = env.getIndexOperand(i);
  if (env.operand(i).getDType() == DType::I32)
    return static_cast<uint32_t>(value);
  return static_cast<uint64_t>(value);
}

/// True when result 0 is i32-typed (arithmetic then wraps at 32 bits).
bool isNarrow(const OpEnv &env) {
  return env.getOp()->getResult(0).getType().isInteger(32);
}

llvm::Expected<HostTensor> evalArithConstant(arith::ConstantOp op,
                                             const OpEnv &env) {
  Attribute value = op.getValue();
  if (auto elements = llvm::dyn_cast<ElementsAttr>(value))
    return evalConstant(elements, env);
  if (auto integer = llvm::dyn_cast<IntegerAttr>(value))
    return makeInt(env, integer.getValue().getSExtValue());
  if (auto real = llvm::dyn_cast<FloatAttr>(value))
    return makeFloat(env, real.getValueAsDouble());
  return env.error("unsupported constant attribute");
}

llvm::Expected<HostTensor> evalIntBinary(const OpEnv &env) {
  int64_t a = env.getIndexOperand(0), b = env.getIndexOperand(1);
  uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  Operation *op = env.getOp();
  bool narrow = isNarrow(env);
  int64_t min = narrow ? std::numeric_limits<int32_t>::min()
                       : std::numeric_limits<int64_t>::min();
  auto checkDivisor = [&]() -> llvm::Error {
    if (b == 0)
      return env.error("division by zero");
    if (a == min && b == -1)
      return env.error("signed division overflows");
    return llvm::Error::success();
  };
  if (llvm::isa<arith::AddIOp>(op))
    return makeInt(env, static_cast<int64_t>(ua + ub));
  if (llvm::isa<arith::SubIOp>(op))
    return makeInt(env, static_cast<int64_t>(ua - ub));
  if (llvm::isa<arith::MulIOp>(op))
    return makeInt(env, static_cast<int64_t>(ua * ub));
  if (llvm::isa<arith::MaxSIOp>(op))
    return makeInt(env, std::max(a, b));
  if (llvm::isa<arith::MinSIOp>(op))
    return makeInt(env, std::min(a, b));
  if (llvm::isa<arith::DivUIOp, arith::RemUIOp>(op)) {
    uint64_t x = getUnsignedOperand(env, 0), y = getUnsignedOperand(env, 1);
    if (y == 0)
      return env.error("division by zero");
    return makeInt(env, static_cast<int64_t>(
                            llvm::isa<arith::DivUIOp>(op) ? x / y : x % y));
  }
  if (llvm::Error err = checkDivisor())
    return std::move(err);
  int64_t quotient = a / b, remainder = a % b;
  if (llvm::isa<arith::DivSIOp>(op))
    return makeInt(env, quotient);
  if (llvm::isa<arith::RemSIOp>(op))
    return makeInt(env, remainder);
  // Round toward +inf or -inf where the truncated quotient is inexact.
  bool inexact = remainder != 0;
  bool negative = (a < 0) != (b < 0);
  if (llvm::isa<arith::CeilDivSIOp>(op))
    return makeInt(env, quotient + (inexact && !negative ? 1 : 0));
  if (llvm::isa<arith::FloorDivSIOp>(op))
    return makeInt(env, quotient - (inexact && negative ? 1 : 0));
  return env.error("unsupported op");
}

llvm::Expected<HostTensor> evalFloatBinary(const OpEnv &env) {
  double a = env.operand(0).getElementAsDouble(0);
  double b = env.operand(1).getElementAsDouble(0);
  return llvm::TypeSwitch<Operation *, llvm::Expected<HostTensor>>(env.getOp())
      .Case([&](arith::AddFOp) { return makeFloat(env, a + b); })
      .Case([&](arith::SubFOp) { return makeFloat(env, a - b); })
      .Case([&](arith::MulFOp) { return makeFloat(env, a * b); })
      .Case([&](arith::DivFOp) { return makeFloat(env, a / b); })
      .Default([&](Operation *) -> llvm::Expected<HostTensor> {
        return env.error("unsupported op");
      });
}

llvm::Expected<HostTensor> evalTensorDim(tensor::DimOp op, const OpEnv &env) {
  llvm::ArrayRef<int64_t> shape = env.operand(0).getShape();
  int64_t index = env.getIndexOperand(1);
  if (index < 0 || index >= static_cast<int64_t>(shape.size()))
    return env.error("dim " + Twine(index) + " is out of range for shape " +
                     formatShape(shape));
  return makeInt(env, shape[index]);
}

llvm::Expected<HostTensor> evalFromElements(const OpEnv &env) {
  RankedTensorType type = env.getResultType();
  if (!type.hasStaticShape())
    return env.error("the result type must have a static shape");
  llvm::Expected<HostTensor> result = env.allocateResult(type.getShape());
  if (!result)
    return result.takeError();
  if (static_cast<int64_t>(env.getNumOperands()) != result->getNumElements())
    return env.error("expected " + Twine(result->getNumElements()) +
                     " elements, got " + Twine(env.getNumOperands()));
  size_t size = getDTypeSize(result->getDType());
  for (unsigned i = 0; i < env.getNumOperands(); ++i) {
    if (env.operand(i).getDType() != result->getDType())
      return env.error("element #" + Twine(i) + " has dtype " +
                       getDTypeName(env.operand(i).getDType()) +
                       ", expected " + getDTypeName(result->getDType()));
    std::memcpy(static_cast<char *>(result->getData()) + i * size,
                env.operand(i).getData(), size);
  }
  return result;
}

llvm::Expected<HostTensor> evalExtract(const OpEnv &env) {
  const HostTensor &source = env.operand(0);
  Shape index;
  for (unsigned i = 1; i < env.getNumOperands(); ++i)
    index.push_back(env.getIndexOperand(i));
  for (size_t d = 0; d < index.size(); ++d)
    if (index[d] < 0 || index[d] >= source.getShape()[d])
      return env.error("index " + formatShape(index) +
                       " is out of bounds for shape " +
                       formatShape(source.getShape()));
  llvm::Expected<HostTensor> result = env.allocate(source.getDType(), {});
  if (!result)
    return result.takeError();
  size_t size = getDTypeSize(source.getDType());
  int64_t flat = source.getFlatIndex(index);
  std::memcpy(result->getData(),
              static_cast<const char *>(source.getData()) + flat * size, size);
  return result;
}

} // namespace

llvm::Expected<OpResults> interp::evalUpstreamOp(const OpEnv &env) {
  Operation *op = env.getOp();
  // Only scalar arith is supported; an elementwise op on tensors is not.
  bool tensorArith = llvm::isa<arith::ArithDialect>(op->getDialect()) &&
                     !llvm::isa<arith::ConstantOp>(op) &&
                     llvm::any_of(op->getResultTypes(), [](Type type) {
                       return llvm::isa<ShapedType>(type);
                     });
  if (tensorArith)
    return env.error("arith ops on tensors are not supported");
  return llvm::TypeSwitch<Operation *, llvm::Expected<OpResults>>(op)
      .Case([&](arith::ConstantOp constant) {
        return wrap(evalArithConstant(constant, env));
      })
      .Case<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::DivSIOp,
            arith::DivUIOp, arith::RemSIOp, arith::RemUIOp, arith::CeilDivSIOp,
            arith::FloorDivSIOp, arith::MaxSIOp, arith::MinSIOp>(
          [&](Operation *) { return wrap(evalIntBinary(env)); })
      .Case<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(
          [&](Operation *) { return wrap(evalFloatBinary(env)); })
      .Case([&](arith::IndexCastOp) {
        return wrap(makeInt(env, env.getIndexOperand(0)));
      })
      .Case([&](arith::SIToFPOp) {
        return wrap(
            makeFloat(env, static_cast<double>(env.getIndexOperand(0))));
      })
      .Case([&](arith::UIToFPOp) {
        return wrap(
            makeFloat(env, static_cast<double>(getUnsignedOperand(env, 0))));
      })
      .Case([&](tensor::DimOp dim) { return wrap(evalTensorDim(dim, env)); })
      .Case([&](tensor::FromElementsOp) { return wrap(evalFromElements(env)); })
      .Case([&](tensor::ExtractOp) { return wrap(evalExtract(env)); })
      .Default([&](Operation *) -> llvm::Expected<OpResults> {
        return env.error("unsupported op");
      });
}
