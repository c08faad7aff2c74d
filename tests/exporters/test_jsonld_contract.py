"""The contract of every page document (docs/architecture.md), checked with pyld and the official
schema.org context, not with clinicgraph's own code."""

import json

import pytest
from conftest import ntriples_graph, write_project
from rdflib.compare import isomorphic

from clinicgraph import pipeline
from clinicgraph.exporters.formats import ntriples
from clinicgraph.exporters.rdf import triples_of
from clinicgraph.graph.pages import closure, find_pages

SITE = "https://westwoodtotalhealth.example/"
PAGE = SITE + "conditions/back-spasms/"


@pytest.fixture(scope="module")
def built(example_dir, tmp_path_factory):
    project = pipeline.open_project(example_dir)
    out = tmp_path_factory.mktemp("build") / "dist"
    pipeline.build(project, out)
    return project, out


def page_document(out):
    return json.loads((out / "jsonld/conditions/back-spasms.jsonld").read_text("utf-8"))


def nodes(value):
    """Every node object in a document, embedded ones included."""
    if isinstance(value, dict):
        if "@value" not in value:
            yield value
        for item in value.values():
            yield from nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from nodes(item)


def test_document_shape(built):
    document = page_document(built[1])
    assert list(document) == ["@context", "@graph"]
    assert document["@context"] == "https://schema.org"
    top = document["@graph"]
    assert top[0]["@id"] == PAGE + "#webpage" and top[0]["@type"] == "MedicalWebPage"
    by_id = {node["@id"]: node for node in nodes(document) if "@id" in node}
    condition = by_id[PAGE + "#condition"]
    assert condition["@type"] == "MedicalCondition"
    for key in (
        "cause",
        "riskFactor",
        "signOrSymptom",
        "associatedAnatomy",
        "primaryPrevention",
        "secondaryPrevention",
    ):
        assert condition[key], key
    clinic = by_id[SITE + "#clinic"]
    assert clinic["@type"] == "MedicalClinic"
    assert clinic["address"]["addressLocality"] == "Coquitlam"
    assert clinic["aggregateRating"]["ratingValue"] == 4.7
    assert clinic["aggregateRating"]["reviewCount"] == 628
    assert clinic["telephone"].startswith("+1")
    assert by_id[SITE + "#website"]["@type"] == "WebSite"
    # nodes refer to each other by @id: the clinic is written once, referred to elsewhere
    assert sum(1 for node in nodes(document) if node.get("@id") == SITE + "#clinic" and len(node) > 1) == 1


def test_keys_are_compact_terms(built):
    for node in nodes(page_document(built[1])):
        for key in node:
            assert not key.startswith(("schema:", "http://schema.org/", "https://schema.org/")), key


def test_expansion_with_the_official_context_gives_the_pages_triples(built, expand_official):
    project, out = built
    pages = find_pages(project.store, project.site, project.vocabulary)
    for page in pages:
        members = closure(project.store, page.node, {p.node for p in pages})
        expected = ntriples_graph(ntriples(project.store, members))
        document = json.loads((out / "jsonld" / page.file(".jsonld")).read_text("utf-8"))
        got = expand_official(document)
        assert len(got) == len(expected) > 100
        assert isomorphic(got, expected), set(got) ^ set(expected)


def test_page_share_covers_the_clinic_completely(built):
    project, _ = built
    (page,) = find_pages(project.store, project.site, project.vocabulary)
    members = closure(project.store, page.node, set())
    triples = triples_of(project.store, members)
    subjects = {t.subject.value for t in triples}
    assert SITE + "#clinic" in subjects and SITE + "#scott-wee" in subjects


def test_whole_graph_jsonld_expands_to_the_whole_graph(built, expand_official):
    project, _ = built
    document = json.loads(pipeline.export(project, "jsonld"))
    expected = ntriples_graph(pipeline.export(project, "nt"))
    assert isomorphic(expand_official(document), expected)


def test_graph_dumps_hold_the_whole_graph(built):
    project, out = built
    import rdflib

    turtle = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    nt = rdflib.Graph().parse(out / "graph.nt", format="nt")
    assert len(turtle) == len(nt) == len(project.store)
    assert isomorphic(turtle, nt)


@pytest.mark.parametrize(
    "number",
    ["18446744073709551615", "18446744073709551616", "-9223372036854775809", "123456789012345678901234"],
)
def test_integers_of_any_size_export_and_expand_back(number, tmp_path, expand_official):
    """A JSON number where JSON-LD and the JSON writer both keep it (64 bits), else a
    typed string: never an integer the writer refuses."""
    source = write_project(
        tmp_path / "site",
        {
            "a.ttl": f"""@prefix schema: <http://schema.org/> .
<https://clinic.example/#r> a schema:Rating ; schema:ratingCount {number} .
"""
        },
    )
    project = pipeline.open_project(source)
    document = json.loads(pipeline.export(project, "jsonld"))
    assert isomorphic(expand_official(document), ntriples_graph(pipeline.export(project, "nt")))
    (node,) = document["@graph"]
    assert (node["ratingCount"] == int(number)) == (-(2**63) <= int(number) < 2**64)
