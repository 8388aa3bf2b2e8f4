"""Per-token activation quantisation (training/quantize.py) on small graphs built here."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402


def _linear_graph(path, weight):
    """y = x @ W for x of shape (batch, tokens, 8): what quantize_dynamic turns into MatMulInteger."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "tokens", 4])
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "linear", [x], [y],
                              [numpy_helper.from_array(weight, "w")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def _run(path, x):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(["y"], {"x": x})[0]


@pytest.fixture()
def graphs(tmp_path):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from languagecheck.training.quantize import rewrite_file

    rng = np.random.default_rng(0)
    fp32, dynamic, per_token = tmp_path / "fp32.onnx", tmp_path / "dynamic.onnx", tmp_path / "per_token.onnx"
    _linear_graph(fp32, rng.normal(size=(8, 4)).astype(np.float32))
    quantize_dynamic(str(fp32), str(dynamic), per_channel=True, weight_type=QuantType.QInt8)
    rewrite_file(dynamic, per_token)
    return fp32, dynamic, per_token, rng


def test_a_loud_partner_moves_dynamic_quantisation_but_not_per_token(graphs):
    fp32, dynamic, per_token, rng = graphs
    quiet = rng.normal(size=(1, 3, 8)).astype(np.float32)
    loud = (100 * rng.normal(size=(1, 3, 8))).astype(np.float32)
    both = np.concatenate([quiet, loud])
    moved = np.abs(_run(dynamic, both)[0] - _run(dynamic, quiet)[0]).max()
    assert moved > 0.05, "the batch-wide scale of quantize_dynamic should show here"
    assert np.array_equal(_run(per_token, both)[0], _run(per_token, quiet)[0])
    assert np.array_equal(_run(per_token, both)[1], _run(per_token, loud)[0])


def test_per_token_stays_close_to_fp32(graphs):
    fp32, _, per_token, rng = graphs
    x = rng.normal(size=(4, 5, 8)).astype(np.float32)
    expected, got = _run(fp32, x), _run(per_token, x)
    assert np.abs(got - expected).max() < 0.05 * np.abs(expected).max()
    zeros = np.zeros((1, 2, 8), dtype=np.float32)  # an all-zero row must not divide by zero
    assert np.array_equal(_run(per_token, zeros), np.zeros((1, 2, 4), dtype=np.float32))


def test_nan_guards_after_softmax_are_dropped(tmp_path):
    from languagecheck.training.quantize import per_token_activations

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
    nodes = [helper.make_node("Softmax", ["x"], ["s"]), helper.make_node("IsNaN", ["s"], ["nan"]),
             helper.make_node("Where", ["nan", "zero", "s"], ["guarded"]),
             helper.make_node("Identity", ["guarded"], ["y"])]
    graph = helper.make_graph(nodes, "guard", [x], [y], [numpy_helper.from_array(np.array(0, np.float32), "zero")])
    model = per_token_activations(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]))
    assert [n.op_type for n in model.graph.node] == ["Softmax", "Identity"]
    assert "zero" not in {i.name for i in model.graph.initializer}
    onnx.save(model, str(tmp_path / "g.onnx"))
    data = np.array([[1, 2, 3], [0, 0, 0]], np.float32)
    out = _run(tmp_path / "g.onnx", data)
    assert np.allclose(out.sum(axis=1), 1.0)
