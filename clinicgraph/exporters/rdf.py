"""Graph -> RDF dumps (Turtle, N-Triples, N-Quads, RDF/XML), sorted so builds diff cleanly."""

from __future__ import annotations

from pyoxigraph import RdfFormat, Triple, parse, serialize

from clinicgraph.graph.store import Store, sort_key
from clinicgraph.vocab.namespaces import PREFIXES

TRIPLE_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "xml": RdfFormat.RDF_XML}


def dump_graph(store: Store, name: str) -> bytes:
    """The whole graph in a triple format, in the sorted order of its N-Triples."""
    ntriples = store.ntriples()
    if name == "nt":
        return ntriples
    triples = (Triple(q.subject, q.predicate, q.object) for q in parse(ntriples, format=RdfFormat.N_TRIPLES))
    return dump_triples(list(triples), name)


def dump_triples(triples: list[Triple], name: str) -> bytes:
    rdf_format = TRIPLE_FORMATS[name]
    prefixes = PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    return serialize(triples, format=rdf_format, prefixes=prefixes)


def triples_of(store: Store, members) -> list[Triple]:
    """The triples of some nodes (a page's share of the graph), in a stable order."""
    return sorted((Triple(node, predicate, obj) for node in set(members) for predicate, obj in store.describe(node)),
                  key=sort_key)
