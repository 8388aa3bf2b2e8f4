"""The HTML audit in a real browser: headless Chromium renders it to a screenshot with the charts drawn,
and prints it to an A4 PDF. Skipped, with the reason, where Debian's chromium is not installed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from languagecheck.audit import AuditDocument, AuditOptions, build_audit
from languagecheck.audit_report import _PALETTE, render_html, render_markdown
from languagecheck.finding import Finding

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
browser = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian chromium (apt-get install -y chromium)")
pytestmark = pytest.mark.browser

NOTES = {  # invented notes; the flagged phrase and its rule
    "choice-agency": ("Jordan Smith (DOB 12/03/2009) continues putting herself at risk by going to 14 Acacia Avenue.",
                      "putting herself at risk", "put-self-at-risk", "being placed at risk by [the adults]"),
    "relationship-framing": ("Her boyfriend Tyler Brown, 24, collected her from school.", "boyfriend",
                             "boyfriend", "the adult who is exploiting her"),
    "consent-implied": ("She said she consented and staff on 07700 900123 agreed.", "consented",
                        "consented", "was coerced"),
}


def _documents() -> list[AuditDocument]:
    docs = []
    for i in range(120):
        category = list(NOTES)[i % 3]
        text, phrase, rule, suggestion = NOTES[category]
        start = text.index(phrase)
        found = []
        if i % (2 if i < 60 else 4) == 0 or (category == "consent-implied" and i % 5 == 0):
            found = [Finding(start, start + len(phrase), phrase, 1, start + 1, category, rule, "warning", "lexicon",
                             0.9, "why", (suggestion,))]
        month = 1 + i // 20
        docs.append(AuditDocument(findings=found, text=text, name=f"doc-{i}",
                                  meta={"team": ("North", "South")[i % 2], "date": f"2024-{month:02d}-10"}))
    return docs


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, timeout=120, check=False)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    audit = build_audit(_documents(), AuditOptions(compare_before=dt.date(2024, 4, 1)), {"id": 3, "status": "finished"})
    path = tmp_path_factory.mktemp("html") / "audit.html"
    path.write_text(render_html(audit), encoding="utf-8")
    return path


def test_html_is_self_contained_with_three_charts(page):
    html = page.read_text()
    assert html.count('src="data:image/svg+xml;base64,') == 3
    for chart in ("chart-categories", "chart-trend", "chart-comparison"):
        assert f'id="{chart}"' in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "<script" not in html and "@page { size: A4" in html
    assert "Jordan" not in html and "07700" not in html and "Acacia" not in html  # excerpts pseudonymised
    assert "doc-1" not in html  # no document ids without include_ids
    assert "<mark class=\"sev-warning\">putting herself at risk</mark>" in html


@browser
def test_screenshot_shows_the_charts(page, tmp_path):
    from PIL import Image

    shot = tmp_path / "audit.png"
    result = _chromium(tmp_path, "--window-size=1000,5200", f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), result.stderr.decode(errors="replace")[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 5200)
    colours = image.getcolors(maxcolors=1 << 20) or []
    palette = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in _PALETTE}
    drawn = {rgb: n for n, rgb in colours if rgb in palette and n >= 150}
    assert len(drawn) >= 3, f"chart colours in the screenshot: {drawn}"  # bars and lines of three categories


@browser
def test_prints_on_a4(page, tmp_path):
    from pypdf import PdfReader

    pdf = tmp_path / "audit.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists()
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


@browser
def test_empty_run_renders_a_message_not_a_chart(tmp_path):
    from PIL import Image

    audit = build_audit([])
    page = tmp_path / "empty.html"
    page.write_text(render_html(audit), encoding="utf-8")
    html = page.read_text()
    assert "Nothing to audit: the run has no documents." in html and "<img" not in html
    assert "Nothing to audit" in render_markdown(audit)
    shot = tmp_path / "empty.png"
    _chromium(tmp_path, "--window-size=800,600", f"--screenshot={shot}", page.as_uri())
    assert shot.exists()
    assert Image.open(shot).convert("RGB").getbbox() is not None


def test_run_without_findings_says_so(tmp_path):
    audit = build_audit([AuditDocument(findings=[], meta={"date": "2024-01-01"}) for _ in range(12)])
    html = render_html(audit)
    assert "<img" not in html and 'id="no-findings"' in html and 'id="no-trend"' in html
