//===- OpCensus.cpp - A pass plugin against upstream MLIR alone -----------===//
//
// The op-census pass, and the entry point that makes this library an MLIR
// pass plugin: mlirGetPassPluginInfo, called by --load-pass-plugin.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"

#include <map>
#include <string>

namespace census {
#define GEN_PASS_DECL
#define GEN_PASS_DEF_OPCENSUS
#define GEN_PASS_REGISTRATION
#include "OpCensus.h.inc"
} // namespace census

using namespace mlir;

namespace {

struct OpCensusPass : census::impl::OpCensusBase<OpCensusPass> {
  using OpCensusBase::OpCensusBase;

  void runOnOperation() override {
    Builder builder(&getContext());
    for (Operation &op : getOperation().getBody()->getOperations()) {
      if (!op.hasAttr(SymbolTable::getSymbolAttrName()) ||
          op.getNumRegions() == 0)
        continue;
      // Sorted by dialect, so that the attribute prints the same every run.
      std::map<std::string, int64_t> counts;
      op.walk([&](Operation *nested) {
        if (nested != &op)
          ++counts[nested->getName().getDialectNamespace().str()];
      });
      SmallVector<NamedAttribute> entries;
      for (const auto &[dialect, count] : counts)
        entries.push_back(
            builder.getNamedAttr(dialect, builder.getI64IntegerAttr(count)));
      op.setAttr(attrName.getValue(), builder.getDictionaryAttr(entries));
    }
  }
};

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "OpCensus", LLVM_VERSION_STRING,
          [] { census::registerOpCensusPasses(); }};
}
