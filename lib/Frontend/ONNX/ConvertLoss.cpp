//===- ConvertLoss.cpp - Loss ONNX ops ------------------------------------===//
//
// SoftmaxCrossEntropyLoss becomes nn.softmax_cross_entropy; so does
// NegativeLogLikelihoodLoss of a LogSoftmax over the classes. Any other
// NegativeLogLikelihoodLoss is `-mean(sum(input * one_hot(labels), 1))`.
// Labels equal to `ignore_index` are not supported (they are out of range).
//
//===----------------------------------------------------------------------===//

#include "Converters.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::onnximport;

/// Logits [N, C] and labels [N].
static LogicalResult checkClassification(GraphImporter &importer,
                                         const TValue &scores,
                                         const TValue &labels) {
  if (failed(requireFloat(importer, scores, "the scores")))
    return failure();
  if (scores.getRank() != 2 || labels.getRank() != 1 ||
      !llvm::isa<IntegerType>(labels.getType().getElementType()))
    return importer.emitNodeError()
           << "only [N, C] scores with integer [N] labels are supported, not "
           << importer.formatDims(scores.shape) << " and "
           << importer.formatDims(labels.shape);
  return success();
}

/// Scales a mean over the batch back to a sum when reduction=sum.
static FailureOr<Value> applyReduction(GraphImporter &importer, Value mean,
                                       const TValue &scores) {
  if (importer.getStringAttr("reduction", "mean") != "sum")
    return mean;
  OpBuilder &b = importer.getBuilder();
  FailureOr<nn::SizeOp> n =
      importer.create<nn::SizeOp>(scores.value, b.getDenseI64ArrayAttr({0}));
  if (failed(n))
    return failure();
  return Value(nn::MulOp::create(b, importer.getLoc(), mean.getType(), mean,
                                 *n));
}

LogicalResult
adjoint::onnximport::convertSoftmaxCrossEntropyLoss(GraphImporter &importer,
                                                    const onnx::NodeProto &) {
  FailureOr<TValue> scores = importer.getTensorInput(0);
  FailureOr<TValue> labels = importer.getTensorInput(1);
  if (failed(scores) || failed(labels) ||
      failed(checkClassification(importer, *scores, *labels)))
    return failure();
  FailureOr<nn::SoftmaxCrossEntropyOp> loss =
      importer.create<nn::SoftmaxCrossEntropyOp>(scores->value, labels->value);
  if (failed(loss))
    return failure();
  FailureOr<Value> result = applyReduction(importer, *loss, *scores);
  if (failed(result))
    return failure();
  importer.setTensor(0, *result, {});
  if (importer.isOutputUsed(1)) {
    OpBuilder &b = importer.getBuilder();
    Value logProb = nn::LogSoftmaxOp::create(b, importer.getLoc(),
                                             scores->getType(), scores->value,
                                             b.getI64IntegerAttr(1));
    importer.setTensor(1, logProb, scores->shape);
  }
  return success();
}

LogicalResult
adjoint::onnximport::convertNegativeLogLikelihoodLoss(GraphImporter &importer,
                                                      const onnx::NodeProto &) {
  FailureOr<TValue> input = importer.getTensorInput(0);
  FailureOr<TValue> labels = importer.getTensorInput(1);
  if (failed(input) || failed(labels) ||
      failed(checkClassification(importer, *input, *labels)))
    return failure();
  OpBuilder &b = importer.getBuilder();
  Location loc = importer.getLoc();
  Value mean;
  auto logSoftmax = input->value.getDefiningOp<nn::LogSoftmaxOp>();
  if (logSoftmax && logSoftmax.getAxis() == 1) {
    FailureOr<nn::SoftmaxCrossEntropyOp> loss =
        importer.create<nn::SoftmaxCrossEntropyOp>(logSoftmax.getInput(),
                                                   labels->value);
    if (failed(loss))
      return failure();
    mean = *loss;
  } else {
    // -mean_n(sum_c(input[n, c] * (labels[n] == c))).
    const Dim &classes = input->shape[1];
    if (!classes.isStatic())
      return importer.emitNodeError()
             << "the number of classes must be static";
    RankedTensorType oneHotType = importer.tensorType(
        {labels->shape[0], classes}, input->getType().getElementType());
    Value oneHot = nn::OneHotOp::create(b, loc, oneHotType, labels->value);
    FailureOr<nn::MulOp> picked =
        importer.create<nn::MulOp>(input->value, oneHot);
    if (failed(picked))
      return failure();
    FailureOr<nn::SumOp> perSample = importer.create<nn::SumOp>(
        *picked, b.getDenseI64ArrayAttr({1}), UnitAttr());
    if (failed(perSample))
      return failure();
    FailureOr<nn::MeanOp> batchMean = importer.create<nn::MeanOp>(
        *perSample, b.getDenseI64ArrayAttr({0}), UnitAttr());
    if (failed(batchMean))
      return failure();
    mean = nn::NegOp::create(b, loc, batchMean->getType(), *batchMean);
  }
  FailureOr<Value> result = applyReduction(importer, mean, *input);
  if (failed(result))
    return failure();
  importer.setTensor(0, *result, {});
  return success();
}
