"""A corpus of broken inputs, one schema.org or hygiene rule each, with the line it
must be reported at. Each case is otherwise clean: exactly its rule fires."""

from pathlib import Path

import pytest

from clinicgraph import pipeline
from clinicgraph.checks.conformance import check_conformance
from clinicgraph.checks.context import SPACES
from clinicgraph.checks.hygiene import check_hygiene

SITE = "https://c.example/"
TTL = "@prefix schema: <http://schema.org/> .\n@base <https://c.example/> .\n"

# name: (file name, content, rule, severity, line)
CASES = {
    "unknown type (ttl)": (
        "x.ttl",
        TTL + '<#x> a schema:MedicalCondtion ;\n  schema:name "x" .\n',
        "schema/unknown-type",
        "error",
        3,
    ),
    "unknown property (ttl)": (
        "x.ttl",
        TTL + '<#x> a schema:MedicalCondition ;\n  schema:casue "x" .\n',
        "schema/unknown-property",
        "error",
        4,
    ),
    "type used as property (ttl)": (
        "x.ttl",
        TTL + '<#x> a schema:Person ;\n  schema:Person "x" .\n',
        "schema/unknown-property",
        "error",
        4,
    ),
    "property used as type (ttl)": (
        "x.ttl",
        TTL + "<#x> a schema:name .\n",
        "schema/unknown-type",
        "error",
        3,
    ),
    "url that is text (ttl)": (
        "x.ttl",
        TTL + '<#x> a schema:Person ;\n  schema:url "not a url" .\n',
        "schema/range",
        "error",
        4,
    ),
    "url that urlsplit refuses (ttl)": (
        "x.ttl",
        TTL + '<#x> a schema:Person ;\n  schema:url "http://[::1" .\n',
        "schema/range",
        "error",
        4,
    ),
    "property outside its domain": (
        "x.yaml",
        "type: MedicalCondition\nname: x\ntelephone: '+1-604-555-0100'\n",
        "schema/property-domain",
        "error",
        3,
    ),
    "date that does not exist": (
        "x.yaml",
        "type: WebPage\nurl: https://c.example/p/\ndatePublished: '2024-02-30'\n",
        "schema/range",
        "error",
        3,
    ),
    "node of the wrong type": (
        "x.yaml",
        "type: Organization\nname: x\naddress:\n  type: Person\n  name: y\n",
        "schema/range",
        "error",
        3,
    ),
    "enumeration member as text": (
        "x.yaml",
        "type: MedicalTherapy\nname: x\nmedicineSystem: Chiropractic\n",
        "schema/text-for-thing",
        "warning",
        3,
    ),
    "superseded property": (
        "x.yaml",
        "type: Organization\nname: x\nawards: Best clinic\n",
        "schema/superseded",
        "warning",
        3,
    ),
    "integer that is text": (
        "x.yaml",
        "type: AggregateRating\nreviewCount: many\n",
        "schema/range",
        "error",
        2,
    ),
    "boolean that is text": (
        "x.yaml",
        "type: WebPage\nurl: https://c.example/p/\nisAccessibleForFree: maybe\n",
        "schema/range",
        "error",
        3,
    ),
    "time that is not hh:mm": (
        "x.yaml",
        "type: OpeningHoursSpecification\nopens: 9am\n",
        "schema/range",
        "error",
        2,
    ),
    "empty string": ("x.yaml", "type: Person\nname: ''\n", "hygiene/empty-string", "warning", 2),
    "string of unusual spaces": (
        "x.yaml",
        'type: Person\nname: "\\u3000\\u2029\\x85\\x1c"\n',
        "hygiene/empty-string",
        "warning",
        2,
    ),
    "same url, same type, two ids": (
        "x.yaml",
        "- type: Organization\n  id: '#a'\n  url: https://c.example/\n"
        "- type: Organization\n  id: '#b'\n  url: https://c.example/\n",
        "hygiene/duplicate-url",
        "warning",
        6,
    ),
    "page with a url outside the site": (
        "x.yaml",
        "type: WebPage\nid: '#p'\nurl: https://elsewhere.example/p\n",
        "hygiene/page-outside-site",
        "warning",
        3,
    ),
    "blank node referred to, never described (ttl)": (
        "x.ttl",
        TTL + "<#x> a schema:WebPage ;\n  schema:about _:nothing .\n",
        "hygiene/undescribed-node",
        "warning",
        4,
    ),
}


def test_the_spaces_of_the_empty_text_filter_are_every_space_python_knows():
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == SPACES


def project_with(tmp_path: Path, name: str, content: str, schemaorg: Path | None):
    (tmp_path / "clinicgraph.toml").write_text(f'[site]\nurl = "{SITE}"\n')
    (tmp_path / name).write_text(content)
    return pipeline.open_project(tmp_path, schemaorg=schemaorg)


@pytest.mark.parametrize("case", list(CASES))
def test_each_case_yields_its_rule_at_its_line(case, tmp_path, schemaorg_dir):
    name, content, rule, severity, line = CASES[case]
    project = project_with(tmp_path, name, content, schemaorg_dir)
    found = [d for d in [*check_conformance(project), *check_hygiene(project)] if d.severity != "info"]
    assert [(d.rule, d.severity, d.line) for d in found] == [(rule, severity, line)], found
    assert found[0].file.endswith(name)


@pytest.mark.parametrize("full", [True, False], ids=["full vocabulary", "built-in subset"])
def test_the_example_conforms(example_dir, schemaorg_dir, full):
    project = pipeline.open_project(example_dir, schemaorg=schemaorg_dir if full else None)
    found = [d for d in [*check_conformance(project), *check_hygiene(project)] if d.severity != "info"]
    assert found == []
