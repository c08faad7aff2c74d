"""Validation of a build from an on-disk store: the findings of the previous load are
kept where nothing they depend on changed, and found again where something did.

The store remembers the last validation (``clinicgraph-checks.json``), tied to the load
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
  them, or if one of its findings is about a node in S; else its findings are kept.

Everything else is kept as it was. A graph with blank nodes is validated whole (their
labels cannot be pinned by a query). Tests compare the result with a full validation
after edits of every kind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode

from clinicgraph import __version__
from clinicgraph.checks import conformance, hygiene
from clinicgraph.checks.context import TYPING, CheckContext
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.notes import note_findings
from clinicgraph.checks.registry import registered
from clinicgraph.checks.report import ordered
from clinicgraph.checks.shacl import Finding, Shapes, focused, merge_findings, query_findings, shape_queries
from clinicgraph.checks.shacl_sparql import Footprint, rule_footprint
from clinicgraph.core.atomic import write_atomic
from clinicgraph.graph.project import FINGERPRINT, Project
from clinicgraph.vocab.namespaces import SCHEMA

CACHE = "clinicgraph-checks.json"
_URL = NamedNode(SCHEMA + "url")


def run_remembered(project: Project, shapes: Shapes) -> list[Diagnostic]:
    """Every finding, as ``checks.run_checks`` gives them, reusing the store's last
    validation where the change since cannot have altered it."""
    home = project.store_home
    setting = _setting(project, shapes)
    previous, footprints = _read(home, setting, project.previous_load if project.delta is not None else None)
    if previous is None or previous["blank"] or _has_blank(project.delta.gained):
        context = CheckContext(project)
        record = _whole(project, context, shapes, footprints)
    else:
        moved = _written_in_changed(project.delta)
        context = CheckContext(project, _places(previous, moved))
        record = _again(project, context, shapes, previous, footprints, moved)
    record["footprints"] = footprints  # kept from load to load: they depend on the query text alone
    record["places"] = [[*key, *place] for key, place in context.locate.places.items()]
    _write(home, setting, record)
    found = [*(_diagnostic(row) for row in record["conformance"]),
             *conformance.incomplete(project.vocabulary, set(record["without_facts"])),
             *(_diagnostic(row) for row in record["hygiene"]),
             *merge_findings(_finding(row) for entry in record["shapes"].values() for row in entry["findings"]),
             *note_findings(project)]  # the load keeps the notes of the sources it did not read again
    return ordered(found)


def _whole(project: Project, context: CheckContext, shapes: Shapes, footprints: dict) -> dict:
    found, without_facts = _conformance_whole(project, context)
    shape_entries = {}
    for query in shape_queries(project, shapes):
        _footprint(query, project.site.url, footprints)  # now, not in the first update (0.6 s)
        shape_entries[_digest(query.sparql)] = {
            "findings": [_finding_row(f) for f in query_findings(project, query, context.locate)]}
    return {"blank": _store_has_blank(context), "without_facts": sorted(without_facts),
            "conformance": [_row(d) for d in found],
            "hygiene": [_row(d) for d in hygiene.check_hygiene(project, context)], "shapes": shape_entries}


def _conformance_whole(project: Project, context: CheckContext) -> tuple[list[Diagnostic], set[str]]:
    rules = conformance._Rules(project.vocabulary, context)
    conformance.feed_candidates(context, rules)
    return rules.found, rules.without_facts


def _again(project: Project, context: CheckContext, shapes: Shapes, previous: dict, footprints: dict,
           moved: set[str]) -> dict:
    delta, store = project.delta, context.store
    changed = delta.gained | delta.lost
    subjects = {t.subject for t in changed}
    in_files = subjects | delta.file_subjects
    retyped = {t.subject for t in changed if t.predicate in TYPING}
    judged = in_files | _referrers(store, retyped) | conformance.role_ends(project, context, changed)
    judged_ids = {node.value for node in judged}
    found, without_facts = conformance.check_subjects(project, context, judged)
    without_facts |= {term for term in previous["without_facts"]
                      if next(iter(store.quads_for_pattern(None, NamedNode(SCHEMA + term), None, None)), None)}
    kept = [row for row in previous["conformance"] if row[6] not in judged_ids]

    tidied = judged | _referrers(store, subjects)
    urls = {t.object.value for t in changed if t.predicate == _URL and isinstance(t.object, NamedNode)}
    urls |= {q.object.value for node in tidied | retyped for q in store.quads_for_pattern(node, _URL, None, None)
             if isinstance(q.object, NamedNode)}
    tidied_ids = {node.value for node in tidied}
    kept_hygiene = [row for row in previous["hygiene"]
                    if not registered(row[2]).reached(_diagnostic(row), tidied_ids, urls)]

    predicates = {t.predicate.value for t in changed}
    file_ids = moved  # in_files, as ids
    entries = {}
    for query in shape_queries(project, shapes):
        key = _digest(query.sparql)
        entry = previous["shapes"].get(key)
        reads, focus_only = _footprint(query, project.site.url, footprints)
        if entry is not None and not (reads is None or predicates & reads or any(
                anchor in file_ids for row in entry["findings"] for anchor in row[-1])):
            findings = entry["findings"]  # nothing it reads changed, nor the files it points to
        elif entry is not None and focus_only:  # only the foci whose own triples changed
            # (a changed triple's subject is written in a changed file: among file_ids)
            again = file_ids | {t.object.value for t in changed if t.predicate.value in query.rule.targets.objects_of}
            findings = [row for row in entry["findings"] if row[-1][0] not in again] + [
                _finding_row(f) for f in query_findings(project, focused(project, query, again), context.locate)]
        else:
            findings = [_finding_row(f) for f in query_findings(project, query, context.locate)]
        entries[key] = {"findings": findings}
    return {"blank": False, "without_facts": sorted(without_facts),
            "conformance": kept + [_row(d) for d in found],
            "hygiene": kept_hygiene + [_row(d) for d in hygiene.check_subjects(project, context, tidied, urls)],
            "shapes": entries}


def _written_in_changed(delta) -> set[str]:
    """The nodes (ids) a source read again describes, before or after, and the subjects
    of the changed triples: a finding about one of them may have moved line."""
    return {node.value for node in delta.file_subjects} | {t.subject.value for t in delta.gained | delta.lost}


def _places(previous: dict, moved: set[str]) -> dict:
    """The previous validation's places of IRIs written where they were, in files unchanged."""
    return {(iri, predicate): (file, line) for iri, predicate, file, line in previous.get("places", [])
            if iri not in moved}


def _footprint(query, site_url: str, known: dict) -> tuple[frozenset[str] | None, bool]:
    """What a shape query reads. A SPARQL constraint's own query is parsed (by rdflib,
    imported only then: parsing and importing cost more than the rest of an update)
    once, and what it reads is kept in ``known``, by the query's digest."""
    def parse(sparql: str) -> Footprint:
        key = _digest(sparql)
        if key not in known:
            from clinicgraph.checks.footprint import footprint

            found = footprint(sparql)
            known[key] = [None if found.reads is None else sorted(found.reads), found.focus_only]
        reads, focus_only = known[key]
        return Footprint(None if reads is None else frozenset(reads), focus_only)
    return rule_footprint(query.rule, query.constraint, site_url, parse)


def _referrers(store, nodes) -> set:
    return {quad.subject for node in nodes for quad in store.quads_for_pattern(None, None, node, None)}


def _has_blank(triples) -> bool:
    return any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)


def _store_has_blank(context: CheckContext) -> bool:
    return bool(context.store.query("ASK { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }",
                                    use_default_graph_as_union=True))


# -- the record: rows of plain values, tied to what they were found in

def _setting(project: Project, shapes: Shapes) -> str:
    """What findings depend on besides the graph: shapes, vocabulary, site, version."""
    parts = [__version__, project.site.url, *project.vocabulary.identity()]
    parts += [hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in shapes.files]
    return _digest(json.dumps(parts, default=str))


def _read(home: Path, setting: str, load: str | None) -> tuple[dict | None, dict]:
    """The record, if it judged ``load`` in this setting; and the footprints it knows."""
    try:
        record = json.loads((home / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, {}
    footprints = record.get("footprints") or {}
    if load is None or record.get("setting") != setting or record.get("load") != _digest(load):
        return None, footprints
    return record, footprints


def _write(home: Path, setting: str, record: dict) -> None:
    record = dict(record, setting=setting, load=_digest((home / FINGERPRINT).read_text(encoding="utf-8")))
    write_atomic(home / CACHE, json.dumps(record).encode("utf-8"))


def _row(diagnostic: Diagnostic) -> list:
    return list(astuple(diagnostic))


def _diagnostic(row: list) -> Diagnostic:
    return Diagnostic(*row)


def _finding_row(finding: Finding) -> list:
    return [*astuple(finding.diagnostic), finding.component, list(finding.anchors)]


def _finding(row: list) -> Finding:
    return Finding(Diagnostic(*row[:-2]), row[-2], tuple(row[-1]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

