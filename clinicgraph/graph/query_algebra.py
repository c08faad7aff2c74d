"""A SPARQL query's algebra walked for what it reads (``graph.query_footprint``): the
predicates its patterns name, and whether every pattern's subject is ``?this``. Apart,
since importing rdflib's SPARQL parser costs 0.7 s that a command not asking pays not."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

_THIS = Variable("this")


class Walk:
    @classmethod
    def of(cls, sparql: str, prefixes: dict[str, str] | None, base: str | None) -> Walk:
        walk = cls()
        walk(prepareQuery(sparql, initNs=prefixes or {}, base=base).algebra)
        return walk

    def __init__(self):
        self.found: set[str] = set()
        self.unbounded = self.elsewhere = False  # a predicate may be any; a subject other than ?this
        self.projections = 0
        self._seen: set[int] = set()

    def __call__(self, node) -> None:
        if id(node) in self._seen:
            return
        self._seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name in ("BGP", "TriplesBlock"):
                for triple in node.get("triples") or ():
                    self.unbounded |= not _predicate(triple[1], self.found)
                    # a path from ?this reads the triples of the nodes it passes through
                    self.elsewhere |= triple[0] != _THIS or not isinstance(triple[1], (URIRef, Variable))
            self.projections += node.name == "Project"
        children: Iterable
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, (list, tuple)):
            children = node
        else:
            return
        for child in children:
            self(child)


def _predicate(path, found: set[str]) -> bool:
    if isinstance(path, URIRef):
        found.add(str(path))
        return True
    if isinstance(path, InvPath):
        return _predicate(path.arg, found)
    if isinstance(path, MulPath):
        return _predicate(path.path, found)
    if isinstance(path, (SequencePath, AlternativePath)):
        return all([_predicate(item, found) for item in path.args])
    if isinstance(path, CompValue) and "Negated" not in path.name:  # a path not yet translated
        parts = [value for value in path.values() if not isinstance(value, (str, set))]
        return all([_predicate(part, found) for part in _flatten(parts)]) and bool(parts)
    return False  # a variable, a negated property set: any predicate


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item
