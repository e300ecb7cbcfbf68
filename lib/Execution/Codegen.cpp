//===- Codegen.cpp - LLVM IR, assembly, objects, shared libraries ---------===//

#include "adjoint/Execution/Codegen.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>

using namespace adjoint;

static void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

/// Defaults for some of LLVM's own options, each set only where the command
/// line does not name it (so `--disable-lsr=false` restores LLVM's). Measured
/// on the LeNet-5 training step (docs/performance.md): the JIT run of one
/// epoch took 2.0 s, and without these 1.1 s, with compiled code as fast or
/// faster (AOT libraries of LeNet-5, MNIST and digits, alternating runs).
/// - `disable-lsr`: loop strength reduction took 0.4 s of code generation.
/// - `unroll-threshold=0`: no partial, runtime or full unrolling by LLVM
///   (0.9 s with its SCEV work). The matmul kernels are unrolled where they
///   are written; the loops LLVM vectorizes do not gain from more.
/// - `enable-epilogue-vectorization=false`: no second vector loop for the
///   remainder of each vectorized loop.
static void setCodegenDefaults() {
  static std::once_flag once;
  std::call_once(once, [] {
    static constexpr std::pair<llvm::StringLiteral, llvm::StringLiteral>
        kDefaults[] = {{"disable-lsr", "true"},
                       {"unroll-threshold", "0"},
                       {"enable-epilogue-vectorization", "false"}};
    auto &registered = llvm::cl::getRegisteredOptions();
    for (auto [name, value] : kDefaults) {
      auto it = registered.find(name);
      if (it != registered.end() && it->second->getNumOccurrences() == 0)
        it->second->addOccurrence(/*pos=*/0, name, value);
    }
  });
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::StringRef adjoint::getOpenMPLibraryPath() {
  return ADJOINT_LIBOMP_PATH;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
adjoint::createTargetMachine(const CodegenOptions &options) {
  initializeNativeTarget();
  setCodegenDefaults();
  if (options.optLevel > 3)
    return makeError("invalid optimization level " +
                     llvm::Twine(options.optLevel));
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return makeError("no target for " + triple.str() + ": " + error);

  std::string cpu = options.cpu;
  llvm::SmallVector<std::string> features;
  if (cpu.empty()) {
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.push_back((feature.second ? "+" : "-") + feature.first().str());
  }
  if (!options.features.empty())
    features.push_back(options.features);

  llvm::CodeGenOptLevel level = llvm::CodeGenOptLevel::Default;
  switch (options.optLevel) {
  case 0:
    level = llvm::CodeGenOptLevel::None;
    break;
  case 1:
    level = llvm::CodeGenOptLevel::Less;
    break;
  case 3:
    level = llvm::CodeGenOptLevel::Aggressive;
    break;
  default:
    break;
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, llvm::join(features, ","), llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, level));
  if (!machine)
    return makeError("cannot create a target machine for " + triple.str());
  if (!machine->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return makeError("unknown CPU '" + cpu + "' for " + triple.str());
  return machine;
}

llvm::Expected<int64_t>
adjoint::getMatmulVectorWidth(const CodegenOptions &options,
                              int64_t requested) {
  if (requested != 0) {
    if (requested != 4 && requested != 8 && requested != 16)
      return makeError("invalid matmul vector width " +
                       llvm::Twine(requested) + " (expected 4, 8 or 16)");
    return requested;
  }
  auto machine = createTargetMachine(options);
  if (!machine)
    return machine.takeError();
  const llvm::MCSubtargetInfo *info = (*machine)->getMCSubtargetInfo();
  return info->checkFeatures("+avx512f") ? 16 : 8;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
adjoint::translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                              llvm::TargetMachine &targetMachine,
                              const CodegenOptions &options) {
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context,
                                    module.getSymName().value_or("adjoint"));
  if (!llvmModule)
    return makeError("cannot translate the module to LLVM IR (is it in the "
                     "LLVM dialect?)");
  llvmModule->setTargetTriple(targetMachine.getTargetTriple());
  llvmModule->setDataLayout(targetMachine.createDataLayout());
  // The code generator works for this CPU; tell the IR optimizer too (the
  // vectorizers' cost models read these attributes).
  for (llvm::Function &fn : *llvmModule) {
    if (fn.isDeclaration())
      continue;
    fn.addFnAttr("target-cpu", targetMachine.getTargetCPU());
    if (!targetMachine.getTargetFeatureString().empty())
      fn.addFnAttr("target-features", targetMachine.getTargetFeatureString());
  }
  auto optimize = mlir::makeOptimizingTransformer(options.optLevel,
                                                  /*sizeLevel=*/0,
                                                  &targetMachine);
  if (llvm::Error err = optimize(llvmModule.get()))
    return std::move(err);
  return llvmModule;
}

/// A target machine for `options` and `module` translated and optimized for
/// it.
static llvm::Expected<std::pair<std::unique_ptr<llvm::TargetMachine>,
                                std::unique_ptr<llvm::Module>>>
compileToLLVM(mlir::ModuleOp module, llvm::LLVMContext &context,
              const CodegenOptions &options) {
  auto machine = adjoint::createTargetMachine(options);
  if (!machine)
    return machine.takeError();
  auto llvmModule =
      adjoint::translateAndOptimize(module, context, **machine, options);
  if (!llvmModule)
    return llvmModule.takeError();
  return std::make_pair(std::move(*machine), std::move(*llvmModule));
}

llvm::Error adjoint::emitLLVMIR(mlir::ModuleOp module, llvm::raw_ostream &os,
                                const CodegenOptions &options) {
  llvm::LLVMContext context;
  auto compiled = compileToLLVM(module, context, options);
  if (!compiled)
    return compiled.takeError();
  compiled->second->print(os, nullptr);
  return llvm::Error::success();
}

llvm::Error adjoint::emitMachineCode(mlir::ModuleOp module,
                                     llvm::raw_pwrite_stream &os, bool object,
                                     const CodegenOptions &options) {
  llvm::LLVMContext context;
  auto compiled = compileToLLVM(module, context, options);
  if (!compiled)
    return compiled.takeError();
  auto &[machine, llvmModule] = *compiled;
  llvm::legacy::PassManager pm;
  if (machine->addPassesToEmitFile(
          pm, os, nullptr,
          object ? llvm::CodeGenFileType::ObjectFile
                 : llvm::CodeGenFileType::AssemblyFile))
    return makeError("the target cannot emit this file type");
  pm.run(*llvmModule);
  return llvm::Error::success();
}

llvm::Error adjoint::emitSharedLibrary(mlir::ModuleOp module,
                                       llvm::StringRef outputPath,
                                       const CodegenOptions &options) {
  // The object, in a temporary file.
  llvm::SmallString<128> objectPath;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("adjoint", "o", fd, objectPath))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::scope_exit removeObject([&] { llvm::sys::fs::remove(objectPath); });
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    if (llvm::Error err = emitMachineCode(module, os, /*object=*/true, options))
      return err;
    os.close();
    if (os.has_error())
      return makeError("cannot write " + objectPath + ": " +
                       os.error().message());
  }

  // Link it next to the output, then rename, so that a failure leaves no
  // partial library behind.
  std::string compilerName = "cc";
  if (std::optional<std::string> cc = llvm::sys::Process::GetEnv("CC"))
    if (!cc->empty())
      compilerName = *cc;
  llvm::ErrorOr<std::string> compiler =
      llvm::sys::findProgramByName(compilerName);
  if (!compiler)
    return makeError("cannot find the C compiler '" + compilerName +
                     "' to link the shared library (set CC)");
  llvm::SmallString<128> tempLibrary(outputPath);
  tempLibrary += ".tmp%%%%%%";
  llvm::SmallString<128> uniqueLibrary;
  llvm::sys::fs::createUniquePath(tempLibrary, uniqueLibrary,
                                  /*MakeAbsolute=*/false);
  llvm::scope_exit removeLibrary([&] { llvm::sys::fs::remove(uniqueLibrary); });
  llvm::SmallString<128> errorPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("adjoint-cc", "txt", errorPath))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::scope_exit removeErrors([&] { llvm::sys::fs::remove(errorPath); });
  llvm::SmallVector<std::string> args = {*compiler, "-shared", "-o",
                                         uniqueLibrary.str().str(),
                                         objectPath.str().str(), "-lm"};
  if (options.linkOpenMP) {
    llvm::StringRef libomp = getOpenMPLibraryPath();
    if (libomp.empty())
      return makeError("--openmp: this build of Adjoint found no OpenMP "
                       "runtime to link (install libomp-22-dev)");
    args.push_back(libomp.str());
    args.push_back(("-Wl,-rpath," + llvm::sys::path::parent_path(libomp)).str());
  }
  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, errorPath,
                                                errorPath};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*compiler, argRefs, std::nullopt, redirects,
                                     /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                     &message);
  if (rc != 0) {
    std::string output;
    if (auto buffer = llvm::MemoryBuffer::getFile(errorPath))
      output = (*buffer)->getBuffer().trim().str();
    return makeError("linking the shared library with '" + *compiler +
                     "' failed" + (message.empty() ? "" : ": " + message) +
                     (output.empty() ? "" : "\n" + output));
  }
  if (std::error_code ec = llvm::sys::fs::rename(uniqueLibrary, outputPath))
    return makeError("cannot write " + outputPath + ": " + ec.message());
  return llvm::Error::success();
}
