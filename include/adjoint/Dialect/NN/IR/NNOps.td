//===- NNOps.td - nn dialect ops ---------------------------*- tablegen -*-===//
//
// The ops of the `nn` dialect. Layers of the `.nn` language either map to one
// op (softmax, layernorm, conv2d, ...) or decompose into a few (dense is a
// matmul with `transpose_b` followed by a broadcasting add of the bias).
//
//===----------------------------------------------------------------------===//

#ifndef ADJOINT_DIALECT_NN_IR_NNOPS_TD
#define ADJOINT_DIALECT_NN_IR_NNOPS_TD

include "adjoint/Dialect/NN/IR/NNBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def NN_ConstantOp : NN_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "A tensor constant";
  let description = [{
    A constant tensor, typically a 0-d scalar from a number in a `.nn` file.

    ```mlir
    %c = nn.constant dense<2.000000e+00> : tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), value);
    }]>,
  ];
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

class NN_UnaryOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits,
        [Pure, SameOperandsAndResultType, Elementwise])> {
  let arguments = (ins NN_FloatTensor:$input);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def NN_NegOp : NN_UnaryOp<"neg"> {
  let summary = "Elementwise negation";
  let description = [{
    `y = -x`. Linear.

    ```mlir
    %y = nn.neg %x : tensor<?x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def NN_ExpOp : NN_UnaryOp<"exp"> {
  let summary = "Elementwise exponential";
  let description = [{
    `y = exp(x)`; its derivative is `y` itself.

    ```mlir
    %y = nn.exp %x : tensor<?x8xf32>
    ```
  }];
}

def NN_LogOp : NN_UnaryOp<"log"> {
  let summary = "Elementwise natural logarithm";
  let description = [{
    `y = log(x)`; its derivative is `1 / x`.

    ```mlir
    %y = nn.log %x : tensor<?x8xf32>
    ```
  }];
}

def NN_SqrtOp : NN_UnaryOp<"sqrt"> {
  let summary = "Elementwise square root";
  let description = [{
    `y = sqrt(x)`; its derivative is `1 / (2 y)`.

    ```mlir
    %y = nn.sqrt %x : tensor<?x8xf32>
    ```
  }];
}

def NN_ReluOp : NN_UnaryOp<"relu"> {
  let summary = "Rectified linear unit";
  let description = [{
    `y = max(x, 0)`; its derivative is the mask `nn.relu_mask(x)` (0 at 0, as
    in PyTorch).

    ```mlir
    %y = nn.relu %x : tensor<?x128xf32>
    ```
  }];
}

def NN_LeakyReluOp : NN_UnaryOp<"leaky_relu"> {
  let summary = "Leaky rectified linear unit";
  let description = [{
    `y = x` where `x > 0`, else `alpha * x`.

    ```mlir
    %y = nn.leaky_relu %x {alpha = 0.01 : f32} : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.01">:$alpha);
}

def NN_SigmoidOp : NN_UnaryOp<"sigmoid"> {
  let summary = "Logistic sigmoid";
  let description = [{
    `y = 1 / (1 + exp(-x))`; its derivative is `y (1 - y)`.

    ```mlir
    %y = nn.sigmoid %x : tensor<?x8xf32>
    ```
  }];
}

def NN_TanhOp : NN_UnaryOp<"tanh"> {
  let summary = "Hyperbolic tangent";
  let description = [{
    `y = tanh(x)`; its derivative is `1 - y^2`.

    ```mlir
    %y = nn.tanh %x : tensor<?x8xf32>
    ```
  }];
}

def NN_GeluOp : NN_UnaryOp<"gelu"> {
  let summary = "Gaussian error linear unit (exact erf form)";
  let description = [{
    `y = x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2)))`, PyTorch's default form.
    Its derivative is `nn.gelu_deriv(x)`.

    ```mlir
    %y = nn.gelu %x : tensor<?x64xf32>
    ```
  }];
}

def NN_ReluMaskOp : NN_UnaryOp<"relu_mask"> {
  let summary = "Derivative of relu and leaky_relu";
  let description = [{
    `y = 1` where `x > 0`, else `alpha` (0 for relu). The coefficient that the
    linearization of `nn.relu` and `nn.leaky_relu` multiplies tangents with;
    piecewise constant, so its own derivative is zero.

    ```mlir
    %m = nn.relu_mask %x : tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.0">:$alpha);
}

def NN_GeluDerivOp : NN_UnaryOp<"gelu_deriv"> {
  let summary = "Derivative of the exact gelu";
  let description = [{
    `y = Phi(x) + x phi(x)`, with `Phi` and `phi` the standard normal CDF and
    density. The coefficient of the linearization of `nn.gelu`.

    ```mlir
    %d = nn.gelu_deriv %x : tensor<?x64xf32>
    ```
  }];
}

class NN_BinaryOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let arguments = (ins NN_FloatTensor:$lhs, NN_FloatTensor:$rhs);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def NN_AddOp : NN_BinaryOp<"add", [Commutative]> {
  let summary = "Elementwise addition with broadcasting";
  let description = [{
    NumPy-broadcasting addition. Linear in both operands.

    ```mlir
    %y = nn.add %z, %b : tensor<?x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
    ```
  }];
  let hasFolder = 1;
}

def NN_SubOp : NN_BinaryOp<"sub"> {
  let summary = "Elementwise subtraction with broadcasting";
  let description = [{
    NumPy-broadcasting subtraction. Linear in both operands.

    ```mlir
    %y = nn.sub %a, %b : tensor<?x8xf32>, tensor<?x8xf32> -> tensor<?x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def NN_MulOp : NN_BinaryOp<"mul", [Commutative]> {
  let summary = "Elementwise (Hadamard) product with broadcasting";
  let description = [{
    NumPy-broadcasting product. Bilinear: linear in each operand when the
    other is held constant.

    ```mlir
    %y = nn.mul %s, %c : tensor<?x4x4xf32>, tensor<f32> -> tensor<?x4x4xf32>
    ```
  }];
  let hasFolder = 1;
}

def NN_DivOp : NN_BinaryOp<"div"> {
  let summary = "Elementwise division with broadcasting";
  let description = [{
    NumPy-broadcasting quotient. Linear in the dividend.

    ```mlir
    %y = nn.div %a, %b : tensor<?x8xf32>, tensor<f32> -> tensor<?x8xf32>
    ```
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and layout
//===----------------------------------------------------------------------===//

def NN_MatmulOp : NN_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "Batched matrix product, with optional transposed operands";
  let description = [{
    `op(a) x op(b)` over the last two dims, where `op` transposes the last two
    dims of an operand whose `transpose_a` / `transpose_b` flag is set; the
    leading (batch) dims broadcast like NumPy. Both operands have rank >= 2.
    The flags let transposes fold into the product instead of being
    materialized: `dense(x, U)` is `x W^T`, and its gradient `dW = dZ^T X`.

    ```mlir
    %z = nn.matmul %x, %w transpose_b
        : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$lhs, NN_FloatTensor:$rhs,
                       UnitAttr:$transpose_a, UnitAttr:$transpose_b);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`transpose_a` $transpose_a^)? (`transpose_b` $transpose_b^)?
    attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def NN_TransposeOp : NN_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permutes the dims of a tensor";
  let description = [{
    Result dim `i` is operand dim `perm[i]`. Linear; its transpose is the
    inverse permutation.

    ```mlir
    %t = nn.transpose %k perm = [0, 2, 1]
        : tensor<?x?x16xf32> -> tensor<?x16x?xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = [{
    $input `perm` `=` $perm attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def NN_ReshapeOp : NN_Op<"reshape", [Pure]> {
  let summary = "Reshapes a tensor, keeping the row-major element order";
  let description = [{
    The result type gives the new shape. Its dynamic dims take their sizes
    from the index operands in order; with no index operands, at most one
    result dim may be dynamic and it is inferred from the element count (the
    `-1` of `reshape(x, shape=[-1, 64])`). Linear.

    ```mlir
    %f = nn.reshape %p : tensor<?x16x2x2xf32> -> tensor<?x64xf32>
    %g = nn.reshape %f [%n] : tensor<?x64xf32> -> tensor<?x16x2x2xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, Variadic<Index>:$dynamic_sizes);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = [{
    $input (`[` $dynamic_sizes^ `]`)? attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NN_BroadcastOp : NN_Op<"broadcast", [Pure]> {
  let summary = "Broadcasts a tensor to a larger shape, NumPy style";
  let description = [{
    The operand is aligned to the trailing dims of the result type and its
    size-1 dims are repeated. Dynamic result dims take their sizes from the
    index operands in order. Linear; its transpose sums over the broadcast
    dims.

    ```mlir
    %b = nn.broadcast %s [%n] : tensor<128xf32> -> tensor<?x128xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, Variadic<Index>:$dynamic_sizes);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = [{
    $input (`[` $dynamic_sizes^ `]`)? attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

class NN_ReductionOp<string mnemonic>
    : NN_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keepdims` $keepdims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def NN_SumOp : NN_ReductionOp<"sum"> {
  let summary = "Sum over the given axes";
  let description = [{
    Sums over `axes` (sorted, distinct, non-negative); the reduced dims are
    dropped unless `keepdims` is set. Linear; its transpose is a broadcast.

    ```mlir
    %db = nn.sum %dz axes = [0] : tensor<?x128xf32> -> tensor<128xf32>
    ```
  }];
}

def NN_MeanOp : NN_ReductionOp<"mean"> {
  let summary = "Mean over the given axes";
  let description = [{
    Like `nn.sum`, divided by the number of elements reduced. Linear.

    ```mlir
    %m = nn.mean %x axes = [1] keepdims : tensor<?x32xf32> -> tensor<?x1xf32>
    ```
  }];
}

def NN_SizeOp : NN_Op<"size", [Pure, InferTypeOpAdaptor]> {
  let summary = "Number of elements over the given axes, as a float scalar";
  let description = [{
    The product of the sizes of `axes` of the operand (all dims when empty),
    as a 0-d tensor of the operand's element type. Only the shape of the
    operand is read, so its derivative is zero. The transpose of `nn.mean`
    divides by it.

    ```mlir
    %n = nn.size %x axes = [0] : tensor<?x10xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs NN_FloatScalar:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes attr-dict `:` type($input) `->` type($result)
  }];
}

def NN_ConcatOp : NN_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Concatenates tensors along an axis";
  let description = [{
    All operands have the same rank and agree on every dim but `axis`.
    Linear; its transpose slices the cotangent.

    ```mlir
    %c = nn.concat %a, %b axis = 1
        : (tensor<?x8xf32>, tensor<?x4xf32>) -> tensor<?x12xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_FloatTensor>:$inputs, I64Attr:$axis);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $inputs `axis` `=` $axis attr-dict `:` functional-type($inputs, $result)
  }];
  let hasFolder = 1;
}

def NN_SliceOp : NN_Op<"slice", [Pure]> {
  let summary = "A contiguous slice along one axis";
  let description = [{
    Takes `result.dim(axis)` elements from `start` along `axis`; the other
    dims are unchanged. Linear; its transpose pads with zeros.

    ```mlir
    %s = nn.slice %c axis = 1 start = 8
        : tensor<?x12xf32> -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, I64Attr:$axis, I64Attr:$start);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis `start` `=` $start attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def NN_PadOp : NN_Op<"pad", [Pure, InferTypeOpAdaptor]> {
  let summary = "Pads a tensor with zeros";
  let description = [{
    Adds `low[i]` zeros before and `high[i]` zeros after dim `i`. Linear; its
    transpose is a slice.

    ```mlir
    %p = nn.pad %x low = [0, 0, 1, 1] high = [0, 0, 1, 1]
        : tensor<?x1x8x8xf32> -> tensor<?x1x10x10xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high attr-dict `:` type($input) `->`
    type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Normalizations and softmax
//===----------------------------------------------------------------------===//

class NN_SoftmaxLikeOp<string mnemonic>
    : NN_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let arguments = (ins NN_FloatTensor:$input, I64Attr:$axis);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NN_SoftmaxOp : NN_SoftmaxLikeOp<"softmax"> {
  let summary = "Numerically stable softmax along an axis";
  let description = [{
    `y = exp(x - max(x)) / sum(exp(x - max(x)))` along `axis`. Its
    linearization is `dy = y * (dx - sum(y * dx))`.

    ```mlir
    %w = nn.softmax %s axis = 2 : tensor<?x?x?xf32>
    ```
  }];
}

def NN_LogSoftmaxOp : NN_SoftmaxLikeOp<"log_softmax"> {
  let summary = "Numerically stable log-softmax along an axis";
  let description = [{
    `y = x - max(x) - log(sum(exp(x - max(x))))` along `axis`. Its
    linearization is `dy = dx - exp(y) * sum(dx)`.

    ```mlir
    %l = nn.log_softmax %x axis = 1 : tensor<?x10xf32>
    ```
  }];
}

def NN_LayerNormOp : NN_Op<"layernorm", [Pure, InferTypeOpAdaptor]> {
  let summary = "Layer normalization over the last dim";
  let description = [{
    `y = (x - mean) / sqrt(var + eps) * weight + bias`, with the biased
    variance over the last dim, as `torch.nn.LayerNorm`. `weight` and `bias`
    have the size of the last dim.

    ```mlir
    %y = nn.layernorm %x, %w, %b eps = 1.0e-05
        : (tensor<?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<?x32xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
                       NN_FloatTensor:$bias,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `eps` `=` $eps attr-dict `:`
    functional-type(operands, results)
  }];
}

def NN_BatchNormOp : NN_Op<"batchnorm", [Pure, InferTypeOpAdaptor]> {
  let summary = "Batch normalization over N (and H, W)";
  let description = [{
    Normalizes each channel (dim 1) over all other dims, as
    `torch.nn.BatchNorm1d/2d`. In training mode (`training` set) it uses the
    batch statistics and returns updated running statistics
    (`new = (1 - momentum) * old + momentum * batch`, the variance unbiased);
    otherwise it uses the running statistics and returns them unchanged.

    ```mlir
    %y, %rm2, %rv2 = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05
        momentum = 1.000000e-01 training
        : (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
           tensor<8xf32>) -> (tensor<?x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>)
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
                       NN_FloatTensor:$bias, NN_FloatTensor:$running_mean,
                       NN_FloatTensor:$running_var,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                       DefaultValuedAttr<F64Attr, "0.1">:$momentum,
                       UnitAttr:$training);
  let results = (outs NN_FloatTensor:$result, NN_FloatTensor:$new_running_mean,
                      NN_FloatTensor:$new_running_var);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $running_mean `,` $running_var
    `eps` `=` $eps `momentum` `=` $momentum (`training` $training^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def NN_DropoutOp : NN_Op<"dropout", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Dropout with a seeded, counter-based mask";
  let description = [{
    In training mode each element is zeroed with probability `p` and the rest
    are scaled by `1 / (1 - p)`; the mask is a pure function of the seed, the
    op's `stream` number and the element's index, so the same seed gives the
    same mask. Outside training it is the identity. Linear in `input`, and
    self-adjoint (the same mask applies to the cotangent).

    ```mlir
    %d = nn.dropout %h, %seed p = 5.000000e-01 stream = 0 training
        : tensor<?x128xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_Seed:$seed, F64Attr:$p,
                       I64Attr:$stream, UnitAttr:$training);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $seed `p` `=` $p `stream` `=` $stream (`training` $training^)?
    attr-dict `:` type($input) `,` type($seed)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW)
//===----------------------------------------------------------------------===//

def NN_Conv2DOp : NN_Op<"conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D convolution, NCHW input and OIHW filter";
  let description = [{
    Cross-correlation as `torch.nn.functional.conv2d` without bias: input
    `[N, C, H, W]`, filter `[O, C, kh, kw]`, result `[N, O, Ho, Wo]` with
    `Ho = (H + 2 ph - kh) / sh + 1`. Bilinear in input and filter.

    ```mlir
    %y = nn.conv2d %x, %w stride = [1, 1] padding = [1, 1]
        : (tensor<?x1x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x8x8x8xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$filter,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter `stride` `=` $stride `padding` `=` $padding attr-dict
    `:` functional-type(operands, results)
  }];
}

def NN_Conv2DBackwardInputOp : NN_Op<"conv2d_backward_input",
    [Pure, AllElementTypesMatch<["grad_output", "filter", "result"]>]> {
  let summary = "Transpose of conv2d in its input (a transposed convolution)";
  let description = [{
    Given the cotangent `[N, O, Ho, Wo]` of a conv2d's result and its filter
    `[O, C, kh, kw]`, computes the cotangent of its input, whose type the
    result type gives (`[N, C, H, W]`). Linear in the cotangent.

    ```mlir
    %dx = nn.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1]
        : (tensor<?x8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<?x1x8x8xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$grad_output, NN_FloatTensor:$filter,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $grad_output `,` $filter `stride` `=` $stride `padding` `=` $padding
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NN_Conv2DBackwardFilterOp : NN_Op<"conv2d_backward_filter",
    [Pure, AllElementTypesMatch<["input", "grad_output", "result"]>]> {
  let summary = "Transpose of conv2d in its filter";
  let description = [{
    Given a conv2d's input `[N, C, H, W]` and the cotangent of its result
    `[N, O, Ho, Wo]`, computes the cotangent of its filter, whose type the
    result type gives (`[O, C, kh, kw]`). Bilinear.

    ```mlir
    %dw = nn.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1]
        : (tensor<?x1x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<8x1x3x3xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$grad_output,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $grad_output `stride` `=` $stride `padding` `=` $padding
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class NN_Pool2DOp<string mnemonic> : NN_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel `stride` `=` $stride attr-dict `:`
    type($input) `->` type($result)
  }];
}

def NN_MaxPool2DOp : NN_Pool2DOp<"max_pool2d"> {
  let summary = "2-D max pooling, NCHW, no padding";
  let description = [{
    The maximum of each `kernel` window, windows `stride` apart. Where a
    window holds several maxima, the first in row-major order wins (as
    PyTorch). Its linearization picks the tangent at the argmax
    (`nn.max_pool2d_jvp`).

    ```mlir
    %p = nn.max_pool2d %r kernel = [2, 2] stride = [2, 2]
        : tensor<?x8x8x8xf32> -> tensor<?x8x4x4xf32>
    ```
  }];
}

def NN_AvgPool2DOp : NN_Pool2DOp<"avg_pool2d"> {
  let summary = "2-D average pooling, NCHW, no padding";
  let description = [{
    The mean of each `kernel` window, windows `stride` apart. Linear.

    ```mlir
    %p = nn.avg_pool2d %r kernel = [2, 2] stride = [2, 2]
        : tensor<?x16x4x4xf32> -> tensor<?x16x2x2xf32>
    ```
  }];
}

def NN_AvgPool2DBackwardOp : NN_Op<"avg_pool2d_backward",
    [Pure, AllElementTypesMatch<["grad_output", "result"]>]> {
  let summary = "Transpose of avg_pool2d";
  let description = [{
    Spreads each element of the cotangent evenly over its window; the result
    type gives the pooled input's shape. Linear.

    ```mlir
    %dx = nn.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2]
        : tensor<?x16x2x2xf32> -> tensor<?x16x4x4xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$grad_output, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $grad_output `kernel` `=` $kernel `stride` `=` $stride attr-dict `:`
    type($grad_output) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_MaxPool2DJvpOp : NN_Op<"max_pool2d_jvp",
    [Pure, AllElementTypesMatch<["input", "tangent", "result"]>]> {
  let summary = "Tangent of max_pool2d: the tangent at each window's argmax";
  let description = [{
    For each window of the primal input `input`, takes the element of
    `tangent` at the position of the window's maximum. Linear in `tangent`;
    its transpose is `nn.max_pool2d_vjp`.

    ```mlir
    %dy = nn.max_pool2d_jvp %x, %dx kernel = [2, 2] stride = [2, 2]
        : (tensor<?x8x8x8xf32>, tensor<?x8x8x8xf32>) -> tensor<?x8x4x4xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$tangent,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $tangent `kernel` `=` $kernel `stride` `=` $stride attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NN_MaxPool2DVjpOp : NN_Op<"max_pool2d_vjp",
    [Pure, AllElementTypesMatch<["input", "grad_output", "result"]>]> {
  let summary = "Transpose of max_pool2d's tangent: scatter to the argmax";
  let description = [{
    Adds each element of the cotangent `grad_output` into the position of its
    window's maximum in the primal input `input`. Linear in `grad_output`.

    ```mlir
    %dx = nn.max_pool2d_vjp %x, %dy kernel = [2, 2] stride = [2, 2]
        : (tensor<?x8x8x8xf32>, tensor<?x8x4x4xf32>) -> tensor<?x8x8x8xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$grad_output,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $grad_output `kernel` `=` $kernel `stride` `=` $stride attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Embedding and labels
//===----------------------------------------------------------------------===//

def NN_EmbeddingOp : NN_Op<"embedding", [Pure, InferTypeOpAdaptor]> {
  let summary = "Looks up rows of a table";
  let description = [{
    `result[..., :] = weight[ids[...], :]`; ids outside `[0, NUM)` are a run-time
    error. Linear in `weight`; its transpose is `nn.embedding_backward`.

    ```mlir
    %e = nn.embedding %ids, %w
        : (tensor<?x8xi64>, tensor<100x16xf32>) -> tensor<?x8x16xf32>
    ```
  }];
  let arguments = (ins NN_IntTensor:$ids, NN_FloatTensor:$weight);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $ids `,` $weight attr-dict `:` functional-type(operands, results)
  }];
}

def NN_EmbeddingBackwardOp : NN_Op<"embedding_backward",
    [Pure, AllElementTypesMatch<["grad_output", "result"]>]> {
  let summary = "Transpose of embedding: scatter-adds rows into a table";
  let description = [{
    `result[ids[...], :] += grad_output[..., :]`, starting from zeros; the
    result type gives the table's shape. Linear in `grad_output`.

    ```mlir
    %dw = nn.embedding_backward %ids, %de
        : (tensor<?x8xi64>, tensor<?x8x16xf32>) -> tensor<100x16xf32>
    ```
  }];
  let arguments = (ins NN_IntTensor:$ids, NN_FloatTensor:$grad_output);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = [{
    $ids `,` $grad_output attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NN_OneHotOp : NN_Op<"one_hot", [Pure]> {
  let summary = "One-hot encoding of integer labels";
  let description = [{
    `result[..., c] = (labels[...] == c)`, with the number of classes given by
    the last dim of the result type. Not differentiable (integer operand).

    ```mlir
    %oh = nn.one_hot %labels : tensor<?xi64> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins NN_IntTensor:$labels);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = "$labels attr-dict `:` type($labels) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Losses (scalar, mean over the batch)
//===----------------------------------------------------------------------===//

def NN_MseOp : NN_Op<"mse", [Pure, InferTypeOpAdaptor]> {
  let summary = "Mean squared error";
  let description = [{
    The mean of `(pred - target)^2` over all elements, as
    `torch.nn.functional.mse_loss`. Both operands have the same shape.

    ```mlir
    %l = nn.mse %y, %t : (tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$pred, NN_FloatTensor:$target);
  let results = (outs NN_FloatScalar:$result);
  let assemblyFormat = [{
    $pred `,` $target attr-dict `:` functional-type(operands, results)
  }];
}

def NN_SoftmaxCrossEntropyOp : NN_Op<"softmax_cross_entropy",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Softmax cross-entropy with integer labels";
  let description = [{
    `mean_n(logsumexp(logits[n, :]) - logits[n, labels[n]])`, as
    `torch.nn.functional.cross_entropy`: logits `[N, C]`, labels `[N]`.

    ```mlir
    %l = nn.softmax_cross_entropy %logits, %labels
        : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$logits, NN_IntTensor:$labels);
  let results = (outs NN_FloatScalar:$result);
  let assemblyFormat = [{
    $logits `,` $labels attr-dict `:` functional-type(operands, results)
  }];
}

def NN_BceWithLogitsOp : NN_Op<"bce_with_logits", [Pure, InferTypeOpAdaptor]> {
  let summary = "Binary cross-entropy on logits";
  let description = [{
    The mean over all elements of
    `max(x, 0) - x t + log(1 + exp(-|x|))`, as
    `torch.nn.functional.binary_cross_entropy_with_logits`.

    ```mlir
    %l = nn.bce_with_logits %x, %t
        : (tensor<?x1xf32>, tensor<?x1xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$logits, NN_FloatTensor:$targets);
  let results = (outs NN_FloatScalar:$result);
  let assemblyFormat = [{
    $logits `,` $targets attr-dict `:` functional-type(operands, results)
  }];
}

#endif // ADJOINT_DIALECT_NN_IR_NNOPS_TD
