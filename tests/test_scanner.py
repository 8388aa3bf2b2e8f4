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


# --- whitespace, line wraps and apostrophes do not hide or invent findings -------------------------

@pytest.mark.parametrize("text", [
    "YP continues putting  herself at risk.",
    "YP continues putting herself\nat risk.",
    "YP continues putting herself\r\nat risk.",
    "YP continues putting\therself at risk.",
    "YP continues putting\u00a0herself at risk.",
    "YP continues putting \n herself at risk.",
    "YP\tcontinues\tputting\therself\tat\trisk.",
    "YP continues putting\u200bherself at risk.",
    "YP continues put\u00adting herself at risk.",
])
def test_whitespace_inside_a_phrase_does_not_hide_it(lexicon_scanner, text):
    (f,) = [f for f in lexicon_scanner.scan(text) if f.rule == "put-self-at-risk"]
    assert text[f.start:f.end] == f.text
    assert f.text.startswith("put") and f.text.endswith("risk")


@pytest.mark.parametrize("text, sentences", [
    ("YP continues putting herself\nat risk and\nwas seen.", 1),  # wrapped lines: one sentence
    ("Seen at the flat.\nShe left.", 2),
    ("Seen at the flat\n\nShe left", 2),  # a blank line
    ("Seen at the flat\n \t\nShe left", 2),
    ("Actions\n- ring school\n- ring mum\n1. visit\n2) call", 5),
    ("OUTCOME\nno further action", 2),  # a heading line
    ("Outcome:\nno further action", 2),
    ("Name: YP\nAge: 15", 2),  # field labels
])
def test_sentences_start_at_punctuation_blank_lines_and_list_items(lexicon_scanner, text, sentences):
    doc = lexicon_scanner.nlp(text)
    sents = list(doc.sents)
    assert len(sents) == sentences
    assert all(not s[0].is_space for s in sents)  # whitespace stays with the sentence before it


@pytest.mark.parametrize("text, rule, flagged", [
    ("She can't consent to it.", "consent-to-abuse", False),
    ("She can\u2019t consent to it.", "consent-to-abuse", False),  # the exception reads curly apostrophes
    ("Her aunt said she thinks she's a grown woman already.", "grown-up-label", True),
    ("Her aunt said she thinks she\u2019s a grown woman already.", "grown-up-label", True),
    ("Her aunt said she thinks she is a grown woman already.", "grown-up-label", True),  # 's read as is
])
def test_curly_apostrophes_match_like_straight_ones(lexicon_scanner, text, rule, flagged):
    assert any(f.rule == rule for f in lexicon_scanner.scan(text)) is flagged


@pytest.mark.parametrize("words, lemmas", [
    (["she", "'s", "putting"], ["she", "be", "put"]),
    (["she", "\u2019s", "been"], ["she", "have", "be"]),
    (["yp", "'s", "phone"], ["yp", "'s", "phone"]),  # a possessive stays one
    (["they", "\u2019re", "here"], ["they", "be", "here"]),
    (["did", "n\u2019t"], ["do", "not"]),
])
def test_contractions_are_lemmatised_in_context(lexicon_scanner, words, lemmas):
    assert lexicon_scanner.lexicon.lemmatize(words) == lemmas


def test_a_note_over_a_million_characters_is_scanned(lexicon_scanner):
    note = "Visit notes. " * 50_000 + "YP continues putting herself at risk.\n" * 15_000
    assert len(note) > 1_200_000
    findings = lexicon_scanner.scan(note)
    assert len([f for f in findings if f.rule == "put-self-at-risk"]) == 15_000
    assert note[findings[-1].start:findings[-1].end] == findings[-1].text


@pytest.mark.parametrize("allow, text", [
    (("lying",), "Staff think she's exaggerating about the men."),  # a rule id without a hyphen
    (("street-wise",), "The officer wrote that he is street-wise."),  # a phrase with one
    (("Putting  Herself at risk",), "She keeps putting herself at risk."),
])
def test_allow_items_are_rule_ids_only_when_the_lexicon_has_them(allow, text):
    assert Scanner(use_model=False).scan(text)
    assert Scanner(Config(allow=allow), use_model=False).scan(text) == []


def test_allow_switches_off_a_context_family_by_its_id():
    text = "On Friday YP was raped by two men at the flat.\nShe remains at risk of CSE.\n"
    found = [f for f in Scanner(use_model=False).scan(text) if f.source == "context"]
    assert found
    allowed = Scanner(Config(allow=(found[0].rule,)), use_model=False).scan(text)
    assert not [f for f in allowed if f.rule == found[0].rule]
