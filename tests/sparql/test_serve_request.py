"""What the endpoint runs for a query, and what it refuses, without a server."""

import pyoxigraph
import pytest

from clinicgraph.sparql.serve.request import engine_error, engine_place, header, refused_text, triples_first

SITE = "https://clinic.example/"


def test_the_common_prefixes_and_the_site_base_are_declared_on_one_line():
    query = "SELECT * WHERE { ?s a schema:Thing ; rdfs:label ?l }"
    prologue = header(query, SITE)
    assert "\n" not in prologue
    assert prologue.startswith(f"BASE <{SITE}> PREFIX schema: <http://schema.org/>")
    assert "PREFIX owl: <http://www.w3.org/2002/07/owl#>" in prologue
    pyoxigraph.Store().query(prologue + "\n" + query)  # valid SPARQL


def test_a_prefix_the_query_declares_is_not_declared_again():
    query = "PREFIX schema: <http://schema.org/>\nprefix rdf:<urn:x#> SELECT * { ?s schema:name ?n }"
    assert "PREFIX schema:" not in header(query, SITE) and "PREFIX rdf:" not in header(query, SITE)
    pyoxigraph.Store().query(header(query, SITE) + "\n" + query)


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "load <http://example.org/x.ttl>",
        "DROP ALL",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ex:p ?o } ; CLEAR DEFAULT",
        "# a note\rLOAD <http://example.org/x.ttl>",
    ],
)
def test_an_update_sent_as_a_query_gets_the_read_only_refusal(query):
    refusal = refused_text(query, "error at 2:10: expected CONSTRUCT")
    assert refusal.status == 403 and "read-only" in refusal.message


def test_a_query_that_is_no_update_gets_its_syntax_error():
    query = "SELECT * WHERE { ?s ?p }  # INSERT DATA"
    refusal = refused_text(query, "error at 2:24: expected one of ABS")
    assert refusal.status == 400 and refusal.message == "query:1:24: invalid SPARQL: expected one of ABS"


def test_engine_errors_point_at_the_line_the_user_wrote():
    assert (
        engine_error("error at 3:7: expected one of ABS, AVG")
        == "query:2:7: invalid SPARQL: expected one of ABS, AVG"
    )
    assert engine_error("something else\n") == "something else"
    assert engine_place("error at 3:7: expected one of ABS, AVG") == "error at 2:7"


@pytest.mark.parametrize(
    "accept, sent",
    [
        ("", "text/turtle, */*"),  # no Accept: anything, Turtle first for graphs
        ("*/*", "text/turtle, */*"),
        (
            "application/sparql-results+json, */*;q=0.1",
            "application/sparql-results+json, text/turtle;q=0.1, */*;q=0.1",
        ),
        ("application/*", "application/n-triples, application/*"),
        ("application/n-quads", "application/n-quads"),  # asked for: kept
        ("text/csv", "text/csv"),
    ],
)
def test_graphs_come_as_triples_where_the_client_takes_any_type(accept, sent):
    assert triples_first(accept) == sent
