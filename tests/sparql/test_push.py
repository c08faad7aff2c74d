"""`clinicgraph push` and `build --endpoint` against real servers (Oxigraph, Virtuoso)."""

import os
import shutil
import uuid

import pytest
from conftest import ntriples_graph, run_cli
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib.compare import isomorphic

from clinicgraph import pipeline
from clinicgraph.sparql.push import blank_node_groups, push, update_requests
from clinicgraph.sparql.remote import EndpointError, Unsupported

SITE_GRAPH = "https://westwoodtotalhealth.example/"
BLANK_NODES = """\
@prefix schema: <http://schema.org/> .
<https://clinic.example/#clinic> a schema:MedicalClinic ; schema:name "Clinic" ;
    schema:review [ a schema:Review ; schema:reviewBody "Good" ;
                    schema:author [ a schema:Person ; schema:name "Ann" ] ] ,
                  [ a schema:Review ; schema:reviewBody "Fine" ] .
"""


@pytest.fixture
def graph(sparql_server):
    """A named graph of this test's own, dropped afterwards (queries see the union)."""
    iri = f"https://test.example/{uuid.uuid4().hex}/"
    yield iri
    sparql_server.endpoint().update(f"DROP SILENT GRAPH <{iri}>")


@pytest.fixture(scope="module")
def example(example_dir):
    return pipeline.open_project(example_dir)


def as_graph(triples):
    """rdflib Graph of pyoxigraph triples: compared up to blank node names."""
    return ntriples_graph("".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples))


def push_cli(server, source, *options):
    return run_cli("push", source, "--endpoint", server.url, *server.auth_options(), *options)


def test_push_then_query_gives_the_local_answers(sparql_server, example_dir, example):
    pushed = push_cli(sparql_server, example_dir)
    assert pushed.returncode == 0, pushed.stderr
    (line,) = pushed.stdout.splitlines()
    assert line.startswith(f"pushed 297 triples to graph <{SITE_GRAPH}> at ") and " s (graph store" in line
    endpoint = sparql_server.endpoint()
    for path in sorted((example_dir.parent / "queries").glob("*.rq")):
        text = path.read_text()
        for format_name in ("table", "json", "csv", "xml"):
            local = pipeline.query(example, text, format_name)
            assert endpoint.query(text, format_name) == local, (path.name, format_name)
    # and as a user runs it, the query from a file, credentials from the environment
    question = example_dir.parent / "queries" / "clinics-by-rating.rq"
    remote = run_cli(
        "query",
        "--endpoint",
        sparql_server.url,
        "-f",
        question,
        env={**_environ(), **sparql_server.auth_env()},
    )
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == run_cli("query", example_dir, "-f", question).stdout


def test_ask_construct_and_describe_come_back_as_local(sparql_server, example_dir, example):
    push_cli(sparql_server, example_dir)
    endpoint = sparql_server.endpoint()
    for text in ("ASK { ?c a schema:MedicalClinic }", "ASK { ?c a schema:Hospital }"):
        for format_name in ("table", "json", "xml", "csv"):
            assert endpoint.query(text, format_name) == pipeline.query(example, text, format_name)
    construct = "CONSTRUCT { ?c schema:name ?n } WHERE { ?c a schema:MedicalCondition ; schema:name ?n }"
    assert endpoint.query(construct, "turtle") == pipeline.query(example, construct, "turtle")
    describe = f"DESCRIBE <{SITE_GRAPH}#clinic/address>"  # no base IRI remotely: written in full
    local = set(ntriples_graph(pipeline.query(example, describe, "nt")))
    assert len(local) == 6 and local <= set(ntriples_graph(endpoint.query(describe, "nt")))
    # (what DESCRIBE adds is the store's choice: Virtuoso adds the triples pointing at the node)


def test_pushing_twice_replaces_the_graph(sparql_server, example_dir, example, graph):
    for _ in range(2):
        assert push_cli(sparql_server, example_dir, "--graph", graph).returncode == 0
    endpoint = sparql_server.endpoint()
    assert set(endpoint.get_graph(graph)) == set(example.store.triples())
    count = endpoint.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "csv")
    assert count.split() == [b"n", b"297"]


def test_a_change_is_pushed(sparql_server, example_dir, graph, tmp_path):
    site = shutil.copytree(example_dir, tmp_path / "site")
    assert push_cli(sparql_server, site, "--graph", graph).returncode == 0
    clinic = site / "content" / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace('name: "Westwood', 'name: "Eastwood'))
    assert push_cli(sparql_server, site, "--graph", graph).returncode == 0
    names = sparql_server.endpoint().query(
        f"SELECT ?name WHERE {{ GRAPH <{graph}> {{ <{SITE_GRAPH}#clinic> schema:name ?name }} }}", "csv"
    )
    assert names.split(b"\r\n")[1:] == [b"Eastwood Total Health", b""]


def test_build_from_the_endpoint_writes_the_same_pages(sparql_server, example_dir, graph, tmp_path):
    assert push_cli(sparql_server, example_dir, "--graph", graph).returncode == 0
    local = run_cli("build", example_dir, "-o", tmp_path / "local")
    remote = run_cli(
        "build",
        example_dir,
        "--endpoint",
        sparql_server.url,
        "--graph",
        graph,
        "-o",
        tmp_path / "remote",
        env={**_environ(), **sparql_server.auth_env()},
    )
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr
    assert remote.stdout.startswith("built 1 page, ")
    pages = sorted(
        p.relative_to(tmp_path / "local")
        for p in (tmp_path / "local").rglob("*")
        if p.suffix in (".jsonld", ".html")
    )
    assert len(pages) == 2
    for page in pages:
        assert (tmp_path / "remote" / page).read_bytes() == (tmp_path / "local" / page).read_bytes(), page


@pytest.mark.parametrize("method", ["graph-store", "update"])
def test_blank_nodes_survive(sparql_server, make_project, graph, method):
    project = pipeline.open_project(make_project({"clinic.ttl": BLANK_NODES}))
    triples = project.store.triples()
    assert any(isinstance(t.subject, BlankNode) for t in triples)
    endpoint = sparql_server.endpoint()
    report = pipeline.push(project, endpoint, graph, method)
    assert report.requests == 1
    assert isomorphic(as_graph(endpoint.get_graph(graph)), as_graph(triples))


def test_a_large_graph_goes_in_chunks_by_update(sparql_server, example, make_project, graph):
    blanks = pipeline.open_project(make_project({"clinic.ttl": BLANK_NODES})).store.triples()
    triples = example.store.triples() + blanks
    endpoint = sparql_server.endpoint()
    report = push(endpoint, triples, graph, "update", chunk_triples=50)
    assert report.requests == 7 and "not atomic" in report.summary()
    assert isomorphic(as_graph(endpoint.get_graph(graph)), as_graph(triples))
    push(endpoint, triples[:10], graph, "update", chunk_triples=50)  # replaces, chunked or not
    assert set(endpoint.get_graph(graph)) == set(triples[:10])


def test_without_a_graph_store_push_falls_back_to_update(sparql_server, example, graph):
    endpoint = sparql_server.endpoint(graph_store_url=sparql_server.url.rsplit("/", 1)[0] + "/no-such-path")
    report = pipeline.push(example, endpoint, graph)
    assert report.method == "SPARQL update" and "no graph store at" in report.summary()
    assert set(endpoint.get_graph(graph)) == set(example.store.triples())
    with pytest.raises(Unsupported, match=r"HTTP (404|405|501)"):  # Oxigraph 404, Virtuoso 501
        pipeline.push(example, endpoint, graph, "graph-store")


def test_virtuoso_anonymous_endpoint_writes_once_granted(virtuoso_server, example_dir, example):
    graph = f"https://test.example/{uuid.uuid4().hex}/"
    url = virtuoso_server.extra["anonymous"]
    for method in ("graph-store", "update"):
        pushed = run_cli("push", example_dir, "--endpoint", url, "--graph", graph, "--method", method)
        assert pushed.returncode == 0, pushed.stderr
        assert set(virtuoso_server.endpoint().get_graph(graph)) == set(example.store.triples())
    virtuoso_server.endpoint().update(f"DROP SILENT GRAPH <{graph}>")


def test_digest_auth_with_a_large_body(virtuoso_server):
    """Virtuoso resets the connection, the body unread, when a large body comes without
    valid credentials: the client learns the challenge first, and names a wrong password."""
    graph = f"https://test.example/{uuid.uuid4().hex}/"
    text = NamedNode("https://large.example/text")  # no schema.org term: the example queries skip it
    wrong = [Triple(NamedNode("https://large.example/"), text, Literal("x" * 8_000_000))]
    with pytest.raises(
        EndpointError, match=r"refused the user 'dba' with digest authentication \(HTTP 401\)"
    ):
        push(virtuoso_server.endpoint(password="wrong"), wrong, graph, "graph-store")
    large = [
        Triple(NamedNode(f"https://large.example/{i}"), text, Literal(f"text {i}")) for i in range(80_000)
    ]
    endpoint = virtuoso_server.endpoint()
    assert push(endpoint, large, graph, "graph-store").requests == 1  # 6 MB
    assert len(endpoint.get_graph(graph)) == len(large)  # left in the throwaway store: dropping costs seconds


def test_a_store_that_cuts_results_short_is_caught(example_dir, tmp_path):
    """Virtuoso cuts graph store reads at ResultSetMaxRows, silently: build must not publish
    part of the graph."""
    import servers

    if servers.binary("virtuoso-t") is None:
        pytest.skip("virtuoso-t is not installed")
    cutting = servers.start_virtuoso(tmp_path, max_rows=100)
    try:
        assert push_cli(cutting, example_dir).returncode == 0
        built = run_cli(
            "build",
            example_dir,
            "--endpoint",
            cutting.url,
            "-o",
            tmp_path / "dist",
            env={**_environ(), **cutting.auth_env()},
        )
        assert built.returncode == 2 and not (tmp_path / "dist").exists()
        assert "of the 297 triples" in built.stderr and "ResultSetMaxRows" in built.stderr
    finally:
        cutting.stop()


def test_data_with_errors_is_not_pushed(oxigraph_server, make_project):
    site = make_project(
        {
            "clinic.yaml": "type: MedicalClinic\nid: '#clinic'\nname: C\n"
            "aggregateRating: {type: AggregateRating, ratingValue: 7, bestRating: 5, "
            "ratingCount: 3}\n"
        }
    )
    graph = f"https://test.example/{uuid.uuid4().hex}/"
    refused = push_cli(oxigraph_server, site, "--graph", graph)
    assert refused.returncode == 1 and "nothing was pushed" in refused.stderr
    assert oxigraph_server.endpoint().get_graph(graph) == []
    allowed = push_cli(oxigraph_server, site, "--graph", graph, "--allow-errors")
    assert allowed.returncode == 0, allowed.stderr
    oxigraph_server.endpoint().update(f"DROP SILENT GRAPH <{graph}>")


def test_blank_node_groups_keep_linked_triples_together(make_project):
    triples = pipeline.open_project(make_project({"clinic.ttl": BLANK_NODES})).store.triples()
    groups = blank_node_groups(triples)
    linked = [group for group in groups if len(group) > 1]
    assert sorted(map(len, linked)) == [3, 6]  # review "Fine" alone; review "Good" with its author
    assert sum(map(len, groups)) == len(triples)
    (single,) = update_requests(triples, "https://g.example/")
    assert single.startswith("DROP SILENT GRAPH <https://g.example/> ;\nINSERT { GRAPH")
    assert "} WHERE {}" in single  # blank nodes: a template, which Virtuoso 7 accepts


def _environ():
    """This environment without CLINICGRAPH_ENDPOINT_* (a developer's own settings)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("CLINICGRAPH_ENDPOINT")}
