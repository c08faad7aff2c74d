"""checks/page_reach.py sums up every page's document at once, by strongly connected
components; a page's document must be exactly ``graph.pages.closure`` of the page (the
nodes the JSON-LD ``build`` writes): on random graphs with cycles, self-links, blank
nodes, links to pages and to nodes without triples, and on the network example."""

from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from clinicgraph import pipeline
from clinicgraph.checks.page_reach import Links, node_id
from clinicgraph.graph.ids import source_graph
from clinicgraph.graph.pages import closure, find_pages
from clinicgraph.graph.store import Store

LINK = NamedNode("http://schema.org/about")
NAME = NamedNode("http://schema.org/name")


def node(number: int):
    """Even numbers are IRIs, odd ones blank nodes."""
    return NamedNode(f"https://clinic.example/n{number}") if number % 2 == 0 else BlankNode(f"b{number}")


graphs = st.integers(min_value=2, max_value=14).flatmap(
    lambda size: st.tuples(
        st.just(size),
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=3 * size),
        st.sets(st.integers(0, size - 1), max_size=size),  # nodes with a name (no links needed)
        st.sets(st.integers(0, (size - 1) // 2), min_size=1, max_size=3),  # pages, as even numbers // 2
    )
)


def documents_both_ways(store: Store, pages: set) -> tuple[dict, dict]:
    links = Links(store, pages)
    document = links.documents(lambda member: frozenset([node_id(member)]))
    fast = {page: set(document(page)) for page in pages}
    slow = {page: {node_id(member) for member in closure(store, page, pages)} for page in pages}
    return fast, slow


@settings(max_examples=150, deadline=None)
@given(graphs)
def test_a_page_s_document_is_its_closure(graph):
    size, edges, named, page_numbers = graph
    store = Store()
    where = NamedNode(source_graph("random.nt"))
    quads = [Quad(node(a), LINK, node(b), where) for a, b in edges]
    quads += [Quad(node(n), NAME, Literal(f"n{n}"), where) for n in named]
    pages = {node(2 * n) for n in page_numbers if 2 * n < size}
    quads += [Quad(page, NAME, Literal("page"), where) for page in pages]
    store.add_quads(quads)
    fast, slow = documents_both_ways(store, pages)
    assert fast == slow


def test_the_network_example_s_documents_are_their_closures():
    project = pipeline.open_project(REPO / "examples" / "clinic-network")
    pages = {page.node for page in find_pages(project.store, project.site, project.vocabulary)}
    fast, slow = documents_both_ways(project.store, pages)
    assert len(pages) == 19 and fast == slow
