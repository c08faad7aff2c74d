"""SHACL-AF SPARQL-based targets (``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``)
and SHACL's test for an instance of a class (``?x a/rdfs:subClassOf* C``) in a shape's
SPARQL: what they select (what is refused, with its line: test_shacl.py's REFUSED)."""

from pathlib import Path

from clinicgraph.checks.shacl import load_shapes, run_shapes

HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix cg: <urn:clinicgraph:shacl#> .
@prefix ex: <https://shapes.example/#> .
ex:prefixes sh:declare [ sh:prefix "schema" ; sh:namespace "http://schema.org/"^^xsd:anyURI ] ,
    [ sh:prefix "rdfs" ; sh:namespace "http://www.w3.org/2000/01/rdf-schema#"^^xsd:anyURI ] .
"""
# The organizations that publish something (any subtype of Organization), named or not.
PUBLISHERS = """
ex:Publisher a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:prefixes ;
        sh:select "SELECT ?this WHERE { ?this a/rdfs:subClassOf* schema:Organization . FILTER EXISTS { ?work schema:publisher ?this } }" ] ;
    sh:property [ sh:path schema:logo ; sh:minCount 1 ; cg:rule "x/publisher-logo" ] ;
    sh:sparql [ cg:rule "x/publisher-off-site" ; sh:prefixes ex:prefixes ;
        sh:select "SELECT $this WHERE { $this schema:url ?url FILTER (!STRSTARTS(STR(?url), STR($siteUrl))) }" ] .
"""
DATA = """- id: "#clinic"
  type: MedicalClinic
  url: "https://elsewhere.example/"
- id: "#lab"
  type: Organization
  logo: "https://clinic.example/lab.png"
- id: "#person"
  type: Person
- id: "#unpublishing"
  type: Corporation
- id: "#page"
  type: WebPage
  publisher: [{id: "#clinic"}, {id: "#lab"}, {id: "#person"}]
"""


def shapes_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_a_sparql_target_selects_its_nodes_with_every_subclass(load, tmp_path):
    """A MedicalClinic is an Organization (the vocabulary's hierarchy, not the store's);
    a Person publisher and an organization publishing nothing are no targets."""
    project = load({"data.yaml": DATA}, derive=False)
    found = run_shapes(project, load_shapes([shapes_file(tmp_path, PUBLISHERS)]))
    assert [(d.rule, d.node, d.line) for d in found] == [
        ("x/publisher-logo", "https://clinic.example/#clinic", 1),
        ("x/publisher-off-site", "https://clinic.example/#clinic", 1),
    ]


def test_a_shared_target_serves_several_shapes(load, tmp_path):
    body = PUBLISHERS.replace("sh:target [", "sh:target ex:publishers .\nex:publishers").replace(
        '" ] ;\n    sh:property', '" .\nex:Publisher sh:property'
    )
    assert "ex:Publisher sh:property" in body
    project = load({"data.yaml": DATA}, derive=False)
    found = run_shapes(project, load_shapes([shapes_file(tmp_path, body)]))
    assert [d.rule for d in found] == ["x/publisher-logo", "x/publisher-off-site"]
