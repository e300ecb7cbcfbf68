//===- ConvertShape.cpp - Shape, layout and constant ONNX ops -------------===//
//
// Constants, the shape arithmetic that exports carry (Shape, Gather,
// Unsqueeze, Concat, ... on dims, folded or computed on `index` values), and
// the layout ops on run-time tensors (Reshape, Flatten, Squeeze, Unsqueeze,
// Transpose, Slice, Concat, Pad, Expand), which become nn.reshape,
// nn.transpose, nn.slice, nn.concat, nn.pad and nn.broadcast.
//
//===----------------------------------------------------------------------===//

#include "Converters.h"

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include <climits>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::onnximport;

static Shape staticShape(llvm::ArrayRef<int64_t> sizes) {
  Shape shape;
  for (int64_t s : sizes)
    shape.push_back(Dim::fixed(s));
  return shape;
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

LogicalResult adjoint::onnximport::convertConstant(GraphImporter &importer,
                                                   const onnx::NodeProto &) {
  if (const onnx::AttributeProto *attr = importer.findAttr("value")) {
    llvm::Expected<HostTensor> tensor =
        tensorFromProto(attr->t(), /*fileName=*/"");
    if (!tensor)
      return importer.emitNodeError() << llvm::toString(tensor.takeError());
    importer.setConstant(0, std::move(*tensor));
    return success();
  }
  if (const onnx::AttributeProto *attr = importer.findAttr("value_float")) {
    importer.setConstant(0, HostTensor::fromValues<float>({}, {attr->f()}));
    return success();
  }
  if (const onnx::AttributeProto *attr = importer.findAttr("value_int")) {
    importer.setConstant(0, HostTensor::fromValues<int64_t>({}, {attr->i()}));
    return success();
  }
  if (const onnx::AttributeProto *attr = importer.findAttr("value_floats")) {
    llvm::SmallVector<float> v(attr->floats().begin(), attr->floats().end());
    importer.setConstant(0, HostTensor::fromValues<float>(
                                {static_cast<int64_t>(v.size())}, v));
    return success();
  }
  if (const onnx::AttributeProto *attr = importer.findAttr("value_ints")) {
    llvm::SmallVector<int64_t> v(attr->ints().begin(), attr->ints().end());
    importer.setConstant(0, HostTensor::fromValues<int64_t>(
                                {static_cast<int64_t>(v.size())}, v));
    return success();
  }
  return importer.emitNodeError() << "has no value attribute";
}

/// A tensor of a given shape filled with one value: folded when the shape is
/// static, else an nn.broadcast of a 0-d nn.constant.
LogicalResult
adjoint::onnximport::convertConstantOfShape(GraphImporter &importer,
                                            const onnx::NodeProto &) {
  FailureOr<llvm::SmallVector<Dim, 4>> dims = importer.getDimsInput(0, "shape");
  if (failed(dims))
    return failure();
  HostTensor value = HostTensor::fromValues<float>({}, {0.0f});
  if (const onnx::AttributeProto *attr = importer.findAttr("value")) {
    llvm::Expected<HostTensor> t = tensorFromProto(attr->t(), "");
    if (!t)
      return importer.emitNodeError() << llvm::toString(t.takeError());
    if (t->getNumElements() != 1)
      return importer.emitNodeError() << "the value must have one element";
    value = std::move(*t);
  }
  for (const Dim &d : *dims)
    if (d.isStatic() && d.size < 0)
      return importer.emitNodeError() << "negative dim " << d.size;
  if (llvm::all_of(*dims, [](const Dim &d) { return d.isStatic(); })) {
    llvm::SmallVector<int64_t> shape = staticSizes(*dims);
    if (!getNumElements(shape) || *getNumElements(shape) > (int64_t(1) << 28))
      return importer.emitNodeError() << "the shape " << formatShape(shape)
                                      << " is too large for a constant";
    importer.setConstant(0, foldFill(value, shape));
    return success();
  }
  TValue scalar = importer.materialize(foldReshape(value, {}));
  RankedTensorType type =
      importer.tensorType(*dims, scalar.getType().getElementType());
  llvm::SmallVector<Value> sizes;
  for (const Dim &d : *dims)
    if (!d.isStatic())
      sizes.push_back(importer.materializeDim(d));
  Value result = nn::BroadcastOp::create(importer.getBuilder(),
                                         importer.getLoc(), type, scalar.value,
                                         sizes);
  importer.setTensor(0, result, Shape(dims->begin(), dims->end()));
  return success();
}

//===----------------------------------------------------------------------===//
// Shape arithmetic
//===----------------------------------------------------------------------===//

/// The dims of any input: a run-time tensor's symbolic shape or a constant's.
static FailureOr<Shape> shapeOf(GraphImporter &importer, unsigned index) {
  const OnnxValue *value = importer.getInput(index);
  if (!value)
    return importer.emitNodeError() << "input " << index << " is not defined";
  switch (value->kind) {
  case OnnxValue::Kind::Tensor:
    return value->shape;
  case OnnxValue::Kind::Constant:
    return staticShape(value->constant->getShape());
  case OnnxValue::Kind::ShapeVector:
    if (value->scalar)
      return Shape();
    return Shape{Dim::fixed(static_cast<int64_t>(value->elements.size()))};
  }
  llvm_unreachable("kinds");
}

LogicalResult adjoint::onnximport::convertShape(GraphImporter &importer,
                                                const onnx::NodeProto &) {
  FailureOr<Shape> shape = shapeOf(importer, 0);
  if (failed(shape))
    return failure();
  int64_t rank = static_cast<int64_t>(shape->size());
  int64_t start = importer.getIntAttr("start", 0);
  int64_t end = importer.getIntAttr("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  llvm::SmallVector<Dim, 4> elements;
  for (int64_t i = start; i < end; ++i)
    elements.push_back((*shape)[i]);
  importer.setShapeVector(0, elements, /*scalar=*/false);
  return success();
}

/// Whether an input is integer data known at compile time (a constant
/// integer tensor of rank <= 1 or a shape vector).
static bool isDimsValue(const OnnxValue *value) {
  if (!value)
    return false;
  if (value->kind == OnnxValue::Kind::ShapeVector)
    return true;
  if (value->kind != OnnxValue::Kind::Constant)
    return false;
  DType dtype = value->constant->getDType();
  return (dtype == DType::I64 || dtype == DType::I32) &&
         value->constant->getRank() <= 1;
}

static bool isScalarValue(const OnnxValue *value) {
  return value->kind == OnnxValue::Kind::ShapeVector
             ? value->scalar
             : value->constant->getRank() == 0;
}

/// Gather: folded on constants and shape vectors; an nn.embedding lookup of a
/// table by run-time ids; a slice for constant indices into a run-time
/// tensor.
LogicalResult adjoint::onnximport::convertGather(GraphImporter &importer,
                                                 const onnx::NodeProto &) {
  const OnnxValue *data = importer.getInput(0);
  const OnnxValue *indices = importer.getInput(1);
  if (!data || !indices)
    return importer.emitNodeError() << "needs two defined inputs";
  int64_t axis = importer.getIntAttr("axis", 0);

  // Elements of a shape vector.
  if (isDimsValue(data) && indices->kind == OnnxValue::Kind::Constant &&
      data->kind == OnnxValue::Kind::ShapeVector) {
    const HostTensor &idx = *indices->constant;
    if (idx.getRank() > 1)
      return importer.emitNodeError() << "indices of rank > 1 into a shape";
    llvm::SmallVector<Dim, 4> elements;
    int64_t size = static_cast<int64_t>(data->elements.size());
    for (int64_t k = 0; k < idx.getNumElements(); ++k) {
      int64_t i = static_cast<int64_t>(idx.getElementAsDouble(k));
      if (i < -size || i >= size)
        return importer.emitNodeError()
               << "index " << i << " is out of range for a shape of "
               << size << " dims";
      elements.push_back(data->elements[i < 0 ? i + size : i]);
    }
    importer.setShapeVector(0, elements, idx.getRank() == 0);
    return success();
  }
  if (data->kind == OnnxValue::Kind::Constant &&
      indices->kind == OnnxValue::Kind::Constant) {
    FailureOr<int64_t> a = normalizeAxis(importer, axis,
                                         data->constant->getRank(), "axis");
    if (failed(a))
      return failure();
    llvm::Expected<HostTensor> folded =
        foldGather(*data->constant, *indices->constant, *a);
    if (!folded)
      return importer.emitNodeError() << llvm::toString(folded.takeError());
    importer.setConstant(0, std::move(*folded));
    return success();
  }

  FailureOr<TValue> table = importer.getTensorInput(0);
  if (failed(table))
    return failure();
  FailureOr<int64_t> a = normalizeAxis(importer, axis, table->getRank(), "axis");
  if (failed(a) || failed(requireFloat(importer, *table, "the data")))
    return failure();

  // Constant indices into a run-time tensor: a scalar index or a contiguous
  // range is a slice.
  if (const HostTensor *idx = importer.getConstantInput(1)) {
    const Dim &dim = table->shape[*a];
    llvm::SmallVector<int64_t> ids;
    for (int64_t k = 0; k < idx->getNumElements(); ++k) {
      int64_t i = static_cast<int64_t>(idx->getElementAsDouble(k));
      if (i < 0 && dim.isStatic())
        i += dim.size;
      if (i < 0 || (dim.isStatic() && i >= dim.size))
        return importer.emitNodeError() << "index out of range";
      ids.push_back(i);
    }
    bool contiguous = !ids.empty() && idx->getRank() <= 1;
    for (size_t k = 1; k < ids.size(); ++k)
      contiguous &= ids[k] == ids[k - 1] + 1;
    if (!contiguous)
      return importer.emitNodeError()
             << "only a scalar index or a range of consecutive indices into "
                "a run-time tensor is supported";
    Shape sliced = table->shape;
    sliced[*a] = Dim::fixed(static_cast<int64_t>(ids.size()));
    RankedTensorType type =
        importer.tensorType(sliced, table->getType().getElementType());
    OpBuilder &b = importer.getBuilder();
    Value slice = nn::SliceOp::create(b, importer.getLoc(), type, table->value,
                                      b.getI64IntegerAttr(*a),
                                      b.getI64IntegerAttr(ids.front()));
    TValue result{slice, sliced};
    if (idx->getRank() == 0) {
      Shape squeezed = sliced;
      squeezed.erase(squeezed.begin() + *a);
      result = importer.reshape(result, squeezed);
    }
    importer.setTensor(0, result);
    return success();
  }

  // A table lookup.
  FailureOr<TValue> ids = importer.getTensorInput(1);
  if (failed(ids))
    return failure();
  if (*a != 0 || table->getRank() != 2 ||
      !llvm::isa<IntegerType>(ids->getType().getElementType()))
    return importer.emitNodeError()
           << "only a lookup of integer ids in a [NUM, DIM] table along "
              "axis 0 (an embedding) is supported";
  FailureOr<nn::EmbeddingOp> op =
      importer.create<nn::EmbeddingOp>(ids->value, table->value);
  if (failed(op))
    return failure();
  Shape hint = ids->shape;
  hint.push_back(table->shape[1]);
  importer.setTensor(0, *op, importer.resultShape(*op, hint));
  return success();
}

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

/// Binds output 0 to `input` reshaped to `shape` (dims with symbols).
static LogicalResult reshapeTo(GraphImporter &importer, llvm::ArrayRef<Dim> shape,
                               bool fromVector = false) {
  const OnnxValue *value = importer.getInput(0);
  if (value->kind == OnnxValue::Kind::Constant) {
    if (!llvm::all_of(shape, [](const Dim &d) { return d.isStatic(); }))
      return importer.emitNodeError()
             << "a constant reshaped to run-time dims is not supported";
    importer.setConstant(0, foldReshape(*value->constant, staticSizes(shape)));
    return success();
  }
  if (value->kind == OnnxValue::Kind::ShapeVector) {
    // Only between a scalar and a one-element vector.
    if (value->elements.size() != 1 || shape.size() > 1)
      return importer.emitNodeError() << "cannot reshape a shape vector of "
                                      << value->elements.size()
                                      << " dims to rank " << shape.size();
    importer.setShapeVector(0, value->elements, shape.empty());
    return success();
  }
  (void)fromVector;
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x))
    return failure();
  importer.setTensor(0, importer.reshape(*x, shape));
  return success();
}

LogicalResult adjoint::onnximport::convertReshape(GraphImporter &importer,
                                                  const onnx::NodeProto &) {
  FailureOr<Shape> input = shapeOf(importer, 0);
  FailureOr<llvm::SmallVector<Dim, 4>> target =
      importer.getDimsInput(1, "shape");
  if (failed(input) || failed(target))
    return failure();
  FailureOr<Shape> shape = importer.resolveReshape(
      *input, *target, importer.getIntAttr("allowzero", 0) != 0);
  if (failed(shape))
    return failure();
  return reshapeTo(importer, *shape);
}

LogicalResult adjoint::onnximport::convertFlatten(GraphImporter &importer,
                                                  const onnx::NodeProto &) {
  FailureOr<Shape> input = shapeOf(importer, 0);
  if (failed(input))
    return failure();
  int64_t rank = static_cast<int64_t>(input->size());
  int64_t axis = importer.getIntAttr("axis", 1);
  if (axis < -rank || axis > rank)
    return importer.emitNodeError() << "axis " << axis
                                    << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  llvm::ArrayRef<Dim> dims = *input;
  Shape shape = {importer.multiplyDims(dims.take_front(axis)),
                 importer.multiplyDims(dims.drop_front(axis))};
  return reshapeTo(importer, shape);
}

/// The `axes` of Squeeze/Unsqueeze: an input from opset 13 on.
static FailureOr<llvm::SmallVector<int64_t>> getAxes(GraphImporter &importer) {
  if (importer.hasInput(1))
    return importer.getIntsInput(1, "axes");
  if (std::optional<llvm::SmallVector<int64_t>> attr =
          importer.getIntsAttr("axes"))
    return *attr;
  return llvm::SmallVector<int64_t>();
}

LogicalResult adjoint::onnximport::convertSqueeze(GraphImporter &importer,
                                                  const onnx::NodeProto &) {
  FailureOr<Shape> input = shapeOf(importer, 0);
  FailureOr<llvm::SmallVector<int64_t>> axes = getAxes(importer);
  if (failed(input) || failed(axes))
    return failure();
  int64_t rank = static_cast<int64_t>(input->size());
  llvm::SmallVector<bool> drop(rank, false);
  if (axes->empty()) {
    for (int64_t i = 0; i < rank; ++i)
      drop[i] = (*input)[i].isStatic() && (*input)[i].size == 1;
  }
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(importer, axis, rank, "axis");
    if (failed(a))
      return failure();
    const Dim &d = (*input)[*a];
    if (d.isStatic() && d.size != 1)
      return importer.emitNodeError()
             << "cannot squeeze dim " << *a << " of size " << d.size;
    drop[*a] = true;
  }
  Shape shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop[i])
      shape.push_back((*input)[i]);
  return reshapeTo(importer, shape);
}

LogicalResult adjoint::onnximport::convertUnsqueeze(GraphImporter &importer,
                                                    const onnx::NodeProto &) {
  FailureOr<Shape> input = shapeOf(importer, 0);
  FailureOr<llvm::SmallVector<int64_t>> axes = getAxes(importer);
  if (failed(input) || failed(axes))
    return failure();
  int64_t rank = static_cast<int64_t>(input->size() + axes->size());
  llvm::SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(importer, axis, rank, "axis");
    if (failed(a))
      return failure();
    if (inserted[*a])
      return importer.emitNodeError() << "axis " << axis << " is repeated";
    inserted[*a] = true;
  }
  Shape shape;
  size_t next = 0;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? Dim::fixed(1) : (*input)[next++]);
  return reshapeTo(importer, shape);
}

LogicalResult adjoint::onnximport::convertExpand(GraphImporter &importer,
                                                 const onnx::NodeProto &) {
  FailureOr<llvm::SmallVector<Dim, 4>> target =
      importer.getDimsInput(1, "shape");
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(target) || failed(x))
    return failure();
  FailureOr<Shape> shape = importer.broadcast(x->shape, *target);
  if (failed(shape))
    return failure();
  if (*shape == x->shape) {
    importer.setTensor(0, *x);
    return success();
  }
  RankedTensorType type =
      importer.tensorType(*shape, x->getType().getElementType());
  llvm::SmallVector<Value> sizes;
  for (const Dim &d : *shape)
    if (!d.isStatic())
      sizes.push_back(importer.materializeDim(d));
  Value result = nn::BroadcastOp::create(importer.getBuilder(),
                                         importer.getLoc(), type, x->value,
                                         sizes);
  importer.setTensor(0, result, *shape);
  return success();
}

//===----------------------------------------------------------------------===//
// Concat, Slice, Transpose, Pad
//===----------------------------------------------------------------------===//

LogicalResult adjoint::onnximport::convertConcat(GraphImporter &importer,
                                                 const onnx::NodeProto &node) {
  int64_t axis = importer.getIntAttr("axis", 0);
  unsigned n = node.input_size();
  bool allDims = true, allConstant = true;
  for (unsigned i = 0; i < n; ++i) {
    const OnnxValue *v = importer.getInput(i);
    if (!v)
      return importer.emitNodeError() << "input " << i << " is not defined";
    allDims &= isDimsValue(v) && !isScalarValue(v);
    allConstant &= v->kind == OnnxValue::Kind::Constant;
  }
  if (allDims && !allConstant) {
    llvm::SmallVector<Dim, 4> elements;
    for (unsigned i = 0; i < n; ++i) {
      FailureOr<llvm::SmallVector<Dim, 4>> dims =
          importer.getDimsInput(i, "concatenated");
      if (failed(dims))
        return failure();
      llvm::append_range(elements, *dims);
    }
    importer.setShapeVector(0, elements, /*scalar=*/false);
    return success();
  }
  if (allConstant) {
    llvm::SmallVector<const HostTensor *> inputs;
    for (unsigned i = 0; i < n; ++i)
      inputs.push_back(importer.getConstantInput(i));
    int64_t rank = inputs.front()->getRank();
    FailureOr<int64_t> a = normalizeAxis(importer, axis, rank, "axis");
    if (failed(a))
      return failure();
    for (const HostTensor *t : inputs) {
      bool same = t->getRank() == rank &&
                  t->getDType() == inputs.front()->getDType();
      for (int64_t d = 0; same && d < rank; ++d)
        same = d == *a || t->getShape()[d] == inputs.front()->getShape()[d];
      if (!same)
        return importer.emitNodeError()
               << "cannot concatenate constants of shapes "
               << formatShape(inputs.front()->getShape()) << " and "
               << formatShape(t->getShape());
    }
    importer.setConstant(0, foldConcat(inputs, *a));
    return success();
  }
  llvm::SmallVector<TValue> inputs;
  for (unsigned i = 0; i < n; ++i) {
    FailureOr<TValue> v = importer.getTensorInput(i);
    if (failed(v) || failed(requireFloat(importer, *v, "a concatenated input")))
      return failure();
    // Empty pieces (a dim of static size 0) contribute nothing.
    if (llvm::any_of(v->shape,
                     [](const Dim &d) { return d.isStatic() && d.size == 0; }))
      continue;
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return importer.emitNodeError() << "all inputs are empty";
  FailureOr<int64_t> a =
      normalizeAxis(importer, axis, inputs.front().getRank(), "axis");
  if (failed(a))
    return failure();
  if (inputs.size() == 1) {
    importer.setTensor(0, inputs.front());
    return success();
  }
  llvm::SmallVector<Value> operands =
      llvm::map_to_vector(inputs, [](const TValue &v) { return v.value; });
  OpBuilder &b = importer.getBuilder();
  FailureOr<nn::ConcatOp> op =
      importer.create<nn::ConcatOp>(ValueRange(operands),
                                    b.getI64IntegerAttr(*a));
  if (failed(op))
    return failure();
  Shape hint = inputs.front().shape;
  hint[*a] = Dim();
  importer.setTensor(0, *op, importer.resultShape(*op, hint));
  return success();
}

/// Clamps a Slice bound as ONNX does for a dim of static `size`.
static int64_t clampBound(int64_t bound, int64_t size, int64_t step,
                          bool isStart) {
  if (bound < 0)
    bound += size;
  if (step > 0)
    return std::clamp<int64_t>(bound, 0, size);
  return std::clamp<int64_t>(bound, isStart ? 0 : -1, size - 1);
}

LogicalResult adjoint::onnximport::convertSlice(GraphImporter &importer,
                                                const onnx::NodeProto &) {
  FailureOr<Shape> input = shapeOf(importer, 0);
  FailureOr<llvm::SmallVector<int64_t>> starts =
      importer.getIntsInput(1, "starts");
  FailureOr<llvm::SmallVector<int64_t>> ends = importer.getIntsInput(2, "ends");
  if (failed(input) || failed(starts) || failed(ends))
    return failure();
  int64_t rank = static_cast<int64_t>(input->size());
  llvm::SmallVector<int64_t> axes, steps(starts->size(), 1);
  if (importer.hasInput(3)) {
    FailureOr<llvm::SmallVector<int64_t>> a = importer.getIntsInput(3, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  } else {
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(static_cast<int64_t>(i));
  }
  if (importer.hasInput(4)) {
    FailureOr<llvm::SmallVector<int64_t>> s = importer.getIntsInput(4, "steps");
    if (failed(s))
      return failure();
    steps = *s;
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return importer.emitNodeError()
           << "starts, ends, axes and steps differ in length";
  const OnnxValue *value = importer.getInput(0);
  bool folded = value->kind != OnnxValue::Kind::Tensor;

  // Normalized bounds per axis; a symbolic dim may only be taken whole.
  llvm::SmallVector<int64_t> normAxes, normStarts, normEnds, normSteps;
  Shape shape = *input;
  for (size_t i = 0; i < axes.size(); ++i) {
    FailureOr<int64_t> a = normalizeAxis(importer, axes[i], rank, "axis");
    if (failed(a))
      return failure();
    if (steps[i] == 0)
      return importer.emitNodeError() << "step 0";
    const Dim &dim = (*input)[*a];
    if (!dim.isStatic()) {
      if ((*starts)[i] == 0 && (*ends)[i] >= INT_MAX && steps[i] == 1)
        continue;
      return importer.emitNodeError()
             << "slicing dim " << *a << " of run-time size is not supported";
    }
    if (!folded && steps[i] != 1)
      return importer.emitNodeError()
             << "only step 1 is supported on run-time tensors";
    int64_t start = clampBound((*starts)[i], dim.size, steps[i], true);
    int64_t end = clampBound((*ends)[i], dim.size, steps[i], false);
    normAxes.push_back(*a);
    normStarts.push_back(start);
    normEnds.push_back(end);
    normSteps.push_back(steps[i]);
    int64_t span = steps[i] > 0 ? end - start : start - end;
    int64_t stride = std::abs(steps[i]);
    shape[*a] = Dim::fixed(span <= 0 ? 0 : (span + stride - 1) / stride);
  }

  if (value->kind == OnnxValue::Kind::Constant) {
    importer.setConstant(0, foldSlice(*value->constant, normAxes, normStarts,
                                      normEnds, normSteps));
    return success();
  }
  if (value->kind == OnnxValue::Kind::ShapeVector) {
    llvm::SmallVector<Dim, 4> elements;
    if (value->scalar || normAxes.size() > 1)
      return importer.emitNodeError() << "cannot slice a scalar";
    if (normAxes.empty()) {
      importer.alias(0, 0);
      return success();
    }
    for (int64_t i = normStarts[0];
         normSteps[0] > 0 ? i < normEnds[0] : i > normEnds[0];
         i += normSteps[0])
      elements.push_back(value->elements[i]);
    importer.setShapeVector(0, elements, /*scalar=*/false);
    return success();
  }
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x) || failed(requireFloat(importer, *x, "the data")))
    return failure();
  TValue current = *x;
  OpBuilder &b = importer.getBuilder();
  for (size_t i = 0; i < normAxes.size(); ++i) {
    int64_t a = normAxes[i];
    if (current.shape[a] == shape[a])
      continue;
    Shape next = current.shape;
    next[a] = shape[a];
    RankedTensorType type =
        importer.tensorType(next, current.getType().getElementType());
    Value slice = nn::SliceOp::create(b, importer.getLoc(), type,
                                      current.value, b.getI64IntegerAttr(a),
                                      b.getI64IntegerAttr(normStarts[i]));
    current = TValue{slice, next};
  }
  importer.setTensor(0, current);
  return success();
}

LogicalResult adjoint::onnximport::convertTranspose(GraphImporter &importer,
                                                    const onnx::NodeProto &) {
  FailureOr<Shape> input = shapeOf(importer, 0);
  if (failed(input))
    return failure();
  int64_t rank = static_cast<int64_t>(input->size());
  llvm::SmallVector<int64_t> perm;
  if (std::optional<llvm::SmallVector<int64_t>> attr =
          importer.getIntsAttr("perm"))
    perm = *attr;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  llvm::SmallVector<bool> seen(rank, false);
  if (static_cast<int64_t>(perm.size()) != rank)
    return importer.emitNodeError() << "perm has " << perm.size()
                                    << " entries for rank " << rank;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return importer.emitNodeError() << "perm is not a permutation";
    seen[p] = true;
  }
  if (const HostTensor *c = importer.getConstantInput(0)) {
    importer.setConstant(0, foldTranspose(*c, perm));
    return success();
  }
  FailureOr<TValue> x = importer.getTensorInput(0);
  if (failed(x))
    return failure();
  OpBuilder &b = importer.getBuilder();
  FailureOr<nn::TransposeOp> op = importer.create<nn::TransposeOp>(
      x->value, b.getDenseI64ArrayAttr(perm));
  if (failed(op))
    return failure();
  Shape hint;
  for (int64_t p : perm)
    hint.push_back(x->shape[p]);
  importer.setTensor(0, *op, importer.resultShape(*op, hint));
  return success();
}

/// Zero padding (the exporter puts it before pooling); a zero pad is the
/// identity.
LogicalResult adjoint::onnximport::convertPad(GraphImporter &importer,
                                              const onnx::NodeProto &) {
  FailureOr<TValue> x = importer.getTensorInput(0);
  FailureOr<llvm::SmallVector<int64_t>> pads = importer.getIntsInput(1, "pads");
  if (failed(x) || failed(pads))
    return failure();
  if (importer.hasInput(2)) {
    const HostTensor *value = importer.getConstantInput(2);
    if (!value || value->getNumElements() != 1 ||
        value->getElementAsDouble(0) != 0.0)
      return importer.emitNodeError()
             << "only padding with a constant zero is supported";
  }
  if (importer.hasInput(3))
    return importer.emitNodeError() << "the axes input is not supported";
  int64_t rank = x->getRank();
  if (static_cast<int64_t>(pads->size()) != 2 * rank)
    return importer.emitNodeError() << "has " << pads->size()
                                    << " pads for rank " << rank;
  llvm::SmallVector<int64_t> low(pads->begin(), pads->begin() + rank);
  llvm::SmallVector<int64_t> high(pads->begin() + rank, pads->end());
  if (llvm::any_of(*pads, [](int64_t p) { return p < 0; }))
    return importer.emitNodeError() << "negative pads are not supported";
  if (llvm::all_of(*pads, [](int64_t p) { return p == 0; })) {
    importer.setTensor(0, *x);
    return success();
  }
  if (failed(requireFloat(importer, *x, "the data")))
    return failure();
  OpBuilder &b = importer.getBuilder();
  FailureOr<nn::PadOp> op = importer.create<nn::PadOp>(
      x->value, b.getDenseI64ArrayAttr(low), b.getDenseI64ArrayAttr(high));
  if (failed(op))
    return failure();
  importer.setTensor(0, *op, importer.resultShape(*op, x->shape));
  return success();
}
