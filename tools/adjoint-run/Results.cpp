//===- Results.cpp - What a run produced, and writing it ------------------===//

#include "Results.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Runtime/Npy.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::run;

/// Files hold f32: f64 results (of an f64 model) are rounded.
static HostTensor toFileDType(const HostTensor &tensor) {
  if (tensor.getDType() == DType::F64)
    return tensor.convertTo(DType::F32);
  return tensor;
}

llvm::Expected<RunResults>
run::sortResults(func::FuncOp func, llvm::SmallVectorImpl<HostTensor> &values) {
  RunResults results;
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    auto kindAttr =
        func.getResultAttrOfType<StringAttr>(i, nn::NNDialect::kKindAttr);
    auto nameAttr =
        func.getResultAttrOfType<StringAttr>(i, nn::NNDialect::kNameAttr);
    llvm::StringRef kind = kindAttr ? kindAttr.getValue() : "output";
    std::string name = nameAttr ? nameAttr.getValue().str()
                                : "result" + std::to_string(i);
    HostTensor &value = values[i];
    if (kind == "output") {
      results.outputs.emplace_back(name, std::move(value));
    } else if (kind == "loss") {
      if (results.loss)
        return llvm::createStringError("@" + func.getSymName() +
                                       " has more than one loss result");
      if (value.getRank() != 0)
        return llvm::createStringError("the loss '" + name + "' is not 0-d");
      results.loss = std::move(value);
    } else if (kind == "grad") {
      llvm::StringRef of = name;
      of.consume_front("grad.");
      results.grads.emplace_back(of.str(), std::move(value));
    } else if (kind == "buffer") {
      results.buffers.emplace_back(name, std::move(value));
    } else {
      return llvm::createStringError("result '" + name + "' of @" +
                                     func.getSymName() + " has kind '" + kind +
                                     "', which adjoint-run does not know");
    }
  }
  return results;
}

static llvm::Error writeFile(llvm::StringRef dir, llvm::StringRef subdir,
                             llvm::StringRef name, const HostTensor &tensor) {
  llvm::SmallString<128> path(dir);
  if (!subdir.empty())
    llvm::sys::path::append(path, subdir);
  llvm::sys::path::append(path, name + ".npy");
  NpyWriteOptions options;
  options.createParentDirectories = true;
  return writeNpyFile(path, toFileDType(tensor), options);
}

llvm::Error run::writeResults(llvm::StringRef outDir,
                              const RunResults &results) {
  for (const auto &[name, value] : results.outputs)
    if (llvm::Error err = writeFile(outDir, "outputs", name, value))
      return err;
  if (results.loss)
    if (llvm::Error err = writeFile(outDir, "", "loss", *results.loss))
      return err;
  for (const auto &[name, value] : results.grads)
    if (llvm::Error err = writeFile(outDir, "grad", name, value))
      return err;
  return llvm::Error::success();
}

llvm::Error run::saveParameters(llvm::StringRef dir,
                                llvm::ArrayRef<ArgumentInfo> arguments,
                                const ArgumentValues &values,
                                const RunResults &results) {
  for (const ArgumentInfo &arg : arguments) {
    if (!arg.isParamOrBuffer())
      continue;
    const HostTensor *value = &*values.values[arg.index];
    for (const auto &[name, updated] : results.buffers)
      if (name == arg.name)
        value = &updated;
    if (llvm::Error err = writeFile(dir, "", arg.name, *value))
      return err;
  }
  return llvm::Error::success();
}

void run::printResults(llvm::raw_ostream &os, const RunResults &results) {
  for (const auto &[name, value] : results.outputs)
    os << "output " << name << ": " << getDTypeName(value.getDType())
       << formatShape(value.getShape()) << "\n";
  if (results.loss)
    os << "loss: " << llvm::format("%.8g", results.loss->getElementAsDouble(0))
       << "\n";
  for (const auto &[name, value] : results.grads)
    os << "grad " << name << ": " << getDTypeName(value.getDType())
       << formatShape(value.getShape()) << "\n";
}
