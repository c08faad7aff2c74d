"""Which predicates a SPARQL query can read: its results depend only on the triples
with those predicates, so a change that touches none of them leaves them as they were.
The incremental checks ask it of shape queries, derivation of rules/*.rq.

The query is parsed by rdflib's SPARQL parser (the algebra, EXISTS patterns included);
a variable or a negated set in a predicate position can read any triple (None). A
shape's targets and paths name their predicates (``checks.shacl_sparql.rule_footprint``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

_THIS = Variable("this")


@dataclass(frozen=True)
class Footprint:
    """What a query's results can depend on."""

    reads: frozenset[str] | None  # the predicates its patterns name; None: any
    focus_only: bool  # every pattern's subject is ?this, and no subquery


def footprint(sparql: str, prefixes: dict[str, str] | None = None, base: str | None = None) -> Footprint:
    """What a query's results can depend on (``prefixes``: those it uses undeclared).
    ``focus_only``: a focus node's results depend on its own triples alone (``$this ?p
    ?o``, whatever ``?p``), so after a change only the subjects of changed triples need
    asking again."""
    walk = _Walk()
    walk(prepareQuery(sparql, initNs=prefixes or {}, base=base).algebra)
    return Footprint(
        None if walk.unbounded else frozenset(walk.found), not walk.elsewhere and walk.projections == 1
    )


class _Walk:
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
