"""The fast paths of validation give what the straightforward ones give.

conformance and hygiene ask the store only for the triples that can fail;
``check_each_triple`` runs every triple through the same rules. TurtleLines finds
lines lazily; ``statement_lines`` reads every token. Each pair is compared on the
broken-input cases, the example, and a generated site with faults planted in it.
"""

from pathlib import Path

import pytest

from benchmarks.generate import write
from clinicgraph import pipeline
from clinicgraph.checks import conformance, hygiene
from clinicgraph.checks.locate import Locator
from clinicgraph.checks.report import ordered
from clinicgraph.graph.turtle_lines import TurtleLines, statement_lines
from clinicgraph.vocab.namespaces import SCHEMA
from tests.checks.test_conformance_cases import CASES, SITE, project_with
from tests.checks.test_conformance_cases import TTL as TTL_PREFIXES

# Faults for every rule, in a site otherwise generated: wrong domain and range (node,
# member and literal), unknown and superseded terms, text for a thing, empty strings,
# undescribed nodes, a duplicate url, a page outside the site; types given by
# additionalType (f7, f8: alone, beside rdf:type, as text), Roles (f9, f10), members
# as URL text, text where a thing or a URL is expected, Action annotations (f4).
FAULTS = """
@prefix schema: <http://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://network.example/#f1> a schema:MedicalCondition ; schema:name "  " ; schema:telephone "1" ;
    schema:casue "x" , "y" ; schema:awards "z" ; schema:signOrSymptom schema:Monday ;
    schema:possibleTreatment <https://network.example/#f2> , _:nothing .
<https://network.example/#f2> a schema:Person , schema:Organization ; schema:name ""@en ;
    schema:url <https://network.example/clinics/k0/> ; schema:address [ a schema:Person ] .
<https://network.example/#f3> a schema:MedicalCondtion , schema:name ; schema:url "not a url" ;
    schema:datePublished "2024-02-30" , "2024-02-28"^^xsd:date ; schema:about "Back pain" .
<https://network.example/#f4> a schema:WebPage ; schema:url <https://elsewhere.example/p> ;
    schema:isAccessibleForFree "maybe" , "https://schema.org/False" , "http://schema.org/Monday" ;
    schema:dayOfWeek schema:Chiropractic , schema:Monday , "https://schema.org/Tuesday" , "https://schema.org/Chiropractic" ;
    schema:gameLocation "Big Town" , "https://c.example/town" ;
    schema:query-input "required name=q" ; schema:target-output <https://network.example/#f2> ; schema:querry-input "q" .
<https://network.example/#f6> a schema:Person ; schema:url <https://network.example/clinics/k0/> .
<https://network.example/#f7> a schema:Place ; schema:additionalType schema:Museum , "https://schema.org/Hospital" ,
    schema:Musuem , schema:Person , "Gallery" ; schema:openingHours "Mo" ; schema:jobTitle "x" ;
    schema:medicalSpecialty schema:Dermatology ; schema:hospitalAffiliation <https://network.example/#f8> .
<https://network.example/#f8> schema:additionalType schema:Person ; schema:medicalSpecialty schema:Dermatology .
<https://network.example/#f9> a schema:MusicGroup ; schema:member <https://network.example/#f10> ;
    schema:employee <https://network.example/#f10> ; schema:founder <https://network.example/#f10> .
<https://network.example/#f10> a schema:OrganizationRole ; schema:member <https://network.example/#f8> ;
    schema:founder <https://network.example/#f7> ; schema:alumniOf <https://network.example/#f9> .
<https://network.example/#f5> schema:name "untyped" ; schema:description "\\u3000\\u001c\\t" , "\\u200b" ; schema:reviewCount "many" ; <https://other.example/p> "" .
"""


def _same(project):
    for module, fast in ((conformance, conformance.check_conformance), (hygiene, hygiene.check_hygiene)):
        assert ordered(fast(project)) == ordered(module.check_each_triple(project)), module.__name__


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("full", [True, False], ids=["full vocabulary", "built-in subset"])
def test_each_broken_input_gives_the_same_findings(case, full, tmp_path, schemaorg_dir):
    name, content = CASES[case][:2]
    _same(project_with(tmp_path, name, content, schemaorg_dir if full else None))


def test_the_example_gives_the_same_findings(example_dir, schemaorg_dir):
    _same(pipeline.open_project(example_dir, schemaorg=schemaorg_dir))


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    write("small", folder)
    (folder / "faults.ttl").write_text(FAULTS, encoding="utf-8")
    return folder


@pytest.mark.parametrize("full", [True, False], ids=["full vocabulary", "built-in subset"])
def test_a_generated_site_with_faults_gives_the_same_findings(generated_site, schemaorg_dir, full):
    project = pipeline.open_project(generated_site, schemaorg=schemaorg_dir if full else None)
    found = {d.rule for d in conformance.check_conformance(project) + hygiene.check_hygiene(project)}
    assert {
        "schema/property-domain",
        "schema/range",
        "schema/unknown-property",
        "schema/unknown-type",
        "schema/superseded",
        "schema/text-for-thing",
        "hygiene/empty-string",
        "hygiene/undescribed-node",
        "hygiene/duplicate-url",
        "hygiene/page-outside-site",
    } <= found  # the faults are seen
    _same(project)


TRICKY_TURTLE = '''@prefix schema: <http://schema.org/> .
@prefix ex: <https://c.example/ns#> .
@base <https://c.example/> .
# a comment with . and [ and "
<#a> a schema:Person ; schema:name "A . [ ( # x" ;
  schema:description """multi
line . ] ) ;
<#fake> schema:name "no" .
""" ;
  schema:address [ a schema:PostalAddress ; schema:streetAddress "1 Main St." ] ;
  schema:knows ( <#b> <#c> ) .
<#b> schema:name 'single . quoted' ; schema:height 1.85 ; schema:weight -2.5e3 .
ex:c.d schema:name "dotted name"@en-US ; schema:alt "x"@en.ex:e schema:name "after a language tag" .
ex:f schema:url <https://c.example/p?q=1#frag> ; schema:num 5.
ex:g schema:name "g" .
_:b1 schema:name "blank" .
[ schema:name "anon" ] schema:about <#a> .
[] schema:name "empty anon" .
PREFIX sp: <https://sparql.example/>
BASE <https://c.example/sub/>
sp:x schema:name "sparql prefix" ; schema:about <rel> .
<rel2> schema:name "relative under the new base" .
<https://c.example/#a> schema:email "a second statement" ; schema:name "again" .
<HTTP://Upper.example/x> schema:name "upper-case scheme" .
<https://c.example/empty?> schema:name "empty query" .
<https://c.example/p;params> schema:name "params" .
ex:h schema:name \'\'\'triple
single\'\'\' ; schema:x _:b.2 .
<https://schema.org/Thing> schema:name "https schema" .
ex:i schema:name "escaped \\" quote . " ; schema:y ex:j .ex:k schema:name "k".
@prefix ex: <https://other.example/> .
ex:l schema:name "a redefined prefix" .
'''


@pytest.mark.parametrize(
    "text",
    [TRICKY_TURTLE] + [c[1] for c in CASES.values() if c[0].endswith(".ttl")],
    ids=lambda text: text.splitlines()[-1][:40],
)
def test_lazy_lines_are_the_lines_of_the_full_scan(text):
    assert_same_lines(text, SITE)


def test_lazy_lines_of_a_generated_site(generated_site):
    for path in generated_site.glob("*.ttl"):
        assert_same_lines(path.read_text(encoding="utf-8"), "https://network.example/")


def assert_same_lines(text: str, base: str) -> None:
    nodes, values = statement_lines(text, base)
    lazy = TurtleLines(text, base)
    assert nodes, "the text has statements"
    for iri, line in nodes.items():
        assert lazy.node_line(iri) == line, iri
    for (iri, predicate), line in values.items():
        assert lazy.value_line(iri, predicate) == line, (iri, predicate)
    subjects = {iri for iri, _ in values} | set(nodes)
    assert sum(len(lazy._values.get(iri, {})) for iri in subjects) == len(values)  # nothing more
    assert lazy.node_line("https://c.example/#nowhere") is None


def test_a_prefix_ending_in_a_hash_keeps_it():
    nodes, _ = statement_lines("@prefix ex: <https://c.example/ns#> .\nex:a ex:b ex:c .\n", SITE)
    assert nodes == {"https://c.example/ns#a": 2}


def test_an_iri_with_escapes_is_read_as_turtle_reads_it():
    # Turtle allows \u and \U escapes in IRIs: the prefix's names are located (once they
    # raised TypeError, the prefix's IRI being None; then they went without a line)
    text = "@prefix ex: <urn:\\u0041:> .\nex:a ex:b [ ex:c ex:d ] .\n<urn:\\U0001F600> ex:b 1 .\n"
    assert statement_lines(text, SITE) == (
        {"urn:A:a": 2, "urn:\U0001f600": 3},
        {("urn:A:a", "urn:A:b"): 2, ("urn:\U0001f600", "urn:A:b"): 3},
    )
    lazy = TurtleLines(text, SITE)
    assert lazy.value_line("urn:A:a", "urn:A:b") == 2
    assert list(lazy.blanks().nodes.values()) == [2]


def test_the_locator_answers_as_the_project_does_once_it_has_scanned(tmp_path):
    """YAML and Turtle sources mixed, a node in both: the lazy lines give what
    Project.where gives after reading every RDF file."""
    turtle = TTL_PREFIXES + (
        '<#clinic> schema:telephone "1" ; schema:name "in turtle" .\n'
        '<#page> a schema:WebPage ;\n  schema:about <#clinic> ;\n  schema:name "p" .\n'
    )
    project = project_with(tmp_path, "a.ttl", turtle, None)
    (tmp_path / "b.yaml").write_text("type: MedicalClinic\nid: '#clinic'\nname: x\nurl: https://c.example/\n")
    project = pipeline.open_project(tmp_path)
    locator = Locator(project)
    asked = [(q.subject.value, q.predicate.value) for q in project.store.oxigraph] + [
        ("https://c.example/#none", None)
    ]
    lazy = [locator.where(iri, predicate) for iri, predicate in asked] + [
        locator.where(iri) for iri, _ in asked
    ]
    project._scan_rdf_files()
    assert lazy == [project.where(i, p) for i, p in asked] + [project.where(i) for i, _ in asked]
    assert locator.where("https://c.example/#clinic", SCHEMA + "telephone")[0].endswith("a.ttl")
