"""Which predicates a SPARQL query can read: its results depend only on the triples
with those predicates, so a change that touches none of them leaves them as they were.

The query is parsed by rdflib's SPARQL parser (the algebra, EXISTS patterns included);
a variable or a negated set in a predicate position can read any triple (None). A
shape's targets and paths name their predicates (``shacl_sparql.rule_footprint``).
"""

from __future__ import annotations

from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef


def footprint(sparql: str) -> frozenset[str] | None:
    """The predicate IRIs the query's patterns name, or None if they may be any."""
    found: set[str] = set()
    if not _walk(prepareQuery(sparql).algebra, found, set()):
        return None
    return frozenset(found)


def _walk(node, found: set[str], seen: set[int]) -> bool:
    """Collect predicates under ``node``; False if some pattern's predicate may be any."""
    if id(node) in seen:
        return True
    seen.add(id(node))
    bounded = True
    if isinstance(node, CompValue) and node.name in ("BGP", "TriplesBlock"):
        for triple in node.get("triples") or ():
            bounded = _predicate(triple[1], found) and bounded
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    else:
        return bounded
    for child in children:
        bounded = _walk(child, found, seen) and bounded
    return bounded


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
