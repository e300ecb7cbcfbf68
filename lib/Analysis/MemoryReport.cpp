//===- MemoryReport.cpp - Memory use of a network's functions -------------===//

#include "adjoint/Analysis/MemoryReport.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Dialect/NN/IR/NNFunctions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace mlir;
using namespace adjoint;
using namespace adjoint::analysis;

namespace {

/// Bytes of a tensor value, with dynamic dims counted as 1.
int64_t getBytes(Type type, bool &dynamic) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return 0;
  int64_t elements = 1;
  for (int64_t d : tensor.getShape()) {
    if (ShapedType::isDynamic(d)) {
      dynamic = true;
      continue;
    }
    elements *= d;
  }
  int64_t bits = tensor.getElementType().getIntOrFloatBitWidth();
  return elements * std::max<int64_t>(1, bits / 8);
}

/// The file location inside `loc` (through the "grad"(...) names of the
/// adjoint ops).
FileLineColLoc getFileLoc(Location loc) {
  FileLineColLoc found;
  loc->walk([&](Location inner) {
    if (auto file = llvm::dyn_cast<FileLineColLoc>(inner)) {
      found = file;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

/// Names layers by their statement: `h = dense(x, 128)` on line 7 is
/// "h (line 7)".
class LayerNamer {
public:
  std::string getName(Location loc) {
    FileLineColLoc file = getFileLoc(loc);
    if (!file)
      return "(no location)";
    std::string where = "line " + std::to_string(file.getLine());
    llvm::StringRef text = getLine(file.getFilename(), file.getLine());
    auto [lhs, rhs] = text.split('=');
    lhs = lhs.trim();
    if (!rhs.empty() && !lhs.empty() &&
        llvm::all_of(lhs, [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                 c == '.' || c == ' ';
        })) {
      // `loss ce = ...` names the loss `ce`.
      lhs = lhs.rsplit(' ').second.empty() ? lhs : lhs.rsplit(' ').second;
      return (lhs + " (" + where + ")").str();
    }
    return where;
  }

private:
  llvm::StringRef getLine(llvm::StringRef path, unsigned line) {
    auto it = files.find(path);
    if (it == files.end()) {
      auto buffer = llvm::MemoryBuffer::getFile(path);
      it = files.try_emplace(path, buffer ? std::move(*buffer) : nullptr)
               .first;
    }
    if (!it->second)
      return {};
    llvm::StringRef text = it->second->getBuffer();
    for (unsigned i = 1; i < line && !text.empty(); ++i)
      text = text.split('\n').second;
    return text.split('\n').first;
  }

  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> files;
};

FunctionMemory analyzeFunction(func::FuncOp func, LayerNamer &namer) {
  FunctionMemory result;
  result.function = func.getSymName().str();
  Block &body = func.getBody().front();
  llvm::DenseMap<Operation *, int64_t> index;
  int64_t n = 0;
  for (Operation &op : body)
    index[&op] = n++;

  // The last use of each value, as an op index of the top block.
  auto lastUse = [&](Value value) {
    int64_t last = -1;
    for (Operation *user : value.getUsers())
      if (Operation *top = body.findAncestorOpInBlock(*user))
        last = std::max(last, index[top]);
    return last;
  };

  // Sweep: a value is live from its op to its last use.
  std::vector<int64_t> dying(n + 1, 0);
  int64_t live = 0;
  for (Operation &op : body) {
    int64_t i = index[&op];
    for (Value r : op.getResults()) {
      int64_t bytes = getBytes(r.getType(), result.hasDynamicDims);
      live += bytes;
      dying[std::max(i, lastUse(r))] += bytes;
    }
    if (live > result.peakBytes) {
      result.peakBytes = live;
      result.peakAt = op.getName().getStringRef().str() + " at " +
                      namer.getName(op.getLoc());
    }
    live -= dying[i];
  }

  // Saved activations: what is defined up to the loss and used after it.
  auto ret = llvm::cast<func::ReturnOp>(body.getTerminator());
  Operation *lossOp = nn::getLossOp(func);
  if (!lossOp || !nn::hasResultOfKind(func, "grad"))
    return result;
  int64_t lossIndex = index[lossOp];
  llvm::MapVector<llvm::StringRef, SavedActivations> layers;
  std::vector<std::unique_ptr<std::string>> names;
  for (Operation &op : body) {
    if (index[&op] > lossIndex)
      break;
    for (Value r : op.getResults()) {
      int64_t last = lastUse(r);
      if (last <= lossIndex || last == index[ret])
        continue;
      bool unused = false;
      int64_t bytes = getBytes(r.getType(), unused);
      if (bytes == 0)
        continue;
      names.push_back(std::make_unique<std::string>(namer.getName(op.getLoc())));
      SavedActivations &entry = layers[*names.back()];
      entry.layer = *names.back();
      entry.bytes += bytes;
      ++entry.tensors;
    }
  }
  for (auto &entry : layers)
    result.saved.push_back(entry.second);
  return result;
}

std::string formatBytes(int64_t bytes) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (bytes >= (int64_t(1) << 20))
    os << llvm::format("%.2f MiB", double(bytes) / double(1 << 20));
  else if (bytes >= 1024)
    os << llvm::format("%.2f KiB", double(bytes) / 1024.0);
  else
    os << bytes << " B";
  return text;
}

} // namespace

std::vector<FunctionMemory> analysis::analyzeMemory(ModuleOp module) {
  std::vector<FunctionMemory> report;
  LayerNamer namer;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal() && func.getBody().hasOneBlock())
      report.push_back(analyzeFunction(func, namer));
  return report;
}

void analysis::printMemoryReport(llvm::raw_ostream &os,
                                 const std::vector<FunctionMemory> &report) {
  bool dynamic = llvm::any_of(
      report, [](const FunctionMemory &f) { return f.hasDynamicDims; });
  os << "Memory of the live tensors of each function (nn IR, before "
        "bufferization)";
  if (dynamic)
    os << ";\ndynamic dims count as 1 (per sample): fix them with -D, e.g. "
          "-D N=32";
  os << ":\n";
  for (const FunctionMemory &f : report) {
    os << llvm::format("  @%-14s peak %12s", f.function.c_str(),
                       formatBytes(f.peakBytes).c_str());
    if (!f.peakAt.empty())
      os << "  (at " << f.peakAt << ")";
    os << "\n";
  }
  for (const FunctionMemory &f : report) {
    if (f.saved.empty())
      continue;
    int64_t total = 0;
    os << "Activations @" << f.function
       << " keeps from the forward pass for the backward pass:\n";
    for (const SavedActivations &s : f.saved) {
      os << llvm::format("  %-24s %12s  (%lld tensors)\n", s.layer.c_str(),
                         formatBytes(s.bytes).c_str(),
                         static_cast<long long>(s.tensors));
      total += s.bytes;
    }
    os << llvm::format("  %-24s %12s\n", "total", formatBytes(total).c_str());
  }
}
