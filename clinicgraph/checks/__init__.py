"""Checks: rules over the graph that produce Diagnostics.

- ``conformance``: schema.org's vocabulary (terms, domains, ranges, superseded terms);
- ``hygiene``: legal RDF that is almost always a mistake;
- ``shacl`` with ``shapes/*.ttl``: Google's rich-result rules and health-page rules as
  SHACL shapes, run as SPARQL on the store; users add or override shapes.
"""

from __future__ import annotations

from pathlib import Path

from clinicgraph.checks.conformance import check_conformance
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.hygiene import check_hygiene
from clinicgraph.checks.report import ordered
from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes
from clinicgraph.graph.project import Project


def run_checks(project: Project, shape_files: list[Path] = ()) -> list[Diagnostic]:
    """Every diagnostic of every rule: the bundled shapes, then the user's, which may
    override bundled rules by id."""
    shapes = load_shapes(default_shape_files() + list(shape_files))
    found = [*check_conformance(project), *check_hygiene(project), *run_shapes(project, shapes)]
    return ordered(found)
