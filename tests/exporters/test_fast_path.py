"""The fast page exporter (shared parts built once) writes exactly what the
straightforward one writes: on the example, the synthetic small site, and graphs
shaped to trip it (shared nodes inside shared nodes, cycles, blank nodes)."""

import sys

import pytest
from conftest import REPO, write_project

from clinicgraph import pipeline
from clinicgraph.exporters.jsonld import PageExporter, dumps, members_document
from clinicgraph.graph.pages import closure, find_pages

sys.path.insert(0, str(REPO / "benchmarks"))
import generate


def page_document(store, page, pages) -> dict:
    """The straightforward way: the document of every node the page reaches."""
    return members_document(store, closure(store, page.node, stop=pages))


def assert_same_documents(project):
    pages = find_pages(project.store, project.site, project.vocabulary)
    nodes = {page.node for page in pages}
    fast = PageExporter(project.store, nodes)
    for page in pages:
        assert dumps(fast.document(page)) == dumps(page_document(project.store, page, nodes)), page.url
    return pages


def test_example(example_dir):
    assert len(assert_same_documents(pipeline.open_project(example_dir))) == 1


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small"), as_yaml=True)


def test_synthetic_small_site(small_site):
    pages = assert_same_documents(pipeline.open_project(small_site))
    assert len(pages) == 510


TRICKY = """@prefix schema: <http://schema.org/> .
<p1> a schema:WebPage ; schema:url <p1> ; schema:about <#c> ; schema:mentions <#c2> .
<p2> a schema:WebPage ; schema:url <p2> ; schema:about <#c> ; schema:relatedLink <p1> .
<#c> a schema:MedicalCondition ; schema:name "c" ; schema:cause <#shared>, _:b ; schema:signOrSymptom [ schema:name "s" ] .
<#c2> a schema:MedicalCondition ; schema:cause <#shared> ; schema:mainEntityOfPage <p1> .
<#shared> a schema:MedicalCause ; schema:name "shared" ; schema:relatedCondition <#loop> .
<#loop> a schema:MedicalCondition ; schema:name "loop" ; schema:relatedCondition <#loop2> .
<#loop2> a schema:MedicalCondition ; schema:relatedCondition <#loop> .
_:b a schema:MedicalCause ; schema:name "blank" ; schema:code [ schema:codeValue "x" ] .
"""


def test_graphs_shaped_to_trip_it(tmp_path):
    project = pipeline.open_project(
        write_project(tmp_path, {"g.ttl": TRICKY}, '[site]\nurl = "https://t.example/"\n')
    )
    assert len(assert_same_documents(project)) == 2
