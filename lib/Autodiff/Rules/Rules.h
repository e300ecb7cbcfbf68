//===- Rules.h - Gradient rules of the nn ops, by family ---------*- C++ -*-===//
//
// Each file of lib/Autodiff/Rules attaches the LinearizeOpInterface and
// TransposeOpInterface external models of one family of nn ops. The functions
// run when the nn dialect is loaded into a context whose registry got
// registerNNAutodiffModels().
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_LIB_AUTODIFF_RULES_RULES_H
#define ADJOINT_LIB_AUTODIFF_RULES_RULES_H

#include "adjoint/Interfaces/AutodiffInterfaces.h"

#include "mlir/IR/MLIRContext.h"

namespace adjoint::autodiff {

void attachElementwiseRules(mlir::MLIRContext *context);
void attachLayoutRules(mlir::MLIRContext *context);
void attachReductionRules(mlir::MLIRContext *context);
void attachConvPoolRules(mlir::MLIRContext *context);
void attachNormalizationRules(mlir::MLIRContext *context);
void attachLossRules(mlir::MLIRContext *context);
void attachMiscRules(mlir::MLIRContext *context);

/// The linearization of an op whose results are piecewise constant in its
/// operands (masks, sizes, one-hot codes): every result tangent is zero.
template <typename OpT>
struct ZeroLinearize
    : LinearizeOpInterface::ExternalModel<ZeroLinearize<OpT>, OpT> {
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  linearize(mlir::Operation *op, mlir::OpBuilder &, mlir::ValueRange) const {
    return llvm::SmallVector<mlir::Value>(op->getNumResults(), mlir::Value());
  }
};

} // namespace adjoint::autodiff

#endif // ADJOINT_LIB_AUTODIFF_RULES_RULES_H
