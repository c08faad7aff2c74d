"""Page wiring: the links every page of a site carries to the site itself, derived
instead of written on each page, each only where the page has none of its own:

- ``isPartOf`` the site's WebSite node: the node typed WebSite whose ``url`` is
  ``[site] url`` (with or without its trailing ``/``);
- ``publisher`` the one ``publisher`` that WebSite names;
- ``inLanguage`` ``[site] language``, as text (what a hand-written ``inLanguage: "en-CA"``
  is, so a page's JSON-LD is the same derived or written).

``[derive.wiring]`` switches each on or off (``Derive.wires``).

**The WebSite.** Pages link to a node, so only a WebSite with an IRI counts (one without
cannot be named from another node). None: nothing is wired to it, and nothing said (a
site need not describe itself). Several with the site's URL: none is chosen, and an
info finding names them, since either choice could be the wrong one and would be copied
onto every page; the user merges them or writes ``isPartOf`` where it matters. The
WebSite node is never part of itself (a node typed both WebSite and WebPage is a page);
the home page, a WebPage of its own, is part of the site like any other page.

**Never a conformance error.** Pages are WebPages (graph/pages.py), which schema.org
gives all three properties (they are CreativeWork's); a vocabulary that gave one of
them to fewer page types would leave the pages of only such types without it. A
value is given only where it fits the property's range as the vocabulary has it: a
WebSite publisher of a type no publisher may have stays on the WebSite, reported once
there, instead of being copied onto every page.

**Cost.** One query for the pages without each property (Oxigraph finds them: on a site
that writes its wiring, none), one for the WebSite, one for its publisher and the
publisher's types; the pages' types only if the vocabulary refuses a property to some
page type. Then one pass over the pages.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, QueryResultsFormat

from clinicgraph.derive import Derived, Finding, step_graph
from clinicgraph.graph.config import Site
from clinicgraph.graph.pages import Page
from clinicgraph.graph.store import Store
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA
from clinicgraph.vocab.vocabulary import Vocabulary

WEBSITE_AMBIGUOUS = "derive/wiring-website-ambiguous"  # its findings' rule (checks.notes declares it)
GRAPH = step_graph("wiring")
PROPERTIES = ("isPartOf", "publisher", "inLanguage")  # in the order a page's triples are written


def derive_wiring(store: Store, site: Site, pages: list[Page], vocabulary: Vocabulary) -> Derived:
    """The wiring of the pages (found with ``vocabulary``) that lack it, in a graph other
    than this step's own."""
    website, findings = _website(store, site, vocabulary)
    values: dict[str, NamedNode | Literal | None] = {
        "isPartOf": website,
        "publisher": _publisher(store, website) if website else None,
        "inLanguage": Literal(site.language) if site.language else None,
    }
    wired = {
        prop: value
        for prop, value in values.items()
        if value is not None and site.derive.wires(prop) and _fits(store, vocabulary, prop, value)
    }
    if not wired:
        return Derived({GRAPH: ""}, findings)
    lacking = _lacking(store, vocabulary, wired)
    for prop, refused in _refused(store, vocabulary, wired).items():
        lacking[prop] -= {str(page) for page in refused}
    if website is not None and "isPartOf" in lacking:  # the WebSite, if a page too, is no part of itself
        lacking["isPartOf"].discard(str(website))
    turtle = [f"@prefix s: <{SCHEMA}> .\n"]
    for page in pages:
        node = str(page.node)
        given = [f"s:{prop} {value}" for prop, value in wired.items() if node in lacking[prop]]
        if given:
            turtle.append(f"{node} {' ; '.join(given)} .\n")
    return Derived({GRAPH: "".join(turtle) if len(turtle) > 1 else ""}, findings)


def _website(store: Store, site: Site, vocabulary: Vocabulary) -> tuple[NamedNode | None, list[Finding]]:
    """The site's WebSite node (an IRI whose url is the site's), or None; a finding if
    several claim the site's URL."""
    query = (
        f"SELECT DISTINCT ?site ?url WHERE {{ VALUES ?type {{ {_terms(vocabulary.subtypes('WebSite'))} }} "
        f"?site <{RDF_TYPE}> ?type ; <{SCHEMA}url> ?url FILTER (isIRI(?site)) }}"
    )
    home = site.url.rstrip("/")
    found = sorted({node.value for node, url in store.query(query) if url.value.rstrip("/") == home})
    if len(found) == 1:
        return NamedNode(found[0]), []
    if not found:
        return None, []
    finding = Finding(
        WEBSITE_AMBIGUOUS,
        "info",
        f"{len(found)} WebSite nodes have the site's url {site.url} ({', '.join(found)}): pages are "
        "made part of neither, nor given the publisher of either",
        "Describe the site once (one WebSite node), or write isPartOf and publisher on the pages.",
        node=found[-1],
    )
    return None, [finding]


def _publisher(store: Store, website: NamedNode) -> NamedNode | None:
    """The one publisher the WebSite names (as the sources and rules have it), if an IRI."""
    query = (
        f"SELECT DISTINCT ?publisher WHERE {{ GRAPH ?g {{ {website} <{SCHEMA}publisher> ?publisher }} "
        f"FILTER (?g != {GRAPH}) }}"
    )
    found = [row[0] for row in store.query(query)]
    return found[0] if len(found) == 1 and isinstance(found[0], NamedNode) else None


def _fits(store: Store, vocabulary: Vocabulary, prop: str, value: NamedNode | Literal) -> bool:
    """Whether a value fits the property's range (a property the vocabulary gives no
    range fits anything; text fits Text; a node fits URL, or a range of one of its
    types, or any range when untyped: a link)."""
    ranges = vocabulary.ranges(prop)
    if not ranges:
        return True
    if isinstance(value, Literal):
        return "Text" in ranges
    if "URL" in ranges:
        return True
    types = _schema_types(
        row[0] for row in store.query(f"SELECT ?type WHERE {{ {value} <{RDF_TYPE}> ?type }}")
    )
    return not types or _any_within(vocabulary, types, ranges)


def _lacking(store: Store, vocabulary: Vocabulary, wired: dict) -> dict[str, set[str]]:
    """The pages (as Turtle: ``<iri>``) without each property in a graph other than this
    step's own: Oxigraph tells them apart (a site that writes its wiring has none to
    hand over), and its answer is read as TSV (whose terms are Turtle's), not made into
    Python terms one by one."""
    query = (
        f"SELECT ?page ?prop WHERE {{ VALUES ?type {{ {_terms(vocabulary.subtypes('WebPage'))} }} "
        f"?page <{RDF_TYPE}> ?type . VALUES ?prop {{ {_terms(wired)} }} "
        f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?page ?prop ?value }} FILTER (?g != {GRAPH}) }} }}"
    )
    lacking: dict[str, set[str]] = {f"<{SCHEMA}{prop}>": set() for prop in wired}
    rows = store.query(query).serialize(format=QueryResultsFormat.TSV).decode("utf-8").split("\n")[1:]
    for row in rows:
        page, _, prop = row.partition("\t")
        if prop:
            lacking[prop].add(page)
    return {term[len(SCHEMA) + 1 : -1]: pages for term, pages in lacking.items()}


def _refused(store: Store, vocabulary: Vocabulary, wired: dict) -> dict[str, set[NamedNode]]:
    """The pages none of whose types the vocabulary gives a property to, by property.
    Asked of the store only if some page type is refused one (schema.org refuses none)."""
    page_types = vocabulary.subtypes("WebPage")
    refusing = {
        prop: domains
        for prop in wired
        if (domains := vocabulary.domains(prop))
        and not all(_any_within(vocabulary, (name,), domains) for name in page_types)
    }
    if not refusing:
        return {}
    query = (
        f"SELECT ?page ?type WHERE {{ VALUES ?pageType {{ {_terms(page_types)} }} "
        f"?page <{RDF_TYPE}> ?pageType , ?type }}"
    )
    types: dict[NamedNode, set[NamedNode]] = {}
    for page, type_ in store.query(query):
        types.setdefault(page, set()).add(type_)
    return {
        prop: {
            page for page, its in types.items() if not _any_within(vocabulary, _schema_types(its), domains)
        }
        for prop, domains in refusing.items()
    }


def _any_within(vocabulary: Vocabulary, types, allowed: frozenset[str]) -> bool:
    """Whether one of the types is one of ``allowed`` or below one (as schema.org
    counts a domain or range: with inheritance)."""
    return any(vocabulary.ancestors(name) & allowed for name in types)


def _terms(names) -> str:
    """schema.org names as a SPARQL VALUES list, in a fixed order."""
    return " ".join(f"<{SCHEMA}{name}>" for name in sorted(names))


def _schema_types(types) -> set[str]:
    """The schema.org names among types (other vocabularies' are not judged by ours)."""
    return {term.value[len(SCHEMA) :] for term in types if term.value.startswith(SCHEMA)}
