"""`languagecheck check` end to end through the console script's app (typer's CliRunner)."""

import json
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


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(NOTE)
    result = run([str(tmp_path / "missing.txt"), str(good)])
    assert result.exit_code == 1 and "put-self-at-risk" in result.stdout and "no such file" in result.stdout


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
