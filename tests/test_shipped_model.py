"""The shipped model: loads with the network blocked and catches paraphrases the lexicon lacks.

The paraphrases were written for this test (not in the corpus, and not in the lexicon when written;
the lexicon may grow to cover some, so the model is tested on its own). The first three were seen in
a probe of the model before the test was written; the last three were not. The bar: the model alone
flags at least half, and the full pipeline flags no clean sentence.
"""

import socket

import pytest

from languagecheck.classifier import default_model_dir

pytestmark = pytest.mark.skipif(not (default_model_dir() / "model.onnx").exists(), reason="no shipped model")

PARAPHRASES = [
    "Staff feel she is more than willing to hop in the car with them whenever they turn up.",
    "Officers described him as a right little wheeler-dealer on the estate.",
    "It was probably just a bit of messing about between them that got out of hand.",
    "By all accounts she was game for it and went back to the house the next night.",
    "He acts as their little delivery boy around the estate after school.",
    "She was quite happy to tag along with the men to the hotel, according to staff.",
]
CLEAN = [
    "Mum gave consent for the school nurse to share the plan with the GP.",
    "The 27-year-old man has been charged with sexual communication with a child.",
    "YP chose art and drama for her GCSE options.",
    "The police were involved after YP disclosed the abuse to her teacher.",
    "Her boyfriend, who is also 14 and in her class, was spoken to by the head of year.",
]


@pytest.fixture(scope="module")
def scanner():
    from languagecheck import Scanner

    return Scanner(require_model=True)


def test_model_loads_offline(monkeypatch):
    from languagecheck.classifier import OnnxClassifier

    def refuse(*args, **kwargs):
        raise OSError("network blocked in test")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = OnnxClassifier(default_model_dir())
    assert model.predict([("She went with them.", "", "")]) is not None


def test_model_alone_catches_paraphrases():
    from languagecheck.classifier import OnnxClassifier

    model = OnnxClassifier(default_model_dir())
    predictions = model.predict([(sentence, "", "") for sentence in PARAPHRASES])
    caught = [s for s, spans in zip(PARAPHRASES, predictions) if spans]
    assert len(caught) >= len(PARAPHRASES) // 2, f"model caught only {caught}"


def test_model_only_findings_are_explained(scanner):
    sentence = "Officers described him as a right little wheeler-dealer on the estate."
    findings = [f for f in scanner.scan(sentence) if f.source == "model"]
    for f in findings:
        assert f.rule == f"model/{f.category}" and f.message and sentence[f.start:f.end] == f.text


@pytest.mark.parametrize("sentence", CLEAN)
def test_clean_sentences_stay_clean(scanner, sentence):
    assert [f for f in scanner.scan(sentence) if f.severity != "info"] == []
