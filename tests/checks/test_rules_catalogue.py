"""The one list of every rule (``checks.catalogue``): what `clinicgraph rules` prints and
the docs' rule pages are made of. Every declared rule is in it once, a project's shapes
replace or switch off bundled rules by id, and Google rules fall into their search
feature by their id's prefix (so the rules other work adds need no edit)."""

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from clinicgraph.checks.catalogue import FAMILIES, as_markdown, as_text, catalogue
from clinicgraph.checks.features import FEATURES, feature_of
from clinicgraph.checks.registry import python_rules
from clinicgraph.checks.shacl import default_shape_files, load_shapes

OWN_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix cg: <urn:clinicgraph:shacl#> .
@prefix ex: <https://westwood.example/shapes#> .

ex:clinic a sh:NodeShape ; sh:targetClass schema:MedicalClinic ;
   sh:property [ cg:rule "google/local-business-telephone-missing" ; sh:path schema:telephone ;
                 sh:minCount 1 ; sh:severity sh:Violation ; sh:message "We always give a phone." ] .
[] cg:rule "google/self-serving-review" ; sh:deactivated true .
ex:physician a sh:NodeShape ; sh:targetClass schema:Physician ;
   sh:property [ cg:rule "westwood/physician-email-missing" ; sh:path schema:email ; sh:minCount 1 ;
                 sh:severity sh:Warning ; sh:message "A physician needs an email." ;
                 cg:cites "https://westwood.example/style-guide" ] .
"""


@pytest.fixture(scope="module")
def entries():
    return catalogue()


def test_every_rule_is_listed_once_with_its_severity(entries):
    shapes = {rule.id: rule.severity for rule in load_shapes(default_shape_files()).rules}
    python = {rule.id: rule.severity for rule in python_rules()}
    assert [entry.id for entry in entries].count("google/geo-coordinates-missing") == 1  # two shapes
    assert {entry.id: entry.severity for entry in entries} == {**python, **shapes}
    assert len(entries) == len({*python, *shapes})


def test_an_entry_says_where_its_rule_is_written_and_what_it_cites(entries):
    by_id = {entry.id: entry for entry in entries}
    author = by_id["google/review-author-missing"]
    assert re.fullmatch(r"google\.ttl:\d+", author.source) and author.family == "google"
    assert author.feature == "Review snippet" and author.cites.startswith("https://developers.google.com/")
    assert author.on == "Review, review: author" and author.hint  # objects of review too
    assert by_id["schema/range"].source == "python" and by_id["schema/range"].feature is None
    geo = by_id["google/geo-coordinates-missing"]
    assert "no latitude" in geo.what and "no longitude" in geo.what


def test_the_families_come_in_their_order(entries):
    families = list(dict.fromkeys(entry.family for entry in entries))
    assert families == [family for family in FAMILIES if family in families] and families[:3] == [
        "schema",
        "google",
        "health",
    ]


def test_a_project_s_shapes_replace_switch_off_and_add_rules(tmp_path):
    own = tmp_path / "own.ttl"
    own.write_text(OWN_SHAPES, encoding="utf-8")
    by_id = {entry.id: entry for entry in catalogue([own])}
    telephone = by_id["google/local-business-telephone-missing"]
    assert (telephone.severity, telephone.what) == ("error", "We always give a phone.")
    assert telephone.source == f"{own.as_posix()}:7"
    assert "google/self-serving-review" not in by_id
    added = by_id["westwood/physician-email-missing"]
    assert (added.family, added.severity, added.cites) == (
        "westwood",
        "warning",
        "https://westwood.example/style-guide",
    )
    assert [entry.family for entry in catalogue([own])][-1] == "westwood"  # unknown families last


@pytest.mark.parametrize(
    "rule_id, feature",
    [
        ("google/organization-logo-missing", "Organization"),
        ("google/site-name-missing", "Site name"),
        ("google/department-name-format", "Local business"),
        ("google/special-hours-past", "Local business"),
        ("google/opening-hours-closes-before-opens", "Local business"),
        ("google/review-date-missing", "Review snippet"),
        ("google/aggregate-rating-count-missing", "Review snippet"),
        ("google/self-serving-review", "Review snippet"),
        ("google/breadcrumb-position-invalid", "Breadcrumb"),
        ("google/article-author-text", "Article"),
        ("google/retired-how-to", "How-to"),
        ("google/date-time-zone-missing", None),
        ("health/page-reviewed-by-missing", None),
    ],
)
def test_a_rule_falls_into_its_feature_by_its_id(rule_id, feature):
    found = feature_of(rule_id)
    assert (found.name if found else None) == feature


def test_every_bundled_google_rule_but_the_cross_feature_ones_has_a_feature(entries):
    loose = {entry.id for entry in entries if entry.family == "google" and entry.feature is None}
    assert loose == {"google/date-time-zone-missing", "google/url-not-web"}


def test_markdown_gives_a_table_per_google_feature_in_the_features_order(entries):
    google = as_markdown([entry for entry in entries if entry.family == "google"])
    headings = re.findall(r"^## (.+)$", google, re.M)
    order = [feature.name for feature in FEATURES]
    assert headings[-1] == "Across features"
    assert headings[:-1] == [name for name in order if name in headings]
    assert {"Local business", "Review snippet", "Breadcrumb", "Article", "FAQ"} <= set(headings)
    assert "| `google/retired-faq` | info |" in google
    one_family = as_markdown([entry for entry in entries if entry.family == "health"])
    assert one_family.startswith("| rule | severity |")  # one family: only its table
    every = as_markdown(entries)  # the families' headings, the features' a level below
    assert re.findall(r"^## (.+)$", every, re.M) == list(FAMILIES.values())
    assert re.findall(r"^### (.+)$", every, re.M) == headings


def test_text_gives_a_line_per_rule_and_its_source_under_it(entries):
    health = [entry for entry in entries if entry.family == "health"]
    lines = as_text(health).splitlines()
    assert lines[-1] == f"{len(health)} rules" and len(lines) == 2 * len(health) + 1
    at = next(n for n, line in enumerate(lines) if line.startswith("health/page-about-missing "))
    assert re.fullmatch(r"health/page-about-missing +warning  This health page .*", lines[at])
    assert re.fullmatch(r" +in health\.ttl:\d+(, cites https://\S+)?", lines[at + 1])


def test_the_rules_command_prints_json_and_filters_by_family(tmp_path):
    own = tmp_path / "own.ttl"
    own.write_text(OWN_SHAPES, encoding="utf-8")
    result = run_cli("rules", "--family", "westwood", "--format", "json", "--shapes", own)
    assert result.returncode == 0, result.stderr
    assert [entry["id"] for entry in json.loads(result.stdout)] == ["westwood/physician-email-missing"]
    listed = run_cli("rules", "--family", "google")
    assert listed.returncode == 0 and listed.stdout.splitlines()[0].startswith("google/")
    assert all(line.startswith(("google/", " ")) for line in listed.stdout.splitlines()[:-1])


def test_an_unknown_family_is_one_line_naming_the_families():
    result = run_cli("rules", "--family", "goggle")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Error: no rule family 'goggle' (families: schema, google, health, hygiene, source, derive, audit)"
    )


def test_every_family_has_a_docs_page_in_the_nav(entries):
    nav = (REPO / "mkdocs.yml").read_text("utf-8")
    for family in {entry.family for entry in entries}:
        page = Path(REPO / "docs" / "rules" / f"{family}.md")
        assert f"<!-- generated: rules {family} -->" in page.read_text("utf-8")
        assert f"rules/{family}.md" in nav
