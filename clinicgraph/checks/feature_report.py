"""``validate --report features``: Search Console's enhancement reports, offline and
for every page before it is deployed.

For each Google feature (``checks.features``): how many pages carry it (their JSON-LD
document holds a node of its types), how many of those have an error of its rules,
how many warnings only, how many neither (valid), and which rules, on how many pages;
then the pages that could carry it and do not (``COULD_HAVE``). A finding belongs to
a page when the node it is about is in the page's document, so a finding on the
clinic counts on every page that carries the clinic, as Google sees each page alone.
Infos count for nothing: they lose no feature (the retired features' are infos, and
those features show no result at all).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.features import COULD_HAVE, FEATURES, Feature, PageView, feature_of
from clinicgraph.checks.page_reach import NONE, Links, node_id
from clinicgraph.graph.pages import Page, find_pages
from clinicgraph.graph.project import Project
from clinicgraph.vocab.namespaces import SCHEMA


@dataclass
class Row:
    feature: Feature
    pages: int = 0  # that carry it
    errors: int = 0  # pages with an error of its rules
    warnings: int = 0  # pages with warnings of its rules and no error
    rules: dict[str, Counter] = field(default_factory=lambda: {"error": Counter(), "warning": Counter()})
    missing: list[tuple[str, str]] = field(default_factory=list)  # (page url, the pages it fits)
    issues: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # (url, errors, warnings)

    @property
    def valid(self) -> int:
        return self.pages - self.errors - self.warnings


def feature_report(project: Project, diagnostics: list[Diagnostic]) -> tuple[int, list[Row]]:
    """The number of pages, and a row per feature in ``FEATURES`` order."""
    store, vocabulary = project.store, project.vocabulary
    pages = find_pages(store, project.site, vocabulary)
    links = Links(store, {page.node for page in pages})
    typesets = {feature.name: _typeset(feature, vocabulary) for feature in FEATURES}
    by_node: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.rule.startswith("google/") and diagnostic.node and diagnostic.severity != "info":
            by_node.setdefault(diagnostic.node, []).append(diagnostic)

    carrying: dict[frozenset[str], list[str]] = {}  # types -> the features they carry

    def own(node) -> frozenset:
        """What a node brings to a document: ("carries", feature) for its types, and
        ("found", feature, severity, rule) for its findings."""
        types = links.types.get(node, NONE)
        if types not in carrying:
            carrying[types] = [name for name, typeset in typesets.items() if types & typeset]
        carried = carrying[types]
        found = [
            ("found", name, diagnostic.severity, diagnostic.rule)
            for diagnostic in by_node.get(node_id(node), ())
            for name in _counts_for(diagnostic.rule, carried)
        ]
        return frozenset([*(("carries", name) for name in carried), *found])

    document, views = links.documents(own), _Views(store, links, vocabulary)
    rows = [Row(feature) for feature in FEATURES]
    for page in pages:
        held = document(page.node)
        for row in rows:
            name = row.feature.name
            if ("carries", name) in held:
                found = {(item[2], item[3]) for item in held if item[0] == "found" and item[1] == name}
                _tally(row, page.url, found)
            else:
                row.missing += [
                    (page.url, could.fits)
                    for could in COULD_HAVE
                    if could.feature == name and could.test(views.of(page))
                ]
    return len(pages), rows


def _counts_for(rule_id: str, carried: list[str]) -> list[str]:
    """The features a finding counts for: its rule's, or, for a rule of no feature, those
    its node carries."""
    feature = feature_of(rule_id)
    return [feature.name] if feature else carried


def _typeset(feature: Feature, vocabulary) -> frozenset[str]:
    def expand(names):
        return {sub for name in names for sub in vocabulary.subtypes(name) | {name}}

    return frozenset(expand(feature.types) - expand(feature.not_types))


class _Views:
    """The pages as the could-have rules see them, asked of the store in two queries and
    made only for the pages a rule asks about."""

    def __init__(self, store, links: Links, vocabulary):
        self.links, self.vocabulary = links, vocabulary
        self.subjects: dict[object, list] = {}
        for page, subject in store.query(
            f"SELECT ?page ?s WHERE {{ ?page <{SCHEMA}mainEntity>|<{SCHEMA}about> ?s }}"
        ):
            if page in links.pages:
                self.subjects.setdefault(page, []).append(subject)
        self.addressed = {
            row[0] for row in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s <{SCHEMA}address> ?a }}")
        }
        self.made: dict[object, PageView] = {}

    def of(self, page: Page) -> PageView:
        if page.node not in self.made:
            subjects = self.subjects.get(page.node, [])
            self.made[page.node] = PageView(
                home=page.path == "",
                subjects=self._lineage(subjects),
                addressed=any(subject in self.addressed for subject in subjects),
            )
        return self.made[page.node]

    def _lineage(self, nodes) -> frozenset[str]:
        """The nodes' types and every type above them."""
        names = {name for node in nodes for name in self.links.types.get(node, NONE)}
        return frozenset(names.union(*(self.vocabulary.ancestors(name) for name in names)))


def _tally(row: Row, url: str, found: set[tuple[str, str]]) -> None:
    """One page that carries the row's feature, with these (severity, rule) findings."""
    errors, warnings = (
        [rule for severity, rule in sorted(found) if severity == kind] for kind in ("error", "warning")
    )
    row.pages += 1
    row.errors += bool(errors)
    row.warnings += bool(warnings and not errors)
    row.rules["error"].update(errors)
    row.rules["warning"].update(warnings)
    if errors or warnings:
        row.issues.append((url, errors, warnings))


def as_json(page_count: int, rows: list[Row]) -> str:
    return json.dumps({"pages": page_count, "features": [_as_data(row) for row in rows]}, indent=2) + "\n"


def _as_data(row: Row) -> dict:
    return {
        "feature": row.feature.name,
        "shown": row.feature.shown,
        "cites": row.feature.cites,
        "pages": row.pages,
        "errors": row.errors,
        "warnings": row.warnings,
        "valid": row.valid,
        "rules": {severity: dict(sorted(counts.items())) for severity, counts in row.rules.items()},
        "issues": [
            {"page": url, "errors": errors, "warnings": warnings} for url, errors, warnings in row.issues
        ],
        "missing": [{"page": url, "fits": fits} for url, fits in row.missing],
    }


def as_text(page_count: int, rows: list[Row]) -> str:
    """A table of the features, then each feature's rules and the pages that could carry it."""
    width = max(len(row.feature.name) for row in rows)
    lines = [
        f"Google search features of {page_count} page{'s' if page_count != 1 else ''}",
        "",
        f"{'feature':<{width}}  pages  errors  warnings  valid",
    ]
    for row in rows:
        note = "" if row.feature.shown else "  retired: not shown"
        lines.append(
            f"{row.feature.name:<{width}}  {row.pages:>5}  {row.errors:>6}  {row.warnings:>8}  {row.valid:>5}{note}"
        )
    for row in rows:
        details = [
            f"  {severity:<7}  {rule}  on {count} page{'s' if count != 1 else ''}"
            for severity, counts in row.rules.items()
            for rule, count in sorted(counts.items())
        ] + [f"  could carry it: {url} ({fits})" for url, fits in row.missing]
        if details:
            lines += ["", row.feature.name, *details]
    return "\n".join(lines) + "\n"


FORMATS = {"text": as_text, "json": as_json}
