"""A project folder -> one store: which files are read, named graphs, pages, merging."""

from pathlib import Path

import pytest
from conftest import SITE, run_cli
from pyoxigraph import Literal, NamedNode

from clinicgraph import pipeline
from clinicgraph.core.errors import SourceError
from clinicgraph.graph.ids import source_of_graph
from clinicgraph.graph.pages import find_pages
from clinicgraph.graph.source_formats import SOURCE_FORMATS

S = "http://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TURTLE_PAGE = "@prefix schema: <http://schema.org/> .\n<#page> a schema:WebPage ; schema:url <about/> .\n"


def graphs(project) -> dict[str, set[str]]:
    """source file -> subjects it holds."""
    found: dict[str, set[str]] = {}
    for quad in project.store.oxigraph:
        found.setdefault(source_of_graph(quad.graph_name.value), set()).add(quad.subject.value)
    return found


def test_each_source_file_is_its_own_named_graph(load):
    project = load(
        {
            "content/clinic.yaml": "type: MedicalClinic\nid: '#clinic'\nname: A\n",
            "people.yml": "type: Person\nid: '#dr'\nworksFor: {id: '#clinic'}\n",
            "extra.ttl": '<#clinic> <http://schema.org/telephone> "+1-604-555-0100" .\n',
        }
    )
    assert graphs(project) == {
        "content/clinic.yaml": {SITE + "#clinic"},
        "people.yml": {SITE + "#dr"},
        "extra.ttl": {SITE + "#clinic"},
    }
    assert project.sources == ["content/clinic.yaml", "extra.ttl", "people.yml"]


def test_a_node_written_in_two_files_is_one_node(load):
    project = load(
        {
            "a.yaml": "type: AggregateRating\nid: '#rating'\nratingValue: 4.7\n",
            "b.ttl": '<#rating> <http://schema.org/ratingValue> "4.70e0"^^<http://www.w3.org/2001/XMLSchema#double> ;'
            " <http://schema.org/reviewCount> 628 .\n",
        }
    )
    described = project.store.describe(NamedNode(SITE + "#rating"))
    assert [p.value for p, _ in described] == [
        S + "ratingValue",
        S + "reviewCount",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    ]
    assert len(project.store) == 3


# one person, written in each registered source format
PERSON = {
    "YAML-LD": "type: Person\nid: '#dr'\nname: Dr A\n",
    "Turtle": '@prefix schema: <http://schema.org/> .\n<#dr> a schema:Person ; schema:name "Dr A" .\n',
    "N-Triples": f'<{SITE}#dr> <{RDF_TYPE}> <{S}Person> .\n<{SITE}#dr> <{S}name> "Dr A" .\n',
    "JSON-LD": '{"@context": "https://schema.org", "@id": "#dr", "@type": "Person", "name": "Dr A"}',
}


@pytest.mark.parametrize("known", SOURCE_FORMATS, ids=[known.name for known in SOURCE_FORMATS])
def test_every_registered_source_format_loads_from_each_of_its_suffixes(make_project, known):
    for suffix in known.suffixes:
        project = pipeline.open_project(
            make_project({f"content/dr{suffix}": PERSON[known.name]}, name=suffix[1:])
        )
        assert graphs(project) == {f"content/dr{suffix}": {SITE + "#dr"}}
        assert len(project.store) == 2


def test_a_folder_without_sources_names_every_format(make_project):
    with pytest.raises(
        SourceError, match=r"add \.yaml, \.ttl, \.nt or \.jsonld files beside clinicgraph\.toml"
    ):
        pipeline.open_project(make_project({"notes.txt": "x"}))


def test_where_a_node_was_written(load):
    project = load(
        {
            "content/a.yaml": "# the clinic\ntype: MedicalClinic\nid: '#clinic'\n"
            "address:\n  type: PostalAddress\n"
        }
    )
    root = project.root.as_posix()
    assert project.where(SITE + "#clinic") == (f"{root}/content/a.yaml", 2)
    assert project.where(SITE + "#clinic/address") == (f"{root}/content/a.yaml", 5)


def test_hidden_folders_build_outputs_and_other_files_are_not_read(make_project, tmp_path):
    folder = make_project(
        {
            "a.yaml": "type: Person\nid: '#a'\n",
            ".git/b.yaml": "not: [valid",
            "notes.txt": "casue: nothing",
            "README.md": "# hi",
        }
    )
    assert run_cli("build", folder, "-o", folder / "dist").returncode == 0
    (folder / "dist" / "c.yaml").write_text("casue: [broken", encoding="utf-8")  # inside a build: ignored
    project = pipeline.open_project(folder)
    assert project.sources == ["a.yaml"]


def test_pages_are_web_pages_with_a_url_under_the_site(load):
    project = load(
        {
            "pages.yaml": """
- {type: MedicalWebPage, id: "conditions/x/#webpage", url: conditions/x/}
- {type: AboutPage, id: "#about", url: "https://clinic.example/about/"}
- {type: WebPage, id: "#elsewhere", url: "https://other.example/page/"}
- {type: MedicalClinic, id: "#clinic", url: "https://clinic.example/"}
"""
        }
    )
    pages = find_pages(project.store, project.site, project.vocabulary)
    assert [(page.node.value, page.url) for page in pages] == [
        (SITE + "#about", SITE + "about/"),
        (SITE + "conditions/x/#webpage", SITE + "conditions/x/"),
    ]


def test_pages_are_found_whatever_file_they_come_from(load):
    project = load(
        {
            "page.ttl": TURTLE_PAGE,
            "site.jsonld": '{"@context": "https://schema.org", "@id": "#home",'
            ' "@type": "WebPage", "url": "./"}',
        }
    )
    pages = find_pages(project.store, project.site, project.vocabulary)
    assert [page.url for page in pages] == [SITE, SITE + "about/"]


def test_the_site_url_gets_a_trailing_slash(load):
    project = load(
        {"page.ttl": TURTLE_PAGE}, toml='[site]\nurl = "https://clinic.example/en"\nname = "Clinic"\n'
    )
    assert project.site.url == "https://clinic.example/en/" and project.site.name == "Clinic"
    assert project.site.language is None
    pages = find_pages(project.store, project.site, project.vocabulary)
    assert [page.url for page in pages] == ["https://clinic.example/en/about/"]


def test_a_reference_to_a_node_in_another_file_is_fine(load):
    project = load(
        {
            "a.yaml": "type: MedicalCondition\nid: '#c'\ncause: {id: '#strain'}\n",
            "b.ttl": '<#strain> a <http://schema.org/MedicalCause> ; <http://schema.org/name> "strain" .\n',
        }
    )
    assert (NamedNode(S + "name"), Literal("strain")) in project.store.describe(NamedNode(SITE + "#strain"))


# --- references: an id that nothing defines is a typo; a link to a page or file is not -----


def refused(make_project, files: dict) -> str:
    with pytest.raises(SourceError) as caught:
        pipeline.open_project(make_project(files, name=f"p{len(files)}-{min(files)}"))
    return f"{Path(caught.value.path).name}:{caught.value.line}: {caught.value.message}"


def test_an_undefined_id_where_a_node_is_expected_is_refused_with_its_line(make_project):
    turtle = (
        '@prefix schema: <http://schema.org/> .\n<#a> schema:name "one\u2028two\u2029three\u0085four" .\n'
        "<#c> a schema:MedicalCondition ;\n  schema:cause <#nope> .\n"
    )
    assert (
        refused(make_project, {"a.ttl": turtle})
        == "a.ttl:4: https://clinic.example/#nope is referred to, but no source defines it (a typo in the id?)"
    )
    assert refused(make_project, {"a.yaml": "type: MedicalCondition\ncause: [{id: '#nope'}]\n"}).startswith(
        "a.yaml:2: https://clinic.example/#nope is referred to"
    )
    assert refused(
        make_project,
        {
            "b.yaml": "type: Restaurant\nhasMenu: {id: 'menu/#nope'}\nlogo: {id: '#nope'}\n"
            "author: {id: 'team/#lee'}\n"
        },
    ).startswith("b.yaml:4: https://clinic.example/team/#lee")


def test_links_to_pages_images_and_menus_of_the_site_are_not_references(load):
    project = load(
        {
            "a.ttl": "@prefix schema: <http://schema.org/> .\n<#r> a schema:Restaurant ;\n"
            "  schema:hasMenu <menu/> , <menu/#dinner> ; schema:photo <img/front.jpg> ;\n"
            "  schema:author <team/lee/> ; schema:logo <#logo> ; schema:subjectOf <blog/> .\n",
            "b.yaml": "type: Restaurant\nid: '#other'\nhasMenu: {id: 'menu/'}\nphoto: {id: 'img/x.jpg'}\n",
        }
    )
    assert len(project.store.describe(NamedNode(SITE + "#r"))) == 7
