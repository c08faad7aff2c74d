"""Pages: which nodes are pages, and where their files go."""

import pytest
from pyoxigraph import NamedNode

from clinicgraph.core.errors import SourceError
from clinicgraph.graph.pages import Page, find_pages


def pages_of(project):
    return find_pages(project.store, project.site, project.vocabulary)


def page_yaml(*urls, kind="WebPage"):
    return "".join(f"- type: {kind}\n  id: '#p{i}'\n  url: {url}\n" for i, url in enumerate(urls))


def test_any_webpage_subtype_under_the_site_is_a_page(load):
    project = load(
        {
            "p.yaml": page_yaml("https://clinic.example/a/", kind="MedicalWebPage")
            + page_yaml("https://clinic.example/b.html", kind="AboutPage").replace("#p0", "#q")
            + "- type: WebSite\n  id: '#w'\n  url: https://clinic.example/\n"
            + page_yaml("https://elsewhere.example/c/").replace("#p0", "#r")
        }
    )
    assert [(p.url, p.file(".jsonld")) for p in pages_of(project)] == [
        ("https://clinic.example/a/", "a.jsonld"),
        ("https://clinic.example/b.html", "b.jsonld"),
    ]


@pytest.mark.parametrize(
    "path, stem",
    [
        ("", "index"),
        ("a/", "a"),
        ("a/b/", "a/b"),
        ("a/b.html", "a/b"),
        ("a/b.htm", "a/b"),
        ("a/b", "a/b"),
        ("a/b.json", "a/b.json"),
        ("caf%C3%A9/", "café"),
    ],
)
def test_a_page_is_one_file_named_like_its_url(path, stem):
    assert (
        Page(NamedNode("https://clinic.example/#p"), "https://clinic.example/" + path, path).file(".jsonld")
        == stem + ".jsonld"
    )


def test_pages_known_from_the_last_build_are_the_pages_found_afresh(load):
    """An incremental build takes unchanged pages from its record (url and file stem)
    without judging their paths again: the same pages as asking the store."""
    urls = [
        "https://clinic.example/",
        "https://clinic.example/a/",
        "https://clinic.example/caf%C3%A9/",
        "https://clinic.example/b.html",
        "https://clinic.example/c?x=1",
        "https://clinic.example/d/e",
    ]
    project = load({"p.yaml": page_yaml(*urls)})
    afresh = pages_of(project)
    known = {page.node.value: (page.url, page.stem) for page in afresh}
    assert find_pages(project.store, project.site, project.vocabulary, known, changed=()) == afresh
    assert (
        find_pages(project.store, project.site, project.vocabulary, known, changed=[afresh[2].node]) == afresh
    )


def test_home_page_is_index(load):
    (page,) = pages_of(load({"p.yaml": page_yaml("https://clinic.example/")}))
    assert page.file(".html") == "index.html"


@pytest.mark.parametrize(
    "urls",
    [
        ("https://clinic.example/x", "https://clinic.example/x.html"),
        ("https://clinic.example/x", "https://clinic.example/x/"),
        ("https://clinic.example/", "https://clinic.example/index.html"),
        ("https://clinic.example/x", "https://clinic.example/x.jsonld/y/"),
    ],
)
def test_urls_whose_files_would_clash_are_refused(load, urls):
    with pytest.raises(SourceError, match="give one of them another url"):
        load({"p.yaml": page_yaml(*urls)})  # derivation finds the pages: every command refuses them
    project = load({"p.yaml": page_yaml(*urls)}, derive=False)
    with pytest.raises(SourceError, match="give one of them another url"):
        pages_of(project)


def test_a_path_that_climbs_out_is_refused(load):
    files = {"p.yaml": page_yaml("https://clinic.example/a/%2e%2e/%2e%2e/etc/passwd")}
    with pytest.raises(SourceError, match="cannot be a file name"):
        load(files)
    with pytest.raises(SourceError, match="cannot be a file name"):
        pages_of(load(files, derive=False))


def test_output_under_a_file_names_the_file(cli, example_dir, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = cli("build", example_dir, "-o", tmp_path / "notes.txt" / "dist")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"{tmp_path / 'notes.txt'}: is a file, not a folder: choose another output folder"
    )
    assert (tmp_path / "notes.txt").read_text() == "mine"
