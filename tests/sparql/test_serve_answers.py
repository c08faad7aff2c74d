"""What the endpoint answers, in the forms SPARQL clients read: graphs as triples unless
N-Quads are asked for, ASK as CSV and TSV tables, a Service Description for a GET
without a query, and an evaluation error as one line. SPARQLWrapper and rdflib's
SPARQLStore are the clients; the library's own results formats are checked beside."""

from __future__ import annotations

import io
import warnings

import httpx
import pytest
import rdflib
from conftest import EXAMPLE
from rdflib.plugins.sparql.results.csvresults import CSVResultParser
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from serving import start, stop
from SPARQLWrapper import CSV, JSON, RDFXML, XML, SPARQLWrapper

from clinicgraph import pipeline
from clinicgraph.core.errors import ClinicgraphError

CONSTRUCT = "CONSTRUCT { ?c schema:name ?name } WHERE { ?c a schema:MedicalCondition ; schema:name ?name }"
DESCRIBE = "DESCRIBE <https://westwoodtotalhealth.example/#clinic>"
SCHEMA_NAME = rdflib.URIRef("http://schema.org/name")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def server():
    process, url = start()
    yield url
    stop(process)


def post(server: str, query: str, accept: str | None) -> httpx.Response:
    headers = {"content-type": "application/sparql-query"}
    request = httpx.Request("POST", server + "sparql", content=query.encode(), headers=headers)
    if accept is None:
        request.headers.pop("accept", None)  # no Accept header at all
    else:
        request.headers["accept"] = accept
    with httpx.Client() as client:
        return client.send(request)


# --- graphs: triples unless N-Quads are asked for ----------------------------------------------


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/sparql-results+json, */*;q=0.1",
        "application/sparql-results+xml, application/rdf+xml;q=0.5, */*;q=0.1",
    ],
)
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_a_graph_comes_as_turtle_where_the_client_takes_any_type(server, query, accept):
    answer = post(server, query, accept)
    assert answer.status_code == 200
    wanted = "application/rdf+xml" if accept and "rdf+xml" in accept else "text/turtle"
    assert answer.headers["content-type"].startswith(wanted)
    graph = rdflib.Graph().parse(data=answer.content, format="xml" if "xml" in wanted else "turtle")
    assert len(graph) > 0


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/n-quads", "application/n-quads"),
        ("application/n-triples", "application/n-triples"),
        ("application/*", "application/n-triples"),
    ],
)
def test_other_graph_formats_when_asked_for(server, accept, media):
    answer = post(server, CONSTRUCT, accept)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)


def test_select_is_still_json_where_the_client_takes_any_type(server):
    answer = post(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", None)
    assert answer.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize("return_format", [JSON, CSV])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_sparqlwrapper_reads_the_graph_it_gets_for_any_type(server, query, return_format):
    """A return format meant for SELECT makes SPARQLWrapper send Accept: */* for a graph
    (it warns so). It got N-Quads, a type it does not know, and handed them over raw with
    a second warning; Turtle it hands over as the text it is (its N3 conversion)."""
    wrapper = SPARQLWrapper(server + "sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = wrapper.query()
        data = result.convert()
    assert result.info()["content-type"].startswith("text/turtle")
    assert not [w for w in caught if "unknown response content type" in str(w.message)]
    assert len(rdflib.Graph().parse(data=data, format="turtle")) > 0


@pytest.mark.parametrize("return_format", [RDFXML, XML])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_sparqlwrapper_gets_a_graph_as_rdf_xml(server, query, return_format):
    wrapper = SPARQLWrapper(server + "sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    graph = wrapper.queryAndConvert()
    assert isinstance(graph, rdflib.Graph) and len(graph) > 0


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_rdflibs_sparqlstore_gets_a_graph(server, query):
    graph = rdflib.Graph(store=SPARQLStore(server + "sparql"))
    query = query.replace("schema:", "s:")  # rdflib sends the query as it is given: its own prefixes
    result = graph.query("PREFIX s: <http://schema.org/> " + query).graph
    assert result is not None and len(result) > 0


# --- ASK as CSV and TSV ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "format_name, accept, parser",
    [("csv", "text/csv", CSVResultParser), ("tsv", "text/tab-separated-values", TSVResultParser)],
)
def test_ask_as_csv_and_tsv_is_a_table_rdflib_reads(server, format_name, accept, parser):
    project = pipeline.open_project(EXAMPLE)
    for query, value in (
        ("ASK { ?c a schema:MedicalClinic }", True),
        ("ASK { ?c a schema:Hospital }", False),
    ):
        for data in (pipeline.query(project, query, format_name), post(server, query, accept).content):
            result = parser().parse(io.BytesIO(data))
            assert result.vars == [rdflib.Variable("_askResult")]
            (row,) = result.bindings
            assert row[rdflib.Variable("_askResult")].toPython() in (value, str(value).lower())


# --- the Service Description ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["sparql", "query"])
def test_a_get_without_a_query_is_the_service_description(server, path):
    answer = httpx.get(server + path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=answer.text, format="turtle")
    (service,) = graph.subjects(rdflib.RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef(server + path)  # W3C: has-endpoint-triple
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL10Query, SD.SPARQL11Query}
    assert SD.UnionDefaultGraph in set(graph.objects(service, SD.feature))
    dataset = graph.value(service, SD.defaultDataset)
    assert "merge" in str(graph.value(graph.value(dataset, SD.defaultGraph), rdflib.DCTERMS.description))
    names = {str(graph.value(named, SD.name)) for named in graph.objects(dataset, SD.namedGraph)}
    assert names == {
        f"urn:clinicgraph:source:content/{name}.yaml"
        for name in ("clinic", "website", "pages/back-spasms", "conditions/back-spasms")
    } | {"urn:clinicgraph:derived:breadcrumbs", "urn:clinicgraph:derived:wiring"}
    # W3C: conforms-to-schema: every sd: term used is one the vocabulary defines
    defined = {
        "Service",
        "endpoint",
        "supportedLanguage",
        "SPARQL10Query",
        "SPARQL11Query",
        "feature",
        "UnionDefaultGraph",
        "resultFormat",
        "defaultDataset",
        "Dataset",
        "defaultGraph",
        "Graph",
        "namedGraph",
        "NamedGraph",
        "name",
    }
    used = {
        term for triple in graph for term in triple if isinstance(term, rdflib.URIRef) and term.startswith(SD)
    }
    assert {term[len(SD) :] for term in used} <= defined


# --- an error while evaluating: one line ------------------------------------------------------------

UNKNOWN_FUNCTION = "SELECT * WHERE { FILTER(<http://example.org/f>()) }"
MESSAGE = "query: the query cannot be evaluated: The custom function <http://example.org/f> is not supported"


def test_an_unknown_function_is_one_line(server):
    with pytest.raises(ClinicgraphError) as caught:
        pipeline.query(pipeline.open_project(EXAMPLE), UNKNOWN_FUNCTION)
    assert str(caught.value) == MESSAGE
    answer = post(server, UNKNOWN_FUNCTION, None)
    assert answer.status_code == 500 and answer.text == MESSAGE + "\n"
