"""`clinicgraph serve` as a user runs it: a real server on a free 127.0.0.1 port, asked by
a real SPARQL client (SPARQLWrapper) and by plain HTTP (httpx).

One server for the module, started with a short timeout and a small result limit so
those refusals are quick to provoke.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import rdflib
from conftest import EXAMPLE, REPO
from serving import start, stop
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from clinicgraph import pipeline
from clinicgraph.core.errors import ClinicgraphError

TIMEOUT_S = 2
MAX_RESULTS = 20_000  # the whole graph as JSON is larger; the queries below are smaller
CONDITION = "SELECT ?name WHERE { ?c a schema:MedicalCondition ; schema:name ?name }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 280^4 rows
PAGE = "conditions/back-spasms.jsonld"


@pytest.fixture(scope="module")
def server():
    process, url = start("--timeout", str(TIMEOUT_S), "--max-results-bytes", str(MAX_RESULTS))
    yield url
    stop(process)


def client(url: str, query: str, return_format=JSON, method: str = "GET") -> SPARQLWrapper:
    wrapper = SPARQLWrapper(url + "sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    wrapper.setMethod(method)
    return wrapper


def refusal(url: str, query: str, method: str = POST) -> tuple[int, str]:
    """The status and message of a refused query; then the server must still answer."""
    with pytest.raises(urllib.error.HTTPError) as caught:
        client(url, query, method=method).query()
    status, message = caught.value.code, caught.value.read().decode()
    assert_answers(url)
    return status, message


def pipeline_error(query: str) -> str:
    with pytest.raises(ClinicgraphError) as caught:
        pipeline.query(pipeline.open_project(EXAMPLE), query)
    return str(caught.value)


def assert_answers(url: str) -> None:
    bindings = client(url, CONDITION).queryAndConvert()["results"]["bindings"]
    assert [row["name"]["value"] for row in bindings] == ["Back spasms"]


# --- queries: every results format, GET and POST --------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_json(server, method):
    result = client(server, CONDITION, JSON, method).queryAndConvert()
    assert result["head"]["vars"] == ["name"]
    assert result["results"]["bindings"][0]["name"] == {"type": "literal", "value": "Back spasms"}


def test_select_as_xml(server):
    document = client(server, CONDITION, XML, POST).queryAndConvert()  # a minidom Document
    assert [node.firstChild.data for node in document.getElementsByTagName("literal")] == ["Back spasms"]


@pytest.mark.parametrize(
    "return_format, expected",
    [
        (CSV, ["name,rating", "Westwood Total Health,4.7"]),
        (
            TSV,
            ["?name\t?rating", '"Westwood Total Health"\t"4.7"^^<http://www.w3.org/2001/XMLSchema#double>'],
        ),
    ],
)
def test_select_as_csv_and_tsv(server, return_format, expected):
    query = "SELECT ?name ?rating WHERE { ?c schema:name ?name ; schema:aggregateRating/schema:ratingValue ?rating }"
    assert client(server, query, return_format).queryAndConvert().decode().splitlines() == expected


def test_ask(server):
    assert client(server, "ASK { ?c a schema:MedicalClinic }").queryAndConvert()["boolean"] is True
    assert (
        client(server, "ASK { ?c a schema:Hospital }", XML)
        .query()
        .convert()
        .getElementsByTagName("boolean")[0]
        .firstChild.data
        == "false"
    )


def test_construct_as_turtle(server):
    query = "CONSTRUCT { ?c schema:name ?name } WHERE { ?c a schema:MedicalCondition ; schema:name ?name }"
    data = client(server, query, TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert [str(o) for o in graph.objects(None, rdflib.URIRef("http://schema.org/name"))] == ["Back spasms"]


def test_a_query_written_with_https_schema_org_finds_the_data(server):
    query = (
        "PREFIX s: <https://schema.org/>\n"
        "SELECT ?name WHERE { ?c a <https://schema.org/MedicalCondition> ; s:name ?name }"
    )
    rows = client(server, query).queryAndConvert()["results"]["bindings"]
    assert [row["name"]["value"] for row in rows] == ["Back spasms"]


def test_every_example_query_runs(server):
    for path in sorted((REPO / "examples" / "queries").glob("*.rq")):
        client(server, path.read_text("utf-8"), JSON, POST).queryAndConvert()


# --- refusals: clear 4xx messages, and the server answers the next request -------------


def test_update_is_refused(server):
    status, message = refusal(server, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")  # sent as update=
    assert status == 403 and "read-only" in message
    body = httpx.post(
        server + "sparql",
        content="DELETE WHERE { ?s ?p ?o }",
        headers={"content-type": "application/sparql-update"},
    )
    assert body.status_code == 403 and "read-only" in body.text
    assert_answers(server)


def test_an_update_sent_as_a_query_is_refused(server):
    answer = httpx.post(server + "sparql", data={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert answer.status_code == 403 and answer.text.startswith("this endpoint is read-only")


def test_load_is_refused(server):
    status, message = refusal(server, "LOAD <http://example.org/data.ttl>")
    assert status == 403 and "read-only" in message
    answer = httpx.get(server + "sparql", params={"query": "LOAD <http://example.org/data.ttl>"})
    assert answer.status_code == 403 and answer.text.startswith("this endpoint is read-only")


def test_service_is_refused(server):
    status, message = refusal(server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 403 and "SERVICE is refused" in message


def test_a_10_mb_query_is_refused(server):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000_000
    for options in (
        {"data": {"query": big}},
        {"content": big, "headers": {"content-type": "application/sparql-query"}},
    ):
        answer = httpx.post(server + "sparql", **options)
        assert answer.status_code == 413 and "at most 1,000,000 (--max-query-bytes)" in answer.text
    # SPARQLWrapper sends the whole body before it reads the answer, and still gets it
    # (SPARQLWrapper itself takes seconds over 10 MB, so these are 2 MB)
    for method in (POST, "GET"):  # a GET's query is in the request line
        status, message = refusal(server, big[:2_000_000], method)
        assert status == 413 and "--max-query-bytes" in message


def test_a_malformed_query_is_refused_with_its_line_and_column(server):
    query = "SELECT ?s WHERE {\n  ?s ?p ?o FILTER( }"
    with pytest.raises(QueryBadFormed) as caught:
        client(server, query).query()
    # the line and column where the user wrote it, as `clinicgraph query` says it
    assert "query:2:21: invalid SPARQL: expected one of" in str(caught.value)
    assert pipeline_error(query) in str(caught.value)
    assert_answers(server)


FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    "request_options, status, message",
    [
        ({"method": "GET", "url": "sparql?default-graph-uri=urn:x"}, 400, "give exactly one SPARQL query"),
        ({"method": "GET", "url": "sparql?query="}, 400, "the query is empty"),
        ({"method": "GET", "url": "sparql?query=ASK{}&query=ASK{}"}, 400, "give exactly one SPARQL query"),
        (
            {
                "method": "POST",
                "url": "sparql?query=ASK{}",
                "content": "ASK {}",  # one in the URL, one in the body
                "headers": {"content-type": "application/sparql-query"},
            },
            400,
            "give exactly one SPARQL query",
        ),
        (
            {"method": "GET", "url": "sparql?query=ASK{}&update=DROP%20ALL"},
            403,
            "read-only",
        ),  # query + update
        (
            {
                "method": "POST",
                "url": "sparql",
                "content": "ASK {}",
                "headers": {"content-type": "text/plain"},
            },
            415,
            "not text/plain",
        ),
        ({"method": "POST", "url": "sparql", "content": "query=ASK{}"}, 415, "a body without Content-Type"),
        (
            {"method": "POST", "url": "sparql", "content": b"query=\xff", "headers": FORM},
            400,
            "the request body is not UTF-8",
        ),
        (
            {"method": "GET", "url": "sparql?query=ASK%7B%7D%ff"},
            400,  # %-escapes that are not UTF-8
            "the query string is not UTF-8 once its %-escapes are decoded",
        ),
        (
            {"method": "POST", "url": "sparql", "content": b"query=ASK%7B%7D%C3", "headers": FORM},
            400,
            "the form is not UTF-8 once its %-escapes are decoded",
        ),
        ({"method": "PUT", "url": "sparql", "content": "ASK {}"}, 405, "Method Not Allowed"),
        ({"method": "DELETE", "url": "sparql"}, 405, "Method Not Allowed"),
    ],
)
def test_malformed_requests_are_refused(server, request_options, status, message):
    request_options = dict(request_options, url=server + request_options["url"])
    answer = httpx.request(**request_options)
    assert answer.status_code == status
    assert message in answer.text
    assert_answers(server)


def test_a_10_mb_request_line_is_refused_by_the_http_layer(server):
    """A GET's query travels in the request line, which uvicorn reads whole before our
    check runs: past 3 x --max-query-bytes + 64 KiB it refuses the request itself."""
    host, port = server.removeprefix("http://").rstrip("/").split(":")
    request = b"GET /sparql?query=ASK%7B%7D%23" + b"x" * 10_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = b""
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        with contextlib.suppress(OSError):  # the server may answer and close before all of it is sent
            connection.sendall(request)
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert_answers(server)


def test_a_query_past_the_timeout_fails_cleanly(server):
    started = time.monotonic()
    answer = httpx.post(server + "sparql", data={"query": SLOW}, timeout=30)
    assert answer.status_code == 503
    assert f"past the {TIMEOUT_S} s limit (--timeout)" in answer.text
    assert time.monotonic() - started < TIMEOUT_S + 2
    assert_answers(server)


def test_a_result_over_the_size_limit_is_an_error(server):
    answer = httpx.post(server + "sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert answer.status_code == 422
    assert f"larger than {MAX_RESULTS:,} bytes (--max-results-bytes)" in answer.text
    assert_answers(server)


# --- the cache, and the queue in front of the engine --------------------------------------


def test_a_repeated_query_is_answered_from_the_cache(server):
    query = f"SELECT ?name WHERE {{ ?c a schema:MedicalCondition ; schema:name ?name }} # {time.time_ns()}"
    first = httpx.post(server + "sparql", data={"query": query})
    again = httpx.post(server + "sparql", data={"query": query})
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
    assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]
    as_csv = httpx.get(server + "sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert as_csv.headers["x-cache"] == "miss" and as_csv.text.splitlines() == ["name", "Back spasms"]


def test_a_refusal_is_not_kept(server):
    query = "SELECT * WHERE { ?s ?p ?o }"  # over the result limit
    for _ in range(2):
        answer = httpx.post(server + "sparql", data={"query": query})
        assert answer.status_code == 422 and "x-cache" not in answer.headers


@pytest.fixture(scope="module")
def narrow():
    """No cache, one query at a time, and little patience for waiting."""
    process, url = start(
        "--cache-bytes", "0", "--query-slots", "1", "--max-wait", "0.5", "--timeout", str(TIMEOUT_S)
    )
    yield url
    stop(process)


def test_without_the_cache_every_query_runs(narrow):
    for _ in range(2):
        answer = httpx.post(narrow + "sparql", data={"query": CONDITION})
        assert answer.status_code == 200 and answer.headers["x-cache"] == "off"


def test_a_query_that_cannot_get_a_slot_in_time_is_refused_as_busy(narrow):
    def ask(number: int) -> httpx.Response:
        return httpx.post(narrow + "sparql", data={"query": f"{SLOW} # {number}"}, timeout=30)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(ask, range(2)))
    # one runs until the timeout; the other waits for the only slot longer than --max-wait
    assert sorted(answer.status_code for answer in answers) == [503, 503]
    messages = sorted(answer.text for answer in answers)
    assert messages[0].startswith("busy: the query waited 0.5 s for one of the 1 query slots (--max-wait")
    assert f"past the {TIMEOUT_S} s limit (--timeout)" in messages[1]
    assert_answers(narrow)


# --- CORS, the query page, each page's JSON-LD, the whole graph ---------------------------


def test_cors_lets_any_origin_read(server):
    answer = httpx.get(
        server + "sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"}
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["access-control-expose-headers"].lower() == "x-cache"
    assert "access-control-allow-credentials" not in answer.headers
    preflight = httpx.options(
        server + "sparql",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()


def test_the_page_lists_every_example(server):
    page = httpx.get(server)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for path in (REPO / "examples" / "queries").glob("*.rq"):
        title = path.read_text("utf-8").splitlines()[0].lstrip("# ")
        assert title.replace("'", "&#x27;") in page.text
    assert f'href="jsonld/{PAGE}"' in page.text
    for asset in re.findall(r'(?:src|href)="(ui/[^"]+)"', page.text):
        assert httpx.get(server + asset).status_code == 200


def test_the_shipped_examples_are_examples_queries():
    shipped = Path(pipeline.__file__).parent / "sparql" / "serve" / "ui" / "queries"
    wanted = {path.name: path.read_bytes() for path in (REPO / "examples" / "queries").glob("*.rq")}
    assert {path.name: path.read_bytes() for path in shipped.glob("*.rq")} == wanted, (
        "copy examples/queries/*.rq to clinicgraph/sparql/serve/ui/queries/"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("build") / "dist"
    pipeline.build(pipeline.open_project(EXAMPLE), output, allow_errors=True)
    return output


def test_a_pages_json_ld_is_what_build_writes(server, built):
    answer = httpx.get(server + "jsonld/" + PAGE)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/ld+json"
    assert answer.content == (built / "jsonld" / PAGE).read_bytes()
    assert httpx.get(server + "jsonld/no-such-page/index.jsonld").status_code == 404


@pytest.mark.parametrize(
    "name, media_type", [("graph.ttl", "text/turtle; charset=utf-8"), ("graph.nt", "application/n-triples")]
)
def test_the_whole_graph_is_what_build_writes(server, built, name, media_type):
    answer = httpx.get(server + name)
    assert answer.headers["content-type"] == media_type
    assert answer.content == (built / name).read_bytes()


def test_the_whole_graph_as_json_ld(server):
    answer = httpx.get(server + "graph.jsonld")
    assert answer.headers["content-type"] == "application/ld+json"
    assert answer.content == pipeline.export(pipeline.open_project(EXAMPLE), "jsonld")


# --- starting and stopping ---------------------------------------------------------------


def test_a_taken_port_is_one_clear_line(server):
    port = server.rstrip("/").rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "clinicgraph", "serve", str(EXAMPLE), "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        result.stderr == f"clinicgraph: cannot listen on 127.0.0.1:{port}: address already in use "
        "(choose another --port)\n"
    )


def test_a_missing_oxigraph_is_one_clear_line(tmp_path):
    env = dict(os.environ, CLINICGRAPH_OXIGRAPH=str(tmp_path / "oxigraph"))
    result = subprocess.run(
        [sys.executable, "-m", "clinicgraph", "serve", str(EXAMPLE), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "oxigraph program" in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_oxigraph_and_removes_the_temporary_store():
    process, _url = start()
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    (child,) = children.read_text().split()
    location = Path(re.search(r"--location\x00([^\x00]+)", Path(f"/proc/{child}/cmdline").read_text())[1])
    assert location.is_dir()
    assert stop(process) == 0
    assert process.lines.get(timeout=5).strip() == "stopped"
    assert not Path(f"/proc/{child}").exists()
    assert not location.parent.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_server_stops_with_one_line_when_oxigraph_dies():
    process, _url = start()
    (child,) = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    os.kill(int(child), signal.SIGKILL)
    assert process.wait(timeout=30) == 2
    assert process.stderr.read() == "clinicgraph: the oxigraph server stopped: killed by signal 9\n"


def test_a_restart_over_a_current_store_reuses_it_and_a_changed_source_is_read_again(tmp_path):
    source, store = tmp_path / "site", tmp_path / "store"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("site"))
    served = store / "clinicgraph-served" / "clinicgraph-served.json"

    def condition_names() -> list[str]:
        process, url = start("--store", str(store), source=source)
        try:
            answer = httpx.post(url + "sparql", data={"query": CONDITION}, headers={"accept": "text/csv"})
            page = httpx.get(url + "jsonld/" + PAGE).text
        finally:
            assert stop(process) == 0
        assert "Back spasm" in page
        return answer.text.splitlines()[1:]

    assert condition_names() == ["Back spasms"]
    written = served.stat().st_mtime_ns
    assert condition_names() == ["Back spasms"]
    assert served.stat().st_mtime_ns == written  # neither loaded nor written again
    content = source / "content" / "conditions" / "back-spasms.yaml"
    content.write_text(
        content.read_text("utf-8").replace('name: "Back spasms"', 'name: "Back spasms (acute)"'), "utf-8"
    )
    assert condition_names() == ["Back spasms (acute)"]
    assert served.stat().st_mtime_ns != written
