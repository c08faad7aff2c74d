"""Turtle, N-Triples and JSON-LD files, merged as they are.

Two rewrites only, both meaning-preserving: ``https://schema.org/`` IRIs become
``http://`` (DESIGN.md), and blank nodes are renamed in order of appearance, so the
same file gives the same graph, and the same output, on every build.
JSON-LD goes through pyld with the offline loader: no context is ever fetched.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from clinicgraph.errors import SourceError
from clinicgraph.graph import ids
from clinicgraph.graph.config import Site
from clinicgraph.graph.limits import check_blank_depth, check_json_depth
from clinicgraph.graph.loaded import Loaded
from clinicgraph.graph.store import Store
from clinicgraph.graph.turtle_lines import statement_lines
from clinicgraph.graph.yaml_source import read_text
from clinicgraph.vocab.context import RemoteContextRefused, offline_loader
from clinicgraph.vocab.namespaces import SCHEMA_HTTPS, normalize_schema_iri

FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".jsonld": RdfFormat.N_QUADS}
_SYNTAX_NAMES = {".ttl": "Turtle", ".nt": "N-Triples", ".jsonld": "JSON-LD"}


def load_rdf(path: Path, relpath: str, site: Site) -> Loaded:
    text = read_text(path, relpath, site.limits)
    if path.suffix != ".jsonld":
        check_blank_depth(text, FORMATS[path.suffix], site.url, relpath, site.limits)
    if path.suffix != ".jsonld" and not _needs_rewrite(text):
        # Nothing to rewrite: Oxigraph reads the text into the store itself (``insert``),
        # with no Python object per triple (2 M triples: 5 s and no memory beyond the store's).
        loaded = Loaded(relpath, as_written=(text, FORMATS[path.suffix]))
    else:
        if path.suffix == ".jsonld":
            text = _jsonld_to_nquads(text, relpath, site)
        try:
            loaded = _normalized(parse(text, format=FORMATS[path.suffix], base_iri=site.url), relpath)
        except SyntaxError as error:
            raise _syntax_error(error, path.suffix, relpath) from None
    if path.suffix != ".jsonld":
        loaded.lines_later = path  # scanned for line numbers only when a diagnostic needs one
    return loaded


def insert(store: Store, loaded: Loaded, site: Site) -> None:
    """Put a file read ``as_written`` into its source graph of the store."""
    text, syntax = loaded.as_written
    try:
        store.add_text(text, syntax, site.url, NamedNode(ids.source_graph(loaded.relpath)))
    except SyntaxError as error:
        suffix = next(suffix for suffix, known in FORMATS.items() if known == syntax)
        raise _syntax_error(error, suffix, loaded.relpath) from None


def _needs_rewrite(text: str) -> bool:
    """Whether a Turtle or N-Triples text may hold what ``_normalized`` rewrites: an
    https://schema.org/ IRI, or a blank node, which needs ``_:``, ``[`` or ``(`` (a false
    alarm, say a bracket in a literal, costs only speed)."""
    return SCHEMA_HTTPS in text or "_:" in text or "[" in text or "(" in text


def _syntax_error(error: SyntaxError, suffix: str, relpath: str) -> SourceError:
    message = str(error.msg).split(": ", 1)[-1]
    return SourceError(f"invalid {_SYNTAX_NAMES[suffix]}: {message[:1].lower()}{message[1:]}",
                       relpath, error.lineno, error.offset)


def scan_lines(path: Path, base: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Where each subject and each of its properties is written in a Turtle or N-Triples file."""
    return statement_lines(path.read_text(encoding="utf-8-sig"), base)


def _normalized(quads, relpath: str) -> Loaded:
    loaded = Loaded(relpath)
    graph = NamedNode(ids.source_graph(relpath))
    blanks: dict[str, BlankNode] = {}

    def term(node):
        if isinstance(node, NamedNode):
            return NamedNode(normalize_schema_iri(node.value)) if node.value.startswith(SCHEMA_HTTPS) else node
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


class _NotJson(ValueError):
    """NaN and Infinity: Python's json module reads them, JSON has no such numbers."""


def _refuse_constant(name: str):
    raise _NotJson(name)


def _jsonld_to_nquads(text: str, relpath: str, site: Site) -> str:
    from pyld import jsonld  # here, not at the top: it costs a tenth of a second to import

    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        before = text[:error.pos].rstrip()
        if before.endswith(",") and text[error.pos:error.pos + 1] in ("}", "]"):  # [1, 2,]
            line, column = before.count("\n") + 1, len(before) - before.rfind("\n") - 1
            raise SourceError("invalid JSON: a comma before a closing bracket (remove it)",
                              relpath, line, column) from None
        if error.msg == "Expecting ',' delimiter" and "\n" in text[len(before):error.pos]:
            line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
            raise SourceError("invalid JSON: a comma is missing at the end of this line",
                              relpath, line, column) from None
        raise SourceError(f"invalid JSON: {error.msg[:1].lower()}{error.msg[1:]}", relpath,
                          error.lineno, error.colno) from None
    except _NotJson as error:
        raise SourceError(f"invalid JSON: {error} is not a JSON number (give a finite number)",
                          relpath, _line_with(text, re.compile(rf"[:\[,]\s*{error}\b"))) from None
    except RecursionError:
        document = None  # nested past what Python's parser can hold: said below, with its line
    check_json_depth(document, text, relpath, site.limits)
    try:
        options = {"documentLoader": offline_loader(allow=site.limits.allow_contexts), "base": site.url}
        with warnings.catch_warnings():  # pyld warns on stderr about odd terms: not the user's one line
            warnings.simplefilter("ignore")
            expanded = jsonld.expand(document, options)
        for iri in ids.not_iris(expanded)[:1]:  # pyld would drop their triples silently
            raise SourceError(f"{iri!r} is not a valid IRI", relpath,
                              _line_with(text, re.compile(re.escape(json.dumps(iri)[:-1]))))
        return jsonld.to_rdf(expanded, {**options, "format": "application/n-quads"})
    except jsonld.JsonLdError as error:
        refused = _cause(error, RemoteContextRefused)
        if refused is not None:
            named = re.search(r"fetch (.+?): only", str(refused))
            url = named.group(1) if named else ""
            raise SourceError(f"remote context {url} refused: only schema.org's context is available "
                              "offline (put the context inline, or allow it: [limits] allow-contexts)", relpath,
                              _line_with(text, re.compile(re.escape(json.dumps(url))))) from None
        message = _jsonld_message(error)
        raise SourceError(f"invalid JSON-LD: {message[:1].lower()}{message[1:]}", relpath) from None


def _line_with(text: str, pattern: re.Pattern) -> int | None:
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _cause(error: BaseException, kind: type) -> BaseException | None:
    while error is not None:
        if isinstance(error, kind):
            return error
        error = getattr(error, "cause", None) or error.__cause__ or error.__context__
    return None


def _jsonld_message(error: BaseException) -> str:
    """pyld nests its errors; the innermost one says what is wrong."""
    from pyld import jsonld

    while isinstance(error.__cause__, jsonld.JsonLdError):
        error = error.__cause__
    text = error.args[0] if error.args else type(error).__name__
    code = getattr(error, "code", None)
    return f"{text} ({code})" if code else str(text)
