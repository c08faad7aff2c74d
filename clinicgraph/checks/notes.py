"""What the loaders left out of the graph, as findings: the rest of each file loaded,
and these say what did not, where it is written (``Project.notes``: a JSON-LD type or
key that is no IRI, which JSON-LD processors drop without a word). A note names its
rule; the rules are declared here, since the loaders (in ``graph``) cannot import checks."""

from __future__ import annotations

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.registry import registered, rule
from clinicgraph.graph.loaded import LEFT_OUT
from clinicgraph.graph.project import Project

rule(
    LEFT_OUT,
    "warning",
    "what a JSON-LD processor drops without a word: a key the context does not define "
    "(a snippet without `@context`), a type that is no IRI",
    cites="https://www.w3.org/TR/json-ld11-api/#expansion-algorithm",
)


def note_findings(project: Project) -> list[Diagnostic]:
    return [
        registered(note.rule).finding(
            file, note.line, note.message, note.hint, note.node, note.property, note.value
        )
        for file, note in project.notes
    ]
