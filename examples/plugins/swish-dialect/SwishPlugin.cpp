//===- SwishPlugin.cpp - The entry points of the swish plugin -------------===//
//
// One library, two upstream MLIR plugin entry points:
//  - mlirGetDialectPluginInfo (--load-dialect-plugin): the swish dialect and
//    the gradient rule of swish.swish, so that tools parse, differentiate,
//    interpret and lower IR that uses it;
//  - mlirGetPassPluginInfo (--load-pass-plugin): the swish-fuse pass, which
//    brings the op into models written in .nn.
//
//===----------------------------------------------------------------------===//

#include "Swish.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Swish", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            swish::registerSwishDialect(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Swish", LLVM_VERSION_STRING,
          [] { swish::registerSwishPasses(); }};
}
