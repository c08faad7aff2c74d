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

from pyoxigraph import NamedNode, RdfFormat

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
            store.add_text(turtle, RdfFormat.TURTLE, graph.value, graph)
    store.flush()
