//===- Frontend.cpp - From a .nn file to the nn dialect -------------------===//

#include "adjoint/Frontend/Frontend.h"

#include "adjoint/Frontend/Diagnostics.h"
#include "adjoint/Frontend/NetworkBuilder.h"
#include "adjoint/Frontend/Parser.h"
#include "adjoint/Support/InputFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace adjoint;
using namespace adjoint::frontend;

llvm::Error adjoint::addDimDefinition(llvm::StringRef text,
                                      FrontendOptions &options) {
  auto fail = [&](const llvm::Twine &what) {
    return llvm::createStringError("invalid -D '" + text + "': " + what);
  };
  auto [name, value] = text.split('=');
  name = name.trim();
  value = value.trim();
  if (!text.contains('='))
    return fail("expected NAME=SIZE, as in -D N=128");
  bool validName =
      !name.empty() && (llvm::isAlpha(name[0]) || name[0] == '_') &&
      llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
  if (!validName)
    return fail("'" + name + "' is not a symbolic dim name");
  int64_t size = 0;
  if (value.getAsInteger(10, size) || size <= 0)
    return fail("the size must be a positive integer, got '" + value + "'");
  if (!options.fixedDims.emplace(name.str(), size).second)
    return fail("'" + name + "' is already fixed by another -D");
  return llvm::Error::success();
}

llvm::Error adjoint::openNetworkFile(llvm::StringRef path,
                                     llvm::SourceMgr &sourceMgr) {
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      openTextInput(path);
  if (!buffer)
    return buffer.takeError();
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  return llvm::Error::success();
}

OwningOpRef<ModuleOp>
adjoint::importNetworkFile(llvm::SourceMgr &sourceMgr, MLIRContext &context,
                           const FrontendOptions &options) {
  unsigned bufferId = sourceMgr.getMainFileID();
  llvm::StringRef text = sourceMgr.getMemoryBuffer(bufferId)->getBuffer();
  FrontendDiagnostics diags(sourceMgr, bufferId, context, options.errorLimit);

  // A NUL byte means a binary file: one error instead of one per line.
  size_t nul = text.find('\0');
  if (nul != llvm::StringRef::npos) {
    diags.error(llvm::SMLoc::getFromPointer(text.data() + nul),
                "this is not a text file (it has a NUL byte); expected a .nn "
                "network file");
    return nullptr;
  }

  // Each statement is built as soon as it is parsed, so that errors come in
  // the order of the lines.
  Parser parser(text, diags);
  NetworkBuilder builder(diags, options);
  builder.begin();
  while (std::optional<Statement> stmt = parser.parseNextStatement())
    builder.buildStatement(*stmt);
  OwningOpRef<ModuleOp> module = builder.finish();
  if (diags.hadError())
    return nullptr;
  return module;
}
