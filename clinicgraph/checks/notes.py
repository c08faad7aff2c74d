"""What the loaders left out of the graph, and what derivation could not derive, as
findings, where they are written (``Project.notes``: a JSON-LD type or key that is no
IRI, which JSON-LD processors drop without a word; a breadcrumb level without a name).
A note names its rule; the rules are declared here, since the loaders (in ``graph``)
and the derive room cannot import checks."""

from __future__ import annotations

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.registry import registered, rule
from clinicgraph.derive.breadcrumbs import LEVEL_UNNAMED, NAME_UNUSED
from clinicgraph.derive.wiring import WEBSITE_AMBIGUOUS
from clinicgraph.graph.loaded import LEFT_OUT
from clinicgraph.graph.project import Project

rule(
    LEFT_OUT,
    "warning",
    "what a JSON-LD processor drops without a word: a key the context does not define "
    "(a snippet without `@context`), a type that is no IRI",
    cites="https://www.w3.org/TR/json-ld11-api/#expansion-algorithm",
)

rule(
    LEVEL_UNNAMED,
    "info",
    "a level of derived breadcrumbs (a folder of page URLs) without a name, left out of the trails "
    "below it: name it in [derive.breadcrumbs] names, or give its page a name",
    cites="https://developers.google.com/search/docs/appearance/structured-data/breadcrumb",
)
rule(
    NAME_UNUSED,
    "info",
    "a [derive.breadcrumbs] names key that is no level of any page's breadcrumb (a mistyped path)",
)

rule(
    WEBSITE_AMBIGUOUS,
    "info",
    "several WebSite nodes have the site's url: derived page wiring links pages to neither",
)


def note_findings(project: Project) -> list[Diagnostic]:
    return [
        registered(note.rule).finding(
            file, note.line, note.message, note.hint, note.node, note.property, note.value
        )
        for file, note in project.notes
    ]
