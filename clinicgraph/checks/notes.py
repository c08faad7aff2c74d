"""What the loaders left out of the graph, as findings: the rest of each file loaded,
and these say what did not, where it is written (``Project.notes``: a JSON-LD type or
key that is no IRI, which JSON-LD processors drop without a word)."""

from __future__ import annotations

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.graph.project import Project


def note_findings(project: Project) -> list[Diagnostic]:
    return [Diagnostic(file, note.line, note.rule, "warning", note.message, note.hint, note.node,
                       note.property, note.value) for file, note in project.notes]
