//===- NetworkBuilder.h - From the syntax tree to the nn dialect *- C++ -*-===//
//
// NetworkBuilder walks the statements of a parsed `.nn` file in order and
// builds `module @NAME { func.func @forward }` (docs/ir-conventions.md).
// Each `NAME = OP(...)` statement is handed to the op's emitter (OpEmitters.h),
// which checks the arguments and shapes and builds the op's IR at the
// location of the op call. A statement that fails poisons the name it
// defines, so later uses of that name report nothing new.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_FRONTEND_NETWORKBUILDER_H
#define ADJOINT_FRONTEND_NETWORKBUILDER_H

#include "adjoint/Frontend/AST.h"
#include "adjoint/Frontend/Arguments.h"
#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Frontend/Frontend.h"
#include "adjoint/Frontend/SymbolicShape.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace adjoint::frontend {

/// A value of the network: the SSA value and its symbolic shape.
struct TensorValue {
  mlir::Value value;
  SymShape shape;

  mlir::Type getElementType() const;
  bool isFloat() const;
  /// `f32[N, 64]`.
  std::string describeType() const;
};

class NetworkBuilder {
public:
  NetworkBuilder(FrontendDiagnostics &diags, const FrontendOptions &options);

  /// Builds the module of a parsed file; null when any error was reported.
  mlir::OwningOpRef<mlir::ModuleOp> build(const NetworkAST &ast);

  /// The same in steps, so that a file can be built while it is parsed and
  /// errors come in line order: begin(), buildStatement() for each
  /// statement in file order, then finish().
  void begin();
  void buildStatement(const Statement &stmt);
  mlir::OwningOpRef<mlir::ModuleOp> finish();

  //===--------------------------------------------------------------------===//
  // Services for the op emitters
  //===--------------------------------------------------------------------===//

  mlir::OpBuilder &getOpBuilder() { return builder; }
  FrontendDiagnostics &getDiags() { return diags; }
  mlir::Location getLoc(llvm::SMLoc loc) const { return diags.getLoc(loc); }
  mlir::Type getF32Type() { return builder.getF32Type(); }

  /// The value argument `expr` of a call names. Reports undefined names
  /// (once per name) and arguments that are not names; fails silently for
  /// names whose statement failed.
  mlir::FailureOr<TensorValue> getTensor(const CallArguments &args,
                                         const Expr &expr,
                                         llvm::StringRef paramName);

  /// Adds a parameter (trainable, nn.kind "param") or a buffer argument of a
  /// static shape with the initializer `init`, defines NAME for it, and
  /// returns it.
  mlir::FailureOr<TensorValue> createParameter(llvm::StringRef name,
                                               llvm::ArrayRef<int64_t> shape,
                                               llvm::StringRef init,
                                               bool isBuffer, llvm::SMLoc loc);

  /// The seed argument of the dropouts, added on first use.
  mlir::Value getSeed(llvm::SMLoc loc);
  /// The number of the next dropout in the file: 0, 1, ...
  int64_t takeDropoutStream() { return numDropouts++; }

  /// The size a -D option fixed a symbol to.
  std::optional<int64_t> getFixedSize(llvm::StringRef symbol) const;
  /// True for a symbol that some input or param declares.
  bool isDeclaredSymbol(llvm::StringRef symbol) const {
    return declaredSymbols.contains(symbol);
  }
  /// The run-time size of an unfixed symbol as an `index`, read from the
  /// first input that declares it.
  mlir::Value getSymbolSize(llvm::StringRef symbol, mlir::Location loc);

  /// Reports a shape whose element count does not fit in int64.
  mlir::LogicalResult checkElementCount(llvm::ArrayRef<SymDim> shape,
                                        llvm::SMLoc loc, llvm::StringRef what);

private:
  struct Binding {
    TensorValue value;
    llvm::SMLoc loc;
    bool poisoned = false;
  };
  struct ArgumentInfo {
    mlir::DictionaryAttr attrs;
  };
  struct ResultInfo {
    mlir::Value value;
    llvm::StringRef name;
    llvm::StringRef kind;
  };

  void checkFixedDims();
  void buildNetwork(const Statement &stmt);
  void buildInput(const Statement &stmt);
  void buildParam(const Statement &stmt);
  void buildAssign(const Statement &stmt);
  void buildOutput(const Statement &stmt);
  void buildOptimizer(const Statement &stmt);
  mlir::FailureOr<TensorValue> buildCall(const Expr &call,
                                         llvm::StringRef target, bool isLoss);
  void buildReturn();

  /// Checks that NAME is not yet defined; reports a redefinition otherwise.
  bool checkNewName(llvm::StringRef name, llvm::SMLoc loc);
  void define(llvm::StringRef name, llvm::SMLoc loc, TensorValue value);
  void poison(llvm::StringRef name, llvm::SMLoc loc);
  /// Looks a name up for a use; nullptr (after reporting) when undefined.
  const Binding *lookup(llvm::StringRef name, llvm::SMLoc loc);

  /// Resolves the dims of a declared type; reports bad dims.
  mlir::FailureOr<SymShape> resolveDims(const TypeExpr &type);
  mlir::BlockArgument addArgument(mlir::Type type, llvm::SMLoc loc,
                                  mlir::DictionaryAttr attrs);

  FrontendDiagnostics &diags;
  const FrontendOptions &options;
  mlir::MLIRContext &context;
  mlir::OpBuilder builder;

  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp forward;
  mlir::Block *body = nullptr;

  llvm::StringMap<Binding> names;
  llvm::StringSet<> reportedUndefined;
  llvm::StringSet<> declaredSymbols;
  /// symbol -> (input argument, dim) that carries its size at run time.
  llvm::StringMap<std::pair<mlir::Value, int64_t>> symbolSources;

  llvm::SmallVector<mlir::DictionaryAttr> argAttrs;
  unsigned numInputs = 0;
  std::optional<unsigned> seedIndex;
  int64_t numDropouts = 0;

  llvm::SmallVector<ResultInfo> outputs;
  llvm::StringMap<llvm::SMLoc> outputLocs;
  std::optional<ResultInfo> loss;
  llvm::SMLoc lossLoc;
  llvm::SMLoc returnLoc;
  unsigned numStatements = 0;
  bool sawNetwork = false;
  llvm::SMLoc networkLoc;
  bool sawOptimizer = false;
  llvm::SMLoc optimizerLoc;
};

} // namespace adjoint::frontend

#endif // ADJOINT_FRONTEND_NETWORKBUILDER_H
