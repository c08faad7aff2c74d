"""Turtle, N-Triples and JSON-LD files, merged as they are.

Two rewrites only, both meaning-preserving: ``https://schema.org/`` IRIs become
``http://`` (docs/architecture.md), and blank nodes are renamed in order of appearance, so the
same file gives the same graph, and the same output, on every build (``normalized``).
JSON-LD goes through pyld with the offline loader (``jsonld_source``): no context is
ever fetched. Line numbers are found only when a diagnostic needs one (``source_lines``).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from clinicgraph.core.errors import SourceError
from clinicgraph.graph import ids
from clinicgraph.graph.config import Site
from clinicgraph.graph.limits import check_blank_depth
from clinicgraph.graph.loaded import Loaded, normalized
from clinicgraph.graph.store import Store
from clinicgraph.graph.turtle_blanks import TurtleBlanks
from clinicgraph.graph.turtle_lines import TurtleLines, statement_lines
from clinicgraph.graph.yaml_source import read_text
from clinicgraph.vocab.namespaces import SCHEMA_HTTPS

FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".jsonld": RdfFormat.N_QUADS}
_SYNTAX_NAMES = {".ttl": "Turtle", ".nt": "N-Triples", ".jsonld": "JSON-LD"}


def load_rdf(path: Path, relpath: str, site: Site, terms=None) -> Loaded:
    """A Turtle, N-Triples or JSON-LD file (``terms``, the YAML loader's, is not needed:
    RDF writes its IRIs in full)."""
    text = read_text(path, relpath, site.limits)
    if path.suffix != ".jsonld":
        check_blank_depth(text, FORMATS[path.suffix], site.url, relpath, site.limits)
    if path.suffix != ".jsonld" and not _needs_rewrite(text):
        # Nothing to rewrite: Oxigraph reads the text into the store itself (``insert``),
        # with no Python object per triple and no memory beyond the store's (docs/benchmarks.md).
        loaded = Loaded(relpath, as_written=(text, FORMATS[path.suffix]))
    else:
        notes = []
        if path.suffix == ".jsonld":
            from clinicgraph.graph.jsonld_source import expand_to_nquads  # pyld: only for JSON-LD

            expanded = expand_to_nquads(text, relpath, site)
            text, notes = expanded.nquads, expanded.notes
        try:
            loaded = normalized(parse(text, format=FORMATS[path.suffix], base_iri=site.url), relpath)
        except SyntaxError as error:
            raise _syntax_error(error, path.suffix, relpath) from None
        loaded.notes = notes
    loaded.lines_later = path  # scanned for line numbers only when a diagnostic needs one
    return loaded


def insert(store: Store, loaded: Loaded, site: Site) -> None:
    """Put a file read ``as_written`` into its source graph of the store."""
    assert loaded.as_written is not None  # the project inserts only the files read so
    text, syntax = loaded.as_written
    try:
        store.add_text(text, syntax, site.url, NamedNode(ids.source_graph(loaded.relpath)))
    except SyntaxError as error:
        suffix = next(suffix for suffix, known in FORMATS.items() if known == syntax)
        raise _syntax_error(error, suffix, loaded.relpath) from None


def _needs_rewrite(text: str) -> bool:
    """Whether a Turtle or N-Triples text may hold what ``normalized`` rewrites: an
    https://schema.org/ IRI, or a blank node, which needs ``_:``, ``[`` or ``(`` (a false
    alarm, say a bracket in a literal, costs only speed)."""
    return SCHEMA_HTTPS in text or "_:" in text or "[" in text or "(" in text


def _syntax_error(error: SyntaxError, suffix: str, relpath: str) -> SourceError:
    message = str(error.msg).split(": ", 1)[-1]
    # A JSON-LD file's position would be one in pyld's N-Quads, not in the file
    line, column = (None, None) if suffix == ".jsonld" else (error.lineno, error.offset)
    return SourceError(
        f"invalid {_SYNTAX_NAMES[suffix]}: {message[:1].lower()}{message[1:]}", relpath, line, column
    )


def source_lines(path: Path, relpath: str, site: Site):
    """Where the nodes of an RDF file, and their properties, are written, found lazily:
    an object answering ``node_line(key)`` and ``value_line(key, predicate)``."""
    if path.suffix == ".jsonld":
        from clinicgraph.graph.jsonld_source import JsonLdLines

        return JsonLdLines.read(path, relpath, site)
    return TurtleLines.read(path, site.url, relpath, FORMATS[path.suffix])


def scan_lines(path: Path, relpath: str, site: Site) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Where each node and each of its properties is written in an RDF file, all at once."""
    if path.suffix == ".jsonld":
        lines = source_lines(path, relpath, site)
        return lines.nodes, lines.values
    text = path.read_text(encoding="utf-8-sig")
    nodes, values = statement_lines(text, site.url)
    if _needs_rewrite(text):  # it may hold blank nodes
        blanks = TurtleBlanks(text, site.url, relpath, FORMATS[path.suffix])
        nodes, values = {**nodes, **blanks.nodes}, {**values, **blanks.values}
    return nodes, values
