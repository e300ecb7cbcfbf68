//===- adjoint-npy.cpp - Test driver for the runtime's .npy and init ------===//
//
// A small command-line front end to lib/Runtime for the lit tests, which use
// it to check files against NumPy:
//   adjoint-npy info FILE [--allow-f64]        dtype, shape and values
//   adjoint-npy copy IN OUT [--mkdir]          read IN, write it to OUT
//   adjoint-npy init INIT --shape=D,D,... [--seed=S] [--name=P] -o OUT
// Errors are printed as "error: MESSAGE" with exit status 1.
//
//===----------------------------------------------------------------------===//

#include "adjoint/Runtime/Init.h"
#include "adjoint/Runtime/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace adjoint;

namespace {

int fail(const llvm::Twine &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

int fail(llvm::Error err) { return fail(llvm::toString(std::move(err))); }

int usage() {
  return fail("usage: adjoint-npy info FILE [--allow-f64] | copy IN OUT "
              "[--mkdir] | init INIT --shape=D,... [--seed=S] [--name=P] -o "
              "OUT");
}

int runInfo(llvm::ArrayRef<llvm::StringRef> args) {
  if (args.empty())
    return usage();
  NpyReadOptions options;
  for (llvm::StringRef arg : args.drop_front()) {
    if (arg != "--allow-f64")
      return usage();
    options.allowF64 = true;
  }
  llvm::Expected<HostTensor> tensor = readNpyFile(args[0], options);
  if (!tensor)
    return fail(tensor.takeError());
  llvm::outs() << getDTypeName(tensor->getDType()) << " "
               << formatShape(tensor->getShape()) << "\n";
  // At most 16 values, enough for the files the tests write.
  int64_t shown = std::min<int64_t>(tensor->getNumElements(), 16);
  for (int64_t i = 0; i < shown; ++i) {
    llvm::outs() << (i ? " " : "");
    if (tensor->getDType() == DType::I64)
      llvm::outs() << tensor->getValues<int64_t>()[i];
    else if (tensor->getDType() == DType::I32)
      llvm::outs() << tensor->getValues<int32_t>()[i];
    else
      llvm::outs() << llvm::format("%.9g", tensor->getElementAsDouble(i));
  }
  llvm::outs() << (shown < tensor->getNumElements() ? " ...\n" : "\n");
  return 0;
}

int runCopy(llvm::ArrayRef<llvm::StringRef> args) {
  if (args.size() < 2 || args.size() > 3 ||
      (args.size() == 3 && args[2] != "--mkdir"))
    return usage();
  NpyReadOptions readOptions;
  readOptions.allowF64 = true;
  llvm::Expected<HostTensor> tensor = readNpyFile(args[0], readOptions);
  if (!tensor)
    return fail(tensor.takeError());
  NpyWriteOptions writeOptions;
  writeOptions.createParentDirectories = args.size() == 3;
  if (llvm::Error err = writeNpyFile(args[1], *tensor, writeOptions))
    return fail(std::move(err));
  return 0;
}

int runInit(llvm::ArrayRef<llvm::StringRef> args) {
  if (args.empty())
    return usage();
  llvm::StringRef init = args[0], name = "param", output;
  uint64_t seed = 0;
  llvm::SmallVector<int64_t> shape;
  for (size_t i = 1; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    if (arg.consume_front("--shape=")) {
      llvm::SmallVector<llvm::StringRef> dims;
      arg.split(dims, ',', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef dim : dims) {
        int64_t value;
        if (dim.getAsInteger(10, value))
          return fail("bad dim '" + dim + "' in --shape");
        shape.push_back(value);
      }
    } else if (arg.consume_front("--seed=")) {
      if (arg.getAsInteger(10, seed))
        return fail("bad --seed '" + arg + "'");
    } else if (arg.consume_front("--name=")) {
      name = arg;
    } else if (arg == "-o" && i + 1 < args.size()) {
      output = args[++i];
    } else {
      return usage();
    }
  }
  if (output.empty())
    return usage();
  llvm::Expected<HostTensor> tensor =
      initializeParameter(init, shape, seed, name);
  if (!tensor)
    return fail(tensor.takeError());
  if (llvm::Error err = writeNpyFile(output, *tensor))
    return fail(std::move(err));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::SmallVector<llvm::StringRef> args(argv + 1, argv + argc);
  if (args.empty())
    return usage();
  llvm::StringRef command = args.front();
  llvm::ArrayRef<llvm::StringRef> rest = llvm::ArrayRef(args).drop_front();
  if (command == "info")
    return runInfo(rest);
  if (command == "copy")
    return runCopy(rest);
  if (command == "init")
    return runInit(rest);
  return usage();
}
