"""Which predicates a SPARQL query can read: its results depend only on the triples
with those predicates, so a change that touches none of them leaves them as they were.
The incremental checks ask it of shape queries, derivation of rules/*.rq.

The query is parsed by rdflib's SPARQL parser (the algebra, EXISTS patterns included:
``graph.query_algebra``); a variable or a negated set in a predicate position can read any triple (None). A
shape's targets and paths name their predicates (``checks.shacl_sparql.rule_footprint``).
"""

from __future__ import annotations

from dataclasses import dataclass


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
    from clinicgraph.graph.query_algebra import Walk  # rdflib's parser: 0.7 s to import, so only when asked

    walk = Walk.of(sparql, prefixes, base)
    return Footprint(
        None if walk.unbounded else frozenset(walk.found), not walk.elsewhere and walk.projections == 1
    )
