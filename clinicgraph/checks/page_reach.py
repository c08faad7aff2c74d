"""What every page's document holds, summed up for a whole site at once.

A page's document is its node and every node it reaches through nodes that have
triples of their own, not entering other pages (``graph.pages.closure``). Walking that
closure page by page re-reads the shared part (the clinic, its reviews) once per page:
142 s for the 20,100 pages of the medium benchmark site. Here the links are read in
three queries, and what a node reaches is computed once per node, by strongly connected
components (a clinic and its practitioners link both ways), so the whole is linear in
the links; a page's document is then the union over its node and its children.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pyoxigraph import BlankNode

from clinicgraph.graph.store import Store
from clinicgraph.vocab.namespaces import RDF_TYPE, schema_term

NONE: frozenset = frozenset()


class Links:
    """The store's links between nodes, and each node's schema.org types (by name)."""

    def __init__(self, store: Store, pages: set):
        self.pages = pages  # not entered: a page refers to another, it does not hold it
        self.links: dict[object, set] = {}
        query = f"SELECT ?s ?o WHERE {{ ?s ?p ?o FILTER(!isLiteral(?o) && ?s != ?o && ?p != <{RDF_TYPE}>) }}"
        for subject, obj in store.query(query):
            self.links.setdefault(subject, set()).add(obj)
        self.types: dict[object, frozenset[str]] = {}
        for node, kind in store.query(f"SELECT ?s ?t WHERE {{ ?s <{RDF_TYPE}> ?t }}"):
            if name := schema_term(kind.value):
                self.types[node] = self.types.get(node, NONE) | {name}
        self.described = {row[0] for row in store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")}

    def children(self, node) -> list:
        """The nodes of a document that ``node`` brings into it."""
        return [
            child for child in self.links.get(node, ()) if child in self.described and child not in self.pages
        ]

    def documents(self, own: Callable[[object], frozenset]) -> Callable[[object], frozenset]:
        """page node -> the union of ``own`` over its document's nodes."""
        roots = [child for page in self.pages for child in self.children(page)]
        reached = _reach(self, own, roots)
        return lambda page: own(page).union(*(reached[child] for child in self.children(page)))


def node_id(node) -> str:
    """A node as findings name it (``Diagnostic.node``)."""
    return f"_:{node.value}" if isinstance(node, BlankNode) else node.value


def _reach(links: Links, own, roots: Iterable) -> dict[object, frozenset]:
    """For each node reachable from ``roots``: the union of ``own`` over every node it
    reaches, itself included. Tarjan's strongly connected components, iteratively: each
    component is closed once, after the components it links to."""
    index: dict[object, int] = {}
    low: dict[object, int] = {}
    stack: list = []
    on_stack: set = set()
    reached: dict[object, frozenset] = {}

    def enter(node) -> tuple:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return node, iter(links.children(node))

    for root in roots:
        if root in index:
            continue
        work = [enter(root)]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    work.append(enter(child))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    _close(node, stack, on_stack, reached, links, own)
    return reached


def _close(head, stack: list, on_stack: set, reached: dict, links: Links, own) -> None:
    """Pop the component ``head`` leads: its nodes reach what each of them reaches."""
    members: list = []
    while not members or members[-1] != head:
        members.append(stack.pop())
        on_stack.discard(members[-1])
    value = NONE.union(
        *map(own, members),
        *(reached[child] for member in members for child in links.children(member) if child in reached),
    )
    for member in members:
        reached[member] = value
