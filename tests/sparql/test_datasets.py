"""The dataset a query sees, through `query` (the library) and `query --store`.

The default graph is the RDF merge of the source files (a triple two files state is
there once), each file is a named graph ``urn:clinicgraph:source:<path>`` (where a
triple was written stays known), and a query's own FROM and FROM NAMED replace that
dataset (SPARQL 1.1 Query, 13.2).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from conftest import SITE, write_project
from hypothesis import given, settings
from hypothesis import strategies as st
from serving import start, stop

from clinicgraph import pipeline
from clinicgraph.graph.project import load_project
from clinicgraph.graph.store import Store
from clinicgraph.vocab.vocabulary import load_vocabulary

NAME, THING = "<http://schema.org/name>", "<http://schema.org/Thing>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
A = f'<{SITE}#x> {NAME} "X" .\n<{SITE}#x> {TYPE} {THING} .\n'
B = f'<{SITE}#x> {NAME} "X" .\n<{SITE}#y> {NAME} "Y" .\n'  # shares its first triple with A
GRAPH_A, GRAPH_B = "urn:clinicgraph:source:a.nt", "urn:clinicgraph:source:b.nt"


def rows(project, query: str) -> list[dict]:
    result = json.loads(pipeline.query(project, query, "json"))
    return [{name: value["value"] for name, value in row.items()} for row in result["results"]["bindings"]]


def count(project, query: str) -> int:
    return int(rows(project, query)[0]["n"])


def test_a_triple_two_files_state_is_once_in_the_default_graph(load):
    project = load({"a.nt": A, "b.nt": B})
    assert count(project, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 3
    assert rows(project, 'SELECT ?s WHERE { ?s schema:name "X" }') == [{"s": f"{SITE}#x"}]
    # and each file keeps it in its own named graph
    per_graph = rows(
        project, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    assert per_graph == [{"g": GRAPH_A, "n": "2"}, {"g": GRAPH_B, "n": "2"}]


def test_from_replaces_the_default_graph(load):
    project = load({"a.nt": A, "b.nt": B})
    assert count(project, "SELECT (COUNT(*) AS ?n) FROM <urn:none> WHERE { ?s ?p ?o }") == 0
    assert count(project, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_B}> WHERE {{ ?s ?p ?o }}") == 2
    assert rows(project, f"SELECT ?s FROM <{GRAPH_A}> WHERE {{ ?s a ?type }}") == [{"s": f"{SITE}#x"}]


def test_from_named_alone_leaves_the_default_graph_empty(load):
    project = load({"a.nt": A, "b.nt": B})
    assert count(project, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH_B}> WHERE {{ ?s ?p ?o }}") == 0
    assert rows(
        project, f"SELECT DISTINCT ?g FROM NAMED <{GRAPH_B}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    ) == [{"g": GRAPH_B}]
    assert rows(project, f"SELECT DISTINCT ?g FROM <{GRAPH_A}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == []


def test_the_word_from_elsewhere_is_no_dataset(load):
    project = load({"a.nt": A})
    query = 'SELECT ?from WHERE { ?s schema:name ?from FILTER(?from != "from") } # FROM <urn:none>'
    assert rows(project, query) == [{"from": "X"}]


def test_an_on_disk_store_keeps_the_merge_in_step_with_its_files(tmp_path):
    source, store = write_project(tmp_path / "site", {"a.nt": A, "b.nt": B}), tmp_path / "store"
    total = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert count(pipeline.open_for_query(source, store), total) == 3
    assert count(pipeline.open_for_query(source, store), total) == 3  # the store reused, merge and all
    vocabulary = load_vocabulary(None)
    (source / "b.nt").write_text(
        f'<{SITE}#y> {NAME} "Y" .\n', encoding="utf-8"
    )  # b no longer states x's name
    project = load_project(source, vocabulary, store, changes_only=True)
    assert project.store.merged and count(project, total) == 3  # a still does
    project.store.oxigraph.flush()
    del project
    (source / "a.nt").write_text(f"<{SITE}#x> {TYPE} {THING} .\n", encoding="utf-8")
    project = load_project(source, vocabulary, store, changes_only=True)
    assert count(project, total) == 2 and rows(project, f'SELECT * WHERE {{ ?s {NAME} "X" }}') == []


def test_exports_keep_one_graph_per_file_and_no_merge(load):
    project = load({"a.nt": A, "b.nt": B})
    pipeline.query(project, "ASK {}")  # a user's query: the store keeps the merge
    assert project.store.merged
    lines = pipeline.export(project, "nquads").decode().splitlines()
    assert len(lines) == 4 and all(line.endswith((f"<{GRAPH_A}> .", f"<{GRAPH_B}> .")) for line in lines)
    assert len(pipeline.export(project, "nt").decode().splitlines()) == 3
    copy = project.store.memory_copy()  # what a build reads
    assert not copy.merged and len(list(copy.oxigraph)) == 4


def test_a_build_does_not_make_the_merge(load, tmp_path):
    project = load({"a.nt": A, "b.nt": B})
    report = pipeline.build(project, tmp_path / "dist", allow_errors=True, jobs=1)
    assert report.triples == 3 and not project.store.merged


# --- the property: whatever files state, queries see their merge and each file --------------

SUBJECTS = [f"<{SITE}#{name}>" for name in "abc"]
TRIPLE = st.builds(
    lambda s, value: f'{s} {NAME} "{value}" .', st.sampled_from(SUBJECTS), st.sampled_from("123")
)
FILES = st.lists(st.sets(TRIPLE, min_size=1, max_size=6), min_size=1, max_size=3)
VOCABULARY = load_vocabulary(None)


@settings(max_examples=40, deadline=None)
@given(FILES)
def test_queries_see_the_merge_of_the_files_and_each_file(files):
    with tempfile.TemporaryDirectory() as folder:
        source = write_project(
            Path(folder), {f"f{i}.nt": "\n".join(sorted(lines)) + "\n" for i, lines in enumerate(files)}
        )
        project = load_project(source, VOCABULARY)
        merged = set().union(*files)
        found = rows(project, f"SELECT ?s ?o WHERE {{ ?s {NAME} ?o }}")
        assert sorted(f'<{row["s"]}> {NAME} "{row["o"]}" .' for row in found) == sorted(merged)  # each once
        for index, lines in enumerate(files):
            graph = f"<urn:clinicgraph:source:f{index}.nt>"
            assert count(project, f"SELECT (COUNT(*) AS ?n) FROM {graph} WHERE {{ ?s ?p ?o }}") == len(lines)
            assert count(project, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}") == len(
                lines
            )
        assert isinstance(project.store, Store) and project.store.merged == (
            sum(map(len, files)) > len(merged)
        )


def test_the_engine_repeats_a_shared_triple_in_a_union_which_is_why_the_merge_is_kept():
    """oxigraph/oxigraph#1919 in the pyoxigraph this runs on: when this fails, the union
    option merges, and Store.keep_merge could go."""
    store = pyoxigraph.Store()
    for graph in ("urn:a", "urn:b"):
        store.add(
            pyoxigraph.Quad(
                pyoxigraph.NamedNode("urn:s"),
                pyoxigraph.NamedNode("urn:p"),
                pyoxigraph.Literal("o"),
                pyoxigraph.NamedNode(graph),
            )
        )
    assert len(list(store.query("SELECT * WHERE { ?s ?p ?o }", use_default_graph_as_union=True))) == 2


# --- serve: the same dataset on the endpoint, with the protocol's dataset parameters -------


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    source = write_project(tmp_path_factory.mktemp("shared") / "site", {"a.nt": A, "b.nt": B})
    process, url = start(source=source)
    yield url + "sparql"
    stop(process)


def served(endpoint: str, query: str, *dataset: tuple[str, str]) -> list[dict]:
    answer = httpx.post(
        endpoint,
        params=list(dataset),
        content=query,
        headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    return [
        {name: value["value"] for name, value in row.items()} for row in answer.json()["results"]["bindings"]
    ]


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_the_endpoint_answers_over_the_merge_and_the_files(endpoint):
    assert served(endpoint, COUNT) == [{"n": "3"}]
    assert served(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g") == [
        {"g": GRAPH_A},
        {"g": GRAPH_B},
    ]
    assert served(endpoint, COUNT.replace("WHERE", "FROM <urn:none> WHERE")) == [{"n": "0"}]
    assert served(endpoint, COUNT.replace("WHERE", f"FROM NAMED <{GRAPH_A}> WHERE")) == [{"n": "0"}]


def test_the_protocols_dataset_replaces_the_querys(endpoint):
    assert served(endpoint, COUNT, ("default-graph-uri", GRAPH_A)) == [{"n": "2"}]
    assert served(
        endpoint, COUNT.replace("WHERE", "FROM <urn:none> WHERE"), ("default-graph-uri", GRAPH_B)
    ) == [{"n": "2"}]
    named = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    assert served(endpoint, named, ("named-graph-uri", GRAPH_B)) == [{"g": GRAPH_B, "n": "2"}]
    assert served(endpoint, COUNT, ("named-graph-uri", GRAPH_B)) == [{"n": "0"}]  # no default graph given
