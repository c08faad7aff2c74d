"""The SHACL engine: shape files compiled to SPARQL and run on the store.

What it runs (the Core subset over cases/core), what it refuses (with file and line),
and how users' files override the bundled rules.
"""

from pathlib import Path

import pytest

from clinicgraph import pipeline
from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes
from clinicgraph.core.errors import SourceError

CORE = Path(__file__).parent / "cases" / "core"
DATA = "https://core.example/#"
HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix cg: <urn:clinicgraph:shacl#> .
@prefix ex: <https://shapes.example/#> .
"""


@pytest.fixture(scope="module")
def core_project(schemaorg_dir):
    return pipeline.open_project(CORE / "site", schemaorg=schemaorg_dir / "schemaorg-current-https.ttl")


@pytest.fixture(scope="module")
def example(example_dir):
    return pipeline.open_project(example_dir)


def shapes_file(tmp_path: Path, body: str, name: str = "shapes.ttl") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_bundled_shape_files_ship_in_the_package():
    files = default_shape_files()
    assert [f.name for f in files] == [
        "google.ttl",
        "google_content.ttl",
        "google_local.ttl",
        "google_site.ttl",
        "health.ttl",
    ]
    assert all(f.is_file() and f.parent.name == "shapes" and f.parent.parent.name == "checks" for f in files)
    ids = load_shapes(files).ids()
    assert all(rule.startswith(("google/", "health/")) for rule in ids)


def test_every_bundled_rule_has_a_severity_message_and_hint():
    for rule in load_shapes(default_shape_files()).rules:
        assert rule.severity in ("error", "warning", "info") and rule.message and rule.hint, rule.id
        assert rule.line is not None and rule.file.endswith(".ttl")


def test_the_core_subset(core_project):
    found = run_shapes(core_project, load_shapes([CORE / "shapes.ttl"]))
    got = {(d.rule, d.node.removeprefix(DATA), d.severity) for d in found}
    blank_employer = next(d.node for d in found if d.rule == "core/employer-has-iri")
    assert blank_employer.startswith("_:")
    assert got == {
        ("core/one-name", "bob", "error"),
        ("core/name-is-string", "bob", "error"),  # "Bob"@en
        ("core/name-min-length", "carol", "error"),
        ("core/short-name", "carol", "info"),
        ("core/email-pattern", "bob", "error"),
        ("core/email-literal", "bob", "error"),  # an IRI
        ("core/born-after-1900", "bob", "error"),
        ("core/gender-in", "bob", "error"),
        ("core/knows-people", "bob", "error"),  # acme is an Organization; carol a Patient, a Person
        ("core/knows-two", "bob", "error"),
        ("core/employed", "bob", "error"),
        ("core/postal-code-length", "bob", "error"),
        ("core/reachable", "bob", "error"),
        ("core/reaches-alice", "bob", "error"),
        ("core/small-circle", "alice", "error"),
        ("core/small-circle", "carol", "error"),
        ("core/employer-has-iri", blank_employer, "error"),
        ("core/rating-value-range", "7", "error"),
        ("core/alice-is-alicia", "alice", "error"),
    }


def test_results_say_node_property_and_value(core_project):
    found = run_shapes(core_project, load_shapes([CORE / "shapes.ttl"]))
    by_rule = {d.rule: d for d in found}
    postal = by_rule["core/postal-code-length"]
    assert (postal.property, postal.value) == ("address.postalCode", "V3B 2P7 XYZ")
    assert by_rule["core/email-literal"].value == "mailto:bob@example.org"
    assert by_rule["core/short-name"].message == "C is a very short name"
    assert by_rule["core/name-min-length"].message == "name C is shorter than 2 characters"
    assert by_rule["core/employed"].property == "^employee"


def test_runs_are_deterministic(core_project, example):
    shapes = load_shapes(default_shape_files())
    first = run_shapes(example, shapes)
    assert (
        first
        == run_shapes(example, load_shapes(default_shape_files()))
        == sorted(first, key=lambda d: d.sort_key())
    )
    core = load_shapes([CORE / "shapes.ttl"])
    assert run_shapes(core_project, core) == run_shapes(core_project, load_shapes([CORE / "shapes.ttl"]))


# -- users' files: override, switch off, extend


def test_a_later_file_overrides_a_bundled_rule_by_id(tmp_path, example):
    mine = shapes_file(
        tmp_path,
        """
ex:Geo a sh:NodeShape ; sh:targetClass schema:LocalBusiness ;
    sh:property [ sh:path schema:geo ; sh:minCount 1 ; sh:severity sh:Info ;
                  cg:rule "google/local-business-geo-missing" ;
                  sh:message "No map pin for this clinic." ; cg:hint "Add geo." ] .
""",
    )
    shapes = load_shapes(default_shape_files() + [mine])
    [rule] = shapes.rule("google/local-business-geo-missing")
    assert rule.file == str(mine)
    [geo] = [d for d in run_shapes(example, shapes) if d.rule == "google/local-business-geo-missing"]
    assert (geo.severity, geo.message, geo.hint) == ("info", "No map pin for this clinic.", "Add geo.")


def test_deactivating_a_rule_switches_it_off(tmp_path, example):
    mine = shapes_file(
        tmp_path,
        """
[] cg:rule "google/self-serving-review" ; sh:deactivated true .
ex:NoImage a sh:NodeShape ; sh:targetClass schema:LocalBusiness ;
    sh:sparql [ cg:rule "google/review-author-missing" ; sh:deactivated true ] .
""",
    )
    found = run_shapes(example, load_shapes(default_shape_files() + [mine]))
    assert not [d for d in found if d.rule in ("google/self-serving-review", "google/review-author-missing")]
    assert [d for d in found if d.rule == "google/local-business-geo-missing"]


def test_users_own_shapes_are_named_after_their_iri(tmp_path, example):
    mine = shapes_file(
        tmp_path,
        """
@prefix schemas: <https://schema.org/> .   # written with https: read as the graph's http
ex:ClinicAward a sh:NodeShape ; sh:targetClass schemas:MedicalClinic ;
    sh:property [ sh:path schemas:award ; sh:maxLength 10 ] .
ex:NeedsEmail a sh:PropertyShape ; sh:targetClass schema:MedicalClinic ; sh:path schema:email ;
    sh:minCount 1 ; sh:severity sh:Warning .
""",
    )
    found = run_shapes(example, load_shapes([mine]))
    assert sorted((d.rule, d.severity, d.property) for d in found) == [
        ("ex:ClinicAward/award", "error", "award"),
        ("ex:NeedsEmail", "warning", "email"),
    ]
    assert next(d for d in found if d.rule == "ex:NeedsEmail").message == "email is missing"


def test_a_comparison_before_any_iri_leaves_the_select_found(tmp_path, example):
    # a ">" ahead of every "<" once made the SELECT look as if inside an IRI: refused
    mine = shapes_file(
        tmp_path,
        """
ex:Named a sh:NodeShape ; sh:targetClass schema:MedicalClinic ;
    sh:sparql [ cg:rule "x/named" ; sh:message "named" ;
        sh:select "SELECT $this WHERE { FILTER (2 > 1) $this <http://schema.org/name> ?name }" ] .
ex:Commented a sh:NodeShape ; sh:targetClass schema:MedicalClinic ;
    sh:sparql [ cg:rule "x/commented" ; sh:message "commented" ;
        sh:select \"\"\"# the SELECT below: what > it finds
            SELECT $this WHERE { $this <http://schema.org/name> ?name }\"\"\" ] .
""",
    )
    found = run_shapes(example, load_shapes([mine]))
    assert sorted({d.rule for d in found}) == ["x/commented", "x/named"]


def test_a_rule_cites_its_own_documentation_else_its_shapes(tmp_path):
    """cg:cites, the page a rule follows (for the docs' table and `clinicgraph rules`): a
    property shape or SPARQL constraint inherits its node shape's, unless it has its own."""
    mine = shapes_file(
        tmp_path,
        """
ex:S a sh:NodeShape ; sh:targetClass schema:Person ; cg:cites "https://docs.example/person" ;
    sh:property [ sh:path schema:name ; sh:minCount 1 ; cg:rule "x/inherits" ] ,
        [ sh:path schema:email ; sh:minCount 1 ; cg:rule "x/own" ; cg:cites "https://docs.example/email" ] ;
    sh:sparql [ cg:rule "x/sparql" ; sh:select "SELECT $this WHERE { $this a <http://schema.org/Person> }" ] .
ex:T a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:name ; sh:maxCount 1 ; cg:rule "x/none" ] .
""",
    )
    assert {rule.id: rule.cites for rule in load_shapes([mine]).rules} == {
        "x/inherits": "https://docs.example/person",
        "x/own": "https://docs.example/email",
        "x/sparql": "https://docs.example/person",
        "x/none": None,
    }


def test_every_bundled_google_rule_cites_its_documentation():
    for rule in load_shapes(default_shape_files()).rules:
        if rule.id.startswith("google/"):
            assert (rule.cites or "").startswith("https://developers.google.com/search/"), rule.id


# -- what is refused, with its place

REFUSED = {
    "broken-turtle": (
        "ex:S a sh:NodeShape ;\n  sh:targetClass schema:Person ;\n  sh:property [ sh:path schema:name .\n",
        8,
        "invalid Turtle",
    ),
    "sh:node": (
        "ex:S a sh:NodeShape ;\n  sh:targetClass schema:Person ;\n  sh:node ex:Other .\n",
        8,
        "sh:node on a node shape is not supported",
    ),
    "sh:or": (
        "ex:S a sh:NodeShape ; sh:targetClass schema:Person ;\n  sh:property [ sh:path schema:name ;\n"
        '    cg:rule "x/y" ;\n    sh:or ( [ sh:datatype xsd:string ] ) ] .\n',
        9,
        "sh:or on a property shape",
    ),
    "sh:qualifiedValueShape": (
        "ex:S a sh:PropertyShape ; sh:targetClass schema:Person ; sh:path schema:knows ;\n"
        "  sh:qualifiedValueShape ex:T ; sh:qualifiedMinCount 1 .\n",
        7,
        "sh:qualified",
    ),
    "cg-typo": (
        "ex:S a sh:NodeShape ; sh:targetClass schema:Person ;\n  sh:property [ sh:path schema:name ;\n"
        '   sh:minCount 1 ;\n   cg:hnit "a typo" ] .\n',
        9,
        "cg:hnit",
    ),
    "bad-count": (
        "ex:S a sh:PropertyShape ; sh:targetClass schema:Person ; sh:path schema:name ;\n"
        '  sh:minCount "one" .\n',
        7,
        "non-negative integer",
    ),
    "bad-severity": (
        "ex:S a sh:PropertyShape ; sh:targetClass schema:Person ; sh:path schema:name ;\n"
        "  sh:minCount 1 ;\n  sh:severity sh:Fatal .\n",
        8,
        "sh:severity must be",
    ),
    "bad-regex": (
        "ex:S a sh:PropertyShape ; sh:targetClass schema:Person ; sh:path schema:name ;\n"
        '  sh:pattern "[a-" .\n',
        7,
        "not a valid regular expression",
    ),
    "look-ahead": (
        "ex:S a sh:PropertyShape ; sh:targetClass schema:Person ; sh:path schema:name ;\n"
        '  sh:pattern "^A(?=l)" .\n',
        6,
        "not a regular expression the store can run",
    ),
    "blank-shape": (
        "[] a sh:NodeShape ;\n  sh:targetClass schema:Person ;\n  sh:nodeKind sh:IRI .\n",
        7,
        "give this shape an IRI or a cg:rule",
    ),
    "bad-path": (
        "ex:S a sh:NodeShape ; sh:targetClass schema:Person ;\n"
        "  sh:property [ sh:path [ sh:inversePath schema:a ; sh:zeroOrMorePath schema:b ] ;\n"
        "  sh:minCount 1 ] .\n",
        7,
        "unsupported sh:path",
    ),
    "bad-sparql": (
        "ex:S a sh:NodeShape ; sh:targetClass schema:Person ;\n  sh:sparql [\n"
        '    cg:rule "x/bad-query" ;\n    sh:select "SELECT $this WHERE { $this ?p }" ] .\n',
        8,
        "rule x/bad-query: the SPARQL query is invalid",
    ),
    "current-shape": (
        'ex:S a sh:NodeShape ; sh:targetClass schema:Person ;\n  sh:sparql [ cg:rule "x/c" ;\n'
        '    sh:select "SELECT $this WHERE { $currentShape ?p ?o }" ] .\n',
        8,
        "$currentShape is not supported",
    ),
    "path-outside-property-shape": (
        "ex:S a sh:NodeShape ; sh:targetClass schema:Person ;\n"
        '  sh:sparql [ cg:rule "x/p" ;\n'
        '    sh:select "SELECT $this WHERE { $this $PATH ?o }" ] .\n',
        8,
        "$PATH is not supported",
    ),
    "target-type": (
        'ex:S a sh:NodeShape ; cg:rule "x/s" ; sh:nodeKind sh:IRI ;\n'
        "  sh:target [ a ex:PublishersOf ; ex:work ex:w ] .\n",
        7,
        "sh:target takes a SPARQL-based target",
    ),
    "target-without-this": (
        'ex:S a sh:NodeShape ; cg:rule "x/s" ; sh:nodeKind sh:IRI ;\n'
        '  sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?x WHERE { ?x ?p ?o }" ] .\n',
        6,
        "must be a SELECT query returning ?this",
    ),
    "target-unknown-key": (
        'ex:S a sh:NodeShape ; cg:rule "x/s" ; sh:nodeKind sh:IRI ;\n'
        '  sh:target [ a sh:SPARQLTarget ;\n  sh:ask "ASK {}" ; sh:select "SELECT ?this {}" ] .\n',
        8,
        "sh:ask on a SPARQL-based target is not supported",
    ),
    "instance-test-inside-a-chain": (  # clinicgraph expands ?x a/rdfs:subClassOf* C only as a triple of its own
        'ex:S a sh:NodeShape ; cg:rule "x/s" ; sh:nodeKind sh:IRI ;\n'
        "  sh:target [ a sh:SPARQLTarget ;\n"
        '    sh:select """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n'
        '      SELECT ?this WHERE { ?this a/rdfs:subClassOf* <http://schema.org/Person> ; <http://schema.org/name> ?n }""" ] .\n',
        6,
        "as a triple of its own",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_the_engine_does_not_run_is_refused_with_its_line(case, tmp_path):
    body, line, words = REFUSED[case]
    path = shapes_file(tmp_path, body)
    with pytest.raises(SourceError) as caught:
        load_shapes([path])
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert words in caught.value.message


def test_a_misspelt_schema_term_is_refused_when_run(tmp_path, example):
    path = shapes_file(
        tmp_path,
        "ex:S a sh:NodeShape ;\n  sh:targetClass schema:LocalBussiness ;\n"
        '  cg:rule "x/typo" ;\n  sh:nodeKind sh:IRI .\n',
    )
    with pytest.raises(SourceError) as caught:
        run_shapes(example, load_shapes([path]))
    assert (caught.value.path, caught.value.line) == (str(path), 8)
    assert (
        "schema:LocalBussiness is not a schema.org type (did you mean LocalBusiness?)" in caught.value.message
    )


def test_an_unreadable_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError) as caught:
        load_shapes([tmp_path / "missing.ttl"])
    assert caught.value.path == str(tmp_path / "missing.ttl")
