"""Namespaces, and the one rule for schema.org's two spellings.

Inside the graph schema.org terms are ``http://schema.org/...`` (the official JSON-LD
context and SHACL shapes use http); ``https://schema.org/`` input is rewritten on load.
"""

from functools import lru_cache

SCHEMA = "http://schema.org/"
SCHEMA_HTTPS = "https://schema.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

RDF_TYPE = RDF + "type"

# Prefixes written in Turtle dumps and predeclared for queries.
PREFIXES = {"schema": SCHEMA, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL}


def normalize_schema_iri(iri: str) -> str:
    """Map ``https://schema.org/X`` to ``http://schema.org/X``; other IRIs unchanged."""
    if iri.startswith(SCHEMA_HTTPS):
        return SCHEMA + iri[len(SCHEMA_HTTPS) :]
    return iri


@lru_cache(maxsize=1 << 16)  # called per triple by checks and exporters; few distinct IRIs matter
def schema_term(iri: str) -> str | None:
    """The schema.org local name of an IRI (either spelling), or None."""
    iri = normalize_schema_iri(iri)
    if iri.startswith(SCHEMA) and len(iri) > len(SCHEMA):
        return iri[len(SCHEMA) :]
    return None
