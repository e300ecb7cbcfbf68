//===- FlopReport.td - The nn-flop-report pass -------------*- tablegen -*-===//

#ifndef FLOP_REPORT_TD
#define FLOP_REPORT_TD

include "mlir/Pass/PassBase.td"

def NNFlopReport : Pass<"nn-flop-report", "::mlir::ModuleOp"> {
  let summary = "Prints the FLOPs and the memory of every layer";
  let description = [{
    Prints to stderr, for one function of an nn module, a table with one row
    per layer: the ops that came from one statement of the `.nn` file (one
    location; ops without a file location form the row `<unknown>`), with

    - `flops`: floating-point operations, a multiply-add counted as two:
      `2 B M N K` for `nn.matmul`, `2 N O Ho Wo C kh kw` for `nn.conv2d`,
      `kh kw` per result element for the pooling ops, no work for the ops
      that only move data (reshape, transpose, broadcast, slice, concat, pad,
      constant, size, one_hot, embedding), and one per element of the largest
      operand or result for every other op;
    - `params`: the bytes of the parameters (arguments with
      `nn.kind = "param"`) that the layer reads, each counted once;
    - `activations`: the bytes of the tensors the layer's ops produce.

    Dynamic dims count as `dynamic-size` (default 1: the cost of one
    example). The module is left unchanged. For `h = dense(x, 128)` on
    `x: f32[N, 64]`:

    ```
    layer                       ops          flops         params    activations
    digits_mlp.nn:7 (h)           2          16512          33280           1024
    ```
  }];
  let options = [
    Option<"functionName", "function", "std::string", "\"forward\"",
           "The function to report on">,
    Option<"dynamicSize", "dynamic-size", "int64_t", "1",
           "The size that every dynamic dim counts as">,
  ];
}

#endif // FLOP_REPORT_TD
