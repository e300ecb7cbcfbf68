//===- CommandLine.h - Command lines of the Adjoint tools --------*- C++ -*-===//
//
// The tools' contract (spec/tools.md) is one line `error: ...` on failure.
// llvm::cl reports some errors (a bad value of an enum or integer option)
// straight to stderr as "TOOL: for the --X option: ...", so the tools parse
// through parseCommandLine, which catches what llvm::cl writes to stderr
// while it parses and rewrites its first line.
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_SUPPORT_COMMANDLINE_H
#define ADJOINT_SUPPORT_COMMANDLINE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace adjoint {

/// Parses the command line with llvm::cl. On an error prints one line
/// `error: MESSAGE` to stderr and returns false. --help and --version exit
/// inside, as with llvm::cl.
bool parseCommandLine(int argc, const char *const *argv,
                      llvm::StringRef overview);

/// The message of llvm::cl's error output `text` as one line, without the
/// tool's name: "TOOL: for the --mode option: Cannot find option named
/// 'fast'!" becomes "--mode: cannot find option named 'fast'!".
std::string rewriteCommandLineError(llvm::StringRef text,
                                    llvm::StringRef toolName);

/// Loads the MLIR dialect plugins `paths` (--load-dialect-plugin) into
/// `registry`. On an error prints one line `error: ...` and returns false.
bool loadDialectPlugins(llvm::ArrayRef<std::string> paths,
                        mlir::DialectRegistry &registry);

} // namespace adjoint

#endif // ADJOINT_SUPPORT_COMMANDLINE_H
