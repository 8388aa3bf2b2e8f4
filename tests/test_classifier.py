"""The classifier's training, export, loading and merging, on a tiny model trained here.

The base model is a 2-layer BERT with a WordPiece vocabulary built from the test notes, saved with
save_pretrained: it exercises the same loading code a user's own local base model would.
"""

import json
import socket
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

NOTES = [
    ("She [[keeps going back to them of her own accord||choice-agency]] despite the plan.", "train"),
    ("He [[was up for it according to staff||consent-implied]] and went with the men.", "train"),
    ("Mum gave consent to share information with the school nurse.", "train"),
    ("YP [[seemed to enjoy the attention from the older lads||sexualising-judgement]] at the park.", "train"),
    ("The school reported good attendance this week and no concerns.", "train"),
    ("She [[keeps going back to them of her own accord||choice-agency]] every weekend.", "dev"),
    ("Dad gave consent for the referral to the exploitation hub.", "dev"),
    ("He [[was up for it according to staff||consent-implied]] again on Friday.", "test"),
]


def _write_corpus(data_dir: Path) -> None:
    from languagecheck.training.corpus import strip_markup

    data_dir.mkdir()
    with (data_dir / "corpus.jsonl").open("w") as fh:
        for k, (marked, split) in enumerate(NOTES * 3):
            text, spans = strip_markup(marked)
            fh.write(json.dumps({"id": f"t{k}", "split": split, "text": text, "spans": spans}) + "\n")
    (data_dir / "tempting_words.txt").write_text("consent\nattention\n")


def _tiny_base(path: Path) -> None:
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast

    from languagecheck.training.corpus import strip_markup

    texts = [strip_markup(m)[0] for m, _ in NOTES]
    wordpiece = BertWordPieceTokenizer(lowercase=True)
    wordpiece.train_from_iterator(texts, vocab_size=300, min_frequency=1)
    path.mkdir()
    wordpiece.save_model(str(path))
    BertTokenizerFast(vocab_file=str(path / "vocab.txt")).save_pretrained(path)
    config = BertConfig(vocab_size=wordpiece.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=160)
    BertForMaskedLM(config).save_pretrained(path)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from languagecheck.training.train import TrainConfig, train

    root = tmp_path_factory.mktemp("tiny")
    _write_corpus(root / "data")
    _tiny_base(root / "base")
    meta = train(TrainConfig(base_model=str(root / "base"), output_dir=str(root / "model"),
                             data_dir=str(root / "data"), epochs=2, batch_size=4, learning_rate=1e-3,
                             threads=1), progress=False)
    return root / "model", meta


def test_training_writes_a_verifiable_model(tiny_model):
    from languagecheck.classifier import sha256_of, verify

    model_dir, meta = tiny_model
    assert (model_dir / "model.onnx").exists() and (model_dir / "tokenizer.json").exists()
    assert verify(model_dir)["sha256"] == sha256_of(model_dir / "model.onnx") == meta["sha256"]
    assert set(meta["thresholds"]) == {"consent-implied", "choice-agency", "sexualising-judgement",
                                       "transactional-exchange", "relationship-framing", "minimising",
                                       "criminalising", "character-blame"}
    assert json.loads((model_dir / "train_config.json").read_text())["seed"] == 13


def test_onnx_model_matches_the_torch_model(tiny_model):
    """The exported int8 graph gives nearly the same token probabilities as the saved torch weights."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from languagecheck.classifier import OnnxClassifier

    model_dir, _ = tiny_model
    text = "She keeps going back to them of her own accord."
    torch_model = AutoModelForTokenClassification.from_pretrained(model_dir / "staging").eval()
    tok = AutoTokenizer.from_pretrained(model_dir / "staging")
    with torch.inference_mode():
        expected = torch.softmax(torch_model(**tok(text, ".", return_tensors="pt")).logits, -1)[0].numpy()
    got, _ = OnnxClassifier(model_dir).run([(text, ".")])[0]
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 0.05


def test_component_round_trip_and_merge(tiny_model, monkeypatch):
    from languagecheck import Config, Scanner

    model_dir, _ = tiny_model
    meta_path = model_dir / "languagecheck.json"
    meta = json.loads(meta_path.read_text())
    meta["thresholds"] = dict.fromkeys(meta["thresholds"], 0.0)  # every candidate span, to test merging
    meta_path.write_text(json.dumps(meta))
    scanner = Scanner(Config(model=str(model_dir)), use_model=True, require_model=True)
    assert "languagecheck_classifier" in scanner.nlp.pipe_names
    text = "She keeps going back to them of her own accord. YP continues putting herself at risk."
    findings = scanner.scan(text)
    spans = [(f.start, f.end) for f in findings]
    assert all(e1 <= s2 for (s1, e1), (s2, e2) in zip(spans, spans[1:])), "one finding per span"
    lexicon = [f for f in findings if f.source == "lexicon"]
    assert "put-self-at-risk" in [f.rule for f in lexicon]
    for f in findings:
        assert text[f.start:f.end] == f.text and f.message
        if f.source == "model":
            assert f.rule == f"model/{f.category}"
    batched = scanner.scan_many([text, "Nothing here."])[0]  # activations are quantised per token
    assert [(f.start, f.end, f.rule, f.score) for f in batched] == [(f.start, f.end, f.rule, f.score)
                                                                    for f in findings]


def test_scores_do_not_depend_on_the_batch(tiny_model):
    """A sentence scores the same alone, beside a longer sentence, and beside one of its own length."""
    from languagecheck.classifier import OnnxClassifier

    model_dir, _ = tiny_model
    classifier = OnnxClassifier(model_dir)
    assert classifier.meta["format"] == "onnx-int8-per-channel-per-token"
    pair = ("She keeps going back to them of her own accord.", ".")
    alone = classifier.run([pair])[0][0]
    longer = ("Mum gave consent to share information with the school nurse and the exploitation hub.", "x " * 40)
    same_length = ("He was up for it according to staff again on the day.", ".")
    for partner in (longer, same_length):
        assert np.array_equal(classifier.run([pair, partner])[0][0], alone)


def test_missing_or_corrupt_model_falls_back_or_fails(tmp_path, tiny_model):
    import shutil

    from languagecheck import Config, Scanner
    from languagecheck.errors import ModelError

    status = Scanner(Config(model=str(tmp_path / "none")), use_model=True).model_status
    assert status.startswith("warning") and "missing" in status
    with pytest.raises(ModelError):
        Scanner(Config(model=str(tmp_path / "none")), use_model=True, require_model=True)
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model[0], broken, ignore=shutil.ignore_patterns("staging"))
    with (broken / "model.onnx").open("ab") as fh:
        fh.write(b"tampered")
    status = Scanner(Config(model=str(broken)), use_model=True).model_status
    assert "SHA-256 does not match" in status


def test_model_loads_with_the_network_blocked(tiny_model, monkeypatch):
    from languagecheck.classifier import OnnxClassifier

    def refuse(*args, **kwargs):
        raise OSError("network blocked in test")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert OnnxClassifier(tiny_model[0]).predict([("She went with them.", "", "")]) is not None


# --- explanations of model-only findings ----------------------------------------------------------------

def test_word_stems_ignore_function_words_and_inflection():
    from languagecheck.classifier_component import overlap, word_stems

    assert word_stems("She was putting herself at risk") == {"putti", "risk"}
    assert word_stems("groomed") == word_stems("grooming") == {"groom"}
    assert overlap(word_stems("keeps going back"), word_stems("keeps going back to them")) == 1.0
    assert overlap(frozenset(), frozenset()) == 0.0


@pytest.mark.parametrize("text, category, expected", [
    ("keeps putting herself at risk", "choice-agency", "put-self-at-risk"),  # close to a flag example
    ("kept going back to the flat of her own accord", "choice-agency", None),  # a paraphrase: category
    ("putting herself at risk", "minimising", None),  # close words, other category
])
def test_model_findings_borrow_an_entry_only_when_its_words_are_close(lexicon_scanner, text, category, expected):
    from languagecheck.classifier_component import closest_entry, example_stems

    lexicon = lexicon_scanner.lexicon
    entry = closest_entry(lexicon, example_stems(lexicon), text, category)
    assert (entry.id if entry else None) == expected


def test_category_explanation_names_the_reason_and_alternatives():
    from languagecheck.categories import CATEGORIES
    from languagecheck.classifier_component import category_explanation

    for cid, c in CATEGORIES.items():
        message = category_explanation(cid)
        assert c.why in message and f"'{c.alternatives[0]}'" in message and c.title.lower() in message


def test_a_model_trained_on_the_sentence_alone_is_run_on_the_sentence_alone(tmp_path, tiny_model, monkeypatch):
    from languagecheck.classifier import OnnxClassifier
    from languagecheck.errors import ModelError
    from languagecheck.training.train import TrainConfig, train

    root, _ = tiny_model
    meta = train(TrainConfig(base_model=str(root.parent / "base"), output_dir=str(tmp_path / "alone"),
                             data_dir=str(root.parent / "data"), epochs=1, batch_size=4, threads=1,
                             context="none"), progress=False)
    assert meta["context"] == "none"
    model = OnnxClassifier(tmp_path / "alone")
    seen = []
    original = model.run
    monkeypatch.setattr(model, "run", lambda pairs, batch_size=32: seen.extend(pairs) or original(pairs, batch_size))
    model.predict([("She went out.", "Before it.", "After it.")])
    assert seen == [("She went out.", ".")]
    neighbours = OnnxClassifier(root)
    monkeypatch.setattr(neighbours, "run", lambda pairs, batch_size=32: seen.extend(pairs) or original(pairs))
    neighbours.predict([("She went out.", "Before it.", "After it.")])
    assert seen[-1] == ("She went out.", "Before it. After it.")
    meta_path = tmp_path / "alone" / "languagecheck.json"
    meta_path.write_text(json.dumps({**json.loads(meta_path.read_text()), "context": "paragraph"}))
    with pytest.raises(ModelError, match="unknown context 'paragraph'"):
        OnnxClassifier(tmp_path / "alone")
