"""Suggestions that agree with the sentence: verb form, pronoun, number and capitals (suggest.py)."""

import pytest

from languagecheck.suggest import DO_SUPPORT, match_case, render, verb_form

PUT_SELF = ({"ing": "being placed at risk by [the adults exploiting {obj}]",
             "present": "{be} being placed at risk by [the adults exploiting {obj}]",
             "past": "{was} placed at risk by [the adults exploiting {obj}]",
             "perfect": "been placed at risk by [the adults exploiting {obj}]",
             "base": "be placed at risk by [the adults exploiting {obj}]"},)
GO_MISSING = ({"ing": "going missing", "present": "goes missing", "past": "went missing",
               "perfect": "gone missing", "base": "go missing"},)


def span_of(scanner, text, words):
    doc = scanner.nlp(text)
    start = text.index(words)
    return doc.char_span(start, start + len(words))


@pytest.mark.parametrize("text, words, form", [
    ("She is being difficult.", "is being", "present"),
    ("They are being difficult.", "are being", "present"),
    ("I am being difficult.", "am being", "present"),
    ("She was being difficult.", "was being", "past"),
    ("They were being difficult.", "were being", "past"),
    ("She has been difficult.", "been difficult", "perfect"),
    ("She will be difficult.", "be difficult", "base"),
    ("She puts herself at risk.", "puts", "present"),
    ("She has put herself at risk.", "put", "perfect"),
    ("She\u2019s put herself at risk.", "put", "perfect"),
    ("She won\u2019t put herself at risk.", "put", "base"),
    ("She did put herself at risk.", "put", DO_SUPPORT),
    ("She didn\u2019t put herself at risk.", "put", DO_SUPPORT),
    ("Did she put herself at risk?", "put", DO_SUPPORT),
    ("Why does she put herself at risk?", "put", DO_SUPPORT),
    ("Has she put herself at risk?", "put", "perfect"),
])
def test_verb_form(lexicon_scanner, text, words, form):
    span = span_of(lexicon_scanner, text, words)
    assert verb_form(span, plural=False) == form


@pytest.mark.parametrize("text, words, templates, expected", [
    # after do/does/did or in a question: the base form where it is grammatical, else nothing
    ("Did she put herself at risk?", "put herself at risk", PUT_SELF, []),
    ("She does put herself at risk.", "put herself at risk", PUT_SELF, []),
    ("She did not go missing.", "go missing", GO_MISSING, ["go missing"]),
    ("Did she go missing?", "go missing", GO_MISSING, ["go missing"]),
    ("She did put herself at risk.", "put herself at risk", ("{was} groomed",), []),
    # forms of "be"
    ("She was putting herself at risk.", "was putting herself at risk",
     ({"present": "{be} harmed", "past": "{was} harmed", "default": "being harmed"},), ["was harmed"]),
    ("They are putting themselves at risk.", "are putting themselves at risk",
     ({"present": "{be} harmed", "past": "{was} harmed", "default": "being harmed"},), ["are harmed"]),
])
def test_render_verb_forms(lexicon_scanner, text, words, templates, expected):
    assert render(templates, span_of(lexicon_scanner, text, words)) == expected


@pytest.mark.parametrize("text, words, expected", [
    # the pronoun after the match is usually the adult's: never take it
    ("YP was in a relationship with him.", "in a relationship with", "the child"),
    ("She was in a relationship with him.", "in a relationship with", "her"),
    ("He told staff she was in a relationship with him.", "in a relationship with", "her"),
    ("YP puts themself at risk.", "puts themself at risk", "them"),
])
def test_child_pronoun_comes_from_the_match_or_before_it(lexicon_scanner, text, words, expected):
    (rendered,) = render(("{obj}",), span_of(lexicon_scanner, text, words))
    assert rendered == expected


@pytest.mark.parametrize("text, words, expected", [
    ("They put themselves at risk.", "put themselves at risk", "are"),
    ("He and she put themselves at risk.", "put themselves at risk", "are"),
    ("YP puts themself at risk.", "puts themself at risk", "is"),  # singular they
    ("She said they put themselves at risk.", "put themselves at risk", "are"),
    ("They said she puts herself at risk.", "puts herself at risk", "is"),
    ("The girls have put themselves at risk.", "put themselves at risk", "are"),
    ("She has put them at risk.", "put them at risk", "is"),  # the object's number is not the subject's
])
def test_number_comes_from_the_subject_before_the_match(lexicon_scanner, text, words, expected):
    (rendered,) = render(("{be}",), span_of(lexicon_scanner, text, words))
    assert rendered == expected


@pytest.mark.parametrize("replacement, original, line, start, expected", [
    ("went missing", "AWOL", "Staff say she was  last night.", False, "went missing"),
    ("went missing", "AWOL", " again last night.", True, "Went missing"),
    ("went missing", "AWOL", "STAFF SAY SHE WAS .", False, "WENT MISSING"),
    ("being placed at risk", "PUTTING HERSELF AT RISK", "YP CONTINUES .", False, "BEING PLACED AT RISK"),
    ("being placed at risk", "Putting herself at risk", " is a concern.", True, "Being placed at risk"),
    ("being placed at risk", "putting herself at risk", "YP continues .", False, "being placed at risk"),
])
def test_match_case(replacement, original, line, start, expected):
    assert match_case(replacement, original, line, start) == expected


def test_abbreviations_are_not_shouted_in_findings(lexicon_scanner):
    (f,) = [f for f in lexicon_scanner.scan("Staff say she was AWOL last night.") if f.rule == "awol"]
    assert f.suggestions and all(s == s.lower() for s in f.suggestions)
