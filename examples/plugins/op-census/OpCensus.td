//===- OpCensus.td - The op-census pass --------------------*- tablegen -*-===//

#ifndef OP_CENSUS_TD
#define OP_CENSUS_TD

include "mlir/Pass/PassBase.td"

def OpCensus : Pass<"op-census", "::mlir::ModuleOp"> {
  let summary = "Counts the ops of each function by dialect";
  let description = [{
    Attaches to every function of the module (every op with a symbol name and
    a region) an attribute `census` that counts the ops nested in it, by
    dialect namespace, terminators included:

    ```mlir
    func.func @forward(...) attributes {census = {func = 1 : i64, nn = 6 : i64}}
    ```
  }];
  let options = [
    Option<"attrName", "attr-name", "std::string", "\"census\"",
           "The name of the attribute to attach">,
  ];
}

#endif // OP_CENSUS_TD
