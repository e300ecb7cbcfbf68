//===- Importer.cpp - Walking an ONNX graph into @forward -----------------===//
//
// The driver of the import: checks the opset and the operators, sorts the
// initializers into parameters, buffers and constants, builds the signature
// of @forward, converts the nodes in order, and returns the outputs and the
// loss with the attributes of docs/ir-conventions.md.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::onnximport;

llvm::SmallVector<int64_t>
adjoint::onnximport::staticSizes(llvm::ArrayRef<Dim> shape) {
  return llvm::map_to_vector(shape, [](const Dim &d) { return d.size; });
}

//===----------------------------------------------------------------------===//
// GraphImporter: values and helpers
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext &context, llvm::StringRef fileName,
                             const OnnxImportOptions &options)
    : context(context), fileName(fileName.str()), options(options),
      builder(&context), currentLoc(UnknownLoc::get(&context)),
      floatType(Float32Type::get(&context)) {
  currentLoc = fileLoc();
}

Location GraphImporter::fileLoc() {
  return FileLineColLoc::get(&context, fileName, 0, 0);
}

Location GraphImporter::nodeLoc(const onnx::NodeProto &node, int64_t index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "#" + std::to_string(index)
                         : node.name();
  return NameLoc::get(StringAttr::get(&context, name),
                      FileLineColLoc::get(&context, fileName, index, 0));
}

InFlightDiagnostic GraphImporter::emitNodeError() {
  InFlightDiagnostic diag = mlir::emitError(currentLoc);
  if (currentNode)
    diag << currentNode->op_type() << " node '" << currentNode->name()
         << "': ";
  return diag;
}

const onnx::AttributeProto *
GraphImporter::findAttr(llvm::StringRef name) const {
  for (const onnx::AttributeProto &attr : currentNode->attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t GraphImporter::getIntAttr(llvm::StringRef name,
                                  int64_t defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->i() : defaultValue;
}

double GraphImporter::getFloatAttr(llvm::StringRef name,
                                   double defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return defaultValue;
  char text[32];
  for (int precision = 6; precision <= 9; ++precision) {
    std::snprintf(text, sizeof(text), "%.*g", precision, attr->f());
    if (std::strtof(text, nullptr) == attr->f())
      return std::strtod(text, nullptr);
  }
  return attr->f();
}

std::string GraphImporter::getStringAttr(llvm::StringRef name,
                                         llvm::StringRef defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(name);
  return attr ? attr->s() : defaultValue.str();
}

std::optional<llvm::SmallVector<int64_t>>
GraphImporter::getIntsAttr(llvm::StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  return llvm::SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

bool GraphImporter::hasInput(unsigned index) const {
  return index < static_cast<unsigned>(currentNode->input_size()) &&
         !currentNode->input(index).empty();
}

const OnnxValue *GraphImporter::getInput(unsigned index) {
  if (!hasInput(index))
    return nullptr;
  auto it = values.find(currentNode->input(index));
  return it == values.end() ? nullptr : &it->second;
}

FailureOr<TValue> GraphImporter::getTensorInput(unsigned index) {
  if (!hasInput(index))
    return emitNodeError() << "input " << index << " is missing";
  auto it = values.find(currentNode->input(index));
  if (it == values.end())
    return emitNodeError() << "input '" << currentNode->input(index)
                           << "' is not defined before the node";
  OnnxValue &value = it->second;
  switch (value.kind) {
  case OnnxValue::Kind::Tensor:
    return TValue{value.value, value.shape};
  case OnnxValue::Kind::Constant: {
    if (!value.value)
      value.value = materialize(*value.constant).value;
    Shape shape;
    for (int64_t d : value.constant->getShape())
      shape.push_back(Dim::fixed(d));
    return TValue{value.value, shape};
  }
  case OnnxValue::Kind::ShapeVector:
    break;
  }
  if (llvm::all_of(value.elements, [](const Dim &d) { return d.isStatic(); })) {
    llvm::SmallVector<int64_t> ints = staticSizes(value.elements);
    llvm::SmallVector<int64_t> shape;
    if (!value.scalar)
      shape.push_back(static_cast<int64_t>(ints.size()));
    return materialize(HostTensor::fromValues<int64_t>(shape, ints));
  }
  return emitNodeError() << "the shape value '" << currentNode->input(index)
                         << "' holds run-time dims and is used as data, "
                            "which is not supported";
}

const HostTensor *GraphImporter::getConstantInput(unsigned index) {
  const OnnxValue *value = getInput(index);
  if (!value || value->kind != OnnxValue::Kind::Constant)
    return nullptr;
  return value->constant.get();
}

FailureOr<llvm::SmallVector<Dim, 4>>
GraphImporter::getDimsInput(unsigned index, llvm::StringRef what) {
  const OnnxValue *value = getInput(index);
  if (!value)
    return emitNodeError() << "the " << what << " input is missing";
  if (value->kind == OnnxValue::Kind::ShapeVector)
    return value->elements;
  if (value->kind == OnnxValue::Kind::Constant) {
    const HostTensor &t = *value->constant;
    if ((t.getDType() == DType::I64 || t.getDType() == DType::I32) &&
        t.getRank() <= 1) {
      llvm::SmallVector<Dim, 4> dims;
      // Exactly, not through double: ends are often INT64_MAX.
      for (int64_t i = 0; i < t.getNumElements(); ++i)
        dims.push_back(Dim::fixed(t.getDType() == DType::I64
                                      ? t.getValues<int64_t>()[i]
                                      : t.getValues<int32_t>()[i]));
      return dims;
    }
  }
  return emitNodeError() << "the " << what
                         << " input must be a constant integer vector "
                            "(computed from shapes at compile time)";
}

FailureOr<llvm::SmallVector<int64_t>>
GraphImporter::getIntsInput(unsigned index, llvm::StringRef what) {
  FailureOr<llvm::SmallVector<Dim, 4>> dims = getDimsInput(index, what);
  if (failed(dims))
    return failure();
  if (!llvm::all_of(*dims, [](const Dim &d) { return d.isStatic(); }))
    return emitNodeError() << "the " << what
                           << " input must be known at compile time";
  return staticSizes(*dims);
}

bool GraphImporter::isOutputUsed(unsigned index) const {
  if (index >= static_cast<unsigned>(currentNode->output_size()) ||
      currentNode->output(index).empty())
    return false;
  auto it = useCounts.find(currentNode->output(index));
  return it != useCounts.end() && it->second > 0;
}

static bool validOutput(const onnx::NodeProto *node, unsigned index) {
  return index < static_cast<unsigned>(node->output_size()) &&
         !node->output(index).empty();
}

void GraphImporter::setTensor(unsigned index, Value value, Shape shape) {
  if (!validOutput(currentNode, index))
    return;
  OnnxValue &v = values[currentNode->output(index)];
  v = OnnxValue();
  v.kind = OnnxValue::Kind::Tensor;
  v.value = value;
  v.shape = std::move(shape);
}

void GraphImporter::setConstant(unsigned index, HostTensor tensor) {
  if (!validOutput(currentNode, index))
    return;
  OnnxValue &v = values[currentNode->output(index)];
  v = OnnxValue();
  v.kind = OnnxValue::Kind::Constant;
  v.constant = std::make_shared<HostTensor>(std::move(tensor));
}

void GraphImporter::setShapeVector(unsigned index,
                                   llvm::SmallVector<Dim, 4> elements,
                                   bool scalar) {
  if (!validOutput(currentNode, index))
    return;
  // A vector of static dims is an ordinary constant.
  if (llvm::all_of(elements, [](const Dim &d) { return d.isStatic(); })) {
    llvm::SmallVector<int64_t> ints = staticSizes(elements);
    llvm::SmallVector<int64_t> shape;
    if (!scalar)
      shape.push_back(static_cast<int64_t>(ints.size()));
    setConstant(index, HostTensor::fromValues<int64_t>(shape, ints));
    return;
  }
  OnnxValue &v = values[currentNode->output(index)];
  v = OnnxValue();
  v.kind = OnnxValue::Kind::ShapeVector;
  v.elements = std::move(elements);
  v.scalar = scalar;
}

void GraphImporter::alias(unsigned outputIndex, unsigned inputIndex) {
  if (!validOutput(currentNode, outputIndex) || !hasInput(inputIndex))
    return;
  auto it = values.find(currentNode->input(inputIndex));
  if (it == values.end())
    return;
  OnnxValue copy = it->second;
  values[currentNode->output(outputIndex)] = std::move(copy);
}

TValue GraphImporter::materialize(const HostTensor &tensor) {
  llvm::SmallVector<int64_t> shape(tensor.getShape());
  DenseElementsAttr attr;
  switch (tensor.getDType()) {
  case DType::F32:
    attr = DenseElementsAttr::get(
        RankedTensorType::get(shape, builder.getF32Type()),
        tensor.getValues<float>());
    break;
  case DType::F64:
    attr = DenseElementsAttr::get(
        RankedTensorType::get(shape, builder.getF64Type()),
        tensor.getValues<double>());
    break;
  case DType::I64:
    attr = DenseElementsAttr::get(
        RankedTensorType::get(shape, builder.getI64Type()),
        tensor.getValues<int64_t>());
    break;
  case DType::I32:
    attr = DenseElementsAttr::get(
        RankedTensorType::get(shape, builder.getI32Type()),
        tensor.getValues<int32_t>());
    break;
  }
  Value value = nn::ConstantOp::create(builder, currentLoc, attr);
  Shape dims;
  for (int64_t d : shape)
    dims.push_back(Dim::fixed(d));
  return TValue{value, dims};
}

TValue GraphImporter::scalarConstant(double value) {
  if (floatType.isF64())
    return materialize(HostTensor::fromValues<double>({}, {value}));
  return materialize(
      HostTensor::fromValues<float>({}, {static_cast<float>(value)}));
}

int GraphImporter::newSymbolFor(Value tensor, int64_t dim,
                                llvm::StringRef name) {
  symbols.push_back(Symbol{tensor, dim, Value(), name.str()});
  return static_cast<int>(symbols.size() - 1);
}

Dim GraphImporter::newSymbol(Value size) {
  symbols.push_back(Symbol{Value(), 0, size, ""});
  return Dim::sym(static_cast<int>(symbols.size() - 1));
}

Value GraphImporter::materializeDim(const Dim &dim) {
  if (dim.isStatic())
    return arith::ConstantIndexOp::create(builder, currentLoc, dim.size);
  Symbol &symbol = symbols[dim.symbol];
  if (!symbol.index)
    symbol.index =
        tensor::DimOp::create(builder, currentLoc, symbol.tensor, symbol.dim);
  return symbol.index;
}

Shape GraphImporter::resultShape(Value result, llvm::ArrayRef<Dim> hint) {
  auto type = llvm::cast<RankedTensorType>(result.getType());
  Shape shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!type.isDynamicDim(i))
      shape.push_back(Dim::fixed(type.getDimSize(i)));
    else if (hint.size() == static_cast<size_t>(type.getRank()) &&
             !hint[i].isStatic())
      shape.push_back(hint[i]);
    else
      shape.push_back(Dim::sym(newSymbolFor(result, i, "")));
  }
  return shape;
}

RankedTensorType GraphImporter::tensorType(llvm::ArrayRef<Dim> shape,
                                           Type elementType) {
  return RankedTensorType::get(staticSizes(shape), elementType);
}

TValue GraphImporter::reshape(const TValue &input, llvm::ArrayRef<Dim> shape) {
  if (llvm::ArrayRef<Dim>(input.shape) == shape)
    return input;
  RankedTensorType type =
      tensorType(shape, input.getType().getElementType());
  llvm::SmallVector<Value> sizes;
  int64_t numDynamic = llvm::count_if(shape, [](const Dim &d) {
    return !d.isStatic();
  });
  // One dynamic dim is inferred from the element count by nn.reshape.
  if (numDynamic > 1)
    for (const Dim &d : shape)
      if (!d.isStatic())
        sizes.push_back(materializeDim(d));
  Value result =
      nn::ReshapeOp::create(builder, currentLoc, type, input.value, sizes);
  return TValue{result, Shape(shape.begin(), shape.end())};
}

Dim GraphImporter::multiplyDims(llvm::ArrayRef<Dim> dims) {
  int64_t product = 1;
  llvm::SmallVector<Dim> symbolic;
  for (const Dim &d : dims) {
    if (d.isStatic())
      product *= d.size;
    else
      symbolic.push_back(d);
  }
  if (symbolic.empty())
    return Dim::fixed(product);
  if (symbolic.size() == 1 && product == 1)
    return symbolic.front();
  Value size = arith::ConstantIndexOp::create(builder, currentLoc, product);
  for (const Dim &d : symbolic)
    size = arith::MulIOp::create(builder, currentLoc, size, materializeDim(d));
  return newSymbol(size);
}

/// The static product and the sorted symbols of dims.
static std::pair<int64_t, std::multiset<int>>
splitProduct(llvm::ArrayRef<Dim> dims) {
  int64_t product = 1;
  std::multiset<int> symbolic;
  for (const Dim &d : dims) {
    if (d.isStatic())
      product *= d.size;
    else
      symbolic.insert(d.symbol);
  }
  return {product, symbolic};
}

FailureOr<Shape> GraphImporter::resolveReshape(llvm::ArrayRef<Dim> input,
                                               llvm::ArrayRef<Dim> target,
                                               bool allowZero) {
  Shape result;
  int64_t inferred = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    const Dim &t = target[i];
    if (!t.isStatic()) {
      result.push_back(t);
      continue;
    }
    if (t.size == 0 && !allowZero) {
      if (i >= input.size())
        return emitNodeError() << "shape entry " << i
                               << " is 0 but the input "
                               << formatDims(input) << " has no dim " << i;
      result.push_back(input[i]);
    } else if (t.size == -1) {
      if (inferred >= 0)
        return emitNodeError() << "the target shape has more than one -1";
      inferred = static_cast<int64_t>(i);
      result.push_back(Dim::fixed(-1));
    } else if (t.size < 0) {
      return emitNodeError() << "invalid target shape entry " << t.size;
    } else {
      result.push_back(t);
    }
  }
  auto [inConst, inSyms] = splitProduct(input);
  if (inferred < 0) {
    auto [outConst, outSyms] = splitProduct(result);
    if (inSyms.empty() && outSyms.empty() && inConst != outConst)
      return emitNodeError() << "cannot reshape " << formatDims(input)
                             << " to " << formatDims(result);
    return result;
  }
  Shape known;
  for (size_t i = 0; i < result.size(); ++i)
    if (static_cast<int64_t>(i) != inferred)
      known.push_back(result[i]);
  auto [knownConst, knownSyms] = splitProduct(known);
  if (knownConst == 0)
    return emitNodeError() << "cannot infer the -1 of a target shape with a "
                              "zero dim";
  bool subset = std::includes(inSyms.begin(), inSyms.end(), knownSyms.begin(),
                              knownSyms.end());
  if (subset && inConst % knownConst == 0) {
    std::multiset<int> rest;
    std::set_difference(inSyms.begin(), inSyms.end(), knownSyms.begin(),
                        knownSyms.end(), std::inserter(rest, rest.begin()));
    int64_t quotient = inConst / knownConst;
    if (rest.empty()) {
      result[inferred] = Dim::fixed(quotient);
      return result;
    }
    if (rest.size() == 1 && quotient == 1) {
      result[inferred] = Dim::sym(*rest.begin());
      return result;
    }
  } else if (inSyms.empty() && knownSyms.empty()) {
    return emitNodeError() << "cannot reshape " << formatDims(input) << " to "
                           << formatDims(target);
  }
  // Computed at run time: numel(input) / product(known dims).
  Value numel = materializeDim(multiplyDims(input));
  Value divisor = materializeDim(multiplyDims(known));
  result[inferred] =
      newSymbol(arith::DivUIOp::create(builder, currentLoc, numel, divisor));
  return result;
}

FailureOr<Shape> GraphImporter::broadcast(llvm::ArrayRef<Dim> lhs,
                                          llvm::ArrayRef<Dim> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    Dim a = i < rank - lhs.size() ? Dim::fixed(1) : lhs[i - (rank - lhs.size())];
    Dim b = i < rank - rhs.size() ? Dim::fixed(1) : rhs[i - (rank - rhs.size())];
    if (a.isStatic() && a.size == 1)
      result[i] = b;
    else if (b.isStatic() && b.size == 1)
      result[i] = a;
    else if (a.isStatic() && b.isStatic() && a.size != b.size)
      return emitNodeError() << "cannot broadcast shapes " << formatDims(lhs)
                             << " and " << formatDims(rhs);
    else
      result[i] = a.isStatic() ? a : b;
  }
  return result;
}

std::string GraphImporter::formatDims(llvm::ArrayRef<Dim> shape) const {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += ", ";
    if (shape[i].isStatic())
      text += std::to_string(shape[i].size);
    else if (!symbols[shape[i].symbol].name.empty())
      text += symbols[shape[i].symbol].name;
    else
      text += "?";
  }
  return text + "]";
}

Value GraphImporter::getSeed() {
  if (!seed) {
    Block &entry = func.getBody().front();
    seed = entry.addArgument(RankedTensorType::get({}, builder.getI64Type()),
                             fileLoc());
  }
  return seed;
}


//===----------------------------------------------------------------------===//
// Pre-passes: gelu patterns, support check, parameter classification
//===----------------------------------------------------------------------===//

namespace {
/// Producers and consumers of the values of a graph.
struct GraphIndex {
  llvm::StringMap<int64_t> producer;
  llvm::StringMap<llvm::SmallVector<int64_t, 2>> consumers;
  llvm::StringSet<> graphOutputs;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  /// Constant nodes' scalar values.
  llvm::StringMap<double> scalars;

  explicit GraphIndex(const onnx::GraphProto &graph) {
    for (const onnx::TensorProto &init : graph.initializer())
      initializers[init.name()] = &init;
    for (int64_t i = 0; i < graph.node_size(); ++i) {
      const onnx::NodeProto &node = graph.node(i);
      for (const std::string &out : node.output())
        if (!out.empty())
          producer[out] = i;
      for (const std::string &in : node.input())
        if (!in.empty())
          consumers[in].push_back(i);
      if (node.op_type() == "Constant" && node.output_size() == 1) {
        for (const onnx::AttributeProto &attr : node.attribute()) {
          if (attr.name() == "value_float")
            scalars[node.output(0)] = attr.f();
          if (attr.name() == "value" && attr.t().dims_size() <= 1) {
            llvm::Expected<HostTensor> t = tensorFromProto(attr.t(), "");
            if (t && t->getNumElements() == 1)
              scalars[node.output(0)] = t->getElementAsDouble(0);
            else if (!t)
              llvm::consumeError(t.takeError());
          }
        }
      }
    }
    for (const onnx::TensorProto &init : graph.initializer()) {
      llvm::Expected<HostTensor> t = tensorFromProto(init, "");
      if (t && t->getNumElements() == 1 && init.dims_size() <= 1)
        scalars[init.name()] = t->getElementAsDouble(0);
      else if (!t)
        llvm::consumeError(t.takeError());
    }
    for (const onnx::ValueInfoProto &out : graph.output())
      graphOutputs.insert(out.name());
  }

  /// The node that is the only reader of `name` (which is no graph output).
  std::optional<int64_t> soleConsumer(llvm::StringRef name) const {
    auto it = consumers.find(name);
    if (it == consumers.end() || it->second.size() != 1 ||
        graphOutputs.contains(name))
      return std::nullopt;
    return it->second.front();
  }

  bool isScalar(llvm::StringRef name, double value) const {
    auto it = scalars.find(name);
    return it != scalars.end() &&
           std::abs(it->second - value) <= 1e-6 * std::max(1.0, std::abs(value));
  }
};
} // namespace

/// The other input of a two-input node, given one of them.
static std::optional<std::string> otherInput(const onnx::NodeProto &node,
                                             llvm::StringRef one) {
  if (node.input_size() != 2)
    return std::nullopt;
  if (node.input(0) == one)
    return node.input(1);
  if (node.input(1) == one)
    return node.input(0);
  return std::nullopt;
}

/// Finds the exact gelu as PyTorch exports it,
/// `x * 0.5 * (1 + erf(x / sqrt(2)))` in any association of the products and
/// with `x * (1/sqrt(2))` for the division. The Erf, Add and product nodes
/// are skipped and the last product becomes nn.gelu of x; the division (and a
/// separate `x * 0.5`) stay and die unless something else reads them.
static void findGelus(const onnx::GraphProto &graph, const GraphIndex &index,
                      std::vector<NodePlan> &plans) {
  const double sqrt2 = 1.4142135623730951;
  for (int64_t e = 0; e < graph.node_size(); ++e) {
    const onnx::NodeProto &erf = graph.node(e);
    if (erf.op_type() != "Erf" || erf.input_size() != 1 ||
        erf.output_size() != 1)
      continue;
    auto scaledIt = index.producer.find(erf.input(0));
    if (scaledIt == index.producer.end())
      continue;
    const onnx::NodeProto &scale = graph.node(scaledIt->second);
    if (scale.input_size() != 2)
      continue;
    std::string x;
    if (scale.op_type() == "Div" && index.isScalar(scale.input(1), sqrt2))
      x = scale.input(0);
    else if (scale.op_type() == "Mul" &&
             index.isScalar(scale.input(1), 1 / sqrt2))
      x = scale.input(0);
    else if (scale.op_type() == "Mul" &&
             index.isScalar(scale.input(0), 1 / sqrt2))
      x = scale.input(1);
    else
      continue;
    // 1 + erf(.)
    std::optional<int64_t> addIdx = index.soleConsumer(erf.output(0));
    if (!addIdx || graph.node(*addIdx).op_type() != "Add")
      continue;
    const onnx::NodeProto &add = graph.node(*addIdx);
    if (add.output_size() != 1)
      continue;
    std::optional<std::string> one = otherInput(add, erf.output(0));
    if (!one || !index.isScalar(*one, 1.0))
      continue;
    // The products of x, 0.5 and (1 + erf).
    std::optional<int64_t> m1Idx = index.soleConsumer(add.output(0));
    if (!m1Idx || graph.node(*m1Idx).op_type() != "Mul")
      continue;
    const onnx::NodeProto &m1 = graph.node(*m1Idx);
    if (m1.output_size() != 1)
      continue;
    std::optional<std::string> o1 = otherInput(m1, add.output(0));
    if (!o1)
      continue;
    llvm::SmallVector<int64_t, 3> skipped = {e, *addIdx};
    int64_t last = -1;
    auto producerIs = [&](llvm::StringRef name, llvm::StringRef op,
                          llvm::StringRef in, double c) {
      auto it = index.producer.find(name);
      if (it == index.producer.end())
        return false;
      const onnx::NodeProto &p = graph.node(it->second);
      std::optional<std::string> other = otherInput(p, in);
      return p.op_type() == op && other && index.isScalar(*other, c);
    };
    if (*o1 == x || index.isScalar(*o1, 0.5)) {
      // (x * b) * 0.5 or (0.5 * b) * x.
      std::optional<int64_t> m2Idx = index.soleConsumer(m1.output(0));
      if (!m2Idx || graph.node(*m2Idx).op_type() != "Mul")
        continue;
      std::optional<std::string> o2 =
          otherInput(graph.node(*m2Idx), m1.output(0));
      bool ok = *o1 == x ? o2 && index.isScalar(*o2, 0.5) : o2 && *o2 == x;
      if (!ok)
        continue;
      skipped.push_back(*m1Idx);
      last = *m2Idx;
    } else if (producerIs(*o1, "Mul", x, 0.5)) {
      // (x * 0.5) * b.
      last = *m1Idx;
    } else {
      continue;
    }
    for (int64_t s : skipped)
      plans[s].role = NodeRole::Skip;
    plans[last].role = NodeRole::Gelu;
    plans[last].inputs = {x};
  }
}

/// The shortest decimal that rounds to the f32 `value` (1e-5 for the f32
/// nearest to it).
static double shortestDecimal(float value) {
  char text[32];
  for (int precision = 6; precision <= 9; ++precision) {
    std::snprintf(text, sizeof(text), "%.*g", precision, value);
    if (std::strtof(text, nullptr) == value)
      return std::strtod(text, nullptr);
  }
  return value;
}

/// Finds the layer normalization that PyTorch exports below opset 17:
///   m = ReduceMean[-1](x); d = Sub(x, m); v = ReduceMean[-1](Pow(d, 2));
///   y = Add(Mul(Div(d, Sqrt(Add(v, eps))), W), B)
/// with W and B 1-D initializers. Every node but the last Add is skipped, and
/// that one becomes nn.layernorm(x, W, B).
static void findLayerNorms(const onnx::GraphProto &graph,
                           const GraphIndex &index,
                           std::vector<NodePlan> &plans) {
  auto producerOf = [&](llvm::StringRef name,
                        llvm::StringRef op) -> const onnx::NodeProto * {
    auto it = index.producer.find(name);
    if (it == index.producer.end() || plans[it->second].role != NodeRole::Normal)
      return nullptr;
    const onnx::NodeProto &node = graph.node(it->second);
    return node.op_type() == op ? &node : nullptr;
  };
  auto isLastAxisMean = [](const onnx::NodeProto &node) {
    bool lastAxis = false, keepdims = true;
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.name() == "axes")
        lastAxis = attr.ints_size() == 1 && attr.ints(0) == -1;
      if (attr.name() == "keepdims")
        keepdims = attr.i() != 0;
    }
    return lastAxis && keepdims && node.input_size() == 1;
  };
  auto isVector = [&](llvm::StringRef name) {
    auto it = index.initializers.find(name);
    return it != index.initializers.end() && it->second->dims_size() == 1;
  };
  auto uses = [&](llvm::StringRef name) -> size_t {
    auto it = index.consumers.find(name);
    return index.graphOutputs.contains(name) || it == index.consumers.end()
               ? 0
               : it->second.size();
  };
  for (int64_t n = 0; n < graph.node_size(); ++n) {
    const onnx::NodeProto &div = graph.node(n);
    if (div.op_type() != "Div" || div.input_size() != 2 ||
        div.output_size() != 1 || plans[n].role != NodeRole::Normal)
      continue;
    const onnx::NodeProto *sub = producerOf(div.input(0), "Sub");
    const onnx::NodeProto *sqrt = producerOf(div.input(1), "Sqrt");
    if (!sub || !sqrt || sub->input_size() != 2 || sqrt->input_size() != 1)
      continue;
    const std::string &x = sub->input(0), &d = div.input(0);
    const onnx::NodeProto *mean = producerOf(sub->input(1), "ReduceMean");
    if (!mean || !isLastAxisMean(*mean) || mean->input(0) != x)
      continue;
    const onnx::NodeProto *addEps = producerOf(sqrt->input(0), "Add");
    if (!addEps || addEps->input_size() != 2)
      continue;
    const onnx::NodeProto *var = nullptr;
    std::string epsName;
    for (int k = 0; k < 2 && !var; ++k) {
      var = producerOf(addEps->input(k), "ReduceMean");
      epsName = addEps->input(1 - k);
    }
    auto epsIt = index.scalars.find(epsName);
    if (!var || !isLastAxisMean(*var) || epsIt == index.scalars.end())
      continue;
    const onnx::NodeProto *pow = producerOf(var->input(0), "Pow");
    if (!pow || pow->input_size() != 2 || pow->input(0) != d ||
        !index.isScalar(pow->input(1), 2.0))
      continue;
    // The affine part.
    std::optional<int64_t> mulIdx = index.soleConsumer(div.output(0));
    if (!mulIdx || graph.node(*mulIdx).op_type() != "Mul")
      continue;
    const onnx::NodeProto &mul = graph.node(*mulIdx);
    if (mul.output_size() != 1)
      continue;
    std::optional<std::string> weight = otherInput(mul, div.output(0));
    std::optional<int64_t> addIdx = index.soleConsumer(mul.output(0));
    if (!weight || !isVector(*weight) || !addIdx ||
        graph.node(*addIdx).op_type() != "Add")
      continue;
    std::optional<std::string> bias =
        otherInput(graph.node(*addIdx), mul.output(0));
    if (!bias || !isVector(*bias))
      continue;
    // The pieces feed nothing else.
    if (uses(mean->output(0)) != 1 || uses(d) != 2 ||
        uses(pow->output(0)) != 1 || uses(var->output(0)) != 1 ||
        uses(addEps->output(0)) != 1 || uses(sqrt->output(0)) != 1)
      continue;
    for (const onnx::NodeProto *piece :
         {mean, sub, pow, var, addEps, sqrt, &div, &mul})
      plans[index.producer.lookup(piece->output(0))].role = NodeRole::Skip;
    NodePlan &plan = plans[*addIdx];
    plan.role = NodeRole::LayerNorm;
    plan.inputs = {x, *weight, *bias};
    plan.eps = shortestDecimal(static_cast<float>(epsIt->second));
  }
}

LogicalResult GraphImporter::checkSupported(llvm::ArrayRef<NodePlan> plans) {
  // Grouped by what is unsupported: "Erf", "Conv (group=2 ...)".
  std::map<std::string, llvm::SmallVector<std::string>> unsupported;
  llvm::SmallVector<std::pair<Location, std::string>> notes;
  int64_t count = 0;
  for (int64_t i = 0; i < graph->node_size(); ++i) {
    if (plans[i].role != NodeRole::Normal)
      continue;
    const onnx::NodeProto &node = graph->node(i);
    std::string key;
    llvm::StringRef domain = node.domain();
    if (!domain.empty() && domain != "ai.onnx") {
      key = domain.str() + "." + node.op_type();
    } else if (!lookupConverter(node.op_type())) {
      key = node.op_type();
    } else {
      std::string reason = checkNodeSupport(node, opset);
      if (reason.empty())
        continue;
      key = node.op_type() + " with " + reason;
    }
    std::string name =
        node.name().empty() ? node.op_type() + "#" + std::to_string(i)
                            : node.name();
    unsupported[key].push_back(name);
    notes.push_back({nodeLoc(node, i), key});
    ++count;
  }
  if (unsupported.empty())
    return success();
  InFlightDiagnostic diag = mlir::emitError(fileLoc());
  diag << count << " ONNX node" << (count == 1 ? "" : "s")
       << " cannot be imported: ";
  bool first = true;
  for (auto &[key, names] : unsupported) {
    if (!first)
      diag << "; ";
    first = false;
    diag << key << " x" << names.size() << " (";
    for (size_t i = 0; i < names.size(); ++i)
      diag << (i ? ", " : "") << "'" << names[i] << "'";
    diag << ")";
  }
  for (auto &[loc, key] : notes)
    diag.attachNote(loc) << "unsupported: " << key;
  return failure();
}

//===----------------------------------------------------------------------===//
// The import
//===----------------------------------------------------------------------===//

/// A symbol name for the module: the graph name with characters outside
/// [A-Za-z0-9_] replaced, or the file's stem when the graph has none.
static std::string moduleName(const onnx::GraphProto &graph,
                              llvm::StringRef fileName) {
  std::string name = graph.name();
  if (name.empty())
    name = llvm::sys::path::stem(fileName).str();
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  if (name.empty() || llvm::isDigit(name.front()))
    name = "m_" + name;
  return name;
}

namespace {
/// An argument of @forward under construction.
struct ArgInfo {
  std::string name;
  llvm::StringRef kind;
  Type type;
  Shape shape;
  llvm::SmallVector<std::string> dimNames;
  const onnx::TensorProto *init = nullptr;
};
} // namespace

LogicalResult GraphImporter::importGraph(const onnx::ModelProto &model,
                                         ModuleOp module,
                                         OnnxInitialValues *initialValues) {
  // The opset of the default domain.
  for (const onnx::OperatorSetIdProto &op : model.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx")
      opset = op.version();
  if (opset == 0)
    return mlir::emitError(fileLoc())
           << "the model imports no opset of the default ONNX domain";
  if (opset < 13 || opset > 17)
    return mlir::emitError(fileLoc())
           << "opset " << opset << " is not supported (opsets 13 to 17 are)";

  graph = &model.graph();
  GraphIndex index(*graph);
  for (const onnx::NodeProto &node : graph->node())
    for (const std::string &in : node.input())
      if (!in.empty())
        ++useCounts[in];
  for (const onnx::ValueInfoProto &out : graph->output())
    ++useCounts[out.name()];

  int64_t numNodes = graph->node_size();
  std::vector<NodePlan> plans(numNodes);
  findGelus(*graph, index, plans);
  findLayerNorms(*graph, index, plans);
  if (failed(checkSupported(plans)))
    return failure();

  // The loss: the output named "loss", else the only scalar output.
  int64_t lossIndex = -1;
  llvm::SmallVector<int64_t> scalarOutputs;
  for (int64_t i = 0; i < graph->output_size(); ++i) {
    const onnx::ValueInfoProto &out = graph->output(i);
    if (out.name() == "loss")
      lossIndex = i;
    const auto &tt = out.type().tensor_type();
    if (tt.has_shape() && tt.shape().dim_size() == 0 &&
        (tt.elem_type() == onnx::TensorProto::FLOAT ||
         tt.elem_type() == onnx::TensorProto::DOUBLE))
      scalarOutputs.push_back(i);
  }
  if (lossIndex < 0 && scalarOutputs.size() == 1 && graph->output_size() > 1)
    lossIndex = scalarOutputs.front();
  if (graph->output_size() == 0)
    return mlir::emitError(fileLoc()) << "the graph has no outputs";
  if (lossIndex >= 0 && options.addLoss != OnnxLossKind::None)
    return mlir::emitError(fileLoc())
           << "the model already computes a loss (output '"
           << graph->output(lossIndex).name()
           << "'); it is differentiated as is, without --loss";
  if (lossIndex >= 0 && graph->output_size() == 1 &&
      options.addLoss == OnnxLossKind::None)
    ; // A model whose only output is its loss.

  // Values that gradients reach, walking back from the loss (or from the
  // outputs of a model without one).
  llvm::StringSet<> needsGrad;
  if (lossIndex >= 0)
    needsGrad.insert(graph->output(lossIndex).name());
  else
    for (const onnx::ValueInfoProto &out : graph->output())
      needsGrad.insert(out.name());
  llvm::StringSet<> bufferNames;
  for (int64_t i = numNodes - 1; i >= 0; --i) {
    const onnx::NodeProto &node = graph->node(i);
    if (node.op_type() == "BatchNormalization")
      for (unsigned k = 3; k < 5 && k < static_cast<unsigned>(node.input_size());
           ++k)
        bufferNames.insert(node.input(k));
    bool active = llvm::any_of(node.output(), [&](const std::string &out) {
      return needsGrad.contains(out);
    });
    if (!active)
      continue;
    for (int k = 0; k < node.input_size(); ++k)
      if (!node.input(k).empty() && isDifferentiableInput(node.op_type(), k))
        needsGrad.insert(node.input(k));
  }

  // Arguments: the graph inputs that are no initializers, then the
  // parameters and buffers in the order of the initializers.
  llvm::SmallVector<ArgInfo> args;
  llvm::StringMap<int> symbolByName;
  for (const onnx::ValueInfoProto &in : graph->input()) {
    if (index.initializers.count(in.name()))
      continue;
    if (!in.type().has_tensor_type())
      return mlir::emitError(fileLoc())
             << "graph input '" << in.name() << "' is not a tensor";
    const auto &tt = in.type().tensor_type();
    Type elementType = elementTypeOf(tt.elem_type(), context);
    if (!elementType)
      return mlir::emitError(fileLoc())
             << "graph input '" << in.name() << "' has unsupported element "
             << "type " << onnxTypeName(tt.elem_type());
    if (!tt.has_shape())
      return mlir::emitError(fileLoc())
             << "graph input '" << in.name() << "' has no shape";
    ArgInfo arg;
    arg.name = in.name();
    arg.kind = "input";
    arg.type = elementType;
    for (int d = 0; d < tt.shape().dim_size(); ++d) {
      const auto &dim = tt.shape().dim(d);
      std::string symName = dim.has_dim_param() ? dim.dim_param() : "";
      if (dim.has_dim_value() && dim.dim_value() >= 0) {
        arg.shape.push_back(Dim::fixed(dim.dim_value()));
        arg.dimNames.push_back("");
        continue;
      }
      if (symName.empty())
        symName = in.name() + "_dim" + std::to_string(d);
      auto fixed = options.dimValues.find(symName);
      if (fixed != options.dimValues.end()) {
        arg.shape.push_back(Dim::fixed(fixed->second));
        arg.dimNames.push_back("");
        continue;
      }
      // A placeholder symbol; bound to the block argument below.
      auto it = symbolByName.find(symName);
      int symbol = it != symbolByName.end()
                       ? it->second
                       : (symbolByName[symName] =
                              newSymbolFor(Value(), d, symName));
      arg.shape.push_back(Dim::sym(symbol));
      arg.dimNames.push_back(symName);
    }
    args.push_back(std::move(arg));
  }
  size_t numInputs = args.size();
  for (const onnx::TensorProto &init : graph->initializer()) {
    bool isBuffer = bufferNames.contains(init.name());
    bool isFloat = init.data_type() == onnx::TensorProto::FLOAT ||
                   init.data_type() == onnx::TensorProto::DOUBLE;
    if (!isFloat || (!isBuffer && !needsGrad.contains(init.name())))
      continue;
    ArgInfo arg;
    arg.name = init.name();
    arg.kind = isBuffer ? "buffer" : "param";
    arg.type = elementTypeOf(init.data_type(), context);
    for (int64_t d : init.dims())
      arg.shape.push_back(Dim::fixed(d));
    arg.init = &init;
    args.push_back(std::move(arg));
  }
  for (const ArgInfo &arg : args)
    if (llvm::isa<FloatType>(arg.type)) {
      floatType = arg.type;
      break;
    }

  // The function and its entry block.
  builder.setInsertionPointToEnd(module.getBody());
  func = func::FuncOp::create(builder, fileLoc(), "forward",
                              builder.getFunctionType({}, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToEnd(entry);
  for (ArgInfo &arg : args) {
    Value value =
        entry->addArgument(tensorType(arg.shape, arg.type), fileLoc());
    for (size_t d = 0; d < arg.shape.size(); ++d) {
      Dim &dim = arg.shape[d];
      if (!dim.isStatic() && !symbols[dim.symbol].tensor) {
        symbols[dim.symbol].tensor = value;
        symbols[dim.symbol].dim = static_cast<int64_t>(d);
      }
    }
    OnnxValue &v = values[arg.name];
    v.kind = OnnxValue::Kind::Tensor;
    v.value = value;
    v.shape = arg.shape;
    if (arg.init) {
      llvm::Expected<HostTensor> tensor = tensorFromProto(*arg.init, fileName);
      if (!tensor)
        return mlir::emitError(fileLoc()) << llvm::toString(tensor.takeError());
      if (initialValues)
        (*initialValues)[arg.name] = std::move(*tensor);
    }
  }
  // The other initializers are constants.
  for (const onnx::TensorProto &init : graph->initializer()) {
    if (values.count(init.name()))
      continue;
    llvm::Expected<HostTensor> tensor = tensorFromProto(init, fileName);
    if (!tensor)
      return mlir::emitError(fileLoc()) << llvm::toString(tensor.takeError());
    OnnxValue &v = values[init.name()];
    v.kind = OnnxValue::Kind::Constant;
    v.constant = std::make_shared<HostTensor>(std::move(*tensor));
  }

  // ONNX graphs are in SSA form: every name is defined once, by a graph
  // input, an initializer or the output of one node.
  llvm::StringMap<int64_t> producers;
  for (int64_t i = 0; i < numNodes; ++i) {
    const onnx::NodeProto &node = graph->node(i);
    for (const std::string &output : node.output()) {
      if (output.empty())
        continue;
      auto [it, inserted] = producers.try_emplace(output, i);
      if (inserted && !values.count(output))
        continue;
      currentNode = &node;
      currentLoc = nodeLoc(node, i);
      InFlightDiagnostic diag = emitNodeError();
      diag << "output '" << output << "' is already defined by ";
      if (inserted)
        diag << "a graph input or initializer";
      else
        diag << "node '" << graph->node(it->second).name() << "'";
      return diag << "; an ONNX graph assigns every name once";
    }
  }

  // The nodes, in order (ONNX graphs are topologically sorted).
  for (int64_t i = 0; i < numNodes; ++i) {
    if (plans[i].role == NodeRole::Skip)
      continue;
    if (failed(convertNode(graph->node(i), i, plans[i])))
      return failure();
  }
  currentNode = nullptr;
  currentLoc = fileLoc();

  // Results: the outputs, then the loss.
  struct Result {
    Value value;
    std::string name;
    llvm::StringRef kind;
  };
  llvm::SmallVector<Result> results;
  llvm::SmallVector<Value> outputValues;
  for (int64_t i = 0; i < graph->output_size(); ++i) {
    const std::string &name = graph->output(i).name();
    auto it = values.find(name);
    if (it == values.end())
      return mlir::emitError(fileLoc())
             << "graph output '" << name << "' is not computed by any node";
    OnnxValue &v = it->second;
    Value value;
    if (v.kind == OnnxValue::Kind::Tensor)
      value = v.value;
    else if (v.kind == OnnxValue::Kind::Constant)
      value = v.value ? v.value : materialize(*v.constant).value;
    else
      return mlir::emitError(fileLoc())
             << "graph output '" << name
             << "' is a shape computed at run time, which is not supported";
    if (i == lossIndex) {
      auto type = llvm::cast<RankedTensorType>(value.getType());
      if (type.getRank() != 0 || !llvm::isa<FloatType>(type.getElementType()))
        return mlir::emitError(fileLoc())
               << "the loss output '" << name << "' must be a float scalar, "
               << "but has type " << type;
      continue;
    }
    results.push_back({value, name, "output"});
    outputValues.push_back(value);
  }
  if (lossIndex >= 0) {
    const std::string &name = graph->output(lossIndex).name();
    results.push_back({values[name].value, name, "loss"});
  }

  // --loss: a loss on the first output, with a new target input.
  if (options.addLoss != OnnxLossKind::None) {
    Value out = outputValues.front();
    const OnnxValue &outValue = values[graph->output(0).name()];
    bool mse = options.addLoss == OnnxLossKind::Mse;
    std::string targetName = mse ? "target" : "label";
    if (values.count(targetName))
      return mlir::emitError(fileLoc())
             << "cannot add the loss: the model already has a value named '"
             << targetName << "'";
    auto outType = llvm::cast<RankedTensorType>(out.getType());
    ArgInfo target;
    target.name = targetName;
    target.kind = "input";
    if (mse) {
      target.type = outType.getElementType();
      target.shape = outValue.shape;
    } else {
      if (outType.getRank() != 2)
        return mlir::emitError(fileLoc())
               << "--loss=softmax_cross_entropy needs [N, C] logits, but "
               << "output '" << graph->output(0).name() << "' has type "
               << outType;
      target.type = builder.getI64Type();
      target.shape = {outValue.shape.front()};
    }
    for (const Dim &d : target.shape)
      target.dimNames.push_back(d.isStatic() ? "" : symbols[d.symbol].name);
    Value targetValue = entry->insertArgument(
        numInputs, tensorType(target.shape, target.type), fileLoc());
    args.insert(args.begin() + numInputs, target);
    Value loss;
    if (mse) {
      FailureOr<nn::MseOp> op = create<nn::MseOp>(out, targetValue);
      if (failed(op))
        return failure();
      loss = *op;
    } else {
      FailureOr<nn::SoftmaxCrossEntropyOp> op =
          create<nn::SoftmaxCrossEntropyOp>(out, targetValue);
      if (failed(op))
        return failure();
      loss = *op;
    }
    results.push_back({loss, "loss", "loss"});
  }

  // The return, the signature and the attributes.
  func::ReturnOp::create(
      builder, fileLoc(),
      llvm::map_to_vector(results, [](const Result &r) { return r.value; }));
  func.setFunctionType(builder.getFunctionType(
      entry->getArgumentTypes(),
      llvm::map_to_vector(results,
                          [](const Result &r) { return r.value.getType(); })));
  auto setArg = [&](unsigned i, llvm::StringRef attr, Attribute value) {
    func.setArgAttr(i, attr, value);
  };
  for (auto [i, arg] : llvm::enumerate(args)) {
    setArg(i, nn::NNDialect::kNameAttr, builder.getStringAttr(arg.name));
    setArg(i, nn::NNDialect::kKindAttr, builder.getStringAttr(arg.kind));
    if (arg.kind != "input") {
      bool ones = arg.kind == "buffer" &&
                  llvm::StringRef(arg.name).ends_with("running_var");
      setArg(i, nn::NNDialect::kInitAttr,
             builder.getStringAttr(ones ? "ones" : "zeros"));
    }
    if (llvm::any_of(arg.dimNames,
                     [](const std::string &n) { return !n.empty(); }))
      setArg(i, nn::NNDialect::kDimsAttr,
             builder.getStrArrayAttr(llvm::map_to_vector(
                 arg.dimNames, [](const std::string &n) -> llvm::StringRef {
                   return n;
                 })));
  }
  if (seed) {
    unsigned i = llvm::cast<BlockArgument>(seed).getArgNumber();
    setArg(i, nn::NNDialect::kNameAttr, builder.getStringAttr("seed"));
    setArg(i, nn::NNDialect::kKindAttr, builder.getStringAttr("seed"));
  }
  for (auto [i, r] : llvm::enumerate(results)) {
    func.setResultAttr(i, nn::NNDialect::kNameAttr,
                       builder.getStringAttr(r.name));
    func.setResultAttr(i, nn::NNDialect::kKindAttr,
                       builder.getStringAttr(r.kind));
  }

  // Ops that nothing reads (folded shape arithmetic, the pieces of fused
  // patterns) are dropped.
  for (Operation &op :
       llvm::make_early_inc_range(llvm::reverse(entry->getOperations())))
    if (isOpTriviallyDead(&op))
      op.erase();
  return success();
}

LogicalResult GraphImporter::convertNode(const onnx::NodeProto &node,
                                         int64_t index,
                                         const NodePlan &plan) {
  currentNode = &node;
  currentLoc = nodeLoc(node, index);
  if (plan.role == NodeRole::Normal) {
    ConvertFn convert = lookupConverter(node.op_type());
    assert(convert && "checked by checkSupported");
    return convert(*this, node);
  }
  // A fused pattern: its inputs are run-time tensors.
  llvm::SmallVector<TValue, 3> in;
  for (const std::string &name : plan.inputs) {
    auto it = values.find(name);
    if (it == values.end() || it->second.kind != OnnxValue::Kind::Tensor)
      return emitNodeError() << "'" << name << "', an input of the fused "
                             << (plan.role == NodeRole::Gelu ? "gelu"
                                                             : "layernorm")
                             << " pattern, is not a run-time tensor";
    in.push_back(TValue{it->second.value, it->second.shape});
  }
  if (plan.role == NodeRole::Gelu) {
    Value x = in[0].value;
    if (!llvm::isa<FloatType>(in[0].getType().getElementType()))
      return emitNodeError() << "gelu of a non-float tensor";
    Value gelu = nn::GeluOp::create(builder, currentLoc, x.getType(), x);
    setTensor(0, gelu, in[0].shape);
    return success();
  }
  FailureOr<nn::LayerNormOp> norm = create<nn::LayerNormOp>(
      in[0].value, in[1].value, in[2].value, builder.getF64FloatAttr(plan.eps));
  if (failed(norm))
    return failure();
  setTensor(0, *norm, resultShape(*norm, in[0].shape));
  return success();
}


OwningOpRef<ModuleOp>
GraphImporter::run(const onnx::ModelProto &model,
                   OnnxInitialValues *initialValues) {
  context.loadDialect<nn::NNDialect, func::FuncDialect, arith::ArithDialect,
                      tensor::TensorDialect>();
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(fileLoc(), moduleName(model.graph(), fileName));
  OnnxInitialValues values;
  if (failed(importGraph(model, *module, &values)))
    return nullptr;
  if (failed(mlir::verify(*module)))
    return nullptr;
  if (initialValues)
    *initialValues = std::move(values);
  return module;
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

std::optional<OnnxLossKind> adjoint::parseOnnxLossKind(llvm::StringRef text) {
  if (text == "none")
    return OnnxLossKind::None;
  if (text == "mse")
    return OnnxLossKind::Mse;
  if (text == "softmax_cross_entropy")
    return OnnxLossKind::SoftmaxCrossEntropy;
  return std::nullopt;
}

bool adjoint::isOnnxFile(llvm::StringRef path) {
  return llvm::sys::path::extension(path).equals_insensitive(".onnx");
}

OwningOpRef<ModuleOp>
adjoint::importOnnxBuffer(llvm::StringRef bytes, llvm::StringRef fileName,
                          MLIRContext &context,
                          const OnnxImportOptions &options,
                          OnnxInitialValues *initialValues) {
  llvm::Expected<std::unique_ptr<onnx::ModelProto>> model =
      parseModel(bytes, fileName);
  if (!model) {
    mlir::emitError(FileLineColLoc::get(&context, fileName, 0, 0))
        << llvm::toString(model.takeError());
    return nullptr;
  }
  GraphImporter importer(context, fileName, options);
  return importer.run(**model, initialValues);
}

OwningOpRef<ModuleOp>
adjoint::importOnnxFile(llvm::StringRef path, MLIRContext &context,
                        const OnnxImportOptions &options,
                        OnnxInitialValues *initialValues) {
  // A pipe or a device may be endless (/dev/zero): only files are read.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      status.type() != llvm::sys::fs::file_type::regular_file &&
      status.type() != llvm::sys::fs::file_type::directory_file) {
    mlir::emitError(FileLineColLoc::get(&context, path, 0, 0))
        << "cannot read '" << path
        << "': not a regular file (a pipe or a device)";
    return nullptr;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    mlir::emitError(FileLineColLoc::get(&context, path, 0, 0))
        << "cannot read '" << path << "': " << buffer.getError().message();
    return nullptr;
  }
  return importOnnxBuffer((*buffer)->getBuffer(), path, context, options,
                          initialValues);
}
