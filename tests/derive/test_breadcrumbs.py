"""Derived breadcrumbs: each page's trail from the home level down to it along its URL,
judged by what the trail says (positions, names, URLs) and by Google's breadcrumb rules."""

from __future__ import annotations

import shutil
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from clinicgraph import pipeline
from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes
from clinicgraph.derive import apply, derive
from clinicgraph.derive.breadcrumbs import GRAPH
from clinicgraph.graph import ids
from clinicgraph.graph.config import Site
from clinicgraph.graph.derive_config import Derive
from clinicgraph.graph.pages import find_pages
from clinicgraph.graph.project import Project
from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.graph.store import Store
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA
from clinicgraph.vocab.vocabulary import builtin_vocabulary

SITE = "https://clinic.example/"
NAMES = '[derive.breadcrumbs]\nnames = { "/" = "Home", "/conditions/" = "Conditions" }\n'


def schema(name: str) -> NamedNode:
    return NamedNode(SCHEMA + name)


def derived(project: Project):
    """Derive the project's breadcrumbs into its store; the findings."""
    result = derive(project.store, project.site, find_pages(project.store, project.site, project.vocabulary))
    apply(project.store, result)
    return result.findings


def values(store: Store, node, prop: str) -> list:
    return sorted((q.object for q in store.oxigraph.quads_for_pattern(node, schema(prop), None)), key=str)


def trail(store: Store, page: NamedNode) -> list[tuple]:
    """A page's breadcrumb as (position, names, item URL), ordered by position."""
    (crumbs,) = values(store, page, "breadcrumb")
    rows = []
    for item in values(store, crumbs, "itemListElement"):
        (position,) = values(store, item, "position")
        url = values(store, item, "item")
        rows.append(
            (
                int(position.value),
                tuple(n.value for n in values(store, item, "name")),
                url[0].value if url else None,
            )
        )
    return sorted(rows)


def breadcrumb_findings(project: Project) -> list:
    shapes = load_shapes(default_shape_files())
    shapes.rules = [rule for rule in shapes.rules if rule.id.startswith("google/breadcrumb")]
    return run_shapes(project, shapes)


# --- the shipped example ----------------------------------------------------------------


@pytest.fixture
def example(tmp_path):
    folder = shutil.copytree(EXAMPLE, tmp_path / "example", ignore=shutil.ignore_patterns("site"))
    return folder


def test_the_example_page_is_home_conditions_back_spasms(example):
    toml = (example / "clinicgraph.toml").read_text()
    assert '"/conditions/" = "Conditions"' in toml  # the shipped example names its level
    project = pipeline.open_project(example)
    assert derived(project) == []
    page = NamedNode("https://westwoodtotalhealth.example/conditions/back-spasms/#webpage")
    assert trail(project.store, page) == [
        (1, ("Home",), "https://westwoodtotalhealth.example/"),
        (2, ("Conditions",), "https://westwoodtotalhealth.example/conditions/"),
        (3, ("Back Spasms",), "https://westwoodtotalhealth.example/conditions/back-spasms/"),
    ]
    assert breadcrumb_findings(project) == []


def test_an_unnamed_level_is_left_out_and_said_so(example):
    (example / "clinicgraph.toml").write_text(
        '[site]\nurl = "https://westwoodtotalhealth.example/"\nname = "Westwood Total Health"\n'
    )
    project = pipeline.open_project(example)
    findings = derived(project)
    assert [(f.rule, f.severity, f.path) for f in findings] == [
        ("derive/breadcrumb-level-unnamed", "info", "/conditions/")
    ]
    page = NamedNode("https://westwoodtotalhealth.example/conditions/back-spasms/#webpage")
    assert trail(project.store, page) == [  # the home level: the site's name
        (1, ("Westwood Total Health",), "https://westwoodtotalhealth.example/"),
        (2, ("Back Spasms",), "https://westwoodtotalhealth.example/conditions/back-spasms/"),
    ]
    assert breadcrumb_findings(project) == []


def test_derived_triples_are_in_the_breadcrumbs_graph_and_named_under_the_page_url(example):
    project = pipeline.open_project(example, derive=False)
    project.site = replace(
        project.site, derive=replace(project.site.derive, wiring=False)
    )  # breadcrumbs alone
    before = set(project.store.source_quads())
    derived(project)
    added = set(project.store.source_quads()) - before
    assert added and {quad.graph_name for quad in added} == {GRAPH}
    assert GRAPH.value == "urn:clinicgraph:derived:breadcrumbs"
    subjects = {quad.subject.value for quad in added} - {
        "https://westwoodtotalhealth.example/conditions/back-spasms/#webpage"
    }
    assert all("#cg:breadcrumb" in subject for subject in subjects), subjects


# --- one page's own breadcrumb, derivation run again, determinism ----------------------

OWN = """type: WebPage
id: "a/#webpage"
url: "https://clinic.example/a/"
name: "A"
breadcrumb:
  type: BreadcrumbList
  itemListElement:
    - {type: ListItem, position: 1, name: "Mine", item: {id: "https://clinic.example/"}}
"""
OTHER = 'type: WebPage\nid: "b/#webpage"\nurl: "https://clinic.example/b/"\nname: "B"\n'


def test_a_page_with_its_own_breadcrumb_keeps_it(load):
    project = load({"a.yaml": OWN, "b.yaml": OTHER})
    mine = values(project.store, NamedNode(SITE + "a/#webpage"), "breadcrumb")
    before = trail(project.store, NamedNode(SITE + "a/#webpage"))
    derived(project)
    assert values(project.store, NamedNode(SITE + "a/#webpage"), "breadcrumb") == mine
    assert trail(project.store, NamedNode(SITE + "a/#webpage")) == before == [(1, ("Mine",), SITE)]
    assert trail(project.store, NamedNode(SITE + "b/#webpage")) == [
        (1, ("Clinic",), SITE),
        (2, ("B",), SITE + "b/"),
    ]


def dataset(store: Store) -> bytes:
    return b"".join(sorted(rdf_bytes(store.oxigraph, RdfFormat.N_QUADS).splitlines(keepends=True)))


def test_derivation_is_deterministic_and_runs_again_on_its_own_output(load):
    files = {"a.yaml": OWN, "b.yaml": OTHER, "c.yaml": OTHER.replace("b/", "b/c/").replace('"B"', '"C"')}
    first, second = load(files), load(files)
    derived(first)
    derived(second)
    assert dataset(first.store) == dataset(second.store)
    once = dataset(first.store)
    derived(first)  # its own graph is no breadcrumb of the pages' own: the same again
    assert dataset(first.store) == once


def test_switched_off_derivation_takes_away_what_it_wrote(load):
    project = load({"b.yaml": OTHER}, derive=False)
    written = dataset(project.store)
    derived(project)
    assert dataset(project.store) != written
    project.site = Site(project.site.url, project.site.name, derive=Derive(breadcrumbs=False))
    assert derived(project) == []
    assert dataset(project.store) == written


def test_a_page_named_in_names_and_an_unused_name(load):
    toml = (
        '[site]\nurl = "https://clinic.example/"\nname = "Clinic"\n'
        '[derive.breadcrumbs]\nnames = { "/b/" = "Bee", "/nowhere/" = "Nowhere" }\n'
    )
    project = load({"b.yaml": OTHER}, toml)
    findings = derived(project)
    assert trail(project.store, NamedNode(SITE + "b/#webpage")) == [
        (1, ("Clinic",), SITE),
        (2, ("Bee",), SITE + "b/"),
    ]
    assert [(f.rule, f.path) for f in findings] == [("derive/breadcrumb-name-unused", "/nowhere/")]


# --- random URL trees -----------------------------------------------------------------

SEGMENT = st.sampled_from(["a", "b", "c", "caf%C3%A9"])
ENDING = st.sampled_from(["/", "", ".html", "/index.html"])


@st.composite
def sites(draw):
    """Pages at random paths (a folder's page may be written /a/, /a, /a.html or
    /a/index.html), some without a name; ``names`` for some folders."""
    paths = {}
    for segments in draw(st.lists(st.lists(SEGMENT, min_size=0, max_size=4), min_size=1, max_size=12)):
        ending = draw(ENDING) if segments else draw(st.sampled_from(["", "index.html"]))
        path = "/".join(segments) + ending if segments else ending
        stem = path.removesuffix("index.html").removesuffix(".html").rstrip("/")
        paths.setdefault(stem, (path, draw(st.booleans())))  # one page per file, as find_pages insists
    folders = sorted(
        {
            "/".join(path.split("/")[:n]) + "/"
            for path, _ in paths.values()
            for n in range(1, path.count("/") + 1)
        }
    )
    # as [derive.breadcrumbs] names keeps them: percent-escapes decoded
    names = tuple(sorted((unquote(folder), folder.upper()) for folder in folders if draw(st.booleans())))
    return sorted(paths.values()), names


def project_of(paths, names) -> Project:
    store = Store()
    graph = NamedNode(ids.source_graph("pages.ttl"))
    quads = []
    for number, (path, named) in enumerate(paths):
        node = NamedNode(f"{SITE}#page-{number}")
        quads += [
            Quad(node, NamedNode(RDF_TYPE), schema("WebPage"), graph),
            Quad(node, schema("url"), NamedNode(SITE + path), graph),
        ]
        if named:
            quads.append(Quad(node, schema("name"), Literal(f"page {number}", language="en"), graph))
    store.add_quads(quads)
    return Project(Path("."), Site(SITE, "Clinic", derive=Derive(names=names)), store, builtin_vocabulary())


def stem(url: str) -> str:
    """A level's URL as the folder it stands for: /a.html and /a/index.html stand for /a."""
    return url.removesuffix("index.html").removesuffix(".html").rstrip("/")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_every_trail_goes_from_home_down_to_its_page(site):
    paths, names = site
    project = project_of(paths, names)
    derived(project)
    for page in find_pages(project.store, project.site, project.vocabulary):
        rows = trail(project.store, page.node)
        assert [position for position, _, _ in rows] == list(range(1, len(rows) + 1))
        assert rows[-1][2] == page.url
        for (_, _, upper), (_, _, lower) in pairwise(rows):
            assert (stem(lower) + "/").startswith(stem(upper) + "/"), rows
            assert stem(lower) != stem(upper), rows
        assert all(label for _, label, _ in rows[:-1])  # a level without a name is left out
    named_levels = {"", *dict(names)}  # the home level takes the site's name
    unnamed = {
        SITE + path
        for path, named in paths
        if not named and (stem(path) and unquote(stem(path)) + "/") not in named_levels
    }
    for finding in breadcrumb_findings(project):  # Google's rules: only a page without a name
        assert finding.rule == "google/breadcrumb-name-missing"
        (url,) = values(project.store, NamedNode(finding.node), "item")
        assert url.value in unnamed
