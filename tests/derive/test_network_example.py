"""The clinic-network example: its rules make a page per clinic x service, a profile page
per practitioner and a condition hub; every page carries a BreadcrumbList; the rule-made
pages validate; explain names the rule and the clinic it was made for; and the recipes
on the derivation page are the example's rules, word for word."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from click.testing import CliRunner
from conftest import REPO

from clinicgraph import pipeline
from clinicgraph.cli import main

NETWORK = REPO / "examples" / "clinic-network"
SITE = "https://harbourspine.example/"
SERVICES = {
    "harbourfront": ["chiropractic", "physiotherapy", "massage-therapy"],
    "northshore": ["chiropractic", "acupuncture"],
    "eastgate": ["physiotherapy", "massage-therapy"],
}
TEAM = {
    "harbourfront": ["maya-okafor", "liam-tremblay"],
    "northshore": ["hana-sato"],
    "eastgate": ["ruth-abernathy", "diego-marin"],
}
SERVICE_PAGES = {f"{SITE}{clinic}/services/{slug}/" for clinic, slugs in SERVICES.items() for slug in slugs}
PROFILES = {f"{SITE}{clinic}/team/{slug}/" for clinic, slugs in TEAM.items() for slug in slugs}
HUB = f"{SITE}conditions/"
WRITTEN = {SITE, *(f"{SITE}{clinic}/" for clinic in SERVICES)} | {
    f"{SITE}conditions/{slug}/" for slug in ("low-back-pain", "neck-pain")
}


@pytest.fixture(scope="module")
def network(schemaorg_dir):
    """The example, derived, checked against the full schema.org release."""
    return pipeline.open_project(NETWORK, schemaorg_dir)


@pytest.fixture(scope="module")
def documents(network) -> dict[str, dict]:
    pages, exporter = pipeline.page_documents(network)
    return {page.url: exporter.document(page) for page in pages}


def page_node(document: dict) -> dict:
    """The page's own node: the first of the document's graph."""
    return document["@graph"][0]


def test_the_pages_are_the_written_ones_and_those_the_rules_make(documents):
    assert len(SERVICE_PAGES) == 7 and len(PROFILES) == 5 and len(WRITTEN) == 6
    assert set(documents) == WRITTEN | SERVICE_PAGES | PROFILES | {HUB}
    assert len(documents) == 19


def test_every_page_carries_a_breadcrumb_list_from_home_to_itself(documents):
    for url, document in documents.items():
        trail = page_node(document)["breadcrumb"]
        assert trail["@type"] == "BreadcrumbList", url
        items = trail["itemListElement"]
        items = items if isinstance(items, list) else [items]
        assert [item["position"] for item in items] == list(range(1, len(items) + 1)), url
        links = [item["item"]["@id"] for item in items]
        assert all(link.startswith(SITE) for link in links), url
        assert links[0] == SITE and links[-1] == url and all(item["name"] for item in items), url


def test_a_service_page_goes_home_clinic_services_page(documents):
    node = page_node(documents[f"{SITE}northshore/services/acupuncture/"])
    names = [item["name"] for item in node["breadcrumb"]["itemListElement"]]
    assert names == [
        "Home",
        "Northshore clinic",
        "Services",
        "Acupuncture at Harbour Spine & Wellness Northshore",
    ]
    assert node["@type"] == "MedicalWebPage" and node["about"]["@id"] == f"{SITE}#service-acupuncture"
    assert node["provider"]["@id"] == f"{SITE}northshore/#clinic"


def test_a_profile_is_about_its_practitioner_and_the_hub_lists_the_condition_pages(documents):
    profile = page_node(documents[f"{SITE}harbourfront/team/maya-okafor/"])
    assert profile["@type"] == "ProfilePage" and profile["name"] == "Dr Maya Okafor"
    assert profile["mainEntity"]["@id"] == f"{SITE}harbourfront/#maya-okafor"
    hub = page_node(documents[HUB])
    assert hub["@type"] == "CollectionPage"
    assert {part["@id"] for part in hub["hasPart"]} == {
        f"{SITE}conditions/{slug}/#webpage" for slug in ("low-back-pain", "neck-pain")
    }


def test_the_example_validates_without_errors(network):
    diagnostics = pipeline.validate(network)
    assert [d for d in diagnostics if d.severity == "error"] == []
    made = {d.node for d in diagnostics if d.file and "/rules/" in d.file}
    # What the README explains: a page made from data has no medical review nor citation,
    # and a profile made from data no date of its making.
    assert {(d.rule, d.node) for d in diagnostics if d.file and "/rules/" in d.file} == {
        (rule, f"{url}#webpage")
        for rule in (
            "health/page-citation-missing",
            "health/page-last-reviewed-missing",
            "health/page-reviewed-by-missing",
        )
        for url in SERVICE_PAGES
    } | {("google/profile-page-date-missing", f"{url}#webpage") for url in PROFILES}
    assert made == {f"{url}#webpage" for url in SERVICE_PAGES | PROFILES}
    # The written data passes the practitioner and E-E-A-T rules (the issue asks it).
    assert not [d for d in diagnostics if d.rule.startswith("health/") and "/rules/" not in (d.file or "")]


def test_a_profile_page_says_where_its_practitioner_works(documents):
    for url in PROFILES:
        graph = documents[url]["@graph"]
        entity = page_node(documents[url])["mainEntity"]["@id"]
        (person,) = [node for node in graph if node["@id"] == entity]
        clinic = url.removeprefix(SITE).split("/", 1)[0]
        assert person["worksFor"]["@id"] == f"{SITE}{clinic}/#clinic", url


def test_explain_names_the_rule_and_the_clinic_of_a_rule_made_page(network):
    page = "harbourfront/services/chiropractic/#webpage"
    document = json.loads(pipeline.explain(network, page, "json"))
    (provider,) = [t for t in document["triples"] if t["predicate"].endswith("/provider")]
    (origin,) = provider["origins"]
    assert origin["file"].endswith("rules/10-clinic-service-pages.rq") and origin["line"] == 9
    (solution,) = origin["solutions"]
    assert solution["clinic"] == f"<{SITE}harbourfront/#clinic>" and solution["slug"] == '"chiropractic"'


def test_without_derivation_only_the_written_pages_remain(schemaorg_dir):
    project = pipeline.open_project(NETWORK, schemaorg_dir, derive=False)
    pages, _ = pipeline.page_documents(project)
    assert {page.url for page in pages} == WRITTEN


def test_the_help_of_explain_shows_nodes_the_examples_have():
    """Each example command in `clinicgraph explain --help` runs on the shipped examples."""
    help_text = CliRunner().invoke(main, ["explain", "--help"]).output
    commands = re.findall(r"^\s+clinicgraph (explain .*)$", help_text, re.M)
    assert any("clinic-network" in command for command in commands)
    for command in commands:
        argv = [str(REPO / arg) if arg.startswith("examples/") else arg for arg in shlex.split(command)]
        result = CliRunner().invoke(main, argv)
        assert result.exit_code == 0, (command, result.output)


RECIPE = re.compile(r"```sparql\n# rules/(\S+\.rq)\n(.*?)```", re.S)


def test_the_recipes_on_the_derivation_page_are_the_examples_rules():
    recipes = dict(RECIPE.findall((REPO / "docs" / "derive.md").read_text("utf-8")))
    rules = {rule.name: rule.read_text("utf-8") for rule in (NETWORK / "rules").glob("*.rq")}
    assert set(rules) <= set(recipes)
    for name, text in rules.items():
        assert recipes[name] == text, name


def test_the_pages_derivation_found_are_the_ones_a_fresh_look_finds(network):
    """Build and export reuse derivation's pages (found after the rules ran, before the
    steps): the steps' triples must not have made or unmade a page since."""
    from clinicgraph.graph.pages import find_pages

    assert network.pages is not None and len(network.pages) == 19
    assert network.site_pages() is network.pages
    assert network.pages == find_pages(network.store, network.site, network.vocabulary)


def test_without_derivation_the_pages_are_found_when_asked(schemaorg_dir):
    project = pipeline.open_project(NETWORK, schemaorg_dir, derive=False)
    assert project.pages is None
    assert {page.url for page in project.site_pages()} == WRITTEN
