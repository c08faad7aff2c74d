"""`clinicgraph explain SOURCE IRI`: every triple of a node with where it comes from (a
source's file and line, a rule's file, line and solutions, a step and its page); and
findings on what a rule made, located at the rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from clinicgraph import pipeline
from clinicgraph.cli import main
from clinicgraph.core.errors import ClinicgraphError

SITE = "https://westwoodtotalhealth.example/"
PAGE = SITE + "conditions/back-spasms/#webpage"
TOPIC_RULE = """# a page per condition, under /topics/
CONSTRUCT {
  ?page a schema:WebPage ;
        schema:url ?page ;
        schema:name ?name ;
        schema:about ?condition .
}
WHERE {
  ?condition a schema:MedicalCondition ; schema:name ?name .
  BIND(IRI(CONCAT(STR(<>), "topics/", LCASE(REPLACE(?name, " ", "-")), "/")) AS ?page)
}
"""
TOPIC = SITE + "topics/back-spasms/"


@pytest.fixture
def example(tmp_path) -> Path:
    return shutil.copytree(EXAMPLE, tmp_path / "example", ignore=shutil.ignore_patterns("site"))


def explained(folder: Path, iri: str) -> dict:
    document = json.loads(pipeline.explain(pipeline.open_project(folder), iri, "json"))
    return {(t["predicate"].rsplit("/", 1)[-1], t["object"]): t["origins"] for t in document["triples"]}


def line_of(origin: dict) -> str:
    return Path(origin["file"]).read_text(encoding="utf-8").splitlines()[origin["line"] - 1]


def test_written_triples_name_their_file_and_line(example):
    triples = explained(example, "conditions/back-spasms/#webpage")
    (name,) = triples[("name", '"Back Spasms"')]
    assert name["how"] == "written" and name["file"].endswith("content/pages/back-spasms.yaml")
    assert line_of(name).strip().startswith("name:")


def test_a_derived_breadcrumb_names_its_step_and_its_page(example):
    (origin,) = explained(example, PAGE)[("breadcrumb", f"<{SITE}conditions/back-spasms/#cg:breadcrumb>")]
    assert origin["how"] == "breadcrumbs" and PAGE in origin["because"]
    assert origin["file"].endswith("content/pages/back-spasms.yaml") and "MedicalWebPage" in line_of(origin)
    level = explained(example, SITE + "conditions/#cg:breadcrumb-item")
    (named,) = level[("name", '"Conditions"')]
    assert named["file"].endswith("clinicgraph.toml") and "[derive.breadcrumbs]" in line_of(named)


def test_a_rule_s_triple_names_the_rule_its_line_and_the_solution(example):
    (example / "rules").mkdir()
    (example / "rules" / "10-topics.rq").write_text(TOPIC_RULE, encoding="utf-8")
    triples = explained(example, TOPIC)
    (origin,) = triples[("name", '"Back spasms"')]
    assert origin["how"] == "rule 10-topics.rq" and origin["file"].endswith("rules/10-topics.rq")
    assert "schema:name ?name" in line_of(origin)
    (solution,) = origin["solutions"]
    assert solution["condition"] == f"<{SITE}conditions/back-spasms/#condition>"
    assert solution["page"] == f"<{TOPIC}>"
    (crumb,) = triples[("breadcrumb", f"<{TOPIC}#cg:breadcrumb>")]  # the rule's page has its trail too
    assert crumb["how"] == "breadcrumbs" and crumb["file"].endswith("rules/10-topics.rq")


def test_a_triple_written_and_derived_has_both_origins(example):
    (example / "rules").mkdir()
    (example / "rules" / "again.rq").write_text(
        "CONSTRUCT { ?c schema:name ?n } WHERE { ?c a schema:MedicalCondition ; schema:name ?n }",
        encoding="utf-8",
    )
    origins = explained(example, "conditions/back-spasms/#condition")[("name", '"Back spasms"')]
    assert sorted(origin["how"] for origin in origins) == ["rule again.rq", "written"]


def test_an_iri_of_nothing_is_one_line(example):
    with pytest.raises(ClinicgraphError, match="subject of no triple"):
        pipeline.explain(pipeline.open_project(example), "#nothing")
    result = CliRunner().invoke(main, ["explain", str(example), "#nothing"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_the_text_form_shows_each_triple_and_origin(example):
    result = CliRunner().invoke(main, ["explain", str(example), PAGE])
    assert result.exit_code == 0
    assert (
        "  schema:breadcrumb <" in result.output
        and "      breadcrumbs: from the page's URL path" in result.output
    )
    assert "      written: " in result.output and "back-spasms.yaml:" in result.output


def test_findings_on_what_a_rule_made_are_at_the_rule(example):
    """A page a rule makes with a url outside the site: the finding is at the rule's
    file, never "(whole graph)"."""
    (example / "rules").mkdir()
    rule = TOPIC_RULE.replace("schema:url ?page", "schema:url <https://elsewhere.example/>")
    (example / "rules" / "10-topics.rq").write_text(rule, encoding="utf-8")
    findings = pipeline.validate(pipeline.open_project(example))
    (outside,) = [d for d in findings if d.rule == "hygiene/page-outside-site"]
    assert outside.file is not None and outside.file.endswith("rules/10-topics.rq") and outside.line


def test_a_value_a_rule_adds_to_a_written_node_is_located_at_the_rule_s_line(example):
    (example / "rules").mkdir()
    rule = 'CONSTRUCT {\n  ?c a schema:MedicalCondition .\n  ?c schema:alternateName "" .\n}\nWHERE { ?c a schema:MedicalCondition }\n'
    (example / "rules" / "empty.rq").write_text(rule, encoding="utf-8")
    findings = pipeline.validate(pipeline.open_project(example))
    (empty,) = [d for d in findings if d.rule == "hygiene/empty-string"]
    assert empty.file is not None and empty.file.endswith("rules/empty.rq") and empty.line == 3
