//===- Registry.cpp - Which ONNX ops the importer handles, and how --------===//
//
// The table of converters, the attribute values each op supports (checked
// for all nodes before any is converted, so that one error lists every node
// the importer cannot handle), and which inputs gradients flow into (which
// sorts the initializers into parameters and constants).
//
//===----------------------------------------------------------------------===//

#include "Converters.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::onnximport;

ConvertFn adjoint::onnximport::lookupConverter(llvm::StringRef opType) {
  static const llvm::StringMap<ConvertFn> table = {
#define ENTRY(NAME) {#NAME, convert##NAME}
      ENTRY(Add),
      ENTRY(Sub),
      ENTRY(Mul),
      ENTRY(Div),
      ENTRY(Pow),
      ENTRY(Neg),
      ENTRY(Relu),
      ENTRY(LeakyRelu),
      ENTRY(Sigmoid),
      ENTRY(Tanh),
      ENTRY(Exp),
      ENTRY(Log),
      ENTRY(Sqrt),
      ENTRY(Reciprocal),
      ENTRY(Identity),
      ENTRY(Cast),
      ENTRY(Constant),
      ENTRY(ConstantOfShape),
      ENTRY(Shape),
      ENTRY(Gather),
      ENTRY(Reshape),
      ENTRY(Flatten),
      ENTRY(Squeeze),
      ENTRY(Unsqueeze),
      ENTRY(Concat),
      ENTRY(Slice),
      ENTRY(Transpose),
      ENTRY(Pad),
      ENTRY(Expand),
      ENTRY(Gemm),
      ENTRY(MatMul),
      ENTRY(Conv),
      ENTRY(MaxPool),
      ENTRY(AveragePool),
      ENTRY(GlobalAveragePool),
      ENTRY(Softmax),
      ENTRY(LogSoftmax),
      ENTRY(ReduceSum),
      ENTRY(ReduceMean),
      ENTRY(LayerNormalization),
      ENTRY(BatchNormalization),
      ENTRY(Dropout),
      ENTRY(SoftmaxCrossEntropyLoss),
      ENTRY(NegativeLogLikelihoodLoss),
#undef ENTRY
  };
  auto it = table.find(opType);
  return it == table.end() ? nullptr : it->second;
}

namespace {
/// Read-only access to a node's attributes.
struct Attrs {
  const onnx::NodeProto &node;
  const onnx::AttributeProto *find(llvm::StringRef name) const {
    for (const onnx::AttributeProto &attr : node.attribute())
      if (attr.name() == name)
        return &attr;
    return nullptr;
  }
  int64_t getInt(llvm::StringRef name, int64_t defaultValue) const {
    const onnx::AttributeProto *attr = find(name);
    return attr ? attr->i() : defaultValue;
  }
  std::string getString(llvm::StringRef name, llvm::StringRef def) const {
    const onnx::AttributeProto *attr = find(name);
    return attr ? attr->s() : def.str();
  }
  bool allEqual(llvm::StringRef name, int64_t value) const {
    const onnx::AttributeProto *attr = find(name);
    return !attr || llvm::all_of(attr->ints(),
                                 [&](int64_t v) { return v == value; });
  }
  size_t count(llvm::StringRef name) const {
    const onnx::AttributeProto *attr = find(name);
    return attr ? attr->ints_size() : 0;
  }
  bool hasInput(int index) const {
    return index < node.input_size() && !node.input(index).empty();
  }
};
} // namespace

std::string adjoint::onnximport::checkNodeSupport(const onnx::NodeProto &node,
                                                  int64_t opset) {
  Attrs attrs{node};
  llvm::StringRef op = node.op_type();
  std::string autoPad = attrs.getString("auto_pad", "NOTSET");
  if (op == "Conv") {
    if (attrs.getInt("group", 1) != 1)
      return "group=" + std::to_string(attrs.getInt("group", 1));
    if (!attrs.allEqual("dilations", 1))
      return "dilations other than 1";
    if (autoPad != "NOTSET" && autoPad != "VALID")
      return "auto_pad=" + autoPad;
    if (attrs.find("kernel_shape") && attrs.count("kernel_shape") != 2)
      return "a kernel that is not 2-D";
  }
  if (op == "MaxPool" || op == "AveragePool") {
    if (attrs.count("kernel_shape") != 2)
      return "a kernel that is not 2-D";
    if (!attrs.allEqual("dilations", 1))
      return "dilations other than 1";
    if (autoPad != "NOTSET" && autoPad != "VALID")
      return "auto_pad=" + autoPad;
    if (attrs.getInt("ceil_mode", 0) != 0)
      return "ceil_mode=1";
    if (op == "MaxPool" && !attrs.allEqual("pads", 0))
      return "padding";
    if (op == "MaxPool" && attrs.getInt("storage_order", 0) != 0)
      return "storage_order=1";
    if (op == "MaxPool" && node.output_size() > 1 && !node.output(1).empty())
      return "an Indices output";
    if (op == "AveragePool" && !attrs.allEqual("pads", 0) &&
        attrs.getInt("count_include_pad", 0) == 0)
      return "padding that is not counted (count_include_pad=0)";
  }
  if (op == "Pad" && attrs.getString("mode", "constant") != "constant")
    return "mode=" + attrs.getString("mode", "constant");
  if (op == "SoftmaxCrossEntropyLoss" || op == "NegativeLogLikelihoodLoss") {
    std::string reduction = attrs.getString("reduction", "mean");
    if (reduction != "mean" && reduction != "sum")
      return "reduction=" + reduction;
    if (attrs.hasInput(2))
      return "class weights";
  }
  if (op == "Constant") {
    for (const onnx::AttributeProto &attr : node.attribute())
      if (attr.name() != "value" && attr.name() != "value_float" &&
          attr.name() != "value_floats" && attr.name() != "value_int" &&
          attr.name() != "value_ints")
        return "a " + attr.name() + " attribute";
  }
  if (op == "LayerNormalization") {
    for (int k = 1; k < node.output_size(); ++k)
      if (!node.output(k).empty())
        return "Mean or InvStdDev outputs";
  }
  (void)opset;
  return "";
}

bool adjoint::onnximport::isDifferentiableInput(llvm::StringRef opType,
                                                unsigned index) {
  static const llvm::StringSet<> firstOnly = {
      "Reshape", "Expand",  "Slice",    "Squeeze", "Unsqueeze",
      "Pad",     "Flatten", "Transpose", "Identity", "Cast",
      "Dropout", "Pow",     "Gather",   "SoftmaxCrossEntropyLoss",
      "NegativeLogLikelihoodLoss"};
  if (opType == "Shape" || opType == "ConstantOfShape" ||
      opType == "Constant")
    return false;
  if (opType == "BatchNormalization" || opType == "LayerNormalization")
    return index < 3;
  if (firstOnly.contains(opType))
    return index == 0;
  return true;
}

FailureOr<int64_t> adjoint::onnximport::normalizeAxis(GraphImporter &importer,
                                                      int64_t axis,
                                                      int64_t rank,
                                                      llvm::StringRef what) {
  if (axis < -rank || axis >= rank)
    return importer.emitNodeError()
           << what << " " << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

LogicalResult adjoint::onnximport::requireFloat(GraphImporter &importer,
                                                const TValue &value,
                                                llvm::StringRef what) {
  if (llvm::isa<FloatType>(value.getType().getElementType()))
    return success();
  return importer.emitNodeError() << what << " must be a float tensor, not "
                                  << value.getType();
}
