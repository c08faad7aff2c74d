"""The W3C SPARQL 1.1 suite's CONSTRUCT evaluation tests, run as rules (derive/rules.py):
each test's query is the one rule of a project whose sources are the test's data, and
the rule's graph must be the suite's expected graph (up to blank node names).

A test whose query names its own dataset (FROM, refused in rules) or named graphs is
left out: a rule's dataset is the project's. The project's site URL is the query's
folder address, so the query's relative IRIs resolve as the suite resolves them.
"""

from __future__ import annotations

import pyoxigraph
import pytest
from pyoxigraph import NamedNode, RdfFormat

from clinicgraph.derive.rules import find_rules, run_rules
from clinicgraph.graph.project import load_project
from clinicgraph.vocab.vocabulary import load_vocabulary
from tests.corpora.paths import corpus
from tests.corpora.w3c_sparql import Case, address, cases, expected, read_rdf, same

ROOT = corpus("w3c-sparql11")
VOCABULARY = load_vocabulary(None)


def constructs() -> list[Case]:
    found = []
    for case in cases():
        words = case.query.read_text("utf-8").upper().split()
        if "CONSTRUCT" in words and "FROM" not in words and not case.graph_data:
            found.append(case)
    return found


CASES = constructs()


def test_every_construct_test_runs_but_the_one_naming_its_dataset():
    assert sorted(case.id for case in CASES) == [
        "construct/constructlist",
        *(f"construct/constructwhere0{n}" for n in (1, 2, 3)),
        "subquery/subquery14",
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_construct_test_as_a_rule(tmp_path, case):
    (tmp_path / "clinicgraph.toml").write_text(
        f'[site]\nurl = "{address(case.query.parent)}/"\nname = "W3C"\n', encoding="utf-8"
    )
    (tmp_path / "none.nt").write_bytes(b"")
    for index, path in enumerate(case.data):
        (tmp_path / f"data-{index}.nt").write_bytes(
            pyoxigraph.serialize(read_rdf(path), format=RdfFormat.N_TRIPLES)
        )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / case.query.name).write_bytes(case.query.read_bytes())
    project = load_project(tmp_path, VOCABULARY)
    rules = find_rules(tmp_path, project.site.url)
    run_rules(project, rules)
    graph = rules[0].graph
    written = [
        pyoxigraph.Triple(q.subject, q.predicate, q.object)
        for q in project.store.oxigraph.quads_for_pattern(None, None, None, graph)
    ]
    assert isinstance(graph, NamedNode)
    assert same(written, expected(case), ordered=False, sliced=False), case.id
