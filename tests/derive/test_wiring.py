"""Page wiring: each page's isPartOf (the site's WebSite), publisher (the WebSite's) and
inLanguage ([site] language), derived where the page has none of its own, each
switchable, and never where the vocabulary would call it a mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, SITE_TOML
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from clinicgraph import pipeline
from clinicgraph.checks.conformance import check_conformance
from clinicgraph.derive import apply, derive
from clinicgraph.derive.wiring import GRAPH
from clinicgraph.exporters.jsonld import dumps
from clinicgraph.graph import ids
from clinicgraph.graph.config import Site
from clinicgraph.graph.derive_config import Derive
from clinicgraph.graph.pages import find_pages
from clinicgraph.graph.project import Project
from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.graph.store import Store
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA
from clinicgraph.vocab.vocabulary import Vocabulary, builtin_vocabulary

SITE = "https://clinic.example/"
TOML = f'[site]\nurl = "{SITE}"\nname = "Clinic"\nlanguage = "en-CA"\n'
WEBSITE = f'type: WebSite\nid: "#website"\nurl: "{SITE}"\nname: "Clinic"\npublisher: {{id: "#clinic"}}\n'
CLINIC = 'type: MedicalClinic\nid: "#clinic"\nname: "Clinic"\n'
OTHERS = 'type: Organization\nid: "#someone"\nname: "Someone"\n---\ntype: Place\nid: "#a-place"\nname: "Somewhere"\n'
WEBSITE_NODE, CLINIC_NODE = NamedNode(SITE + "#website"), NamedNode(SITE + "#clinic")
BASE = {"website.yaml": WEBSITE, "clinic.yaml": CLINIC, "others.yaml": OTHERS}
DEFAULTS = {"isPartOf": WEBSITE_NODE, "publisher": CLINIC_NODE, "inLanguage": Literal("en-CA")}


@pytest.fixture
def load(load):
    """The sources' graph alone: each test derives it itself (``derived``)."""
    return lambda files, toml=SITE_TOML: load(files, toml, derive=False)


def page(path: str, more: str = "", kind: str = "WebPage") -> str:
    return f'type: {kind}\nid: "{path}#webpage"\nurl: "{SITE}{path}"\nname: "{path or "Home"}"\n{more}'


def node(path: str) -> NamedNode:
    return NamedNode(f"{SITE}{path}#webpage")


def derived(project: Project):
    """Derive the project's wiring (and breadcrumbs) into its store; the findings."""
    pages = find_pages(project.store, project.site, project.vocabulary)
    result = derive(project.store, project.site, pages, project.vocabulary)
    apply(project.store, result)
    return result.findings


def wiring(store: Store, subject: NamedNode) -> dict[str, list]:
    """The node's values of the three properties, each sorted."""
    return {
        prop: sorted(
            (q.object for q in store.oxigraph.quads_for_pattern(subject, NamedNode(SCHEMA + prop), None)),
            key=str,
        )
        for prop in DEFAULTS
    }


def dataset(store: Store) -> bytes:
    return b"".join(sorted(rdf_bytes(store.oxigraph, RdfFormat.N_QUADS).splitlines(keepends=True)))


# --- the shipped example --------------------------------------------------------------

# What the example's page wrote by hand before wiring gave it the same.
HAND_WRITTEN = 'inLanguage: "en-CA"\npublisher: {id: "#clinic"}\nisPartOf: "https://westwoodtotalhealth.example/#website"\n'
EXAMPLE_PAGE = NamedNode("https://westwoodtotalhealth.example/conditions/back-spasms/#webpage")


def example_document(folder: Path, more: str = "") -> tuple[dict, bytes]:
    """The example's page (``more`` added to its YAML): its wiring before derivation,
    and its JSON-LD document after."""
    page_file = folder / "content/pages/back-spasms.yaml"
    page_file.write_text(page_file.read_text("utf-8") + more, "utf-8")
    project = pipeline.open_project(folder, derive=False)
    before = wiring(project.store, EXAMPLE_PAGE)
    assert derived(project) == []
    pages, exporter = pipeline.page_documents(project)
    (page,) = pages
    return before, dumps(exporter.document(page))


def test_the_example_page_is_wired_as_it_was_written(tmp_path):
    """The example writes no wiring on its page; derived, the page's JSON-LD is the
    document of the page that wrote it by hand, byte for byte."""
    ignore = shutil.ignore_patterns("site")
    shipped = shutil.copytree(EXAMPLE, tmp_path / "shipped", ignore=ignore)
    written = shutil.copytree(EXAMPLE, tmp_path / "written", ignore=ignore)
    before, derived_document = example_document(shipped)
    assert before == {prop: [] for prop in DEFAULTS}
    before, written_document = example_document(written, HAND_WRITTEN)
    assert before == {
        "isPartOf": [NamedNode("https://westwoodtotalhealth.example/#website")],
        "publisher": [NamedNode("https://westwoodtotalhealth.example/#clinic")],
        "inLanguage": [Literal("en-CA")],
    }
    assert derived_document == written_document
    assert b'"inLanguage": "en-CA"' in derived_document and b'"breadcrumb"' in derived_document


# --- small sites --------------------------------------------------------------------


def test_each_default_where_the_page_has_none_in_the_wiring_graph(load):
    project = load({**BASE, "a.yaml": page("a/")}, TOML)
    assert wiring(project.store, node("a/")) == {prop: [] for prop in DEFAULTS}
    assert derived(project) == []
    assert wiring(project.store, node("a/")) == {prop: [value] for prop, value in DEFAULTS.items()}
    wired = list(project.store.oxigraph.quads_for_pattern(None, None, None, GRAPH))
    assert GRAPH.value == "urn:clinicgraph:derived:wiring"
    assert {(q.subject, q.predicate.value[len(SCHEMA) :], q.object) for q in wired} == {
        (node("a/"), prop, value) for prop, value in DEFAULTS.items()
    }


def test_a_written_value_wins_also_where_it_differs(load):
    own = 'isPartOf: {id: "https://other.example/#site"}\npublisher: {id: "#someone"}\ninLanguage: "fr-CA"\n'
    files = {
        **BASE,
        "a.yaml": page("a/", own),
        "b.yaml": page("b/"),
    }
    project = load(files, TOML)
    before = wiring(project.store, node("a/"))
    assert derived(project) == []
    assert wiring(project.store, node("a/")) == before
    assert before["inLanguage"] == [Literal("fr-CA")] and before["isPartOf"] != [WEBSITE_NODE]
    assert wiring(project.store, node("b/")) == {prop: [value] for prop, value in DEFAULTS.items()}


@pytest.mark.parametrize(
    ("key", "prop"), [("is-part-of", "isPartOf"), ("publisher", "publisher"), ("in-language", "inLanguage")]
)
def test_each_switch_off_leaves_its_property_alone(load, key, prop):
    project = load(
        {**BASE, "a.yaml": page("a/")},
        TOML + f"[derive.wiring]\n{key} = false\n",
    )
    derived(project)
    assert wiring(project.store, node("a/")) == {
        other: [] if other == prop else [value] for other, value in DEFAULTS.items()
    }


def test_wiring_switched_off_takes_away_what_it_wrote(load):
    project = load(
        {**BASE, "a.yaml": page("a/")},
        TOML + "[derive]\nbreadcrumbs = false\n",
    )
    written = dataset(project.store)
    derived(project)
    assert dataset(project.store) != written
    project.site = Site(
        project.site.url,
        project.site.name,
        project.site.language,
        derive=Derive(breadcrumbs=False, wiring=False),
    )
    derived(project)
    assert dataset(project.store) == written


def test_no_website_no_is_part_of_nor_publisher_and_nothing_said(load):
    project = load({"clinic.yaml": CLINIC, "a.yaml": page("a/")}, TOML)
    assert derived(project) == []
    assert wiring(project.store, node("a/")) == {
        "isPartOf": [],
        "publisher": [],
        "inLanguage": [Literal("en-CA")],
    }


def test_no_language_no_in_language(load):
    project = load(
        {**BASE, "a.yaml": page("a/")},
        TOML.replace('language = "en-CA"\n', ""),
    )
    derived(project)
    assert wiring(project.store, node("a/"))["inLanguage"] == []


def test_the_website_url_matches_without_its_trailing_slash_and_other_websites_do_not(load):
    citation = 'type: WebSite\nid: "#healthline"\nurl: "https://www.healthline.com/"\n'
    files = {
        **BASE,
        "website.yaml": WEBSITE.replace(f'url: "{SITE}"', f'url: "{SITE[:-1]}"'),
        "cited.yaml": citation,
        "a.yaml": page("a/"),
    }
    project = load(files, TOML)
    derived(project)
    assert wiring(project.store, node("a/"))["isPartOf"] == [WEBSITE_NODE]


def test_several_websites_of_the_site_none_chosen_and_said_so(load):
    other = WEBSITE.replace("#website", "#site-again")
    project = load({**BASE, "again.yaml": other, "a.yaml": page("a/")}, TOML)
    findings = derived(project)
    assert [(f.rule, f.severity) for f in findings] == [("derive/wiring-website-ambiguous", "info")]
    assert f"{SITE}#site-again, {SITE}#website" in findings[0].message
    assert wiring(project.store, node("a/")) == {
        "isPartOf": [],
        "publisher": [],
        "inLanguage": [Literal("en-CA")],
    }


def test_the_website_is_no_part_of_itself_and_the_home_page_is_part_of_it(load):
    both = f'type: [WebSite, WebPage]\nid: "#website"\nurl: "{SITE}"\nname: "Clinic"\npublisher: {{id: "#clinic"}}\n'
    project = load({**BASE, "website.yaml": both, "a.yaml": page("a/")}, TOML)
    derived(project)
    assert wiring(project.store, WEBSITE_NODE) == {
        "isPartOf": [],
        "publisher": [CLINIC_NODE],
        "inLanguage": [Literal("en-CA")],
    }
    assert wiring(project.store, node("a/"))["isPartOf"] == [WEBSITE_NODE]
    home = load({**BASE, "home.yaml": page("")}, TOML)
    derived(home)
    assert wiring(home.store, node(""))["isPartOf"] == [WEBSITE_NODE]


@pytest.mark.parametrize(
    "publishers",
    [
        'publisher: [{id: "#clinic"}, {id: "#someone"}]\n',  # several: which one?
        'publisher: {id: "#a-place"}\n',  # of a type no publisher may have
    ],
)
def test_a_publisher_only_if_the_website_names_one_that_fits(load, publishers):
    website = WEBSITE.replace('publisher: {id: "#clinic"}\n', publishers)
    project = load({**BASE, "website.yaml": website, "a.yaml": page("a/")}, TOML)
    derived(project)
    assert wiring(project.store, node("a/"))["publisher"] == []
    assert wiring(project.store, node("a/"))["isPartOf"] == [WEBSITE_NODE]


def test_a_publisher_without_an_iri_is_not_copied(load):
    """A blank node cannot be named from the pages (a YAML node gets an IRI; Turtle's need not)."""
    website = (
        f"@prefix s: <{SCHEMA}> .\n<{SITE}#website> a s:WebSite ; s:url <{SITE}> ;\n"
        '    s:publisher [ a s:Organization ; s:name "No id" ] .\n'
    )
    project = load({"website.ttl": website, "a.yaml": page("a/")}, TOML)
    derived(project)
    assert wiring(project.store, node("a/")) == {
        "isPartOf": [WEBSITE_NODE],
        "publisher": [],
        "inLanguage": [Literal("en-CA")],
    }


def narrowed(prop: str, key: str, types: list[str]) -> Vocabulary:
    """The built-in vocabulary with one property's ``domains`` or ``ranges`` others."""
    vocabulary = builtin_vocabulary()
    terms = vocabulary.records(vocabulary.names())
    terms[prop][key] = types
    return Vocabulary(terms, complete=False)


def test_a_page_type_the_vocabulary_refuses_a_property_gets_none(load):
    project = load(
        {**BASE, "a.yaml": page("a/"), "b.yaml": page("b/", kind="MedicalWebPage")},
        TOML,
    )
    project.vocabulary = narrowed("inLanguage", "domains", ["MedicalWebPage"])
    derived(project)
    assert wiring(project.store, node("a/")) == {
        "isPartOf": [WEBSITE_NODE],
        "publisher": [CLINIC_NODE],
        "inLanguage": [],
    }
    assert wiring(project.store, node("b/")) == {prop: [value] for prop, value in DEFAULTS.items()}
    domain_errors = [d for d in check_conformance(project) if d.rule == "schema/property-domain"]
    assert domain_errors == []


def test_a_value_outside_the_range_the_vocabulary_gives_is_not_given(load):
    project = load({**BASE, "a.yaml": page("a/")}, TOML)
    project.vocabulary = narrowed("inLanguage", "ranges", ["Language"])  # no text
    derived(project)
    assert wiring(project.store, node("a/"))["inLanguage"] == []
    assert [
        d for d in check_conformance(project) if d.rule in ("schema/range", "schema/text-for-thing")
    ] == []


# --- random pages, each writing some of the three -----------------------------------

OWN_VALUES = {
    "isPartOf": NamedNode("https://other.example/#site"),
    "publisher": NamedNode(SITE + "#someone"),
    "inLanguage": Literal("fr-CA"),
}


def project_of(written: list[frozenset[str]], derive_config: Derive) -> Project:
    graph = NamedNode(ids.source_graph("pages.ttl"))
    quads = [
        Quad(WEBSITE_NODE, NamedNode(RDF_TYPE), NamedNode(SCHEMA + "WebSite"), graph),
        Quad(WEBSITE_NODE, NamedNode(SCHEMA + "url"), NamedNode(SITE), graph),
        Quad(WEBSITE_NODE, NamedNode(SCHEMA + "publisher"), CLINIC_NODE, graph),
    ]
    for number, props in enumerate(written):
        subject = node(f"p{number}/")
        quads += [
            Quad(subject, NamedNode(RDF_TYPE), NamedNode(SCHEMA + "WebPage"), graph),
            Quad(subject, NamedNode(SCHEMA + "url"), NamedNode(f"{SITE}p{number}/"), graph),
        ]
        quads += [Quad(subject, NamedNode(SCHEMA + prop), OWN_VALUES[prop], graph) for prop in props]
    store = Store()
    store.add_quads(quads)
    return Project(
        Path("."), Site(SITE, "Clinic", "en-CA", derive=derive_config), store, builtin_vocabulary()
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.frozensets(st.sampled_from(sorted(DEFAULTS))), min_size=1, max_size=6),
    st.frozensets(st.sampled_from(sorted(DEFAULTS))),
)
def test_each_page_keeps_what_it_wrote_and_gets_each_default_it_lacks(written, unwired):
    project = project_of(written, Derive(breadcrumbs=False, unwired=tuple(sorted(unwired))))
    derived(project)
    once = dataset(project.store)
    for number, props in enumerate(written):
        expected = {
            prop: [OWN_VALUES[prop]] if prop in props else [] if prop in unwired else [value]
            for prop, value in DEFAULTS.items()
        }
        assert wiring(project.store, node(f"p{number}/")) == expected
    derived(project)  # its own graph is none of the pages' own: the same again
    assert dataset(project.store) == once
    if all(props == frozenset(DEFAULTS) for props in written):  # nothing to add: the graph unchanged
        assert list(project.store.oxigraph.quads_for_pattern(None, None, None, GRAPH)) == []
