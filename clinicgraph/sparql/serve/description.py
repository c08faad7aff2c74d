"""What `clinicgraph serve` answers a GET of its endpoint without a query: a SPARQL 1.1
Service Description (https://www.w3.org/TR/sparql11-service-description/) in Turtle.

It names the endpoint, the language (SPARQL 1.1 Query only: the endpoint is read-only),
the results formats Oxigraph writes, and the default dataset: a default graph that is
the RDF merge of the named graphs (sd:UnionDefaultGraph), and one named graph per
source file and per derivation step. SERVICE is refused, so sd:BasicFederatedQuery is not claimed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.vocab.namespaces import RDF_TYPE

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
DCTERMS = "http://purl.org/dc/terms/"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "N-Quads",
    "TriG",
)
MERGE = (
    "The RDF merge of the named graphs: every source file's triples and every derived one, each once. "
    "A query's FROM and FROM NAMED (or the request's default-graph-uri and named-graph-uri) replace it."
)


@dataclass(frozen=True)
class Dataset:
    """The served store's dataset."""

    graphs: tuple[str, ...]  # the named graphs: per source file (ids.source_graph), per derivation step
    merged: bool  # the store's default graph holds their merge (two files share a triple)


def description(endpoint: str, dataset: Dataset) -> bytes:
    service, data, default = BlankNode("service"), BlankNode("dataset"), BlankNode("default")
    triples = [
        Triple(service, _iri(RDF_TYPE), _sd("Service")),
        Triple(service, _sd("endpoint"), NamedNode(endpoint)),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL10Query")),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        *[Triple(service, _sd("resultFormat"), NamedNode(FORMATS + name)) for name in RESULT_FORMATS],
        Triple(service, _sd("defaultDataset"), data),
        Triple(data, _iri(RDF_TYPE), _sd("Dataset")),
        Triple(data, _sd("defaultGraph"), default),
        Triple(default, _iri(RDF_TYPE), _sd("Graph")),
        Triple(default, NamedNode(DCTERMS + "description"), Literal(MERGE, language="en")),
    ]
    for index, name in enumerate(dataset.graphs):
        graph = BlankNode(f"graph{index}")
        triples += [
            Triple(data, _sd("namedGraph"), graph),
            Triple(graph, _iri(RDF_TYPE), _sd("NamedGraph")),
            Triple(graph, _sd("name"), NamedNode(name)),
        ]
    return rdf_bytes(triples, RdfFormat.TURTLE, prefixes={"sd": SD, "formats": FORMATS, "dcterms": DCTERMS})


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def _iri(iri: str) -> NamedNode:
    return NamedNode(iri)
