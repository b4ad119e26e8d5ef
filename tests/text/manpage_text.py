"""Plain-text paragraphs from the man pages Debian installs, by language.

The text audit's test and benchmark corpora are built at test time from real multilingual
text that Debian packages (manpages, manpages-de, -fr, -es, -it, -nl, -pl, -ru: the same
pages translated), never committed. This module turns roff into paragraphs:
requests are dropped, font and character escapes stripped, no-fill blocks (code
examples) and `.TP` tags (option names) skipped. A translated paragraph that equals a
paragraph of the English page of the same name was left untranslated by the
translators (po4a keeps the original) and is dropped; so is a translated paragraph in
which English function words make up 4 % or more of the words (an older English
original left untranslated, or a paragraph of commands and English quotes). So a
paragraph's language is the language of its folder.
"""
from __future__ import annotations

import gzip
import pathlib
import re
import unicodedata

MAN_ROOT = pathlib.Path("/usr/share/man")
LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "ru")

_FONT = re.compile(r"\\f(\[[^\]]*\]|\(..|.)")
_SIZE = re.compile(r"\\s[+-]?\d+")
_NAMED = re.compile(r"\\\((..)|\\\[([^\]]*)\]")
_STRING = re.compile(r"\\\*(\[[^\]]*\]|\(..|.)")
_OTHER = re.compile(r"\\[a-zA-Z0-9]")
_GLYPHS = {"em": "\u2014", "en": "\u2013", "lq": "\u201c", "rq": "\u201d", "aq": "'", "dq": '"',
           "oq": "\u2018", "cq": "\u2019", "hy": "-", "bu": "\u2022", "co": "\u00a9", "rg": "\u00ae",
           "Fo": "\u00ab", "Fc": "\u00bb", "fo": "\u2039", "fc": "\u203a", "mi": "-", "ti": "~",
           "ga": "`", "ha": "^", "rs": "\\", "sl": "/", "at": "@", "sh": "#", "Do": "$", "tm": "\u2122"}
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", ":": "\u0308", ",": "\u0327", "~": "\u0303"}


def _glyph(name: str) -> str:
    """A named roff glyph: \\(em, or a letter with an accent such as \\('e and \\(^i."""
    if name in _GLYPHS:
        return _GLYPHS[name]
    if len(name) == 2 and name[0] in _ACCENTS and name[1].isalpha():
        return unicodedata.normalize("NFC", name[1] + _ACCENTS[name[0]])
    return ""


_TEXT_MACROS = {"B", "I", "BR", "IR", "RB", "RI", "BI", "IB", "SM", "SB", "R"}
_BREAK_MACROS = {"PP", "P", "LP", "TP", "IP", "HP", "SH", "SS", "sp", "TQ", "RS", "RE", "EX", "EE",
                 "nf", "fi", "UR", "UE", "MT", "ME", "TH", "SY", "YS", "OP", "in", "ti", "TS", "TE"}


def _unescape(line: str) -> str:
    line = line.split('\\"', 1)[0]  # a comment to the end of the line
    line = _FONT.sub("", line)
    line = _SIZE.sub("", line)
    line = _STRING.sub("", line)
    line = _NAMED.sub(lambda m: _glyph(m.group(1) or m.group(2)), line)
    line = (line.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "").replace("\\ ", " ")
            .replace("\\~", " ").replace("\\0", " ").replace("\\|", "").replace("\\^", "")
            .replace("\\c", "").replace("\\/", "").replace("\\,", "").replace("\\%", "")
            .replace("\\:", ""))
    line = _OTHER.sub("", line)
    return line.replace("\\", "")


def _macro_text(arguments: str) -> str:
    parts = re.findall(r'"([^"]*)"|(\S+)', arguments)
    return " ".join(quoted or bare for quoted, bare in parts)


def roff_paragraphs(source: str) -> list[str]:
    """Paragraphs of running text of one roff page, whitespace collapsed."""
    paragraphs: list[str] = []
    current: list[str] = []
    started = False  # text before the first .SH is definitions and the title
    no_fill = False
    skip_tag = False

    def flush() -> None:
        text = " ".join(" ".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    for raw in source.splitlines():
        if raw.startswith((".", "'")):
            fields = raw[1:].strip().split(None, 1)
            name = fields[0] if fields else ""
            arguments = fields[1] if len(fields) > 1 else ""
            if name == "SH":
                started = True
            if name in ("nf", "EX", "TS"):
                no_fill = True
            elif name in ("fi", "EE", "TE"):
                no_fill = False
            if name in _BREAK_MACROS:
                flush()
                skip_tag = name in ("TP", "TQ")
            elif name in _TEXT_MACROS and started and not no_fill:
                current.append(_unescape(_macro_text(arguments)))
            continue
        if not started or no_fill:
            continue
        if skip_tag:
            skip_tag = False
            continue
        current.append(_unescape(raw))
    flush()
    return paragraphs


# English function words that are not words of the other test languages.
_ENGLISH = frozenset("the and with this that which are from will you your be by when it its for is not".split())
_ENGLISH_ALSO_IN = {"nl": {"is"}}


def looks_english(paragraph: str, language: str) -> bool:
    """Whether 4 % or more of the words are English function words."""
    tokens = re.findall(r"\w+", paragraph.lower())
    if not tokens:
        return False
    english = _ENGLISH - _ENGLISH_ALSO_IN.get(language, set())
    return sum(token in english for token in tokens) >= 0.04 * len(tokens)


def _read(path: pathlib.Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8", errors="replace")


def pages(language: str) -> list[pathlib.Path]:
    """The page files of one language, sorted (English: the untranslated folders)."""
    root = MAN_ROOT if language == "en" else MAN_ROOT / language
    return sorted(p for p in root.glob("man[1-8]/*.gz") if p.is_file())


def page_paragraphs(path: pathlib.Path, language: str, min_chars: int = 40) -> list[str]:
    """Translated paragraphs of one page with at least `min_chars` characters."""
    try:
        paragraphs = roff_paragraphs(_read(path))
    except (OSError, EOFError, ValueError):
        return []
    if language != "en":
        english = MAN_ROOT / path.parent.name / path.name
        if english.exists():
            try:
                original = set(roff_paragraphs(_read(english)))
            except (OSError, EOFError, ValueError):
                original = set()
            paragraphs = [p for p in paragraphs if p not in original]
        paragraphs = [p for p in paragraphs if not looks_english(p, language)]
    return [p for p in paragraphs if len(p) >= min_chars and "\ufffd" not in p]


def available(languages=LANGUAGES) -> bool:
    """Whether the man pages of every language are installed (scripts/install-deps.sh)."""
    return all(pages(language) for language in languages)
