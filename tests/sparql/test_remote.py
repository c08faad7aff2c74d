"""The SPARQL 1.1 client: errors as one line, prefixes, URLs, and stores' quirks."""

import json
import os

import pytest
from conftest import run_cli
from servers import free_port

from clinicgraph import pipeline
from clinicgraph.graph.query_text import declared_prefixes
from clinicgraph.sparql.remote import (
    Endpoint,
    EndpointError,
    _standard_json,
    companion_urls,
    server_message,
    with_prefixes,
)

CAUSES = "SELECT ?cause WHERE { ?c schema:cause/schema:name ?cause } ORDER BY ?cause"


@pytest.fixture
def question(tmp_path):
    """question(text) -> a .rq file for `query -f`."""

    def write(text: str = CAUSES):
        path = tmp_path / "question.rq"
        path.write_text(text)
        return path

    return write


def environ(**extra):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CLINICGRAPH_ENDPOINT")}
    return {**clean, **extra}


def one_line_error(result, *expected):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def test_unreachable_endpoint_is_one_line(example_dir, tmp_path, question):
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    one_line_error(
        run_cli("query", "--endpoint", url, "-f", question()), f"cannot reach {url}: connection refused"
    )
    one_line_error(run_cli("push", example_dir, "--endpoint", url), "cannot reach http://127.0.0.1:")
    one_line_error(run_cli("build", example_dir, "--endpoint", url, "-o", tmp_path / "dist"), "cannot reach")
    assert not (tmp_path / "dist").exists()


def test_wrong_password_is_one_line(virtuoso_server, example_dir, question):
    url = virtuoso_server.url
    for auth in ("digest", "basic"):  # Virtuoso wants digest: basic gets a bare 401 and a hint
        pushed = run_cli(
            "push",
            example_dir,
            "--endpoint",
            url,
            "--user",
            "dba",
            "--auth",
            auth,
            env=environ(CLINICGRAPH_ENDPOINT_PASSWORD="wrong"),
        )
        one_line_error(pushed, "refused the user 'dba'", "(HTTP 401)")
        assert "wrong" not in pushed.stderr
    asked = run_cli(
        "query",
        "--endpoint",
        url,
        "-f",
        question(),
        env=environ(
            CLINICGRAPH_ENDPOINT_USER="dba",
            CLINICGRAPH_ENDPOINT_PASSWORD="wrong",
            CLINICGRAPH_ENDPOINT_AUTH="digest",
        ),
    )
    one_line_error(asked, f"{url} refused the user 'dba' with digest authentication (HTTP 401)")


def test_missing_credentials_say_what_to_give(virtuoso_server, example_dir):
    one_line_error(
        run_cli("push", example_dir, "--endpoint", virtuoso_server.url, env=environ()),
        "asks for a user and password (HTTP 401): give --user and --password",
    )


def test_credentials_in_the_url_are_used_and_never_printed(virtuoso_server, question):
    url = virtuoso_server.url.replace("://", "://dba:dba@")
    ask = question("ASK { ?s ?p ?o }")
    answer = run_cli("query", "--endpoint", url, "-f", ask, env=environ(CLINICGRAPH_ENDPOINT_AUTH="digest"))
    assert answer.returncode == 0 and answer.stdout == "yes\n", answer.stderr
    refused = run_cli(
        "query",
        "--endpoint",
        url.replace("dba@", "secret@"),
        "-f",
        ask,
        env=environ(CLINICGRAPH_ENDPOINT_AUTH="digest"),
    )
    one_line_error(refused, "(HTTP 401)")
    assert "secret" not in refused.stderr


def test_a_query_the_server_refuses_is_one_line(sparql_server, tmp_path):
    question = tmp_path / "broken.rq"
    question.write_text("SELECT ?s WHERE {\n  ?s ?p\n}\n")
    result = run_cli(
        "query", "--endpoint", sparql_server.url, "-f", question, env=environ(**sparql_server.auth_env())
    )
    one_line_error(result, f"{question}: the endpoint refused the query: ")


def test_service_is_refused_before_anything_is_sent(question):
    url = f"http://127.0.0.1:{free_port()}/query"  # not reached: the refusal comes first
    service = question("SELECT * { SERVICE <http://x.example/sparql> { ?s ?p ?o } }")
    result = run_cli("query", "--endpoint", url, "-f", service)
    one_line_error(result, "SERVICE is refused")


def test_https_schema_org_in_a_remote_query_finds_the_data(sparql_server, example_dir):
    run_cli("push", example_dir, "--endpoint", sparql_server.url, *sparql_server.auth_options())
    endpoint = sparql_server.endpoint()
    https = CAUSES.replace("schema:cause/schema:name", "<https://schema.org/cause>/<https://schema.org/name>")
    assert endpoint.query(https, "csv") == endpoint.query(CAUSES, "csv")
    assert endpoint.query(CAUSES, "csv") == pipeline.query(pipeline.open_project(example_dir), CAUSES, "csv")


def test_prefixes_are_added_only_where_the_query_lacks_them():
    mine = "PREFIX schema: <https://example.org/mine/>\n# PREFIX rdf: in a comment does not count\nASK {}"
    assert declared_prefixes(mine) == {"schema"}
    sent = with_prefixes(mine)
    assert "PREFIX schema: <http://schema.org/>" not in sent and "PREFIX rdf: <" in sent
    assert sent.count("\n") == mine.count("\n")  # the server's line numbers stay right
    assert with_prefixes(with_prefixes(CAUSES)) == with_prefixes(CAUSES)


def test_companion_urls_follow_common_stores():
    assert companion_urls("http://h:7878/query") == ("http://h:7878/update", "http://h:7878/store")
    assert companion_urls("http://h/sparql") == ("http://h/sparql", "http://h/sparql-graph-crud")
    assert companion_urls("http://h/sparql-auth") == (
        "http://h/sparql-auth",
        "http://h/sparql-graph-crud-auth",
    )
    assert companion_urls("http://h/repositories/clinic") == (
        "http://h/repositories/clinic/statements",
        "http://h/repositories/clinic/rdf-graphs/service",
    )
    assert companion_urls("http://h/ds") == ("http://h/ds", "http://h/ds")
    endpoint = Endpoint("http://h/query", update_url="http://u/", graph_store_url="http://g/")
    assert (endpoint.update_url, endpoint.graph_store_url) == ("http://u/", "http://g/")


def test_bad_endpoint_urls_and_graph_names_are_refused(example_dir):
    with pytest.raises(EndpointError, match="http"):
        Endpoint("ftp://h/sparql")
    one_line_error(
        run_cli("push", example_dir, "--endpoint", "http://127.0.0.1:1/query", "--graph", "not an iri"),
        "the graph must be an absolute IRI",
    )


def test_server_messages_become_one_line():
    virtuoso_403 = (
        b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html>\n  <head>\n'
        b"    <title>SPARQL Graph Protocol request failed</title>\n  </head>\n  <body>\n"
        b"    <h1>HTTP/1.1 403 Forbidden</h1>\n    <h3>Error 42000</h3>\n"
        b"<xmp>SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD</xmp></body></html>"
    )
    assert server_message(virtuoso_403) == (
        "HTTP/1.1 403 Forbidden Error 42000 SQ110:SECURITY: Permission denied for delete from DB.DBA.RDF_QUAD"
    )
    virtuoso_400 = b"Virtuoso 37000 Error SP030: syntax error at '}'\n\nSPARQL query:\nSELECT * { ?s ?p }"
    assert server_message(virtuoso_400) == "Virtuoso 37000 Error SP030: syntax error at '}'"
    assert len(server_message(b"x" * 1000)) == 300


def test_virtuoso_results_are_made_standard():
    ask = {
        "head": {"vars": ["__ASK_RETVAL"]},
        "results": {"bindings": [{"__ASK_RETVAL": {"type": "typed-literal", "value": "1"}}]},
    }
    assert _standard_json(json.dumps(ask).encode(), "ASK") is True
    ask["results"]["bindings"] = []
    assert _standard_json(json.dumps(ask).encode(), "ASK") is False
    select = {
        "head": {"vars": ["b", "x"]},
        "results": {
            "bindings": [
                {
                    "b": {"type": "bnode", "value": "nodeID://b10001"},
                    "x": {
                        "type": "typed-literal",
                        "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
                        "value": "1",
                    },
                }
            ]
        },
    }
    fixed = json.loads(_standard_json(json.dumps(select).encode(), "SELECT"))["results"]["bindings"][0]
    assert fixed["b"]["value"] == "nodeID___b10001" and fixed["x"]["value"] == "true"


def test_a_query_given_inline_to_an_endpoint(oxigraph_server, example_dir):
    """`query --endpoint URL 'QUERY'`: the query is text, not a folder; its IRIs keep their //."""
    run_cli("push", example_dir, "--endpoint", oxigraph_server.url, *oxigraph_server.auth_options())
    inline = "SELECT ?n WHERE { ?c <https://schema.org/name> ?n ; a schema:MedicalClinic }"
    result = run_cli("query", "--endpoint", oxigraph_server.url, inline, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "Westwood Total Health"]
