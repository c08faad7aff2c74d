"""One clinicgraph build of a generated site, timed stage by stage (run in a child
process by run.py, so its peak memory is the build's alone). Prints JSON."""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from clinicgraph import pipeline
from clinicgraph.exporters import exporter
from clinicgraph.exporters.jsonld import PageExporter, dumps
from clinicgraph.exporters.output import output_folder, write_file
from clinicgraph.exporters.script import script_tag
from clinicgraph.graph.pages import find_pages


JOIN = """SELECT ?condition (GROUP_CONCAT(?cause; separator=", ") AS ?causes) WHERE {
  ?c a schema:MedicalCondition ; schema:name ?condition ; schema:cause/schema:name ?cause }
GROUP BY ?condition"""


def main(source: Path) -> dict:
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = round(now - clock, 3)
        clock = now

    project = pipeline.open_project(source)
    lap("load")
    diagnostics = pipeline.validate(project)
    lap("validate")
    pipeline.query(project, JOIN, "csv")  # issue 4's yardstick: a join across the whole site
    lap("join query")
    pages = find_pages(project.store, project.site, project.vocabulary)
    documents = PageExporter(project.store, {page.node for page in pages})
    export = write = 0.0
    with tempfile.TemporaryDirectory() as scratch, output_folder(Path(scratch) / "dist") as folder:
        lap("prepare")
        for page in pages:  # streamed: each page is written as soon as it is made
            started = time.perf_counter()
            document = dumps(documents.document(page))
            snippet = script_tag(document)
            made = time.perf_counter()
            write_file(folder, "jsonld/" + page.file(".jsonld"), document)
            write_file(folder, "snippets/" + page.file(".html"), snippet)
            export += made - started
            write += time.perf_counter() - made
        clock = time.perf_counter()
        write_file(folder, "graph.ttl", exporter("turtle")(project.store))
        write_file(folder, "graph.nt", exporter("nt")(project.store))
        lap("dumps")
    times["export"], times["write"] = round(export, 3), round(write, 3)
    return {"pages": len(pages), "triples": len(project.store), "times": times,
            "errors": sum(d.severity == "error" for d in diagnostics),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
