"""Derivation as every command runs it: after the load, on the project's store, before
anything reads the graph (``graph.project.load_project`` calls it; ``pipeline`` hands it
in, since the graph room cannot import this one).

It replaces every derived graph the store holds with what the steps derive now (a
graph no step writes any more, or every one with derivation off, is dropped), so a
store on disk never keeps what an earlier build derived from other data. After an
incremental load, what that changed in the union graph joins ``Project.delta``, so the
incremental checks and pages see derived triples as they see written ones. What the
steps found worth telling joins the load's notes, located where the user can act:
the page concerned, or the line of clinicgraph.toml.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from clinicgraph.core.errors import SourceError
from clinicgraph.derive import STEPS, Finding, apply, derive, patch, step_graph
from clinicgraph.derive.rule_explain import rule_line
from clinicgraph.derive.rules import Rule, find_rules, rule_files, run_rules
from clinicgraph.graph import ids
from clinicgraph.graph.config import CONFIG_NAME, config_line
from clinicgraph.graph.loaded import Note
from clinicgraph.graph.pages import find_pages
from clinicgraph.graph.project import Delta, Derivation, Project, delta_of
from clinicgraph.graph.store import Store
from clinicgraph.graph.store_records import read_derived, write_derived


def derivation(root: Path, enabled: bool = True) -> Derivation:
    """What the load runs: the project's rules, then the steps ``[derive]`` switches on;
    or (``--no-derive``) nothing, the store then holding the sources' graphs alone. Its
    key names the rules' files as they are now, so an edited rule makes a store's load
    stale as an edited source does."""
    if not enabled:
        return Derivation("off", lambda project: derive_project(project, enabled=False))
    stamps = [
        (path.name, stat.st_size, stat.st_mtime_ns) for path in rule_files(root) for stat in [path.stat()]
    ]
    return Derivation(json.dumps(["on", stamps]), derive_project)


def derive_project(project: Project, enabled: bool = True) -> None:
    store, site = project.store, project.site
    if not enabled:
        site = replace(site, derive=replace(site.derive, enabled=False))
    before = derived_graphs(store)
    record = _record(project, before)
    if project.delta is None:
        earlier = set()
    else:  # what the steps' graphs held is in the record, if there is one: only the rules' are read
        earlier = store.graph_triples([graph for graph in before if record is None or _is_rules(graph)])
    _run_rules(project, site.derive.enabled, _changed_since_rules_ran(project))
    pages = find_pages(store, site, project.vocabulary) if site.derive.enabled else []
    derived = derive(store, site, pages, project.vocabulary)
    for graph in set(derived_graphs(store)) - {graph.value for graph in derived.graphs}:
        if not _is_rules(graph):
            store.drop_graph(NamedNode(graph))  # a step no more
    removed, added = patch(store, derived, record) if record is not None else (set(), set())
    if record is None:
        apply(store, derived)
    if store.path is not None:
        write_derived(store.path, {graph.value: turtle for graph, turtle in derived.graphs.items()})
    project.page_nodes = {page.url: page.node.value for page in pages}
    project.pages = pages if site.derive.enabled else None
    project.notes += [_note(project, finding) for finding in derived.findings]
    if project.delta is not None:
        graphs = sorted(set(before) | {graph.value for graph in derived.graphs})
        read = [graph for graph in derived_graphs(store) if record is None or _is_rules(graph)]
        now = store.graph_triples(read) | added
        _join(project.delta, delta_of(store, earlier | removed, now, set(graphs)))


def _record(project: Project, before: list[str]) -> dict[str, str] | None:
    """What the steps' graphs of an on-disk store were loaded from, on an incremental
    load (None on a full one, or if the record is not of the graphs the store holds:
    they are then replaced whole)."""
    if project.delta is None or project.store.path is None:
        return None
    record = read_derived(project.store.path)
    steps = {step_graph(step).value for step in STEPS}
    if record is None or set(record) != steps or not {g for g in before if not _is_rules(g)} <= steps:
        return None
    return record


def _is_rules(graph: str) -> bool:
    return graph.startswith(ids.RULE_GRAPH_PREFIX)


def _changed_since_rules_ran(project: Project) -> set[str] | None:
    """After an incremental load, the predicates whose triples the load changed, if the
    rules are those that ran on the store last time (None: run every rule)."""
    delta, now = project.delta, project.fingerprint
    if delta is None or delta.since is None or now is None or delta.since.derivation != now.derivation:
        return None
    return set(delta.predicates)


def _run_rules(project: Project, enabled: bool, changed: set[str] | None) -> None:
    """The rules' output into the store (what a rule gone wrote, out of it), and where
    each node a rule made comes from: the rule's file, at its CONSTRUCT."""
    try:
        rules = find_rules(project.root, project.site.url) if enabled else []
        run_rules(project, rules, changed=changed)
    except SourceError as error:
        error.path = (project.root / str(error.path)).as_posix()  # as the user can open it
        raise
    for rule in rules:
        _locate(project, rule)


def _locate(project: Project, rule: Rule) -> None:
    """Where the nodes and values a rule made are written: the rule's file, at its
    CONSTRUCT for a node, at the template triple for a value (found once per
    predicate), unless a source writes them too."""
    file, lines = rule.path.as_posix(), {}
    for quad in project.store.oxigraph.quads_for_pattern(None, None, None, rule.graph):
        if not isinstance(quad.subject, NamedNode):
            continue
        project.node_lines.setdefault(quad.subject.value, (file, rule.construct_at[0]))
        key = (quad.subject.value, quad.predicate.value)
        if key not in project.value_lines:
            if quad.predicate.value not in lines:
                lines[quad.predicate.value] = rule_line(
                    rule, Triple(quad.subject, quad.predicate, quad.object)
                )
            project.value_lines[key] = (file, lines[quad.predicate.value])


def derived_graphs(store: Store) -> list[str]:
    """The derived graphs the store holds, sorted."""
    return sorted(
        graph.value
        for graph in store.oxigraph.named_graphs()
        if isinstance(graph, NamedNode) and ids.is_derived_graph(graph.value)
    )


def _join(delta: Delta, derived: Delta) -> None:
    delta.gained |= derived.gained
    delta.lost |= derived.lost
    delta.nodes |= derived.nodes
    delta.file_subjects |= derived.file_subjects
    delta.predicates |= derived.predicates


def _note(project: Project, finding: Finding) -> tuple[str, Note]:
    """A finding where the user can act on it: the node's source line, else the line of
    clinicgraph.toml that names the path (or the table that could)."""
    if finding.node is not None:
        file, line = project.where(finding.node)
        if file is not None:
            return file, Note(
                line, finding.rule, finding.message, finding.hint or "", finding.node, None, None
            )
    config = project.root / CONFIG_NAME
    line = None
    if finding.path is not None:
        keys = (finding.path, finding.path.removeprefix("/"))
        line = next(
            (found for key in keys if (found := config_line(config, key, "derive.breadcrumbs"))), None
        )
    line = line or config_line(config, "[derive.breadcrumbs]", "derive.breadcrumbs")
    note = Note(line, finding.rule, finding.message, finding.hint or "", None, None, finding.path)
    return config.as_posix(), note
