"""The precompiled phrase index finds exactly what spaCy's PhraseMatcher(attr="LEMMA") finds."""

import json
from pathlib import Path

import pytest

from languagecheck import phrase_index
from languagecheck.components import WordView
from lexicon_examples import all_entries, unmark

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus.jsonl"


def _texts():
    texts = []
    for entry in all_entries():
        texts += [unmark(x)[0] for x in entry.examples["flag"]]
        texts += list(entry.examples["ok"])
    texts += [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


@pytest.fixture(scope="module")
def setup(lexicon_scanner):
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    nlp = lexicon_scanner.nlp
    lexicon = lexicon_scanner.lexicon
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")  # built as the lexicon matcher used to build it
    by_rule: dict[str, list] = {}
    for rule, lemmas in lexicon.phrase_patterns:
        by_rule.setdefault(rule, []).append(Doc(nlp.vocab, words=list(lemmas), lemmas=list(lemmas)))
    for rule, docs in by_rule.items():
        matcher.add(rule, docs)
    return nlp, lexicon, matcher


def test_index_matches_phrase_matcher_on_examples_and_corpus(setup):
    nlp, lexicon, matcher = setup
    before = [name for name in nlp.pipe_names if name not in ("languagecheck_segmenter", "languagecheck_lemmatizer")]
    texts = _texts()
    assert len(texts) > 2000
    differ = []
    matched = 0
    with nlp.select_pipes(disable=before):
        for doc in nlp.pipe(texts):
            view = WordView(doc, lexicon)
            expected = [(nlp.vocab.strings[m], s, e) for m, s, e in matcher(view.doc)]
            got = lexicon.phrase_index.matches(view.lemmas)
            matched += len(got)
            if got != expected:  # same matches in the same order (ties between rules depend on it)
                differ.append((doc.text[:60], got, expected))
    assert not differ, differ[:3]
    assert matched > 1000


def test_index_from_patterns():
    index = phrase_index.build([("a", ("put", "herself", "at", "risk")), ("b", ("risk",)), ("a", ("put", "herself")),
                                ("a", ("put", "herself"))])
    lemmas = ["she", "put", "herself", "at", "risk", "risk"]
    assert index.matches(lemmas) == [("a", 1, 3), ("a", 1, 5), ("b", 4, 5), ("b", 5, 6)]
    assert index.matches(lemmas, {"a"}) == [("b", 4, 5), ("b", 5, 6)]
    assert index.matches([]) == []
    assert len(index) == 3
