"""The findings contract on the real packs (seed rules that the lexicon tests also pin)."""

import pytest

from languagecheck import CATEGORY_IDS, Config, Scanner
from languagecheck.finding import line_and_column

NOTE = "Summary of visit.\nYP continues putting herself at risk by going to the address.\n"


def test_contract_fields(lexicon_scanner):
    findings = lexicon_scanner.scan(NOTE)
    f = next(f for f in findings if f.rule == "put-self-at-risk")
    assert NOTE[f.start:f.end] == f.text == "putting herself at risk"
    assert (f.line, f.column) == (2, 14)
    assert f.category in CATEGORY_IDS and f.severity in ("error", "warning", "info")
    assert f.source == "lexicon" and 0 <= f.score <= 1 and f.message
    assert f.suggestions == ("being placed at risk by [the adults exploiting her]",)


def test_scan_many_preserves_order(lexicon_scanner):
    texts = ["Nothing here.", NOTE, "", "He puts himself at risk."]
    many = lexicon_scanner.scan_many(texts)
    assert [len(x) > 0 for x in many] == [False, True, False, True]
    assert many == [lexicon_scanner.scan(t) for t in texts]


@pytest.mark.parametrize("text, expected", [
    ("She has put herself at risk again.", "been placed at risk by [the adults exploiting her]"),
    ("He puts himself at risk.", "is being placed at risk by [the adults exploiting him]"),
    ("They put themselves at risk.", "are being placed at risk by [the adults exploiting them]"),
    ("She will put herself at risk.", "be placed at risk by [the adults exploiting her]"),
    ("Putting herself at risk is a concern.", "Being placed at risk by [the adults exploiting her]"),
])
def test_suggestions_agree_with_the_sentence(lexicon_scanner, text, expected):
    f = next(f for f in lexicon_scanner.scan(text) if f.rule == "put-self-at-risk")
    assert f.suggestions[0] == expected


def test_quoted_words_are_info_and_configurable():
    text = 'YP said "I keep putting myself at risk, putting herself at risk is what they say".'
    info = Scanner(use_model=False).scan(text)
    assert info and all(f.severity == "info" for f in info)
    assert Scanner(Config(quotes="ignore"), use_model=False).scan(text) == []
    assert {f.severity for f in Scanner(Config(quotes="flag"), use_model=False).scan(text)} == {"warning"}


def test_config_disables_overrides_and_allows():
    text = "She put herself at risk."
    assert Scanner(Config(disabled=("put-self-at-risk",)), use_model=False).scan(text) == []
    assert Scanner(Config(allow=("put herself at risk",)), use_model=False).scan(text) == []
    assert Scanner(Config(allow=("put-self-at-risk",)), use_model=False).scan(text) == []
    (f,) = Scanner(Config(severity={"put-self-at-risk": "error"}), use_model=False).scan(text)
    assert f.severity == "error"


def test_line_and_column():
    assert line_and_column("ab\ncd", 4) == (2, 2)
    assert line_and_column("abc", 0) == (1, 1)


def test_component_in_a_users_own_pipeline_renders_with_displacy():
    from spacy import displacy

    from languagecheck.nlp import import_spacy

    spacy = import_spacy()
    import languagecheck.components  # noqa: F401  registers the factories

    nlp = spacy.blank("en")
    nlp.add_pipe("languagecheck_segmenter")
    nlp.add_pipe("languagecheck_lemmatizer")
    nlp.add_pipe("languagecheck_lexicon")
    doc = nlp("YP continues putting herself at risk.")
    (span,) = doc.spans["languagecheck"]
    assert span.label_ == "choice-agency" and span._.languagecheck["rule"] == "put-self-at-risk"
    html = displacy.render(doc, style="span", options={"spans_key": "languagecheck"})
    assert "choice-agency" in html and "putting" in html
