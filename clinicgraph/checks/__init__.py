"""Checks: rules over the graph that produce Diagnostics.

- ``conformance``: schema.org's vocabulary (terms, domains, ranges, superseded terms);
- ``hygiene``: legal RDF that is almost always a mistake;
- ``shacl`` with ``shapes/*.ttl``: Google's rich-result rules and health-page rules as
  SHACL shapes, run as SPARQL on the store; users add or override shapes;
- ``organization``: Google's Organization rules beyond SPARQL (LEI check digits, a logo
  file's size, tax and VAT ids by country);
- ``notes``: what the loaders left out of the graph (``source/...``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from clinicgraph.checks.conformance import check_conformance
from clinicgraph.checks.context import CheckContext
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.forked import forked
from clinicgraph.checks.hygiene import check_hygiene
from clinicgraph.checks.locate import Locator
from clinicgraph.checks.notes import note_findings
from clinicgraph.checks.organization import check_organizations
from clinicgraph.checks.report import ordered
from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_queries, shape_queries
from clinicgraph.core.cpus import usable_cpus
from clinicgraph.graph.project import Project

PARALLEL_BYTES = 4_000_000  # of sources: below this a second process costs more than it saves


def run_checks(
    project: Project,
    shape_files: Sequence[Path] = (),
    remember: bool = False,
    jobs: int = 1,
    today: date | None = None,
) -> list[Diagnostic]:
    """Every diagnostic of every rule: the bundled shapes, then the user's, which may
    override bundled rules by id. Rules about dates judge against ``today`` (default:
    ``[checks] today`` of clinicgraph.toml, else the day of the run). With ``remember`` and an on-disk store, the store
    keeps the findings, and the next validation after an incremental load finds again
    only what the change can have altered (``checks.incremental``). With ``jobs`` of 2
    or more (and the store in memory) the shapes run in a forked child meanwhile: the
    same findings, about half the time on two cores."""
    shapes = load_shapes(default_shape_files() + list(shape_files))
    if remember and project.store_home is not None:
        from clinicgraph.checks.incremental import run_remembered

        return run_remembered(project, shapes, today)
    context = CheckContext(project)  # shared: one index of the sources' lines, the store's predicates
    queries = shape_queries(project, shapes, today)  # a shape's mistake is raised here, before any fork
    if jobs < 2 or project.store.path is not None:
        return ordered(
            [
                *check_conformance(project, context),
                *check_hygiene(project, context),
                *check_organizations(project, context),
                *run_queries(project, queries, context.locate),
                *note_findings(project),
            ]
        )
    with forked(lambda: run_queries(project, queries, Locator(project))) as shaped:
        return ordered(
            [
                *check_conformance(project, context),
                *check_hygiene(project, context),
                *check_organizations(project, context),
                *shaped.result(),
                *note_findings(project),
            ]
        )


def default_jobs(project: Project) -> int:
    """Two processes for a large site on a machine with two cores or more."""
    size = sum(os.stat(project.root / relpath).st_size for relpath in project.sources)
    return 2 if usable_cpus() >= 2 and size >= PARALLEL_BYTES else 1
