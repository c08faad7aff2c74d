"""The W3C SPARQL 1.1 query evaluation tests (``w3c-sparql11/*/manifest.ttl``), run
through clinicgraph's query path, beside pyoxigraph on the same data as the control.

clinicgraph: a project per set of data files (projects are shared by the tests that
read the same files), whose sources are those files, each written as N-Triples with
the triples its W3C address gives it (clinicgraph reads no RDF/XML, and a source's
relative IRIs would resolve against the site, not the file); queries run through
``sparql.local.run_query`` with the query file's address as base. Each file is a named
graph ``urn:clinicgraph:source:<path>.nt``: where a query names a file's graph (its
address, or its relative IRI) the harness names the source graph instead, and maps
source graphs in results back to the files' addresses.

The control: pyoxigraph with the W3C dataset itself (``qt:data`` in the default graph,
``qt:graphData`` as named graphs called by their addresses), no union of graphs.

Each test runs twice through clinicgraph. Over the project of its own files, with the
default dataset a project has (the default graph the merge of its files, every file a
named graph), which is the W3C dataset except where a file is read both ways. And over
the project of every file its folder's tests read, with the test's dataset named by
FROM (its ``qt:data``) and FROM NAMED (its ``qt:graphData``) clauses the harness puts
in the query (a query with its own keeps them): the dataset clauses must then choose
exactly the W3C dataset among the folder's files.

Each test checks both: clinicgraph answers as the control does, and as the expected
result says (where that comparison is well-defined, see tests/corpora/w3c_sparql.py),
unless the test is listed below with the reason it differs. The lists are strict: a
listed test that stops differing fails, so they stay true.

Entailment and federation (SERVICE) manifests are out of scope; update manifests hold
no query evaluation tests.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyoxigraph
import pytest
from pyoxigraph import NamedNode, Quad, QueryResultsFormat, RdfFormat

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.ids import source_graph
from clinicgraph.graph.project import load_project
from clinicgraph.sparql.local import run_query
from clinicgraph.sparql.results import render
from clinicgraph.vocab.vocabulary import load_vocabulary
from tests.corpora.paths import corpus
from tests.corpora.w3c_sparql import (
    W3C,
    Case,
    address,
    cases,
    expected,
    mapped,
    ordering,
    plain,
    read_rdf,
    same,
)

OWN_NAME = (
    "the data names its graph by the file's IRI (<> in exists-graph-variable.ttl, the object of "
    "sq01.rdf's triples); clinicgraph calls a file's graph urn:clinicgraph:source:<path>"
)
# clinicgraph answers differently from the control, by design:
DIFFERENT_FROM_CONTROL = {
    "exists/exists-graph-variable": OWN_NAME,
    "subquery/subquery02": OWN_NAME,
    "subquery/subquery04": "every source file is a named graph, sq04.rdf (the test's default graph) too, "
    "so GRAPH ?g also finds its triple",
}

ZERO_LENGTH = "a zero-length path from a constant on an empty dataset: Oxigraph gives no solution, the test the constant"
GROUP_CONCAT = 'GROUP_CONCAT keeps the language tag its values share ("1 2"@en, as SPARQL 1.2 has it); the test wants a plain string'
# clinicgraph and the control answer alike, and not as the expected result says:
# Oxigraph's own departures from the test suite.
ENGINE_DEPARTURES = {
    "aggregates/agg-groupconcat-04": GROUP_CONCAT,
    "aggregates/agg-groupconcat-06": GROUP_CONCAT,
    "aggregates/agg-empty-group-count-graph": "an aggregating subquery inside GRAPH ?g is not evaluated per graph: "
    "one row, ?g unbound, none for the graph without a match",
    "bindings/graph": "VALUES inside GRAPH ?g binding ?g to UNDEF leaves ?g unbound instead of one row per graph",
    "csv-tsv-res/csv03": "an xsd:double is written in CSV as 1000000, not the canonical 1.0E6",
    "csv-tsv-res/tsv03": '"-3"^^xsd:negativeInteger comes back as an xsd:integer',
    "functions/bnode01": "BNODE(string) is the same blank node for a string in every solution, not a new one in each",
    "negation/graph-minus": "inside GRAPH ?g, MINUS takes ?g as shared by its two sides and removes every solution",
    "property-path/zero_or_more_set_start": ZERO_LENGTH,
    "property-path/zero_or_more_set_end": ZERO_LENGTH,
    "property-path/zero_or_one_set_start": ZERO_LENGTH,
    "property-path/zero_or_one_set_end": ZERO_LENGTH,
}

CASES = cases()
VOCABULARY = load_vocabulary(None)
ROOT = corpus("w3c-sparql11")


class Failed(str):
    """An error instead of a result (two errors agree)."""


FOLDER_FILES = {}  # folder -> every file its tests read
for _case in CASES:
    FOLDER_FILES[_case.query.parent] = tuple(
        sorted({*FOLDER_FILES.get(_case.query.parent, ()), *_case.files})
    )


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """files -> (project, source graph -> file address), made once per set of files."""
    made: dict = {}
    folder = tmp_path_factory.mktemp("w3c")

    def project_of(files: tuple[Path, ...]):
        if files not in made:
            home = folder / f"project-{len(made)}"
            home.mkdir()
            (home / "clinicgraph.toml").write_text(f'[site]\nurl = "{W3C}"\nname = "W3C"\nlanguage = "en"\n')
            names = {}
            (home / "none.nt").write_bytes(b"")  # a project has a source, even a test without data
            for path in files:
                relpath = path.relative_to(ROOT).as_posix() + ".nt"
                (home / relpath).parent.mkdir(parents=True, exist_ok=True)
                (home / relpath).write_bytes(pyoxigraph.serialize(read_rdf(path), format=RdfFormat.N_TRIPLES))
                names[NamedNode(source_graph(relpath))] = NamedNode(address(path))
            made[files] = load_project(home, VOCABULARY), names
        return made[files]

    return project_of


def query_for_clinicgraph(case: Case, names: dict, dataset: bool = False) -> str:
    """The query with each file's graph named as clinicgraph names it; with ``dataset``,
    and FROM and FROM NAMED clauses naming the test's dataset (unless it has its own)."""
    text = case.query.read_text("utf-8")
    graphs = {file.value: graph.value for graph, file in names.items()}
    if dataset and not re.search(r"(?i)\bFROM\s", _code(text)):
        clauses = [f"FROM <{graphs[address(path)]}>" for path in case.data]
        clauses += [f"FROM NAMED <{graphs[address(path)]}>" for path in case.graph_data]
        text = _with_clauses(text, " ".join(clauses), address(case.query))
    for graph, file in names.items():
        relative = file.value.rsplit("/", 1)[1]
        text = re.sub(rf"<(?:{re.escape(file.value)}|{re.escape(relative)})>", f"<{graph.value}>", text)
    return text


def _with_clauses(text: str, clauses: str, base: str) -> str:
    """The query with dataset clauses where its grammar has them: before its first WHERE
    or { that gives a query Oxigraph reads (a CONSTRUCT template's { does not)."""
    for place in (match.start() for match in re.finditer(r"(?i)\bWHERE\b|\{", _code(text))):
        candidate = text[:place] + clauses + " " + text[place:]
        try:
            pyoxigraph.Store().query(candidate, base_iri=base)
            return candidate
        except SyntaxError:
            continue
    raise AssertionError(f"no place for {clauses} in {text}")


def _code(text: str) -> str:
    """The query with its IRIs, strings and comments blanked out (same length): where
    the first WHERE or { of the query itself is."""
    return re.sub(
        r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\r\n]*',
        lambda match: " " * len(match[0]),
        text,
    )


def clinicgraph_answer(case: Case, projects, dataset: bool = False):
    project, names = projects(FOLDER_FILES[case.query.parent] if dataset else case.files)
    try:
        result = run_query(
            project.store, query_for_clinicgraph(case, names, dataset), base=address(case.query)
        )
        if case.kind == "CSVResultFormatTest":
            return _csv(render(result, "csv"))
        return mapped(plain(result), names)
    except (ClinicgraphError, SyntaxError, RuntimeError, OSError) as error:
        return Failed(str(error))


def control_answer(case: Case):
    store = pyoxigraph.Store()
    for path in case.data:
        store.extend(Quad(t.subject, t.predicate, t.object) for t in read_rdf(path))
    for path in case.graph_data:
        store.extend(Quad(t.subject, t.predicate, t.object, NamedNode(address(path))) for t in read_rdf(path))
    try:
        result = store.query(case.query.read_text("utf-8"), base_iri=address(case.query))
        if case.kind == "CSVResultFormatTest":
            return _csv(result.serialize(format=QueryResultsFormat.CSV))
        return plain(result)
    except (SyntaxError, RuntimeError, OSError) as error:
        return Failed(str(error))


def _csv(data: bytes) -> list[tuple]:
    """CSV rows as (column, text) pairs, in no order (SELECT * may order the columns
    either way), blank node labels left out (they are the parser's)."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return sorted(
        tuple(sorted((name, re.sub(r"^_:.*", "_:", text)) for name, text in row.items())) for row in rows
    )


def agree(a, b, ordered: bool, sliced: bool) -> bool:
    if isinstance(a, Failed) or isinstance(b, Failed):
        return isinstance(a, Failed) and isinstance(b, Failed)
    if isinstance(a, list) and a and isinstance(a[0], tuple):  # CSV rows
        return a == b
    return same(a, b, ordered, sliced)


def wanted(case: Case):
    if case.kind == "CSVResultFormatTest":
        return _csv(case.result.read_bytes())
    return expected(case)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_evaluation(case, projects):
    ordered, sliced = ordering(case.query.read_text("utf-8"))
    ours, control = clinicgraph_answer(case, projects), control_answer(case)
    differs = DIFFERENT_FROM_CONTROL.get(case.id)
    assert agree(ours, control, ordered, sliced) != bool(differs), (
        differs or f"clinicgraph: {ours!r}\ncontrol: {control!r}"
    )
    departs = ENGINE_DEPARTURES.get(case.id)
    reference = control if differs else ours  # the engine's own answer
    assert agree(reference, wanted(case), ordered, sliced) != bool(departs), (
        departs or f"engine: {reference!r}\nexpected: {wanted(case)!r}"
    )


NAMED_BY_FROM = [case for case in CASES if case.files]
# over the dataset FROM and FROM NAMED name, clinicgraph answers differently from the control:
DIFFERENT_OVER_FROM = {"exists/exists-graph-variable": OWN_NAME, "subquery/subquery02": OWN_NAME}


@pytest.mark.parametrize("case", NAMED_BY_FROM, ids=[case.id for case in NAMED_BY_FROM])
def test_evaluation_over_the_dataset_from_names(case, projects):
    ordered, sliced = ordering(case.query.read_text("utf-8"))
    ours, control = clinicgraph_answer(case, projects, dataset=True), control_answer(case)
    differs = DIFFERENT_OVER_FROM.get(case.id)
    assert agree(ours, control, ordered, sliced) != bool(differs), (
        differs or f"clinicgraph: {ours!r}\ncontrol: {control!r}"
    )
