"""schema.org's examples file (``schemaorg-all-examples-30.0.txt``), split into examples.

Each example starts with ``TYPES: #eg-NNNN Type, ...`` and has the sections PRE-MARKUP,
MICRODATA, RDFA and JSON (a ``<script type="application/ld+json">`` block), each possibly
empty or ``TODO.``. Section headers stand alone on their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.corpora.paths import corpus

FILE = ("schemaorg-examples", "schemaorg-all-examples-30.0.txt")
_START = re.compile(r"^TYPES:\s*(?P<id>#\S+)?\s*(?P<types>.*)$", re.M)
_SECTION = re.compile(r"^(PRE-MARKUP|MICRODATA|RDFA|JSON):[ \t]*$", re.M)
_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script>", re.S | re.I)


@dataclass(frozen=True)
class Example:
    id: str  # "eg-0382" (or "line-N" for the few without an id)
    types: str  # the rest of the TYPES line
    line: int  # of the TYPES line in the file
    sections: dict  # name -> text (stripped), "" when empty or TODO

    @property
    def jsonld(self) -> str:
        """The JSON-LD of the JSON section, without its script element."""
        text = self.sections.get("JSON", "")
        match = _SCRIPT.search(text)
        return (match["body"] if match else text).strip()

    def html(self, section: str) -> str:
        """A section as a small HTML page (what `import` and extruct read); a section that
        has its own body (``<body vocab=...>``) or page keeps it."""
        text, lowered = self.sections[section], self.sections[section].lower()
        if "<html" in lowered:
            return text
        body = text if "<body" in lowered else f"<body>\n{text}\n</body>"
        return f"<!DOCTYPE html>\n<html><head><title>{self.id}</title></head>{body}</html>\n"


@cache
def examples() -> tuple[Example, ...]:
    text = corpus(*FILE).read_text("utf-8")
    starts = list(_START.finditer(text))
    found = []
    for start, end in zip(starts, [*starts[1:], None], strict=True):
        body = text[start.end() : end.start() if end else len(text)]
        headers = list(_SECTION.finditer(body))
        sections = {}
        for header, following in zip(headers, [*headers[1:], None], strict=True):
            content = body[header.end() : following.start() if following else len(body)].strip()
            sections[header[1]] = "" if content in ("", "TODO.", "TODO") else content
        line = text.count("\n", 0, start.start()) + 1
        ident = start["id"].lstrip("#") if start["id"] else f"line-{line}"
        found.append(Example(ident, start["types"].strip(), line, sections))
    return tuple(found)


def with_section(section: str) -> list[Example]:
    return [example for example in examples() if example.sections.get(section)]


def project_of(folder: Path, text: str) -> Path:
    """A project in ``folder`` whose one content file is an example's JSON-LD."""
    (folder / "clinicgraph.toml").write_text('[site]\nurl = "https://example.org/"\n', encoding="utf-8")
    (folder / "content").mkdir()
    (folder / "content" / "example.jsonld").write_text(text, encoding="utf-8")
    return folder
