"""Run the fine-tuned token classifier with ONNX Runtime and tokenizers only (no torch at run time).

The model directory holds model.onnx (int8, per-channel), tokenizer.json and languagecheck.json
(labels, thresholds, max length and the SHA-256 of model.onnx).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError

MODEL_FILE = "model.onnx"
META_FILE = "languagecheck.json"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "languagecheck-minilm"


@dataclass
class ModelSpan:
    start: int  # offsets within the sentence
    end: int
    category: str
    score: float


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_model_dir() -> Path:
    return Path(os.environ.get("LANGUAGECHECK_MODEL", DEFAULT_MODEL_DIR))


def verify(model_dir: Path) -> dict[str, Any]:
    """The model's metadata, after checking the files exist and the weights match their hash."""
    meta_path, weights = model_dir / META_FILE, model_dir / MODEL_FILE
    if not meta_path.exists() or not weights.exists() or not (model_dir / "tokenizer.json").exists():
        raise ModelError(f"{model_dir}: classifier model files are missing")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except ValueError as exc:
        raise ModelError(f"{model_dir}/{META_FILE}: not valid JSON") from exc
    if sha256_of(weights) != meta.get("sha256"):
        raise ModelError(f"{weights}: SHA-256 does not match {META_FILE} (corrupt or replaced model file)")
    from .model_inputs import CONTEXTS

    if meta.get("context", "neighbours") not in CONTEXTS:
        raise ModelError(f"{meta_path}: unknown context '{meta.get('context')}' "
                         f"(expected one of {', '.join(CONTEXTS)})")
    return meta


def decode_spans(probs: np.ndarray, offsets: list[tuple[int, int]], in_sentence: list[bool], text: str,
                 labels: list[str], thresholds: dict[str, float]) -> list[ModelSpan]:
    """Group consecutive sentence tokens whose most likely category is the same into spans.

    probs: (tokens, labels) softmax; a token belongs to category c when P(B-c)+P(I-c) beats P(O).
    """
    categories = sorted({label[2:] for label in labels if label != "O"})
    b_index = [labels.index(f"B-{c}") for c in categories]
    i_index = [labels.index(f"I-{c}") for c in categories]
    # whole-array arithmetic: per-token Python sums were a sixth of a scan's time
    b_probs, i_probs = probs[:, b_index], probs[:, i_index]
    category_scores = b_probs + i_probs  # (tokens, categories)
    best_of = category_scores.argmax(axis=1)
    token = np.arange(len(best_of))
    best_scores = category_scores[token, best_of].tolist()
    flagged = (category_scores[token, best_of] > probs[:, labels.index("O")]).tolist()
    begins_of = (b_probs[token, best_of] > i_probs[token, best_of]).tolist()
    best_list = best_of.tolist()
    spans: list[ModelSpan] = []
    current: list[Any] | None = None  # [category, start, end, scores]
    for k, ((start, end), inside) in enumerate(zip(offsets, in_sentence)):
        if not inside or start == end:
            continue
        if not flagged[k]:
            _close(current, spans)
            current = None
            continue
        best, score = categories[best_list[k]], best_scores[k]
        if current and current[0] == best and not (begins_of[k] and start > current[2] + 1):
            current[2] = end
            current[3].append(score)
        else:
            _close(current, spans)
            current = [best, start, end, [score]]
    _close(current, spans)
    out = []
    for span in spans:
        start, end = _word_bounds(text, span.start, span.end)
        if span.score >= thresholds.get(span.category, 0.5):
            out.append(ModelSpan(start, end, span.category, span.score))
    return out


def _close(current: list[Any] | None, spans: list[ModelSpan]) -> None:
    if current:
        spans.append(ModelSpan(current[1], current[2], current[0], float(np.mean(current[3]))))


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


class OnnxClassifier:
    """Batched, length-sorted inference over (sentence, context) pairs."""

    def __init__(self, model_dir: Path, device: str = "cpu", threads: int | None = None,
                 weights: Path | None = None):
        """`weights` replaces model.onnx (e.g. the fp32 export, to measure quantisation loss)."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.meta = verify(model_dir)
        self.labels: list[str] = self.meta["labels"]
        self.thresholds: dict[str, float] = self.meta["thresholds"]
        self.max_length = int(self.meta.get("max_length", 128))
        self.context: str = self.meta.get("context", "neighbours")  # what the model was trained to read
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length, strategy="only_second")
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or int(os.environ.get("LANGUAGECHECK_THREADS", "0")) or (
            os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if device == "cuda" else [
            "CPUExecutionProvider"]
        self.session = ort.InferenceSession(str(weights or model_dir / MODEL_FILE), options, providers=providers)
        self.input_names = {i.name for i in self.session.get_inputs()}

    def run(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> list[tuple[np.ndarray, Any]]:
        """(token probabilities, encoding) per pair, in input order."""
        encodings = self.tokenizer.encode_batch(pairs)
        order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))
        results: list[Any] = [None] * len(pairs)
        for b in range(0, len(order), batch_size):
            batch = order[b:b + batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            feed = {name: np.zeros((len(batch), width), dtype=np.int64)
                    for name in ("input_ids", "attention_mask", "token_type_ids")}
            for row, i in enumerate(batch):
                e = encodings[i]
                n = len(e.ids)
                feed["input_ids"][row, :n] = e.ids
                feed["attention_mask"][row, :n] = e.attention_mask
                feed["token_type_ids"][row, :n] = e.type_ids
            (logits,) = self.session.run(["logits"], {k: v for k, v in feed.items() if k in self.input_names})
            logits = logits - logits.max(axis=-1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=-1, keepdims=True)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                results[i] = (probs[row, :n], encodings[i])
        return results

    def predict(self, sentences: list[tuple[str, str, str]], batch_size: int = 32,
                thresholds: dict[str, float] | None = None) -> list[list[ModelSpan]]:
        """Spans per (sentence, previous, next) triple."""
        from .model_inputs import context_of

        pairs = [(s, context_of(p, n, self.context)) for s, p, n in sentences]
        out = []
        for (text, _, _), (probs, enc) in zip(sentences, self.run(pairs, batch_size)):
            in_sentence = [seq == 0 for seq in enc.sequence_ids]
            out.append(decode_spans(probs, enc.offsets, in_sentence, text, self.labels,
                                    self.thresholds if thresholds is None else thresholds))
        return out
