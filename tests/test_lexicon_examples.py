"""Every lexicon entry's own examples run through the scanner (LanguageTool-style rule tests)."""

import pytest

from lexicon_examples import all_entries, apply, unmark

ENTRIES = all_entries()
FLAG = [(e.id, x) for e in ENTRIES for x in e.examples["flag"]]
OK = [(e.id, x) for e in ENTRIES for x in e.examples["ok"]]


@pytest.mark.parametrize("rule, example", FLAG, ids=[f"{r}:{i}" for i, (r, _) in enumerate(FLAG)])
def test_flag_example_is_found_on_the_phrase(lexicon_scanner, rule, example):
    text, start, end = unmark(example)
    found = [(f.rule, f.start, f.end) for f in lexicon_scanner.scan(text)]
    assert (rule, start, end) in found, f"expected {rule} on {text[start:end]!r}, got {found}"


@pytest.mark.parametrize("rule, example", OK, ids=[f"{r}:{i}" for i, (r, _) in enumerate(OK)])
def test_ok_example_is_not_flagged(lexicon_scanner, rule, example):
    findings = lexicon_scanner.scan(example)
    assert not [f for f in findings if f.rule == rule], f"{rule} fired on its own ok example"
    loud = [(f.rule, f.text) for f in findings if f.severity != "info"]
    assert not loud, f"ok example of {rule} is flagged by {loud}"


@pytest.mark.parametrize("rule, example", FLAG, ids=[f"{r}:{i}" for i, (r, _) in enumerate(FLAG)])
def test_suggestions_are_not_flagged_themselves(lexicon_scanner, rule, example):
    text, start, end = unmark(example)
    finding = next(f for f in lexicon_scanner.scan(text) if (f.rule, f.start) == (rule, start))
    for suggestion in finding.suggestions:
        fixed = apply(text, start, end, suggestion)
        region = (start, start + len(suggestion))
        clash = [f for f in lexicon_scanner.scan(fixed)
                 if f.severity != "info" and f.start < region[1] and f.end > region[0]]
        assert not clash, f"suggestion {suggestion!r} for {rule} is itself flagged: {clash}"


def test_lexicon_size_and_coverage():
    categories = {e.category for e in ENTRIES}
    assert len(ENTRIES) >= 150
    assert categories >= {"consent-implied", "choice-agency", "sexualising-judgement", "transactional-exchange",
                          "relationship-framing", "minimising", "criminalising", "character-blame"}
