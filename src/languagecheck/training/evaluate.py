"""Evaluate lexicon-only, model-only, combined and a TF-IDF baseline on the test split.

Wording categories are scored by sentence and span; risk-not-harm is a document-level judgement
scored separately (`risk_not_harm_report`): single notes, and notes read with their case.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..categories import CATEGORY_IDS
from .labels import MODEL_CATEGORIES
from .metrics import false_positive_rate, sentence_prf, span_prf

WORDING = set(MODEL_CATEGORIES)
RNH = "risk-not-harm"
# risk wording of any kind, for the false-positive rate on negatives (independent of the risk pack)
RISK_WORDING = re.compile(
    r"\brisk(?:s|y)?\b|\bvulnerab|\b(?:potential|possible|suspected)\s+(?:victim|cse|cce)|\bwarning signs|"
    r"\bindicators?\s+of\b|\b(?:cse|cce|grooming|exploitation)\s+concerns|may\s+be\s+being", re.IGNORECASE)


def _by_sentence(notes: list[dict[str, Any]], items: list[Any], findings: list[list[Any]]) -> list[list[dict]]:
    """Note-level findings mapped onto the sentence items (offsets relative to the sentence).

    Only warning and error findings count as predictions: info findings (words inside quotation
    marks) are reminders that the default `--fail-on warning` does not flag, and gold leaves quoted
    words unmarked.
    """
    index = defaultdict(list)
    for k, item in enumerate(items):
        index[item.note_id].append(k)
    out: list[list[dict]] = [[] for _ in items]
    for note, found in zip(notes, findings):
        for f in found:
            if f.category not in WORDING or f.severity == "info":
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
    rnh = risk_not_harm_report(notes, lexicon)  # rules only: the classifier has no risk-not-harm head
    return {"split": split, "notes": len(notes), "sentences": len(items), "model_sha256": model.meta["sha256"],
            "hard_negative_sentences": sum(i.hard_negative for i in items),
            "gold_spans": sum(len(g) for g in gold), "model_dir": str(model_dir), "systems": rows,
            "risk_not_harm": rnh}


def _flags_rnh(findings: list[Any]) -> bool:
    """Predicted positive: a risk-not-harm finding at warning or above (info findings do not fail a check)."""
    return any(f.category == RNH and f.severity != "info" for f in findings)


def _rnh_row(predicted: list[bool], gold: list[bool], negatives: list[bool]) -> dict[str, Any]:
    row: dict[str, Any] = dict(sentence_prf(predicted, gold))
    row["notes"] = len(gold)
    row["risk_wording_negatives"] = sum(negatives)
    row["negative_fpr"] = false_positive_rate(predicted, negatives)
    return row


def risk_not_harm_report(notes: list[dict[str, Any]], scanner: Any) -> dict[str, Any]:
    """Document-level risk-not-harm P/R/F1 and the false-positive rate on risk-wording negatives.

    gold: the note has a risk-not-harm span (grouped: or `case_gold`, risk wording that is wrong when
    read with the earlier notes of its `case_id`); predicted: the scanner reports a risk-not-harm
    finding at warning or above. Negatives: notes with risk wording and no gold risk-not-harm.
    """
    from ..documents import Document

    texts = [n["text"] for n in notes]
    found = scanner.scan_many(texts)
    gold = [any(s["label"] == RNH for s in n["spans"]) for n in notes]
    predicted = [_flags_rnh(f) for f in found]
    risky = [bool(RISK_WORDING.search(t)) for t in texts]
    single = _rnh_row(predicted, gold, [r and not g for r, g in zip(risky, gold)])
    single["info_findings"] = sum(1 for f in found for x in f if x.category == RNH and x.severity == "info")
    documents = [Document(text=n["text"], id=n["id"], meta={"case_id": n.get("case_id"),
                                                               "case_order": n.get("case_order")})
                 for n in notes]
    grouped_found = scanner.scan_grouped(documents, "case_id", order_by="case_order")
    grouped_gold = [g or bool(n.get("case_gold")) for g, n in zip(gold, notes)]
    grouped_pred = [_flags_rnh(r.findings) for r in grouped_found]
    in_case = [bool(n.get("case_id")) for n in notes]
    negatives = [r and not g for r, g in zip(risky, grouped_gold)]
    grouped = _rnh_row(grouped_pred, grouped_gold, negatives)
    pick = [k for k, c in enumerate(in_case) if c]
    cases = _rnh_row([grouped_pred[k] for k in pick], [grouped_gold[k] for k in pick], [negatives[k] for k in pick])
    cases["cases"] = len({notes[k]["case_id"] for k in pick})
    errors = {"false_positives": [n["id"] for n, p, g in zip(notes, predicted, gold) if p and not g],
              "false_negatives": [n["id"] for n, p, g in zip(notes, predicted, gold) if g and not p]}
    return {"single": single, "grouped": grouped, "case_notes": cases, "errors": errors}


def evaluate_risk_not_harm(data_dir: Path, split: str = "test") -> dict[str, Any]:
    """The risk-not-harm section alone (rules only, no model needed)."""
    from ..scanner import Scanner
    from .corpus import load_notes

    notes = [n for n in load_notes(data_dir) if n["split"] == split]
    return {"split": split, "notes": len(notes), "risk_not_harm": risk_not_harm_report(notes, Scanner(use_model=False))}


def risk_not_harm_markdown(report: dict[str, Any]) -> str:
    section = report["risk_not_harm"]
    lines = [f"Risk instead of harm ({report['split']} split, document level; predicted = a risk-not-harm finding "
             "at warning or above):", "",
             "| reading | notes | gold | predicted | P | R | F1 | risk-wording negatives | FP rate on them |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, key in (("each note alone", "single"), ("notes grouped by case", "grouped"),
                      ("case notes only, grouped", "case_notes")):
        r = section[key]
        lines.append(f"| {name} | {r['notes']} | {r['gold']} | {r['predicted']} | {r['precision']:.3f} | "
                     f"{r['recall']:.3f} | {r['f1']:.3f} | {r['risk_wording_negatives']} | {r['negative_fpr']:.3f} |")
    lines += ["", f"Info findings (numeric score as the only assessment): {section['single']['info_findings']}; "
              f"cases: {section['case_notes'].get('cases', 0)}."]
    return "\n".join(lines) + "\n"


def markdown_table(report: dict[str, Any]) -> str:
    lines = [f"{report['split'].capitalize()} split: {report['notes']} notes, {report['sentences']} sentences "
             f"({report['hard_negative_sentences']} hard negatives), {report['gold_spans']} gold spans. "
             "Predictions are warning/error findings (what `--fail-on warning` flags); "
             "the TF-IDF baseline is sentence-level only.", "",
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
    if "risk_not_harm" in report:
        lines += ["", risk_not_harm_markdown(report).rstrip("\n")]
    return "\n".join(lines) + "\n"


def write_report(report: dict[str, Any], out_dir: Path, name: str = "metrics") -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    table = markdown_table(report) if "systems" in report else risk_not_harm_markdown(report)
    (out_dir / f"{name}.md").write_text(table, encoding="utf-8")


assert set(CATEGORY_IDS) - WORDING == {"risk-not-harm"}
