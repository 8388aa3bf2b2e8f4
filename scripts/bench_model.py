#!/usr/bin/env python3
"""Classifier speed on this machine: sentences/s for each runtime, and notes/s of the whole pipeline.

Runtimes: ONNX Runtime int8 per-channel (shipped), ONNX Runtime fp32, torch fp32, torch dynamic int8
(torch needs the train extra and the staging weights that `languagecheck train` leaves in
models/languagecheck-minilm/staging). Same sentences, same batch size, length-sorted batches,
`--threads` intra-op threads. Also reports agreement of each runtime's token labels with torch fp32.

usage: python scripts/bench_model.py [--threads 2] [--batch-size 32] [--sentences 1024] [--notes 300]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "languagecheck-minilm"


def corpus(n_sentences: int, n_notes: int) -> tuple[list[tuple[str, str]], list[str]]:
    from languagecheck.model_inputs import context_of
    from languagecheck.nlp import build_pipeline
    from languagecheck.training.corpus import load_notes, sentences

    notes = load_notes(ROOT / "data")
    items = sentences(notes, build_pipeline(), ROOT / "data")[:n_sentences]
    context = json.loads((MODEL / "languagecheck.json").read_text("utf-8")).get("context", "neighbours")
    return [(i.text, context_of(i.previous, i.next, context)) for i in items], [n["text"] for n in notes[:n_notes]]


def timed(fn, repeats: int = 3) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ort_runner(path: Path, threads: int):
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MODEL / "tokenizer.json"))
    tok.enable_truncation(128, strategy="only_second")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(pairs, batch_size):
        encs = tok.encode_batch(pairs)
        order = sorted(range(len(pairs)), key=lambda i: len(encs[i].ids))
        out = [None] * len(pairs)
        for b in range(0, len(order), batch_size):
            rows = order[b:b + batch_size]
            width = max(len(encs[i].ids) for i in rows)
            feed = {k: np.zeros((len(rows), width), dtype=np.int64) for k in ("input_ids", "attention_mask",
                                                                                "token_type_ids")}
            for r, i in enumerate(rows):
                n = len(encs[i].ids)
                feed["input_ids"][r, :n], feed["attention_mask"][r, :n] = encs[i].ids, encs[i].attention_mask
                feed["token_type_ids"][r, :n] = encs[i].type_ids
            logits = session.run(["logits"], feed)[0]
            for r, i in enumerate(rows):
                out[i] = logits[r, :len(encs[i].ids)].argmax(-1)
        return out
    return run


def torch_runner(quantised: bool, threads: int):
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    torch.set_num_threads(threads)
    model = AutoModelForTokenClassification.from_pretrained(MODEL / "staging").eval()
    if quantised:
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    tok = AutoTokenizer.from_pretrained(MODEL / "staging")

    def run(pairs, batch_size):
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = [None] * len(pairs)
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                rows = order[b:b + batch_size]
                enc = tok([pairs[i][0] for i in rows], [pairs[i][1] for i in rows], truncation="only_second",
                          max_length=128, padding=True, return_tensors="pt")
                logits = model(**enc).logits
                for r, i in enumerate(rows):
                    out[i] = logits[r, :int(enc["attention_mask"][r].sum())].argmax(-1).numpy()
        return out
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--sentences", type=int, default=1024)
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--model-dir", type=Path, default=MODEL, help="the model to measure (default: shipped)")
    args = parser.parse_args()
    global MODEL
    MODEL = args.model_dir
    os.environ["LANGUAGECHECK_THREADS"] = str(args.threads)
    pairs, notes = corpus(args.sentences, args.notes)
    runners = {"onnxruntime int8 per-channel (shipped)": ort_runner(MODEL / "model.onnx", args.threads)}
    if (MODEL / "staging" / "model.fp32.onnx").exists():
        runners["onnxruntime fp32"] = ort_runner(MODEL / "staging" / "model.fp32.onnx", args.threads)
    try:
        runners["torch fp32"] = torch_runner(False, args.threads)
        runners["torch dynamic int8"] = torch_runner(True, args.threads)
    except (ImportError, OSError) as exc:
        print(f"torch runtimes skipped: {exc.__class__.__name__}")
    reference = runners["torch fp32"](pairs, args.batch_size) if "torch fp32" in runners else None
    results = {}
    for name, run in runners.items():
        seconds = timed(lambda run=run: run(pairs, args.batch_size))
        row = {"sentences_per_s": round(len(pairs) / seconds, 1)}
        if reference is not None:
            labels = run(pairs, args.batch_size)
            same = sum(int((a == b).sum()) for a, b in zip(labels, reference))
            row["token_label_agreement_with_torch_fp32"] = round(same / sum(len(r) for r in reference), 4)
        results[name] = row
    from languagecheck import Config, Scanner

    for label, use_model in (("lexicon + context only", False), ("whole pipeline with the model", True)):
        scanner = Scanner(Config(model=str(MODEL)), use_model=use_model, require_model=use_model, threads=args.threads)
        seconds = timed(lambda scanner=scanner: scanner.scan_many(notes), repeats=2)
        words = sum(len(n.split()) for n in notes)
        results[label] = {"notes_per_s": round(len(notes) / seconds, 1), "words_per_note": round(words / len(notes))}
    print(json.dumps({"model": str(MODEL), "threads": args.threads, "batch_size": args.batch_size,
                      "sentences": len(pairs), "notes": len(notes), "results": results}, indent=2))


if __name__ == "__main__":
    main()
