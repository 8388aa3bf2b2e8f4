"""The lookup lemmatizer is context-free and case-sensitive: check every pattern word's inflections."""

import pytest

from languagecheck import compiled
from languagecheck.patterns import expand


def _regular_inflections(lemma: str) -> set[str]:
    forms = {lemma + "s", lemma + "es", lemma + "ing", lemma + "ed", lemma + "d"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing"}
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ing", lemma + lemma[-1] + "ed"}  # put -> putting, plan -> planned
    return forms


def _pattern_lemmas():
    from spacy.lang.en.stop_words import STOP_WORDS

    lexicon = compiled.load()
    return sorted({lemma for _, lemmas in lexicon.phrase_patterns for lemma in lemmas
                   if lemma.isalpha() and lemma not in STOP_WORDS})


@pytest.fixture(scope="module")
def full_table():
    return compiled.full_lemma_table()


def test_every_regular_inflection_of_a_pattern_word_reaches_its_lemma(full_table):
    lexicon = compiled.load()
    wrong = []
    for lemma in _pattern_lemmas():
        for form in _regular_inflections(lemma):
            # only real words the lookup table knows, whose lemma it gives as something else
            if form in full_table and full_table[form] != lemma and full_table[form] + "s" != form:
                got = lexicon.lemma(form)
                if got != lemma and form not in AMBIGUOUS:
                    wrong.append(f"{form} -> {got} (pattern word {lemma})")
    assert not wrong, "add these to lexicons/lemma_overrides.yaml or AMBIGUOUS: " + "; ".join(wrong)


# Forms that are words in their own right, so the table is right not to map them to the pattern word.
AMBIGUOUS = {"putted", "dated", "sings", "men", "bored", "ares", "hes", "shes", "thing", "things", "ons"}


def test_lemmatizer_is_case_insensitive(lexicon_scanner):
    doc = lexicon_scanner.nlp("Putting PUTTING putting")
    assert {t.lemma_ for t in doc} == {"put"}


@pytest.mark.parametrize("phrase", ["put {self} at risk", "[a|b] c", "x [y|] z"])
def test_expansion_is_stable(phrase):
    assert expand(phrase) == expand(phrase)
    assert all("  " not in p for p in expand(phrase))
