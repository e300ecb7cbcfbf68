//===- FlopReport.cpp - FLOPs and memory per layer ------------------------===//
//
// The nn-flop-report pass (see FlopReport.td), and the entry point that makes
// this library an MLIR pass plugin: mlirGetPassPluginInfo. It is built
// against an installed Adjoint: it reads the nn ops through their C++ classes
// (adjoint/Dialect/NN/IR/NNOps.h) and links AdjointNNDialect.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Dialect/NN/IR/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <string>
#include <vector>

namespace flopreport {
#define GEN_PASS_DECL
#define GEN_PASS_DEF_NNFLOPREPORT
#define GEN_PASS_REGISTRATION
#include "FlopReport.h.inc"
} // namespace flopreport

using namespace mlir;
using namespace adjoint;

namespace {

/// What one layer (one statement) costs.
struct Layer {
  std::string key;
  std::string name;
  unsigned ops = 0;
  int64_t flops = 0;
  int64_t activationBytes = 0;
  llvm::SetVector<Value> params;
};

class FlopCounter {
public:
  explicit FlopCounter(int64_t dynamicSize) : dynamicSize(dynamicSize) {}

  int64_t getNumElements(Type type) const {
    auto tensor = llvm::dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return 0;
    int64_t count = 1;
    for (int64_t dim : tensor.getShape())
      count *= ShapedType::isDynamic(dim) ? dynamicSize : dim;
    return count;
  }

  int64_t getBytes(Type type) const {
    auto tensor = llvm::dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return 0;
    Type element = tensor.getElementType();
    int64_t bits = element.isIndex() ? 64 : element.getIntOrFloatBitWidth();
    return getNumElements(type) * (bits / 8);
  }

  int64_t getDim(Value value, int64_t index) const {
    auto type = llvm::cast<RankedTensorType>(value.getType());
    int64_t dim = type.getDimSize(index < 0 ? type.getRank() + index : index);
    return ShapedType::isDynamic(dim) ? dynamicSize : dim;
  }

  int64_t getFlops(Operation *op) const {
    if (auto matmul = llvm::dyn_cast<nn::MatmulOp>(op)) {
      int64_t k = getDim(matmul.getLhs(), matmul.getTransposeA() ? -2 : -1);
      return 2 * getNumElements(matmul.getType()) * k;
    }
    if (auto conv = llvm::dyn_cast<nn::Conv2DOp>(op)) {
      Value filter = conv.getFilter();
      return 2 * getNumElements(conv.getType()) * getDim(filter, 1) *
             getDim(filter, 2) * getDim(filter, 3);
    }
    if (llvm::isa<nn::MaxPool2DOp, nn::AvgPool2DOp>(op)) {
      auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("kernel");
      int64_t window = 1;
      for (int64_t k : kernel.asArrayRef())
        window *= k;
      return getNumElements(op->getResult(0).getType()) * window;
    }
    if (llvm::isa<nn::ReshapeOp, nn::TransposeOp, nn::BroadcastOp, nn::SliceOp,
                  nn::ConcatOp, nn::PadOp, nn::ConstantOp, nn::SizeOp,
                  nn::OneHotOp, nn::EmbeddingOp>(op))
      return 0;
    int64_t largest = 0;
    for (Type type : op->getOperandTypes())
      largest = std::max(largest, getNumElements(type));
    for (Type type : op->getResultTypes())
      largest = std::max(largest, getNumElements(type));
    return largest;
  }

private:
  int64_t dynamicSize;
};

/// The row of a location: "file:line" of its first file location.
std::string getLayerKey(Location loc) {
  if (auto file = loc->findInstanceOf<FileLineColLoc>())
    return (llvm::sys::path::filename(file.getFilename().getValue()) + ":" +
            llvm::Twine(file.getLine()))
        .str();
  return "<unknown>";
}

bool producesTensor(Operation *op) {
  return llvm::any_of(op->getResultTypes(), [](Type type) {
    return llvm::isa<RankedTensorType>(type);
  });
}

struct NNFlopReportPass : flopreport::impl::NNFlopReportBase<NNFlopReportPass> {
  using NNFlopReportBase::NNFlopReportBase;

  void runOnOperation() override {
    std::string name = functionName;
    int64_t size = dynamicSize;
    auto func = getOperation().lookupSymbol<func::FuncOp>(name);
    if (!func || func.isExternal()) {
      getOperation().emitError("nn-flop-report: no function @") << name;
      return signalPassFailure();
    }
    if (size < 1) {
      getOperation().emitError("nn-flop-report: dynamic-size must be at "
                               "least 1, got ")
          << size;
      return signalPassFailure();
    }

    FlopCounter counter(size);
    // The layers in the order of their first op.
    std::vector<Layer> layers;
    llvm::StringMap<size_t> layerIndex;
    func.walk([&](Operation *op) {
      if (!producesTensor(op))
        return;
      std::string key = getLayerKey(op->getLoc());
      auto [it, inserted] = layerIndex.try_emplace(key, layers.size());
      if (inserted)
        layers.push_back(Layer{key, "", 0, 0, 0, {}});
      Layer &layer = layers[it->second];
      ++layer.ops;
      layer.flops += counter.getFlops(op);
      for (Type type : op->getResultTypes())
        layer.activationBytes += counter.getBytes(type);
      for (Value operand : op->getOperands()) {
        auto arg = llvm::dyn_cast<BlockArgument>(operand);
        if (!arg || arg.getOwner()->getParentOp() != func)
          continue;
        auto kind =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "nn.kind");
        if (!kind || kind.getValue() != "param")
          continue;
        layer.params.insert(arg);
        // The layer's name: its first parameter's name up to the last dot
        // ("h.weight" -> "h").
        auto name =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "nn.name");
        if (name && layer.name.empty())
          layer.name = name.getValue().rsplit('.').first.str();
      }
    });

    llvm::raw_ostream &os = llvm::errs();
    os << "nn-flop-report @" << name << " (dynamic dims = " << size
       << ", bytes)\n";
    auto row = [&](StringRef label, unsigned ops, int64_t flops, int64_t params,
                   int64_t activations) {
      os << llvm::format(
          "%-28s %5u %14lld %14lld %14lld\n", label.str().c_str(), ops,
          static_cast<long long>(flops), static_cast<long long>(params),
          static_cast<long long>(activations));
    };
    os << llvm::format("%-28s %5s %14s %14s %14s\n", "layer", "ops", "flops",
                       "params", "activations");
    Layer total;
    for (const Layer &layer : layers) {
      int64_t paramBytes = 0;
      for (Value param : layer.params)
        paramBytes += counter.getBytes(param.getType());
      std::string label = layer.key;
      if (!layer.name.empty())
        label += " (" + layer.name + ")";
      row(label, layer.ops, layer.flops, paramBytes, layer.activationBytes);
      total.ops += layer.ops;
      total.flops += layer.flops;
      total.activationBytes += layer.activationBytes;
      total.params.insert(layer.params.begin(), layer.params.end());
    }
    int64_t totalParamBytes = 0;
    for (Value param : total.params)
      totalParamBytes += counter.getBytes(param.getType());
    row("total", total.ops, total.flops, totalParamBytes,
        total.activationBytes);
    markAllAnalysesPreserved();
  }
};

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "FlopReport", LLVM_VERSION_STRING,
          [] { flopreport::registerFlopReportPasses(); }};
}
