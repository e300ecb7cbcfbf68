//===- Converters.h - Converters of ONNX ops to nn IR ------------*- C++ -*-===//
//
// Internal to the ONNX frontend: one converter per ONNX op (family), grouped
// by file: ConvertElementwise.cpp, ConvertShape.cpp, ConvertLayers.cpp,
// ConvertLoss.cpp. Each reads the current node's inputs and attributes from
// the GraphImporter and binds its outputs.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_FRONTEND_ONNX_CONVERTERS_H
#define ADJOINT_LIB_FRONTEND_ONNX_CONVERTERS_H

#include "Importer.h"

namespace adjoint::onnximport {

#define ADJOINT_ONNX_CONVERTER(NAME)                                           \
  mlir::LogicalResult convert##NAME(GraphImporter &importer,                   \
                                    const onnx::NodeProto &node);

// Elementwise (ConvertElementwise.cpp).
ADJOINT_ONNX_CONVERTER(Add)
ADJOINT_ONNX_CONVERTER(Sub)
ADJOINT_ONNX_CONVERTER(Mul)
ADJOINT_ONNX_CONVERTER(Div)
ADJOINT_ONNX_CONVERTER(Pow)
ADJOINT_ONNX_CONVERTER(Neg)
ADJOINT_ONNX_CONVERTER(Relu)
ADJOINT_ONNX_CONVERTER(LeakyRelu)
ADJOINT_ONNX_CONVERTER(Sigmoid)
ADJOINT_ONNX_CONVERTER(Tanh)
ADJOINT_ONNX_CONVERTER(Exp)
ADJOINT_ONNX_CONVERTER(Log)
ADJOINT_ONNX_CONVERTER(Sqrt)
ADJOINT_ONNX_CONVERTER(Reciprocal)
ADJOINT_ONNX_CONVERTER(Identity)
ADJOINT_ONNX_CONVERTER(Cast)

// Shapes and layout (ConvertShape.cpp).
ADJOINT_ONNX_CONVERTER(Constant)
ADJOINT_ONNX_CONVERTER(ConstantOfShape)
ADJOINT_ONNX_CONVERTER(Shape)
ADJOINT_ONNX_CONVERTER(Gather)
ADJOINT_ONNX_CONVERTER(Reshape)
ADJOINT_ONNX_CONVERTER(Flatten)
ADJOINT_ONNX_CONVERTER(Squeeze)
ADJOINT_ONNX_CONVERTER(Unsqueeze)
ADJOINT_ONNX_CONVERTER(Concat)
ADJOINT_ONNX_CONVERTER(Slice)
ADJOINT_ONNX_CONVERTER(Transpose)
ADJOINT_ONNX_CONVERTER(Pad)
ADJOINT_ONNX_CONVERTER(Expand)

// Layers (ConvertLayers.cpp).
ADJOINT_ONNX_CONVERTER(Gemm)
ADJOINT_ONNX_CONVERTER(MatMul)
ADJOINT_ONNX_CONVERTER(Conv)
ADJOINT_ONNX_CONVERTER(MaxPool)
ADJOINT_ONNX_CONVERTER(AveragePool)
ADJOINT_ONNX_CONVERTER(GlobalAveragePool)
ADJOINT_ONNX_CONVERTER(Softmax)
ADJOINT_ONNX_CONVERTER(LogSoftmax)
ADJOINT_ONNX_CONVERTER(ReduceSum)
ADJOINT_ONNX_CONVERTER(ReduceMean)
ADJOINT_ONNX_CONVERTER(LayerNormalization)
ADJOINT_ONNX_CONVERTER(BatchNormalization)
ADJOINT_ONNX_CONVERTER(Dropout)

// Losses (ConvertLoss.cpp).
ADJOINT_ONNX_CONVERTER(SoftmaxCrossEntropyLoss)
ADJOINT_ONNX_CONVERTER(NegativeLogLikelihoodLoss)

#undef ADJOINT_ONNX_CONVERTER

/// Shared by the converters: `axis` in [-rank, rank) made non-negative, or
/// failure with an error naming `what`.
mlir::FailureOr<int64_t> normalizeAxis(GraphImporter &importer, int64_t axis,
                                       int64_t rank, llvm::StringRef what);

/// Whether `value` is a float tensor; reports an error naming the operand
/// when it is not.
mlir::LogicalResult requireFloat(GraphImporter &importer, const TValue &value,
                                 llvm::StringRef what);

} // namespace adjoint::onnximport

#endif // ADJOINT_LIB_FRONTEND_ONNX_CONVERTERS_H
