"""Checks: rules over the graph that produce Diagnostics.

- ``conformance``: schema.org's vocabulary (terms, domains, ranges, superseded terms);
- ``hygiene``: legal RDF that is almost always a mistake;
- ``shacl`` with ``shapes/*.ttl``: Google's rich-result rules and health-page rules as
  SHACL shapes, run as SPARQL on the store; users add or override shapes.
"""

from __future__ import annotations

from pathlib import Path

from clinicgraph.checks.conformance import check_conformance
from clinicgraph.checks.context import CheckContext
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.hygiene import check_hygiene
from clinicgraph.checks.report import ordered
from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes
from clinicgraph.graph.project import Project


def run_checks(project: Project, shape_files: list[Path] = (), remember: bool = False) -> list[Diagnostic]:
    """Every diagnostic of every rule: the bundled shapes, then the user's, which may
    override bundled rules by id. With ``remember`` and an on-disk store, the store
    keeps the findings, and the next validation after an incremental load finds again
    only what the change can have altered (``checks.incremental``)."""
    shapes = load_shapes(default_shape_files() + list(shape_files))
    if remember and project.store_home is not None:
        from clinicgraph.checks.incremental import run_remembered

        return run_remembered(project, shapes)
    context = CheckContext(project)  # shared: one index of the sources' lines, the store's predicates
    found = [*check_conformance(project, context), *check_hygiene(project, context),
             *run_shapes(project, shapes, context.locate)]
    return ordered(found)
