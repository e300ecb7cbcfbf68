//===- ReuseArena.cpp - Keep the slots of temporaries between calls -------===//
//
// See the pass description in include/adjoint/Codegen/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Codegen/Passes.h"

#include "Arena.h"

#include "adjoint/Conversion/CInterface/ABI.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace adjoint {
#define GEN_PASS_DEF_REUSEARENA
#include "adjoint/Codegen/Passes.h.inc"
} // namespace adjoint

using namespace mlir;

namespace {

/// The functions that every arena of a module calls, in the LLVM dialect,
/// made once per module. A block's arena has a busy flag (an i32 global)
/// and each of its slots a global {pointer, bytes}. `_enter` takes the
/// block's kept slots when no other call holds them (a compare-and-swap on
/// the flag) and says whether it got them; `_exit` gives them back. With
/// them, `_acquire` returns the kept slot, first grown when it is too small;
/// without, a slot of the call's own, which `_release` frees. A slot is
/// 64-byte aligned; its size is the next multiple of 64 above the requested
/// size (aligned_alloc wants a multiple of the alignment, and never 0).
/// `_acquire` returns a `noalias` pointer, as malloc does, and is not
/// inlined, so that LLVM knows that slots do not alias each other or the
/// caller's buffers.
constexpr llvm::StringLiteral kHelpers = R"mlir(
llvm.func @free(!llvm.ptr)
llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr

llvm.func internal @__adjoint_arena_enter(%busy: !llvm.ptr) -> i1 attributes {no_inline} {
  %c0 = llvm.mlir.constant(0 : i32) : i32
  %c1 = llvm.mlir.constant(1 : i32) : i32
  %pair = llvm.cmpxchg %busy, %c0, %c1 acquire monotonic : !llvm.ptr, i32
  %won = llvm.extractvalue %pair[1] : !llvm.struct<(i32, i1)>
  llvm.return %won : i1
}

llvm.func internal @__adjoint_arena_exit(%busy: !llvm.ptr, %owned: i1) attributes {no_inline} {
  llvm.cond_br %owned, ^give_back, ^done
^give_back:
  %c0 = llvm.mlir.constant(0 : i32) : i32
  llvm.store %c0, %busy atomic release {alignment = 4 : i64} : i32, !llvm.ptr
  llvm.br ^done
^done:
  llvm.return
}

llvm.func internal @__adjoint_arena_acquire(%slot: !llvm.ptr, %bytes: i64, %owned: i1) -> (!llvm.ptr {llvm.noalias}) attributes {no_inline} {
  %c64 = llvm.mlir.constant(64 : i64) : i64
  %mask = llvm.mlir.constant(-64 : i64) : i64
  %plus = llvm.add %bytes, %c64 : i64
  %size = llvm.and %plus, %mask : i64
  llvm.cond_br %owned, ^kept, ^own
^own:
  %mine = llvm.call @aligned_alloc(%c64, %size) : (i64, i64) -> !llvm.ptr
  llvm.return %mine : !llvm.ptr
^kept:
  %gbytes = llvm.getelementptr %slot[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64)>
  %have = llvm.load %gbytes {alignment = 8 : i64} : !llvm.ptr -> i64
  %small = llvm.icmp "ult" %have, %size : i64
  %old = llvm.load %slot {alignment = 8 : i64} : !llvm.ptr -> !llvm.ptr
  llvm.cond_br %small, ^grow, ^reuse
^grow:
  llvm.call @free(%old) : (!llvm.ptr) -> ()
  %new = llvm.call @aligned_alloc(%c64, %size) : (i64, i64) -> !llvm.ptr
  llvm.store %new, %slot {alignment = 8 : i64} : !llvm.ptr, !llvm.ptr
  llvm.store %size, %gbytes {alignment = 8 : i64} : i64, !llvm.ptr
  llvm.return %new : !llvm.ptr
^reuse:
  llvm.return %old : !llvm.ptr
}

llvm.func internal @__adjoint_arena_release(%p: !llvm.ptr, %owned: i1) attributes {no_inline} {
  llvm.cond_br %owned, ^done, ^free
^free:
  llvm.call @free(%p) : (!llvm.ptr) -> ()
  llvm.br ^done
^done:
  llvm.return
}

llvm.func internal @__adjoint_arena_drop(%slot: !llvm.ptr) {
  %old = llvm.load %slot {alignment = 8 : i64} : !llvm.ptr -> !llvm.ptr
  llvm.call @free(%old) : (!llvm.ptr) -> ()
  %null = llvm.mlir.zero : !llvm.ptr
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %gbytes = llvm.getelementptr %slot[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, i64)>
  llvm.store %null, %slot {alignment = 8 : i64} : !llvm.ptr, !llvm.ptr
  llvm.store %c0, %gbytes {alignment = 8 : i64} : i64, !llvm.ptr
  llvm.return
}
)mlir";

/// The busy flag of the arena `{0}` (and, for the parser, the helpers that
/// its function to free the slots calls, which the module defines).
constexpr llvm::StringLiteral kArenaTemplate = R"mlir(
llvm.func @__adjoint_arena_enter(!llvm.ptr) -> i1
llvm.func @__adjoint_arena_exit(!llvm.ptr, i1)
llvm.func @__adjoint_arena_drop(!llvm.ptr)
llvm.mlir.global internal @{0}_busy(0 : i32) {{addr_space = 0 : i32} : i32
)mlir";

/// The state of slot `{1}` of the arena `{0}`: {pointer, bytes}.
constexpr llvm::StringLiteral kSlotTemplate = R"mlir(
llvm.mlir.global internal @{0}_{1}() {{addr_space = 0 : i32} : !llvm.struct<(ptr, i64)> {{
  %0 = llvm.mlir.zero : !llvm.struct<(ptr, i64)>
  llvm.return %0 : !llvm.struct<(ptr, i64)>
}
)mlir";

/// The network name of the C interface (`adjoint.abi`), or "". Only the
/// name is read: the rest of the record is the C interface's business.
std::string getNetworkName(ModuleOp module) {
  auto text = module->getAttrOfType<StringAttr>(adjoint::abi::kAttrName);
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

/// The descriptor of memref<?xi8> over `ptr` with `bytes` elements, as the
/// memref: LLVM-dialect ops and a cast that reconcile-unrealized-casts
/// removes once the memref is lowered to the same struct.
Value buildByteMemRef(OpBuilder &b, Location loc, Value ptr, Value bytes) {
  MLIRContext *context = b.getContext();
  auto i64 = IntegerType::get(context, 64);
  auto pointer = LLVM::LLVMPointerType::get(context);
  auto array = LLVM::LLVMArrayType::get(i64, 1);
  auto descriptorType = LLVM::LLVMStructType::getLiteral(
      context, {pointer, pointer, i64, array, array});
  Value descriptor = LLVM::PoisonOp::create(b, loc, descriptorType);
  auto insert = [&](Value v, ArrayRef<int64_t> position) {
    descriptor = LLVM::InsertValueOp::create(b, loc, descriptor, v, position);
  };
  insert(ptr, {0});
  insert(ptr, {1});
  insert(LLVM::ConstantOp::create(b, loc, i64, 0), {2});
  insert(bytes, {3, 0});
  insert(LLVM::ConstantOp::create(b, loc, i64, 1), {4, 0});
  return UnrealizedConversionCastOp::create(
             b, loc, MemRefType::get({ShapedType::kDynamic}, b.getI8Type()),
             descriptor)
      .getResult(0);
}

struct ReuseArenaPass : adjoint::impl::ReuseArenaBase<ReuseArenaPass> {
  using ReuseArenaBase::ReuseArenaBase;

  /// The slots of one block's arena: the marked allocations and their
  /// deallocations in that block.
  struct Arena {
    func::FuncOp func;
    SmallVector<memref::AllocOp> allocs;
    SmallVector<memref::DeallocOp> deallocs;
  };

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The arenas of blocks that run at most once per call (not those of
    // loop bodies, which are many per call).
    llvm::MapVector<Block *, Arena> arenas;
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
      if (!dealloc)
        return;
      Arena &arena = arenas[alloc->getBlock()];
      arena.func = func;
      arena.allocs.push_back(alloc);
      arena.deallocs.push_back(dealloc);
    });
    std::string releaseName = releaseFunction;
    if (releaseName.empty()) {
      std::string network = getNetworkName(module);
      if (!network.empty())
        releaseName = adjoint::abi::getReleaseWorkspaceSymbol(network);
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
    if (!arenas.empty() && !symbols.lookup("__adjoint_arena_enter") &&
        failed(insertParsed(module, symbols, kHelpers)))
      return signalPassFailure();
    // The functions that free each arena's kept slots.
    SmallVector<std::string> droppers;
    for (auto &[block, arena] : arenas) {
      // Symbols unique in the module; the function's name says whose.
      std::string prefix = ("__adjoint_arena_" + arena.func.getSymName()).str();
      for (unsigned k = 1; symbols.lookup(prefix + "_busy"); ++k)
        prefix = ("__adjoint_arena_" + arena.func.getSymName() + "_" +
                  llvm::Twine(k))
                     .str();
      std::string text = llvm::formatv(kArenaTemplate.data(), prefix).str();
      for (size_t i = 0; i < arena.allocs.size(); ++i)
        text += llvm::formatv(kSlotTemplate.data(), prefix, i).str();

      // What the release function calls for this arena: free the kept slots
      // if no call holds them.
      std::string dropper = prefix + "_free";
      std::string dropCalls;
      for (size_t i = 0; i < arena.allocs.size(); ++i)
        dropCalls += llvm::formatv("  %slot{1} = llvm.mlir.addressof @{0}_{1} "
                                   ": !llvm.ptr\n"
                                   "  llvm.call @__adjoint_arena_drop(%slot{1}) "
                                   ": (!llvm.ptr) -> ()\n",
                                   prefix, i)
                         .str();
      text += llvm::formatv(R"mlir(
llvm.func internal @{0}() {{
  %busy = llvm.mlir.addressof @{1}_busy : !llvm.ptr
  %owned = llvm.call @__adjoint_arena_enter(%busy) : (!llvm.ptr) -> i1
  llvm.cond_br %owned, ^drop, ^done
^drop:
{2}  llvm.call @__adjoint_arena_exit(%busy, %owned) : (!llvm.ptr, i1) -> ()
  llvm.br ^done
^done:
  llvm.return
}
)mlir",
                            dropper, prefix, dropCalls)
                  .str();
      if (failed(insertParsed(module, symbols, text)))
        return signalPassFailure();

      // Enter before the first slot, exit after the last release.
      memref::AllocOp first = arena.allocs.front();
      Location loc = first.getLoc();
      OpBuilder b(first);
      Value busy =
          LLVM::AddressOfOp::create(b, loc, ptr, prefix + "_busy").getResult();
      Value owned = LLVM::CallOp::create(b, loc, TypeRange{b.getI1Type()},
                                         "__adjoint_arena_enter",
                                         ValueRange{busy})
                        .getResult();
      Operation *lastDealloc = arena.deallocs.front();
      for (auto [i, alloc, dealloc] :
           llvm::enumerate(arena.allocs, arena.deallocs)) {
        b.setInsertionPoint(alloc);
        Value state = LLVM::AddressOfOp::create(
                          b, alloc.getLoc(), ptr,
                          prefix + "_" + std::to_string(i))
                          .getResult();
        Value bytes = arith::IndexCastOp::create(
            b, alloc.getLoc(), i64, alloc.getDynamicSizes().front());
        Value pointer = LLVM::CallOp::create(b, alloc.getLoc(), TypeRange{ptr},
                                             "__adjoint_arena_acquire",
                                             ValueRange{state, bytes, owned})
                            .getResult();
        alloc.replaceAllUsesWith(
            buildByteMemRef(b, alloc.getLoc(), pointer, bytes));
        alloc.erase();
        b.setInsertionPoint(dealloc);
        LLVM::CallOp::create(b, dealloc.getLoc(), TypeRange{},
                             "__adjoint_arena_release",
                             ValueRange{pointer, owned});
        if (lastDealloc->isBeforeInBlock(dealloc))
          lastDealloc = dealloc;
      }
      b.setInsertionPointAfter(lastDealloc);
      LLVM::CallOp::create(b, loc, TypeRange{}, "__adjoint_arena_exit",
                           ValueRange{busy, owned});
      for (memref::DeallocOp dealloc : arena.deallocs)
        dealloc.erase();
      droppers.push_back(dropper);
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
    auto release = LLVM::LLVMFuncOp::create(
        b, module.getLoc(), releaseName,
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context), {}));
    b.setInsertionPointToStart(release.addEntryBlock(b));
    for (const std::string &dropper : droppers)
      LLVM::CallOp::create(b, module.getLoc(), TypeRange{}, dropper,
                           ValueRange{});
    LLVM::ReturnOp::create(b, module.getLoc(), ValueRange{});
    symbols.insert(release);
  }

  /// Parses `text` and moves its ops into `module`, except the declarations
  /// of the C library's functions, which the module has already.
  LogicalResult insertParsed(ModuleOp module, SymbolTable &symbols,
                             StringRef text) {
    OwningOpRef<ModuleOp> parsed =
        parseSourceString<ModuleOp>(text, ParserConfig(&getContext()));
    if (!parsed)
      return module.emitError(
          "adjoint-reuse-arena: the arena's functions do not parse");
    for (Operation &op :
         llvm::make_early_inc_range(parsed->getBody()->getOperations())) {
      if (auto declaration = llvm::dyn_cast<LLVM::LLVMFuncOp>(op))
        if (declaration.isExternal())
          continue;
      op.remove();
      symbols.insert(&op);
    }
    return success();
  }
};

} // namespace
