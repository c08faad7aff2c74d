"""What markup in an HTML page yields: its blocks of quads, the problems met reading it,
and where in the page each node is written (``html_source`` reads a page into these)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Quad


@dataclass
class Block:
    """One unit of markup: a JSON-LD script, a top-level Microdata item, or the page's RDFa."""

    syntax: str  # "json-ld", "microdata" or "rdfa"
    line: int | None
    quads: list[Quad]
    text: str = ""  # a JSON-LD script's text, to find lines inside it
    ours: bool = False  # the block `clinicgraph embed` writes (data-clinicgraph)

    def line_of(self, node, value: str | None = None) -> int | None:
        """In a JSON-LD block: the line describing the node, or of a value after that; else the block's."""
        if self.line is None or not self.text:
            return self.line
        start = _described_at(self.text, node.value) if isinstance(node, NamedNode) else 0
        for form in _json_forms(value) if value is not None else ():
            found = re.compile(rf'"{re.escape(form)}"|[:\[,]\s*{re.escape(form)}(?![\w.])').search(
                self.text, start
            )
            if found:
                start = found.start()
                break
        return self.line + self.text.count("\n", 0, start)


@dataclass
class Problem:
    kind: str  # "invalid-json", "invalid-jsonld", "remote-context", "unreadable",
    # "invalid-value" (no IRI, no language tag), "vocabulary" (a near miss of schema.org's)
    line: int | None
    message: str
    ours: bool = False


@dataclass
class Markup:
    file: str  # the HTML file, as diagnostics name it
    url: str  # the page's URL: what relative ids resolve against
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    visible: str = ""  # the text a reader sees, whitespace collapsed
    left_out: int = 0  # triples in other vocabularies, not kept

    def quads(self) -> list[Quad]:
        return [quad for block in self.blocks for quad in block.quads]

    def line_of(self, node, value: str | None = None) -> int | None:
        """The line where a node (or one of its values) is written, else its block's line."""
        for block in self.blocks:
            if any(quad.subject == node for quad in block.quads):
                return block.line_of(node, value)
        return None


def _described_at(text: str, iri: str) -> int:
    """Where ``"@id": iri`` opens the node's description (not a mere reference ``{"@id": iri}``)."""
    spellings = [iri] + (["#" + iri.rsplit("#", 1)[1]] if "#" in iri else [])
    found: list[re.Match[str]] = []
    for spelling in spellings:
        for form in _json_forms(spelling):
            found += re.finditer(rf'"@?id"\s*:\s*"{re.escape(form)}"', text)
    found.sort(key=lambda match: match.start())
    described = [match for match in found if not re.match(r"\s*\}", text[match.end() :])]
    return (described or found)[0].start() if found else 0


def _json_forms(value: str) -> list[str]:
    """How a string may be written inside a JSON string: raw, ASCII-escaped, or escaped as
    embed escapes ``<``, ``>`` and ``&``."""
    raw, ascii_ = json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]
    escaped = [
        form.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") for form in (raw, ascii_)
    ]
    return [form for form in dict.fromkeys([raw, ascii_, *escaped]) if form]
