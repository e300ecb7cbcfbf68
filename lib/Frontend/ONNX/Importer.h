//===- Importer.h - State of one ONNX graph import ---------------*- C++ -*-===//
//
// Internal to the ONNX frontend. GraphImporter walks the nodes of an ONNX
// graph in order and builds the nn IR of `@forward`. Every ONNX value name is
// bound to an OnnxValue: a run-time tensor (an SSA value with a symbolic
// shape), a compile-time constant (folded, materialized as nn.constant only
// where a run-time op reads it), or a shape vector (a 0-d or 1-d integer
// tensor whose elements are dims, some of them symbolic: what `Shape` and the
// shape arithmetic after it compute).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_FRONTEND_ONNX_IMPORTER_H
#define ADJOINT_LIB_FRONTEND_ONNX_IMPORTER_H

#include "adjoint/Frontend/ONNX/OnnxImporter.h"
#include "adjoint/Runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <memory>
#include <string>
#include <vector>

namespace adjoint::onnximport {

//===----------------------------------------------------------------------===//
// Symbolic shapes
//===----------------------------------------------------------------------===//

/// One dim of a shape: a static size, or a symbol (a run-time size that the
/// importer can name and materialize as an `index` value).
struct Dim {
  int64_t size = mlir::ShapedType::kDynamic;
  int symbol = -1;

  static Dim fixed(int64_t size) { return Dim{size, -1}; }
  static Dim sym(int symbol) { return Dim{mlir::ShapedType::kDynamic, symbol}; }
  bool isStatic() const { return size != mlir::ShapedType::kDynamic; }
  bool operator==(const Dim &other) const {
    return isStatic() ? other.isStatic() && size == other.size
                      : !other.isStatic() && symbol == other.symbol;
  }
  bool operator!=(const Dim &other) const { return !(*this == other); }
};
using Shape = llvm::SmallVector<Dim, 4>;

/// The static sizes of a shape, with kDynamic for symbols.
llvm::SmallVector<int64_t> staticSizes(llvm::ArrayRef<Dim> shape);

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

struct OnnxValue {
  enum class Kind { Tensor, Constant, ShapeVector };
  Kind kind = Kind::Tensor;
  /// Tensor: the SSA value. Constant: its nn.constant once materialized.
  mlir::Value value;
  /// Tensor: its dims (same rank as its type).
  Shape shape;
  /// Constant: its contents (bool constants are held as i64).
  std::shared_ptr<HostTensor> constant;
  /// ShapeVector: the elements, and whether the tensor is 0-d.
  llvm::SmallVector<Dim, 4> elements;
  bool scalar = false;
};

/// A run-time tensor operand: an SSA value and its dims.
struct TValue {
  mlir::Value value;
  Shape shape;
  mlir::RankedTensorType getType() const {
    return llvm::cast<mlir::RankedTensorType>(value.getType());
  }
  int64_t getRank() const { return static_cast<int64_t>(shape.size()); }
};

/// What the pre-pass decided about a node: converted on its own, skipped (a
/// piece of a fused pattern), or the last node of a pattern, which becomes
/// one nn op (nn.gelu of x; nn.layernorm of x, weight, bias).
enum class NodeRole { Normal, Skip, Gelu, LayerNorm };
struct NodePlan {
  NodeRole role = NodeRole::Normal;
  /// The ONNX values the fused op reads.
  llvm::SmallVector<std::string, 3> inputs;
  /// LayerNorm: the epsilon.
  double eps = 0;
};

class GraphImporter;
using ConvertFn = mlir::LogicalResult (*)(GraphImporter &,
                                          const onnx::NodeProto &);

/// The converter of an op type in the default domain, or null.
ConvertFn lookupConverter(llvm::StringRef opType);

/// Why a node that has a converter still cannot be imported (an attribute
/// value outside what the nn ops express), or the empty string.
std::string checkNodeSupport(const onnx::NodeProto &node, int64_t opset);

/// Whether gradients flow into input `index` of a node of `opType` (false
/// for shapes, indices, exponents, running statistics, ...).
bool isDifferentiableInput(llvm::StringRef opType, unsigned index);

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, llvm::StringRef fileName,
                const OnnxImportOptions &options);

  /// Imports `model` into a new module; null after reporting errors.
  mlir::OwningOpRef<mlir::ModuleOp> run(const onnx::ModelProto &model,
                                        OnnxInitialValues *initialValues);

  // --- State the converters use -------------------------------------------
  mlir::MLIRContext &getContext() { return context; }
  mlir::OpBuilder &getBuilder() { return builder; }
  mlir::Location getLoc() const { return currentLoc; }
  int64_t getOpset() const { return opset; }
  const OnnxImportOptions &getOptions() const { return options; }
  mlir::Type getFloatType() const { return floatType; }

  /// An error at the current node, prefixed with its op type and name.
  mlir::InFlightDiagnostic emitNodeError();

  /// The current node's attributes.
  const onnx::AttributeProto *findAttr(llvm::StringRef name) const;
  int64_t getIntAttr(llvm::StringRef name, int64_t defaultValue) const;
  /// A float attribute as the shortest decimal that rounds to it (ONNX
  /// stores f32: epsilon 1e-5 reads as 1e-5, not 9.99999974e-06).
  double getFloatAttr(llvm::StringRef name, double defaultValue) const;
  std::string getStringAttr(llvm::StringRef name,
                            llvm::StringRef defaultValue) const;
  std::optional<llvm::SmallVector<int64_t>>
  getIntsAttr(llvm::StringRef name) const;

  /// Input `index` of the current node: whether it is given (inputs may be
  /// omitted at the end or left empty), and its bound value.
  bool hasInput(unsigned index) const;
  const OnnxValue *getInput(unsigned index);
  /// Input `index` as a run-time tensor; constants are materialized as
  /// nn.constant. Fails with an error for missing inputs and shape vectors
  /// with symbolic elements.
  mlir::FailureOr<TValue> getTensorInput(unsigned index);
  /// Input `index` as a compile-time constant, or null.
  const HostTensor *getConstantInput(unsigned index);
  /// Input `index` as integer dims (a 0-d or 1-d integer constant or shape
  /// vector), or failure with an error naming `what`.
  mlir::FailureOr<llvm::SmallVector<Dim, 4>>
  getDimsInput(unsigned index, llvm::StringRef what);
  /// Input `index` as static integers, or failure with an error.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  getIntsInput(unsigned index, llvm::StringRef what);
  /// Whether the current node's output `index` is read by any node or graph
  /// output.
  bool isOutputUsed(unsigned index) const;

  /// Binds output `index` of the current node.
  void setTensor(unsigned index, mlir::Value value, Shape shape);
  void setTensor(unsigned index, const TValue &value) {
    setTensor(index, value.value, value.shape);
  }
  void setConstant(unsigned index, HostTensor tensor);
  void setShapeVector(unsigned index, llvm::SmallVector<Dim, 4> elements,
                      bool scalar);
  void alias(unsigned outputIndex, unsigned inputIndex);

  // --- IR helpers -----------------------------------------------------------
  /// A run-time tensor for a constant (an nn.constant).
  TValue materialize(const HostTensor &tensor);
  /// A 0-d float constant of the model's float type.
  TValue scalarConstant(double value);
  /// The `index` value of a dim (arith.constant or tensor.dim / arithmetic).
  mlir::Value materializeDim(const Dim &dim);
  /// A new symbol whose size is the run-time `index` value `size`.
  Dim newSymbol(mlir::Value size);
  /// The dims of a new result: static where `type` is static; where it is
  /// dynamic, the symbol of `hint` when given and symbolic there, else a new
  /// symbol read from `result` itself.
  Shape resultShape(mlir::Value result, llvm::ArrayRef<Dim> hint = {});
  /// The ranked tensor type of a shape.
  mlir::RankedTensorType tensorType(llvm::ArrayRef<Dim> shape,
                                    mlir::Type elementType);
  /// nn.reshape of `input` to `shape` (index operands for symbolic dims,
  /// none when one dynamic dim can be inferred from the element count).
  TValue reshape(const TValue &input, llvm::ArrayRef<Dim> shape);
  /// Product of dims: static when all are, the dim itself when it is the
  /// only non-1 one, else a new symbol computed at run time.
  Dim multiplyDims(llvm::ArrayRef<Dim> dims);
  /// The dims of a reshape target whose entries are `target` (ONNX Reshape
  /// semantics: 0 copies the input dim unless `allowZero`, -1 is inferred).
  mlir::FailureOr<Shape> resolveReshape(llvm::ArrayRef<Dim> input,
                                        llvm::ArrayRef<Dim> target,
                                        bool allowZero);
  /// NumPy broadcast of two symbolic shapes, or failure (an error naming
  /// both shapes).
  mlir::FailureOr<Shape> broadcast(llvm::ArrayRef<Dim> lhs,
                                   llvm::ArrayRef<Dim> rhs);
  /// Prints a symbolic shape as `[N, 64]`.
  std::string formatDims(llvm::ArrayRef<Dim> shape) const;

  /// The seed argument (created on first use), for nn.dropout.
  mlir::Value getSeed();
  int64_t nextDropoutStream() { return dropoutStreams++; }

  /// Builds an op whose result types the op infers, reporting an inference
  /// failure at the current node instead of aborting.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<OpTy> create(Args &&...args) {
    mlir::OperationState state(currentLoc, OpTy::getOperationName());
    // The builder that takes result types asserts that it gets one per
    // result (when assertions are on): it gets placeholders, which the
    // inferred types replace.
    llvm::SmallVector<mlir::Type, 3> placeholders(getNumResults<OpTy>(),
                                                  builder.getNoneType());
    OpTy::build(builder, state, mlir::TypeRange(placeholders),
                std::forward<Args>(args)...);
    state.types.clear();
    llvm::SmallVector<mlir::Type, 2> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            &context, currentLoc, state.operands,
            state.attributes.getDictionary(&context), state.getRawProperties(),
            state.regions, types)))
      return mlir::failure();
    state.addTypes(types);
    return llvm::cast<OpTy>(builder.create(state));
  }

private:
  friend struct GraphSetup;

  /// The number of results of an op with a fixed number of them.
  template <typename OpTy> static constexpr unsigned getNumResults() {
    if constexpr (OpTy::template hasTrait<mlir::OpTrait::OneResult>())
      return 1;
    else if constexpr (OpTy::template hasTrait<
                           mlir::OpTrait::NResults<2>::Impl>())
      return 2;
    else if constexpr (OpTy::template hasTrait<
                           mlir::OpTrait::NResults<3>::Impl>())
      return 3;
    else
      return 0;
  }

  mlir::MLIRContext &context;
  std::string fileName;
  const OnnxImportOptions &options;
  mlir::OpBuilder builder;
  mlir::Location currentLoc;
  mlir::Type floatType;
  int64_t opset = 0;

  const onnx::GraphProto *graph = nullptr;
  const onnx::NodeProto *currentNode = nullptr;
  llvm::StringMap<OnnxValue> values;
  /// Names read by some node or graph output.
  llvm::StringMap<unsigned> useCounts;

  struct Symbol {
    mlir::Value tensor; // a tensor that has the symbol at `dim`
    int64_t dim = 0;
    mlir::Value index; // the materialized size, once built
    std::string name;  // the dim_param, for messages
  };
  std::vector<Symbol> symbols;

  mlir::func::FuncOp func;
  mlir::Value seed;
  int64_t dropoutStreams = 0;

  mlir::Location nodeLoc(const onnx::NodeProto &node, int64_t index);
  mlir::Location fileLoc();
  int newSymbolFor(mlir::Value tensor, int64_t dim, llvm::StringRef name);

  mlir::LogicalResult importGraph(const onnx::ModelProto &model,
                                  mlir::ModuleOp module,
                                  OnnxInitialValues *initialValues);
  mlir::LogicalResult checkSupported(llvm::ArrayRef<NodePlan> plans);
  mlir::LogicalResult convertNode(const onnx::NodeProto &node, int64_t index,
                                  const NodePlan &plan);
};

//===----------------------------------------------------------------------===//
// Files and tensors
//===----------------------------------------------------------------------===//

/// Parses the bytes of an ONNX file. Refuses empty, truncated and malformed
/// files with a message that says what is wrong.
llvm::Expected<std::unique_ptr<onnx::ModelProto>>
parseModel(llvm::StringRef bytes, llvm::StringRef fileName);

/// The contents of a TensorProto (raw_data or typed fields, or external data
/// in the directory of `fileName`). Bool tensors become i64.
llvm::Expected<HostTensor> tensorFromProto(const onnx::TensorProto &proto,
                                           llvm::StringRef fileName);

/// The nn element type of an ONNX element type (f32, f64, i64, i32), or null.
mlir::Type elementTypeOf(int32_t onnxType, mlir::MLIRContext &context);

/// Name of an ONNX element type for messages ("FLOAT16").
std::string onnxTypeName(int32_t onnxType);

//===----------------------------------------------------------------------===//
// Constant folding (ConstFold.cpp)
//===----------------------------------------------------------------------===//

enum class BinaryKind { Add, Sub, Mul, Div, Pow };
enum class UnaryKind { Neg, Exp, Log, Sqrt, Relu, Sigmoid, Tanh, Reciprocal };

/// Elementwise ops with NumPy broadcasting on constants of one dtype.
llvm::Expected<HostTensor> foldBinary(BinaryKind kind, const HostTensor &lhs,
                                      const HostTensor &rhs);
HostTensor foldUnary(UnaryKind kind, const HostTensor &input);
/// Permutes dims.
HostTensor foldTranspose(const HostTensor &input, llvm::ArrayRef<int64_t> perm);
/// Same data with a new shape (same element count).
HostTensor foldReshape(const HostTensor &input, llvm::ArrayRef<int64_t> shape);
/// numpy.take along `axis` with in-range indices.
llvm::Expected<HostTensor> foldGather(const HostTensor &data,
                                      const HostTensor &indices, int64_t axis);
/// data[start:end:step] along each given axis (normalized bounds).
HostTensor foldSlice(const HostTensor &data, llvm::ArrayRef<int64_t> axes,
                     llvm::ArrayRef<int64_t> starts,
                     llvm::ArrayRef<int64_t> ends,
                     llvm::ArrayRef<int64_t> steps);
/// Concatenation along `axis` of same-dtype tensors.
HostTensor foldConcat(llvm::ArrayRef<const HostTensor *> inputs, int64_t axis);
/// A tensor of `shape` filled with element 0 of `value`.
HostTensor foldFill(const HostTensor &value, llvm::ArrayRef<int64_t> shape);

} // namespace adjoint::onnximport

#endif // ADJOINT_LIB_FRONTEND_ONNX_IMPORTER_H
