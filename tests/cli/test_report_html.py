"""report.html opened in a real browser (Debian's chromium, headless): every section and
plot of report.json is on the rendered page, every plot has content and a text
alternative, nothing is fetched, no script error occurs, and a 1,400 px wide screenshot
is taken (kept as report-1400.png beside the report for a person to look at)."""
import html.parser
import json
import re
import shutil
import struct
import subprocess
import zlib

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


def screenshot(page, tmp_path, png, width=1400, height=2400):
    result = subprocess.run(
        [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--window-size={width},{height}",
         f"--screenshot={png}", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return png


def png_summary(path):
    """(width, height, the decompressed image bytes) of a PNG, read with struct and zlib."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IHDR":
            width, height = struct.unpack(">II", data[pos + 8:pos + 16])
        elif kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(idat)


class Elements(html.parser.HTMLParser):
    """Tags with their attributes, in document order, and each <svg class="plot">'s
    marks (rect, polyline, line, text) and the figure around it."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.figures = []  # per figure: {"svg": attrs, "marks": {tag: count}, "table": bool}
        self._figure = None
        self._in_svg = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "figure":
            self._figure = {"svg": None, "marks": {}, "table": False, "caption": ""}
            self.figures.append(self._figure)
        elif tag == "svg" and self._figure is not None:
            self._figure["svg"] = attrs
            self._in_svg = True
        elif self._in_svg:
            marks = self._figure["marks"]
            kind = tag + "." + attrs.get("class", "")
            marks[kind] = marks.get(kind, 0) + 1
            if tag == "polyline":
                marks["points"] = marks.get("points", 0) + len(attrs.get("points", "").split())
        elif tag == "table" and self._figure is not None:
            self._figure["table"] = True

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg = False
        elif tag == "figure":
            self._figure = None


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


def data_marks(figure):
    """The marks that draw data (not axes, ticks or legend)."""
    marks = figure["marks"]
    return (marks.get("rect.bar", 0) + marks.get("rect.real", 0) + marks.get("rect.synthetic", 0)
            + marks.get("rect.cell", 0) + marks.get("points", 0))


def test_report_renders_every_section_and_plot(run, adult_split, tmp_path):  # noqa: F811
    out = tmp_path / "report"
    run(*evaluate_args(adult_split, out, "--no-manifest", "--mix", "0,0.5,1"), check_exit=0)
    report = json.loads((out / "report.json").read_text())
    dom, console = render(out / "report.html", tmp_path)
    assert console == [], console
    parser = Elements()
    parser.feed(dom)
    tags = parser.tags
    ids = {attrs.get("id") for _, attrs in tags}
    assert {"verdict", "summary"} <= ids
    for section, metrics in report["sections"].items():
        assert section in ids, section
        for name in metrics:
            assert f"metric-{name}" in ids, name
    # Self-contained: no script, stylesheet, image or frame is loaded from anywhere.
    for tag, attrs in tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        assert not any(key in ("src", "href", "xlink:href") for key in attrs), (tag, attrs)
    assert "url(" not in dom and "@import" not in dom
    # Every figure is an inline SVG plot with data drawn in it, an aria-label, and its
    # numbers as a table (the text alternative).
    assert len(parser.figures) >= len(report["inputs"]["columns"]) + 5
    for figure in parser.figures:
        assert figure["svg"] is not None and "plot" in figure["svg"].get("class", ""), figure
        assert figure["svg"].get("role") == "img" and len(figure["svg"].get("aria-label", "")) > 20, figure
        assert figure["table"], figure["svg"]["aria-label"]
        assert data_marks(figure) > 0, figure
    plots = sum(1 for tag, attrs in tags if tag == "svg" and "plot" in attrs.get("class", ""))
    assert plots == len(parser.figures)
    # Each column has its real-vs-synthetic plot; the heatmap has a colour scale and
    # labels; the ROC has its diagonal and tick values.
    for column in report["inputs"]["columns"]:
        assert f'aria-label="Share of rows of {column["name"]} in the real' in dom, column
    heatmap = dom.split('class="plot heatmap"', 1)[1].split("</svg>", 1)[0]
    assert "difference</text>" in heatmap and heatmap.count('class="ticklabel"') >= 3
    assert all(column["name"][:22] in heatmap for column in report["inputs"]["columns"])
    roc = dom.split('id="metric-membership_inference"', 1)[1].split("</svg>", 1)[0]
    assert 'class="reference"' in roc and roc.count('class="ticklabel"') >= 8
    subgroups = dom.split('id="metric-subgroups"', 1)[1].split("</article>", 1)[0]
    assert 'class="band"' in subgroups
    # Tables show keys in words, never flattened paths.
    assert "models.xgboost" not in dom and "settings.eta" not in dom
    # Verdicts on top, one per section, as report.json has them.
    verdict = dom.split('id="verdict"', 1)[1].split("</section>", 1)[0]
    for section, entry in report["verdicts"].items():
        assert section in verdict and entry["verdict"] in verdict
    # Every summary entry is on the page with its value.
    for key in report["summary"]:
        assert re.search(re.escape(key), dom), key
    # A person looks at this: a 1,400 px wide screenshot of the top of the page, which
    # must not be blank (many distinct colours: the verdict badges, bars and text).
    # A blank or unstyled page compresses to a few kilobytes and its (row-filtered)
    # bytes take few values.
    png = screenshot(out / "report.html", tmp_path, out / "report-1400.png")
    width, height, pixels = png_summary(png)
    assert (width, height) == (1400, 2400)
    assert png.stat().st_size > 40_000, png.stat().st_size
    assert len(set(pixels[::97])) > 128
