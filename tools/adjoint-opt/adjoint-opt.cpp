//===- adjoint-opt.cpp - The mlir-opt of Adjoint --------------------------===//
//
// Runs passes and pipelines on MLIR files with the nn dialect, the upstream
// dialects of the pipeline and the project's passes registered. Pass and
// dialect plugins load with --load-pass-plugin / --load-dialect-plugin.
//
//===----------------------------------------------------------------------===//

#include "adjoint/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  adjoint::registerAllDialects(registry);
  adjoint::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Adjoint optimizer driver\n", registry));
}
