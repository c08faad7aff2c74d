"""What the endpoint runs for a query, and what it refuses, without a server."""

import pyoxigraph
import pytest

from clinicgraph.sparql.serve_request import Refused, engine_error, runnable

SITE = "https://clinic.example/"


def test_the_common_prefixes_and_the_site_base_are_declared_on_one_line():
    text = runnable("SELECT * WHERE { ?s a schema:Thing ; rdfs:label ?l }", SITE)
    prologue, query = text.split("\n", 1)
    assert prologue.startswith(f"BASE <{SITE}> PREFIX schema: <http://schema.org/>")
    assert "PREFIX owl: <http://www.w3.org/2002/07/owl#>" in prologue
    assert query == "SELECT * WHERE { ?s a schema:Thing ; rdfs:label ?l }"
    pyoxigraph.Store().query(text)  # valid SPARQL


def test_a_prefix_the_query_declares_is_not_declared_again():
    text = runnable("PREFIX schema: <https://schema.org/>\nprefix rdf:<urn:x#> SELECT * { ?s schema:name ?n }", SITE)
    assert "PREFIX schema:" not in text.split("\n")[0] and "PREFIX rdf:" not in text.split("\n")[0]
    assert "PREFIX schema: <http://schema.org/>" in text  # https rewritten
    pyoxigraph.Store().query(text)


@pytest.mark.parametrize("query, word", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("load <http://example.org/x.ttl>", "LOAD"),
    ("DROP ALL", "DROP"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE"),
])
def test_updates_are_refused(query, word):
    with pytest.raises(Refused) as caught:
        runnable(query, SITE)
    assert caught.value.status == 403 and caught.value.message.startswith(f"{word} is refused")


def test_service_is_refused_but_not_the_word_in_a_string():
    with pytest.raises(Refused) as caught:
        runnable("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", SITE)
    assert caught.value.status == 403 and "SERVICE" in caught.value.message
    assert runnable('SELECT * { ?s ?p "SERVICE, LOAD and INSERT" }', SITE)


def test_engine_errors_point_at_the_line_the_user_wrote():
    assert engine_error("error at 3:7: expected one of ABS, AVG") == "query:2:7: invalid SPARQL: expected one of ABS, AVG"
    assert engine_error("something else\n") == "something else"
