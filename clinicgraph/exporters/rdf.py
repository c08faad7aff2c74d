"""Graph -> RDF dumps (Turtle, N-Triples, N-Quads, RDF/XML), sorted so builds diff cleanly."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse, serialize

from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.graph.store import Counts, Store, sort_key
from clinicgraph.vocab.namespaces import PREFIXES

TRIPLE_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "xml": RdfFormat.RDF_XML}


def dump_graph(store: Store, name: str) -> bytes:
    """The whole graph in a triple format, in the sorted order of its N-Triples."""
    ntriples = store.ntriples()
    if name == "nt":
        return ntriples
    # streamed from parser to serializer: two million triples never exist as Python objects at once
    return dump_triples(parse(ntriples, format=RdfFormat.N_TRIPLES), name)


def write_dumps(store: Store, folder: Path) -> Counts:
    """graph.nt and graph.ttl of a build, the same bytes as ``dump_graph`` gives, made
    through files: the sorted N-Triples straight to disk, then parsed from there into
    the Turtle serializer (two million triples never held as text twice, nor as objects).
    Returns the graph's counts of distinct triples and subjects."""
    nt = Path(folder) / "graph.nt"
    counts = store.write_ntriples(nt)
    turtle_of(nt, Path(folder) / "graph.ttl")
    return counts


def turtle_of(ntriples: Path, turtle: Path) -> None:
    """The Turtle of an N-Triples file, file to file."""
    # the parser's quads (all in the default graph) go to the serializer as they are:
    # making Triple objects of them took as long again
    serialize(
        parse(path=str(ntriples), format=RdfFormat.N_TRIPLES),
        output=str(turtle),
        format=RdfFormat.TURTLE,
        prefixes=PREFIXES,
    )


def dump_triples(triples, name: str) -> bytes:
    """Some triples (a list, or any iterable) in a triple format."""
    rdf_format = TRIPLE_FORMATS[name]
    prefixes = PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    return rdf_bytes(triples, rdf_format, prefixes)


def triples_of(store: Store, members) -> list[Triple]:
    """The triples of some nodes (a page's share of the graph), in a stable order."""
    return sorted(
        (Triple(node, predicate, obj) for node in set(members) for predicate, obj in store.describe(node)),
        key=sort_key,
    )
