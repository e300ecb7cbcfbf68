//===- CommandLine.cpp - Command lines of the Adjoint tools ---------------===//

#include "adjoint/Support/CommandLine.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cstdio>
#include <string>
#include <unistd.h>

using namespace adjoint;

std::string adjoint::rewriteCommandLineError(llvm::StringRef text,
                                             llvm::StringRef toolName) {
  // The first non-empty line.
  llvm::StringRef line;
  while (!text.empty() && line.empty())
    std::tie(line, text) = text.split('\n');
  line = line.trim();
  line.consume_front(toolName);
  line = line.ltrim(": ");
  line.consume_front("error: ");
  std::string message;
  if (line.consume_front("for the ")) {
    auto [option, rest] = line.split(" option: ");
    message = (option + ": ").str();
    line = rest;
  }
  std::string rest = line.str();
  if (!rest.empty() && !message.empty())
    rest[0] = static_cast<char>(std::tolower(rest[0]));
  return message + rest;
}

bool adjoint::parseCommandLine(int argc, const char *const *argv,
                               llvm::StringRef overview) {
  llvm::StringRef toolName = llvm::sys::path::filename(argv[0]);
  // llvm::cl writes some errors to errs() (fd 2) itself: catch fd 2 in a
  // temporary file while it parses.
  std::FILE *capture = std::tmpfile();
  int savedStderr = capture ? ::dup(2) : -1;
  if (savedStderr >= 0) {
    llvm::errs().flush();
    ::dup2(::fileno(capture), 2);
  }
  std::string direct;
  llvm::raw_string_ostream directStream(direct);
  bool ok = llvm::cl::ParseCommandLineOptions(argc, argv, overview,
                                              &directStream);
  std::string caught;
  if (savedStderr >= 0) {
    llvm::errs().flush();
    ::dup2(savedStderr, 2);
    ::close(savedStderr);
    std::rewind(capture);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, capture)) > 0)
      caught.append(buffer, n);
  }
  if (capture)
    std::fclose(capture);
  if (ok) {
    // Warnings (a deprecated option) pass through.
    llvm::errs() << caught;
    return true;
  }
  std::string message = rewriteCommandLineError(
      caught.empty() ? llvm::StringRef(direct) : llvm::StringRef(caught),
      toolName);
  if (message.empty())
    message = "invalid command line";
  llvm::errs() << "error: " << message << "\n";
  return false;
}

bool adjoint::loadDialectPlugins(llvm::ArrayRef<std::string> paths,
                                 mlir::DialectRegistry &registry) {
  for (const std::string &path : paths) {
    llvm::Expected<mlir::DialectPlugin> plugin =
        mlir::DialectPlugin::load(path);
    if (!plugin) {
      llvm::errs() << "error: cannot load the dialect plugin '" << path
                   << "': " << llvm::toString(plugin.takeError()) << "\n";
      return false;
    }
    plugin->registerDialectRegistryCallbacks(registry);
  }
  return true;
}
