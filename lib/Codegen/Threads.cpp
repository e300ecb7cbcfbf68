//===- Threads.cpp - The thread count in generated code -------------------===//

#include "Threads.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

Value adjoint::buildThreadCount(ImplicitLocOpBuilder &b, ModuleOp module) {
  StringRef name = "omp_get_max_threads";
  auto fn = module.lookupSymbol<func::FuncOp>(name);
  if (!fn) {
    OpBuilder declare = OpBuilder::atBlockBegin(module.getBody());
    fn = func::FuncOp::create(declare, module.getLoc(), name,
                              declare.getFunctionType({}, {b.getI32Type()}));
    fn.setPrivate();
  }
  auto call = func::CallOp::create(b, fn, ValueRange{});
  call->setAttr(kThreadCountAttr, b.getUnitAttr());
  return arith::IndexCastOp::create(b, b.getIndexType(), call.getResult(0));
}
