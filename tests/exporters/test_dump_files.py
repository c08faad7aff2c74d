"""A build's dumps, written through files to keep memory down, are the bytes `export`
gives: on the example and on a graph with blank nodes, escapes and repeated triples;
and an update's, patched from the previous build's, are the bytes of a fresh dump."""

import tempfile
from pathlib import Path

import pytest
from conftest import write_project
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from clinicgraph import pipeline
from clinicgraph.exporters import exporter
from clinicgraph.exporters.dump_patch import patch_dumps
from clinicgraph.exporters.rdf import write_dumps
from clinicgraph.graph.project import Delta
from clinicgraph.graph.store import Store

AWKWARD = """@prefix schema: <http://schema.org/> .
<https://clinic.example/#a> a schema:MedicalClinic ; schema:name "Tab\\there, quote \\" and é" ;
    schema:address [ a schema:PostalAddress ; schema:streetAddress "1 Main" ] ;
    schema:review [ schema:reviewBody "line\\nbreak" ], [ schema:reviewBody "line" ] .
"""


@pytest.mark.parametrize("which", ["example", "awkward"])
def test_dump_files_are_the_export_bytes(which, example_dir, tmp_path):
    if which == "example":
        source = example_dir
    else:
        source = write_project(tmp_path / "site", {"a.ttl": AWKWARD, "b.ttl": AWKWARD.split(";")[0] + " .\n"})
    project = pipeline.open_project(source)
    out = tmp_path / "out"
    out.mkdir()
    counts = write_dumps(project.store, out)
    assert (out / "graph.nt").read_bytes() == exporter("nt")(project.store)
    assert (out / "graph.ttl").read_bytes() == exporter("turtle")(project.store)
    assert len((out / "graph.nt").read_bytes().splitlines()) == len(project.store)  # each triple once
    subjects = project.store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    assert counts == (len(project.store), int(next(iter(subjects))["n"].value))  # what the build reports


# Nodes the Turtle writes every way it can: prefixed (schema:X), in full, as blank nodes,
# and IRIs a prefix cannot shorten (an escape, an empty local part).
SUBJECTS = (
    [NamedNode("http://schema.org/" + name) for name in ("Thing", "a_b", "x.y")]
    + [
        NamedNode(iri)
        for iri in (
            "https://clinic.example/#a",
            "https://clinic.example/b/",
            "https://clinic.example/%C3%A9",
            "http://schema.org/",
        )
    ]
    + [BlankNode(label) for label in ("b0", "b1", "x9")]
)
PREDICATES = [NamedNode("http://schema.org/" + name) for name in ("name", "about", "sameAs")] + [
    NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
]
OBJECTS = st.one_of(
    st.sampled_from(SUBJECTS),
    st.builds(Literal, st.text(max_size=12)),
    st.builds(lambda text: Literal(text, language="en"), st.text(max_size=4)),
    st.builds(lambda number: Literal(str(number), datatype=XSD_INTEGER), st.integers()),
)
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
TRIPLES = st.sets(
    st.builds(Triple, st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES), OBJECTS), max_size=25
)


def dumps_of(triples: set, folder: Path) -> Path:
    store = Store()
    store.replace_all([Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples])
    folder.mkdir()
    write_dumps(store, folder)
    return folder


@settings(max_examples=150, deadline=None)
@given(TRIPLES, TRIPLES)
def test_patched_dumps_are_the_bytes_of_a_fresh_dump(before, after):
    """An update's dumps, patched from the previous ones and the change, equal the dumps
    written from scratch, whatever the change."""
    with tempfile.TemporaryDirectory() as scratch:
        previous, fresh = (
            dumps_of(before, Path(scratch) / "previous"),
            dumps_of(after, Path(scratch) / "fresh"),
        )
        (Path(scratch) / "patched").mkdir()
        counts = patch_dumps(
            Store(),
            Path(scratch) / "patched",
            previous,
            Delta(gained=after - before, lost=before - after, files=set(), file_subjects=set()),
        )
        for name in ("graph.nt", "graph.ttl"):
            assert (Path(scratch) / "patched" / name).read_bytes() == (fresh / name).read_bytes()
        assert counts == (len(after), len({t.subject for t in after}))
