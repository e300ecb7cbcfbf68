//===- adjoint-opt.cpp - The mlir-opt of Adjoint --------------------------===//
//
// Runs passes and pipelines on MLIR files with the nn dialect, the upstream
// dialects of the pipeline and the project's passes registered. Pass and
// dialect plugins load with --load-pass-plugin / --load-dialect-plugin.
//
// The driver is MLIR's MlirOptMain, except that the input is read with
// adjoint::openTextInput: stdin, a pipe or a device (`/dev/zero`) is read
// with a bound instead of until memory runs out.
//
//===----------------------------------------------------------------------===//

#include "adjoint/InitAll.h"
#include "adjoint/Support/InputFile.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::DialectRegistry registry;
  adjoint::registerAllDialects(registry);
  adjoint::registerAllPasses();
  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "Adjoint optimizer driver\n", registry);

  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Listing dialects or passes reads no input: MLIR's driver does it.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> input =
      adjoint::openTextInput(inputFilename, /*refuseBinary=*/true);
  if (!input) {
    llvm::errs() << "error: " << llvm::toString(input.takeError()) << "\n";
    return EXIT_FAILURE;
  }
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &message);
  if (!output) {
    llvm::errs() << "error: " << message << "\n";
    return EXIT_FAILURE;
  }
  if (mlir::failed(mlir::MlirOptMain(output->os(), std::move(*input), registry,
                                     config)))
    return EXIT_FAILURE;
  output->keep();
  return EXIT_SUCCESS;
}
