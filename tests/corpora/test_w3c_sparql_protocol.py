"""The W3C SPARQL 1.1 Protocol tests (``w3c-sparql11/protocol/manifest.ttl``), every
request of every test, read from the manifest and sent to a real `clinicgraph serve`.

The endpoint serves a project whose sources are the tests' data files (data1.nt,
data2.nt, data3.nt, copied into a temporary project: the loader follows no link out of
a project folder), each a named graph
``urn:clinicgraph:source:dataN.nt``. The manifest names those graphs by the IRIs of its
``ut:graphData`` labels (``http://kasei.us/2009/09/sparql/data/dataN.rdf``); where a
request names a graph (``default-graph-uri``, ``named-graph-uri``, a query's FROM and
FROM NAMED) that IRI is mapped to the file's source graph. The same IRIs are also the
data's subjects, which stay as written. The manifest's ``/sparql/`` path is the
endpoint's ``/sparql`` (the manifest lets a runner choose the path).

The endpoint is read-only by design: a request that is a SPARQL Update must get the
403 refusal instead of the 2xx the manifest expects, and the questions that follow it
in its test (did the update happen?) must answer no.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx
import pytest
import rdflib
from rdflib import RDF, Namespace
from rdflib.collection import Collection

from tests.corpora.paths import corpus
from tests.sparql.serving import start, stop

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
READ_ONLY = "the endpoint is read-only by design: SPARQL Update is refused (403), and nothing changes"
UPDATE_TYPE = "application/sparql-update"
RESULTS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "text/html"),
}

FOLDER = corpus("w3c-sparql11", "protocol")
MANIFEST = rdflib.Graph().parse(FOLDER / "manifest.ttl", format="turtle")


def requests_of(test) -> list:
    action = MANIFEST.value(test, MF.action)
    return list(Collection(MANIFEST, MANIFEST.value(action, HT.requests)))


def entries() -> list:
    manifest = MANIFEST.value(predicate=RDF.type, object=MF.Manifest)
    return list(Collection(MANIFEST, MANIFEST.value(manifest, MF.entries)))


def graph_names() -> dict[str, str]:
    """The manifest's graph IRIs -> the source graphs of the files they label."""
    names = {}
    for data in MANIFEST.objects(None, UT.graphData):
        file = Path(str(MANIFEST.value(data, UT.graph)).removeprefix("file://")).name
        names[str(MANIFEST.value(data, rdflib.RDFS.label))] = f"urn:clinicgraph:source:{file}"
    return names


NAMES = graph_names()
TESTS = entries()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = tmp_path_factory.mktemp("protocol")
    (project / "clinicgraph.toml").write_text(
        '[site]\nurl = "http://www.example/"\nname = "W3C protocol tests"\nlanguage = "en"\n',
        encoding="utf-8",
    )
    for graph in sorted(set(NAMES.values())):  # the loader follows no link out of a project: copies
        data = graph.removeprefix("urn:clinicgraph:source:")
        (project / data).write_bytes((FOLDER / data).read_bytes())
    process, url = start(source=project)
    yield url.rstrip("/")
    stop(process)


def mapped_parameters(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (
            name,
            NAMES.get(value, value)
            if name.endswith("graph-uri")
            else _mapped_query(value)
            if name == "query"
            else value,
        )
        for name, value in pairs
    ]


def _mapped_query(text: str) -> str:
    """A query with the graphs its FROM and FROM NAMED name mapped (its patterns not)."""
    return re.sub(
        r"(?i)(\bFROM\s+(?:NAMED\s+)?)<([^>]*)>", lambda m: f"{m[1]}<{NAMES.get(m[2], m[2])}>", text
    )


def is_update(method: str, path: str, headers: dict, body: str | None) -> bool:
    form = headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
    names = {name for name, _ in parse_qsl(urlsplit(path).query)}
    names |= {name for name, _ in parse_qsl(body or "")} if form else set()
    return "update" in names or headers.get("content-type", "").startswith(UPDATE_TYPE)


def send(server: str, request) -> tuple[httpx.Response, bool]:
    """Send one request of the manifest (mapped as the module says); and whether it is an update."""
    method = str(MANIFEST.value(request, HT.methodName))
    path = str(MANIFEST.value(request, HT.absolutePath))
    headers = {
        str(MANIFEST.value(h, HT.fieldName)).lower(): str(MANIFEST.value(h, HT.fieldValue))
        for h in Collection(MANIFEST, MANIFEST.value(request, HT.headers) or rdflib.RDF.nil)
    }
    body_node = MANIFEST.value(request, HT.body)
    body = str(MANIFEST.value(body_node, CNT.chars)) if body_node is not None else None
    update = is_update(method, path, headers, body)
    parts = urlsplit(path)
    url = server + parts.path.replace("/sparql/", "/sparql", 1)
    query = urlencode(mapped_parameters(parse_qsl(parts.query, keep_blank_values=True)), quote_via=quote)
    if body is not None and headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = urlencode(mapped_parameters(parse_qsl(body, keep_blank_values=True)), quote_via=quote)
    elif body is not None and headers.get("content-type", "").startswith("application/sparql-query"):
        body = _mapped_query(body)
    encoding = (
        str(MANIFEST.value(body_node, CNT.characterEncoding) or "UTF-8") if body_node is not None else "UTF-8"
    )
    content = body.encode(encoding) if body is not None else None
    answer = httpx.request(
        method, url + (f"?{query}" if query else ""), content=content, headers=headers, timeout=30
    )
    return answer, update


def boolean_of(answer: httpx.Response) -> bool:
    media = answer.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return answer.json()["boolean"]
    assert media == "application/sparql-results+xml", media
    return re.search(r"<boolean>\s*(true|false)\s*</boolean>", answer.text)[1] == "true"


@pytest.mark.parametrize("test", TESTS, ids=[str(test).rsplit("#", 1)[1] for test in TESTS])
def test_protocol(server, test):
    updated = False
    for request in requests_of(test):
        answer, update = send(server, request)
        response = MANIFEST.value(request, HT.resp)
        classes = {
            int(str(code).rsplit("StatusCode", 1)[1][0])
            for code in MANIFEST.objects(response, MF.expectedStatus)
        }
        if update:  # READ_ONLY
            assert answer.status_code == 403 and "read-only" in answer.text, (answer.status_code, answer.text)
            updated = True
            continue
        assert answer.status_code // 100 in classes, (answer.status_code, answer.text)
        expected_format = MANIFEST.value(response, MF.expectedFormat)
        if expected_format is not None:
            assert answer.headers["content-type"].split(";")[0] in RESULTS[str(expected_format)], (
                answer.headers
            )
        expected_boolean = MANIFEST.value(response, MF.expectedBoolean)
        if expected_boolean is not None:  # after a refused update, what it would have written is not there
            assert boolean_of(answer) is (expected_boolean.toPython() and not updated)
