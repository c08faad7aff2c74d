"""Where the blank nodes of a Turtle or N-Triples file are written.

The loader names blank nodes in the order they appear in Oxigraph's output
(``loaded.normalized``), and Oxigraph gives no positions. So each blank node is found
by where it hangs, read once from Oxigraph's quads and once from the text:

- a labelled one (``_:x``) by its label, which Oxigraph keeps;
- an anonymous one (``[ ... ]``, a collection's cell) by its path: the node holding
  it, the predicate, and its rank among that node's anonymous values of that
  predicate (siblings appear in the order written); one that hangs from nothing (a
  ``[ ... ]`` or a collection as subject) by its rank among those.

A node is placed at its ``[`` (a cell at its item, a labelled node at the first
statement it is the subject of), each of its properties at the predicate. If the two
readings do not give the same anonymous paths, anonymous nodes are left unplaced
rather than placed wrong (the locator then names the property holding them). Built
only when a diagnostic asks about a blank node of the file.
"""

from __future__ import annotations

from collections import Counter

from pyoxigraph import BlankNode, NamedNode, parse

from clinicgraph.graph.loaded import normalized
from clinicgraph.graph.turtle_lines import bind_prefix, token_iri, tokens_of
from clinicgraph.vocab.namespaces import RDF_TYPE, normalize_schema_iri

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_FIRST, RDF_REST, RDF_NIL = RDF + "first", RDF + "rest", RDF + "nil"


class TurtleBlanks:
    """``nodes``: ``_:label`` (as in the store) -> line; ``values``: (``_:label``,
    predicate) -> line."""

    def __init__(self, text: str, base: str, relpath: str, syntax):
        self.nodes: dict[str, int] = {}
        self.values: dict[tuple[str, str], int] = {}
        try:
            written = _Written(text, base)
        except (TypeError, ValueError):  # a construct this reading does not know (RDF 1.2's << >>)
            return
        quads = list(parse(text, format=syntax, base_iri=base))
        names: dict[str, BlankNode] = {}
        normalized(quads, relpath, names)
        paths = _paths(quads, written.labels)
        anonymous_agree = {path for path in paths.values() if path[0] != "_:"} == written.anonymous
        for label, path in paths.items():
            if path[0] != "_:" and not anonymous_agree:
                continue
            key = f"_:{names[label].value}"
            if path in written.nodes:
                self.nodes[key] = written.nodes[path]
            for predicate, line in written.values.get(path, {}).items():
                self.values[key, predicate] = line

    def node_line(self, key: str) -> int | None:
        return self.nodes.get(key)

    def value_line(self, key: str, predicate: str) -> int | None:
        return self.values.get((key, predicate))


def _paths(quads, labels: set[str]) -> dict[str, tuple]:
    """Each blank node of Oxigraph's quads (by its parser label) -> its path."""
    holder: dict[str, tuple] = {}  # anonymous label -> (holding term, predicate, rank)
    ranks: Counter = Counter()
    tops: dict[str, int] = {}
    for quad in quads:
        obj = quad.object
        if isinstance(obj, BlankNode) and obj.value not in labels and obj.value not in holder:
            via = (quad.subject, normalize_schema_iri(quad.predicate.value))
            holder[obj.value] = (*via, ranks[via])
            ranks[via] += 1
    for quad in quads:
        for node in (quad.subject, quad.object):
            if isinstance(node, BlankNode) and node.value not in labels and node.value not in holder:
                tops.setdefault(node.value, len(tops))
    paths: dict[str, tuple] = {}

    def path(term) -> tuple:
        if isinstance(term, NamedNode):
            return ("<", normalize_schema_iri(term.value))
        label = term.value
        if label not in paths:
            if label in labels:
                paths[label] = ("_:", label)
            elif label in holder:
                parent, predicate, rank = holder[label]
                paths[label] = (path(parent), predicate, rank)
            else:
                paths[label] = ("top", tops[label])
        return paths[label]

    for quad in quads:
        for node in (quad.subject, quad.object):
            if isinstance(node, BlankNode):
                path(node)
    return paths


class _Written:
    """The text read for its blank nodes: a node's path -> the line of its ``[`` (or of
    a cell's item, or of a labelled node's first statement), and of each predicate."""

    def __init__(self, text: str, base: str):
        self.tokens = tokens_of(text)
        self.ahead = None
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.labels: set[str] = set()
        self.anonymous: set[tuple] = set()
        self.nodes: dict[tuple, int] = {}
        self.values: dict[tuple, dict[str, int]] = {}
        self.ranks: Counter = Counter()
        self.tops = 0
        while self.peek() is not None:
            self.statement()

    def peek(self):
        if self.ahead is None:
            self.ahead = next(self.tokens, None)
        return self.ahead

    def take(self):
        token, self.ahead = self.peek(), None
        return token

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "punct" and token[1] in values

    def statement(self) -> None:
        kind, value, line = self.take()
        if kind == "directive":
            self.directive(value)
        else:
            subject = self.subject(kind, value, line)
            self.predicates(subject)
        if self.at("."):
            self.take()

    def directive(self, value: str) -> None:
        if value.lower().endswith("prefix"):
            name, iri = self.take()[1], self.take()[1]
            bind_prefix(self.prefixes, name, token_iri(iri, self.base, {}))
        else:
            self.base = token_iri(self.take()[1], self.base, {}) or ""

    def subject(self, kind: str, value: str, line: int) -> tuple:
        if value == "[":
            return self.property_list(("top", self.next_top()), line)
        if value == "(":
            return self.collection(None, None, line) or ("<", RDF_NIL)
        if kind == "blank":
            self.labels.add(value[2:])
            path = ("_:", value[2:])
            self.nodes.setdefault(path, line)
            return path
        return ("<", token_iri(value, self.base, self.prefixes))

    def next_top(self) -> int:
        self.tops += 1
        return self.tops - 1

    def predicates(self, subject: tuple) -> None:
        while self.peek() is not None and not self.at(".", "]"):
            if self.at(";"):
                self.take()
                continue
            _, value, line = self.take()
            predicate = RDF_TYPE if value == "a" else token_iri(value, self.base, self.prefixes)
            if predicate is not None:  # None: a name the scanner cannot resolve, never asked about
                self.values.setdefault(subject, {}).setdefault(predicate, line)
            self.object(subject, predicate)
            while self.at(","):
                self.take()
                self.object(subject, predicate)

    def object(self, holder: tuple, predicate: str | None) -> None:
        kind, value, line = self.take()
        if value == "[" and kind == "punct":
            self.property_list(self.hung(holder, predicate), line)
        elif value == "(" and kind == "punct":
            self.collection(holder, predicate, line)
        elif kind == "blank":
            self.labels.add(value[2:])
        elif (
            kind == "string"
            and self.peek() is not None
            and self.peek()[0] in ("lang", "datatype")
            and self.take()[0] == "datatype"
        ):
            self.take()  # the datatype's IRI

    def hung(self, holder: tuple | None, predicate: str | None) -> tuple:
        """The path of the next anonymous node held by ``holder`` through ``predicate``."""
        if holder is None:
            return ("top", self.next_top())
        path = (holder, predicate, self.ranks[holder, predicate])
        self.ranks[holder, predicate] += 1
        return path

    def property_list(self, path: tuple, line: int) -> tuple:
        self.anonymous.add(path)
        self.nodes[path] = line
        self.predicates(path)
        self.take()  # ]
        return path

    def collection(self, holder: tuple | None, predicate: str | None, line: int) -> tuple | None:
        """A collection's cells: the first hangs from ``holder``, each next from the one
        before by rdf:rest. Its first cell's path, or None for ``()`` (rdf:nil)."""
        first = None
        while self.peek() is not None and not self.at(")"):
            path = self.hung(holder, predicate)
            self.anonymous.add(path)
            self.nodes[path] = self.peek()[2]
            self.values[path] = {RDF_FIRST: self.peek()[2]}
            first = first or path
            self.object(path, RDF_FIRST)
            holder, predicate = path, RDF_REST
        self.take()  # )
        return first
