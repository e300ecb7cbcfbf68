//===- Passes.td - Conversion passes of Adjoint ------------*- tablegen -*-===//

#ifndef ADJOINT_CONVERSION_PASSES_TD
#define ADJOINT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNNToLinalg : Pass<"convert-nn-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lowers the nn dialect to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `nn` op into ops on tensors: named linalg ops where
    upstream has one (`linalg.matmul` and `linalg.batch_matmul` with
    transposed operands given by `indexing_maps`, `linalg.conv_2d_nchw_fchw`,
    `linalg.pooling_nchw_max`, `linalg.pooling_nchw_sum`, `linalg.transpose`),
    `linalg.generic` for the rest (elementwise ops with their broadcasts,
    reductions, softmax, normalizations, losses, lookups, the backward ops of
    convolution and pooling), and `tensor` ops for layout (`tensor.pad`,
    `tensor.extract_slice`, `tensor.insert_slice`, `tensor.collapse_shape`,
    `tensor.expand_shape`, `tensor.reshape`).

    Convolutions: a stride-1 convolution with few terms per output (C kh kw
    at most 32, at most 32 output channels, rows of at most 256 elements,
    static sizes but the batch) becomes direct vector code (`direct-conv`):
    an `scf.for` over the output rows whose body sums the input rows read at
    each window offset times the broadcast weights (`vector.fma`), and, for
    its filter gradient, one pass over the rows per (o, c, i) carrying kw
    vector sums. Other convolutions with static output sizes become an
    im2col copy and a `linalg.matmul` (`im2col`), the rest
    `linalg.conv_2d_nchw_fchw`.

    Dynamic dims stay dynamic. What the types cannot guarantee is checked at
    run time with a `cf.assert` at the top level of the function, whose
    message names the nn op and its location: two dynamic dims that must
    agree, a reshape whose element count differs, an id or label out of
    range, a window that does not fit. `adjoint-generate-c-interface` turns
    these asserts into status codes; without it they abort.

    Example: `nn.relu %x : tensor<?x4xf32>` becomes

    ```mlir
    %c0 = arith.constant 0 : index
    %n = tensor.dim %x, %c0 : tensor<?x4xf32>
    %e = tensor.empty(%n) : tensor<?x4xf32>
    %y = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel", "parallel"]}
        ins(%x : tensor<?x4xf32>) outs(%e : tensor<?x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %zero = arith.constant 0.0 : f32
      %gt = arith.cmpf ugt, %in, %zero : f32
      %r = arith.select %gt, %in, %zero : f32
      linalg.yield %r : f32
    } -> tensor<?x4xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"im2col", "im2col", "bool", "true",
           "Lower convolutions whose output has static spatial dims as an "
           "im2col copy and a linalg.matmul (false: linalg.conv_2d_nchw_fchw "
           "and linalg.generic)">,
    Option<"directConv", "direct-conv", "bool", "true",
           "Lower stride-1 convolutions with at most 32 terms per output "
           "(C kh kw), at most 32 output channels, rows of at most 256 "
           "elements and static sizes but the batch as vector loops over "
           "the output rows, forward and filter gradient, instead of im2col">
  ];
}

def GenerateCInterface : Pass<"adjoint-generate-c-interface",
                              "::mlir::ModuleOp"> {
  let summary = "Wraps the network's functions into C-callable functions";
  let description = [{
    For every public function of a network module in linalg on tensors
    (`@forward`, `@gradient`, ...), writes a function
    `@<network>_<function>` with a plain C signature and removes the
    original. The wrapper takes:

    1. `!llvm.ptr` to the parameter struct (`<network>_params`), whose
       fields are the arguments of kind `param` and `buffer` laid out in
       argument order, each a dense row-major array;
    2. one `i64` per distinct symbolic dim (`nn.dims`), in order of first
       appearance;
    3. one `!llvm.ptr` per input (kind `input`), an `i64` for the seed;
    4. one `!llvm.ptr` per result the caller provides: outputs and the loss
       as separate buffers, gradients of parameters and buffers into a second
       parameter struct (`grad`), updated parameters and buffers into a third
       (`new_state`), gradients of inputs as `grad_<input>` buffers;

    and returns an `i32` status: 0 on success, 1 when a dim is negative, and
    2 + k when the k-th run-time check (a `cf.assert` of the function, in
    order) fails, in which case nothing is computed. The wrapper builds
    memref descriptors over the caller's pointers, wraps them with
    `bufferization.to_tensor`, inlines the function body under an `scf.if` of
    the checks, and writes each result with
    `bufferization.materialize_in_destination`. The ABI (struct layout,
    signatures, result shapes in terms of the symbols, check messages) is
    stored as JSON in the module attribute `adjoint.abi`, which the header
    generator and the JIT read.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"prefix", "prefix", "std::string", "\"\"",
           "The C symbol prefix (default: the module's name)">,
  ];
}

def ExpandStridedCopies : Pass<"adjoint-expand-strided-copies"> {
  let summary = "Rewrites memref.copy of non-contiguous memrefs as linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a `memref.copy` between contiguous
    memrefs to `llvm.memcpy`, but a copy from or into a strided view (a
    slice, a padded or dilated window) to a call of `memrefCopy` from
    `libmlir_c_runner_utils`, which compiled networks must not depend on.
    This pass rewrites those copies as `linalg.copy`, which
    `convert-linalg-to-loops` turns into loops.

    ```mlir
    memref.copy %a, %b : memref<4xf32, strided<[2]>> to memref<4xf32>
    // becomes
    linalg.copy ins(%a : memref<4xf32, strided<[2]>>) outs(%b : memref<4xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // ADJOINT_CONVERSION_PASSES_TD
