//===- Dropout.cpp - The seeded dropout mask ------------------------------===//

#include "Kernels.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"
#include "adjoint/Runtime/Random.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::interp;

std::string interp::getDropoutStreamName(int64_t stream) {
  return "nn.dropout." + std::to_string(stream);
}

bool interp::isDropoutKept(uint64_t seed, int64_t stream, uint64_t index,
                           double p) {
  RandomStream random(seed, getDropoutStreamName(stream));
  return random.getUniform(index) >= p;
}

llvm::Expected<HostTensor> interp::evalDropout(const OpEnv &env) {
  auto op = llvm::cast<nn::DropoutOp>(env.getOp());
  const HostTensor &input = env.operand(0);
  if (!op.getTraining())
    return input;
  double p = op.getP().convertToDouble();
  uint64_t seed = static_cast<uint64_t>(env.getIndexOperand(1));
  int64_t stream = op.getStream();
  llvm::Expected<HostTensor> result =
      env.allocate(input.getDType(), input.getShape());
  if (!result)
    return result.takeError();
  double scale = 1.0 / (1.0 - p);
  RandomStream random(seed, getDropoutStreamName(stream));
  dispatchFloat(input.getDType(), [&](auto tag) {
    using T = decltype(tag);
    llvm::ArrayRef<T> in = input.getValues<T>();
    llvm::MutableArrayRef<T> out = result->getMutableValues<T>();
    for (size_t i = 0; i < in.size(); ++i)
      out[i] = random.getUniform(i) >= p
                   ? static_cast<T>(static_cast<double>(in[i]) * scale)
                   : T(0);
  });
  return result;
}
