"""Audit aggregation checked against a fixture whose numbers were worked out by hand (in the comments).

The fixture: 35 scanned documents of 200 words each (word count from metadata, no text), plus one
skipped and one failed input.

| team     | docs | findings (document: findings)                                    | dates              |
|----------|------|------------------------------------------------------------------|--------------------|
| North    | 12   | n1 CA, n2 CA, n3 CA, n4 CA, n5 CI(error) + MIN(info)              | n1,2,5-8 Jan; rest May |
| South    | 10   | s1 CA, CA, RNH(context);  s2 CI(error)                           | s1,3-6 Jan; s2,7-10 May |
| West     | 4    | w1 CA                                                            | all Feb            |
| East     | 7    | e1 RF, e2 RF                                                     | all Jun            |
| (none)   | 2    | -                                                                | undated            |

CA choice-agency/put-self-at-risk (warning), CI consent-implied/consented (error),
MIN minimising/just-sex (info), RNH risk-not-harm/risk-after-harm (warning, source context),
RF relationship-framing/boyfriend (warning). Role: the first 20 documents in table order are
"police", the next 12 "social care", the last 3 "health".
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from languagecheck.audit import (
    AuditDocument,
    AuditOptions,
    build_audit,
    documents_from_results,
    numbers,
    parse_date,
    rate_ratio,
    sentence_around,
    suppressed_groups,
)
from languagecheck.categories import CATEGORIES
from languagecheck.cli import _register, app
from languagecheck.finding import Finding

_register()
runner = CliRunner()

RULES = {
    "CA": ("choice-agency", "put-self-at-risk", "warning", "lexicon", "putting herself at risk"),
    "CI": ("consent-implied", "consented", "error", "lexicon", "consented"),
    "MIN": ("minimising", "just-sex", "info", "lexicon", "just sex"),
    "RNH": ("risk-not-harm", "risk-after-harm", "warning", "context", "at risk of CSE"),
    "RF": ("relationship-framing", "boyfriend", "warning", "lexicon", "boyfriend"),
}


def finding(code: str, start: int = 0) -> Finding:
    category, rule, severity, source, text = RULES[code]
    return Finding(start, start + len(text), text, 1, start + 1, category, rule, severity, source, 0.9,
                   f"why {rule}", (f"instead of {rule}",))


def fixture_documents() -> list[AuditDocument]:
    plan = (
        [("North", "2024-01-15", ["CA"]), ("North", "2024-01-15", ["CA"]), ("North", "2024-05-15", ["CA"]),
         ("North", "2024-05-15", ["CA"]), ("North", "2024-01-15", ["CI", "MIN"]), ("North", "2024-01-15", []),
         ("North", "2024-01-15", []), ("North", "2024-01-15", [])] + [("North", "2024-05-15", [])] * 4
        + [("South", "2024-01-15", ["CA", "CA", "RNH"]), ("South", "2024-05-15", ["CI"])]
        + [("South", "2024-01-15", [])] * 4 + [("South", "2024-05-15", [])] * 4
        + [("West", "2024-02-15", ["CA"])] + [("West", "2024-02-15", [])] * 3
        + [("East", "2024-06-15", ["RF"])] * 2 + [("East", "2024-06-15", [])] * 5
        + [(None, None, [])] * 2
    )
    assert len(plan) == 35
    docs = []
    for i, (team, date, codes) in enumerate(plan):
        role = "police" if i < 20 else "social care" if i < 32 else "health"
        meta = {"team": team, "date": date, "role": role, "word_count": 200, "case_id": f"C{i:03d}",
                "author": f"worker {i % 3}"}
        docs.append(AuditDocument(findings=[finding(c, 10 * k) for k, c in enumerate(codes)], meta=meta,
                                  name=f"case-{i:03d}"))
    docs.append(AuditDocument(findings=[], state="skipped", meta={"team": "North"}))
    docs.append(AuditDocument(findings=[], state="failed", meta={"team": "North"}))
    return docs


@pytest.fixture(scope="module")
def audit():
    return build_audit(fixture_documents(), AuditOptions(compare_before=dt.date(2024, 4, 1)), {"id": 7})


def test_headline(audit):
    head = audit["headline"]
    assert (head["inputs"], head["scanned"], head["skipped"], head["failed"]) == (37, 35, 1, 1)
    assert head["documents_with_findings"] == 10  # North 5 + South 2 + West 1 + East 2
    assert head["percent_with_findings"] == 28.6  # 10 / 35
    assert head["findings"] == 13  # 6 + 4 + 1 + 2
    assert head["per_1000_documents"] == 371.43  # 13 / 35 * 1000
    assert head["words"] == 7000  # 35 * 200
    assert head["per_100000_words"] == 185.71  # 13 / 7000 * 100000
    assert (head["first_date"], head["last_date"]) == ("2024-01-15", "2024-06-15")
    assert (head["dated_documents"], head["undated_documents"]) == (33, 2)
    assert audit["settings"]["word_counts_from"] == ["metadata:word_count"]
    assert audit["settings"]["date_column"] == "date"
    assert audit["run"] == {"id": 7}


def test_by_severity(audit):
    rows = {r["severity"]: r for r in audit["by_severity"]}
    # error: n5, s2; warning: 4 CA North + 2 CA + RNH South + West CA + 2 RF East; info: n5
    assert [rows[s]["findings"] for s in ("error", "warning", "info")] == [2, 10, 1]
    assert [rows[s]["documents_with"] for s in ("error", "warning", "info")] == [2, 8, 1]
    assert [rows[s]["per_1000_documents"] for s in ("error", "warning", "info")] == [57.14, 285.71, 28.57]
    assert [rows[s]["per_100000_words"] for s in ("error", "warning", "info")] == [28.57, 142.86, 14.29]
    assert audit["by_source"] == {"context": 1, "lexicon": 12}


def test_by_category_and_rule(audit):
    cats = {r["category"]: r for r in audit["by_category"]}
    assert len(cats) == 9  # every category listed, with its explanation
    ca = cats["choice-agency"]
    assert (ca["findings"], ca["documents_with"]) == (7, 6)  # North 4, South 2 in one note, West 1
    assert ca["per_1000_documents"] == 200.0  # 7 / 35 * 1000
    assert ca["percent_of_findings"] == 53.8  # 7 / 13
    assert ca["alternatives"] and ca["why"] and ca["title"] == "Choice and agency"
    assert cats["transactional-exchange"]["findings"] == 0
    assert [(r["rule"], r["findings"], r["documents_with"]) for r in audit["by_rule"]] == [
        ("put-self-at-risk", 7, 6), ("boyfriend", 2, 2), ("consented", 2, 2), ("just-sex", 1, 1),
        ("risk-after-harm", 1, 1)]
    assert audit["by_rule"][0]["message"] == "why put-self-at-risk"  # the same for every finding
    rnh = audit["by_rule"][-1]
    # a context finding's message cites other notes: the category's reason is shown instead
    assert (rnh["source"], rnh["message"], rnh["suggestions"]) == (
        "context", CATEGORIES["risk-not-harm"].why, ["instead of risk-after-harm"])


def test_groups_suppress_small_and_secondary(audit):
    team = audit["groups"]["team"]
    # West 4, East 7 and (not recorded) 2 are under 10; together 13 >= 10, so nothing more is hidden
    assert [r["value"] for r in team["rows"]] == ["North", "South"]
    assert (team["suppressed_groups"], team["suppressed_documents"]) == (3, 13)
    north, south = team["rows"]
    assert (north["documents"], north["documents_with_findings"], north["findings"]) == (12, 5, 6)
    assert (north["percent_with_findings"], north["per_1000_documents"], north["per_100000_words"]) == (
        41.7, 500.0, 250.0)  # 5/12; 6/12*1000; 6/2400*100000
    assert (south["per_1000_documents"], south["per_100000_words"]) == (400.0, 200.0)  # 4/10; 4/2000
    assert south["top_category"] == "choice-agency"
    role = audit["groups"]["role"]
    # health 3 is hidden; alone it could be recovered from the total, so social care (12) is hidden too
    assert [r["value"] for r in role["rows"]] == ["police"]
    assert (role["suppressed_groups"], role["suppressed_documents"]) == (2, 15)
    police = role["rows"][0]
    # police: North 12 (6 findings in 5 docs) + South s1..s8 (4 findings in 2 docs)
    assert (police["documents"], police["findings"], police["documents_with_findings"]) == (20, 10, 7)
    assert police["per_1000_documents"] == 500.0
    # identifying and person columns are never grouped on unless asked for
    assert set(audit["groups"]) == {"team", "role"}


def test_months_and_trend(audit):
    months = audit["by_month"]
    # Jan 11 docs (North 6 + South 5), Feb 4, May 11, Jun 7: Feb and Jun hidden (together 11, no more)
    assert [(r["value"], r["documents"], r["findings"]) for r in months["rows"]] == [
        ("2024-01", 11, 7), ("2024-05", 11, 3)]
    assert [r["per_1000_documents"] for r in months["rows"]] == [636.36, 272.73]  # 7/11, 3/11
    assert [r["percent_with_findings"] for r in months["rows"]] == [36.4, 27.3]  # 4/11, 3/11
    trend = audit["trend"]
    assert trend["months"] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert trend["documents"] == [11, None, None, None, 11, None]
    assert trend["categories"]["choice-agency"] == [363.64, None, None, None, 181.82, None]  # 4/11, 2/11
    assert trend["categories"]["consent-implied"] == [90.91, None, None, None, 90.91, None]
    assert trend["categories"]["minimising"] == [90.91, None, None, None, 0.0, None]
    assert "relationship-framing" not in trend["categories"]  # only in June, which is hidden


def test_before_after_comparison(audit):
    cmp = audit["comparison"]
    # before 2024-04-01: Jan 11 + Feb 4 = 15 docs; after: May 11 + Jun 7 = 18; 2 undated left out
    assert (cmp["before_documents"], cmp["after_documents"], cmp["undated_excluded"]) == (15, 18, 2)
    rows = {r["category"]: r for r in cmp["rows"]}
    every = rows["all"]
    # a = 8 (Jan 7 + Feb 1), b = 5 (May 3 + Jun 2); RR = (5/18)/(8/15) = 75/144 = 0.5208
    # SE = sqrt(1/8 + 1/5) = 0.5701; CI = exp(ln 0.5208 -/+ 1.96 * 0.5701) = 0.170 .. 1.592
    assert (every["before_findings"], every["after_findings"]) == (8, 5)
    assert (every["before_rate"], every["after_rate"]) == (533.33, 277.78)
    assert (every["rate_ratio"], every["ci_low"], every["ci_high"]) == (0.521, 0.17, 1.592)
    assert every["change_percent"] == -47.9
    assert every["distinguishable"] is False
    assert "not distinguishable from noise" in every["verdict"]
    # choice-agency: a = 5, b = 2; RR = (2/18)/(5/15) = 1/3; SE = sqrt(1/5 + 1/2) = 0.8367
    # CI = exp(ln(1/3) -/+ 1.96 * 0.8367) = 0.0647 .. 1.718
    ca = rows["choice-agency"]
    assert (ca["rate_ratio"], ca["ci_low"], ca["ci_high"]) == (0.333, 0.065, 1.718)
    # consent-implied: 1 before, 1 after; RR = 15/18 = 0.833, SE = sqrt(2) -> 0.052 .. 13.323
    assert (rows["consent-implied"]["rate_ratio"], rows["consent-implied"]["ci_low"],
            rows["consent-implied"]["ci_high"]) == (0.833, 0.052, 13.323)
    # zero counts: no interval, said in words
    assert rows["minimising"]["rate_ratio"] is None
    assert rows["minimising"]["verdict"] == "not enough data: no findings in the period after"
    assert rows["relationship-framing"]["verdict"] == "not enough data: no findings in the period before"
    assert "transactional-exchange" not in rows


def test_rate_ratio_distinguishable_fall():
    # a = 20 in 40 docs (500 per 1,000), b = 10 in 50 docs (200 per 1,000): RR = 0.2 / 0.5 = 0.4
    # SE = sqrt(1/20 + 1/10) = 0.3873; 1.96 * SE = 0.7591; CI = exp(-0.9163 -/+ 0.7591) = 0.187 .. 0.855
    r = rate_ratio(20, 40, 10, 50)
    assert (r["before_rate"], r["after_rate"], r["rate_ratio"], r["ci_low"], r["ci_high"]) == (
        500.0, 200.0, 0.4, 0.187, 0.855)
    assert r["change_percent"] == -60.0
    assert r["distinguishable"] is True
    assert r["verdict"] == "fell by 60%; distinguishable from noise (the 95% interval excludes no change)"


def test_rate_ratio_not_enough_data():
    assert rate_ratio(0, 40, 0, 50)["verdict"] == "not enough data: no findings in either period"
    small = rate_ratio(5, 4, 5, 50, min_docs=10)
    assert small["rate_ratio"] is None and small["verdict"].startswith("not enough data")


@pytest.mark.parametrize("sizes, hidden", [
    ({"a": 12, "b": 10}, set()),
    ({"a": 12, "b": 9}, {"a", "b"}),  # b alone could be recovered from the total: hide a too
    ({"a": 30, "b": 12, "c": 3}, {"b", "c"}),
    ({"a": 30, "b": 5, "c": 6}, {"b", "c"}),  # 11 hidden together is enough
    ({"a": 3}, {"a"}),
])
def test_suppressed_groups(sizes, hidden):
    assert suppressed_groups(sizes, 10) == hidden


def test_explicit_columns_and_max_groups():
    docs = [AuditDocument(findings=[], meta={"author": f"w{i % 2}", "batch": str(i)}) for i in range(30)]
    result = build_audit(docs, AuditOptions(group_columns=("author", "missing")))
    assert [r["value"] for r in result["groups"]["author"]["rows"]] == ["w0", "w1"]  # asked for by name
    assert result["columns_not_grouped"] == {"missing": "no document has this column"}
    auto = build_audit(docs, AuditOptions(max_groups=20))
    assert auto["groups"] == {} and auto["columns_not_grouped"] == {"batch": "more than 20 distinct values"}


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", dt.date(2024, 3, 5)), ("2024-03-05T10:11:00Z", dt.date(2024, 3, 5)),
    ("05/03/2024", dt.date(2024, 3, 5)), ("5.3.2024", dt.date(2024, 3, 5)), ("5 March 2024", dt.date(2024, 3, 5)),
    ("05/03/24", dt.date(2024, 3, 5)), ("not a date", None), ("", None), (None, None), (20240305, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_empty_run_gives_a_message():
    result = build_audit([])
    assert result["empty"] and result["message"] == "Nothing to audit: the run has no documents."
    failed = build_audit([AuditDocument(findings=[], state="failed")])
    assert failed["message"] == "Nothing to audit: none of the run's 1 inputs was scanned (0 skipped, 1 failed)."


def test_context_citations_never_reach_the_audit(tmp_path):
    cited = [Finding(0, 14, "at risk of CSE", 1, 1, "risk-not-harm", "rnh-at-risk-of-cse", "warning", "context",
                     0.8, f"Risk wording. Harm is recorded in note case-00{i}, line 3: 'Jordan Smith was raped'.", ())
             for i in range(2)]
    docs = [AuditDocument(findings=[f], meta={"case": "A"}, name=f"case-00{i}") for i, f in enumerate(cited)]
    result = build_audit(docs)
    db = tmp_path / "r.sqlite"
    _store(db, docs, text=False)
    out = runner.invoke(app, ["audit", "--db", str(db), "--format", "json", "--md", str(tmp_path / "a.md"),
                              "--html", str(tmp_path / "a.html"), "--csv", str(tmp_path / "t")])
    assert out.exit_code == 0, out.output
    written = [out.stdout, json.dumps(result), *(p.read_text() for p in tmp_path.rglob("*") if p.suffix in (
        ".md", ".html", ".csv"))]
    for text in written:
        assert "Jordan" not in text and "raped" not in text and "case-00" not in text


# --- examples -------------------------------------------------------------------------------------

NOTE = ("Strategy discussion held. Jordan Smith (DOB 12/03/2009) of 14 Acacia Avenue continues putting "
        "herself at risk by going to the address. Police to visit.")


def _flagged(text: str, phrase: str, code: str = "CA") -> Finding:
    start = text.index(phrase)
    category, rule, severity, source, _ = RULES[code]
    return Finding(start, start + len(phrase), phrase, 1, start + 1, category, rule, severity, source, 0.9, "m",
                   ("being placed at risk by [the adults exploiting her]",))


def test_examples_are_pseudonymised_sentences_without_ids():
    doc = AuditDocument(findings=[_flagged(NOTE, "putting herself at risk")], text=NOTE, name="case-42")
    result = build_audit([doc])
    [example] = result["examples"]["choice-agency"]
    assert example["before"] == "[NAME A] (DOB [DOB]) of [ADDRESS] continues "
    assert example["span"] == "putting herself at risk"
    assert example["after"] == " by going to the address."
    assert example["rewording"] == ("[NAME A] (DOB [DOB]) of [ADDRESS] continues being placed at risk by "
                                    "[the adults exploiting her] by going to the address.")
    assert example["document"] is None and "case-42" not in json.dumps(result)
    with_ids = build_audit([doc], AuditOptions(include_ids=True))
    assert with_ids["examples"]["choice-agency"][0]["document"] == "case-42"


def test_examples_without_text_show_the_span_only():
    bare = AuditDocument(findings=[_flagged(NOTE, "putting herself at risk")], text=None)
    stale = AuditDocument(findings=[_flagged(NOTE, "putting herself at risk")], text="Different text now.")
    for doc in (bare, stale):
        [example] = build_audit([doc])["examples"]["choice-agency"]
        assert (example["context"], example["before"], example["span"], example["after"]) == (
            "span", "", "putting herself at risk", "")


def test_examples_prefer_severity_and_vary_rules():
    text = "She consented. She keeps putting herself at risk. Her boyfriend collected her."
    docs = [AuditDocument(findings=[_flagged(text, "consented", "CI")], text=text),
            AuditDocument(findings=[_flagged(text, "putting herself at risk"), _flagged(text, "boyfriend", "RF")],
                          text=text)] * 3
    result = build_audit(docs, AuditOptions(examples=2))
    assert [e["span"] for e in result["examples"]["choice-agency"]] == ["putting herself at risk"]  # deduplicated
    assert set(result["examples"]) == {"consent-implied", "choice-agency", "relationship-framing"}
    assert "examples" not in numbers(result)


def test_sentence_around_trims_long_sentences():
    text = "First. " + "word " * 100 + "FLAG" + " word" * 100 + ". Last."
    start = text.index("FLAG")
    sentence, s, e = sentence_around(text, start, start + 4, limit=50)
    assert sentence[s:e] == "FLAG"
    assert sentence.startswith("…") and sentence.endswith("…") and len(sentence) < 110
    text = "A.\nYP went out\nB."
    sentence, s, e = sentence_around(text, text.index("went"), text.index("went") + 4)
    assert (sentence, sentence[s:e]) == ("YP went out", "went")


def test_word_counts_from_text():
    text = "one two three four five"
    result = build_audit([AuditDocument(findings=[finding("CA")], text=text)])
    assert result["headline"]["words"] == 5 and result["headline"]["per_100000_words"] == 20000.0
    partial = build_audit([AuditDocument(findings=[], text=text), AuditDocument(findings=[])])
    assert partial["headline"]["per_100000_words"] is None and partial["headline"]["words_known_for"] == 1


# --- sources: JSON/JSONL results, the store, the command ---------------------------------------------

def test_results_jsonl_and_json(tmp_path):
    record = {"path": "a.txt", "findings": [finding("CA").to_dict()], "error": None}
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text(json.dumps(record) + "\n\n" + json.dumps({"path": "b.txt", "findings": []}) + "\n")
    with jsonl.open() as fh:
        docs = list(documents_from_results(fh, "r.jsonl"))
    assert [len(d.findings) for d in docs] == [1, 0] and docs[0].name == "a.txt"
    whole = tmp_path / "r.json"
    whole.write_text(json.dumps({"version": "0.1.0", "documents": [record, {**record, "error": "E103"}]}, indent=2))
    with whole.open() as fh:
        docs = list(documents_from_results(fh, "r.json"))
    assert [d.state for d in docs] == ["scanned", "failed"]


def _store(path, docs, text=True):
    from languagecheck.store import Store, StoredDocument

    with Store(path) as store:
        run = store.start_run(tool_version="0.1.0", lexicon_version="lex-1", model_version="none", scan_key="k",
                              config={"store_text": text}, inputs=["notes"])
        store.add_documents(run, [StoredDocument(seq=i, state=d.state, id=d.name, meta=d.meta, findings=d.findings,
                                                 text=d.text) for i, d in enumerate(docs)])
        store.finish_run(run, "finished")


def test_cli_from_store_matches_the_fixture(tmp_path):
    db = tmp_path / "results.sqlite"
    _store(db, fixture_documents(), text=False)
    html, md, csv_dir = tmp_path / "audit.html", tmp_path / "audit.md", tmp_path / "tables"
    result = runner.invoke(app, ["audit", "--db", str(db), "--format", "json", "--compare-before", "2024-04-01",
                                 "--html", str(html), "--md", str(md), "--csv", str(csv_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["headline"]["per_1000_documents"] == 371.43 and "examples" not in data
    assert data["run"]["lexicon_version"] == "lex-1" and data["run"]["text_stored"] is False
    assert data["comparison"]["rows"][0]["rate_ratio"] == 0.521
    assert sorted(p.name for p in csv_dir.iterdir()) == [
        "by-role.csv", "by-team.csv", "categories.csv", "comparison.csv", "headline.csv", "months.csv",
        "rules.csv", "severity.csv", "trend.csv"]
    assert "North,12,5,41.7,6,500.0,250.0,choice-agency" in (csv_dir / "by-team.csv").read_text()
    page = html.read_text()
    assert "case-0" not in page and "case-0" not in md.read_text()  # no document ids without --include-ids
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert "| North | 12 | 41.7 | 500 | 250 | choice-agency |" in md.read_text()


def test_cli_text_summary_and_jsonl(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i}", "findings": [finding("CA").to_dict()] if i % 2 else []}) + "\n"
                            for i in range(4)))
    result = runner.invoke(app, ["audit", "--results", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("4 documents scanned; 2 (50%) with at least one finding; 2 findings = 500 per")


def test_cli_empty_store_and_empty_run(tmp_path):
    from languagecheck.store import Store

    db = tmp_path / "empty.sqlite"
    Store(db).close()
    result = runner.invoke(app, ["audit", "--db", str(db)])
    assert result.exit_code == 2
    assert "the results store has no runs yet" in result.stderr
    _store(db, [])
    html = tmp_path / "audit.html"
    result = runner.invoke(app, ["audit", "--db", str(db), "--html", str(html)])
    assert result.exit_code == 0
    assert "Nothing to audit: the run has no documents." in result.stdout
    page = html.read_text()
    assert 'id="empty-message"' in page and "<img" not in page


@pytest.mark.parametrize("args, message", [
    ([], "give one of --db"),
    (["--db", "x.sqlite", "--results", "y.jsonl"], "give one of --db"),
    (["--db", "nowhere.sqlite"], "no such results store"),
    (["--results", "nowhere.jsonl"], "cannot read"),
    (["--results", "r.jsonl", "--compare-before", "March"], "--compare-before needs a date"),
    (["--results", "r.jsonl", "--format", "xml"], "unknown format"),
])
def test_cli_errors(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.jsonl").write_text("")
    result = runner.invoke(app, ["audit", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_bad_results_file_does_not_echo_its_text(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "findings": []}\nJordan Smith said something private\n')
    result = runner.invoke(app, ["audit", "--results", str(path)])
    assert result.exit_code == 2
    assert "document 2 is not a JSON line" in result.stderr and "Jordan" not in result.stderr


def test_real_scan_findings_through_the_store(tmp_path):
    from languagecheck import Config, Scanner

    # two packs only: the test does not depend on packs still being written
    lexicon_scanner = Scanner(Config(packs=["choice-agency", "relationship-framing"]), use_model=False)
    notes = [
        "Strategy meeting held. Kayleigh Ward continues putting herself at risk by going to 9 Elm Close.",
        "YP was seen with her boyfriend, a 24-year-old man, on 04/05/2024. Mum informed.",
        "No concerns today; she attended school and spoke to staff.",
    ] * 4
    docs = []
    for i, text in enumerate(notes):
        docs.append(AuditDocument(findings=lexicon_scanner.scan(text), text=text, name=f"note-{i}",
                                  meta={"team": "North", "date": f"2024-0{1 + i % 3}-01"}))
    db = tmp_path / "r.sqlite"
    _store(db, docs)
    out = runner.invoke(app, ["audit", "--db", str(db), "--md", str(tmp_path / "a.md"), "--min-group", "3"])
    assert out.exit_code == 0, out.output
    md = (tmp_path / "a.md").read_text()
    assert "**putting herself at risk**" in md
    assert "Kayleigh" not in md and "Elm Close" not in md and "04/05/2024" not in md and "note-" not in md
    assert "[NAME A] continues **putting herself at risk** by going to [ADDRESS]." in md
    assert "| North | 12 |" in md


def test_documented_example_matches_the_fixture(audit):
    from pathlib import Path

    from languagecheck.audit_report import render_markdown, render_text

    doc = (Path(__file__).parents[1] / "docs" / "audit.md").read_text()
    shown = doc.split("$ languagecheck audit --db results.sqlite --compare-before 2024-04-01\n", 1)[1]
    assert shown.startswith(render_text(audit))
    team_table = render_markdown(audit).split("## By team\n\n", 1)[1].split("\n\n## ", 1)[0]
    assert team_table.split("\n\n")[0] in doc
    documented_row = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    assert documented_row == audit["comparison"]["rows"][1]
