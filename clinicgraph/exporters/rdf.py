"""Graph -> RDF dumps (Turtle, N-Triples, N-Quads, RDF/XML), sorted so builds diff cleanly."""

from __future__ import annotations

from pyoxigraph import Quad, RdfFormat, Triple, serialize

from clinicgraph.graph.store import Store
from clinicgraph.vocab.namespaces import PREFIXES

TRIPLE_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "xml": RdfFormat.RDF_XML}


def dump_triples(triples: list[Triple], name: str) -> bytes:
    rdf_format = TRIPLE_FORMATS[name]
    prefixes = PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    return serialize(triples, format=rdf_format, prefixes=prefixes)


def dump_quads(quads: list[Quad]) -> bytes:
    return serialize(quads, format=RdfFormat.N_QUADS)


def triples_of(store: Store, members) -> list[Triple]:
    """The triples of some nodes (a page's share of the graph), in the store's stable order."""
    wanted = set(members)
    return [triple for triple in store.triples() if triple.subject in wanted]
