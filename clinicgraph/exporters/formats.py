"""One function per export format: (store, page members or None) -> bytes."""

from __future__ import annotations

from pyoxigraph import RdfFormat

from clinicgraph.exporters.jsonld import dumps, graph_document, members_document
from clinicgraph.exporters.rdf import dump_graph, dump_triples, triples_of
from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.graph.store import Store


def jsonld(store: Store, members=None) -> bytes:
    if members is None:
        return dumps(graph_document(store))
    return dumps(members_document(store, members))


def _triples(name: str):
    def export(store: Store, members=None) -> bytes:
        if members is None:
            return dump_graph(store, name)
        return dump_triples(triples_of(store, members), name)

    return export


turtle, ntriples, rdfxml = _triples("turtle"), _triples("nt"), _triples("xml")


def nquads(store: Store, members=None) -> bytes:
    if members is None:
        return store.nquads()
    wanted = set(members)
    quads = [q for q in store.oxigraph if q.subject in wanted]
    lines = sorted(set(rdf_bytes(quads, RdfFormat.N_QUADS).splitlines()))
    return b"".join(line + b"\n" for line in lines)
