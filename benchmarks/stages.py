"""One clinicgraph build of a generated site, timed stage by stage (run in a child
process by run.py, so its peak memory is the build's alone). Prints JSON.

The stages are the build's own code: load (the sources into the store), derive
(rules, wiring, breadcrumbs: what every command runs after the load), validate, then
the pages written by ``--jobs`` processes (default: one per CPU), then the dumps. Peak
memory is the largest process's (workers share the store with the main process, copy
on write). ``--no-derive``: the build as ``clinicgraph build --no-derive`` runs it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from clinicgraph import pipeline
from clinicgraph.derive.run import derive_project
from clinicgraph.exporters.output import output_folder
from clinicgraph.exporters.rdf import write_dumps
from clinicgraph.exporters.site_files import default_jobs, gc_paused, write_site

JOIN = """SELECT ?condition (GROUP_CONCAT(?cause; separator=", ") AS ?causes) WHERE {
  ?c a schema:MedicalCondition ; schema:name ?condition ; schema:cause/schema:name ?cause }
GROUP BY ?condition"""


def cpu_seconds() -> float:
    """User and system time of this process and of the workers it has waited for."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def main(source: Path, scratch: Path, derive: bool = True) -> dict:
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}  # steadier than wall time on a shared machine
    clock, used = time.perf_counter(), cpu_seconds()

    def lap(name: str) -> None:
        nonlocal clock, used
        now, now_used = time.perf_counter(), cpu_seconds()
        times[name], cpu[name] = round(now - clock, 3), round(now_used - used, 3)
        clock, used = now, now_used

    project = pipeline.open_project(source, derive=False)  # the load alone, then what derives
    lap("load")
    if derive:
        derive_project(project)
        lap("derive")
    diagnostics = pipeline.validate(project)
    lap("validate")
    pipeline.query(project, JOIN, "csv")  # the join docs/benchmarks.md reports, across the whole site
    lap("join query")
    pages, documents = pipeline.page_documents(project)
    lap("find pages")
    jobs = default_jobs(len(pages))
    with output_folder(scratch / "stages") as folder:  # left for run.py to remove (see run.py)
        write_site(project.store, documents, pages, folder, jobs, with_dumps=False)
        lap("export + write")
        with gc_paused():
            counts = write_dumps(project.store, folder)
        lap("dumps")
    return {
        "pages": len(pages),
        "triples": counts.triples,
        "times": times,
        "cpu": cpu,
        "jobs": jobs,
        "errors": sum(d.severity == "error" for d in diagnostics),
        "peak_mb": round(
            max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
            / 1024
        ),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), "--no-derive" not in sys.argv[3:])))
