//===- Header.cpp - The C header of a compiled network --------------------===//

#include "adjoint/Execution/Header.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace adjoint;
using namespace adjoint::abi;

namespace {

llvm::StringRef getCType(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "float";
  case DType::F64:
    return "double";
  case DType::I64:
    return "int64_t";
  case DType::I32:
    return "int32_t";
  }
  llvm_unreachable("unknown dtype");
}

/// Text that is safe inside a C comment.
std::string commentSafe(llvm::StringRef text) {
  std::string safe;
  for (size_t i = 0; i < text.size(); ++i) {
    safe += text[i];
    if (text[i] == '*' && i + 1 < text.size() && text[i + 1] == '/')
      safe += ' ';
  }
  return safe;
}

/// "f32[N, 64]".
std::string formatType(const Tensor &t) {
  return (getDTypeName(t.dtype) + t.formatShape()).str();
}

std::string formatType(const StateField &f) {
  std::string text = getDTypeName(f.dtype).str() + "[";
  for (size_t i = 0; i < f.shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(f.shape[i]);
  return text + "]";
}

/// The number of elements of a shape, as C text ("N * 64", "1").
std::string formatCount(const Tensor &t) {
  int64_t staticPart = 1;
  llvm::SmallVector<std::string> factors;
  for (const Dim &d : t.shape) {
    if (d.isSymbolic())
      factors.push_back(d.symbol);
    else
      staticPart *= d.size;
  }
  if (staticPart != 1 || factors.empty())
    factors.push_back(std::to_string(staticPart));
  return llvm::join(factors, " * ");
}

std::string describeFunction(llvm::StringRef name) {
  if (name == "forward")
    return "the forward pass, in inference mode (batchnorm uses the running "
           "statistics, dropout is off)";
  if (name == "gradient")
    return "the forward pass in training mode, the loss, and the gradient of "
           "the loss";
  if (name == "train_step")
    return "one training step: forward and gradient in training mode, then "
           "the optimizer's update.\n * The new parameters, buffers and "
           "optimizer state go to `new_state`, which\n * must not be `params`: "
           "swap the two pointers between steps (zero the\n * optimizer fields "
           "before the first)";
  if (name == "apply_update")
    return "the optimizer's update alone, from given gradients, for\n"
           " * data-parallel training: each process runs `gradient` on its "
           "shard of\n * the batch, the processes sum the gradients (each "
           "weighted by its\n * shard's share of the batch, e.g. with "
           "MPI_Allreduce on the `grad` struct\n * fields, or any allreduce "
           "of your own), then every process applies the\n * same update. "
           "`new_state` must not be `params`, as for train_step";
  if (name == "eval_step")
    return "the loss (and outputs) in inference mode, for held-out data";
  return "the network function '" + name.str() + "'";
}

void printFunction(llvm::raw_ostream &os, const NetworkABI &abi,
                   const Function &f) {
  std::string structName = abi.network + "_params";
  os << "/*\n * " << f.symbol << ": " << describeFunction(f.name) << ".\n";
  size_t width = 0;
  for (const Param &p : f.params)
    width = std::max(width, p.name.size());
  for (const Param &p : f.params) {
    os << " *   " << p.name << std::string(width - p.name.size() + 2, ' ');
    switch (p.kind) {
    case ParamKind::State:
      os << "the parameters, buffers and optimizer state (read)";
      break;
    case ParamKind::Dim:
      os << "the size of the symbolic dim " << p.name << " (>= 0)";
      break;
    case ParamKind::Input: {
      const Tensor &t = f.arguments[p.index];
      os << t.kind << " '" << commentSafe(t.name) << "': " << formatType(t)
         << ", " << formatCount(t) << " elements (read)";
      break;
    }
    case ParamKind::Seed:
      os << "the seed of dropout";
      break;
    case ParamKind::Result: {
      const Tensor &t = f.results[p.index];
      os << t.kind << " '" << commentSafe(t.name) << "': " << formatType(t)
         << ", " << formatCount(t) << " elements (written)";
      break;
    }
    case ParamKind::Grad:
    case ParamKind::NewState: {
      bool grad = p.kind == ParamKind::Grad;
      os << (grad ? "receives the gradients of:" : "receives the new values of:");
      for (auto [j, field] : llvm::enumerate(f.resultFields))
        if (field >= 0 && f.resultStructs[j] == p.kind)
          os << " " << abi.state[field].field;
      os << " (other fields are not written)";
      break;
    }
    }
    os << "\n";
  }
  os << " * Returns 0 on success; otherwise nothing is written and:\n";
  os << " *   1  a symbolic dim is negative\n";
  for (auto [k, message] : llvm::enumerate(f.checks))
    os << " *   " << (k + 2) << "  " << commentSafe(message) << "\n";
  os << " */\n";

  std::string prefix = "int " + f.symbol + "(";
  os << prefix;
  std::string indent(prefix.size(), ' ');
  for (auto [i, p] : llvm::enumerate(f.params)) {
    if (i)
      os << ",\n" << indent;
    switch (p.kind) {
    case ParamKind::State:
      os << "const " << structName << " *" << p.name;
      break;
    case ParamKind::Dim:
    case ParamKind::Seed:
      os << "int64_t " << p.name;
      break;
    case ParamKind::Input:
      os << "const " << getCType(f.arguments[p.index].dtype) << " *" << p.name;
      break;
    case ParamKind::Result:
      os << getCType(f.results[p.index].dtype) << " *" << p.name;
      break;
    case ParamKind::Grad:
    case ParamKind::NewState:
      os << structName << " *" << p.name;
      break;
    }
  }
  if (f.params.empty())
    os << "void";
  os << ");\n\n";
}

} // namespace

std::string adjoint::generateHeader(const NetworkABI &abi) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string guard = "ADJOINT_" + llvm::StringRef(abi.network).upper() + "_H";
  os << "/*\n"
     << " * " << abi.network << ".h: the C interface of the network '"
     << abi.network << "', generated by adjointc --emit=header.\n"
     << " *\n"
     << " * Every tensor is a dense row-major (C order) array with PyTorch's\n"
     << " * shape; shapes are listed in each comment, with the symbolic dims\n"
     << " * (";
  if (abi.symbols.empty())
    os << "none";
  else
    os << llvm::join(abi.symbols, ", ");
  os << ") given at each call. The caller allocates every buffer.\n"
     << " * The functions may run concurrently on distinct output buffers;\n"
     << " * outputs must not overlap inputs. Each function keeps its\n"
     << " * workspace (its temporaries) between calls, so that it allocates\n"
     << " * memory only when a call needs more than the calls before it;\n"
     << " * " << getReleaseWorkspaceSymbol(abi.network)
     << "() frees it. Link with the\n"
     << " * object or library that adjointc --emit=obj|lib made from the same\n"
     << " * model and options (and -lm).\n"
     << " */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";

  if (!abi.state.empty()) {
    std::string structName = abi.network + "_params";
    os << "/* The parameters (trainable), buffers (running statistics) and "
          "optimizer\n   state (train_step's) of the network, each in its own "
          "array. */\n"
       << "typedef struct " << structName << " {\n";
    size_t width = 0;
    for (const StateField &f : abi.state)
      width = std::max(width, getCType(f.dtype).size() + f.field.size() +
                                  std::to_string(f.numElements).size() + 3);
    for (const StateField &f : abi.state) {
      std::string decl = (getCType(f.dtype) + " " + f.field + "[" +
                          std::to_string(f.numElements) + "];")
                             .str();
      os << "  " << decl << std::string(width - decl.size() + 2, ' ') << "/* "
         << f.kind << " " << commentSafe(f.name) << ": " << formatType(f)
         << " */\n";
    }
    os << "} " << structName << ";\n\n"
       << "#ifdef __cplusplus\nstatic_assert(sizeof(" << structName
       << ") == " << abi.stateBytes << ", \"unexpected padding\");\n#else\n"
       << "_Static_assert(sizeof(" << structName << ") == " << abi.stateBytes
       << ", \"unexpected padding\");\n#endif\n\n";
  }

  for (const Function &f : abi.functions)
    printFunction(os, abi, f);
  std::string release = getReleaseWorkspaceSymbol(abi.network);
  os << "/*\n * " << release
     << ": frees the workspaces that the functions keep\n"
     << " * between calls (the next call allocates its own again). Call it when\n"
     << " * no function of the network is running; a workspace in use is kept.\n"
     << " */\n"
     << "void " << release << "(void);\n\n";

  os << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n"
     << "#endif /* " << guard << " */\n";
  return text;
}
