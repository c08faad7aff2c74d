"""Every IRI clinicgraph makes up: resolved, minted, stable."""

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import BlankNode, NamedNode

from clinicgraph.graph import ids
from conftest import SITE, run_cli, write_project


@pytest.mark.parametrize("written, iri", [
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
])
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


@given(st.tuples(st.text(min_size=1), st.text(min_size=1)), st.tuples(st.text(min_size=1), st.text(min_size=1)))
def test_blank_labels_are_valid_and_never_shared(first, second):
    one, two = ids.blank_label(*first), ids.blank_label(*second)
    BlankNode(one), BlankNode(two)
    assert (one == two) == (first == second)


def test_same_blank_label_in_look_alike_files_stays_apart():
    assert ids.blank_label("a/b.yaml", "x") != ids.blank_label("a_b.yaml", "x")


def test_minted_iris_are_the_same_in_every_process(tmp_path):
    folder = write_project(tmp_path / "site", {
        "content/clinic.yaml": "type: MedicalClinic\naddress: {type: PostalAddress, addressLocality: Coquitlam}\n"
                               "employee: [{type: Person, name: A}, {type: Person, name: B}]\n",
        "content/more.yaml": "- {type: Person, name: C, knows: [{name: D}, {name: E}]}\n- {type: Person, name: F}\n",
        "blank.ttl": '_:x <http://schema.org/name> "G" .\n_:y <http://schema.org/knows> _:x .\n'})
    outputs = []
    for seed in ("0", "1"):
        result = run_cli("export", folder, "--format", "nquads", env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    for iri in ("#content/clinic/address", "#content/clinic/employee-2", "#content/more-1/knows-2", "#content/more-2"):
        assert f"<{SITE}{iri}>" in outputs[0]
