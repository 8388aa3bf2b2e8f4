"""The risk-not-harm context stage: harm and risk families, exceptions, evidence, grouping, packs."""

import re
import shutil

import pytest

from languagecheck import Config, Scanner
from languagecheck.context_component import ELLIPSIS, EXCERPT_CHARS, excerpt
from languagecheck.context_packs import context_pack_paths, load_context_packs, read_context_pack
from languagecheck.context_rules import compile_rules, find_harm, find_risk, load, phrase_regex
from languagecheck.documents import Document
from languagecheck.errors import LexiconError

MARK = re.compile(r"\[\[(.+?)\]\]")
PACKS = load_context_packs(context_pack_paths())
RULES = load()
HARM_FAMILIES = {f.id: f for p in PACKS if p.kind == "harm" for f in p.families}
RISK_FAMILIES = {f.id: f for p in PACKS if p.kind == "risk" for f in p.families}

HARM_NOTE = "YP (14) disclosed that two men raped her at a flat in [town] on Saturday."


def unmark(example):
    m = MARK.search(example)
    return example[:m.start()] + m.group(1) + example[m.end():], m.start(), m.start() + len(m.group(1))


def rnh(findings, loud=True):
    return [f for f in findings if f.category == "risk-not-harm" and (f.severity != "info" or not loud)]


def harm_families(sentence):
    return {m.family for m in find_harm(RULES, sentence)}


def risk_families(sentence):
    return {m.family: sentence[m.start:m.end] for m in find_risk(RULES, sentence)}


# --- harm evidence: one group per family ------------------------------------------------------------

HARM_CASES = [
    ("harm-sexual-abuse-named", "She has been sexually abused by her mother's partner."),
    ("harm-sexual-abuse-named", "The man raped her in the back of his van."),
    ("harm-sexual-abuse-named", "He said the older man did things to him in the shed."),
    ("harm-sexual-abuse-named", "The neighbour has been sexually abusing him since the summer."),
    ("harm-sexual-abuse-named", "YP, who has a learning disability, was sexually abused by a man aged 40."),
    ("harm-disclosure", "YP disclosed that the taxi driver had sexually touched her."),
    ("harm-disclosure", "She gave a full account in her ABE interview on Tuesday."),
    ("harm-sexual-offence-recorded", "A crime of sexual communication with a child has been recorded."),
    ("harm-sexual-offence-recorded", "Police served a child abduction warning notice on the 26-year-old."),
    ("harm-sexual-offence-recorded", "Both men were arrested on suspicion of rape."),
    ("harm-images", "The 32-year-old asked her for nudes and she sent two."),
    ("harm-images", "He was told the video would go to his family unless he paid; it was reported via Report Remove."),
    ("harm-images", "There are pictures of him naked on the man's laptop."),
    ("harm-intoxicated-by-adults", "The men gave her vodka and ketamine before taking her to the hotel."),
    ("harm-intoxicated-by-adults", "She was returned by a stranger at 4am and was heavily intoxicated."),
    ("harm-injury-or-medical", "Staff saw bite marks on her neck when she came back."),
    ("harm-injury-or-medical", "She attended the SARC with her carer on Monday."),
    ("harm-injury-or-medical", "The older boys slashed him across the cheek."),
    ("harm-sexual-health", "The clinic has diagnosed her with chlamydia; she is 12."),
    ("harm-sexual-health", "She is 9 weeks pregnant and the father is 24."),
    ("harm-payment-for-sex", "He said the men gave him vapes in exchange for sexual acts."),
    ("harm-payment-for-sex", "She was paid £40 for sex by a man in a car."),
    ("harm-missing-with-abuse", "Police found her at 02:00 in a short-let flat with three adult males."),
    ("harm-missing-with-abuse", "He came back after two days with £300 and new trainers that he could not explain."),
    ("harm-missing-with-abuse", "She was picked up from the home by an older man in a grey car."),
    ("harm-criminal-exploitation", "He was found with 18 wraps of crack cocaine and a deal line phone."),
    ("harm-criminal-exploitation", "He says he has to work off the debt to the older boys."),
    ("harm-criminal-exploitation", "Police found him locked inside a house used to grow cannabis."),
    ("harm-formal-determination", "The enquiry concluded that she has suffered significant harm."),
    ("harm-formal-determination", "A positive reasonable grounds decision was made by the NRM."),
]


@pytest.mark.parametrize("family, sentence", HARM_CASES, ids=[f"{f}:{i}" for i, (f, _) in enumerate(HARM_CASES)])
def test_harm_family_finds_evidence(family, sentence):
    assert family in harm_families(sentence)


def test_every_harm_family_has_a_case():
    assert {f for f, _ in HARM_CASES} == set(HARM_FAMILIES)


NOT_HARM = [
    ("negation", "YP denies that anyone has touched her or given her anything."),
    ("negation", "There is no evidence that she has been sexually abused, given alcohol or photographed."),
    ("negation", "She did not disclose anything about the men in the car."),
    ("negation", "Her STI screen was negative."),
    ("hypothetical", "If she goes missing again she could be given drugs by the same group."),
    ("hypothetical", "He is at risk of sexual abuse from older males in the area."),
    ("hypothetical", "We talked about how adults can groom children online and ask for nudes."),
    ("other-person", "Her older sister was raped by the same men last year."),
    ("other-person", "The man has previous convictions for sexual offences against a child in 2016."),
    ("other-person", "Mum is pregnant and the baby is due in May."),
    ("other-person", "He has bruising to his knee from a football tackle."),
]


@pytest.mark.parametrize("kind, sentence", NOT_HARM, ids=[f"{k}:{i}" for i, (k, _) in enumerate(NOT_HARM)])
def test_harm_exceptions(kind, sentence):
    assert harm_families(sentence) == set()


# --- risk wording: one group per family -----------------------------------------------------------

RISK_CASES = [
    ("rnh-at-risk-of-cse", "She is at risk of CSE.", "at risk of CSE"),
    ("rnh-at-risk-of-cse", "YP is at significant risk of sexual exploitation.",
     "at significant risk of sexual exploitation"),
    ("rnh-risk-grade", "The tracker shows medium risk of CSE.", "medium risk of CSE"),
    ("rnh-risk-grade", "Screening outcome: CSE risk: high.", "CSE risk: high"),
    ("rnh-risk-grade", "He is recorded as CCE category 2.", "CCE category 2"),
    ("rnh-risk-grade", "The panel agreed the risk has reduced.", "the risk has reduced"),
    ("rnh-risk-grade", "Closing note: YP red-rated for CSE.", "red-rated for CSE"),
    ("rnh-risk-score", "CSE screening score 17 entered.", "CSE screening score 17"),
    ("rnh-at-risk-of-cce", "He is at risk of county lines exploitation.", "at risk of county lines exploitation"),
    ("rnh-at-risk-of-cce", "She is at risk of being trafficked.", "at risk of being trafficked"),
    ("rnh-vulnerable-to", "He is vulnerable to online grooming.", "vulnerable to online grooming"),
    ("rnh-vulnerable-to", "Increased vulnerability noted.", "Increased vulnerability"),
    ("rnh-grooming-concerns", "There are grooming concerns.", "grooming concerns"),
    ("rnh-grooming-concerns", "She may be being groomed.", "may be being groomed"),
    ("rnh-potential-victim", "She is a potential victim of CSE.", "a potential victim of CSE"),
    ("rnh-potential-victim", "Reason for referral: suspected CCE.", "suspected CCE"),
    ("rnh-concerns-indicators", "There are significant CSE concerns.", "significant CSE concerns"),
    ("rnh-concerns-indicators", "School noted indicators of exploitation.", "indicators of exploitation"),
    ("rnh-risk-of-harm", "She is at risk of significant harm.", "at risk of significant harm"),
    ("rnh-exposed-to-risk", "He is exposed to risky adults.", "exposed to risky adults"),
    ("rnh-at-risk-of-abuse", "She is at risk of sexual abuse.", "at risk of sexual abuse"),
    ("rnh-missing-risk", "She remains at risk when missing.", "remains at risk when missing"),
    ("rnh-contextual-risk", "The case is held for extra-familial risk.", "extra-familial risk"),
]


@pytest.mark.parametrize("family, sentence, words", RISK_CASES,
                         ids=[f"{f}:{i}" for i, (f, _, _) in enumerate(RISK_CASES)])
def test_risk_family_finds_its_words(family, sentence, words):
    assert risk_families(sentence).get(family) == words


def test_every_risk_family_has_a_case():
    assert {f for f, _, _ in RISK_CASES} == set(RISK_FAMILIES)


RISK_EXCEPTIONS = [
    ("further harm", "She remains at risk of CSE again if the men are released."),
    ("further harm", "He is at high risk of further criminal exploitation by the line."),
    ("sibling", "Her younger sister, aged 11, is at risk of sexual exploitation."),
    ("sibling", "There is no evidence about the younger brother, but he is at risk of CCE."),
    ("other children", "The man is assessed as posing a high risk of sexual harm to children."),
    ("place", "The address is assessed as high risk and flagged."),
    ("tool name", "The CSE risk assessment tool was completed with Mum."),
    ("statute", "The test is whether she is suffering, or likely to suffer, significant harm."),
    ("NRM", "He is a potential victim of modern slavery pending the NRM decision."),
    ("negation", "No exploitation indicators and no concerns."),
]


@pytest.mark.parametrize("kind, sentence", RISK_EXCEPTIONS,
                         ids=[f"{k}:{i}" for i, (k, _) in enumerate(RISK_EXCEPTIONS)])
def test_risk_wording_that_stays_correct(kind, sentence):
    assert risk_families(sentence) == {}


# --- pairing in a document ------------------------------------------------------------------------

def test_risk_wording_with_harm_is_a_finding(lexicon_scanner):
    text = HARM_NOTE + "\nSummary: YP is at risk of CSE and a plan is in place."
    (f,) = rnh(lexicon_scanner.scan(text))
    assert (f.text, f.rule, f.source, f.severity, f.line) == ("at risk of CSE", "rnh-at-risk-of-cse", "context",
                                                                "warning", 2)
    assert text[f.start:f.end] == f.text
    assert "Harm is recorded at line 1: 'YP (14) disclosed that two men raped her" in f.message
    assert f.suggestions and "record the harm and the protective action" in f.suggestions[0]


@pytest.mark.parametrize("text", [
    "YP has been seen at the bus station with older teenagers. She is at risk of CSE.",
    "YP has been sexually abused by two men and remains at high risk of further abuse.",
    HARM_NOTE + " She remains at risk of further sexual exploitation by the same men.",
    HARM_NOTE + " Her younger sister (11) is at risk of sexual exploitation from the same group.",
    HARM_NOTE + " The man is assessed as high risk by probation.",
    HARM_NOTE + " The CSE risk assessment tool was updated by the SW.",
    "The man has previous convictions for raping a child in 2012. YP (13) is at risk of CSE.",
], ids=["no-harm", "accurate-combined", "further-harm", "sibling", "adult", "tool-name", "offender-history"])
def test_no_finding(lexicon_scanner, text):
    assert rnh(lexicon_scanner.scan(text)) == []


def test_harm_recorded_after_the_risk_wording_still_counts(lexicon_scanner):
    text = "Summary: YP is vulnerable to exploitation.\nDetails: " + HARM_NOTE
    (f,) = rnh(lexicon_scanner.scan(text))
    assert f.text == "vulnerable to exploitation" and "at line 2:" in f.message


def test_score_as_the_only_assessment_is_info(lexicon_scanner):
    (f,) = rnh(lexicon_scanner.scan("YP seen with older teenagers. CSE screening score 14."), loud=False)
    assert (f.severity, f.rule, f.text) == ("info", "rnh-risk-score", "CSE screening score 14")
    assert "professional judgement" in f.message
    judged = "YP seen with older teenagers. CSE screening score 14. In my view YP is not being harmed."
    assert rnh(lexicon_scanner.scan(judged), loud=False) == []


def test_score_with_harm_is_a_warning_unless_further_harm_is_stated(lexicon_scanner):
    (f,) = rnh(lexicon_scanner.scan(HARM_NOTE + " CSE screening score 16 (high)."))
    assert f.severity == "warning" and f.rule == "rnh-risk-score"
    stated = HARM_NOTE + " CSE screening score 16. There is a continuing risk of further abuse by the men."
    (info,) = rnh(lexicon_scanner.scan(stated), loud=False)
    assert info.severity == "info" and "informational" in info.message


def test_quoted_risk_wording_follows_the_quotes_policy(lexicon_scanner):
    text = HARM_NOTE + ' She said "they say I am at risk of CSE".'
    (f,) = rnh(lexicon_scanner.scan(text), loud=False)
    assert f.severity == "info"
    assert rnh(Scanner(Config(quotes="ignore"), use_model=False).scan(text), loud=False) == []


def test_configuration_applies_to_context_rules():
    text = HARM_NOTE + " She is at risk of CSE."
    assert rnh(Scanner(Config(disabled=("rnh-at-risk-of-cse",)), use_model=False).scan(text)) == []
    no_harm = Config(disabled=("harm-sexual-abuse-named", "harm-disclosure"))
    assert rnh(Scanner(no_harm, use_model=False).scan(text)) == []
    assert rnh(Scanner(Config(allow=("at risk of CSE",)), use_model=False).scan(text)) == []
    (f,) = rnh(Scanner(Config(severity={"rnh-at-risk-of-cse": "error"}), use_model=False).scan(text))
    assert f.severity == "error"


# --- cited evidence ---------------------------------------------------------------------------------

def test_evidence_facts_cite_line_and_excerpt(lexicon_scanner):
    long = ("Return interview completed at the children's home after a missing episode of two nights in [town], "
            "during which YP told me an older man gave her vodka in a car park and then took her to a flat.")
    text = "Header line.\n" + long + "\nOutcome: YP remains at risk when missing."
    doc = next(lexicon_scanner.docs([text]))
    (span,) = [s for s in doc.spans["languagecheck"] if s.label_ == "risk-not-harm"]
    facts = span._.languagecheck
    assert facts["rule"] == "rnh-missing-risk" and facts["source"] == "context"
    first = facts["evidence"][0]
    assert first["line"] == 2 and first["document"] is None
    assert len(first["excerpt"]) <= EXCERPT_CHARS
    assert first["excerpt"].strip(ELLIPSIS) in long
    assert "gave her vodka" in first["excerpt"]
    assert f"at line 2: '{first['excerpt']}'" in facts["message"]


def test_cited_harm_is_structured_and_kept_out_of_outputs_that_leave_the_screen(lexicon_scanner):
    from languagecheck.formats import machine
    from languagecheck.results import DocumentResult

    text = HARM_NOTE + "\nSummary: YP is at risk of CSE and a plan is in place."
    (f,) = rnh(lexicon_scanner.scan(text))
    (cited,) = f.evidence
    assert (cited.line, cited.document, cited.family) == (1, None, cited.family)
    assert cited.family and "raped her" in cited.excerpt
    assert type(f).from_dict(f.to_dict()) == f
    assert "raped" not in f.redacted_message() and "Harm is recorded at line 1." in f.redacted_message()
    assert "Harm is recorded" not in f.redacted_message(keep_place=False)
    assert f.redacted_message(keep_place=False).startswith(f.message.split(" Harm is recorded")[0])
    results = [DocumentResult(findings=[f], path="note.txt")]
    github = machine.to_github(results)
    sarif = machine.to_sarif(results, lexicon_scanner.rule_descriptions())
    for body in (github, sarif):
        assert "raped" not in body and "line 1" in body


@pytest.mark.parametrize("sentence, start, end", [
    ("Short sentence about harm.", 6, 14),
    ("A " * 60 + "the man raped her " + "B " * 60, 120, 138),
    ("word " * 10 + "x" * 100, 50, 150),
])
def test_excerpt_is_short_and_from_the_text(sentence, start, end):
    out = excerpt(sentence, start, end)
    assert len(out) <= EXCERPT_CHARS
    assert out.strip(ELLIPSIS) in sentence
    if len(sentence.strip()) <= EXCERPT_CHARS:
        assert out == sentence.strip()
    elif end - start < EXCERPT_CHARS - 2:
        assert sentence[start:end] in out


# --- grouping across the notes of a case -------------------------------------------------------------

CASE = [
    Document(text="Visit to YP (15).\n" + HARM_NOTE, id="n1", meta={"case": "c1", "date": "2024-01-05"}),
    Document(text="Review. YP is at risk of CSE and the plan continues.", id="n2", meta={"case": "c1",
                                                                                       "date": "2024-02-05"}),
]


def test_harm_in_an_earlier_note_counts_for_a_later_one(lexicon_scanner):
    first, second = lexicon_scanner.scan_group(CASE)
    assert rnh(first.findings) == []
    (f,) = rnh(second.findings)
    assert f.text == "at risk of CSE" and f.rule == "rnh-at-risk-of-cse"
    assert "Harm is recorded in note n1, line 2: 'YP (14) disclosed that two men raped her" in f.message
    assert rnh(lexicon_scanner.scan(CASE[1].text)) == []  # alone, the later note is fine


def test_harm_in_a_later_note_does_not_count_for_an_earlier_one(lexicon_scanner):
    results = lexicon_scanner.scan_group(list(reversed(CASE)))
    assert [len(rnh(r.findings)) for r in results] == [0, 0]


def test_grouped_by_metadata_keeps_input_order_and_separates_cases(lexicon_scanner):
    other = Document(text="YP (12) is at risk of CSE.", id="m1", meta={"case": "c2"})
    alone = Document(text="YP is at risk of CSE.", id="x", meta={})
    failed = ValueError("unreadable")
    results = lexicon_scanner.scan_grouped([CASE[0], other, failed, alone, CASE[1]], "case")
    assert [r.id for r in results] == ["n1", "m1", None, "x", "n2"]
    assert results[2].state == "failed"
    assert [bool(rnh(r.findings)) for r in results] == [False, False, False, False, True]


def test_grouped_notes_can_be_ordered_by_a_column(lexicon_scanner):
    later_first = [CASE[1], CASE[0]]
    results = lexicon_scanner.scan_grouped(later_first, "case", order_by="date")
    assert [r.id for r in results] == ["n2", "n1"]  # results stay in input order
    assert [bool(rnh(r.findings)) for r in results] == [True, False]


def test_grouping_in_the_same_note_cites_its_own_evidence_first(lexicon_scanner):
    docs = [CASE[0], Document(text=HARM_NOTE + " She is at risk of CSE.", id="n3", meta={"case": "c1"})]
    (f,) = rnh(lexicon_scanner.scan_group(docs)[1].findings)
    assert "Harm is recorded at line 1:" in f.message


# --- the component in a user's own pipeline -------------------------------------------------------------

def test_component_in_a_users_pipeline():
    from languagecheck.nlp import import_spacy

    spacy = import_spacy()
    import languagecheck.components  # noqa: F401
    import languagecheck.context_component  # noqa: F401

    nlp = spacy.blank("en")
    for name in ("languagecheck_segmenter", "languagecheck_lemmatizer", "languagecheck_lexicon",
                 "languagecheck_context"):
        nlp.add_pipe(name)
    doc = nlp(HARM_NOTE + " She is at risk of CSE.")
    (span,) = [s for s in doc.spans["languagecheck"] if s.label_ == "risk-not-harm"]
    assert span._.languagecheck["rule"] == "rnh-at-risk-of-cse"
    assert "harm-sexual-abuse-named" in {e["family"] for e in doc._.languagecheck_harm}


def test_rule_table_lists_context_rules(lexicon_scanner):
    rules = lexicon_scanner.rule_descriptions()
    assert rules["rnh-risk-grade"]["category"] == "risk-not-harm"


# --- the packs: schema, examples, compilation ----------------------------------------------------------

def test_packs_are_valid_and_every_family_has_examples():
    for path in context_pack_paths():
        data, problems = read_context_pack(path)
        assert problems == []
    assert len(HARM_FAMILIES) >= 8 and len(RISK_FAMILIES) >= 12


HARM_FLAG = [(f.id, x) for f in HARM_FAMILIES.values() for x in f.examples["flag"]]
HARM_OK = [(f.id, x) for f in HARM_FAMILIES.values() for x in f.examples["ok"]]
RISK_FLAG = [(f.id, x) for f in RISK_FAMILIES.values() for x in f.examples["flag"]]
RISK_OK = [(f.id, x) for f in RISK_FAMILIES.values() for x in f.examples["ok"]]


@pytest.mark.parametrize("family, example", HARM_FLAG, ids=[f"{f}:{i}" for i, (f, _) in enumerate(HARM_FLAG)])
def test_harm_pack_flag_example(family, example):
    text, start, end = unmark(example)
    found = [(m.family, m.start, m.end) for m in find_harm(RULES, text)]
    assert any(f == family and s < end and e > start for f, s, e in found), found


@pytest.mark.parametrize("family, example", HARM_OK, ids=[f"{f}:{i}" for i, (f, _) in enumerate(HARM_OK)])
def test_harm_pack_ok_example(family, example):
    assert find_harm(RULES, example) == []


@pytest.mark.parametrize("family, example", RISK_FLAG, ids=[f"{f}:{i}" for i, (f, _) in enumerate(RISK_FLAG)])
def test_risk_pack_flag_example(lexicon_scanner, family, example):
    text, start, end = unmark(example)
    found = [(f.rule, f.start, f.end) for f in rnh(lexicon_scanner.scan(text))]
    assert (family, start, end) in found, found


@pytest.mark.parametrize("family, example", RISK_OK, ids=[f"{f}:{i}" for i, (f, _) in enumerate(RISK_OK)])
def test_risk_pack_ok_example(lexicon_scanner, family, example):
    assert [f.rule for f in rnh(lexicon_scanner.scan(example)) if f.rule == family] == []


def test_invalid_pack_reports_file_and_line(tmp_path):
    for path in context_pack_paths():
        shutil.copy(path, tmp_path / path.name)
    risk = tmp_path / "risk-phrases.yaml"
    text = risk.read_text("utf-8").replace("severity: warning", "severity: loud", 1)
    risk.write_text(text, "utf-8")
    with pytest.raises(LexiconError) as err:
        compile_rules([tmp_path / "harm-evidence.yaml", risk])
    line = text.splitlines().index("    severity: loud") + 1
    assert f"risk-phrases.yaml:{line}:" in str(err.value)


def test_bad_pattern_is_a_problem_not_a_crash(tmp_path):
    for path in context_pack_paths():
        shutil.copy(path, tmp_path / path.name)
    harm = tmp_path / "harm-evidence.yaml"
    harm.write_text(harm.read_text("utf-8").replace('"{number} wraps"', '"[unbalanced wraps"', 1), "utf-8")
    _, problems = read_context_pack(harm)
    assert any("harm-criminal-exploitation" in p and "unbalanced" in p for p in problems)


def test_compiled_rules_are_cached_and_follow_pack_changes(tmp_path):
    from languagecheck import context_rules
    from languagecheck.compiled import cache_dir

    for path in context_pack_paths():
        shutil.copy(path, tmp_path / path.name)
    first = load(tmp_path)
    assert load(tmp_path) is first  # once per process
    assert (cache_dir() / f"context-{first.fingerprint}.pickle").exists()
    context_rules._load.cache_clear()
    again = load(tmp_path)  # a new process: from the pickle, same rules
    assert again is not first and again.fingerprint == first.fingerprint
    assert [r.id for r in again.risk] == [r.id for r in first.risk]
    risk = tmp_path / "risk-phrases.yaml"
    risk.write_text(risk.read_text("utf-8").replace("score: 0.9\n", "score: 0.7\n", 1), "utf-8")
    context_rules._load.cache_clear()
    assert load(tmp_path).fingerprint != first.fingerprint


@pytest.mark.parametrize("phrase, text, hit", [
    ("at [|high] risk of [CSE|CCE]", "at high risk of CSE", True),
    ("at [|high] risk of [CSE|CCE]", "at risk of CCE", True),
    ("CSE risk : [high|low]", "CSE risk: high", True),
    ("{number} wraps", "24 wraps", True),
    ("found ... with [men|males]", "found in a flat with men", True),
    ("found ... with [men|males]", "found in a flat near the station on the corner by the river with men", False),
    ("{child} was raped", "[Name] was raped", True),
    ("risk of CSE", "risk of CSEs", False),
])
def test_phrase_syntax(phrase, text, hit):
    assert bool(re.search(phrase_regex([phrase]), text, re.IGNORECASE)) is hit


# --- evaluation ------------------------------------------------------------------------------------------

def test_document_level_evaluation_counts_by_hand(lexicon_scanner):
    from languagecheck.training.evaluate import risk_not_harm_markdown, risk_not_harm_report

    positive = HARM_NOTE + " She is at risk of CSE."
    span = {"start": positive.index("at risk of CSE"), "end": len(positive) - 1, "label": "risk-not-harm"}
    notes = [
        {"id": "p", "text": positive, "spans": [span]},  # found
        {"id": "n", "text": "YP is at risk of CSE; nothing suggests harm.", "spans": []},  # risk-wording negative
        {"id": "c1", "text": HARM_NOTE, "spans": [], "case_id": "k", "case_order": 1},
        {"id": "c2", "text": "Review: YP is vulnerable to exploitation.", "spans": [], "case_id": "k",
         "case_order": 2, "case_gold": True},  # only wrong when read with c1
    ]
    report = risk_not_harm_report(notes, lexicon_scanner)
    single, grouped, cases = report["single"], report["grouped"], report["case_notes"]
    assert (single["gold"], single["predicted"], single["f1"]) == (1, 1, 1.0)
    assert (single["risk_wording_negatives"], single["negative_fpr"]) == (2, 0.0)
    assert (grouped["gold"], grouped["predicted"], grouped["f1"]) == (2, 2, 1.0)
    assert (cases["notes"], cases["cases"], cases["recall"]) == (2, 1, 1.0)
    assert report["errors"] == {"false_positives": [], "false_negatives": []}
    table = risk_not_harm_markdown({"split": "test", "notes": 4, "risk_not_harm": report})
    assert "| notes grouped by case | 4 | 2 | 2 | 1.000 |" in table


def test_trigger_words_never_hide_a_match(monkeypatch):
    """The word index only skips phrases that cannot match: same results as trying every phrase."""
    from languagecheck.context_rules import ContextRules, words_of

    sentences = [s for _, s in HARM_CASES + NOT_HARM] + [s for _, s, _ in RISK_CASES] + \
        [s for _, s in RISK_EXCEPTIONS] + [unmark(x)[0] for _, x in HARM_FLAG + RISK_FLAG] + \
        [x for _, x in HARM_OK + RISK_OK]
    indexed = [(find_harm(RULES, s), find_risk(RULES, s)) for s in sentences]

    def every_phrase(self, kind, words):
        return {k: list(r.phrases) for k, r in enumerate(self.harm if kind == "harm" else self.risk)}

    monkeypatch.setattr(ContextRules, "phrases_for", every_phrase)
    assert [(find_harm(RULES, s), find_risk(RULES, s)) for s in sentences] == indexed
    assert all(RULES.may_have_risk(s) for s in sentences if find_risk(RULES, s))
    assert words_of("CSE risk: HIGH, red-rated") == {"cse", "risk", "high", "red-rated"}


def test_cli_validates_and_explains_context_rules(tmp_path):
    from typer.testing import CliRunner

    from languagecheck.cli import _register, app

    _register()
    runner = CliRunner()
    assert runner.invoke(app, ["lexicon", "validate"]).exit_code == 0
    broken = tmp_path / "context" / "risk-phrases.yaml"
    broken.parent.mkdir()
    broken.write_text(context_pack_paths()[1].read_text("utf-8").replace("kind: risk", "kind: worry"), "utf-8")
    result = runner.invoke(app, ["lexicon", "validate", str(broken)])
    assert result.exit_code == 1 and "risk-phrases.yaml:3: kind:" in result.stdout
    explained = runner.invoke(app, ["explain", "rnh-missing-risk"])
    assert explained.exit_code == 0 and "records harm to the same child" in explained.stdout
    assert runner.invoke(app, ["explain", "harm-images"]).exit_code == 0
