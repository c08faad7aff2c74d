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
    for url in (
        "https://example.com/context.jsonld",
        "https://schema.org.evil.example/",
        "file:///etc/passwd",
    ):
        with pytest.raises(Exception, match="refusing to fetch"):
            load(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.schema.org",
        "https://www.schema.org/",
        "http://health-lifesci.schema.org/",
        "https://health-lifesci.schema.org",
        "http://pending.schema.org",
        "https://bib.schema.org/",
        "http://auto.schema.org/",
        "https://meta.schema.org",
        "http://attic.schema.org/",
        "http://iot.schema.org/",
        "HTTPS://Schema.ORG/",
        " https://schema.org/docs/jsonldcontext.jsonld ",
    ],
)
def test_schema_org_hosts_and_its_extensions_serve_its_context(url):
    """schema.org's examples write www.schema.org and its hosted extensions' hosts
    (health-lifesci.schema.org ...): one vocabulary, one context, served offline."""
    assert offline_loader()(url)["document"] is schema_context()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.schema.org/",
        "https://schema.org.evil.example/",
        "https://x.pending.schema.org/",
        "https://www.schema.org.example/",
        "https://schema.org/other.jsonld",
        "https://schema.org:8080/",
        "ftp://schema.org/",
    ],
)
def test_other_urls_near_schema_org_are_refused(url):
    with pytest.raises(Exception, match="refusing to fetch"):
        offline_loader()(url)
