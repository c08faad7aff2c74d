"""The embedded JSON-LD as a real browser reads it: served on 127.0.0.1, loaded in
headless Chromium, every script[type="application/ld+json"] JSON.parse'd in the page
and compared with the document `clinicgraph build` writes for that page."""

import json

import pytest
from chromium import browser, serve, visit  # noqa: F401 (fixtures)
from conftest import EXAMPLE, SITE, run_cli, write_project

HOSTILE = (
    "</script><script>window.pwned=1</script> <!-- <script> </SCRIPT > \u2028 \u2029 "
    "\"double\" 'single' &amp; emoji \U0001f600"
)


def built_documents(project, out):
    """The page documents `clinicgraph build` writes, by page file name."""
    result = run_cli("build", project, "-o", out)
    assert result.returncode == 0, result.stderr
    return {
        path.relative_to(out / "jsonld").as_posix(): json.loads(path.read_bytes())
        for path in (out / "jsonld").rglob("*.jsonld")
    }


def test_example_site_carries_the_graphs_document(tmp_path, serve, visit):
    documents = built_documents(EXAMPLE, tmp_path / "dist")
    base = serve(EXAMPLE / "site")
    page, blocks, errors = visit(base + "conditions/back-spasms/")
    assert [(b["ours"], b["inHead"]) for b in blocks] == [(True, True)]
    assert blocks[0]["json"] == documents["conditions/back-spasms.jsonld"]
    assert page.title() == "Back Spasms · Westwood Total Health" and errors == []
    assert page.locator("h1").inner_text() == "Back Spasms"
    for path in ("", "contact/"):  # pages the graph does not have yet
        _, blocks, errors = visit(base + path)
        assert blocks == [] and errors == []


def test_example_site_links_resolve(serve, visit):
    base = serve(EXAMPLE / "site")
    for path in ("", "contact/", "conditions/back-spasms/"):
        page, _, _ = visit(base + path)
        hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            if href.startswith(base):
                assert page.request.get(href).status == 200, href


def strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar; line and paragraph separators escaped (YAML reads them as breaks)."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


HOSTILE_CONTENT = f"""
- type: MedicalClinic
  id: "#clinic"
  name: {yaml_text("Clinic " + HOSTILE)}
  telephone: "+1-604-555-0100"
  review:
    type: Review
    author: {{type: Person, name: "Ann"}}
    reviewRating: {{type: Rating, ratingValue: 5, bestRating: 5}}
    reviewBody: {yaml_text("Great. " + HOSTILE)}
- type: MedicalCondition
  id: "conditions/x/#condition"
  name: "X"
  description: {yaml_text(HOSTILE)}
- {{type: MedicalWebPage, id: "conditions/x/#webpage", url: "{SITE}conditions/x/", name: "X",
    about: {{id: "conditions/x/#condition"}}, publisher: {{id: "#clinic"}}}}
- {{type: WebPage, id: "legacy.html#webpage", url: "{SITE}legacy.html", name: "Legacy",
    about: {{id: "conditions/x/#condition"}}, publisher: {{id: "#clinic"}}}}
- {{type: WebPage, id: "minimal#webpage", url: "{SITE}minimal", name: "Minimal",
    about: {{id: "conditions/x/#condition"}}, publisher: {{id: "#clinic"}}}}
"""
OTHER_JSONLD = (
    '{"@context": "https://schema.org", "@type": "BreadcrumbList", "name": "from another tool </p>"}'
)
PAGES = {
    # UTF-8, another tool's JSON-LD, a template and a script in the head.
    "conditions/x/index.html": (
        '<!DOCTYPE html>\n<html>\n<head>\n  <meta charset="utf-8">\n  <title>X</title>\n'
        "  <template><p>a template</p></template>\n"
        f'  <script type="application/ld+json">{OTHER_JSONLD}</script>\n'
        "  <script>window.headScriptRan = 1;</script>\n</head>\n"
        "<body><p>X</p><script>window.siteScriptRan = 1;</script></body>\n</html>\n"
    ).encode(),
    # windows-1252 with CRLF line endings: the block is written in ASCII.
    "legacy.html": (
        '<html>\r\n<head>\r\n<meta charset="windows-1252">\r\n<title>Caf\xe9</title>\r\n</head>\r\n'
        "<body><p>Caf\xe9</p><script>window.siteScriptRan = 1;</script></body>\r\n</html>\r\n"
    ).encode("cp1252"),
    # No <head> tag: the block goes where the parser opens the head by itself.
    "minimal.html": b"<!doctype html><meta charset=utf-8><title>m</title><p>body"
    b"<script>window.siteScriptRan = 1;</script>",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A small project whose clinic name, review and condition description try to break out."""
    folder = write_project(
        tmp_path_factory.mktemp("hostile") / "project", {"content/site.yaml": HOSTILE_CONTENT}
    )
    for relpath, data in PAGES.items():
        (folder / "site" / relpath).parent.mkdir(parents=True, exist_ok=True)
        (folder / "site" / relpath).write_bytes(data)
    result = run_cli("embed", folder / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return folder, built_documents(folder, folder.parent / "dist")


@pytest.mark.parametrize(
    "path, document",
    [
        ("conditions/x/", "conditions/x.jsonld"),
        ("legacy.html", "legacy.jsonld"),
        ("minimal", "minimal.jsonld"),
    ],
)
def test_hostile_text_parses_equal_and_runs_nothing(hostile_site, serve, visit, path, document):
    folder, documents = hostile_site
    base = serve(folder / "site")
    page, blocks, errors = visit(base + (path if path != "minimal" else "minimal.html"))
    ours = [block for block in blocks if block["ours"]]
    assert len(ours) == 1 and ours[0]["inHead"]
    assert ours[0]["json"] == documents[document]
    texts = set(strings(ours[0]["json"]))
    assert {"Clinic " + HOSTILE, "Great. " + HOSTILE, HOSTILE} <= texts  # all three made it, whole
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("window.siteScriptRan") == 1  # scripts do run on the page
    assert errors == []
    if path == "conditions/x/":
        assert [block["json"] for block in blocks if not block["ours"]] == [json.loads(OTHER_JSONLD)]
        assert page.evaluate("window.headScriptRan") == 1
        assert page.evaluate("document.head.querySelector('template') !== null")
    if path == "legacy.html":
        assert page.title() == "Café"  # the file's own bytes still read as windows-1252


def test_hostile_site_second_embed_changes_nothing(hostile_site):
    folder, _ = hostile_site
    before = {p: p.read_bytes() for p in (folder / "site").rglob("*.html")}
    result = run_cli("embed", folder / "site", "--check")
    assert result.returncode == 0, result.stdout
    assert {p: p.read_bytes() for p in (folder / "site").rglob("*.html")} == before
