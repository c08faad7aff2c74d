"""A build's dumps, written through files to keep memory down, are the bytes `export`
gives: on the example and on a graph with blank nodes, escapes and repeated triples."""

from pathlib import Path

import pytest

from clinicgraph import pipeline
from clinicgraph.exporters import exporter
from clinicgraph.exporters.rdf import write_dumps
from conftest import write_project

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
    assert counts == (len(project.store), project.store.count_subjects())  # what the build reports
