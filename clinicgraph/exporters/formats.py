"""One function per export format: (store, page members or None) -> bytes."""

from __future__ import annotations

from clinicgraph.exporters.jsonld import dumps, graph_document, members_document
from clinicgraph.exporters.rdf import dump_quads, dump_triples, triples_of
from clinicgraph.graph.store import Store


def jsonld(store: Store, members=None) -> bytes:
    if members is None:
        return dumps(graph_document(store))
    return dumps(members_document(store, members))


def _triples(store: Store, members):
    return store.triples() if members is None else triples_of(store, members)


def turtle(store: Store, members=None) -> bytes:
    return dump_triples(_triples(store, members), "turtle")


def ntriples(store: Store, members=None) -> bytes:
    return dump_triples(_triples(store, members), "nt")


def rdfxml(store: Store, members=None) -> bytes:
    return dump_triples(_triples(store, members), "xml")


def nquads(store: Store, members=None) -> bytes:
    quads = store.quads()
    if members is not None:
        wanted = set(members)
        quads = [quad for quad in quads if quad.subject in wanted]
    return dump_quads(quads)
