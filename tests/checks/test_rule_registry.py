"""The rules written in Python and their registry agree: every rule id the checks emit,
run on cases that make each rule fire, is declared (or is a shape's), and every declared
rule is emitted by one of them, so the docs' table (generated from the registry) lists
what the checks do, no less and no more."""

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, write_project
from test_conformance_cases import CASES, project_with
from test_google_organization_rules import png

from clinicgraph import pipeline
from clinicgraph.checks.audit import audit_page
from clinicgraph.checks.registry import python_rules, registered, rule
from clinicgraph.checks.shacl import default_shape_files, load_shapes
from clinicgraph.graph.html_source import read_markup

HTML = Path(__file__).parents[1] / "graph" / "html"
REMOTE = (
    b'<html><head><script type="application/ld+json">{"@context": "https://example.org/c.jsonld", '
    b'"name": "x"}</script></head><body></body></html>'
)
UNDEFINED_KEY = '{"@context": "https://schema.org", "@id": "#x", "@type": "Person", "my note": "x"}'
PAGE = "conditions/back-spasms/index.html"
UNNAMED_LEVEL = {  # derived breadcrumbs: /a/ is no page and has no name; /nowhere/ is no level
    "clinicgraph.toml": '[site]\nurl = "https://clinic.example/"\nname = "Clinic"\n'
    '[derive.breadcrumbs]\nnames = { "/nowhere/" = "Nowhere" }\n',
    "page.yaml": 'type: WebPage\nid: "a/b/#webpage"\nurl: "https://clinic.example/a/b/"\nname: "B"\n',
    "site1.yaml": 'type: WebSite\nid: "#site"\nurl: "https://clinic.example/"\n',  # two sites: no wiring
    "site2.yaml": 'type: WebSite\nid: "#other-site"\nurl: "https://clinic.example/"\n',
}

# The Organization rules written in Python: a logo file too small, an LEI, a taxID and a
# vatID that are none (an organization in Canada, one in Germany).
ORGANIZATIONS = {
    "org.yaml": 'type: MedicalClinic\nid: "#clinic"\nlogo: "logo.png"\nleiCode: "X"\ntaxID: "1"\n'
    "address: {type: PostalAddress, addressCountry: CA}\n",
    "de.yaml": 'type: Corporation\nid: "#de"\nvatID: "1"\naddress: {type: PostalAddress, addressCountry: DE}\n',
}


@pytest.fixture(scope="module")
def emitted(tmp_path_factory, schemaorg_dir) -> set[str]:
    """The rule ids of every finding of validate and audit on the cases."""
    folder = tmp_path_factory.mktemp("rules")
    found = []
    cases = [
        *((name, content, schemaorg_dir) for name, content, *_ in CASES.values()),
        ("x.jsonld", UNDEFINED_KEY, None),
    ]  # with the built-in vocabulary
    for number, (name, content, schemaorg) in enumerate(cases):
        (folder / str(number)).mkdir()
        found += pipeline.validate(project_with(folder / str(number), name, content, schemaorg))
    (folder / "derive").mkdir()
    for name, text in UNNAMED_LEVEL.items():
        (folder / "derive" / name).write_text(text, encoding="utf-8")
    found += pipeline.validate(pipeline.open_project(folder / "derive"))
    write_project(folder / "organizations", {**ORGANIZATIONS, "logo.png": png(16, 16)})
    found += pipeline.validate(pipeline.open_project(folder / "organizations"))
    example = pipeline.open_project(EXAMPLE)
    for page in sorted(HTML.glob("*.html")):
        found += audit_page(read_markup(page.read_bytes(), page.name), None, example.site, example.vocabulary)
    found += audit_page(read_markup(REMOTE, "remote.html"), None, example.site, example.vocabulary)
    stale, gone = folder / "stale", folder / "gone"
    shutil.copytree(EXAMPLE / "site", stale)
    (stale / PAGE).write_text(
        (stale / PAGE).read_text("utf-8").replace('"ratingValue": 4.7', '"ratingValue": 4.2')
    )
    shutil.copytree(EXAMPLE / "site", gone)
    (gone / PAGE).unlink()
    found += pipeline.audit(example, stale).diagnostics + pipeline.audit(example, gone).diagnostics
    return {finding.rule for finding in found}


def test_every_rule_the_checks_emit_is_declared(emitted):
    shapes = {shape.id for shape in load_shapes(default_shape_files()).rules}
    declared = {declared.id for declared in python_rules()}
    assert emitted - shapes - declared == set()


def test_every_declared_rule_is_emitted_by_a_case(emitted):
    assert {declared.id for declared in python_rules()} - emitted == set()


def test_a_rule_is_declared_once_with_a_known_severity():
    with pytest.raises(ValueError):
        rule("hygiene/empty-string", "warning", "declared twice")
    with pytest.raises(ValueError):
        rule("hygiene/not-a-rule", "fatal", "no such severity")
    with pytest.raises(KeyError):
        registered("hygiene/not-a-rule")
