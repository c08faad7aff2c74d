"""One clinicgraph build of a generated site, timed stage by stage (run in a child
process by run.py, so its peak memory is the build's alone). Prints JSON.

The stages are the build's own code: load, validate, then the pages written by
``--jobs`` processes (default: one per CPU), then the dumps. Peak memory is the
largest process's (workers share the store with the main process, copy on write).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from clinicgraph import pipeline
from clinicgraph.exporters.output import output_folder
from clinicgraph.exporters.rdf import write_dumps
from clinicgraph.exporters.site_files import default_jobs, gc_paused, write_site

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
    pages, documents = pipeline.page_documents(project)
    jobs = default_jobs(len(pages))
    with tempfile.TemporaryDirectory() as scratch, output_folder(Path(scratch) / "dist") as folder:
        lap("prepare")
        write_site(project.store, documents, pages, folder, jobs, with_dumps=False)
        lap("export + write")
        with gc_paused():
            write_dumps(project.store, folder)
        lap("dumps")
    return {"pages": len(pages), "triples": len(project.store), "times": times, "jobs": jobs,
            "errors": sum(d.severity == "error" for d in diagnostics),
            "peak_mb": round(max(resource.getrusage(who).ru_maxrss
                                 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024)}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
