"""How a query is read before it runs (graph.query_reading): schema.org's https spelling is
rewritten where it is an IRI and nowhere else, and a query naming its own dataset is
noticed, both as Oxigraph's parser reads the text."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph import pipeline
from clinicgraph.graph.query_reading import PROBE_END, local_stop, read

SITE = "https://westwoodtotalhealth.example/"
STOP = local_stop(SITE)


@pytest.fixture(scope="module")
def project():
    return pipeline.open_project(EXAMPLE)


def values(project, query: str) -> list[list[str]]:
    result = json.loads(pipeline.query(project, query, "json"))
    names = result["head"]["vars"]
    return [[row[name]["value"] for name in names if name in row] for row in result["results"]["bindings"]]


def test_https_schema_org_in_a_string_stays_as_written(project):
    assert values(project, 'SELECT ("https://schema.org/Thing" AS ?x) WHERE {}') == [
        ["https://schema.org/Thing"]
    ]
    long = 'SELECT ?n WHERE { ?c schema:name ?n FILTER(?n != """https://schema.org/""") }'
    assert values(project, long.replace("?c schema", "?c a schema:MedicalClinic ; schema")) == [
        ["Westwood Total Health"]
    ]


def test_https_schema_org_iris_find_the_data(project):
    query = (
        "PREFIX s: <https://schema.org/>\n"  # a comment: https://schema.org/ "
        'SELECT ?n ("https://schema.org/" AS ?spelled) WHERE { ?c a <https://schema.org/MedicalClinic> ; '
        "s:name ?n ; <https://schema.org/telephone> ?t }"
    )
    assert values(project, query) == [["Westwood Total Health", "https://schema.org/"]]


@pytest.mark.parametrize(
    "query, rewritten",
    [
        ('SELECT * { ?s ?p "https://schema.org/" }', 'SELECT * { ?s ?p "https://schema.org/" }'),
        ("SELECT * { ?s ?p <https://schema.org/> }", "SELECT * { ?s ?p <http://schema.org/> }"),
        (
            "BASE <https://schema.org/> SELECT * { ?s a <Thing> }",
            "BASE <http://schema.org/> SELECT * { ?s a <Thing> }",
        ),
        (
            "SELECT * { ?s ?p '''a\r\"https://schema.org/Thing\"''' ; a <https://schema.org/Thing> }",
            "SELECT * { ?s ?p '''a\r\"https://schema.org/Thing\"''' ; a <http://schema.org/Thing> }",
        ),
        ("SELECT * { ?s ?p ?o } # https://schema.org/", "SELECT * { ?s ?p ?o } # https://schema.org/"),
    ],
)
def test_the_rewrite_follows_oxigraphs_reading(query, rewritten):
    assert read(query, STOP).text == rewritten


@pytest.mark.parametrize(
    "query, own_dataset",
    [
        ("SELECT * FROM <urn:g> { ?s ?p ?o }", True),
        ("select * from named <urn:g> { graph ?g { ?s ?p ?o } }", True),
        ("SELECT * # FROM <urn:g>\r{ ?s schema:validFrom ?from }", False),
        ('SELECT * { ?s ?p "FROM <urn:g>" }', False),
        ("SELECT * #\rFROM <urn:g> { ?s ?p ?o }", True),
    ],
)
def test_a_query_naming_its_own_dataset_is_noticed(query, own_dataset):
    assert read(query, STOP).own_dataset is own_dataset


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="SERVICEservicefromFROM <>{}\"'#\r\n\\u0?x ", max_size=40))
def test_a_probe_is_never_valid_sparql_whatever_comes_before_it(text):
    """Probes are parsed and never run: the line they end with must fail every text."""
    for prefix in ("SELECT * WHERE { ", 'SELECT * WHERE { ?s ?p """', "SELECT * WHERE { ?s ?p ?o } # ", ""):
        STOP(prefix + text + PROBE_END)  # raises AssertionError if Oxigraph ran it
