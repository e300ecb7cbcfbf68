//===- ModelArguments.cpp - The arguments of a model and their values -----===//

#include "ModelArguments.h"

#include "adjoint/Dialect/NN/IR/NNDialect.h"
#include "adjoint/Runtime/Init.h"
#include "adjoint/Runtime/Npy.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::run;

static llvm::StringRef getStringArgAttr(func::FuncOp func, unsigned i,
                                        llvm::StringRef name) {
  if (auto attr = func.getArgAttrOfType<StringAttr>(i, name))
    return attr.getValue();
  return "";
}

llvm::Expected<std::vector<ArgumentInfo>>
run::describeArguments(func::FuncOp func) {
  std::vector<ArgumentInfo> arguments;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    ArgumentInfo info;
    info.index = i;
    info.name = getStringArgAttr(func, i, nn::NNDialect::kNameAttr).str();
    if (info.name.empty())
      info.name = "arg" + std::to_string(i);
    info.kind = getStringArgAttr(func, i, nn::NNDialect::kKindAttr).str();
    if (info.kind.empty())
      info.kind = "input";
    info.init = getStringArgAttr(func, i, nn::NNDialect::kInitAttr).str();

    auto type = llvm::dyn_cast<RankedTensorType>(func.getArgumentTypes()[i]);
    Type element = type ? type.getElementType() : Type();
    std::optional<DType> dtype;
    if (element && element.isF32())
      dtype = DType::F32;
    else if (element && element.isF64())
      dtype = DType::F64;
    else if (element && element.isInteger(64))
      dtype = DType::I64;
    else if (element && element.isInteger(32))
      dtype = DType::I32;
    if (!dtype) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << func.getArgumentTypes()[i];
      return llvm::createStringError("argument '" + info.name +
                                     "' of @forward has type " + text +
                                     ", which adjoint-run cannot provide");
    }
    info.spec.kind = info.kind == "param"    ? "parameter"
                     : info.kind == "buffer" ? "buffer"
                                             : "input";
    info.spec.name = info.name;
    info.spec.dtype = *dtype;
    for (int64_t dim : type.getShape())
      info.spec.shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
    if (auto dims =
            func.getArgAttrOfType<ArrayAttr>(i, nn::NNDialect::kDimsAttr))
      for (Attribute dim : dims)
        info.spec.dimNames.push_back(
            llvm::cast<StringAttr>(dim).getValue().str());
    arguments.push_back(std::move(info));
  }
  return arguments;
}

/// The names of the inputs, for messages: "x, label".
static std::string listInputs(llvm::ArrayRef<ArgumentInfo> arguments) {
  std::string list;
  for (const ArgumentInfo &arg : arguments) {
    if (!arg.isInput())
      continue;
    if (!list.empty())
      list += ", ";
    list += arg.name;
  }
  return list.empty() ? "none" : list;
}

/// Loads parameter or buffer `arg` from the --params directory, or
/// initializes it from its `nn.init`.
static llvm::Expected<HostTensor> loadParameter(const ArgumentInfo &arg,
                                                const ArgumentSources &sources) {
  if (!sources.paramsDir.empty()) {
    llvm::SmallString<128> path(sources.paramsDir);
    llvm::sys::path::append(path, arg.name + ".npy");
    llvm::Expected<HostTensor> tensor = readNpyFile(path);
    if (!tensor)
      return tensor.takeError();
    if (llvm::Error err = checkTensorMatchesSpec(*tensor, path, arg.spec))
      return std::move(err);
    return tensor;
  }
  if (sources.initialValues) {
    auto it = sources.initialValues->find(arg.name);
    if (it != sources.initialValues->end())
      return it->second;
  }
  if (arg.init.empty())
    return llvm::createStringError(arg.spec.kind + " '" + arg.name +
                                   "' has no initializer (nn.init); give "
                                   "its value with --params DIR");
  if (llvm::is_contained(arg.spec.shape, -1))
    return llvm::createStringError(
        arg.spec.kind + " '" + arg.name + "' has the dynamic shape " +
        arg.spec.formatShape() + "; give its value with --params DIR");
  if (arg.spec.dtype != DType::F32)
    return llvm::createStringError(arg.spec.kind + " '" + arg.name +
                                   "' is not f32; give its value with "
                                   "--params DIR");
  return initializeParameter(arg.init, arg.spec.shape, sources.seed, arg.name);
}

llvm::Expected<ArgumentValues>
run::loadArguments(llvm::ArrayRef<ArgumentInfo> arguments,
                   const ArgumentSources &sources) {
  ArgumentValues result;
  result.values.resize(arguments.size());

  llvm::StringMap<unsigned> inputIndex;
  for (const ArgumentInfo &arg : arguments)
    if (arg.isInput())
      inputIndex[arg.name] = arg.index;

  // Inputs, in command-line order; symbolic dims bind across all of them.
  DimBindings &bindings = result.bindings;
  llvm::StringSet<> given;
  for (const auto &[name, path] : sources.inputs) {
    auto it = inputIndex.find(name);
    if (it == inputIndex.end())
      return llvm::createStringError("unknown input '" + name +
                                     "' (the model's inputs are: " +
                                     listInputs(arguments) + ")");
    if (!given.insert(name).second)
      return llvm::createStringError("input '" + name + "' is given twice");
    llvm::Expected<HostTensor> tensor = readNpyFile(path);
    if (!tensor)
      return tensor.takeError();
    if (llvm::Error err = checkTensorMatchesSpec(
            *tensor, path, arguments[it->second].spec, &bindings))
      return std::move(err);
    result.values[it->second] = std::move(*tensor);
  }

  for (const ArgumentInfo &arg : arguments) {
    if (arg.isParamOrBuffer()) {
      llvm::Expected<HostTensor> tensor = loadParameter(arg, sources);
      if (!tensor)
        return tensor.takeError();
      result.values[arg.index] = std::move(*tensor);
    } else if (arg.kind == "seed") {
      result.values[arg.index] = HostTensor::fromValues<int64_t>(
          {}, {static_cast<int64_t>(sources.seed)});
    } else if (!arg.isInput()) {
      return llvm::createStringError("argument '" + arg.name + "' has kind '" +
                                     arg.kind +
                                     "', which adjoint-run cannot provide");
    }
  }
  return result;
}

HostTensor run::makePlaceholder(const ArgumentInfo &arg,
                                const DimBindings &bindings) {
  llvm::SmallVector<int64_t, 4> shape;
  for (auto [i, dim] : llvm::enumerate(arg.spec.shape)) {
    if (dim >= 0) {
      shape.push_back(dim);
      continue;
    }
    std::optional<int64_t> bound;
    if (!arg.spec.getDimName(i).empty())
      bound = bindings.lookup(arg.spec.getDimName(i));
    shape.push_back(bound.value_or(0));
  }
  return HostTensor(arg.spec.dtype, shape);
}
