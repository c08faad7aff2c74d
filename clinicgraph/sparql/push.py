"""Replace a named graph of a SPARQL 1.1 store with the project's graph.

First choice, the Graph Store HTTP Protocol: one PUT of the graph, which a store that
makes each request a transaction (Oxigraph, Virtuoso) applies atomically. It is sent as
Turtle, the format every graph store reads: Virtuoso 7 guesses the type of a body from
its start whatever Content-Type says, and takes N-Triples whose first lines hold long
texts for plain text, where a leading ``@prefix`` makes it Turtle. Where the
store has no graph store, SPARQL 1.1 Update: ``DROP SILENT GRAPH`` and the insert in
one request, split into several (no longer atomic, and the summary says so) only when
the graph is larger than ``chunk_triples``.

Blank nodes stay blank nodes: their labels mean one node inside one request, so every
triple reaching a blank node goes in the same request as the others reaching it, and
an insert holding blank nodes is written ``INSERT { ... } WHERE {}`` (standard, and the
form Virtuoso 7 accepts: it refuses blank nodes in ``INSERT DATA``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pyoxigraph import BlankNode, RdfFormat, Triple

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.sparql.remote import Endpoint, Unsupported, check_iri
from clinicgraph.vocab.namespaces import PREFIXES

METHODS = ("auto", "graph-store", "update")
# Triples per Update request. Stores compile a request as one statement: Virtuoso 7's
# SPARQL parser runs out of stack near 5,000 triples ("SP030 ... memory exhausted").
CHUNK_TRIPLES = 2000


@dataclass
class PushReport:
    triples: int
    graph: str
    url: str
    method: str  # "graph store protocol" or "SPARQL update"
    requests: int
    seconds: float
    note: str = ""  # why the method fell back

    def summary(self) -> str:
        requests = (
            "1 request"
            if self.requests == 1
            else f"{self.requests} requests, not atomic: the graph was larger than one request"
        )
        note = f"; {self.note}" if self.note else ""
        return (
            f"pushed {self.triples} triples to graph <{self.graph}> at {self.url} "
            f"in {self.seconds:.2f} s ({self.method}, {requests}{note})"
        )


def push(
    endpoint: Endpoint,
    triples: list[Triple],
    graph: str,
    method: str = "auto",
    chunk_triples: int = CHUNK_TRIPLES,
) -> PushReport:
    """Make ``graph`` in the store hold exactly ``triples``."""
    if method not in METHODS:
        raise ClinicgraphError(f"the method must be one of {', '.join(METHODS)}, not {method!r}")
    check_iri(graph)
    started = time.perf_counter()
    note = ""
    if method in ("auto", "graph-store"):
        try:
            endpoint.put_graph(graph, rdf_bytes(triples, RdfFormat.TURTLE, PREFIXES))
            return PushReport(
                len(triples),
                graph,
                endpoint.graph_store_url,
                "graph store protocol",
                1,
                time.perf_counter() - started,
            )
        except Unsupported as error:
            if method == "graph-store":
                raise
            note = f"no graph store at {endpoint.graph_store_url} (HTTP {error.status})"
    requests = update_requests(triples, graph, chunk_triples)
    for text in requests:
        endpoint.update(text)
    return PushReport(
        len(triples),
        graph,
        endpoint.update_url,
        "SPARQL update",
        len(requests),
        time.perf_counter() - started,
        note,
    )


def update_requests(triples: list[Triple], graph: str, chunk_triples: int = CHUNK_TRIPLES) -> list[str]:
    """SPARQL Update requests that replace ``graph`` with ``triples``: one when they fit."""
    chunks: list[list[Triple]] = [[]]
    for group in blank_node_groups(triples):
        if chunks[-1] and len(chunks[-1]) + len(group) > chunk_triples:
            chunks.append([])
        chunks[-1].extend(group)
    requests = [_insert(chunk, graph) for chunk in chunks if chunk]
    drop = f"DROP SILENT GRAPH <{graph}>"
    return [f"{drop} ;\n{requests[0]}"] + requests[1:] if requests else [drop]


def blank_node_groups(triples: list[Triple]) -> list[list[Triple]]:
    """The triples in groups that must travel together: each triple without blank nodes
    alone, and those linked through blank nodes together (in their original order)."""
    parent: dict[BlankNode, BlankNode] = {}

    def root(node: BlankNode) -> BlankNode:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        if isinstance(triple.subject, BlankNode) and isinstance(triple.object, BlankNode):
            parent[root(triple.subject)] = root(triple.object)
    groups: dict[object, list[Triple]] = {}
    for index, triple in enumerate(triples):
        blank = next((t for t in (triple.subject, triple.object) if isinstance(t, BlankNode)), None)
        groups.setdefault(root(blank) if blank is not None else index, []).append(triple)
    return list(groups.values())


def _insert(triples: list[Triple], graph: str) -> str:
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    if any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"
