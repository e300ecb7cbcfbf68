//===- ConvertElementwise.cpp - Elementwise ONNX ops ----------------------===//
//
// Arithmetic, activations, Pow with a constant exponent, Identity and Cast.
// On constants these fold; on integer shape vectors (the shape arithmetic of
// exports) they compute dims, at run time where a dim is symbolic.
//
//===----------------------------------------------------------------------===//

#include "Converters.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::onnximport;

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

/// Integer arithmetic on shape vectors (one operand may be a scalar).
static LogicalResult foldShapeArithmetic(GraphImporter &importer,
                                         BinaryKind kind) {
  FailureOr<llvm::SmallVector<Dim, 4>> lhs =
      importer.getDimsInput(0, "left operand");
  FailureOr<llvm::SmallVector<Dim, 4>> rhs =
      importer.getDimsInput(1, "right operand");
  if (failed(lhs) || failed(rhs))
    return failure();
  const OnnxValue *a = importer.getInput(0), *b = importer.getInput(1);
  auto isScalar = [](const OnnxValue *v) {
    return v->kind == OnnxValue::Kind::ShapeVector
               ? v->scalar
               : v->constant->getRank() == 0;
  };
  size_t n = std::max(lhs->size(), rhs->size());
  if ((lhs->size() != n && lhs->size() != 1) ||
      (rhs->size() != n && rhs->size() != 1))
    return importer.emitNodeError() << "operands of " << lhs->size()
                                    << " and " << rhs->size()
                                    << " elements do not broadcast";
  OpBuilder &b2 = importer.getBuilder();
  Location loc = importer.getLoc();
  llvm::SmallVector<Dim, 4> result;
  for (size_t i = 0; i < n; ++i) {
    Dim x = (*lhs)[lhs->size() == 1 ? 0 : i];
    Dim y = (*rhs)[rhs->size() == 1 ? 0 : i];
    if (x.isStatic() && y.isStatic()) {
      int64_t r = 0;
      switch (kind) {
      case BinaryKind::Add: r = x.size + y.size; break;
      case BinaryKind::Sub: r = x.size - y.size; break;
      case BinaryKind::Mul: r = x.size * y.size; break;
      case BinaryKind::Div:
        if (y.size == 0)
          return importer.emitNodeError() << "division by zero";
        r = x.size / y.size;
        break;
      case BinaryKind::Pow:
        r = static_cast<int64_t>(std::pow(double(x.size), double(y.size)));
        break;
      }
      result.push_back(Dim::fixed(r));
      continue;
    }
    // Identities keep the symbol.
    if ((kind == BinaryKind::Mul || kind == BinaryKind::Div) && y.isStatic() &&
        y.size == 1) {
      result.push_back(x);
      continue;
    }
    if ((kind == BinaryKind::Add || kind == BinaryKind::Sub) && y.isStatic() &&
        y.size == 0) {
      result.push_back(x);
      continue;
    }
    if (kind == BinaryKind::Pow)
      return importer.emitNodeError()
             << "Pow of a run-time dim is not supported";
    Value vx = importer.materializeDim(x), vy = importer.materializeDim(y);
    Value r;
    switch (kind) {
    case BinaryKind::Add: r = arith::AddIOp::create(b2, loc, vx, vy); break;
    case BinaryKind::Sub: r = arith::SubIOp::create(b2, loc, vx, vy); break;
    case BinaryKind::Mul: r = arith::MulIOp::create(b2, loc, vx, vy); break;
    default: r = arith::DivSIOp::create(b2, loc, vx, vy); break;
    }
    result.push_back(importer.newSymbol(r));
  }
  importer.setShapeVector(0, result, isScalar(a) && isScalar(b));
  return success();
}

/// Creates the nn op of a binary ONNX op on two run-time tensors.
static FailureOr<Value> createBinary(GraphImporter &importer, BinaryKind kind,
                                     Value lhs, Value rhs) {
  switch (kind) {
  case BinaryKind::Add: {
    FailureOr<nn::AddOp> op = importer.create<nn::AddOp>(lhs, rhs);
    return failed(op) ? FailureOr<Value>(failure()) : Value(*op);
  }
  case BinaryKind::Sub: {
    FailureOr<nn::SubOp> op = importer.create<nn::SubOp>(lhs, rhs);
    return failed(op) ? FailureOr<Value>(failure()) : Value(*op);
  }
  case BinaryKind::Mul: {
    FailureOr<nn::MulOp> op = importer.create<nn::MulOp>(lhs, rhs);
    return failed(op) ? FailureOr<Value>(failure()) : Value(*op);
  }
  case BinaryKind::Div: {
    FailureOr<nn::DivOp> op = importer.create<nn::DivOp>(lhs, rhs);
    return failed(op) ? FailureOr<Value>(failure()) : Value(*op);
  }
  case BinaryKind::Pow:
    break;
  }
  llvm_unreachable("Pow is converted by convertPow");
}

static LogicalResult convertBinary(GraphImporter &importer, BinaryKind kind) {
  const OnnxValue *a = importer.getInput(0), *b = importer.getInput(1);
  if (!a || !b)
    return importer.emitNodeError() << "needs two defined inputs";
  using Kind = OnnxValue::Kind;
  if (a->kind == Kind::Constant && b->kind == Kind::Constant) {
    llvm::Expected<HostTensor> folded =
        foldBinary(kind, *a->constant, *b->constant);
    if (!folded)
      return importer.emitNodeError() << llvm::toString(folded.takeError());
    importer.setConstant(0, std::move(*folded));
    return success();
  }
  if ((a->kind == Kind::ShapeVector || b->kind == Kind::ShapeVector) &&
      a->kind != Kind::Tensor && b->kind != Kind::Tensor)
    return foldShapeArithmetic(importer, kind);

  FailureOr<TValue> lhs = importer.getTensorInput(0);
  FailureOr<TValue> rhs = importer.getTensorInput(1);
  if (failed(lhs) || failed(rhs) ||
      failed(requireFloat(importer, *lhs, "the left operand")) ||
      failed(requireFloat(importer, *rhs, "the right operand")))
    return failure();
  // Commutative ops take the operand of higher rank first, so that a bias
  // add reads like the dense layer's `matmul + bias`.
  if ((kind == BinaryKind::Add || kind == BinaryKind::Mul) &&
      lhs->getRank() < rhs->getRank())
    std::swap(lhs, rhs);
  FailureOr<Shape> shape = importer.broadcast(lhs->shape, rhs->shape);
  if (failed(shape))
    return failure();
  FailureOr<Value> result =
      createBinary(importer, kind, lhs->value, rhs->value);
  if (failed(result))
    return failure();
  importer.setTensor(0, *result, importer.resultShape(*result, *shape));
  return success();
}

LogicalResult adjoint::onnximport::convertAdd(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  return convertBinary(importer, BinaryKind::Add);
}
LogicalResult adjoint::onnximport::convertSub(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  return convertBinary(importer, BinaryKind::Sub);
}
LogicalResult adjoint::onnximport::convertMul(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  return convertBinary(importer, BinaryKind::Mul);
}
LogicalResult adjoint::onnximport::convertDiv(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  return convertBinary(importer, BinaryKind::Div);
}

/// `x ^ c` for a constant c: products for small integers, sqrt for halves,
/// `exp(c log x)` (defined for x > 0) otherwise.
LogicalResult adjoint::onnximport::convertPow(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  const OnnxValue *a = importer.getInput(0), *b = importer.getInput(1);
  if (!a || !b)
    return importer.emitNodeError() << "needs two defined inputs";
  if (a->kind == OnnxValue::Kind::Constant &&
      b->kind == OnnxValue::Kind::Constant)
    return convertBinary(importer, BinaryKind::Pow);
  const HostTensor *exponent = importer.getConstantInput(1);
  if (!exponent || exponent->getNumElements() != 1)
    return importer.emitNodeError()
           << "only a constant scalar exponent is supported";
  double c = exponent->getElementAsDouble(0);
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the base")))
    return failure();
  OpBuilder &b2 = importer.getBuilder();
  Location loc = importer.getLoc();
  Type type = x->getType();
  Value v = x->value;
  auto mul = [&](Value p, Value q) -> Value {
    return nn::MulOp::create(b2, loc, type, p, q);
  };
  Value result;
  double magnitude = std::abs(c);
  if (c == 0) {
    // x^0 = 1, shaped like x.
    Value one = importer.scalarConstant(1.0).value;
    Value zero = nn::MulOp::create(b2, loc, type, v,
                                   importer.scalarConstant(0.0).value);
    result = nn::AddOp::create(b2, loc, type, zero, one);
  } else if (magnitude == std::floor(magnitude) && magnitude <= 4) {
    result = v;
    for (int i = 1; i < static_cast<int>(magnitude); ++i)
      result = mul(result, v);
  } else if (magnitude == 0.5) {
    result = nn::SqrtOp::create(b2, loc, type, v);
  } else {
    Value scaled = nn::MulOp::create(b2, loc, type,
                                     nn::LogOp::create(b2, loc, type, v),
                                     importer.scalarConstant(c).value);
    importer.setTensor(0, nn::ExpOp::create(b2, loc, type, scaled), x->shape);
    return success();
  }
  if (c < 0)
    result = nn::DivOp::create(b2, loc, type,
                               importer.scalarConstant(1.0).value, result);
  importer.setTensor(0, result, x->shape);
  return success();
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult convertUnary(GraphImporter &importer, UnaryKind kind) {
  if (const HostTensor *c = importer.getConstantInput(0)) {
    importer.setConstant(0, foldUnary(kind, *c));
    return success();
  }
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the input")))
    return failure();
  Value result = OpTy::create(importer.getBuilder(), importer.getLoc(),
                              x->getType(), x->value);
  importer.setTensor(0, result, x->shape);
  return success();
}

LogicalResult adjoint::onnximport::convertNeg(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  return convertUnary<nn::NegOp>(importer, UnaryKind::Neg);
}
LogicalResult adjoint::onnximport::convertRelu(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  return convertUnary<nn::ReluOp>(importer, UnaryKind::Relu);
}
LogicalResult adjoint::onnximport::convertSigmoid(GraphImporter &importer,
                                                  const onnx::NodeProto &) {
  return convertUnary<nn::SigmoidOp>(importer, UnaryKind::Sigmoid);
}
LogicalResult adjoint::onnximport::convertTanh(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  return convertUnary<nn::TanhOp>(importer, UnaryKind::Tanh);
}
LogicalResult adjoint::onnximport::convertExp(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  return convertUnary<nn::ExpOp>(importer, UnaryKind::Exp);
}
LogicalResult adjoint::onnximport::convertLog(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  return convertUnary<nn::LogOp>(importer, UnaryKind::Log);
}
LogicalResult adjoint::onnximport::convertSqrt(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  return convertUnary<nn::SqrtOp>(importer, UnaryKind::Sqrt);
}

LogicalResult adjoint::onnximport::convertLeakyRelu(GraphImporter &importer,
                                                    const onnx::NodeProto &) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the input")))
    return failure();
  OpBuilder &b = importer.getBuilder();
  Value result = nn::LeakyReluOp::create(
      b, importer.getLoc(), x->getType(), x->value,
      b.getF32FloatAttr(importer.getFloatAttr("alpha", 0.01)));
  importer.setTensor(0, result, x->shape);
  return success();
}

/// 1 / x as nn.div of a scalar one.
LogicalResult adjoint::onnximport::convertReciprocal(GraphImporter &importer,
                                                     const onnx::NodeProto &) {
  if (const HostTensor *c = importer.getConstantInput(0)) {
    importer.setConstant(0, foldUnary(UnaryKind::Reciprocal, *c));
    return success();
  }
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the input")))
    return failure();
  Value result = nn::DivOp::create(importer.getBuilder(), importer.getLoc(),
                                   x->getType(),
                                   importer.scalarConstant(1.0).value,
                                   x->value);
  importer.setTensor(0, result, x->shape);
  return success();
}

LogicalResult adjoint::onnximport::convertIdentity(GraphImporter &importer,
                                                   const onnx::NodeProto &) {
  if (!importer.getInput(0))
    return importer.emitNodeError() << "its input is not defined";
  importer.alias(0, 0);
  return success();
}

/// Casts fold on constants and shape vectors; on run-time tensors only the
/// identity cast is supported (the nn ops have no conversions).
LogicalResult adjoint::onnximport::convertCast(GraphImporter &importer,
                                               const onnx::NodeProto &) {
  const OnnxValue *x = importer.getInput(0);
  if (!x)
    return importer.emitNodeError() << "its input is not defined";
  int64_t to = importer.getIntAttr("to", 0);
  std::optional<DType> dtype;
  switch (to) {
  case onnx::TensorProto::FLOAT: dtype = DType::F32; break;
  case onnx::TensorProto::DOUBLE: dtype = DType::F64; break;
  case onnx::TensorProto::INT64: dtype = DType::I64; break;
  case onnx::TensorProto::INT32: dtype = DType::I32; break;
  case onnx::TensorProto::BOOL: dtype = DType::I64; break;
  default: break;
  }
  if (!dtype)
    return importer.emitNodeError() << "cast to " << onnxTypeName(to)
                                    << " is not supported";
  if (x->kind == OnnxValue::Kind::Constant) {
    HostTensor converted = x->constant->convertTo(*dtype);
    if (to == onnx::TensorProto::BOOL)
      for (int64_t &v : converted.getMutableValues<int64_t>())
        v = v != 0;
    importer.setConstant(0, std::move(converted));
    return success();
  }
  if (x->kind == OnnxValue::Kind::ShapeVector) {
    if (*dtype != DType::I64 && *dtype != DType::I32)
      return importer.emitNodeError()
             << "cast of a run-time shape to " << onnxTypeName(to)
             << " is not supported";
    importer.alias(0, 0);
    return success();
  }
  Type element = elementTypeOf(to, importer.getContext());
  Type from = llvm::cast<RankedTensorType>(x->value.getType()).getElementType();
  if (element != from)
    return importer.emitNodeError() << "cast of a run-time tensor from "
                                    << from << " to " << onnxTypeName(to)
                                    << " is not supported";
  importer.alias(0, 0);
  return success();
}
