"""What reading one source file yields, whatever its syntax; and the two rewrites an RDF
file's quads get, which the line finders repeat to name the same nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat

from clinicgraph.graph import ids
from clinicgraph.vocab.namespaces import SCHEMA_HTTPS, normalize_schema_iri

LEFT_OUT = "source/left-out"  # the rule of the notes: what is written but not in the graph


@dataclass(frozen=True)
class Note:
    """Something written that a loader left out of the graph (the rest of the file loads):
    validation reports it under its rule (``checks.notes``), where it is written."""

    line: int | None
    rule: str
    message: str
    hint: str
    node: str | None  # the node's IRI (None for a blank node)
    property: str | None  # the term concerned
    value: str | None  # the value left out, as written


@dataclass
class Loaded:
    relpath: str  # path inside the project, with "/"
    quads: list[Quad] = field(default_factory=list)
    node_lines: dict[str, int | None] = field(default_factory=dict)  # node IRI -> line (None: unknown)
    value_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (node, predicate) -> line
    references: list[tuple[str, int | None]] = field(default_factory=list)  # IRIs used as nodes
    lines_later: Path | None = None  # an RDF file whose line numbers are found when first asked
    as_written: tuple[str, RdfFormat] | None = None  # (text, syntax) Oxigraph loads straight into the store
    notes: list[Note] = field(default_factory=list)


def normalized(quads, relpath: str, blanks: dict[str, BlankNode] | None = None) -> Loaded:
    """The quads in the file's source graph, ``https://schema.org/`` IRIs made ``http://``
    (docs/architecture.md) and blank nodes renamed in order of appearance, so the same file gives the
    same graph on every build. ``blanks`` receives each parser label's new node."""
    loaded = Loaded(relpath)
    graph = NamedNode(ids.source_graph(relpath))
    blanks = {} if blanks is None else blanks

    def term(node):
        if isinstance(node, NamedNode):
            return (
                NamedNode(normalize_schema_iri(node.value)) if node.value.startswith(SCHEMA_HTTPS) else node
            )
        if isinstance(node, BlankNode):
            if node.value not in blanks:
                blanks[node.value] = BlankNode(ids.blank_label(relpath, f"b{len(blanks)}"))
            return blanks[node.value]
        if isinstance(node, Literal) and node.datatype is not None and node.language is None:
            return Literal(node.value, datatype=term(node.datatype))
        return node

    for quad in quads:
        subject = term(quad.subject)
        if isinstance(subject, NamedNode):
            loaded.node_lines.setdefault(subject.value, None)
        loaded.quads.append(Quad(subject, term(quad.predicate), term(quad.object), graph))
    return loaded
