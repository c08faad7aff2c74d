"""Validation of a build from an on-disk store: the findings of the previous load are
kept where nothing they depend on changed, and found again where something did.

The store remembers the last validation (``checks.record``), tied to the load
it judged, the shapes, the vocabulary and clinicgraph's version. After an incremental
load (``Project.delta``), with S the subjects of the changed triples and of the
sources read again (a finding about a node written in a changed file may move line):

- conformance judges a triple by its subject's and its object's types: the subjects
  in S, and those referring to a node whose types changed, are judged again; and by
  the Role pattern, the Roles a changed triple links to and those linking to a Role by
  a changed triple's predicate (``conformance.role_ends``);
- hygiene likewise, plus the referrers of S (whether a node is described) and every
  node sharing a url with one of them (duplicate urls);
- a SHACL query's results depend only on the triples whose predicates it names (its
  footprint, read from its algebra): it runs again if a changed triple has one of
  them; if none has, its findings about nodes in S are found again (judging those
  nodes alone: their lines may have moved), and the others kept. A query reading only
  its focus node's own triples (``$this ?p ?o``, whatever predicates) judges again the
  nodes in S alone.

The Organization rules written in Python judge again whole: one query of a few
nodes, and they read logo files, which no load tracks. Everything else is kept as it was. A graph with blank nodes is validated whole (their
labels cannot be pinned by a query). Tests compare the result with a full validation
after edits of every kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pyoxigraph import BlankNode, NamedNode, Triple

from clinicgraph.checks import conformance, hygiene
from clinicgraph.checks.context import TYPING, CheckContext
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.notes import note_findings
from clinicgraph.checks.organization import check_organizations
from clinicgraph.checks.record import ChecksRecord, read_record, setting, write_record
from clinicgraph.checks.registry import registered
from clinicgraph.checks.report import ordered
from clinicgraph.checks.shacl import (
    Finding,
    ShapeQuery,
    Shapes,
    focused,
    merge_findings,
    query_findings,
    shape_queries,
)
from clinicgraph.checks.shacl_sparql import rule_footprint
from clinicgraph.graph.project import Delta, Project
from clinicgraph.graph.query_footprint import Footprint, footprint
from clinicgraph.graph.store_records import digest
from clinicgraph.vocab.namespaces import SCHEMA


def run_remembered(project: Project, shapes: Shapes, today: date | None = None) -> list[Diagnostic]:
    """Every finding, as ``checks.run_checks`` gives them, reusing the store's last
    validation where the change since cannot have altered it. A query whose text changed
    (a date rule, when ``today`` did: its digest is another) is found again whole."""
    home, delta, fingerprint = project.store_home, project.delta, project.fingerprint
    assert home is not None and fingerprint is not None, "findings are remembered in an on-disk store"
    judging = setting(project, shapes)
    previous, footprints = read_record(home, judging, delta.since if delta is not None else None)
    if previous is None or previous.blank or delta is None or _has_blank(delta.gained):
        context = CheckContext(project)
        record = _whole(project, context, shape_queries(project, shapes, today), footprints)
    else:
        change = _Change.of(delta)
        context = CheckContext(
            project, {key: place for key, place in previous.places.items() if key[0] not in change.written}
        )  # unchanged files: unmoved
        record = _again(project, context, shape_queries(project, shapes, today), previous, change, footprints)
    record.footprints, record.places = footprints, context.locate.places
    write_record(home, judging, fingerprint, record)
    found = [
        *record.conformance,
        *conformance.incomplete(project.vocabulary, set(record.without_facts)),
        *record.hygiene,
        *merge_findings(finding for findings in record.shapes.values() for finding in findings),
        *check_organizations(project, context),  # one query of a few nodes, and a logo file's size
        *note_findings(project),
    ]  # the load keeps the notes of the sources it did not read again
    return ordered(found)


def _whole(
    project: Project, context: CheckContext, queries: list[ShapeQuery], footprints: dict
) -> ChecksRecord:
    rules = conformance._Rules(project.vocabulary, context)
    conformance.feed_candidates(context, rules)
    shape_findings = {}
    for query in queries:
        # now, not in the first update (docs/benchmarks.md has the cost)
        _footprint(query, footprints)
        shape_findings[digest(query.sparql)] = query_findings(project, query, context.locate)
    return ChecksRecord(
        _store_has_blank(context),
        sorted(rules.without_facts),
        rules.found,
        hygiene.check_hygiene(project, context),
        shape_findings,
    )


@dataclass(frozen=True)
class _Change:
    """What an incremental load changed, as the rules ask it."""

    triples: set  # gained and lost
    subjects: set  # their subjects
    written: set[str]  # the ids of those and of the nodes a source read again
    #                         describes, before or after: a finding about one may have moved line
    in_files: set  # the nodes of ``written``
    retyped: set  # the subjects of changed typing triples
    predicates: set[str]

    @classmethod
    def of(cls, delta: Delta) -> _Change:
        triples = delta.gained | delta.lost
        subjects = {t.subject for t in triples}
        in_files = subjects | delta.file_subjects
        return cls(
            triples,
            subjects,
            {node.value for node in in_files if not isinstance(node, Triple)},
            in_files,
            {t.subject for t in triples if t.predicate in TYPING},
            {t.predicate.value for t in triples},
        )


def _again(
    project: Project,
    context: CheckContext,
    queries: list[ShapeQuery],
    previous: ChecksRecord,
    change: _Change,
    footprints: dict,
) -> ChecksRecord:
    """The previous findings brought up to date: found again where the change can have
    altered them, kept elsewhere."""
    judged = (
        change.in_files
        | _referrers(context.store, change.retyped)
        | conformance.role_ends(project, context, change.triples)
    )
    found, without_facts = _conformance_again(project, context, previous, judged)
    shape_findings = {
        digest(query.sparql): _shape_again(project, context, query, previous, change, footprints)
        for query in queries
    }
    tidied = judged | _referrers(context.store, change.subjects)
    return ChecksRecord(
        False,
        sorted(without_facts),
        found,
        _hygiene_again(project, context, previous, change, tidied),
        shape_findings,
    )


def _conformance_again(
    project: Project, context: CheckContext, previous: ChecksRecord, judged: set
) -> tuple[list[Diagnostic], set[str]]:
    """Conformance judges a triple by its subject's and object's types: the judged
    nodes' findings found again, the others' kept; and the terms without facts."""
    found, without_facts = conformance.check_subjects(project, context, judged)
    without_facts |= {
        term
        for term in previous.without_facts  # a term some triple still uses
        if next(iter(context.store.quads_for_pattern(None, NamedNode(SCHEMA + term), None, None)), None)
    }
    judged_ids = {node.value for node in judged}
    return [d for d in previous.conformance if d.node not in judged_ids] + found, without_facts


def _hygiene_again(
    project: Project, context: CheckContext, previous: ChecksRecord, change: _Change, tidied: set
) -> list[Diagnostic]:
    """Hygiene likewise, for the judged nodes and the referrers of changed subjects
    (whether a node is described), and for every url one of them has, had or shares."""
    store, url = context.store, hygiene.URL
    urls = {t.object.value for t in change.triples if t.predicate == url and isinstance(t.object, NamedNode)}
    urls |= {
        q.object.value
        for node in tidied | change.retyped
        for q in store.quads_for_pattern(node, url, None, None)
        if isinstance(q.object, NamedNode)
    }
    tidied_ids = {node.value for node in tidied}
    kept = [d for d in previous.hygiene if not registered(d.rule).reached(d, tidied_ids, urls)]
    return kept + hygiene.check_subjects(project, context, tidied, urls)


def _shape_again(
    project: Project, context: CheckContext, query, previous: ChecksRecord, change: _Change, footprints: dict
) -> list[Finding]:
    """A shape query's findings: if nothing it reads changed, kept, but for those about
    nodes written in a changed file (found again: their lines may have moved); for a
    query reading only its focus nodes' own triples, found again for the changed foci;
    else found again whole."""
    kept = previous.shapes.get(digest(query.sparql))
    reads, focus_only = _footprint(query, footprints)
    if kept is None:
        return query_findings(project, query, context.locate)
    if reads is not None and not change.predicates & reads:
        # the same results; only those placed in a changed file may have moved line
        moved = {finding.anchors[0] for finding in kept if not change.written.isdisjoint(finding.anchors)}
        if moved <= change.written:  # foci written in a changed file (a literal focus is none)
            return _found_again(project, context, query, kept, moved)
    if focus_only:  # a changed triple's subject is written in a changed file: among ``written``
        again = change.written | {
            t.object.value
            for t in change.triples
            if t.predicate.value in query.rule.targets.objects_of and isinstance(t.object, NamedNode)
        }  # a literal is no focus node a query can be given
        return _found_again(project, context, query, kept, again)
    return query_findings(project, query, context.locate)


def _found_again(
    project: Project, context: CheckContext, query: ShapeQuery, kept: list[Finding], foci: set[str]
) -> list[Finding]:
    """``kept`` with the findings about ``foci`` found again (the query judging those alone)."""
    if not foci:
        return kept
    return [finding for finding in kept if finding.anchors[0] not in foci] + query_findings(
        project, focused(project, query, foci), context.locate
    )


def _footprint(query, known: dict[str, Footprint]) -> tuple[frozenset[str] | None, bool]:
    """What a shape query reads. A SPARQL constraint's own query is parsed (by rdflib:
    parsing costs more than the rest of an update) once, and what it reads is kept in
    ``known``, by the query's digest."""

    def parse(sparql: str) -> Footprint:
        key = digest(sparql)
        if key not in known:
            known[key] = footprint(sparql)
        return known[key]

    return rule_footprint(query.rule, query.constraint, query.bindings, parse)


def _referrers(store, nodes) -> set:
    return {quad.subject for node in nodes for quad in store.quads_for_pattern(None, None, node, None)}


def _has_blank(triples) -> bool:
    return any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)


def _store_has_blank(context: CheckContext) -> bool:
    return bool(
        context.store.query(
            "ASK { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }", use_default_graph_as_union=True
        )
    )
