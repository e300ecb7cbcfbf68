//===- Pipelines.cpp - The lowering pipelines of Adjoint ------------------===//

#include "adjoint/Pipelines/Pipelines.h"

#include "adjoint/Codegen/Passes.h"
#include "adjoint/Conversion/Passes.h"
#include "adjoint/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferViewFlowOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/AllInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/BufferViewFlowOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/IR/TensorInferTypeOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace adjoint;

void adjoint::buildLowerToLinalgPipeline(OpPassManager &pm,
                                         const LoweringOptions &options) {
  // Ops of other dialects (plugins) that expand into nn ops.
  pm.addPass(createNNDecompose());
  ConvertNNToLinalgOptions nnToLinalg;
  nnToLinalg.im2col = options.im2col;
  nnToLinalg.directConv = options.directConv;
  pm.addPass(createConvertNNToLinalg(nnToLinalg));
  // Sizes read off results (tensor.dim of a collapsed tensor) become the sizes
  // they were made from, so that the shape checks between ops fold away and
  // do not keep reshapes alive (which would block their fusion).
  pm.addPass(memref::createResolveShapedTypeResultDimsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Products with few columns (convolutions' weight gradients) are computed
  // transposed, for the kernel's 16-column tiles; the transposes fold into
  // the consumers by the fusion below.
  if (options.matmulMicrokernels)
    pm.addPass(createMatmulOrientation());
  // Chains of elementwise generics (bias, activation, the optimizer's
  // update) become one loop nest each: fewer passes over memory and fewer
  // temporaries (docs/performance.md).
  if (options.fuseElementwise) {
    pm.addPass(createFuseElementwise());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
}

void adjoint::buildLowerToLLVMPipeline(OpPassManager &pm,
                                       const LoweringOptions &options) {
  // C wrappers over the caller's memory, with the function bodies inlined.
  if (options.cInterface) {
    GenerateCInterfaceOptions wrapperOptions;
    wrapperOptions.prefix = options.prefix;
    pm.addPass(createGenerateCInterface(wrapperOptions));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }

  // CSE merged equal zero fills: each product gets its own again, instead
  // of a copy of one per product after bufferization.
  pm.addPass(createSplitSharedFills());
  // Results whose value is built from a tensor.empty are computed in the
  // caller's buffer instead of a temporary that is then copied.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());

  // Tensors -> buffers. Functions that keep tensor arguments (without the C
  // interface) get identity-layout memrefs.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createExpandStridedCopies());

  // Buffers -> loops: matmuls become packed, register-blocked vector code
  // (docs/performance.md); the other linalg ops become scalar loops, which
  // LLVM's loop vectorizer handles.
  if (options.matmulMicrokernels) {
    MatmulMicrokernelsOptions kernels;
    kernels.parallel = options.threads;
    kernels.epilogues = options.matmulEpilogues;
    if (options.matmulVectorWidth > 0)
      kernels.vectorWidth = options.matmulVectorWidth;
    pm.addPass(createMatmulMicrokernels(kernels));
  }
  if (options.threads) {
    // Large elementwise ops (the optimizer's update) split over the threads
    // too, so that they do not stay the serial part of a step.
    pm.addPass(createParallelElementwise());
    // scf.parallel -> OpenMP, without the memref.alloca_scope it wraps each
    // iteration in (no allocas inside; the kernel calls keep the
    // canonicalizer from seeing that).
    pm.addPass(createConvertSCFToOpenMPPass());
    pm.addPass(createInlineAllocaScopes());
    pm.addPass(createOpenMPSerialIf());
    pm.addPass(createCanonicalizerPass());
  }
  // Convolutions and poolings: the output's innermost dim becomes the
  // innermost loop, for LLVM's loop vectorizer.
  pm.addNestedPass<func::FuncOp>(createConvolutionLoopOrder());
  // The temporaries of each block in the slots of an arena (one allocation
  // per slot, shared by temporaries with disjoint lifetimes), kept between
  // calls, so that a step allocates nothing once its batch size has been
  // seen (docs/performance.md). The canonicalizer first folds memref.dim of
  // allocations to their sizes.
  if (options.temporariesArena) {
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createTemporariesArena());
  }
  // Also without arenas: the C interface's <network>_release_workspace.
  pm.addPass(createReuseArena());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createCanonicalizerPass());

  // Loops -> the LLVM dialect. Math functions without an LLVM intrinsic (erf)
  // become calls into libm; allocations become aligned_alloc/free.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  // aligned_alloc rather than malloc and pointer arithmetic (through
  // integers) for the alignment, which hides the allocation from LLVM's
  // alias analysis.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useAlignedAlloc = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  if (options.threads)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void adjoint::registerLoweringDialects(DialectRegistry &registry) {
  registry.insert<affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
                  math::MathDialect, memref::MemRefDialect,
                  omp::OpenMPDialect, scf::SCFDialect,
                  tensor::TensorDialect, ub::UBDialect,
                  vector::VectorDialect>();
  // Bufferization.
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  cf::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  // Buffer deallocation.
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  arith::registerBufferViewFlowOpInterfaceExternalModels(registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  memref::registerBufferViewFlowOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  // Shapes (reifying result dims), tiling, inlining.
  linalg::registerAllDialectInterfaceImplementations(registry);
  tensor::registerInferTypeOpInterfaceExternalModels(registry);
  func::registerInlinerExtension(registry);
  // Translation to LLVM IR.
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

namespace {

struct PipelineOptions : PassPipelineOptions<PipelineOptions> {
  Option<bool> cInterface{
      *this, "c-interface",
      llvm::cl::desc("Wrap the public functions into C-callable functions"),
      llvm::cl::init(true)};
  Option<bool> matmulMicrokernels{
      *this, "matmul-microkernels",
      llvm::cl::desc("Lower f32 matmuls to packed, register-blocked vector "
                     "code (otherwise: scalar loops)"),
      llvm::cl::init(true)};
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse chains of elementwise linalg ops on tensors"),
      llvm::cl::init(true)};
  Option<bool> temporariesArena{
      *this, "temporaries-arena",
      llvm::cl::desc("Place the temporaries of a function body in one "
                     "allocation"),
      llvm::cl::init(true)};
  Option<bool> im2col{
      *this, "im2col",
      llvm::cl::desc("Lower convolutions with static output sizes as im2col "
                     "and a matmul"),
      llvm::cl::init(true)};
  Option<bool> directConv{
      *this, "direct-conv",
      llvm::cl::desc("Lower stride-1 convolutions with few terms per output "
                     "as vector loops over the output rows"),
      llvm::cl::init(true)};
  Option<bool> matmulEpilogues{
      *this, "matmul-epilogues",
      llvm::cl::desc("With threads: run the elementwise ops that consume a "
                     "product on each thread's chunk, after the kernel"),
      llvm::cl::init(true)};
  Option<bool> threads{
      *this, "threads",
      llvm::cl::desc("Split large matmuls over OpenMP threads (the code "
                     "then needs libomp)"),
      llvm::cl::init(false)};
  Option<std::string> prefix{
      *this, "prefix",
      llvm::cl::desc("The prefix of the C symbols (default: the module name)"),
      llvm::cl::init("")};

  LoweringOptions get() const {
    LoweringOptions options;
    options.cInterface = cInterface;
    options.prefix = prefix;
    options.matmulMicrokernels = matmulMicrokernels;
    options.fuseElementwise = fuseElementwise;
    options.threads = threads;
    options.im2col = im2col;
    options.directConv = directConv;
    options.matmulEpilogues = matmulEpilogues;
    options.temporariesArena = temporariesArena;
    return options;
  }
};

} // namespace

void adjoint::registerLoweringPasses() {
  registerConversionPasses();
  registerAdjointCodegenPasses();

  // The upstream passes of the pipelines, for the lit tests of each step.
  bufferization::registerBufferizationPasses();
  bufferization::registerBufferizationPipelines();
  registerLinalgPasses();
  memref::registerMemRefPasses();
  registerConvertBufferizationToMemRefPass();
  registerConvertMathToLLVMPass();
  registerConvertMathToLibmPass();
  registerConvertVectorToLLVMPass();
  registerFinalizeMemRefToLLVMConversionPass();
  registerArithToLLVMConversionPass();
  registerConvertIndexToLLVMPass();
  registerConvertControlFlowToLLVMPass();
  registerConvertFuncToLLVMPass();
  registerUBToLLVMConversionPass();
  registerReconcileUnrealizedCastsPass();
  registerSCFToControlFlowPass();
  registerConvertSCFToOpenMPPass();
  registerConvertOpenMPToLLVMPass();
  registerLowerAffinePass();

  PassPipelineRegistration<PipelineOptions>(
      "adjoint-lower-to-linalg",
      "Lowers nn to linalg, tensor, arith and math on tensors",
      [](OpPassManager &pm, const PipelineOptions &options) {
        buildLowerToLinalgPipeline(pm, options.get());
      });
  PassPipelineRegistration<PipelineOptions>(
      "adjoint-lower-to-llvm",
      "Lowers linalg on tensors to the LLVM dialect: C wrappers, "
      "bufferization, loops, LLVM",
      [](OpPassManager &pm, const PipelineOptions &options) {
        buildLowerToLLVMPipeline(pm, options.get());
      });
}
