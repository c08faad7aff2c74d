"""What reading one source file yields, whatever its syntax."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Quad, RdfFormat


@dataclass
class Loaded:
    relpath: str                                   # path inside the project, with "/"
    quads: list[Quad] = field(default_factory=list)
    node_lines: dict[str, int] = field(default_factory=dict)            # node IRI -> line
    value_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (node, predicate) -> line
    references: list[tuple[str, int | None]] = field(default_factory=list)  # IRIs used as nodes
    lines_later: Path | None = None  # an RDF file whose line numbers are found when first asked
    as_written: tuple[str, RdfFormat] | None = None  # (text, syntax) Oxigraph loads straight into the store
