"""Every IRI clinicgraph makes up: resolved, minted, stable."""

import os

import pytest
from conftest import SITE, run_cli, write_project
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.graph import ids


@pytest.mark.parametrize(
    "written, iri",
    [
        ("#clinic", SITE + "#clinic"),
        ("conditions/back-spasms/#condition", SITE + "conditions/back-spasms/#condition"),
        ("/about/", SITE + "about/"),
        ("//cdn.example/logo.png", "https://cdn.example/logo.png"),
        ("https://elsewhere.example/x", "https://elsewhere.example/x"),
        ("schema:Chiropractic", "http://schema.org/Chiropractic"),
        ("https://schema.org/Chiropractic", "http://schema.org/Chiropractic"),
        ("urn:isbn:0451450523", "urn:isbn:0451450523"),
        ("mailto:desk@clinic.example", "mailto:desk@clinic.example"),
        ("  #padded  ", SITE + "#padded"),
    ],
)
def test_resolve(written, iri):
    assert ids.resolve(written, SITE) == iri


def test_resolve_under_a_site_with_a_path():
    assert ids.resolve("#clinic", "https://clinic.example/en/") == "https://clinic.example/en/#clinic"
    assert ids.resolve("/fr/", "https://clinic.example/en/") == "https://clinic.example/fr/"


def test_child():
    assert ids.child(SITE + "#clinic", "address") == SITE + "#clinic/address"
    assert ids.child(SITE + "#clinic", "employee", 1) == SITE + "#clinic/employee-1"
    assert ids.child(SITE + "conditions/x/", "cause", 3) == SITE + "conditions/x/#cause-3"


def test_top_level_names_come_from_the_file():
    assert ids.top_level(SITE, "content/clinic.yaml") == SITE + "#content/clinic"
    assert ids.top_level(SITE, "people.yaml", 2) == SITE + "#people-2"
    odd = ids.top_level(SITE, "content/Dr Wee ä.yaml")
    assert odd == SITE + "#content/Dr%20Wee%20%C3%A4" and NamedNode(odd)


@given(st.text(min_size=1))
def test_source_graph_names_round_trip(relpath):
    graph = ids.source_graph(relpath)
    NamedNode(graph)
    assert ids.source_of_graph(graph) == relpath


@given(
    st.tuples(st.text(min_size=1), st.text(min_size=1)), st.tuples(st.text(min_size=1), st.text(min_size=1))
)
def test_blank_labels_are_valid_and_never_shared(first, second):
    one, two = ids.blank_label(*first), ids.blank_label(*second)
    BlankNode(one), BlankNode(two)
    assert (one == two) == (first == second)


def test_same_blank_label_in_look_alike_files_stays_apart():
    assert ids.blank_label("a/b.yaml", "x") != ids.blank_label("a_b.yaml", "x")


def test_minted_iris_are_the_same_in_every_process(tmp_path):
    folder = write_project(
        tmp_path / "site",
        {
            "content/clinic.yaml": "type: MedicalClinic\naddress: {type: PostalAddress, addressLocality: Coquitlam}\n"
            "employee: [{type: Person, name: A}, {type: Person, name: B}]\n",
            "content/more.yaml": "- {type: Person, name: C, knows: [{name: D}, {name: E}]}\n- {type: Person, name: F}\n",
            "blank.ttl": '_:x <http://schema.org/name> "G" .\n_:y <http://schema.org/knows> _:x .\n',
        },
    )
    outputs = []
    for seed in ("0", "1"):
        result = run_cli("export", folder, "--format", "nquads", env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    for iri in (
        "#content/clinic/address",
        "#content/clinic/employee-2",
        "#content/more-1/knows-2",
        "#content/more-2",
    ):
        assert f"<{SITE}{iri}>" in outputs[0]


# --- blank nodes named after what they say (imported markup) ------------------------

P, Q = NamedNode("http://schema.org/knows"), NamedNode("http://schema.org/name")


@st.composite
def forests(draw):
    """Triples whose blank nodes form trees (what markup's nesting makes), with few distinct
    names and one IRI, so that look-alike nodes are common; each tree is told apart by its
    root's name (look-alike trees are one node: a test of its own)."""
    count = draw(st.integers(1, 9))
    parents = [draw(st.integers(-1, node - 1)) for node in range(count)]
    root = NamedNode("https://clinic.example/#clinic")
    triples = []
    for node, parent in enumerate(parents):
        subject = root if parent == -1 and draw(st.booleans()) else (None if parent == -1 else parent)
        if subject is not None:
            triples.append((subject, P, node))
        triples += [(node, Q, Literal(name)) for name in draw(st.sets(st.sampled_from("ab"), max_size=2))]
        triples += [(node, Q, Literal(f"tree {node}"))] if parent == -1 else []
    return count, triples


def named(triples, labels):
    return [tuple(labels[term] if isinstance(term, int) else term for term in triple) for triple in triples]


@given(forests(), st.randoms(use_true_random=False))
def test_content_labels_depend_on_the_content_not_on_labels_or_order(forest, random):
    count, triples = forest
    first = named(triples, [BlankNode(f"first{n}") for n in range(count)])
    numbers = list(range(count))
    random.shuffle(numbers)
    shuffled = named(triples, [BlankNode(f"x{n}") for n in numbers])
    random.shuffle(shuffled)
    assert set(ids.content_labels(first)) == set(ids.content_labels(shuffled))
    # and it is a renaming: the same graph, no two blank nodes of one tree made one
    assert isomorphic(first, ids.content_labels(first))


def isomorphic(one, two) -> bool:
    from pyoxigraph import CanonicalizationAlgorithm, Dataset, DefaultGraph, Quad

    sets = []
    for triples in (one, two):
        dataset = Dataset([Quad(*triple, DefaultGraph()) for triple in set(triples)])
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        sets.append(set(dataset))
    return sets[0] == sets[1]


def test_the_same_description_on_two_pages_is_one_node_and_a_symmetric_one_is_kept():
    clinic, street = NamedNode("https://clinic.example/#clinic"), NamedNode("http://schema.org/streetAddress")
    address = NamedNode("http://schema.org/address")
    pages = [
        [(clinic, address, BlankNode(f"{page}a")), (BlankNode(f"{page}a"), street, Literal("1 Main St"))]
        for page in ("one", "two")
    ]
    assert ids.content_labels(pages[0]) == ids.content_labels(pages[1])
    loop = ids.content_labels([(BlankNode("x"), P, BlankNode("y")), (BlankNode("y"), P, BlankNode("x"))])
    assert len({loop[0][0], loop[0][2]}) == 2  # two nodes that know each other are not one that knows itself


def test_content_labels_take_polynomial_time_on_symmetric_graphs():
    """RDFC-1.0 (pyoxigraph's canonicalize) did not finish K(6,6) in 30 s, nor a 3,000-node tree of
    look-alike nodes; colour refinement needs n/2 rounds on a chain of n: a page must not hang the import."""
    import time

    left, right = [BlankNode(f"l{n}") for n in range(40)], [BlankNode(f"r{n}") for n in range(40)]
    complete = [(a, P, b) for a in left for b in right]
    ring = [(BlankNode(f"c{n}"), P, BlankNode(f"c{(n + 1) % 2000}")) for n in range(2000)]
    chain = [(BlankNode(f"h{n}"), P, BlankNode(f"h{n + 1}")) for n in range(2000)]
    tree = [(BlankNode(f"t{n // 3}"), P, BlankNode(f"t{n}")) for n in range(1, 3000)]
    started = time.perf_counter()
    for triples in (complete, ring, chain, tree):
        assert len({term for triple in ids.content_labels(triples) for term in triple[::2]}) == len(
            {term for triple in triples for term in triple[::2]}
        )
    assert time.perf_counter() - started < 10
