"""Graph -> schema.org JSON-LD, compacted against the official context, deterministic.

Every document is ``{"@context": "https://schema.org", "@graph": [...]}``. Keys are
schema.org terms; values are written so that expanding with the official context gives
back exactly the graph's triples: a string for an ``@id``-coerced term is an IRI, so a
literal there is written ``{"@value": ...}``; numbers are written as JSON numbers only
when JSON-LD would read them back as the same literal.

In a page document a node referred to once is written where it is referred to (the
clinic's address inside the clinic); a node referred to more than once stands at the
top of ``@graph`` and is referred to by ``@id``.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from functools import lru_cache

import orjson
from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.graph.literals import XSD_STRING, native_value
from clinicgraph.graph.pages import Page
from clinicgraph.graph.store import Node, Store
from clinicgraph.vocab.context import ID, coercion, term_for
from clinicgraph.vocab.namespaces import RDF_TYPE, schema_term

CONTEXT = "https://schema.org"
_DIGITS = re.compile(r"(\d+)")


def members_document(store: Store, members: list[Node]) -> dict:
    """The document of some nodes, the first being the root (a page's share of the graph)."""
    return _Writer(store, members, embed_named=True).document()


def graph_document(store: Store) -> dict:
    """The whole graph as one JSON-LD document (every named node at the top)."""
    return _Writer(store, store.subjects(), embed_named=False).document()


def dumps(document: dict) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


class PageExporter:
    """Page documents for a whole site, building shared parts once.

    A node referred to by exactly one triple in the whole graph ("private": a clinic's
    address, a condition's causes) is embedded wherever it appears. A node whose every
    descendant is private ("sealed": a condition with its causes, a clinic with its
    reviews) therefore renders the same in every page, so it is built once and reused,
    and a page's walk need not enter it. Output is identical to ``members_document`` of the
    page's ``closure`` (a test compares the two).

    Memory grows with the shared part of the graph, not with the pages: what is kept
    is about non-page nodes; a page is described once, while its document is made.
    """

    def __init__(self, store: Store, pages: set[NamedNode]):
        self.store, self.pages = store, pages
        self.sealed: dict[Node, bool] = {}
        self.rendered: dict[Node, dict] = {}
        self._described: dict[Node, tuple] = {}
        self._private: dict[Node, bool] = {}
        self._child_lists: dict[Node, list[Node]] = {}
        self._page: tuple = (None, ())

    def document(self, page: Page) -> dict:
        members, referrers = self._members(page.node)
        return _Writer(self.store, members, embed_named=True, exporter=self, referrers=referrers).document()

    def describe(self, node: Node) -> tuple:
        if node in self.pages:
            if self._page[0] != node:
                self._page = (node, self.store.describe(node))
            return self._page[1]
        found = self._described.get(node)
        if found is None:
            found = self._described[node] = self.store.describe(node)
        return found

    def is_private(self, node: Node) -> bool:
        found = self._private.get(node)
        if found is None:
            found = self._private[node] = self.store.referred_once(node)
        return found

    def is_sealed(self, node: Node) -> bool:
        found = self.sealed.get(node)
        if found is None:
            self.sealed[node] = False  # a cycle back to this node seals nothing
            found = all(self.is_private(child) and self.is_sealed(child) for child in self._children(node))
            self.sealed[node] = found
        return found

    def embeds(self, node: Node) -> bool:
        """Inside a sealed node every node is private and sealed: always embedded."""
        return (
            node not in self.pages
            and self.is_private(node)
            and bool(self.describe(node))
            and self.is_sealed(node)
        )

    def _children(self, node: Node) -> list[Node]:
        """The member nodes a node's document entry refers to (not pages, not bare links),
        once per triple; kept for every node but pages."""
        found = self._child_lists.get(node)
        if found is None:
            found = [
                obj
                for _, obj in self.describe(node)
                if isinstance(obj, (NamedNode, BlankNode))
                and obj != node
                and obj not in self.pages
                and self.describe(obj)
            ]
            if node not in self.pages:
                self._child_lists[node] = found
        return found

    def _members(self, root: NamedNode) -> tuple[list[Node], Counter]:
        """``closure`` without entering sealed nodes (what is inside them is embedded),
        and how many triples of the members refer to each member. A sealed member's
        children count for nothing: they are private to it, so never members."""
        members: list[Node] = [root]
        queue: deque[Node] = deque([root])
        seen: set[Node] = {root}
        referrers: Counter = Counter()
        while queue:
            children = self._children(queue.popleft())
            referrers.update(children)
            for child in children:
                if child not in seen:
                    seen.add(child)
                    members.append(child)
                    if not self.is_sealed(child):
                        queue.append(child)
        return members, referrers


class _Writer:
    def __init__(
        self,
        store: Store,
        members: list[Node],
        embed_named: bool,
        exporter: PageExporter | None = None,
        referrers: Counter | None = None,
    ):
        self.exporter = exporter
        self.describe = exporter.describe if exporter is not None else store.describe
        if referrers is None:
            in_members = set(members)
            referrers = Counter(
                obj for node in members for _, obj in self.describe(node) if obj in in_members and obj != node
            )
        root = members[0] if embed_named and members else None
        self.embedded = {
            node
            for node in members
            if referrers[node] == 1 and node != root and (embed_named or isinstance(node, BlankNode))
        }
        self.top = [node for node in members if node not in self.embedded]
        shared_blanks = [node for node in self.top if isinstance(node, BlankNode)]
        self.labels = {node: f"_:b{index}" for index, node in enumerate(shared_blanks)}

    def document(self) -> dict:
        return {"@context": CONTEXT, "@graph": [self.node(node) for node in self.top]}

    def node(self, node: Node) -> dict:
        exporter = self.exporter
        if exporter is not None and exporter.is_sealed(node):
            out = exporter.rendered.get(node)
            if out is None:
                out = exporter.rendered[node] = self._build(node)
            return out
        return self._build(node)

    def _build(self, node: Node) -> dict:
        out: dict = {}
        if isinstance(node, NamedNode):
            out["@id"] = node.value
        elif node in self.labels:
            out["@id"] = self.labels[node]
        types: list[str] = []
        properties: dict[str, list] = {}
        for predicate, obj in self.describe(node):
            if predicate.value == RDF_TYPE and isinstance(obj, NamedNode):
                types.append(_type_name(obj.value))
            else:
                key, kind = _predicate(predicate.value)
                properties.setdefault(key, []).append(self.value(kind, obj))
        if types:
            out["@type"] = types[0] if len(types) == 1 else sorted(types)
        for key in sorted(properties):
            values = properties[key]
            if len(values) == 1:
                out[key] = values[0]
            else:
                values.sort(key=_value_key)
                out[key] = values
        return out

    def value(self, kind: str | None, obj):
        if isinstance(obj, Literal):
            return _literal(obj, kind)
        if obj in self.embedded or (self.exporter is not None and self.exporter.embeds(obj)):
            return self.node(obj)
        reference = obj.value if isinstance(obj, NamedNode) else self.labels.get(obj, f"_:{obj.value}")
        return reference if kind == ID and isinstance(obj, NamedNode) else {"@id": reference}


def _literal(literal: Literal, kind: str | None):
    if literal.language:
        return {"@value": literal.value, "@language": literal.language}
    datatype = literal.datatype
    if datatype == XSD_STRING:
        return literal.value if kind is None else {"@value": literal.value}
    if kind is not None and datatype.value == kind:
        return literal.value  # e.g. a schema:Date on a Date-coerced term
    native = native_value(literal)
    if native is not None:
        return native
    return {"@value": literal.value, "@type": datatype.value}


@lru_cache(maxsize=4096)
def _type_name(iri: str) -> str:
    local = schema_term(iri)
    return term_for(local) if local else iri


@lru_cache(maxsize=4096)
def _predicate(iri: str) -> tuple[str, str | None]:
    """A predicate's key in the document, and how the context coerces its strings."""
    local = schema_term(iri)
    if local is None:
        return iri, None
    return term_for(local), coercion(local)


def _value_key(value) -> tuple:
    """Sort values stably and naturally (cause-2 before cause-10)."""
    if isinstance(value, dict):
        text = value.get("@id") or orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        rank = 1
    else:
        text, rank = str(value), 0
    return (rank, [int(part) if part.isdecimal() else part for part in _DIGITS.split(text)])
