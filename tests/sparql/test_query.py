"""`clinicgraph query` on the embedded store, run as a user runs it."""

import csv
import io
import json
import os
import re
import time

import pytest
from conftest import REPO, run_cli
from pyoxigraph import QueryResultsFormat, parse_query_results

QUERIES = sorted((REPO / "examples" / "queries").glob("*.rq"))
CAUSES = (
    "SELECT ?cause WHERE { ?c a schema:MedicalCondition ; schema:cause/schema:name ?cause } ORDER BY ?cause"
)


def query(*args):
    result = run_cli("query", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_select_finds_every_cause_in_each_results_format(example_dir):
    rows = list(csv.DictReader(io.StringIO(query(example_dir, CAUSES, "--format", "csv"))))
    causes = [row["cause"] for row in rows]
    assert len(causes) == 10 and "Heavy lifting" in causes and causes == sorted(causes)
    solutions = json.loads(query(example_dir, CAUSES, "--format", "json"))
    assert [b["cause"]["value"] for b in solutions["results"]["bindings"]] == causes
    for name, fmt in (("xml", QueryResultsFormat.XML), ("tsv", QueryResultsFormat.TSV)):
        parsed = parse_query_results(query(example_dir, CAUSES, "--format", name).encode(), format=fmt)
        assert [s["cause"].value for s in parsed] == causes
    table = query(example_dir, CAUSES)
    assert table.splitlines()[0].strip() == "?cause" and table.rstrip().endswith("(10 rows)")


def test_https_schema_org_in_a_query_still_finds_the_data(example_dir):
    https = CAUSES.replace("schema:cause/schema:name", "<https://schema.org/cause>/<https://schema.org/name>")
    assert query(example_dir, https, "--format", "csv") == query(example_dir, CAUSES, "--format", "csv")


def test_ask_and_construct(example_dir):
    assert query(example_dir, "ASK { ?c a schema:MedicalClinic }") == "yes\n"
    assert (
        json.loads(query(example_dir, "ASK { ?c a schema:Hospital }", "--format", "json"))["boolean"] is False
    )
    turtle = query(
        example_dir, "CONSTRUCT { ?c schema:name ?n } WHERE { ?c a schema:MedicalClinic ; schema:name ?n }"
    )
    assert "Westwood Total Health" in turtle and "@prefix schema:" in turtle
    nt = query(example_dir, "DESCRIBE <#clinic>", "--format", "nt")
    assert (
        "<https://westwoodtotalhealth.example/#clinic> <http://schema.org/telephone>" in nt
    )  # base = site url


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_shipped_question_runs(example_dir, path):
    assert query(example_dir, "-f", path, "--format", "json")


def test_shipped_questions_answer_what_they_say(example_dir):
    def rows(name):
        return json.loads(query(example_dir, "-f", REPO / "examples/queries" / name, "--format", "json"))[
            "results"
        ]["bindings"]

    assert [r["url"]["value"] for r in rows("pages-without-last-reviewed.rq")] == [
        "https://westwoodtotalhealth.example/conditions/back-spasms/"
    ]
    assert rows("conditions-without-citations.rq") == []
    assert [(r["name"]["value"], r["rating"]["value"]) for r in rows("clinics-by-rating.rq")] == [
        ("Westwood Total Health", "4.7")
    ]
    assert len(rows("reviews-without-author-name.rq")) == 1


def test_a_syntax_error_is_one_line_with_line_and_column(example_dir, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x schema:name ?n .\n  ?x @@ ?n .\n}\nLIMIT 5\n")
    result = run_cli("query", example_dir, "-f", bad)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert re.match(rf"{re.escape(str(bad))}:3:\d+: invalid SPARQL: ", result.stderr)  # Oxigraph's position


def test_service_is_refused_without_touching_the_network(example_dir):
    result = run_cli("query", example_dir, "SELECT * WHERE { SERVICE <http://10.255.255.1/> { ?s ?p ?o } }")
    assert result.returncode == 2 and "SERVICE is refused" in result.stderr
    # the word in a string or an IRI is not the keyword
    assert "(0 rows)" in query(example_dir, 'SELECT ?s WHERE { ?s schema:name "SERVICE" }')


def test_an_on_disk_store_is_reused_while_current(example_dir, tmp_path):
    source = tmp_path / "site"
    source.mkdir()
    for path in example_dir.rglob("*"):
        if path.is_file():
            target = source / path.relative_to(example_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    store = tmp_path / "store"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = query(source, count, "--store", store, "--format", "csv")
    marker = store / "clinicgraph-sources.json"
    stamp = marker.stat().st_mtime_ns
    assert query(source, count, "--store", store, "--format", "csv") == first
    assert marker.stat().st_mtime_ns == stamp  # not reloaded
    clinic = source / "content" / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace('name: "Westwood Total Health"', 'name: "Westwood Health"'))
    os.utime(clinic, ns=(time.time_ns(), time.time_ns() + 10**9))
    renamed = query(source, 'ASK { ?c schema:name "Westwood Health" }', "--store", store)
    assert renamed == "yes\n" and marker.stat().st_mtime_ns != stamp  # reloaded


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { FILTER(<http://example.org/f>()) }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(<http://example.org/f>(?o)) }",
        "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }",
    ],
)
def test_an_error_while_evaluating_is_one_line(example_dir, text):
    result = run_cli("query", example_dir, text)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("query: ") or result.stderr.startswith("query:1:")


def test_the_query_is_text_or_a_file_never_both_nor_neither(example_dir, tmp_path):
    """`query`'s arguments, read by the library (pipeline.ask), as the command line reads them."""
    from clinicgraph import pipeline

    question = tmp_path / "q.rq"
    question.write_text("ASK { ?s ?p ?o }", "utf-8")
    assert (
        pipeline.ask(str(example_dir), None, question, "csv")
        == pipeline.ask(str(example_dir), "ASK { ?s ?p ?o }", None, "csv")
        == b"_askResult\r\ntrue\r\n"
    )
    for text, query_file in (("ASK {}", question), (None, None)):
        with pytest.raises(pipeline.BadUsage, match="not both"):
            pipeline.ask(str(example_dir), text, query_file)
    with pytest.raises(pipeline.BadUsage, match="give a SOURCE folder"):
        pipeline.ask(None, None, question)
    result = run_cli("query", example_dir, "ASK {}", "-f", question)
    assert result.returncode == 2 and result.stderr.startswith("Usage: ") and "not both" in result.stderr
