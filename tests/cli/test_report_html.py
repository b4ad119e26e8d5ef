"""report.html opened in a real browser (Debian's chromium, headless): every section and
plot of report.json is on the rendered page, nothing is fetched, and no script error occurs."""
import html.parser
import json
import re
import shutil
import subprocess

import pytest

from test_evaluate import adult_split, evaluate_args  # noqa: F401  (module fixture)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("chromium is not installed; scripts/install-deps.sh installs it (Debian package 'chromium')")


def render(page, tmp_path):
    """The DOM after loading `page`, and the browser's console messages."""
    result = subprocess.run(
        [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--enable-logging=stderr", "--v=0",
         "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, console


class Elements(html.parser.HTMLParser):
    """Tags with their attributes, in document order."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(dom):
    parser = Elements()
    parser.feed(dom)
    return parser.tags


def test_console_errors_are_detected(tmp_path):
    """The check below can fail: a page with a script error is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>")
    _, console = render(page, tmp_path)
    assert any("undefinedFunction" in line for line in console)


def test_report_renders_every_section_and_plot(run, adult_split, tmp_path):  # noqa: F811
    out = tmp_path / "report"
    run(*evaluate_args(adult_split, out, "--no-manifest", "--mix", "0,0.5,1"), check_exit=0)
    report = json.loads((out / "report.json").read_text())
    dom, console = render(out / "report.html", tmp_path)
    assert console == [], console
    tags = parse(dom)
    ids = {attrs.get("id") for _, attrs in tags}
    assert "summary" in ids
    for section, metrics in report["sections"].items():
        assert section in ids, section
        for name in metrics:
            assert f"metric-{name}" in ids, name
    # Self-contained: no script, stylesheet, image or frame is loaded from anywhere.
    for tag, attrs in tags:
        assert tag not in ("script", "link", "img", "iframe"), tag
        assert not any(key in ("src", "href") for key in attrs), (tag, attrs)
    # Every figure is an inline SVG plot, and the metrics that plot have one.
    figures = sum(1 for tag, _ in tags if tag == "figure")
    plots = sum(1 for tag, attrs in tags if tag == "svg" and "plot" in attrs.get("class", ""))
    assert figures == plots and plots >= 1
    for name in ("subgroups",):
        article = dom.split(f'id="metric-{name}"', 1)[1].split("</article>", 1)[0]
        assert "<svg" in article, name
    # Every summary entry is on the page with its value.
    for key in report["summary"]:
        assert re.search(re.escape(key), dom), key
