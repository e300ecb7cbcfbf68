//===- ReuseArena.cpp - Keep each function's arena between calls ----------===//
//
// See the pass description in include/adjoint/Codegen/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "Arena.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace adjoint {
#define GEN_PASS_DEF_REUSEARENA
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// The state of one function's arena and the functions that take and give
/// back the arena. `{0}` is the prefix of the symbols. A call takes the
/// cached block when no other call holds it (the `busy` flag, taken by a
/// compare-and-swap), growing it first when it is too small; a concurrent
/// call gets a block of its own, which its release frees (it is not the
/// cached one, which is live). A block is 64-byte aligned; its size is the
/// next multiple of 64 above the requested size (aligned_alloc wants a
/// multiple of the alignment, and never 0).
constexpr llvm::StringLiteral kArenaTemplate = R"mlir(
llvm.func @free(!llvm.ptr)
llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr

llvm.mlir.global internal @{0}_ptr() {{addr_space = 0 : i32} : !llvm.ptr {{
  %0 = llvm.mlir.zero : !llvm.ptr
  llvm.return %0 : !llvm.ptr
}
llvm.mlir.global internal @{0}_bytes(0 : i64) {{addr_space = 0 : i32} : i64
llvm.mlir.global internal @{0}_busy(0 : i32) {{addr_space = 0 : i32} : i32

func.func private @{0}_acquire(%bytes: i64) -> memref<?xi8> attributes {{llvm.linkage = #llvm.linkage<internal>} {{
  %gptr = llvm.mlir.addressof @{0}_ptr : !llvm.ptr
  %gbytes = llvm.mlir.addressof @{0}_bytes : !llvm.ptr
  %gbusy = llvm.mlir.addressof @{0}_busy : !llvm.ptr
  %c0_i32 = llvm.mlir.constant(0 : i32) : i32
  %c1_i32 = llvm.mlir.constant(1 : i32) : i32
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %c64 = llvm.mlir.constant(64 : i64) : i64
  %mask = llvm.mlir.constant(-64 : i64) : i64
  %plus = llvm.add %bytes, %c64 : i64
  %size = llvm.and %plus, %mask : i64
  %pair = llvm.cmpxchg %gbusy, %c0_i32, %c1_i32 acquire monotonic : !llvm.ptr, i32
  %won = llvm.extractvalue %pair[1] : !llvm.struct<(i32, i1)>
  %ptr = scf.if %won -> (!llvm.ptr) {{
    %have = llvm.load %gbytes {{alignment = 8 : i64} : !llvm.ptr -> i64
    %small = llvm.icmp "ult" %have, %size : i64
    %p = scf.if %small -> (!llvm.ptr) {{
      %old = llvm.load %gptr atomic monotonic {{alignment = 8 : i64} : !llvm.ptr -> !llvm.ptr
      llvm.call @free(%old) : (!llvm.ptr) -> ()
      %new = llvm.call @aligned_alloc(%c64, %size) : (i64, i64) -> !llvm.ptr
      llvm.store %new, %gptr atomic monotonic {{alignment = 8 : i64} : !llvm.ptr, !llvm.ptr
      llvm.store %size, %gbytes {{alignment = 8 : i64} : i64, !llvm.ptr
      scf.yield %new : !llvm.ptr
    } else {{
      %old = llvm.load %gptr atomic monotonic {{alignment = 8 : i64} : !llvm.ptr -> !llvm.ptr
      scf.yield %old : !llvm.ptr
    }
    scf.yield %p : !llvm.ptr
  } else {{
    %new = llvm.call @aligned_alloc(%c64, %size) : (i64, i64) -> !llvm.ptr
    scf.yield %new : !llvm.ptr
  }
  %d0 = llvm.mlir.poison : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %d1 = llvm.insertvalue %ptr, %d0[0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %d2 = llvm.insertvalue %ptr, %d1[1] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %d3 = llvm.insertvalue %c0, %d2[2] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %d4 = llvm.insertvalue %bytes, %d3[3, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %d5 = llvm.insertvalue %c1, %d4[4, 0] : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
  %arena = builtin.unrealized_conversion_cast %d5 : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<?xi8>
  return %arena : memref<?xi8>
}

func.func private @{0}_release(%p: i64) attributes {{llvm.linkage = #llvm.linkage<internal>} {{
  %gptr = llvm.mlir.addressof @{0}_ptr : !llvm.ptr
  %gbusy = llvm.mlir.addressof @{0}_busy : !llvm.ptr
  %c0_i32 = llvm.mlir.constant(0 : i32) : i32
  %cached = llvm.load %gptr atomic monotonic {{alignment = 8 : i64} : !llvm.ptr -> !llvm.ptr
  %address = llvm.ptrtoint %cached : !llvm.ptr to i64
  %mine = llvm.icmp "eq" %address, %p : i64
  scf.if %mine {{
    llvm.store %c0_i32, %gbusy atomic release {{alignment = 4 : i64} : i32, !llvm.ptr
  } else {{
    %q = llvm.inttoptr %p : i64 to !llvm.ptr
    llvm.call @free(%q) : (!llvm.ptr) -> ()
  }
  return
}

func.func private @{0}_free() attributes {{llvm.linkage = #llvm.linkage<internal>} {{
  %gptr = llvm.mlir.addressof @{0}_ptr : !llvm.ptr
  %gbytes = llvm.mlir.addressof @{0}_bytes : !llvm.ptr
  %gbusy = llvm.mlir.addressof @{0}_busy : !llvm.ptr
  %c0_i32 = llvm.mlir.constant(0 : i32) : i32
  %c1_i32 = llvm.mlir.constant(1 : i32) : i32
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %null = llvm.mlir.zero : !llvm.ptr
  %pair = llvm.cmpxchg %gbusy, %c0_i32, %c1_i32 acquire monotonic : !llvm.ptr, i32
  %won = llvm.extractvalue %pair[1] : !llvm.struct<(i32, i1)>
  scf.if %won {{
    %old = llvm.load %gptr atomic monotonic {{alignment = 8 : i64} : !llvm.ptr -> !llvm.ptr
    llvm.call @free(%old) : (!llvm.ptr) -> ()
    llvm.store %null, %gptr atomic monotonic {{alignment = 8 : i64} : !llvm.ptr, !llvm.ptr
    llvm.store %c0, %gbytes {{alignment = 8 : i64} : i64, !llvm.ptr
    llvm.store %c0_i32, %gbusy atomic release {{alignment = 4 : i64} : i32, !llvm.ptr
  }
  return
}
)mlir";

/// The network name of the C interface (`adjoint.abi`), or "".
std::string getNetworkName(ModuleOp module) {
  auto text = module->getAttrOfType<StringAttr>("adjoint.abi");
  if (!text)
    return "";
  llvm::Expected<llvm::json::Value> root = llvm::json::parse(text.getValue());
  if (!root) {
    llvm::consumeError(root.takeError());
    return "";
  }
  if (const llvm::json::Object *object = root->getAsObject())
    if (std::optional<llvm::StringRef> name = object->getString("network"))
      return name->str();
  return "";
}

/// Declares `name` as an external LLVM function of `type` unless the module
/// has it.
LogicalResult declareFunction(ModuleOp module, StringRef name,
                              LLVM::LLVMFunctionType type) {
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(name)) {
    if (existing.getFunctionType() == type)
      return success();
    return existing.emitError() << "'" << name
                                << "' has a different type than the C "
                                   "library's, which the arena calls";
  }
  if (module.lookupSymbol(name))
    return module.emitError() << "the symbol '" << name
                              << "' is taken; the arena calls the C library's";
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  LLVM::LLVMFuncOp::create(b, module.getLoc(), name, type);
  return success();
}

struct ReuseArenaPass : adjoint::impl::ReuseArenaBase<ReuseArenaPass> {
  using ReuseArenaBase::ReuseArenaBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The arenas of blocks that run at most once per call (not those of loop
    // bodies, which are many per call) and their deallocation at the end of
    // the same block.
    struct Arena {
      func::FuncOp func;
      memref::AllocOp alloc;
      memref::DeallocOp dealloc;
    };
    SmallVector<Arena> arenas;
    module.walk([&](memref::AllocOp alloc) {
      func::FuncOp func = adjoint::getFunctionRunningOnce(alloc->getBlock());
      if (!func || !alloc->hasAttr("adjoint.arena") ||
          alloc.getDynamicSizes().size() != 1)
        return;
      memref::DeallocOp dealloc;
      for (Operation *user : alloc->getUsers())
        if (auto d = llvm::dyn_cast<memref::DeallocOp>(user)) {
          if (dealloc || d->getBlock() != alloc->getBlock())
            return;
          dealloc = d;
        }
      if (dealloc)
        arenas.push_back({func, alloc, dealloc});
    });
    std::string releaseName = releaseFunction;
    if (releaseName.empty()) {
      std::string network = getNetworkName(module);
      if (!network.empty())
        releaseName = network + "_release_workspace";
    }
    if (arenas.empty() && releaseName.empty())
      return;

    MLIRContext *context = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    auto i64 = IntegerType::get(context, 64);
    if (failed(declareFunction(module, "free",
                               LLVM::LLVMFunctionType::get(
                                   LLVM::LLVMVoidType::get(context), ptr))) ||
        failed(declareFunction(module, "aligned_alloc",
                               LLVM::LLVMFunctionType::get(ptr, {i64, i64}))))
      return signalPassFailure();

    SymbolTable symbols(module);
    SmallVector<std::string> prefixes;
    for (Arena &arena : arenas) {
      // Symbols unique in the module; the function's name says whose.
      std::string prefix =
          ("__adjoint_arena_" + arena.func.getSymName()).str();
      for (unsigned k = 1; symbols.lookup(prefix + "_acquire"); ++k)
        prefix = ("__adjoint_arena_" + arena.func.getSymName() + "_" +
                  llvm::Twine(k))
                     .str();
      prefixes.push_back(prefix);
      std::string text = llvm::formatv(kArenaTemplate.data(), prefix).str();
      OwningOpRef<ModuleOp> parsed =
          parseSourceString<ModuleOp>(text, ParserConfig(context));
      if (!parsed) {
        module.emitError("adjoint-reuse-arena: the arena's functions do not "
                         "parse");
        return signalPassFailure();
      }
      for (Operation &op :
           llvm::make_early_inc_range(parsed->getBody()->getOperations())) {
        // The C library's functions, which the module declares already.
        if (auto declaration = llvm::dyn_cast<LLVM::LLVMFuncOp>(op))
          if (declaration.isExternal())
            continue;
        op.remove();
        symbols.insert(&op);
      }

      Location loc = arena.alloc.getLoc();
      OpBuilder b(arena.alloc);
      Value bytes = arith::IndexCastOp::create(
          b, loc, i64, arena.alloc.getDynamicSizes().front());
      auto acquire = func::CallOp::create(
          b, loc, prefix + "_acquire", TypeRange{arena.alloc.getType()},
          ValueRange{bytes});
      arena.alloc.replaceAllUsesWith(acquire.getResult(0));
      arena.alloc.erase();

      b.setInsertionPoint(arena.dealloc);
      Value address = memref::ExtractAlignedPointerAsIndexOp::create(
          b, loc, acquire.getResult(0));
      Value address64 = arith::IndexCastOp::create(b, loc, i64, address);
      func::CallOp::create(b, loc, prefix + "_release", TypeRange{},
                           ValueRange{address64});
      arena.dealloc.erase();
    }

    if (releaseName.empty())
      return;
    if (symbols.lookup(releaseName)) {
      module.emitError() << "adjoint-reuse-arena: the symbol '" << releaseName
                         << "' is taken";
      return signalPassFailure();
    }
    // The public function that frees the kept arenas (those no call holds).
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto release = func::FuncOp::create(b, module.getLoc(), releaseName,
                                        b.getFunctionType({}, {}));
    b.setInsertionPointToStart(release.addEntryBlock());
    for (const std::string &prefix : prefixes)
      func::CallOp::create(b, module.getLoc(), prefix + "_free", TypeRange{},
                           ValueRange{});
    func::ReturnOp::create(b, module.getLoc());
    symbols.insert(release);
  }
};

} // namespace
