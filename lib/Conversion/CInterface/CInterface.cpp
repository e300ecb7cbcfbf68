//===- CInterface.cpp - The adjoint-generate-c-interface pass -------------===//
//
// Writes, for each public network function, a function with a plain C
// signature (see ABI.h) that wraps the caller's pointers into memref
// descriptors, views them as tensors (bufferization.to_tensor), runs the
// function's run-time checks first and its body under an scf.if of their
// status, and writes each result into the caller's buffer
// (bufferization.materialize_in_destination). One-shot bufferization then
// turns the whole wrapper into code on the caller's memory.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Conversion/CInterface/CInterface.h"
#include "adjoint/Conversion/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace adjoint {
#define GEN_PASS_DEF_GENERATECINTERFACE
#include "adjoint/Conversion/Passes.h.inc"
} // namespace adjoint

using namespace mlir;
using namespace adjoint;
using namespace adjoint::abi;

namespace {

Type getElementType(MLIRContext *context, DType dtype) {
  switch (dtype) {
  case DType::F32:
    return Float32Type::get(context);
  case DType::F64:
    return Float64Type::get(context);
  case DType::I64:
    return IntegerType::get(context, 64);
  case DType::I32:
    return IntegerType::get(context, 32);
  }
  llvm_unreachable("unknown dtype");
}

/// Builds the wrapper of one function.
class WrapperBuilder {
public:
  WrapperBuilder(ModuleOp module, const NetworkABI &abi, const Function &f,
                 func::FuncOp source)
      : abi(abi), f(f), source(source), context(module.getContext()),
        builder(module.getContext()), loc(source.getLoc()) {
    builder.setInsertionPoint(source);
  }

  LogicalResult build();

private:
  Value i64Constant(int64_t v) {
    return arith::ConstantOp::create(builder, loc, builder.getI64IntegerAttr(v));
  }
  /// The i64 size of each dim of `shape`.
  SmallVector<Value> getSizes(ArrayRef<Dim> shape);
  SmallVector<Value> getSizes(ArrayRef<int64_t> shape);
  /// A memref descriptor over `ptr` (dense, row-major) with `sizes`.
  Value buildMemRef(Value ptr, MemRefType type, ArrayRef<Value> sizes);
  /// `base + offset` bytes.
  Value offsetPointer(Value base, int64_t offset);
  /// The memref of state field `field` in the struct at `structPtr`.
  Value fieldMemRef(Value structPtr, int64_t field);
  /// The memref of a tensor given by pointer with the ABI shape.
  Value tensorMemRef(Value ptr, const Tensor &t);

  const NetworkABI &abi;
  const Function &f;
  func::FuncOp source;
  MLIRContext *context;
  OpBuilder builder;
  Location loc;
  func::FuncOp wrapper;
  /// The i64 value of each symbol, by index into abi.symbols.
  DenseMap<int64_t, Value> symbolValues;
};

SmallVector<Value> WrapperBuilder::getSizes(ArrayRef<Dim> shape) {
  SmallVector<Value> sizes;
  for (const Dim &d : shape) {
    if (!d.isSymbolic()) {
      sizes.push_back(i64Constant(d.size));
      continue;
    }
    int64_t index = llvm::find(abi.symbols, d.symbol) - abi.symbols.begin();
    sizes.push_back(symbolValues.lookup(index));
  }
  return sizes;
}

SmallVector<Value> WrapperBuilder::getSizes(ArrayRef<int64_t> shape) {
  SmallVector<Value> sizes;
  for (int64_t d : shape)
    sizes.push_back(i64Constant(d));
  return sizes;
}

Value WrapperBuilder::buildMemRef(Value ptr, MemRefType type,
                                  ArrayRef<Value> sizes) {
  int64_t rank = type.getRank();
  Type i64 = builder.getI64Type();
  auto ptrType = LLVM::LLVMPointerType::get(context);
  SmallVector<Type> fields = {ptrType, ptrType, i64};
  if (rank > 0) {
    auto array = LLVM::LLVMArrayType::get(i64, rank);
    fields.push_back(array);
    fields.push_back(array);
  }
  auto structType = LLVM::LLVMStructType::getLiteral(context, fields);
  Value desc = LLVM::PoisonOp::create(builder, loc, structType);
  desc = LLVM::InsertValueOp::create(builder, loc, desc, ptr, ArrayRef<int64_t>{0});
  desc = LLVM::InsertValueOp::create(builder, loc, desc, ptr, ArrayRef<int64_t>{1});
  desc = LLVM::InsertValueOp::create(builder, loc, desc, i64Constant(0),
                                     ArrayRef<int64_t>{2});
  SmallVector<Value> strides(rank);
  Value stride = i64Constant(1);
  for (int64_t d = rank - 1; d >= 0; --d) {
    strides[d] = stride;
    if (d > 0)
      stride = arith::MulIOp::create(builder, loc, stride, sizes[d]);
  }
  for (int64_t d = 0; d < rank; ++d) {
    desc = LLVM::InsertValueOp::create(builder, loc, desc, sizes[d],
                                       ArrayRef<int64_t>{3, d});
    desc = LLVM::InsertValueOp::create(builder, loc, desc, strides[d],
                                       ArrayRef<int64_t>{4, d});
  }
  return UnrealizedConversionCastOp::create(builder, loc, type, desc)
      .getResult(0);
}

Value WrapperBuilder::offsetPointer(Value base, int64_t offset) {
  if (offset == 0)
    return base;
  auto ptrType = LLVM::LLVMPointerType::get(context);
  return LLVM::GEPOp::create(builder, loc, ptrType, builder.getI8Type(), base,
                             ArrayRef<LLVM::GEPArg>{offset});
}

Value WrapperBuilder::fieldMemRef(Value structPtr, int64_t field) {
  const StateField &s = abi.state[field];
  auto type = MemRefType::get(s.shape, getElementType(context, s.dtype));
  return buildMemRef(offsetPointer(structPtr, s.offset), type,
                     getSizes(s.shape));
}

Value WrapperBuilder::tensorMemRef(Value ptr, const Tensor &t) {
  SmallVector<int64_t> shape;
  for (const Dim &d : t.shape)
    shape.push_back(d.isSymbolic() ? ShapedType::kDynamic : d.size);
  auto type = MemRefType::get(shape, getElementType(context, t.dtype));
  return buildMemRef(ptr, type, getSizes(t.shape));
}

LogicalResult WrapperBuilder::build() {
  // The C signature.
  auto ptrType = LLVM::LLVMPointerType::get(context);
  Type i64 = builder.getI64Type();
  SmallVector<Type> argTypes;
  for (const Param &p : f.params)
    argTypes.push_back(p.kind == ParamKind::Dim || p.kind == ParamKind::Seed
                           ? i64
                           : Type(ptrType));
  auto type = builder.getFunctionType(argTypes, builder.getI32Type());
  wrapper = func::FuncOp::create(builder, loc, f.symbol, type);
  for (auto [i, p] : llvm::enumerate(f.params))
    wrapper.setArgAttr(i, "adjoint.param", builder.getStringAttr(p.name));
  Block *entry = wrapper.addEntryBlock();
  builder.setInsertionPointToStart(entry);

  Value statePtr, gradPtr, newStatePtr;
  SmallVector<Value> argTensors(f.arguments.size());
  SmallVector<Value> resultPtrs(f.results.size());
  Value dimsOk = arith::ConstantOp::create(builder, loc, builder.getBoolAttr(true));
  for (auto [i, p] : llvm::enumerate(f.params)) {
    Value arg = entry->getArgument(i);
    switch (p.kind) {
    case ParamKind::State:
      statePtr = arg;
      break;
    case ParamKind::Grad:
      gradPtr = arg;
      break;
    case ParamKind::NewState:
      newStatePtr = arg;
      break;
    case ParamKind::Dim: {
      symbolValues[p.index] = arg;
      Value ok = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sge,
                                       arg, i64Constant(0));
      dimsOk = arith::AndIOp::create(builder, loc, dimsOk, ok);
      break;
    }
    case ParamKind::Seed:
      argTensors[p.index] = tensor::FromElementsOp::create(
          builder, loc, RankedTensorType::get({}, i64), ValueRange{arg});
      break;
    case ParamKind::Input:
    case ParamKind::Result:
      break;
    }
  }

  // The arguments as tensors over the caller's memory.
  auto asTensor = [&](Value memref, Type sourceType) -> Value {
    auto memrefType = llvm::cast<MemRefType>(memref.getType());
    auto tensorType = RankedTensorType::get(memrefType.getShape(),
                                            memrefType.getElementType());
    Value t = bufferization::ToTensorOp::create(builder, loc, tensorType,
                                                memref, /*restrict=*/true);
    if (t.getType() != sourceType)
      t = tensor::CastOp::create(builder, loc, sourceType, t);
    return t;
  };
  for (auto [i, p] : llvm::enumerate(f.params)) {
    Value arg = entry->getArgument(i);
    if (p.kind == ParamKind::Input)
      argTensors[p.index] =
          asTensor(tensorMemRef(arg, f.arguments[p.index]),
                   source.getArgumentTypes()[p.index]);
    if (p.kind == ParamKind::Result)
      resultPtrs[p.index] = arg;
  }
  for (auto [i, field] : llvm::enumerate(f.argumentFields))
    if (field >= 0)
      argTensors[i] = asTensor(fieldMemRef(statePtr, field),
                               source.getArgumentTypes()[i]);

  // The checks first: the backward slice of every cf.assert's condition.
  Block &body = source.getBody().front();
  IRMapping mapping;
  for (auto [blockArg, tensor] : llvm::zip_equal(body.getArguments(), argTensors))
    mapping.map(blockArg, tensor);
  SmallVector<cf::AssertOp> checks(body.getOps<cf::AssertOp>());
  llvm::SetVector<Operation *> slice;
  BackwardSliceOptions options;
  options.omitUsesFromAbove = false;
  options.omitBlockArguments = true;
  for (cf::AssertOp check : checks)
    if (Operation *def = check.getArg().getDefiningOp()) {
      if (failed(getBackwardSlice(def, &slice, options)))
        return source.emitError("cannot slice the run-time checks");
      slice.insert(def);
    }
  DenseSet<Operation *> cloned;
  for (Operation &op : body) {
    if (!slice.contains(&op))
      continue;
    builder.clone(op, mapping);
    cloned.insert(&op);
  }
  Value i32Zero = arith::ConstantOp::create(builder, loc, builder.getI32IntegerAttr(0));
  Value status = arith::SelectOp::create(
      builder, loc, dimsOk, i32Zero,
      arith::ConstantOp::create(builder, loc, builder.getI32IntegerAttr(1)));
  for (auto [k, check] : llvm::enumerate(checks)) {
    Value cond = mapping.lookupOrDefault(check.getArg());
    Value stillOk = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                          status, i32Zero);
    Value failing = arith::XOrIOp::create(
        builder, loc, cond,
        arith::ConstantOp::create(builder, loc, builder.getBoolAttr(true)));
    Value firstFailure = arith::AndIOp::create(builder, loc, stillOk, failing);
    status = arith::SelectOp::create(
        builder, loc, firstFailure,
        arith::ConstantOp::create(builder, loc,
                                  builder.getI32IntegerAttr(2 + k)),
        status);
  }

  // The body, under `status == 0`.
  Value ok = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                   status, i32Zero);
  auto ifOp = scf::IfOp::create(builder, loc, ok, /*withElseRegion=*/false);
  builder.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  for (Operation &op : body) {
    if (cloned.contains(&op) || llvm::isa<cf::AssertOp>(op) ||
        op.hasTrait<OpTrait::IsTerminator>())
      continue;
    builder.clone(op, mapping);
  }
  Operation *terminator = body.getTerminator();
  for (auto [j, value] : llvm::enumerate(terminator->getOperands())) {
    Value result = mapping.lookupOrDefault(value);
    Value dest;
    int64_t field = f.resultFields[j];
    if (field >= 0)
      dest = fieldMemRef(f.resultStructs[j] == ParamKind::Grad ? gradPtr
                                                                : newStatePtr,
                         field);
    else
      dest = tensorMemRef(resultPtrs[j], f.results[j]);
    auto destType = llvm::cast<MemRefType>(dest.getType());
    auto castType = RankedTensorType::get(destType.getShape(),
                                          destType.getElementType());
    if (result.getType() != castType)
      result = tensor::CastOp::create(builder, loc, castType, result);
    bufferization::MaterializeInDestinationOp::create(
        builder, loc, /*result=*/Type(), result, dest, /*restrict=*/true,
        /*writable=*/true);
  }
  builder.setInsertionPointAfter(ifOp);
  func::ReturnOp::create(builder, loc, status);
  return success();
}

struct GenerateCInterfacePass
    : adjoint::impl::GenerateCInterfaceBase<GenerateCInterfacePass> {
  using GenerateCInterfaceBase::GenerateCInterfaceBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<NetworkABI> abi = analyzeNetworkABI(module, prefix);
    if (failed(abi))
      return signalPassFailure();
    for (const Function &f : abi->functions) {
      auto source = module.lookupSymbol<func::FuncOp>(f.name);
      if (failed(WrapperBuilder(module, *abi, f, source).build()))
        return signalPassFailure();
    }
    for (const Function &f : abi->functions)
      module.lookupSymbol<func::FuncOp>(f.name).erase();
    module->setAttr(kAttrName, StringAttr::get(&getContext(), abi->toJSON()));
  }
};

} // namespace
