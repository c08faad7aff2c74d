"""What a syntax's reader gives (pyld's quads for JSON-LD and Microdata, pyRdfa's rdflib
graph for RDFa) as the graph's quads, the same way for all three.

Only schema.org is kept (and ``rdf:`` for types and lists): Open Graph, RDFa's own terms
and ``<link rel>`` vocabularies are not what the graph models. ``https://schema.org/``
becomes ``http://``. Blank nodes are named after what they say (``ids.content_labels``).

A value RDF cannot hold costs only itself, and is reported (``MarkupRdf.invalid``) if it is
in schema.org: an IRI that is not one (``https://x.example/q={term}``, ``http://[::1``) is
kept as text, as a search engine reads the page's string, or, when it is a node's own id,
the node is kept without its id (a type that is none is left out); a language tag that is
not one leaves its text without a language (``en_US`` is read as ``en-US``). A reader puts
marker IRIs (``MARKER`` and a number) in place of the IRIs that are not, which pyld and
pyRdfa carry through, and ``markup_rdf`` resolves them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from clinicgraph.graph import ids
from clinicgraph.graph.literals import is_language
from clinicgraph.vocab.context import RemoteContextRefused, offline_loader
from clinicgraph.vocab.namespaces import RDF, RDF_TYPE, SCHEMA, normalize_schema_iri

MARKER = "urn:clinicgraph:not-an-iri:"


@dataclass
class MarkupRdf:
    quads: list[Quad]
    left_out: int = 0  # triples in other vocabularies
    # each value set apart, by its marker (or itself): (the value as written, what is wrong and what became of it)
    invalid: dict[str, tuple[str, str]] = field(default_factory=dict)


class NotAnIri(ValueError):
    """An IRI that is not one; ``text``: what to keep of the value as a plain literal."""

    def __init__(self, value: str, text: str | None = None):
        super().__init__(value)
        self.value, self.text = value, value if text is None else text


def jsonld_quads(document, base: str, file: str, allow: tuple[str, ...] = ()) -> MarkupRdf:
    """A JSON-LD document as the graph's quads. Raises pyld's errors; a refused remote
    context raises RemoteContextRefused."""
    from pyld import jsonld

    options = {"documentLoader": offline_loader(allow=allow), "base": base}
    try:
        with warnings.catch_warnings():  # pyld warns on stderr about odd terms: not the user's one line
            warnings.simplefilter("ignore")
            expanded = jsonld.expand(document, options)
            marked, invalid = _set_aside(expanded)
            dataset = jsonld.to_rdf(expanded, options)
    except Exception as error:  # pyld wraps what the loader raised
        refused: BaseException | None = error
        while refused is not None and not isinstance(refused, RemoteContextRefused):
            refused = getattr(refused, "cause", None) or refused.__cause__ or refused.__context__
        raise (refused or error) from None
    triples = [
        (triple["subject"], triple["predicate"], triple["object"])
        for triples in dataset.values()
        for triple in triples
    ]
    result = markup_rdf(triples, _from_pyld, file, marked)
    result.invalid.update(invalid)
    return result


def _set_aside(expanded) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """In an expanded document, a marker for each ``@id`` that is no IRI (pyld would drop
    its triples without a word), and no ``@type`` or ``@language`` that is not one: the
    markers (marker -> value) and what was said of the rest."""
    marked: dict[str, str] = {}
    invalid: dict[str, tuple[str, str]] = {}
    for holder, key, value in list(ids.jsonld_terms(expanded)):
        if key == "@language":
            tag = language(value)
            if tag is None:
                del holder["@language"]
                invalid[value] = (value, not_a_language(value))
            else:
                holder["@language"] = tag
        elif not ids.is_iri(value):
            if key == "@id":
                holder["@id"] = marker = f"{MARKER}{len(marked)}"
                marked[marker] = value
            else:
                holder["@type"] = [name for name in holder["@type"] if name != value]
                invalid[value] = (value, f"{value!r} is not a valid IRI: this type is left out")
    return marked, invalid


def markup_rdf(triples, term, file: str, marked: dict[str, str]) -> MarkupRdf:
    """Triples as a reader gives them, made terms by ``term`` (which raises NotAnIri), as
    the graph's quads: schema.org kept, markers resolved, blank nodes named by content."""
    made: list[tuple | None] = []  # None: a triple left out
    as_text = {}
    for subject, predicate, obj in triples:
        try:
            subject, predicate = term(subject), term(predicate)
        except NotAnIri:  # a node or property that is no IRI: no schema.org term, left out as others are
            made.append(None)
            continue
        try:
            obj = term(obj)
        except NotAnIri as error:
            obj = Literal(error.text)
            as_text[subject, predicate, obj] = (error.value, (error.value, _as_text(error.value, error.text)))
        made.append((subject, predicate, obj))
    schema, left_out = _schema_only([triple for triple in made if triple is not None])
    invalid = dict(as_text[triple] for triple in schema if triple in as_text)
    described = {subject for subject, _, _ in schema if _marker(subject)}
    kept = []
    for subject, predicate, obj in schema:
        if _marker(obj) and obj not in described:
            value = marked.get(obj.value, obj.value)  # (a page may write a marker itself)
            invalid[obj.value], obj = (value, _as_text(value, value)), Literal(value)
        kept.append((_unmarked(subject), predicate, _unmarked(obj)))
    for node in described:
        value = marked.get(node.value, node.value)
        invalid[node.value] = (value, f"{value!r} is not a valid IRI: the node is read without this id")
    graph = NamedNode(ids.source_graph(file))
    return MarkupRdf(
        [Quad(s, p, o, graph) for s, p, o in ids.content_labels(kept)], left_out + made.count(None), invalid
    )


def _as_text(iri: str, text: str) -> str:
    return f"{iri!r} is not a valid IRI: {'kept as text' if iri == text else 'the value is kept without this datatype'}"


def _schema_only(triples: list[tuple]) -> tuple[list[tuple], int]:
    """The triples in schema.org (and rdf: for types and lists), and how many others there were."""
    ours = {
        s
        for s, p, o in triples
        if p.value.startswith(SCHEMA) or (p.value == RDF_TYPE and o.value.startswith(SCHEMA))
    }
    kept = [
        (s, p, o)
        for s, p, o in triples
        if p.value.startswith(SCHEMA) or (p.value.startswith(RDF) and (s in ours or p.value != RDF_TYPE))
    ]
    return kept, len(triples) - len(kept)


def _marker(term) -> bool:
    return isinstance(term, NamedNode) and term.value.startswith(MARKER)


def _unmarked(term):
    return BlankNode(f"notaniri{term.value[len(MARKER) :]}") if _marker(term) else term


def iri(value: str) -> NamedNode:
    try:
        return NamedNode(normalize_schema_iri(value))
    except ValueError:
        raise NotAnIri(value) from None


def datatype(value: str, text: str) -> NamedNode:
    try:
        return iri(value)
    except NotAnIri:
        raise NotAnIri(value, text) from None


def language(tag: str) -> str | None:
    """A language tag as RDF takes it (BCP 47), ``en_US`` read as ``en-US``; None if it is none."""
    return next((spelling for spelling in (tag, tag.replace("_", "-")) if is_language(spelling)), None)


def not_a_language(tag: str) -> str:
    return f"{tag!r} is not a language tag: its text is read without one"


def _from_pyld(term: dict):
    if term["type"] == "blank node":
        return BlankNode(term["value"][2:])
    if term["type"] == "IRI":
        return iri(term["value"])
    if "language" in term:
        return Literal(term["value"], language=term["language"])
    return Literal(term["value"], datatype=datatype(term["datatype"], term["value"]))


def from_rdflib(term):
    """An rdflib term as pyoxigraph's (raises NotAnIri)."""
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, BNode):
        return BlankNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=datatype(str(term.datatype), str(term)) if term.datatype else None)
