#!/usr/bin/env python3
"""Writes test/Integration/ops/*.mlir: one differential test per nn op.

Each file holds an nn module whose @forward applies one op (with a loss, so
that nn-adjoint can add @gradient). Its RUN lines compare the JIT with the
interpreter (adjoint-difftest) on the forward and the gradient, with the
symbolic dim N dynamic at N = 1, 7, 33, and static (every `?` replaced by the
size with sed) at the same sizes. Re-run this script after editing a case:

    /usr/bin/python3 test/Integration/Inputs/make_op_tests.py
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "ops")

SIZES = [1, 7, 33]


def arg(name, type_, dims=None, kind="input"):
    attrs = f'nn.name = "{name}", nn.kind = "{kind}"'
    if dims:
        attrs += ", nn.dims = [" + ", ".join(f'"{d}"' for d in dims) + "]"
    return f"%{name}: {type_} {{{attrs}}}"


def module(name, args, body, results, extra=""):
    """results: list of (value, type, name, kind)."""
    res_types = ", ".join(
        f'{t} {{nn.name = "{n}", nn.kind = "{k}"}}' for _, t, n, k in results)
    values = ", ".join(v for v, _, _, _ in results)
    types = ", ".join(t for _, t, _, _ in results)
    return (f"module @{name} {{\n"
            f"  func.func @forward({', '.join(args)}) -> ({res_types}) {{\n"
            + "".join(f"    {line}\n" for line in body) +
            f"    return {values} : {types}\n  }}\n{extra}}}\n")


def mse_case(name, args, body, y, y_type, dims, grad=True, options="",
             static_sed=""):
    """@forward returns y and mse(y, t) with a target input t like y.

    static_sed: sed commands (with {n} and {n2} = n + 2) run before the `?`s
    become n in the static variants, for types whose dim is not N."""
    args = args + [arg("t", y_type, dims)]
    body = body + [f"%l = nn.mse {y}, %t : ({y_type}, {y_type}) -> tensor<f32>"]
    return dict(name=name, text=module(name, args, body, [
        (y, y_type, "y", "output"), ("%l", "tensor<f32>", "loss", "loss")]),
        grad=grad, options=options, static_sed=static_sed)


CASES = []


def add(case):
    CASES.append(case)


X = "tensor<?x5xf32>"
XD = ["N", ""]

# Unary ops.
for op, options in [("neg", ""), ("exp", ""), ("log", "--low=0.5 --high=2"),
                    ("sqrt", "--low=0.5 --high=2"), ("relu", ""),
                    ("sigmoid", ""), ("tanh", ""), ("gelu", "")]:
    add(mse_case(op, [arg("x", X, XD)], [f"%y = nn.{op} %x : {X}"], "%y", X, XD,
                 options=options))
add(mse_case("leaky_relu", [arg("x", X, XD)],
             [f"%y = nn.leaky_relu %x {{alpha = 0.2 : f32}} : {X}"], "%y", X, XD))
add(mse_case("relu_mask", [arg("x", X, XD)],
             [f"%y = nn.relu_mask %x {{alpha = 0.1 : f32}} : {X}"], "%y", X, XD,
             grad=False))
add(mse_case("gelu_deriv", [arg("x", X, XD)],
             [f"%y = nn.gelu_deriv %x : {X}"], "%y", X, XD, grad=False))

# Binary ops with broadcasting: [N, 5] op [5], [N, 1] op [1, 5] -> [N, 5],
# and a 0-d operand.
for op, options in [("add", ""), ("sub", ""), ("mul", ""),
                    ("div", "--low=0.5 --high=2")]:
    add(mse_case(f"{op}_bias", [arg("x", X, XD), arg("b", "tensor<5xf32>", None, "param")],
                 [f"%y = nn.{op} %x, %b : {X}, tensor<5xf32> -> {X}"], "%y", X, XD,
                 options=options))
    add(mse_case(f"{op}_outer",
                 [arg("x", "tensor<?x1xf32>", XD), arg("b", "tensor<1x5xf32>", None, "param")],
                 [f"%y = nn.{op} %x, %b : tensor<?x1xf32>, tensor<1x5xf32> -> {X}"],
                 "%y", X, XD, options=options))
    add(mse_case(f"{op}_scalar", [arg("x", X, XD), arg("s", "tensor<f32>", None, "param")],
                 [f"%y = nn.{op} %s, %x : tensor<f32>, {X} -> {X}"], "%y", X, XD,
                 options=options))

# matmul in every form the lowering distinguishes.
add(mse_case("matmul_dense",
             [arg("x", "tensor<?x6xf32>", XD), arg("w", "tensor<4x6xf32>", None, "param")],
             ["%y = nn.matmul %x, %w transpose_b : tensor<?x6xf32>, tensor<4x6xf32> -> tensor<?x4xf32>"],
             "%y", "tensor<?x4xf32>", XD))
# A dense layer's x W^T with 19 columns:
# - K = 1100: blocks of 512 and a tail that does not fill a vector in the
#   kernels' paths without packing, at N = 1;
# - K = 2100: at N = 7 the forward A B^T (7 rows, more than small-rows)
#   takes the path without packing for deep products;
# - K = 20: the small-rows path of A B^T (N = 1) takes a full group of
#   eight columns and an edge, and whole vectors along K and a tail.
for name, k in [("matmul_dense_deep", 1100), ("matmul_dense_deeper", 2100),
                ("matmul_dense_wide", 20)]:
    add(mse_case(name,
                 [arg("x", f"tensor<?x{k}xf32>", XD), arg("w", f"tensor<19x{k}xf32>", None, "param")],
                 [f"%y = nn.matmul %x, %w transpose_b : tensor<?x{k}xf32>, tensor<19x{k}xf32> -> tensor<?x19xf32>"],
                 "%y", "tensor<?x19xf32>", XD))
add(mse_case("matmul_plain",
             [arg("x", "tensor<?x6xf32>", XD), arg("w", "tensor<6x4xf32>", None, "param")],
             ["%y = nn.matmul %x, %w : tensor<?x6xf32>, tensor<6x4xf32> -> tensor<?x4xf32>"],
             "%y", "tensor<?x4xf32>", XD))
add(mse_case("matmul_transpose_a",
             [arg("x", "tensor<?x6xf32>", XD), arg("w", "tensor<?x4xf32>", XD)],
             ["%y = nn.matmul %x, %w transpose_a : tensor<?x6xf32>, tensor<?x4xf32> -> tensor<6x4xf32>"],
             "%y", "tensor<6x4xf32>", None))
add(mse_case("matmul_batched",
             [arg("a", "tensor<?x3x4xf32>", ["N", "", ""]),
              arg("b", "tensor<?x2x4xf32>", ["N", "", ""])],
             ["%y = nn.matmul %a, %b transpose_b : tensor<?x3x4xf32>, tensor<?x2x4xf32> -> tensor<?x3x2xf32>"],
             "%y", "tensor<?x3x2xf32>", ["N", "", ""]))
add(mse_case("matmul_sequence",
             [arg("x", "tensor<?x3x4xf32>", ["N", "", ""]),
              arg("w", "tensor<5x4xf32>", None, "param")],
             ["%y = nn.matmul %x, %w transpose_b : tensor<?x3x4xf32>, tensor<5x4xf32> -> tensor<?x3x5xf32>"],
             "%y", "tensor<?x3x5xf32>", ["N", "", ""]))
# Two dynamic dims in the collapsed rows (batch and sequence length).
add(mse_case("matmul_sequence_dynamic",
             [arg("x", "tensor<?x?x4xf32>", ["N", "M", ""]),
              arg("w", "tensor<5x4xf32>", None, "param")],
             ["%y = nn.matmul %x, %w transpose_b : tensor<?x?x4xf32>, tensor<5x4xf32> -> tensor<?x?x5xf32>"],
             "%y", "tensor<?x?x5xf32>", ["N", "M", ""],
             options="--dims=M=PLUS2"))
add(mse_case("matmul_broadcast",
             [arg("a", "tensor<1x3x4xf32>", None, "param"),
              arg("b", "tensor<?x4x2xf32>", ["N", "", ""])],
             ["%y = nn.matmul %a, %b : tensor<1x3x4xf32>, tensor<?x4x2xf32> -> tensor<?x3x2xf32>"],
             "%y", "tensor<?x3x2xf32>", ["N", "", ""]))

# Layout.
add(mse_case("transpose",
             [arg("x", "tensor<?x3x4xf32>", ["N", "", ""])],
             ["%y = nn.transpose %x perm = [2, 0, 1] : tensor<?x3x4xf32> -> tensor<4x?x3xf32>"],
             "%y", "tensor<4x?x3xf32>", ["", "N", ""]))
add(mse_case("reshape_flatten",
             [arg("x", "tensor<?x2x3xf32>", ["N", "", ""])],
             ["%y = nn.reshape %x : tensor<?x2x3xf32> -> tensor<?x6xf32>"],
             "%y", "tensor<?x6xf32>", XD))
add(mse_case("reshape_general",
             [arg("x", "tensor<?x4x3xf32>", ["N", "", ""])],
             ["%y = nn.reshape %x : tensor<?x4x3xf32> -> tensor<?x2x6xf32>"],
             "%y", "tensor<?x2x6xf32>", ["N", "", ""]))
add(mse_case("concat",
             [arg("a", "tensor<?x2xf32>", XD), arg("b", "tensor<?x3xf32>", XD)],
             ["%y = nn.concat %a, %b axis = 1 : (tensor<?x2xf32>, tensor<?x3xf32>) -> tensor<?x5xf32>"],
             "%y", X, XD))
add(mse_case("concat_batch",
             [arg("a", "tensor<?x3xf32>", XD), arg("b", "tensor<2x3xf32>", None, "param")],
             ["%c = nn.concat %a, %b axis = 0 : (tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>",
              "%y = nn.sum %c axes = [0] : tensor<?x3xf32> -> tensor<3xf32>"],
             "%y", "tensor<3xf32>", None,
             # nn-adjoint cannot transpose a concat along a dynamic axis yet.
             grad=False,
             # The concatenation has N + 2 rows.
             static_sed="s/tensor<?x3xf32> -> /tensor<{n2}x3xf32> -> /; "
                        "s/-> tensor<?x3xf32>/-> tensor<{n2}x3xf32>/; "))
add(mse_case("slice",
             [arg("x", "tensor<?x6xf32>", XD)],
             ["%y = nn.slice %x axis = 1 start = 2 : tensor<?x6xf32> -> tensor<?x3xf32>"],
             "%y", "tensor<?x3xf32>", XD))
add(mse_case("pad",
             [arg("x", "tensor<?x2x3xf32>", ["N", "", ""])],
             ["%y = nn.pad %x low = [0, 1, 0] high = [0, 2, 1] : tensor<?x2x3xf32> -> tensor<?x5x4xf32>"],
             "%y", "tensor<?x5x4xf32>", ["N", "", ""]))

# Reductions.
add(mse_case("sum_rows",
             [arg("x", "tensor<?x3x4xf32>", ["N", "", ""])],
             ["%y = nn.sum %x axes = [0, 2] : tensor<?x3x4xf32> -> tensor<3xf32>"],
             "%y", "tensor<3xf32>", None))
add(mse_case("mean_keepdims",
             [arg("x", "tensor<?x3x4xf32>", ["N", "", ""])],
             ["%y = nn.mean %x axes = [1] keepdims : tensor<?x3x4xf32> -> tensor<?x1x4xf32>"],
             "%y", "tensor<?x1x4xf32>", ["N", "", ""]))
add(mse_case("mean_all",
             [arg("x", "tensor<?x3xf32>", XD)],
             ["%y = nn.mean %x axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>"],
             "%y", "tensor<f32>", None))

# Softmax and normalizations.
add(mse_case("softmax",
             [arg("x", X, XD)], [f"%y = nn.softmax %x axis = 1 : {X}"], "%y", X, XD))
add(mse_case("softmax_axis0",
             [arg("x", X, XD)], [f"%y = nn.softmax %x axis = 0 : {X}"], "%y", X, XD))
add(mse_case("log_softmax",
             [arg("x", X, XD)], [f"%y = nn.log_softmax %x axis = 1 : {X}"], "%y", X, XD))
add(mse_case("layernorm",
             [arg("x", "tensor<?x3x6xf32>", ["N", "", ""]),
              arg("w", "tensor<6xf32>", None, "param"), arg("b", "tensor<6xf32>", None, "param")],
             ["%y = nn.layernorm %x, %w, %b eps = 1.0e-05 : (tensor<?x3x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<?x3x6xf32>"],
             "%y", "tensor<?x3x6xf32>", ["N", "", ""]))
for training in ["", " training"]:
    mode = "train" if training else "eval"
    add(mse_case(f"batchnorm2d_{mode}",
                 [arg("x", "tensor<?x3x4x4xf32>", ["N", "", "", ""]),
                  arg("w", "tensor<3xf32>", None, "param"), arg("b", "tensor<3xf32>", None, "param"),
                  arg("rm", "tensor<3xf32>", None, "buffer"),
                  arg("rv", "tensor<3xf32>", None, "buffer")],
                 [f"%y, %m2, %v2 = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05 momentum = 1.000000e-01{training} : (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)"],
                 "%y", "tensor<?x3x4x4xf32>", ["N", "", "", ""],
                 options="--low=0.5 --high=2"))
add(mse_case("batchnorm1d_train",
             [arg("x", X, XD),
              arg("w", "tensor<5xf32>", None, "param"), arg("b", "tensor<5xf32>", None, "param"),
              arg("rm", "tensor<5xf32>", None, "buffer"),
              arg("rv", "tensor<5xf32>", None, "buffer")],
             [f"%y, %m2, %v2 = nn.batchnorm %x, %w, %b, %rm, %rv eps = 1.0e-05 momentum = 1.000000e-01 training : ({X}, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> ({X}, tensor<5xf32>, tensor<5xf32>)"],
             "%y", X, XD, options="--min-n=2"))

# Dropout, in training mode (the mask follows the seed).
add(mse_case("dropout",
             [arg("x", "tensor<?x3x4xf32>", ["N", "", ""]),
              arg("seed", "tensor<i64>", None, "seed")],
             ["%y = nn.dropout %x, %seed p = 3.000000e-01 stream = 2 training : tensor<?x3x4xf32>, tensor<i64>"],
             "%y", "tensor<?x3x4xf32>", ["N", "", ""]))

# Convolution and pooling. Stride 1 with at most 32 terms per output
# (conv2d_same, conv2d_wide, conv2d_rows24, conv2d_rows14) lowers as direct
# vector rows: LeNet-5's first layer (rows of 16 + 8 lanes), and rows of
# 8 + 4 + 2 lanes.
for name, c, o, h, w, k, s, p in [("conv2d_same", 2, 3, 6, 5, 3, 1, 1),
                                  ("conv2d_strided", 2, 4, 7, 7, 3, 2, 0),
                                  ("conv2d_strided_padded", 1, 2, 6, 5, 3, 2, 1),
                                  ("conv2d_wide", 3, 2, 5, 6, 2, 1, 2),
                                  ("conv2d_rows24", 1, 6, 7, 28, 5, 1, 0),
                                  ("conv2d_rows14", 2, 3, 4, 14, 3, 1, 1)]:
    ho = (h + 2 * p - k) // s + 1
    wo = (w + 2 * p - k) // s + 1
    xt = f"tensor<?x{c}x{h}x{w}xf32>"
    ft = f"tensor<{o}x{c}x{k}x{k}xf32>"
    yt = f"tensor<?x{o}x{ho}x{wo}xf32>"
    add(mse_case(name, [arg("x", xt, ["N", "", "", ""]), arg("f", ft, None, "param")],
                 [f"%y = nn.conv2d %x, %f stride = [{s}, {s}] padding = [{p}, {p}] : ({xt}, {ft}) -> {yt}"],
                 "%y", yt, ["N", "", "", ""]))
for op in ["max_pool2d", "avg_pool2d"]:
    # Windows that tile the input: rows as vectors (max_pool2d's cotangent),
    # also for 3 x 3 windows; rows wider than 256 elements take a generic.
    for name, h, w, k, s in [("", 8, 6, 2, 2), ("_overlap", 7, 6, 3, 1),
                             ("_strided", 7, 7, 3, 2), ("_tiled3", 6, 9, 3, 3),
                             ("_wide_rows", 2, 260, 2, 2)]:
        ho, wo = (h - k) // s + 1, (w - k) // s + 1
        xt = f"tensor<?x2x{h}x{w}xf32>"
        yt = f"tensor<?x2x{ho}x{wo}xf32>"
        add(mse_case(op + name, [arg("x", xt, ["N", "", "", ""])],
                     [f"%y = nn.{op} %x kernel = [{k}, {k}] stride = [{s}, {s}] : {xt} -> {yt}"],
                     "%y", yt, ["N", "", "", ""]))

# Lookups.
add(mse_case("embedding",
             [arg("ids", "tensor<?x3xi64>", XD), arg("w", "tensor<11x4xf32>", None, "param")],
             ["%y = nn.embedding %ids, %w : (tensor<?x3xi64>, tensor<11x4xf32>) -> tensor<?x3x4xf32>"],
             "%y", "tensor<?x3x4xf32>", ["N", "", ""]))
add(mse_case("one_hot",
             [arg("labels", "tensor<?xi64>", ["N"])],
             ["%y = nn.one_hot %labels : tensor<?xi64> -> tensor<?x6xf32>"],
             "%y", "tensor<?x6xf32>", XD, grad=False))

# Losses, the loss being the only result.
def loss_case(name, args, line, options=""):
    add(dict(name=name, text=module(name, args, [line],
                                    [("%l", "tensor<f32>", "loss", "loss")]),
             grad=True, options=options))


loss_case("mse", [arg("p", X, XD), arg("q", X, XD)],
          f"%l = nn.mse %p, %q : ({X}, {X}) -> tensor<f32>")
loss_case("softmax_cross_entropy",
          [arg("logits", "tensor<?x7xf32>", XD), arg("label", "tensor<?xi64>", ["N"])],
          "%l = nn.softmax_cross_entropy %logits, %label : (tensor<?x7xf32>, tensor<?xi64>) -> tensor<f32>")
loss_case("bce_with_logits",
          [arg("logits", X, XD), arg("targets", X, XD)],
          f"%l = nn.bce_with_logits %logits, %targets : ({X}, {X}) -> tensor<f32>",
          options="--low=-3 --high=3")


def run_lines(case):
    lines = []
    opts = case["options"]
    min_n = 1
    if "--min-n=2" in opts:
        min_n = 2
        opts = opts.replace("--min-n=2", "").strip()
    grad = " --grad" if case["grad"] else ""
    for n in SIZES:
        n = max(n, min_n)
        o = opts.replace("M=ALT", f"N={n},M={2 * n}").replace(
            "M=PLUS2", f"N={n},M={n + 2}")
        dims = f"--dims=N={n}" if "--dims" not in o else ""
        base = f"adjoint-difftest{grad} {dims} {o}".replace("  ", " ").strip()
        lines.append(f"// RUN: {base} %s | FileCheck %s")
    for n in SIZES:
        n = max(n, min_n)
        o = opts.replace("M=ALT", f"N={n},M={2 * n}").replace(
            "M=PLUS2", f"N={n},M={n + 2}")
        if "M=" in o:
            continue  # the second symbol has no single static size
        base = f"adjoint-difftest{grad} {o}".replace("  ", " ").strip()
        pre = case.get("static_sed", "").format(n=n, n2=n + 2)
        lines.append(f"// RUN: sed '{pre}s/?/{n}/g' %s | {base} - | FileCheck %s")
    return lines


def main():
    os.makedirs(OUT, exist_ok=True)
    for case in CASES:
        checks = ["// CHECK-NOT: MISMATCH", "// CHECK: forward: result 0",
                  "// CHECK-NOT: MISMATCH"]
        if case["grad"]:
            checks += ["// CHECK: gradient: result 0", "// CHECK-NOT: MISMATCH"]
        text = ("// Generated by test/Integration/Inputs/make_op_tests.py: the "
                "JIT against the\n// interpreter for one op, forward"
                + (" and gradient" if case["grad"] else "") +
                ", dynamic and static N.\n"
                + "\n".join(run_lines(case)) + "\n" + "\n".join(checks) + "\n\n"
                + case["text"])
        with open(os.path.join(OUT, case["name"] + ".mlir"), "w") as f:
            f.write(text)
    print(f"wrote {len(CASES)} tests to {OUT}")


if __name__ == "__main__":
    main()
