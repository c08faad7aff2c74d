"""clinicgraph: a clinic's health content as one RDF knowledge graph, published as schema.org JSON-LD."""

__version__ = "0.1.0"
