"""Derivation: the step between the store and everything that reads it.

sources -> store -> **derive** -> checks / exporters / sparql. Once the sources are
loaded, derivation writes what clinics would otherwise write by hand on every page (a
page's breadcrumb trail from its URL; later its links to the site and publisher, and
users' rules/*.rq). What it writes goes into the store like the sources' triples, so
it is validated, queried, exported and byte-stable like them.

**The rule of named graphs.** Each source file is one named graph
(``urn:clinicgraph:source:<relpath>``, graph/ids.py); each derivation step writes into
a named graph of its own, ``urn:clinicgraph:derived:<step>``
(``urn:clinicgraph:derived:breadcrumbs``), so that ``export --format nquads`` and SPARQL's
``GRAPH`` tell derived triples from written ones, and a step can be run again by
replacing its graph alone. A step never reads its own graph as input: a page whose
breadcrumb is the one derived last time still has no breadcrumb of its own.

Derived nodes are named after the page (or level) URL they belong to, with the reserved
fragment prefix ``cg:`` (``{page-url}#cg:breadcrumb``, ids.derived_node), so output is
the same from run to run and no node the sources name is extended by accident.

What a step finds worth telling (a level left out of the trails) comes back as
:class:`Finding` data; the commands turn them into report lines.

    derived = derive(store, site, pages)   # pages: graph.pages.find_pages(...)
    apply(store, derived)

This room imports graph, vocab and errors only; nothing below it imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from clinicgraph.graph import ids
from clinicgraph.graph.config import Site
from clinicgraph.graph.pages import Page
from clinicgraph.graph.store import Store
from clinicgraph.vocab.vocabulary import Vocabulary, builtin_vocabulary

STEPS = ("wiring", "breadcrumbs")  # in the order they run; rules/*.rq come in later


@dataclass(frozen=True)
class Finding:
    """Something a derivation step tells the user: an info, never an error (what it
    cannot derive it leaves out). ``path`` is the site path concerned (``/conditions/``)."""

    rule: str  # "derive/breadcrumb-level-unnamed"
    severity: str
    message: str
    hint: str | None = None
    path: str | None = None
    node: str | None = None  # the node concerned, if one: the finding is located where it is written


@dataclass
class Derived:
    """What the steps wrote, and what they found. ``graphs`` holds every step's graph
    (the graph's IRI -> its triples as Turtle, "" for none), so that :func:`apply`
    replaces each, and a step switched off takes away what it wrote in an earlier
    build. Turtle, since the store parses text in far less time than it takes Python
    to make the same quads one object at a time (150,000 pages' breadcrumbs are over a
    million triples)."""

    graphs: dict[NamedNode, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def extend(self, other: Derived) -> None:
        self.graphs |= other.graphs
        self.findings += other.findings


def derive(store: Store, site: Site, pages: list[Page], vocabulary: Vocabulary | None = None) -> Derived:
    """What every step that ``site.derive`` switches on derives from the store: nothing
    is written to it (see :func:`apply`). ``vocabulary``: the one the pages were found
    with (the built-in one if not given)."""
    from clinicgraph.derive.breadcrumbs import derive_breadcrumbs
    from clinicgraph.derive.wiring import derive_wiring

    derived = Derived({step_graph(step): "" for step in STEPS})
    if site.derive.runs("wiring"):
        derived.extend(
            derive_wiring(store, site, pages, builtin_vocabulary() if vocabulary is None else vocabulary)
        )
    if site.derive.runs("breadcrumbs"):
        derived.extend(derive_breadcrumbs(store, site, pages))
    return derived


def step_graph(step: str) -> NamedNode:
    return NamedNode(ids.derived_graph(step))


def apply(store: Store, derived: Derived) -> None:
    """Replace the steps' graphs in the store with what they derived."""
    for graph, turtle in derived.graphs.items():
        store.drop_graph(graph)
        if turtle:
            store.add_text(turtle, RdfFormat.TURTLE, graph.value, graph, written_here=True)
    store.flush()


def patch(store: Store, derived: Derived, earlier: dict[str, str]) -> tuple[set[Triple], set[Triple]]:
    """Bring each step's graph from the Turtle it was last loaded from (``earlier``, by
    graph IRI: every step's) to what was derived now, statement by statement: the
    triples taken out and those put in. A statement is a line of a step's Turtle (its
    terms are written as N-Triples writes them: no line breaks) and each subject has
    one line of a step's own, so the triples of a line are its own. An incremental
    load changes a few lines of a million: this spares the store dropping and indexing
    the rest again."""
    removed: set[Triple] = set()
    added: set[Triple] = set()
    for graph, turtle in derived.graphs.items():
        (head, now), (old_head, before) = _statements(turtle), _statements(earlier[graph.value])
        taken = _triples(old_head, before - now, graph)
        store.remove_quads([Quad(t.subject, t.predicate, t.object, graph) for t in taken])
        if now - before:
            store.add_text(
                head + "".join(now - before), RdfFormat.TURTLE, graph.value, graph, written_here=True
            )
        removed |= taken
        added |= _triples(head, now - before, graph)
    store.flush()
    return removed, added


def _statements(turtle: str) -> tuple[str, set[str]]:
    """A step's Turtle as its prefix lines and its statements, each with its line break."""
    lines = [line + "\n" for line in turtle.split("\n") if line.strip()]  # not splitlines: U+2028 ends none
    head = "".join(line for line in lines if line.startswith("@prefix"))
    return head, {line for line in lines if not line.startswith("@prefix")}


def _triples(head: str, statements: set[str], graph: NamedNode) -> set[Triple]:
    if not statements:
        return set()
    quads = parse(input=head + "".join(statements), format=RdfFormat.TURTLE, base_iri=graph.value)
    return {Triple(q.subject, q.predicate, q.object) for q in quads}
