"""Audit: what an HTML page carries, checked the way validate checks the graph, and
compared with the graph's own document for the page.

The caller reads each page (``graph.html_source.Markup``) and passes the graph's page
document as a plain dict (this room does not import the exporters). The rules are
declared below; a page of the graph without an HTML file is a warning of
``audit/markup-missing`` (the site folder may be partial), one whose HTML carries none
of its markup an error. ``audit/markup-stale`` compares the page's markup about the
graph's nodes with the graph's document as RDF (isomorphism), naming each differing
node and property; ``audit/not-visible`` looks for a review text, a rating, or the
name of the page, of what it is about, or of a rated or reviewed thing.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.compare import graph_diff, to_isomorphic

from clinicgraph.checks import run_checks
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.registry import rule
from clinicgraph.graph.config import Site
from clinicgraph.graph.html_source import Markup, from_rdflib, jsonld_quads
from clinicgraph.graph.project import Project
from clinicgraph.graph.store import Store
from clinicgraph.vocab.namespaces import RDF_TYPE, XSD, schema_term
from clinicgraph.vocab.vocabulary import Vocabulary

EMBED_HINT = "Run `clinicgraph embed` to write the graph's current JSON-LD into the page."
_NUMERIC = {XSD + name for name in ("double", "decimal", "integer", "float", "int", "long")}
GOOGLE_GUIDELINES = "https://developers.google.com/search/docs/appearance/structured-data/sd-policies"
MARKUP_MISSING = rule(
    "audit/markup-missing",
    "error",
    "a page of the graph whose HTML carries none of its markup (warning: a page with no HTML file)",
)
MARKUP_STALE = rule(
    "audit/markup-stale", "error", "the page's markup differs, as RDF, from the graph's document"
)
MARKUP_DUPLICATED = rule(
    "audit/markup-duplicated", "error", "two blocks describe one node with different values"
)
INVALID_JSON = rule("audit/invalid-json", "error", "a JSON-LD block that is not JSON, or not JSON-LD")
NOT_VISIBLE = rule(
    "audit/not-visible",
    "warning",
    "marked-up text (a review, a rating, a name) not in the page's visible text",
    cites=GOOGLE_GUIDELINES,
)
INVALID_VALUE = rule(
    "audit/invalid-value",
    "warning",
    "a value RDF cannot hold (an IRI that is none: kept as text; a node id that is none: the node "
    "read without it; a type that is none: left out; a language tag that is none)",
)
VOCABULARY_MISSPELLED = rule(
    "audit/vocabulary-misspelled",
    "warning",
    "RDFa whose `vocab` or prefix misses schema.org by a slash, scheme or `www.` (read as schema.org)",
)
UNREADABLE = rule(
    "audit/unreadable", "warning", "markup that cannot be read offline, or a file that is not HTML"
)
# What the markup reader found wrong (``graph.html_source.Problem.kind``), by rule.
_PROBLEM_RULES = {
    "invalid-json": INVALID_JSON,
    "invalid-jsonld": INVALID_JSON,
    "remote-context": UNREADABLE,
    "unreadable": UNREADABLE,
    "invalid-value": INVALID_VALUE,
    "vocabulary": VOCABULARY_MISSPELLED,
}


def audit_page(
    markup: Markup,
    document: dict | None,
    site: Site,
    vocabulary: Vocabulary,
    shape_files: Sequence[Path] = (),
    today: date | None = None,
) -> list[Diagnostic]:
    """Every finding about one HTML file; ``document`` is the graph's page document, or
    None for a file that is no page of the graph. Date rules judge against ``today``."""
    found = [
        _PROBLEM_RULES[problem.kind].finding(markup.file, problem.line, problem.message)
        for problem in markup.problems
    ]
    found += _validate(markup, site, vocabulary, shape_files, today)
    duplicated = _duplicated(markup)
    found += duplicated + _not_visible(markup, vocabulary)
    if document is not None and not any(problem.ours for problem in markup.problems):
        found += _against_graph(markup, document, {(d.node, d.property) for d in duplicated})
    return found


def missing_file(url: str, looked: list[str], where: tuple[str | None, int | None]) -> Diagnostic:
    return MARKUP_MISSING.finding(
        where[0],
        where[1],
        f"The page {url} has no HTML file in the site (looked for {', '.join(looked)}).",
        "Give its file with --map, or check that the site folder is the built site.",
        node=url,
        severity="warning",
    )


def merge_repeats(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A validate finding about data every page repeats (the clinic, the website) is given
    once, at its first page, saying on how many others it recurs; audit findings stay per file."""
    groups: dict[tuple, list[Diagnostic]] = {}
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        key = (d.rule, d.severity, d.message, d.hint, d.node, d.property, d.value)
        groups.setdefault(key if not d.rule.startswith("audit/") else (id(d),), []).append(d)
    merged = []
    for group in groups.values():
        others = len({d.file for d in group}) - 1
        first = group[0]
        if others:
            first = replace(
                first, message=f"{first.message} (also on {others} other page{'s' * (others != 1)})"
            )
        merged.append(first)
    return merged


def _validate(
    markup: Markup, site: Site, vocabulary: Vocabulary, shape_files, today: date | None
) -> list[Diagnostic]:
    """The validate rules over the page's data alone, as a search engine reads the page."""
    quads = markup.quads()
    if not quads:
        return []
    project = Project(Path(markup.file).parent, site, Store(), vocabulary, sources=[markup.file])
    project.store.replace_all(quads)
    for subject in {quad.subject for quad in quads if not isinstance(quad.subject, Triple)}:  # (RDF 1.2)
        key = subject.value if isinstance(subject, NamedNode) else f"_:{subject.value}"
        project.node_lines[key] = (markup.file, markup.line_of(subject))
    return run_checks(project, shape_files, today=today)


def _duplicated(markup: Markup) -> list[Diagnostic]:
    first: dict[tuple, tuple[set, int | None]] = {}
    found, reported = [], set()
    for block in markup.blocks:
        values: dict[tuple, set] = {}
        for quad in block.quads:
            if isinstance(quad.subject, NamedNode) and not isinstance(quad.object, BlankNode):
                values.setdefault((quad.subject, quad.predicate), set()).add(quad.object)
        for key, objects in values.items():
            seen = first.setdefault(key, (objects, block.line_of(key[0])))
            if _meaning(seen[0]) != _meaning(objects) and key not in reported:
                reported.add(key)
                node, prop = key[0].value, _local(key[1])
                found.append(
                    MARKUP_DUPLICATED.finding(
                        markup.file,
                        block.line_of(key[0], _spelling(sorted(objects, key=str)[0])),
                        f"{node} is described twice, differently: its {prop} is {_show_all(seen[0])} at line {seen[1]} "
                        f"and {_show_all(objects)} here, in another block; search engines may read either.",
                        "Keep one description of the node (remove the other block, or give it the same values).",
                        node=node,
                        property=prop,
                    )
                )
    return found


def _meaning(values: set) -> set:
    """Values as a reader takes them: 4.8 is "4.8" (Microdata has only text), a date is its text."""

    def one(value):
        try:
            return float(value.value)
        except ValueError:
            return value.value

    return {one(value) for value in values}


def _not_visible(markup: Markup, vocabulary: Vocabulary) -> list[Diagnostic]:
    described: dict = {}
    for quad in markup.quads():
        described.setdefault(quad.subject, []).append((_local(quad.predicate), quad.object))
    named: set = (
        set()
    )  # the nodes whose name a rich result shows: the page's topic, what is rated or reviewed
    for subject, pairs in described.items():
        if any(p == "type" and _is_page(o, vocabulary) for p, o in pairs):  # (its own name is its title's)
            named.update(o for p, o in pairs if p in ("about", "mainEntity"))
        if any(p in ("aggregateRating", "review") for p, _ in pairs):
            named.add(subject)
        named.update(o for p, o in pairs if p == "itemReviewed")
    text, numbers = _normal(markup.visible), _numbers(markup.visible)
    found = []
    for subject, pairs in sorted(described.items(), key=lambda item: str(item[0])):
        for prop, value in sorted(pairs, key=lambda pair: (pair[0], str(pair[1]))):
            wanted = prop in ("reviewBody", "ratingValue") or (prop == "name" and subject in named)
            if not wanted or not isinstance(value, Literal) or _shown(prop, value, text, numbers):
                continue
            node = subject.value if isinstance(subject, NamedNode) else None
            found.append(
                NOT_VISIBLE.finding(
                    markup.file,
                    markup.line_of(subject, _spelling(value)),
                    f"{_show(value)} ({prop}{f' of {node}' if node else ''}) is marked up but not in the page's "
                    "visible text; Google asks that marked-up content be visible to readers.",
                    "Show it on the page, or leave it out of this page's markup.",
                    node=node,
                    property=prop,
                    value=_spelling(value),
                )
            )
    return found


def _is_page(type_node, vocabulary: Vocabulary) -> bool:
    local = schema_term(type_node.value) if isinstance(type_node, NamedNode) else None
    return local is not None and vocabulary.is_subtype(local, "WebPage")


def _shown(prop: str, value: Literal, text: str, numbers: set[float]) -> bool:
    if prop == "ratingValue":  # 4.7 is shown as "4.7 out of 5" or "4,7"; stars alone are not text
        try:
            return float(value.value.replace(",", ".")) in numbers
        except ValueError:
            pass
    return _normal(value.value) in text


def _normal(text: str) -> str:
    """Compared case-insensitively, whitespace collapsed, typographic quotes as plain ones."""
    text = text.replace("\u00ad", "").translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return " ".join(text.casefold().split())


def _numbers(text: str) -> set[float]:
    return {float(number.replace(",", ".")) for number in re.findall(r"\d+(?:[.,]\d+)?", text)}


def _against_graph(markup: Markup, document: dict, duplicated: set) -> list[Diagnostic]:
    """Markup missing, or stale: the page's triples about the graph's nodes (and the
    nodes without id under them) against the graph's document, as RDF."""
    expected = jsonld_quads(document, markup.url, markup.file).quads
    ours = {quad.subject for quad in expected if isinstance(quad.subject, NamedNode)}
    carried = markup.quads()
    top = (document.get("@graph") or [{}])[0].get("@id") if isinstance(document, dict) else None
    if not any(quad.subject in ours for quad in carried):
        return [
            MARKUP_MISSING.finding(
                markup.file,
                None,
                f"This page of the graph ({markup.url}) carries none of the graph's markup.",
                EMBED_HINT,
                node=top,
            )
        ]
    page = _rdflib(_about(carried, ours))
    page_iso, graph_iso = to_isomorphic(page), to_isomorphic(_rdflib(expected))
    if page_iso == graph_iso:
        return []
    return _stale(markup, page, _differences(page_iso, graph_iso), duplicated)


def _about(carried: list, ours: set) -> list:
    """The page's quads about these nodes and the nodes without id under them."""
    reached, queue = set(ours), list(ours)
    by_subject: dict = {}
    for quad in carried:
        by_subject.setdefault(quad.subject, []).append(quad)
    while queue:
        for quad in by_subject.get(queue.pop(), []):
            if isinstance(quad.object, BlankNode) and quad.object not in reached:
                reached.add(quad.object)
                queue.append(quad.object)
    return [quad for quad in carried if quad.subject in reached]


def _differences(page_iso, graph_iso) -> dict[tuple, tuple[list, list]]:
    """The values that differ, by (named node, property) they hang from: (on the page, in the graph)."""
    _, only_page, only_graph = graph_diff(page_iso, graph_iso)
    differs: dict[tuple, tuple[list, list]] = {}
    for side, triples, canonical in ((0, only_page, page_iso), (1, only_graph, graph_iso)):
        for s, p, o in sorted(triples):
            differs.setdefault(_anchor(canonical, s, p), ([], []))[side].append(from_rdflib(o))
    return differs


def _stale(markup: Markup, page: Graph, differs: dict, duplicated: set) -> list[Diagnostic]:
    """A finding per node and property whose values differ (one per node the page
    lacks), but where two blocks of the page differ already (``markup-duplicated``)."""
    found, absent = [], set()
    for (node, prop), (on_page, in_graph) in sorted(differs.items(), key=str):
        prop, spelling = _local(prop), _spelling(on_page[0]) if on_page else None
        if (str(node), prop) in duplicated or node in absent:
            continue
        if (node, None, None) not in page:
            absent.add(node)
            message, prop = f"{node} is in the graph's document but not on the page.", None
        elif on_page and in_graph:
            message = f"The {prop} of {node} is {_show_all(on_page)} on the page but {_show_all(in_graph)} in the graph."
        elif in_graph:
            message = f"{node} has no {prop} on the page; the graph has {_show_all(in_graph)}."
        else:
            message = f"{node} has {prop} {_show_all(on_page)} on the page, which the graph has not."
        found.append(
            MARKUP_STALE.finding(
                markup.file,
                markup.line_of(from_rdflib(node), spelling),
                message,
                EMBED_HINT,
                node=str(node),
                property=prop,
            )
        )
    return found


def _anchor(graph: Graph, subject, predicate) -> tuple:
    """A differing triple's named node and property: a node without id is reported where it hangs."""
    seen = set()
    while isinstance(subject, BNode) and subject not in seen:
        seen.add(subject)
        parents = sorted(graph.subject_predicates(subject))
        if not parents:
            break
        subject, predicate = parents[0]
    return subject, predicate


def _rdflib(quads) -> Graph:
    graph, logger = Graph(), logging.getLogger("rdflib.term")
    quiet, logger.disabled = (
        logger.disabled,
        True,
    )  # an ill-typed literal ("abc" as integer) is data, not a log
    try:
        for quad in quads:
            graph.add((_to_rdflib(quad.subject), URIRef(quad.predicate.value), _to_rdflib(quad.object)))
    finally:
        logger.disabled = quiet
    return graph


def _to_rdflib(term):
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))


def _local(predicate) -> str:
    iri = predicate.value if isinstance(predicate, NamedNode) else str(predicate)
    return "type" if iri == RDF_TYPE else schema_term(iri) or iri


def _spelling(value) -> str | None:
    """How a value is written in JSON: numbers as JSON numbers, text and IRIs as strings."""
    if isinstance(value, NamedNode):
        return value.value
    if not isinstance(value, Literal):
        return None
    if value.datatype is not None and value.datatype.value in _NUMERIC:
        try:
            number = float(value.value)
        except ValueError:
            return value.value
        return json.dumps(int(number) if number.is_integer() and "e" not in value.value.lower() else number)
    return value.value


def _show(value) -> str:
    if isinstance(value, BlankNode):
        return "a node without id"
    if isinstance(value, NamedNode):
        return schema_term(value.value) or f"<{value.value}>"
    text = _spelling(value) or ""
    if value.datatype is not None and value.datatype.value in _NUMERIC:
        return text
    return json.dumps(text if len(text) <= 80 else text[:77] + "...", ensure_ascii=False)


def _show_all(values) -> str:
    shown = sorted(_show(value) for value in values)
    return " and ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
