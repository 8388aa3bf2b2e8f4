"""Evaluate lexicon-only, model-only, combined and a TF-IDF baseline on the test split.

Wording categories only (risk-not-harm is a document-level judgement evaluated separately).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..categories import CATEGORY_IDS
from .labels import MODEL_CATEGORIES
from .metrics import false_positive_rate, sentence_prf, span_prf

WORDING = set(MODEL_CATEGORIES)


def _by_sentence(notes: list[dict[str, Any]], items: list[Any], findings: list[list[Any]]) -> list[list[dict]]:
    """Note-level findings mapped onto the sentence items (offsets relative to the sentence)."""
    index = defaultdict(list)
    for k, item in enumerate(items):
        index[item.note_id].append(k)
    out: list[list[dict]] = [[] for _ in items]
    for note, found in zip(notes, findings):
        for f in found:
            if f.category not in WORDING:
                continue
            for k in index[note["id"]]:
                item = items[k]
                if item.start <= f.start < item.start + len(item.text):
                    out[k].append({"start": f.start - item.start, "end": f.end - item.start, "category": f.category})
                    break
    return out


def _row(name: str, predicted: list[list[Any]], items: list[Any], gold_spans: list[list[dict]]) -> dict[str, Any]:
    any_pred = [bool(p) for p in predicted]
    any_gold = [bool(g) for g in gold_spans]
    row: dict[str, Any] = {"system": name,
                           "sentence": sentence_prf(any_pred, any_gold),
                           "span": span_prf(predicted, gold_spans) if name != "tfidf-baseline" else None,
                           "hard_negative_fpr": false_positive_rate(any_pred, [i.hard_negative for i in items])}
    if row["span"] is not None:
        row["per_category_f1"] = {c: span_prf(predicted, gold_spans, c)["f1"] for c in MODEL_CATEGORIES}
    return row


def tfidf_baseline(train_items: list[Any], test_items: list[Any]) -> list[bool]:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    y = [any(s["label"] in WORDING for s in i.spans) for i in train_items]
    x = hstack([word.fit_transform([i.text for i in train_items]), char.fit_transform([i.text for i in train_items])])
    clf = LogisticRegression(max_iter=2000, class_weight="balanced", C=4.0, random_state=0).fit(x, y)
    xt = hstack([word.transform([i.text for i in test_items]), char.transform([i.text for i in test_items])])
    return [bool(v) for v in clf.predict(xt)]


def evaluate(data_dir: Path, model_dir: Path | None = None, split: str = "test") -> dict[str, Any]:
    from ..classifier import OnnxClassifier, default_model_dir
    from ..config import Config
    from ..nlp import build_pipeline
    from ..scanner import Scanner
    from .corpus import load_notes, sentences

    model_dir = model_dir or default_model_dir()
    all_notes = load_notes(data_dir)
    notes = [n for n in all_notes if n["split"] == split]
    nlp = build_pipeline()
    items = sentences(notes, nlp, data_dir)
    gold = [[s for s in i.spans if s["label"] in WORDING] for i in items]
    rows = []
    lexicon = Scanner(use_model=False)
    rows.append(_row("lexicon-only", _by_sentence(notes, items, lexicon.scan_many([n["text"] for n in notes])),
                     items, gold))
    model = OnnxClassifier(model_dir)
    model_spans = model.predict([(i.text, i.previous, i.next) for i in items])
    rows.append(_row("model-only", model_spans, items, gold))
    fp32 = model_dir / "staging" / "model.fp32.onnx"
    if fp32.exists():  # the same model before int8 quantisation: measures what quantising costs
        fp32_model = OnnxClassifier(model_dir, weights=fp32)
        rows.append(_row("model-only (fp32, unquantised)",
                         fp32_model.predict([(i.text, i.previous, i.next) for i in items]), items, gold))
    combined = Scanner(Config(model=str(model_dir)), use_model=True, require_model=True)
    rows.append(_row("combined", _by_sentence(notes, items, combined.scan_many([n["text"] for n in notes])),
                     items, gold))
    train_items = sentences([n for n in all_notes if n["split"] == "train"], nlp, data_dir)
    rows.append(_row("tfidf-baseline", [[1] if p else [] for p in tfidf_baseline(train_items, items)], items, gold))
    return {"split": split, "notes": len(notes), "sentences": len(items), "model_sha256": model.meta["sha256"],
            "hard_negative_sentences": sum(i.hard_negative for i in items),
            "gold_spans": sum(len(g) for g in gold), "model_dir": str(model_dir), "systems": rows}


def markdown_table(report: dict[str, Any]) -> str:
    lines = [f"{report['split'].capitalize()} split: {report['notes']} notes, {report['sentences']} sentences "
             f"({report['hard_negative_sentences']} hard negatives), {report['gold_spans']} gold spans.", "",
             "| system | sentence P | sentence R | sentence F1 | span P | span R | span F1 | hard-neg FP rate |",
             "|---|---|---|---|---|---|---|---|"]
    for r in report["systems"]:
        s, sp = r["sentence"], r["span"]
        span_cells = f"{sp['precision']:.3f} | {sp['recall']:.3f} | {sp['f1']:.3f}" if sp else "n/a | n/a | n/a"
        lines.append(f"| {r['system']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {span_cells} | "
                     f"{r['hard_negative_fpr']:.3f} |")
    lines += ["", "| category | " + " | ".join(r["system"] for r in report["systems"] if r["span"]) + " |",
              "|---|" + "---|" * sum(1 for r in report["systems"] if r["span"])]
    for c in MODEL_CATEGORIES:
        lines.append(f"| {c} | " + " | ".join(f"{r['per_category_f1'][c]:.3f}" for r in report["systems"]
                                            if r["span"]) + " |")
    return "\n".join(lines) + "\n"


def write_report(report: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out_dir / "metrics.md").write_text(markdown_table(report), encoding="utf-8")


assert set(CATEGORY_IDS) - WORDING == {"risk-not-harm"}
