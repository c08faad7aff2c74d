"""rules/*.rq: CONSTRUCT rules run in file-name order, each into its own named graph,
seeing the sources and the earlier rules only; each bad rule one error at its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from clinicgraph.core.errors import SourceError
from clinicgraph.derive.rule_explain import explain_triple, rule_line
from clinicgraph.derive.rules import find_rules, run_rules
from clinicgraph.graph import ids
from clinicgraph.graph.project import Project, load_project
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA
from clinicgraph.vocab.vocabulary import builtin_vocabulary

SITE = "https://clinic.example/"
DATA = """@prefix schema: <http://schema.org/> .
<#north> a schema:MedicalClinic ; schema:name "North Clinic" ; schema:url <north/> ;
  schema:availableService <#massage>, <#chiro> .
<#south> a schema:MedicalClinic ; schema:name "South Clinic" ; schema:url <south/> ;
  schema:availableService <#chiro> .
<#massage> a schema:MedicalTherapy ; schema:name "Massage" ; schema:identifier "massage" .
<#chiro> a schema:MedicalTherapy ; schema:name "Chiropractic" ; schema:identifier "chiro" .
"""
PAGES = """# a page per clinic x service
CONSTRUCT {
  ?page a schema:WebPage ;
    schema:name ?title ;
    schema:url ?page ;
    schema:about ?service .
}
WHERE {
  ?clinic a schema:MedicalClinic ; schema:name ?cn ; schema:url ?home ; schema:availableService ?service .
  ?service schema:name ?sn ; schema:identifier ?slug .
  BIND(IRI(CONCAT(STR(?home), "services/", ?slug, "/")) AS ?page)
  BIND(CONCAT(?sn, " at ", ?cn) AS ?title)
}
"""


def project_of(folder: Path, rules: dict[str, str], data: str = DATA, toml: str = "") -> Project:
    (folder / "clinicgraph.toml").write_text(f'[site]\nurl = "{SITE}"\nname = "Clinic"\n{toml}')
    (folder / "data.ttl").write_text(data)
    (folder / "rules").mkdir(exist_ok=True)
    for old in (folder / "rules").glob("*.rq"):
        old.unlink()
    for name, text in rules.items():
        (folder / "rules" / name).write_text(text)
    return load_project(folder, builtin_vocabulary())


def run(project: Project, limit: int | None = None):
    return run_rules(project, find_rules(project.root, project.site.url), limit)


def graph_of(project: Project, name: str) -> set[tuple]:
    graph = NamedNode(ids.rule_graph(name))
    return {
        (q.subject, q.predicate, q.object)
        for q in project.store.oxigraph.quads_for_pattern(None, None, None, graph)
    }


def rule_graphs(project: Project) -> set[str]:
    return {
        g.value for g in project.store.oxigraph.named_graphs() if g.value.startswith(ids.RULE_GRAPH_PREFIX)
    }


def schema(name: str) -> NamedNode:
    return NamedNode(SCHEMA + name)


def test_a_page_per_clinic_and_service_built_from_the_data(tmp_path):
    project = project_of(tmp_path, {"pages.rq": PAGES})
    ran = run(project)
    assert ran.written == {"rules/pages.rq": 12}
    page = NamedNode(SITE + "north/services/massage/")
    triples = graph_of(project, "pages.rq")
    assert (page, schema("name"), Literal("Massage at North Clinic")) in triples
    assert (page, schema("url"), page) in triples
    assert (page, schema("about"), NamedNode(SITE + "#massage")) in triples
    assert {s for s, p, o in triples if p == schema("name")} == {
        NamedNode(SITE + path)
        for path in ("north/services/massage/", "north/services/chiro/", "south/services/chiro/")
    }


def test_rules_run_in_file_name_order_and_see_the_earlier_ones(tmp_path):
    later = "CONSTRUCT { ?page schema:isPartOf <#site> } WHERE { ?page a schema:WebPage }"
    project = project_of(tmp_path, {"b.rq": later, "a.rq": PAGES, "B.rq": later})
    ran = run(project)
    assert list(ran.written) == ["rules/B.rq", "rules/a.rq", "rules/b.rq"]  # code points: B < a < b
    assert ran.written == {"rules/B.rq": 0, "rules/a.rq": 12, "rules/b.rq": 3}


def test_a_rule_sees_neither_its_own_graph_nor_other_derived_graphs(tmp_path):
    copy = "CONSTRUCT { ?s schema:alternateName ?n } WHERE { ?s schema:name ?n }"
    project = project_of(tmp_path, {"copy.rq": copy})
    derived = NamedNode(ids.derived_graph("breadcrumbs"))
    project.store.add_text(f'<{SITE}#x> <{SCHEMA}name> "derived" .', _turtle(), SITE, derived)
    run(project)
    first = graph_of(project, "copy.rq")
    run(project)  # its own output (alternateName) is no input: the same again
    assert graph_of(project, "copy.rq") == first
    assert NamedNode(SITE + "#x") not in {s for s, _, _ in first}
    gathered = "CONSTRUCT { <#g> schema:keywords ?g } WHERE { GRAPH ?g { ?s ?p ?o } }"
    project = project_of(tmp_path, {"a.rq": copy, "b.rq": gathered})
    run(project)
    assert {o.value for _, _, o in graph_of(project, "b.rq")} == {
        ids.source_graph("data.ttl"),
        ids.rule_graph("a.rq"),
    }


def _turtle():
    from pyoxigraph import RdfFormat

    return RdfFormat.TURTLE


def test_a_removed_rule_takes_its_graph_with_it(tmp_path):
    project = project_of(tmp_path, {"pages.rq": PAGES, "x.rq": "CONSTRUCT { <#a> <#b> 1 } WHERE {}"})
    run(project)
    assert rule_graphs(project) == {ids.rule_graph("pages.rq"), ids.rule_graph("x.rq")}
    (tmp_path / "rules" / "x.rq").unlink()
    run(project)
    assert rule_graphs(project) == {ids.rule_graph("pages.rq")}


# --- errors: one line, the rule's file and the place --------------------------------------

ERRORS = {
    "syntax": ("CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p ?o\n", (3, 1), "invalid SPARQL"),
    "syntax mid-line": ("CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p ?o . FILTER( }", (2, 29), "invalid SPARQL"),
    "select": ("PREFIX ex: <http://e.x/>\n  SELECT * WHERE { ?s ?p ?o }", (2, 3), "this is a SELECT query"),
    "ask": ("ASK { ?s ?p ?o }", (1, 1), "this is a ASK query"),
    "describe": ("DESCRIBE <#a>", (1, 1), "this is a DESCRIBE query"),
    "update": ("# add\nINSERT { ?s a schema:Thing } WHERE { ?s ?p ?o }", (2, 1), "this is an update"),
    "service": (
        'CONSTRUCT { ?s ?p ?o } WHERE {\n  # "SERVICE" here is no call\n  SERVICE <http://e.x/sparql> { ?s ?p ?o } }',
        (3, 3),
        "SERVICE is refused",
    ),
    "from": (
        "CONSTRUCT { ?s ?p ?o }\nFROM <urn:x> WHERE { ?s ?p ?o }",
        (2, 1),
        "FROM and FROM NAMED are not for rules",
    ),
    "iri with a space": (
        "CONSTRUCT { ?page a schema:WebPage }\nWHERE { ?s schema:name ?n .\n"
        '  BIND(IRI(CONCAT("https://clinic.example/", ?n)) AS ?page) }',
        (3, 8),
        "is no IRI",
    ),
    "relative iri": (
        "CONSTRUCT { ?page a schema:WebPage } WHERE { ?s schema:identifier ?n .\n"
        '  BIND(uri(CONCAT("services/", ?n)) AS ?page) }',
        (2, 8),
        "it is relative",
    ),
}


@pytest.mark.parametrize("case", ERRORS)
def test_each_bad_rule_is_one_error_at_its_place(tmp_path, case):
    text, place, words = ERRORS[case]
    project = project_of(tmp_path, {"a.rq": PAGES, "b.rq": text})
    with pytest.raises(SourceError) as caught:
        run(project)
    error = caught.value
    assert (error.path, (error.line, error.column)) == ("rules/b.rq", place), str(error)
    assert words in error.message and "\n" not in str(error)
    assert rule_graphs(project) == set()  # checked before any ran, or every graph dropped


def test_iri_in_strings_names_and_comments_is_left_alone(tmp_path):
    text = (
        'PREFIX ex: <http://e.x/>\nCONSTRUCT { ?s ex:IRI "IRI(x)" } # IRI(\n'
        'WHERE { ?s schema:name ?n BIND(IRI("https://clinic.example/ok") AS ?iri) }'
    )
    project = project_of(tmp_path, {"a.rq": text})
    (rule,) = find_rules(project.root, SITE)
    assert rule.mints == ((3, 32),)
    run(project)
    assert (NamedNode(SITE + "#north"), NamedNode("http://e.x/IRI"), Literal("IRI(x)")) in graph_of(
        project, "a.rq"
    )


def test_the_limit_stops_the_rule_that_crosses_it_and_leaves_no_rule_graph(tmp_path):
    cross = "CONSTRUCT { ?a schema:knowsAbout ?b } WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"
    project = project_of(tmp_path, {"a.rq": PAGES, "b.rq": cross}, toml="[derive]\nmax-triples = 60\n")
    with pytest.raises(SourceError) as caught:
        run(project)
    error = caught.value
    assert (error.path, error.line) == ("rules/b.rq", 1)
    assert "more than 60 triples" in error.message and "max-triples" in error.message
    assert rule_graphs(project) == set()
    assert run(project, limit=61).written == {"rules/a.rq": 12, "rules/b.rq": 49}  # 7 subjects, squared


def test_the_default_limit_is_ten_times_the_sources_with_a_floor(tmp_path):
    project = project_of(tmp_path, {"a.rq": PAGES})
    assert run(project).limit == 10_000


# --- the same rules twice: the same store --------------------------------------------------

BLANK = "CONSTRUCT { ?s schema:isPartOf [ a schema:WebSite ; schema:name ?n ] } WHERE { ?s schema:name ?n }"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text("abc xyz", min_size=1, max_size=6), min_size=1, max_size=6))
def test_running_twice_gives_the_same_nquads(tmp_path, names):
    lines = "".join(f'<#n{i}> schema:name "{name}" .\n' for i, name in enumerate(names))
    project = project_of(
        tmp_path, {"a.rq": BLANK, "b.rq": PAGES}, data="@prefix schema: <http://schema.org/> .\n" + lines
    )
    run(project)
    first = project.store.nquads()
    run(project)
    assert project.store.nquads() == first
    assert b" _:" in first


def test_a_blank_node_of_the_sources_stays_that_node(tmp_path):
    data = (
        '@prefix schema: <http://schema.org/> .\n<#a> schema:address [ schema:streetAddress "1 Main St" ] .\n'
    )
    copy = "CONSTRUCT { ?address a schema:PostalAddress } WHERE { ?s schema:address ?address }"
    project = project_of(tmp_path, {"a.rq": copy, "b.rq": BLANK}, data=data)
    run(project)
    (address,) = [q.object for q in project.store.source_quads(None, schema("address"), None)]
    assert graph_of(project, "a.rq") == {(address, NamedNode(RDF_TYPE), schema("PostalAddress"))}


# --- explain: the solutions and the template line behind a derived triple ------------------


@pytest.mark.parametrize(
    "rule",
    [
        PAGES,
        BLANK,
        "CONSTRUCT WHERE { ?s schema:name ?n }",
        "PREFIX ex: <http://e.x/>\nCONSTRUCT { ?s ex:n ?n, 3 ; a ex:T . } WHERE { ?s schema:name ?n }",
    ],
)
def test_explain_finds_the_solutions_behind_every_triple_a_rule_wrote(tmp_path, rule):
    project = project_of(tmp_path, {"a.rq": PAGES, "b.rq": rule})
    run(project)
    rules = find_rules(project.root, SITE)
    before = [NamedNode(ids.source_graph("data.ttl")), rules[0].graph]
    for triple in graph_of(project, "b.rq"):
        solutions = explain_triple(project.store, rules[1], Triple(*triple), before)
        assert solutions, triple
        for solution in solutions:  # each solution, put in the template, makes the triple
            terms = {str(term) for term in triple if not isinstance(term, BlankNode)}
            assert terms <= set(solution.values()) | _constants(rules[1]), (triple, solution)


def _constants(rule) -> set[str]:
    from clinicgraph.derive.rule_explain import _read

    return {
        str(term) for pattern in _read(rule)[0] for term in pattern if isinstance(term, NamedNode | Literal)
    }


def test_explain_gives_the_bindings_of_a_minted_page(tmp_path):
    project = project_of(tmp_path, {"pages.rq": PAGES})
    run(project)
    (rule,) = find_rules(project.root, SITE)
    page = NamedNode(SITE + "south/services/chiro/")
    (solution,) = explain_triple(
        project.store,
        rule,
        Triple(page, schema("name"), Literal("Chiropractic at South Clinic")),
        [NamedNode(ids.source_graph("data.ttl"))],
    )
    assert solution["clinic"] == f"<{SITE}#south>" and solution["slug"] == '"chiro"'
    assert solution["page"] == f"<{page.value}>"


def test_rule_line_is_the_line_of_the_template_triple(tmp_path):
    project = project_of(tmp_path, {"pages.rq": PAGES, "b.rq": BLANK})
    page = NamedNode(SITE + "north/services/chiro/")
    blank, pages = find_rules(project.root, SITE)  # b.rq < pages.rq
    assert rule_line(pages, Triple(page, NamedNode(RDF_TYPE), schema("WebPage"))) == 3
    assert rule_line(pages, Triple(page, schema("name"), Literal("x"))) == 4
    assert rule_line(pages, Triple(page, schema("about"), NamedNode(SITE + "#chiro"))) == 6
    assert rule_line(blank, Triple(BlankNode(), schema("name"), Literal("x"))) == 1
    assert rule_line(pages, Triple(page, schema("sameAs"), page)) == 2  # none: the CONSTRUCT


def test_what_a_rule_reads_is_its_predicates_or_anything(tmp_path):
    """The footprint an incremental load compares with the predicates it changed."""
    rules = {
        "a.rq": "CONSTRUCT { ?p schema:about ?c } WHERE { ?c a schema:MedicalClinic ; schema:url ?u "
        'BIND(IRI(CONCAT(STR(?u), "x/")) AS ?p) }',
        "b.rq": "CONSTRUCT { ?s schema:about ?o } WHERE { ?s ?any ?o }",
    }
    project = project_of(tmp_path, rules)
    a, b = find_rules(project.root, project.site.url)
    assert a.reads == {RDF_TYPE, SCHEMA + "url"}
    assert b.reads is None  # a variable predicate: any triple
