#!/usr/bin/python3
"""Writes the malformed ONNX models of test/BadInput/onnx.test into
test/BadInput/Inputs/onnx/. They are committed, so the tests need no
python3-onnx; regenerate with

    /usr/bin/python3 test/BadInput/Inputs/make_onnx_cases.py

Each model is small and wrong in one way that the protobuf parse does not
catch: the importer's own checks must refuse it with a message.
"""

import os

import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx")
os.makedirs(OUT, exist_ok=True)
F32 = TensorProto.FLOAT


def vi(name, shape, elem=F32):
    return helper.make_tensor_value_info(name, elem, shape)


X = vi("x", ["N", 4])
Y = vi("y", ["N", 4])


def save(name, nodes, inputs=(X,), outputs=(Y,), inits=(), opset=17,
         domain="", check=False, ir_version=8, tweak=None):
    graph = helper.make_graph(list(nodes), name, list(inputs), list(outputs),
                              initializer=list(inits))
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid(domain, opset)],
        producer_name="make_onnx_cases")
    model.ir_version = ir_version
    if tweak:
        tweak(model)
    if check:
        onnx.checker.check_model(model)
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def raw_tensor(name, elem, dims, data):
    t = TensorProto()
    t.name, t.data_type, t.raw_data = name, elem, data
    t.dims.extend(dims)
    return t


relu = helper.make_node("Relu", ["x"], ["y"], name="relu")

# The opset.
save("opset18", [relu], opset=18)
save("no-default-opset", [relu], domain="com.example")

# The graph's wiring.
save("undefined-input", [helper.make_node("Relu", ["nowhere"], ["y"], name="relu")])
save("output-not-produced", [helper.make_node("Relu", ["x"], ["z"], name="relu")])
save("duplicate-output", [helper.make_node("Relu", ["x"], ["y"], name="a"),
                          helper.make_node("Sigmoid", ["x"], ["y"], name="b")])
save("cycle", [helper.make_node("Add", ["x", "t"], ["s"], name="add"),
               helper.make_node("Relu", ["s"], ["t"], name="relu"),
               helper.make_node("Identity", ["t"], ["y"], name="id")])
save("no-outputs", [relu], outputs=())
save("missing-operand", [helper.make_node("Add", ["x"], ["y"], name="add")])

# Inputs and initializers.
save("input-no-shape", [relu],
     inputs=(helper.make_tensor_value_info("x", F32, None),))
save("input-string", [relu], inputs=(vi("x", ["N", 4], TensorProto.STRING),))
save("init-short-data", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     inits=(helper.make_tensor("w", F32, [2], [1.0, 2.0]),),
     tweak=lambda m: m.graph.initializer[0].dims.__setitem__(0, 4))
save("init-raw-size", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     inits=(raw_tensor("w", F32, [4], b"\0" * 7),))
save("init-float16", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     inits=(helper.make_tensor("w", TensorProto.FLOAT16, [4], [1, 2, 3, 4]),))
save("init-string", [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
     inits=(helper.make_tensor("w", TensorProto.STRING, [1], [b"abc"]),))


def external(location, offset=None):
    def tweak(model):
        t = model.graph.initializer[0]
        t.ClearField("raw_data")
        t.data_location = TensorProto.EXTERNAL
        entries = [("location", location), ("length", "16")]
        if offset is not None:
            entries.append(("offset", offset))
        for k, v in entries:
            e = t.external_data.add()
            e.key, e.value = k, v
    return tweak


w4 = raw_tensor("w", F32, [4], b"\0" * 16)
add_w = helper.make_node("Add", ["x", "w"], ["y"], name="add")
save("external-missing", [add_w], inits=(w4,), tweak=external("no-such-file.bin"))
save("external-device", [add_w], inits=(w4,),
     tweak=external("../../../../../../../../../../../../dev/zero"))
save("external-bad-offset", [add_w], inits=(w4,),
     tweak=external("no-such-file.bin", offset="-5"))

# Not a model: only the ir_version field, and no graph.
with open(os.path.join(OUT, "no-graph.onnx"), "wb") as f:
    f.write(b"\x08\x07")

# Nodes.
save("gemm-shapes", [helper.make_node("Gemm", ["x", "w"], ["y"], name="gemm", transB=1)],
     inits=(helper.make_tensor("w", F32, [3, 5], [0.0] * 15),))
save("conv-float-kernel", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                                            kernel_shape=[1.5, 1.5])],
     inputs=(vi("x", ["N", 1, 4, 4]),), outputs=(vi("y", ["N", 1, 4, 4]),),
     inits=(helper.make_tensor("w", F32, [1, 1, 1, 1], [1.0]),))
save("reshape-dynamic-shape",
     [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")],
     inputs=(X, vi("s", [2], TensorProto.INT64)))
save("softmax-axis", [helper.make_node("Softmax", ["x"], ["y"], name="softmax", axis=7)])
save("transpose-perm", [helper.make_node("Transpose", ["x"], ["y"], name="t", perm=[0, 0])])
save("matmul-shapes", [helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
     inits=(helper.make_tensor("w", F32, [5, 4], [0.0] * 20),))
