"""`clinicgraph audit`: the embedded example site is clean; a tampered copy reports each
tampering with its rule id and file; the rules one by one on small pages."""

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLE, run_cli, write_project

from clinicgraph import pipeline
from clinicgraph.checks.audit import audit_page
from clinicgraph.graph.html_source import read_markup

SITE = "https://westwoodtotalhealth.example/"
HTML = Path(__file__).parents[1] / "graph" / "html"
REVIEW = "Have had several sessions with Dr Scott Wee."
MORE_PAGES = f"""
- {{type: WebPage, id: "#home", url: "{SITE}", name: "Westwood Total Health", about: {{id: "#clinic"}},
   isPartOf: {{id: "#website"}}}}
- {{type: ContactPage, id: "contact/#webpage", url: "{SITE}contact/", name: "Contact", about: {{id: "#clinic"}}}}
- {{type: AboutPage, id: "about/#webpage", url: "{SITE}about/", name: "About us", about: {{id: "#clinic"}}}}
"""
ABOUT = "<!DOCTYPE html>\n<html>\n<head>\n<title>About us</title>\n</head>\n<body><h1>About us</h1></body>\n</html>\n"


def audit(source: Path, site: Path | None = None):
    return pipeline.audit(pipeline.open_project(source), site or source / "site").diagnostics


def by_rule(diagnostics, *rules):
    return sorted(
        (d.rule, Path(d.file).relative_to(d.file.split("/site/")[0] + "/site").as_posix() if d.file else None)
        for d in diagnostics
        if d.rule in rules
    )


def test_the_embedded_example_site_is_clean_with_validate_s_warnings():
    project = pipeline.open_project(EXAMPLE)
    diagnostics = pipeline.audit(project, EXAMPLE / "site").diagnostics
    assert not [d for d in diagnostics if d.severity == "error"]
    assert not [d for d in diagnostics if d.rule.startswith("audit/")]
    validated = pipeline.validate(project)  # the same findings, about the same data, now in the HTML
    assert Counter((d.rule, d.severity, d.message) for d in diagnostics) == Counter(
        (d.rule, d.severity, d.message) for d in validated
    )
    page = (EXAMPLE / "site/conditions/back-spasms/index.html").as_posix()
    assert {d.file for d in diagnostics} == {page, None}


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The example project with three more pages of the graph, its site embedded."""
    folder = tmp_path_factory.mktemp("audit") / "back-spasms"
    shutil.copytree(EXAMPLE, folder)
    (folder / "content/pages/more.yaml").write_text(MORE_PAGES, "utf-8")
    (folder / "site/about").mkdir()
    (folder / "site/about/index.html").write_text(ABOUT, "utf-8")
    pipeline.embed(pipeline.open_project(folder), folder / "site")
    return folder


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), "utf-8")


def test_an_embedded_copy_with_more_pages_has_no_errors(copy):
    diagnostics = audit(copy)
    assert not [d for d in diagnostics if d.severity == "error"]
    # the clinic, with its rating and review, is marked up on every page (search engines read each
    # page alone) but shown in full on two: Google's rule says so, on the other two
    shown = Counter(file for _, file in by_rule(diagnostics, "audit/not-visible"))
    assert shown == {"about/index.html": 4, "contact/index.html": 3}  # contact shows the clinic's name
    # what validate says of the clinic is said once, not once per page that carries it
    geo = [d for d in diagnostics if d.rule == "google/local-business-geo-missing"]
    assert len(geo) == 1 and geo[0].message.endswith("(also on 3 other pages)")


def test_each_tampering_is_reported_with_its_rule_and_file(copy, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(copy / "site", site)
    article = site / "conditions/back-spasms/index.html"
    edit(article, '"ratingValue": 4.7', '"ratingValue": 4.2')  # a rating edited
    edit(article, "<blockquote>", "<blockquote hidden>")  # the review text hidden
    contact = site / "contact/index.html"  # our block deleted
    text = contact.read_text("utf-8")
    start, end = (
        text.index('  <script type="application/ld+json" data-clinicgraph>'),
        text.index("</script>") + 10,
    )
    contact.write_text(text[:start] + text[end:], "utf-8")
    home = site / "index.html"  # a duplicate, renamed
    text = home.read_text("utf-8")
    block = text[text.index('<script type="application/ld+json"') : text.index("</script>") + 9]
    renamed = block.replace(" data-clinicgraph", "").replace(
        '"name": "Westwood Total Health"', '"name": "Westwood Wellness"'
    )
    home.write_text(text.replace("</head>", renamed + "\n</head>"), "utf-8")
    edit(site / "about/index.html", '"@type": "AboutPage",', '"@type": "AboutPage"')  # the JSON broken

    diagnostics = audit(copy, site)
    errors = by_rule(
        diagnostics,
        "audit/markup-stale",
        "audit/markup-missing",
        "audit/markup-duplicated",
        "audit/invalid-json",
    )
    assert sorted(set(errors)) == [
        ("audit/invalid-json", "about/index.html"),
        ("audit/markup-duplicated", "index.html"),
        ("audit/markup-missing", "contact/index.html"),
        ("audit/markup-stale", "conditions/back-spasms/index.html"),
    ]
    assert Counter(rule for rule, _ in errors) == {
        "audit/invalid-json": 1,
        "audit/markup-missing": 1,
        "audit/markup-stale": 1,  # not the duplicated names
        "audit/markup-duplicated": 3,
    }  # the clinic, home, website
    stale = next(d for d in diagnostics if d.rule == "audit/markup-stale")
    assert stale.node == SITE + "#clinic/aggregateRating" and stale.property == "ratingValue"
    assert "is 4.2 on the page but 4.7 in the graph" in stale.message
    assert article.read_text("utf-8").splitlines()[stale.line - 1].strip() == '"ratingValue": 4.2,'
    broken = next(d for d in diagnostics if d.rule == "audit/invalid-json")
    assert (site / "about/index.html").read_text("utf-8").splitlines()[
        broken.line - 1
    ].strip() == '"@type": "AboutPage"'
    hidden = [d for d in diagnostics if d.rule == "audit/not-visible" and d.file == article.as_posix()]
    assert {(d.property, d.value[:44]) for d in hidden} == {("reviewBody", REVIEW), ("ratingValue", "4.2")}
    duplicated = next(
        d for d in diagnostics if d.rule == "audit/markup-duplicated" and d.node == SITE + "#clinic"
    )
    assert duplicated.property == "name" and '"Westwood Wellness"' in duplicated.message
    lines = home.read_text("utf-8").splitlines()
    assert lines[duplicated.line - 1].strip() == '"name": "Westwood Wellness",'
    assert lines[duplicated.line - 2].strip().startswith('"logo"')  # in the clinic, not another node
    # the command line: exit 1, every finding in json and sarif
    result = run_cli("audit", site, "--source", copy, "--format", "json")
    assert result.returncode == 1, result.stderr
    assert {row["rule"] for row in json.loads(result.stdout)} >= {
        "audit/invalid-json",
        "audit/markup-duplicated",
        "audit/markup-missing",
        "audit/markup-stale",
        "audit/not-visible",
    }
    sarif = json.loads(run_cli("audit", site, "--source", copy, "--format", "sarif").stdout)
    assert any(r["ruleId"] == "audit/markup-stale" for r in sarif["runs"][0]["results"])


def test_cli_exit_status_as_validate():
    result = run_cli("audit", EXAMPLE / "site")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("0 errors, 9 warnings, 2 infos\n")
    assert "audited 3 HTML files (1 page of the graph)" in result.stderr
    assert run_cli("audit", EXAMPLE / "site", "--strict").returncode == 1
    assert run_cli("audit", EXAMPLE / "nowhere", "--source", EXAMPLE).returncode == 2


def test_a_page_without_a_file_is_a_warning(copy, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(copy / "site", site)
    (site / "about/index.html").unlink()
    missing = [d for d in audit(copy, site) if d.rule == "audit/markup-missing"]
    assert [(d.severity, d.node) for d in missing] == [("warning", SITE + "about/")]
    assert missing[0].file.endswith("content/pages/more.yaml")


# --- rules one by one, on the fixtures of tests/graph/html --------------------------


def findings(name: str, document=None):
    project = pipeline.open_project(EXAMPLE)
    markup = read_markup((HTML / name).read_bytes(), name)
    return audit_page(markup, document, project.site, project.vocabulary)


def test_duplicated_names_both_blocks_lines():
    found = [d for d in findings("duplicated.html") if d.rule == "audit/markup-duplicated"]
    assert [(d.line, d.property) for d in found] == [(13, "name")]  # where the second name is written
    assert "at line 8 and" in found[0].message  # where the first block describes it


def test_invalid_json_errors_and_validate_rules_run_on_the_rest():
    found = findings("invalid-json.html")
    assert [(d.rule, d.line, d.severity) for d in found if d.rule.startswith("audit/")] == [
        ("audit/invalid-json", 11, "error"),
        ("audit/invalid-json", 20, "error"),
    ]
    assert any(d.rule.startswith("google/") and d.file == "invalid-json.html" for d in found)


def test_marked_up_names_must_be_visible():
    found = [d for d in findings("rdfa.html") if d.rule == "audit/not-visible"]
    assert found == []  # the clinic has no rating or review: its name is not checked
    found = [d for d in findings("microdata.html") if d.rule == "audit/not-visible"]
    assert found == []  # name, rating 4.8 all shown


def test_a_remote_context_is_a_warning_not_a_fetch():
    project = pipeline.open_project(EXAMPLE)
    page = (
        b'<html><head><script type="application/ld+json">{"@context": "https://example.org/c.jsonld", '
        b'"name": "x"}</script></head><body></body></html>'
    )
    found = audit_page(read_markup(page, "remote.html"), None, project.site, project.vocabulary)
    assert [(d.rule, d.severity, d.line) for d in found] == [("audit/unreadable", "warning", 1)]
    assert "refusing to fetch https://example.org/c.jsonld" in found[0].message


def test_github_annotations_name_the_html_file():
    result = run_cli("audit", EXAMPLE / "site", "--format", "github")
    assert result.returncode == 0
    assert (
        "::warning file=" in result.stdout and "site/conditions/back-spasms/index.html,line=" in result.stdout
    )


def test_an_ill_typed_literal_is_compared_not_logged(caplog):
    import logging

    from pyoxigraph import Literal, NamedNode, Quad

    from clinicgraph.checks.audit import _rdflib

    integer = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    with caplog.at_level(logging.WARNING, logger="rdflib.term"):
        graph = _rdflib(
            [
                Quad(
                    NamedNode(SITE),
                    NamedNode("http://schema.org/ratingValue"),
                    Literal("abc", datatype=integer),
                )
            ]
        )
    assert len(graph) == 1 and caplog.records == []


def test_other_people_s_pages_are_audited_with_a_project_that_only_names_the_site(tmp_path):
    """A project of clinicgraph.toml alone (no content: the pages are someone else's) audits
    their markup with the validate rules and the markup's own findings, as any page."""
    project = write_project(tmp_path / "project", {})
    for name in ("microdata.html", "invalid-iris.html", "near-vocab.html"):
        (tmp_path / "site" / name).parent.mkdir(exist_ok=True)
        shutil.copyfile(HTML / name, tmp_path / "site" / name)
    result = run_cli("audit", tmp_path / "site", "--source", project, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    found = {(Path(row["file"] or "").name, row["rule"], row["line"]) for row in json.loads(result.stdout)}
    assert {
        ("invalid-iris.html", "audit/invalid-value", 11),
        ("near-vocab.html", "audit/vocabulary-misspelled", 8),
        ("microdata.html", "google/local-business-geo-missing", 8),
    } <= found
    assert "audited 3 HTML files (0 pages of the graph)" in result.stderr
