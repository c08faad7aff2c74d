"""The package's small context expands exactly as schema.org's official one does."""

import json

import pytest
from pyld import jsonld

from clinicgraph.vocab.context import SCHEMA_CONTEXT_URLS, coercion, offline_loader, schema_context


@pytest.fixture(scope="module")
def official(schemaorg_dir):
    return json.loads((schemaorg_dir / "schemaorgcontext.jsonld").read_text("utf-8"))


def every_term_document(official) -> dict:
    """One node using every term of the official context as a property, with a string value."""
    terms = [t for t, d in official["@context"].items() if isinstance(d, dict)]
    node = {"@id": "https://clinic.example/#x", **{t: "2024-01-31" for t in terms}}
    return {"@context": "https://schema.org", **node}


def expand(document, context) -> list:
    def load(url, options=None):
        return {"contextUrl": None, "documentUrl": url, "document": context}
    return jsonld.expand(document, {"documentLoader": load})


def test_every_term_expands_as_with_the_official_context(official):
    document = every_term_document(official)
    assert expand(document, schema_context()) == expand(document, official)


def test_coercions_match_the_official_context(official):
    for term, definition in official["@context"].items():
        if isinstance(definition, dict) and "@type" in definition:
            expected = "@id" if definition["@type"] == "@id" else "http://schema.org/" + definition["@type"]
            assert coercion(term) == expected, term
    assert coercion("name") is None


def test_loader_serves_every_spelling_and_refuses_the_rest():
    load = offline_loader()
    for url in SCHEMA_CONTEXT_URLS:
        assert load(url)["document"] is schema_context()
    for url in ("https://example.com/context.jsonld", "https://schema.org.evil.example/", "file:///etc/passwd"):
        with pytest.raises(Exception, match="refusing to fetch"):
            load(url)
