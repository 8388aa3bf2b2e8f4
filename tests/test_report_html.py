"""report_html: a self-contained offline report; highlights, filters and escaping checked in headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from batch_fixtures import batch_config, note
from languagecheck.batch import BatchOptions, run_batch
from languagecheck.finding import Finding
from languagecheck.readers import iter_inputs
from languagecheck.report_html import render_report, segments
from languagecheck.store import Store

HOSTILE = "<script>document.body.setAttribute('data-pwned', 'yes'); document.title = 'pwned';</script> <b>bold</b>"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
browser = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """A report of four notes: 2 warnings + 1 error, 1 warning beside hostile markup, none, and an empty file."""
    tmp = tmp_path_factory.mktemp("report")
    notes = tmp / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text(note(1, 2), encoding="utf-8")
    (notes / "b.txt").write_text(f"{HOSTILE}\nStaff called it a lifestyle choice & moved on.", encoding="utf-8")
    (notes / "c.txt").write_text(note(3), encoding="utf-8")
    (notes / "d.txt").write_text("", encoding="utf-8")
    with Store(tmp / "r.sqlite") as store:
        result = run_batch(iter_inputs([notes]), store, batch_config(tmp), BatchOptions(jobs=1, use_model=False))
        out = tmp / "report.html"
        with out.open("w", encoding="utf-8") as fh:
            render_report(store, result.run_id, fh)
    return out


def _marks(html: str) -> list[str]:
    return re.findall(r'<mark class="([^"]*)"', html)


def _shown(html: str) -> list[str]:
    return [c for c in _marks(html) if "off" not in c.split()]


def test_report_is_self_contained_and_offline(report):
    html = report.read_text("utf-8")
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(//|[a-z]+:)""", html)
    script = re.search(r"<script>(.*?)</script>\s*</body>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html and "default-src 'none'" in html


def test_note_text_is_escaped(report):
    html = report.read_text("utf-8")
    assert "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;" in html
    assert "<script>document.body" not in html and "<b>bold</b>" not in html
    assert html.count("<script>") == 1
    assert "lifestyle choice<span" in html and "&amp; moved on" in html


def test_summary_table_and_highlights(report):
    html = report.read_text("utf-8")
    assert len(_marks(html)) == 3
    assert '<b id="count-documents">4</b>' in html and '<b id="count-skipped">1</b>' in html
    assert '<b id="count-findings">3</b>' in html
    assert 'data-category="choice-agency"' in html and 'data-category="sexualising-judgement"' in html
    assert html.count('class="docrow') == 4


def test_segments_split_overlapping_findings():
    def f(start, end):
        return Finding(start=start, end=end, text="", line=1, column=1, category="c", rule="r", severity="info",
                       source="lexicon", score=1.0, message="m")

    assert segments("abcdefgh", [f(1, 5), f(3, 7)]) == [
        ("a", []), ("bc", [0]), ("de", [0, 1]), ("fg", [1]), ("h", [])]
    assert segments("", []) == []


# --- headless Chromium ----------------------------------------------------------------------------------

def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    profile = tempfile.mkdtemp(prefix="languagecheck-chromium-")
    try:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--virtual-time-budget=3000", *args],
            capture_output=True, text=True, timeout=90, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.browser
@browser
def test_renders_in_chromium_with_script_blocked_and_highlights(report, tmp_path):
    shot = tmp_path / "report.png"
    _chromium("--window-size=1200,1400", f"--screenshot={shot}", report.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    dom = _chromium("--dump-dom", report.as_uri()).stdout
    assert not re.search(r"<body[^>]*data-pwned", dom)  # the note's <script> stayed text
    assert "document.body.setAttribute(" in dom
    assert "<title>languagecheck report</title>" in dom
    assert len(_marks(dom)) == 3 and len(_shown(dom)) == 3
    assert re.search(r'id="visible-findings">3<', dom)


@pytest.mark.browser
@browser
def test_filter_from_the_url_runs_under_the_reports_own_policy(report):
    dom = _chromium("--dump-dom", report.as_uri() + "#severity=error").stdout
    assert len(_marks(dom)) == 3 and len(_shown(dom)) == 1
    assert re.search(r'id="visible-findings">1<', dom)


@pytest.mark.browser
@browser
def test_filter_select_hides_other_highlights_findings_and_documents(report, tmp_path):
    html = report.read_text("utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)  # let the test script run
    driver = """<script>
      var select = document.getElementById("filter-category");
      select.value = "sexualising-judgement";
      select.dispatchEvent(new Event("change"));
    </script></body>"""
    page = tmp_path / "filtered.html"
    page.write_text(html.replace("</body>", driver), encoding="utf-8")
    dom = _chromium("--dump-dom", page.as_uri()).stdout
    assert len(_shown(dom)) == 1
    assert re.search(r'id="visible-findings">1<', dom)
    hidden_findings = re.findall(r'<li class="finding [^"]*hidden[^"]*"', dom)
    assert len(hidden_findings) == 2
    visible_rows = [r for r in re.findall(r'<tr class="(docrow[^"]*)"', dom) if "hidden" not in r.split()]
    assert len(visible_rows) == 1
    hidden_docs = re.findall(r'<article class="doc hidden"', dom)
    assert len(hidden_docs) == 1  # b.txt has only a choice-agency finding
