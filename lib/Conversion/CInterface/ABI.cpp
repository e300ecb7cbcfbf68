//===- ABI.cpp - The C ABI of a compiled network: JSON form ---------------===//

#include "adjoint/Conversion/CInterface/ABI.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

using namespace adjoint;
using namespace adjoint::abi;
namespace json = llvm::json;

std::string Tensor::formatShape() const {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += ", ";
    text += shape[i].isSymbolic() ? shape[i].symbol
                                  : std::to_string(shape[i].size);
  }
  return text + "]";
}

llvm::StringRef abi::getParamKindName(ParamKind kind) {
  switch (kind) {
  case ParamKind::State:
    return "state";
  case ParamKind::Dim:
    return "dim";
  case ParamKind::Input:
    return "input";
  case ParamKind::Seed:
    return "seed";
  case ParamKind::Result:
    return "result";
  case ParamKind::Grad:
    return "grad";
  case ParamKind::NewState:
    return "new_state";
  }
  llvm_unreachable("unknown parameter kind");
}

static std::optional<ParamKind> parseParamKind(llvm::StringRef name) {
  for (ParamKind kind :
       {ParamKind::State, ParamKind::Dim, ParamKind::Input, ParamKind::Seed,
        ParamKind::Result, ParamKind::Grad, ParamKind::NewState})
    if (getParamKindName(kind) == name)
      return kind;
  return std::nullopt;
}

std::string Function::describeStatus(int status) const {
  if (status == 0)
    return "success";
  if (status == 1)
    return "a symbolic dim is negative";
  int64_t k = static_cast<int64_t>(status) - 2;
  if (k >= 0 && k < static_cast<int64_t>(checks.size()))
    return checks[k];
  return "unknown status " + std::to_string(status);
}

const Function *NetworkABI::lookup(llvm::StringRef name) const {
  for (const Function &f : functions)
    if (f.name == name)
      return &f;
  return nullptr;
}

int64_t NetworkABI::lookupField(llvm::StringRef name) const {
  for (size_t i = 0; i < state.size(); ++i)
    if (state[i].name == name)
      return static_cast<int64_t>(i);
  return -1;
}

std::string abi::makeCIdentifier(llvm::StringRef name) {
  std::string id;
  for (char c : name)
    id += llvm::isAlnum(c) || c == '_' ? c : '_';
  if (id.empty() || llvm::isDigit(id.front()))
    id = "_" + id;
  static const char *const keywords[] = {
      "auto",     "break",    "case",     "char",   "const",    "continue",
      "default",  "do",       "double",   "else",   "enum",     "extern",
      "float",    "for",      "goto",     "if",     "inline",   "int",
      "long",     "register", "restrict", "return", "short",    "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef",  "union",
      "unsigned", "void",     "volatile", "while",  "_Bool",    "bool",
      "class",    "new",      "delete",   "this",   "template", "private",
      "public",   "operator", "namespace"};
  if (llvm::is_contained(keywords, llvm::StringRef(id)))
    id += "_";
  return id;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static json::Value dimToJSON(const Dim &dim) {
  if (dim.isSymbolic())
    return dim.symbol;
  return dim.size;
}

static json::Value tensorToJSON(const Tensor &t) {
  json::Array shape;
  for (const Dim &d : t.shape)
    shape.push_back(dimToJSON(d));
  return json::Object{{"name", t.name},
                      {"kind", t.kind},
                      {"dtype", getDTypeName(t.dtype)},
                      {"shape", std::move(shape)}};
}

std::string NetworkABI::toJSON() const {
  json::Array stateJSON;
  for (const StateField &f : state)
    stateJSON.push_back(json::Object{
        {"name", f.name},
        {"field", f.field},
        {"kind", f.kind},
        {"dtype", getDTypeName(f.dtype)},
        {"shape", json::Array(f.shape)},
        {"offset", f.offset},
        {"elements", f.numElements}});
  json::Array functionsJSON;
  for (const Function &f : functions) {
    json::Array args, results, params, checksJSON, resultStructs;
    for (const Tensor &t : f.arguments)
      args.push_back(tensorToJSON(t));
    for (const Tensor &t : f.results)
      results.push_back(tensorToJSON(t));
    for (ParamKind k : f.resultStructs)
      resultStructs.push_back(getParamKindName(k));
    for (const Param &p : f.params)
      params.push_back(json::Object{{"kind", getParamKindName(p.kind)},
                                    {"name", p.name},
                                    {"index", p.index}});
    for (const std::string &c : f.checks)
      checksJSON.push_back(c);
    functionsJSON.push_back(json::Object{
        {"name", f.name},
        {"symbol", f.symbol},
        {"arguments", std::move(args)},
        {"results", std::move(results)},
        {"argument_fields", json::Array(f.argumentFields)},
        {"result_fields", json::Array(f.resultFields)},
        {"result_structs", std::move(resultStructs)},
        {"params", std::move(params)},
        {"checks", std::move(checksJSON)}});
  }
  json::Value root = json::Object{{"network", network},
                                  {"symbols", json::Array(symbols)},
                                  {"state", std::move(stateJSON)},
                                  {"state_bytes", stateBytes},
                                  {"functions", std::move(functionsJSON)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << root;
  return text;
}

namespace {
/// Reads the JSON form with llvm::json::Path for error messages.
struct Reader {
  json::Path::Root root{"adjoint.abi"};

  bool readString(const json::Object &o, llvm::StringRef key,
                  std::string &out, json::Path path) {
    std::optional<llvm::StringRef> s = o.getString(key);
    if (!s) {
      path.field(key).report("expected a string");
      return false;
    }
    out = s->str();
    return true;
  }
  bool readInt(const json::Object &o, llvm::StringRef key, int64_t &out,
               json::Path path) {
    std::optional<int64_t> v = o.getInteger(key);
    if (!v) {
      path.field(key).report("expected an integer");
      return false;
    }
    out = *v;
    return true;
  }
  bool readDType(const json::Object &o, DType &out, json::Path path) {
    std::string name;
    if (!readString(o, "dtype", name, path))
      return false;
    std::optional<DType> dtype = parseDTypeName(name);
    if (!dtype) {
      path.field("dtype").report("unknown dtype");
      return false;
    }
    out = *dtype;
    return true;
  }
  bool readIntArray(const json::Object &o, llvm::StringRef key,
                    llvm::SmallVectorImpl<int64_t> &out, json::Path path) {
    const json::Array *a = o.getArray(key);
    if (!a) {
      path.field(key).report("expected an array");
      return false;
    }
    for (const json::Value &v : *a) {
      std::optional<int64_t> i = v.getAsInteger();
      if (!i) {
        path.field(key).report("expected integers");
        return false;
      }
      out.push_back(*i);
    }
    return true;
  }
  bool readTensor(const json::Value &v, Tensor &t, json::Path path) {
    const json::Object *o = v.getAsObject();
    if (!o) {
      path.report("expected an object");
      return false;
    }
    if (!readString(*o, "name", t.name, path) ||
        !readString(*o, "kind", t.kind, path) || !readDType(*o, t.dtype, path))
      return false;
    const json::Array *shape = o->getArray("shape");
    if (!shape) {
      path.field("shape").report("expected an array");
      return false;
    }
    for (const json::Value &d : *shape) {
      Dim dim;
      if (std::optional<int64_t> size = d.getAsInteger())
        dim.size = *size;
      else if (std::optional<llvm::StringRef> symbol = d.getAsString())
        dim.symbol = symbol->str();
      else {
        path.field("shape").report("expected sizes or symbols");
        return false;
      }
      t.shape.push_back(dim);
    }
    return true;
  }
  template <typename Container, typename Fn>
  bool readArray(const json::Object &o, llvm::StringRef key, Container &out,
                 json::Path path, Fn &&fn) {
    using T = typename Container::value_type;
    const json::Array *a = o.getArray(key);
    if (!a) {
      path.field(key).report("expected an array");
      return false;
    }
    for (size_t i = 0; i < a->size(); ++i) {
      T item;
      if (!fn((*a)[i], item, path.field(key).index(i)))
        return false;
      out.push_back(std::move(item));
    }
    return true;
  }

  bool read(const json::Value &value, NetworkABI &abi) {
    json::Path path(root);
    const json::Object *o = value.getAsObject();
    if (!o) {
      path.report("expected an object");
      return false;
    }
    if (!readString(*o, "network", abi.network, path) ||
        !readInt(*o, "state_bytes", abi.stateBytes, path))
      return false;
    if (!readArray(*o, "symbols", abi.symbols, path,
                   [&](const json::Value &v, std::string &s, json::Path p) {
                     std::optional<llvm::StringRef> str = v.getAsString();
                     if (!str)
                       p.report("expected a string");
                     s = str ? str->str() : "";
                     return str.has_value();
                   }))
      return false;
    if (!readArray(*o, "state", abi.state, path,
                   [&](const json::Value &v, StateField &f, json::Path p) {
                     const json::Object *fo = v.getAsObject();
                     if (!fo) {
                       p.report("expected an object");
                       return false;
                     }
                     return readString(*fo, "name", f.name, p) &&
                            readString(*fo, "field", f.field, p) &&
                            readString(*fo, "kind", f.kind, p) &&
                            readDType(*fo, f.dtype, p) &&
                            readIntArray(*fo, "shape", f.shape, p) &&
                            readInt(*fo, "offset", f.offset, p) &&
                            readInt(*fo, "elements", f.numElements, p);
                   }))
      return false;
    return readArray(
        *o, "functions", abi.functions, path,
        [&](const json::Value &v, Function &f, json::Path p) {
          const json::Object *fo = v.getAsObject();
          if (!fo) {
            p.report("expected an object");
            return false;
          }
          auto tensor = [&](const json::Value &tv, Tensor &t, json::Path tp) {
            return readTensor(tv, t, tp);
          };
          auto structKind = [&](const json::Value &kv, ParamKind &k,
                                json::Path kp) {
            std::optional<llvm::StringRef> s = kv.getAsString();
            std::optional<ParamKind> kind =
                s ? parseParamKind(*s) : std::nullopt;
            if (!kind)
              kp.report("expected a parameter kind");
            k = kind.value_or(ParamKind::Result);
            return kind.has_value();
          };
          auto param = [&](const json::Value &pv, Param &pa, json::Path pp) {
            const json::Object *po = pv.getAsObject();
            if (!po) {
              pp.report("expected an object");
              return false;
            }
            std::string kind;
            if (!readString(*po, "kind", kind, pp) ||
                !readString(*po, "name", pa.name, pp) ||
                !readInt(*po, "index", pa.index, pp))
              return false;
            std::optional<ParamKind> k = parseParamKind(kind);
            if (!k) {
              pp.field("kind").report("unknown parameter kind");
              return false;
            }
            pa.kind = *k;
            return true;
          };
          auto check = [&](const json::Value &cv, std::string &c,
                           json::Path cp) {
            std::optional<llvm::StringRef> s = cv.getAsString();
            if (!s)
              cp.report("expected a string");
            c = s ? s->str() : "";
            return s.has_value();
          };
          return readString(*fo, "name", f.name, p) &&
                 readString(*fo, "symbol", f.symbol, p) &&
                 readArray(*fo, "arguments", f.arguments, p, tensor) &&
                 readArray(*fo, "results", f.results, p, tensor) &&
                 readIntArray(*fo, "argument_fields", f.argumentFields, p) &&
                 readIntArray(*fo, "result_fields", f.resultFields, p) &&
                 readArray(*fo, "result_structs", f.resultStructs, p,
                           structKind) &&
                 readArray(*fo, "params", f.params, p, param) &&
                 readArray(*fo, "checks", f.checks, p, check);
        });
  }
};
} // namespace

llvm::Expected<NetworkABI> NetworkABI::fromJSON(llvm::StringRef text) {
  llvm::Expected<json::Value> value = json::parse(text);
  if (!value)
    return llvm::createStringError(
        "adjoint.abi: invalid JSON: " + llvm::toString(value.takeError()));
  NetworkABI abi;
  Reader reader;
  if (!reader.read(*value, abi))
    return reader.root.getError();
  return abi;
}

llvm::Expected<NetworkABI> abi::readABI(mlir::ModuleOp module) {
  auto attr = module->getAttrOfType<mlir::StringAttr>(kAttrName);
  if (!attr)
    return llvm::createStringError(
        "the module has no '" + kAttrName +
        "' attribute (run adjoint-generate-c-interface)");
  return NetworkABI::fromJSON(attr.getValue());
}
