"""Export a fine-tuned token classifier to ONNX and quantise it to int8 (weights per channel,
activations per token, so a sentence's scores never depend on its batch: see quantize.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ..classifier import MODEL_FILE, sha256_of

FORMAT = "onnx-int8-per-channel-per-token"


def export_onnx(staging: Path, out: Path, quantize: bool = True) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForTokenClassification

    class _Logits(torch.nn.Module):
        """The token logits as the one output (a transformers model returns a ModelOutput)."""

        def __init__(self, inner: Any):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    model = _Logits(AutoModelForTokenClassification.from_pretrained(staging).eval())
    out.mkdir(parents=True, exist_ok=True)
    fp32 = staging / "model.fp32.onnx"
    dummy = {k: torch.ones(2, 16, dtype=torch.long) for k in ("input_ids", "attention_mask", "token_type_ids")}
    dynamic = {k: {0: "batch", 1: "tokens"} for k in (*dummy, "logits")}
    torch.onnx.export(model, (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]), str(fp32),
                      input_names=list(dummy), output_names=["logits"], dynamic_axes=dynamic,
                      opset_version=17, dynamo=False)
    target = out / MODEL_FILE
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        from .quantize import rewrite_file

        # per-channel: per-tensor int8 visibly shifts MiniLM's outputs (see perf anchors)
        quantize_dynamic(str(fp32), str(target), per_channel=True, weight_type=QuantType.QInt8)
        rewrite_file(target, target)
        fmt = FORMAT
    else:
        shutil.copyfile(fp32, target)
        fmt = "onnx-fp32"
    shutil.copyfile(staging / "tokenizer.json", out / "tokenizer.json")
    return {"sha256": sha256_of(target), "format": fmt, "fp32_onnx": str(fp32)}
