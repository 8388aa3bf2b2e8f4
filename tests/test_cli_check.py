"""`languagecheck check` end to end through the console script's app (typer's CliRunner)."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from languagecheck.cli import _register, app

_register()
runner = CliRunner()
NOTE = "YP continues putting herself at risk by going to the address.\n"
CLEAN = "Mum gave consent to share information with the school.\n"


def run(args, stdin=None):
    return runner.invoke(app, ["check", "--no-model", *args], input=stdin)


def test_stdin_text_output_and_exit_code():
    result = run(["-"], NOTE)
    assert result.exit_code == 1
    assert "<stdin>:1:14: warning [choice-agency/put-self-at-risk]" in result.stdout
    assert "→ try: being placed at risk by [the adults exploiting her]" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("1 finding (0 errors, 1 warning, 0 info)")


def test_clean_note_exits_zero(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text(CLEAN)
    assert run([str(path)]).exit_code == 0


@pytest.mark.parametrize("level, code", [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on(level, code):
    assert run(["--fail-on", level, "-"], NOTE).exit_code == code


def test_json_and_jsonl(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(NOTE)
    b.write_text(CLEAN)
    data = json.loads(run(["--format", "json", str(a), str(b)]).stdout)
    assert set(data) == {"version", "documents", "summary"}
    assert [d["path"] for d in data["documents"]] == [str(a), str(b)]
    assert data["documents"][0]["error"] is None and data["summary"]["findings"] == 1
    lines = run(["--format", "jsonl", str(a), str(b)]).stdout.splitlines()
    assert [json.loads(x)["path"] for x in lines] == [str(a), str(b)]


# The parts of the OASIS SARIF 2.1.0 schema that consumers rely on (required properties and enums).
SARIF_REQUIRED = {
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"rules": {"type": "array", "items": {"type": "object", "required": ["id"]}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}]},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "properties": {
                                "artifactLocation": {"type": "object", "required": ["uri"]},
                                "region": {"type": "object", "properties": {
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 1},
                                    "charOffset": {"type": "integer", "minimum": 0},
                                    "charLength": {"type": "integer", "minimum": 0}}}}}}}}}}},
            }}},
    },
}


def test_sarif_is_valid_and_points_at_the_span(tmp_path):
    import jsonschema

    path = tmp_path / "n.txt"
    path.write_text(NOTE)
    sarif = json.loads(run(["--format", "sarif", str(path)]).stdout)
    jsonschema.validate(sarif, SARIF_REQUIRED)
    (result,) = sarif["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert NOTE[region["charOffset"]:region["charOffset"] + region["charLength"]] == "putting herself at risk"
    assert result["ruleId"] == sarif["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"]


def test_github_annotations():
    out = run(["--format", "github", "-"], NOTE).stdout
    assert out.startswith("::warning file=<stdin>,line=1,col=14,")


def test_fix_writes_a_copy_and_never_the_input(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text(NOTE)
    out = tmp_path / "fixed.txt"
    result = run(["--fix", "--output", str(out), str(path)])
    assert result.exit_code == 1
    assert path.read_text() == NOTE
    expected = "YP continues being placed at risk by [the adults exploiting her] by going to the address.\n"
    assert out.read_text() == expected


def test_baseline_reports_only_new_findings(tmp_path):
    path, base = tmp_path / "n.txt", tmp_path / "baseline.json"
    path.write_text(NOTE)
    assert run(["--write-baseline", str(base), str(path)]).exit_code == 1
    assert "putting" not in base.read_text()  # no note text in the sidecar
    assert run(["--baseline", str(base), str(path)]).exit_code == 0
    path.write_text(NOTE + "He puts himself at risk.\n")
    assert run(["--baseline", str(base), str(path)]).exit_code == 1


def test_config_file_is_found_upward(tmp_path, monkeypatch):
    (tmp_path / ".languagecheck.toml").write_text('disabled = ["put-self-at-risk"]\nfail-on = "error"\n')
    sub = tmp_path / "notes"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert run(["-"], NOTE).exit_code == 0


@pytest.mark.parametrize("make, problem", [
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b""), "is empty"),
    (lambda p: p.write_bytes(b"\x00\x01\x02binary\x00" * 50), "looks like binary data"),
    (lambda p: None, "no such file"),
])
def test_bad_input_gives_one_clean_line(tmp_path, make, problem):
    path = tmp_path / "bad.txt"
    make(path)
    result = run([str(path)])
    assert result.exit_code == 2
    assert problem in result.output and "Traceback" not in result.output


def test_non_utf8_is_decoded(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Café visit – YP continues putting herself at risk.\n".encode("cp1252"))
    result = run([str(path)])
    assert result.exit_code == 1 and "put-self-at-risk" in result.stdout


def test_huge_file_is_refused_by_size(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (2 * 1024 * 1024))
    result = run(["--max-size-mb", "1", str(path)])
    assert result.exit_code == 2 and "over the 1 MB limit" in result.output


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_one_bad_file_does_not_stop_the_others_but_exits_2(tmp_path, output_format):
    good, clean = tmp_path / "good.txt", tmp_path / "clean.txt"
    good.write_text(NOTE)
    clean.write_text(CLEAN)
    result = run(["--format", output_format, str(tmp_path / "missing.txt"), str(good)])
    assert result.exit_code == 2  # an input error outranks findings
    assert "put-self-at-risk" in result.stdout and "no such file" in result.output
    assert run([str(tmp_path / "missing.txt"), str(clean)]).exit_code == 2


def test_no_torch_on_the_check_path(tmp_path):
    code = ("import sys; from languagecheck.cli import _register, app; _register(); "
            "sys.argv=['languagecheck','check','--no-model','-'];\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'torch imported'")
    proc = subprocess.run([sys.executable, "-c", code], input=NOTE, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-500:]


def test_lexicon_validate_reports_line_numbers(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\nversion: 1\nentries:\n  - id: x\n    category: nonsense\n")
    result = runner.invoke(app, ["lexicon", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4:" in result.stdout or f"{bad}:5:" in result.stdout


def test_explain_and_list():
    assert "Write instead" in runner.invoke(app, ["explain", "put-self-at-risk"]).stdout
    assert "put-self-at-risk" in runner.invoke(app, ["lexicon", "list", "--category", "choice-agency"]).stdout
    assert runner.invoke(app, ["explain", "no-such-rule"]).exit_code == 2


@pytest.mark.parametrize("args, message", [
    (["--quotes", "loud", "-"], "--quotes must be info, ignore or flag, not 'loud'"),
    (["--fail-on", "loud", "-"], "--fail-on must be error, warning, info or never"),
])
def test_bad_option_values_are_usage_errors(args, message):
    result = run(args, NOTE)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_unwritable_outputs_give_one_clean_line(tmp_path, option):
    path = tmp_path / "n.txt"
    path.write_text(NOTE)
    target = tmp_path / "no-such-folder" / "out.txt"
    result = run([option, str(target), str(path)])
    assert result.exit_code == 2
    assert "cannot write" in result.output and str(target) in result.output
    assert "Traceback" not in result.output


def test_fix_refuses_to_overwrite_its_input(tmp_path, monkeypatch):
    path = tmp_path / "n.txt"
    path.write_text(NOTE)
    monkeypatch.chdir(tmp_path)
    for output in (str(path), "n.txt", "./n.txt"):
        result = run(["--fix", "-o", output, str(path)])
        assert result.exit_code == 2 and "never overwrites its input" in result.output
        assert path.read_text() == NOTE


def test_fix_keeps_crlf_line_endings(tmp_path):
    path, out = tmp_path / "n.txt", tmp_path / "fixed.txt"
    path.write_bytes(b"Visit.\r\nYP continues putting herself at risk.\r\nEnd.\r\n")
    assert run(["--fix", "-o", str(out), str(path)]).exit_code == 1
    assert out.read_bytes() == (b"Visit.\r\nYP continues being placed at risk by [the adults exploiting her].\r\n"
                                b"End.\r\n")


def test_baseline_rewritten_in_place_keeps_accepted_findings(tmp_path):
    path, base = tmp_path / "n.txt", tmp_path / "baseline.json"
    path.write_text(NOTE)
    assert run(["--write-baseline", str(base), str(path)]).exit_code == 1
    result = run(["--baseline", str(base), "--write-baseline", str(base), str(path)])
    assert result.exit_code == 0
    assert len(json.loads(base.read_text())["accepted"]) == 1
    assert run(["--baseline", str(base), str(path)]).exit_code == 0


def test_baseline_matches_from_another_directory(tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.txt").write_text(NOTE)
    monkeypatch.chdir(tmp_path)
    assert run(["--write-baseline", "notes/baseline.json", "notes/n.txt"]).exit_code == 1
    (entry,) = json.loads((notes / "baseline.json").read_text())["accepted"]
    assert entry["document"] == "n.txt"  # relative to the baseline's folder
    monkeypatch.chdir(notes)
    assert run(["--baseline", "baseline.json", "n.txt"]).exit_code == 0
    monkeypatch.chdir(tmp_path.parent)
    assert run(["--baseline", str(notes / "baseline.json"), str(notes / "n.txt")]).exit_code == 0


def test_baseline_written_by_older_versions_still_matches(tmp_path, monkeypatch):
    from languagecheck.baseline import sentence_hash

    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text(NOTE)
    old = {"format": 1, "accepted": [{"document": "n.txt", "rule": "put-self-at-risk",
                                      "sentence": sentence_hash(NOTE.strip())}]}
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "baseline.json").write_text(json.dumps(old))
    assert run(["--baseline", "sub/baseline.json", "n.txt"]).exit_code == 0


def test_text_output_survives_a_console_that_is_not_utf8(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("Caf\u00e9 \u2192 \u0436 YP continues putting herself at risk.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "NO_COLOR": "1"}
    code = "from languagecheck.cli import main; main()"
    proc = subprocess.run([sys.executable, "-c", code, "check", "--no-model", str(path)], capture_output=True,
                          env=env)
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")[-500:]
    out = proc.stdout.decode("cp1252")
    assert "put-self-at-risk" in out and "    | " in out and "-> try: being placed at risk" in out


def test_caret_lines_up_under_tabs():
    note = "Note:\tYP\tcontinues putting herself at risk.\n"
    lines = run(["-"], note).stdout.splitlines()
    excerpt, carets = lines[1], lines[2]
    assert "\t" not in excerpt
    start = carets.index("^")
    assert excerpt[start:start + carets.count("^")] == "putting herself at risk"


@pytest.mark.parametrize("entry, problem", [
    ("    exceptions:\n      - regex: \"([\"\n", "exceptions regex '([' does not compile"),
    ("    requires:\n      - regex: \"a)\"\n", "requires regex 'a)' does not compile"),
    ("    suggestions: [\"{adult} distressed\"]\n", "unknown placeholder {adult}"),
    ("    suggestions: [{past: \"was {obj\"}]\n", "expected '}' before end of string"),
])
def test_lexicon_validate_catches_what_would_crash_check(tmp_path, entry, problem):
    pack = tmp_path / "team.yaml"
    suggestions = "" if "suggestions" in entry else "    suggestions: [\"distressed\"]\n"
    pack.write_text(
        "pack: team\nversion: 1\ndescription: x\nentries:\n"
        "  - id: team-naughty\n    category: character-blame\n    severity: warning\n    source: team\n"
        "    patterns: [\"naughty\"]\n    message: \"Labels the child.\"\n" + suggestions + entry +
        "    examples:\n      flag: [\"She was [[naughty]] at school today.\", \"He is [[naughty]] with staff.\"]\n"
        "      ok: [\"He went home after school with mum.\"]\n")
    result = runner.invoke(app, ["lexicon", "validate", str(pack)])
    assert result.exit_code == 1
    assert problem in result.stdout and f"{pack}:" in result.stdout
    checked = run(["--config", str(_config_with_extra_pack(tmp_path, pack)), "-"], NOTE)
    assert checked.exit_code == 2 and "Traceback" not in checked.output and problem in checked.output


def _config_with_extra_pack(folder, pack):
    config = folder / "lc.toml"
    config.write_text(f'extra-packs = ["{pack.name}"]\n')
    return config


def test_doctor_checks_the_lexicon_only_scanner_for_torch():
    # a fresh process: earlier tests may have imported torch into this one
    code = "from languagecheck.cli import main; main()"
    proc = subprocess.run([sys.executable, "-c", code, "doctor"], capture_output=True, text=True)
    assert "ok    a lexicon-only check runs without importing torch" in proc.stdout, proc.stdout + proc.stderr[-500:]
