//===- TensorSpec.cpp - Checking tensors against declared types -----------===//

#include "adjoint/Runtime/TensorSpec.h"

#include "llvm/Support/raw_ostream.h"

using namespace adjoint;

llvm::StringRef TensorSpec::getDimName(size_t i) const {
  return i < dimNames.size() ? llvm::StringRef(dimNames[i]) : llvm::StringRef();
}

std::string TensorSpec::formatShape() const {
  std::string result;
  llvm::raw_string_ostream os(result);
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      os << ", ";
    if (shape[i] >= 0)
      os << shape[i];
    else if (!getDimName(i).empty())
      os << getDimName(i);
    else
      os << '?';
  }
  os << ']';
  return result;
}

std::string TensorSpec::formatType() const {
  return getDTypeName(dtype).str() + formatShape();
}

std::optional<int64_t> DimBindings::lookup(llvm::StringRef symbol) const {
  auto it = bindings.find(symbol);
  if (it == bindings.end())
    return std::nullopt;
  return it->second.size;
}

void DimBindings::bind(llvm::StringRef symbol, int64_t size,
                       llvm::StringRef origin) {
  bindings[symbol] = Binding{size, origin.str()};
}

llvm::StringRef DimBindings::getOrigin(llvm::StringRef symbol) const {
  auto it = bindings.find(symbol);
  return it == bindings.end() ? llvm::StringRef()
                              : llvm::StringRef(it->second.origin);
}

llvm::Error adjoint::checkTensorMatchesSpec(const HostTensor &tensor,
                                            llvm::StringRef source,
                                            const TensorSpec &spec,
                                            DimBindings *bindings) {
  std::string what = spec.kind + " '" + spec.name + "'";
  if (tensor.getDType() != spec.dtype)
    return llvm::createStringError(
        source + ": dtype " + getDTypeName(tensor.getDType()) +
        " does not match " + what + " of type " + spec.formatType());

  auto mismatch = [&](const llvm::Twine &why) {
    std::string message =
        (source + ": shape " + formatShape(tensor.getShape()) +
         " does not match " + what + " of shape " + spec.formatShape())
            .str();
    if (!why.isTriviallyEmpty())
      message += (": " + why).str();
    return llvm::createStringError(message);
  };
  llvm::ArrayRef<int64_t> actual = tensor.getShape();
  if (actual.size() != spec.shape.size())
    return mismatch("");
  for (size_t i = 0; i < actual.size(); ++i)
    if (spec.shape[i] >= 0 && spec.shape[i] != actual[i])
      return mismatch("");

  // Named dims: consistent within this tensor and with earlier bindings.
  llvm::StringMap<size_t> firstDim;
  for (size_t i = 0; i < actual.size(); ++i) {
    llvm::StringRef symbol = spec.getDimName(i);
    if (spec.shape[i] >= 0 || symbol.empty())
      continue;
    auto [it, inserted] = firstDim.try_emplace(symbol, i);
    if (!inserted && actual[it->second] != actual[i])
      return mismatch(symbol + " is " + llvm::Twine(actual[it->second]) +
                      " in dim " + llvm::Twine(it->second) + " but " +
                      llvm::Twine(actual[i]) + " in dim " + llvm::Twine(i));
    if (!bindings)
      continue;
    std::optional<int64_t> bound = bindings->lookup(symbol);
    if (bound && *bound != actual[i])
      return mismatch(symbol + " is " + llvm::Twine(*bound) + " (from " +
                      bindings->getOrigin(symbol) + ")");
  }
  if (bindings)
    for (const auto &entry : firstDim)
      bindings->bind(entry.getKey(), actual[entry.getValue()], what);
  return llvm::Error::success();
}
