"""Where each triple of a node comes from, for ``clinicgraph explain SOURCE IRI``.

A triple is in the graph because a source file writes it (its named graph says which
file; the load knows the line of the node, or of the value) or because derivation
wrote it: a rule (its file, the line of the template triple that made it, and the
solutions of its WHERE that did: ``rule_explain``), or a built-in step (breadcrumbs,
wiring: from the page, whose source line is given). A triple written in a source and
derived too has both origins.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache

from pyoxigraph import NamedNode, Triple

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.derive.rule_explain import explain_triple, rule_line
from clinicgraph.derive.rules import Rule, find_rules, read_by, source_graphs
from clinicgraph.graph import ids
from clinicgraph.graph.config import CONFIG_NAME, config_line
from clinicgraph.graph.project import Project
from clinicgraph.graph.store import sort_key
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA

STEP_WHAT = {  # what a built-in step derives a node's triple from
    "breadcrumbs": "the page's URL path (derive/breadcrumbs)",
    "wiring": "the site's WebSite node and [site] (derive/wiring)",
}


@dataclass(frozen=True)
class Origin:
    """One reason a triple is in the graph."""

    file: str | None  # the source or rule file (None: a built-in step's, or unknown)
    line: int | None
    how: str  # "written", "rule 10-pages.rq", "breadcrumbs"
    because: str = ""  # the rule's solutions, or what the step derived it from
    solutions: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Explained:
    triple: Triple
    origins: list[Origin]


def explain(project: Project, iri: str) -> list[Explained]:
    """Every triple whose subject is ``iri``, sorted, each with its origins."""
    store = project.store
    subject = NamedNode(iri)
    by_triple: dict[Triple, list[Origin]] = {}

    @cache
    def rules() -> list[Rule]:  # read and checked once, and only if a rule's triple asks
        return find_rules(project.root, project.site.url)

    for quad in store.oxigraph.quads_for_pattern(subject, None, None, None):
        if not isinstance(quad.graph_name, NamedNode):
            continue  # the merge, in the default graph: its triples are in the source graphs too
        triple = Triple(quad.subject, quad.predicate, quad.object)
        by_triple.setdefault(triple, []).append(_origin(project, rules, iri, triple, quad.graph_name.value))
    if not by_triple:
        raise ClinicgraphError(f"{iri} is the subject of no triple of the graph (a typo in the IRI?)")
    return [Explained(triple, by_triple[triple]) for triple in sorted(by_triple, key=sort_key)]


def _origin(
    project: Project, rules: Callable[[], list[Rule]], iri: str, triple: Triple, graph: str
) -> Origin:
    source = ids.source_of_graph(graph)
    if source is not None:
        file, line = project.where(iri, triple.predicate.value)
        return Origin(file or (project.root / source).as_posix(), line, "written")
    if graph.startswith(ids.RULE_GRAPH_PREFIX):
        return _rule_origin(project, rules(), triple, graph)
    step = graph.removeprefix(ids.DERIVED_GRAPH_PREFIX)
    what = STEP_WHAT.get(step, step)
    url = iri.split("#")[0]
    page = project.page_nodes.get(url, None if ids.is_derived_node(iri) else iri)
    if page is None:  # a level of breadcrumbs that is no page: named in clinicgraph.toml
        config = project.root / CONFIG_NAME
        line = config_line(config, "[derive.breadcrumbs]", "derive.breadcrumbs")
        return Origin(config.as_posix(), line, step, f"from {what}, for the level {url} (no page)")
    file, line = project.where(page)
    return Origin(file, line, step, f"from {what}, for the page {page}")


def _rule_origin(project: Project, rules: list[Rule], triple: Triple, graph: str) -> Origin:
    index = next((n for n, rule in enumerate(rules) if rule.graph.value == graph), None)
    if index is None:
        return Origin(None, None, "a rule no more", "a rule since removed: build again")
    rule = rules[index]
    visible = source_graphs(project.store) + read_by(rules, index)
    solutions = explain_triple(project.store, rule, triple, visible)
    return Origin(rule.path.as_posix(), rule_line(rule, triple), f"rule {rule.name}", solutions=solutions)


def as_text(iri: str, explained: list[Explained]) -> str:
    """One block per triple: the predicate and object, then each origin on a line."""
    out = [f"<{iri}>"]
    for item in explained:
        out.append(f"  {_short(item.triple.predicate)} {_short(item.triple.object)}")
        for origin in item.origins:
            place = f"{origin.file}:{origin.line}" if origin.line else (origin.file or "")
            says = "; ".join(part for part in (origin.because, place) if part)
            out.append(f"      {origin.how}: {says}")
            for solution in origin.solutions:
                out.append(
                    "        with " + ", ".join(f"?{name} = {term}" for name, term in solution.items())
                )
    return "\n".join(out) + "\n"


def as_json(iri: str, explained: list[Explained]) -> str:
    return json.dumps(
        {
            "node": iri,
            "triples": [
                {
                    "predicate": item.triple.predicate.value,
                    "object": str(item.triple.object),
                    "origins": [asdict(origin) for origin in item.origins],
                }
                for item in explained
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def _short(term) -> str:
    """A term as N-Triples, schema.org's IRIs as schema:name."""
    if isinstance(term, NamedNode) and term.value.startswith(SCHEMA):
        return "schema:" + term.value[len(SCHEMA) :]
    if isinstance(term, NamedNode) and term.value == RDF_TYPE:
        return "a"
    return str(term)
