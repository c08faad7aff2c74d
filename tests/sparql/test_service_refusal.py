"""SERVICE is refused, in `query` (the library) and by `serve`, however it is written:
no request leaves for another endpoint. A loopback listener is the witness.

The refusal is decided by how Oxigraph itself reads the query (graph.query_reading), so the
tests hide the keyword where a scanner of tokens once lost it (a comment ended by a
bare carriage return) and wherever else the reading could part from Oxigraph's:
strings holding quotes and escapes, IRIs with escapes, the word in names, strings,
IRIs and comments, codepoint escapes, nesting. Pyoxigraph run on the same text is the
control: whenever it calls the listener, clinicgraph must have refused.
"""

from __future__ import annotations

import httpx
import pyoxigraph
import pytest
from conftest import EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from listener import Listener
from serving import start, stop

from clinicgraph import pipeline
from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.vocab.namespaces import PREFIXES

SITE = "https://westwoodtotalhealth.example/"
LISTENER = Listener()
TARGET = f"<{LISTENER.url}>"

KEYWORDS = ["SERVICE", "service", "sErViCe", "SERVICE SILENT", "service silent"]
WRAPS = [  # where a live SERVICE clause can sit
    "{}",
    "{{ {} }}",
    "OPTIONAL {{ {} }}",
    "{{ SELECT * WHERE {{ {} }} }}",
    "FILTER EXISTS {{ {} }}",
    "FILTER NOT EXISTS {{ {} }}",
    "MINUS {{ {} }}",
    "{{ ?a ?b ?c }} UNION {{ {} }}",
    "GRAPH ?g {{ {} }}",
    "BIND(EXISTS {{ {} }} AS ?e)",
    "?s ?p ?o . {}",
]
BEFORE = [  # what comes first: comments ended every way, strings and IRIs a scanner may misread
    "",
    "# a note\r",
    "# a note\n",
    "# a note\r\n",
    "#\r#\r",
    '?s ?p "a \\" quote" .',
    "?s ?p '''long\rstring''' .",
    '?s ?p "\\u0022" .',
    "?s ?p '\\u0027' .",
    "?s ?p <http://example.org/\\u0041> .",
    "?s <http://example.org/p#SERVICE> ?o .",
    '?s ?p "SERVICE <http://x/> { }" .',
    "# SERVICE <x> {\n",
    "FILTER(?a<?b)",
    "?service ?p schema:serviceType .",
    '?s ?p """SERVICE\r""" .',
]
DECOYS = [  # the word where Oxigraph reads no keyword, or no valid query at all
    "\\u0053ERVICE {} {{ ?s ?p ?o }}",
    "# SERVICE {} {{ ?s ?p ?o }}\n",
    '?s ?p "SERVICE {} {{ ?s ?p ?o }}" .',
    "?s ?p <http://example.org/SERVICE> .",
    "SERVICE",
    "LOAD {}",
    "INSERT DATA {{ <urn:a> <urn:b> {} }}",
]


@st.composite
def queries(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        parts.append(draw(st.sampled_from(BEFORE)))
        if draw(st.integers(0, 3)):  # mostly a live clause: the control then shows what Oxigraph would do
            clause = f"{draw(st.sampled_from(KEYWORDS))} {TARGET} {{ ?s ?p ?o }}"
            parts.append(draw(st.sampled_from(WRAPS)).format(clause))
        else:
            parts.append(draw(st.sampled_from(DECOYS)).format(TARGET))
    return "SELECT * WHERE { " + " ".join(parts) + " }"


def control_calls(query: str) -> bool:
    """Whether pyoxigraph, asked directly, sends a request for this query."""
    before = LISTENER.count()
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(pyoxigraph.NamedNode(SITE), pyoxigraph.NamedNode(SITE), pyoxigraph.Literal("x"))
    )
    try:
        result = store.query(query, base_iri=SITE, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
        list(result) if hasattr(result, "variables") else bool(result)
    except (SyntaxError, OSError, RuntimeError):
        pass
    return LISTENER.count() > before


@pytest.fixture(scope="module")
def project():
    return pipeline.open_project(EXAMPLE)


# --- query: the library, as `clinicgraph query` runs it ----------------------------------


def test_service_after_a_comment_ended_by_a_carriage_return_is_refused(project):
    query = f"SELECT * WHERE {{ # x\rSERVICE {TARGET} {{ ?s ?p ?o }} }}"
    before = LISTENER.count()
    with pytest.raises(ClinicgraphError) as caught:
        pipeline.query(project, query)
    assert str(caught.value) == "query:1:22: SERVICE is refused: clinicgraph does not query other endpoints"
    assert LISTENER.count() == before
    assert control_calls(query)  # Oxigraph reads the keyword there


@pytest.mark.parametrize("where", [w for w in WRAPS if w != "{}"])
def test_service_is_refused_wherever_it_is_nested(project, where):
    query = "SELECT * WHERE { " + where.format(f"service {TARGET} {{ ?s ?p ?o }}") + " }"
    before = LISTENER.count()
    with pytest.raises(ClinicgraphError, match="SERVICE is refused"):
        pipeline.query(project, query, "json")
    assert LISTENER.count() == before


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service WHERE { ?service schema:name "SERVICE" } # SERVICE <http://x/> {}',
        "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:SERVICE ?o . ?s ?p <http://x/SERVICE> }",
        'SELECT * WHERE { ?s ?p """a\rSERVICE <http://x/> { }""" }',
    ],
)
def test_the_word_that_is_no_keyword_is_not_refused(project, query):
    assert pipeline.query(project, query, "json")


def test_a_codepoint_escape_outside_strings_is_a_syntax_error_not_a_call(project):
    before = LISTENER.count()
    with pytest.raises(ClinicgraphError, match="invalid SPARQL"):
        pipeline.query(project, f"SELECT * WHERE {{ \\u0053ERVICE {TARGET} {{ ?s ?p ?o }} }}")
    assert LISTENER.count() == before


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries())
def test_no_query_sends_a_request(project, query):
    before = LISTENER.count()
    try:
        pipeline.query(project, query, "json")
        refused = False
    except ClinicgraphError as error:
        refused = "SERVICE is refused" in str(error)
    assert LISTENER.count() == before, "clinicgraph sent a request"
    if control_calls(query):
        assert refused, "Oxigraph calls SERVICE here, and clinicgraph did not refuse it"


# --- serve: the endpoint ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    process, url = start()
    yield url
    stop(process)


def ask(server: str, query: str, how: str) -> httpx.Response:
    if how == "form":
        return httpx.post(server + "sparql", data={"query": query}, timeout=30)
    if how == "direct":
        return httpx.post(
            server + "sparql",
            content=query.encode(),
            headers={"content-type": "application/sparql-query"},
            timeout=30,
        )
    return httpx.get(server + "sparql", params={"query": query}, timeout=30)


def test_the_endpoint_refuses_service_after_a_carriage_return(server):
    query = f"SELECT * WHERE {{ # x\rSERVICE {TARGET} {{ ?s ?p ?o }} }}"
    before = LISTENER.count()
    answer = ask(server, query, "form")
    assert answer.status_code == 403
    assert answer.text == "query:1:22: SERVICE is refused: clinicgraph does not query other endpoints\n"
    assert LISTENER.count() == before


@pytest.mark.parametrize(
    "request_options",
    [
        {"method": "POST", "url": "sparql", "data": {"update": f"LOAD {TARGET}"}},
        {"method": "GET", "url": "sparql", "params": {"update": f"LOAD {TARGET}"}},
        {
            "method": "POST",
            "url": "sparql",
            "content": f"# x\rLOAD {TARGET}",
            "headers": {"content-type": "application/sparql-update"},
        },
        {"method": "POST", "url": "update", "data": {"update": f"LOAD {TARGET}"}},
        {"method": "POST", "url": "sparql", "data": {"query": f"LOAD {TARGET}"}},
        {
            "method": "POST",
            "url": "sparql",
            "data": {"query": f"# x\rLOAD {TARGET} ;\rINSERT DATA {{ <urn:a> <urn:b> 1 }}"},
        },
    ],
)
def test_the_endpoint_refuses_every_update(server, request_options):
    before = LISTENER.count()
    answer = httpx.request(**dict(request_options, url=server + request_options["url"]), timeout=30)
    assert answer.status_code == 403 and "read-only" in answer.text
    assert LISTENER.count() == before


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries(), st.sampled_from(["form", "direct", "get"]))
def test_no_request_to_the_endpoint_sends_a_request(server, query, how):
    before = LISTENER.count()
    answer = ask(server, query, how)
    assert LISTENER.count() == before, "the endpoint sent a request"
    assert answer.status_code in (200, 400, 403), answer.text
    if control_calls(query):
        assert answer.status_code == 403 and "SERVICE is refused" in answer.text
