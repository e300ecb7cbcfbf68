#!/usr/bin/python3
"""Writes the C glue that lets adjoint_driver.c call one compiled function.

    adjoint_glue.py HEADER NETWORK FUNCTION -o GLUE.inc

HEADER is what `adjointc --emit=header` wrote for NETWORK; FUNCTION is
`train_step`, `gradient` or `forward`. The glue (see adjoint_driver.c)
allocates a buffer for every pointer parameter with the element count that
the header's comment gives; fills the parameters (uniform in +-1/sqrt(fan-in),
where the fan-in of a rank-1 field is its size), the f32 inputs (uniform in
[-1, 1]) and the i64 labels (in range of the narrowest output); zeroes the
optimizer state and the buffers (running variances are 1); and calls the
function. After each call of a training step it swaps the parameter struct
with `new_state`, and every state array passed on its own with the result
of the same name, so that the next call continues from the new values.

The header's format is lib/Execution/Header.cpp's: a comment line per C
parameter ("   x  input 'x': f32[N, 64], N * 64 elements (read)") above
each prototype, and the struct's fields with their shapes in comments.
"""

import argparse
import re
import sys

C_TYPES = {"float", "double", "int64_t", "int32_t"}


class GlueError(Exception):
    pass


def parse_struct(header, network):
    """[(field, ctype, count, shape, kind, name)] of <network>_params, or
    []; kind is param, buffer or state (optimizer state)."""
    m = re.search(r"typedef struct %s_params \{(.*?)\} %s_params;" %
                  (network, network), header, re.S)
    if not m:
        return []
    fields = []
    for line in m.group(1).splitlines():
        f = re.match(r"\s*(\w+) (\w+)\[(\d+)\];\s*/\* (\w+) ([^:]*): "
                     r"\w+\[([^\]]*)\]", line)
        if f:
            shape = [int(d) for d in f.group(6).split(",") if d.strip()]
            fields.append((f.group(2), f.group(1), int(f.group(3)), shape,
                           f.group(4), f.group(5)))
    return fields


def parse_function(header, symbol):
    """The parameters of `symbol`: [(name, ctype, is_pointer, is_const)] and
    the comment lines that describe them, {name: description}."""
    m = re.search(r"/\*\n \* %s: .*?\*/\nint %s\((.*?)\);" % (symbol, symbol),
                  header, re.S)
    if not m:
        raise GlueError(f"the header declares no function {symbol}")
    comment = m.group(0)[: m.group(0).index("*/")]
    descriptions = {}
    for line in comment.splitlines():
        d = re.match(r" \*   (\w+)\s+(.*)$", line)
        if d:
            descriptions.setdefault(d.group(1), d.group(2))
    params = []
    text = m.group(1).strip()
    if text != "void":
        for p in text.split(","):
            p = " ".join(p.split())
            q = re.match(r"(const )?(\w+) (\*)?(\w+)$", p)
            if not q:
                raise GlueError(f"cannot read the parameter '{p}' of {symbol}")
            params.append((q.group(4), q.group(2), bool(q.group(3)),
                           bool(q.group(1))))
    return params, descriptions


TENSOR = re.compile(r"(\w+) '([^']*)': (\w+)\[([^\]]*)\], (.+?) elements "
                    r"\((read|written)\)")


def generate_glue(header, network, function):
    symbol = f"{network}_{function}"
    struct = f"{network}_params"
    fields = parse_struct(header, network)
    params, descriptions = parse_function(header, symbol)

    decls, setup, args, swaps = [], [], [], []
    tensors = {}  # C name -> (kind, nn name, ctype, access, count, shape)
    dims = []
    for name, ctype, pointer, const in params:
        desc = descriptions.get(name, "")
        if not pointer:
            if desc.startswith("the size of the symbolic dim"):
                dims.append(name)
                args.append("glue_batch")
            elif desc.startswith("the seed"):
                args.append("0")
            else:
                raise GlueError(f"{symbol}: unknown scalar parameter '{name}'")
            continue
        if ctype == struct:
            if const:
                args.append("glue_params[glue_cur]")
            elif desc.startswith("receives the new values") and \
                    function == "train_step":
                args.append("glue_params[1 - glue_cur]")
            else:
                args.append("glue_scratch")
            continue
        if ctype not in C_TYPES:
            raise GlueError(f"{symbol}: unknown type of '{name}': {ctype}")
        t = TENSOR.match(desc)
        if not t:
            raise GlueError(f"{symbol}: cannot read the comment of '{name}': "
                            f"'{desc}'")
        shape = [d.strip() for d in t.group(4).split(",") if d.strip()]
        tensors[name] = (t.group(1), t.group(2), ctype, t.group(6),
                         t.group(5), shape)
        decls.append(f"static {ctype} *glue_{name};")
        args.append(f"glue_{name}")
    if len(dims) > 1:
        raise GlueError(f"{symbol}: more than one symbolic dim ({dims}); the "
                        "driver only sets the batch size")

    # Labels must be in range of the narrowest output (the classes).
    classes = [int(s[-1]) for (kind, _, _, _, _, s) in tensors.values()
               if kind == "output" and s and s[-1].isdigit()]
    classes = min(classes) if classes else 1

    dim = dims[0] if dims else "glue_unused_dim"
    setup.append(f"  int64_t {dim} = batch;")
    setup.append(f"  (void){dim};")
    for name, (kind, nn_name, ctype, access, count, _) in tensors.items():
        setup.append(f"  size_t count_{name} = (size_t)({count});")
        setup.append(f"  glue_{name} = calloc(count_{name} ? count_{name} : 1, "
                     f"sizeof({ctype}));")
        setup.append(f"  if (!glue_{name}) return 1;")
        if access != "read" or kind != "input":
            continue  # results, and optimizer state (starts at zero)
        if ctype in ("int64_t", "int32_t"):
            setup.append(f"  for (size_t i = 0; i < count_{name}; ++i) "
                         f"glue_{name}[i] = ({ctype})(glue_next() % "
                         f"{classes});")
        else:
            setup.append(f"  for (size_t i = 0; i < count_{name}; ++i) "
                         f"glue_{name}[i] = glue_uniform(1.0);")
    for field, ctype, count, shape, kind, nn_name in fields:
        if kind == "buffer" and nn_name.endswith("running_var"):
            setup.append(f"  for (size_t i = 0; i < {count}; ++i) "
                         f"glue_params[0]->{field}[i] = 1;")
        if kind != "param":
            continue  # optimizer state and other buffers start at zero
        fan_in = 1
        for d in (shape[1:] if len(shape) > 1 else shape):
            fan_in *= d
        bound = 1.0 / max(fan_in, 1) ** 0.5
        if ctype in ("float", "double"):
            setup.append(f"  for (size_t i = 0; i < {count}; ++i) "
                         f"glue_params[0]->{field}[i] = glue_uniform({bound!r});")
    setup.append("  *glue_params[1] = *glue_params[0];")

    if function == "train_step":
        # A state array read and one written with the same name: swap.
        read = {nn: c for c, (k, nn, _, a, _, _) in tensors.items()
                if a == "read" and k != "input"}
        for c, (k, nn, _, a, _, _) in tensors.items():
            if a == "written" and nn in read:
                r = read[nn]
                swaps.append(f"  {{ void *t = glue_{r}; glue_{r} = glue_{c}; "
                             f"glue_{c} = t; }}")
        swaps.insert(0, "  glue_cur = 1 - glue_cur;")

    loss_name = next((c for c, (k, _, ctype, a, _, _) in tensors.items()
                      if k == "loss" and a == "written" and ctype == "float"),
                     None)
    out = [f"/* Generated by bench/adjoint_glue.py from {network}.h for "
           f"{symbol}; do not edit. */",
           f'#include "{network}.h"',
           "#include <stdint.h>",
           "#include <stdlib.h>",
           "",
           f'static const char *glue_function = "{function}";',
           f"static {struct} *glue_params[2], *glue_scratch;",
           "static int glue_cur = 0;",
           "static int64_t glue_batch;",
           "static uint64_t glue_state = 0x9E3779B97F4A7C15ull;",
           *decls,
           "",
           "static uint64_t glue_next(void) {",
           "  glue_state ^= glue_state << 13;",
           "  glue_state ^= glue_state >> 7;",
           "  glue_state ^= glue_state << 17;",
           "  return glue_state;",
           "}",
           "",
           "static float glue_uniform(double bound) {",
           "  return (float)(bound * (2.0 * (double)(glue_next() >> 11) / "
           "9007199254740992.0 - 1.0));",
           "}",
           "",
           "static int glue_setup(int64_t batch) {",
           "  glue_batch = batch;",
           f"  glue_params[0] = calloc(1, sizeof({struct}));",
           f"  glue_params[1] = calloc(1, sizeof({struct}));",
           f"  glue_scratch = calloc(1, sizeof({struct}));",
           "  if (!glue_params[0] || !glue_params[1] || !glue_scratch) "
           "return 1;",
           *setup,
           "  return 0;",
           "}",
           "",
           "/* The loss of the last call (NAN when the function has none). */",
           "static double glue_loss_value(void) {",
           (f"  return glue_{loss_name}[0];" if loss_name else
            "  return 0.0 / 0.0;"),
           "}",
           "",
           "static int glue_run(void) {",
           f"  int status = {symbol}(" + ", ".join(args) + ");",
           *swaps,
           "  return status;",
           "}",
           ""]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("header")
    parser.add_argument("network")
    parser.add_argument("function")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    with open(args.header) as f:
        header = f.read()
    try:
        glue = generate_glue(header, args.network, args.function)
    except GlueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    with open(args.output, "w") as f:
        f.write(glue)
    return 0


if __name__ == "__main__":
    sys.exit(main())
