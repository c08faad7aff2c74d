"""Every rule with what it says about itself, in one list: the rules written in Python
(their registry) and those written as SHACL shapes (the bundled files, then a
project's own, which may replace or switch off a bundled rule by its id).

``clinicgraph rules`` prints it, the docs' rule pages are made of it (``docs/hooks.py``)
and the tests read it, so the three cannot disagree about a rule.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from clinicgraph.checks.features import FEATURES, feature_of
from clinicgraph.checks.registry import python_rules
from clinicgraph.checks.shacl import default_shape_files, load_shapes
from clinicgraph.checks.shacl_model import Rule as ShapeRule
from clinicgraph.vocab.namespaces import schema_term

# The families, in the order the docs and listings give them: id prefix -> title.
FAMILIES = {
    "schema": "schema.org conformance",
    "google": "Google search features",
    "health": "Health pages",
    "hygiene": "Graph hygiene",
    "source": "Sources",
    "derive": "Derivation",
    "audit": "Audit of a built site",
}


@dataclass(frozen=True)
class Entry:
    id: str
    severity: str
    family: str  # the id's part before "/"
    feature: str | None  # the Google feature its findings count for (checks.features)
    what: str  # what it checks: a Python rule's description, a shape's message
    hint: str | None  # how to fix what it finds
    on: str  # what it looks at: a shape's targets and path ("" for Python rules)
    cites: str | None  # the documentation it follows
    source: str  # "python", or the shapes file (and line) it is written in


def catalogue(shape_files: Sequence[Path] = ()) -> list[Entry]:
    """Every rule, by family (in ``FAMILIES`` order, unknown ones last) and id."""
    entries = [
        _entry(rule.id, rule.severity, rule.description, None, "", rule.cites, "python")
        for rule in python_rules()
    ]
    bundled = [Path(path) for path in default_shape_files()]
    by_id: dict[str, list[ShapeRule]] = {}
    for rule in load_shapes([*bundled, *map(Path, shape_files)]).rules:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, rules in by_id.items():
        active = [rule for rule in rules if not rule.deactivated]
        if active:
            entries.append(_from_shapes(rule_id, active, bundled))
    order = list(FAMILIES)
    return sorted(
        entries, key=lambda e: (order.index(e.family) if e.family in order else len(order), e.family, e.id)
    )


def _from_shapes(rule_id: str, rules: list[ShapeRule], bundled: list[Path]) -> Entry:
    """One entry for the shapes of one id (a rule may be several shapes: one per target)."""
    first = rules[0]
    messages = list(dict.fromkeys(rule.message or "" for rule in rules if rule.message))
    ons = list(dict.fromkeys(_on(rule) for rule in rules))
    where = Path(first.file)
    shown = where.name if where in bundled else where.as_posix()
    source = f"{shown}:{first.line}" if first.line else shown
    return _entry(
        rule_id, first.severity, " / ".join(messages), first.hint, "; ".join(ons), first.cites, source
    )


def _entry(rule_id, severity, what, hint, on, cites, source) -> Entry:
    feature = feature_of(rule_id)
    family = rule_id.split("/", 1)[0] if "/" in rule_id else "other"
    return Entry(rule_id, severity, family, feature.name if feature else None, what, hint, on, cites, source)


def _on(rule: ShapeRule) -> str:
    """What a shape looks at: its target classes (or properties), and its path."""
    names = [
        schema_term(iri) or iri
        for iri in (*rule.targets.classes, *rule.targets.subjects_of, *rule.targets.objects_of)
    ]
    where = ", ".join(names) or "nodes"
    if rule.path is not None and rule.path.kind == "iri" and rule.path.iri:
        where += f": {schema_term(rule.path.iri) or rule.path.iri}"
    return where


def as_json(entries: list[Entry]) -> str:
    return json.dumps([asdict(entry) for entry in entries], indent=2, ensure_ascii=False) + "\n"


def as_text(entries: list[Entry]) -> str:
    """One line per rule (id, severity, what it checks); under it where it is written, its
    Google feature and what it cites."""
    width = max((len(entry.id) for entry in entries), default=0)
    indent = " " * (width + 2 + len("warning") + 2)
    lines = []
    for entry in entries:
        lines.append(f"{entry.id:<{width}}  {entry.severity:<7}  {_one_line(entry.what)}")
        feature = f", {entry.feature}" if entry.feature else ""
        lines.append(
            indent + f"in {entry.source}{feature}" + (f", cites {entry.cites}" if entry.cites else "")
        )
    lines.append(f"{len(entries)} rules")
    return "\n".join(lines) + "\n"


def as_markdown(entries: list[Entry], level: int = 2) -> str:
    """A section per family (headings of ``level``), the Google family's split by search
    feature (a level below); one family alone is its tables without its heading: what
    the docs' rule pages are made of."""
    families: dict[str, list[Entry]] = {}
    for entry in entries:
        families.setdefault(entry.family, []).append(entry)
    if len(families) == 1:
        return _family(entries, level)
    return "\n".join(
        f"{'#' * level} {FAMILIES.get(family, family)}\n\n{_family(group, level + 1)}"
        for family, group in families.items()
    )


def _family(entries: list[Entry], level: int) -> str:
    """A family's table; the Google family's, a table per feature in ``FEATURES`` order,
    then its rules of no feature."""
    if entries[0].family != "google":
        return _table(entries)
    order = [feature.name for feature in FEATURES] + ["Across features"]
    features: dict[str, list[Entry]] = {}
    for entry in entries:
        features.setdefault(entry.feature or "Across features", []).append(entry)
    return "\n".join(
        f"{'#' * level} {name}\n\n{_table(features[name])}" for name in sorted(features, key=order.index)
    )


def _table(entries: list[Entry]) -> str:
    rows = ["| rule | severity | on | what it checks | how to fix |", "| --- | --- | --- | --- | --- |"]
    for entry in entries:
        cited = f" ([source]({entry.cites}))" if entry.cites else ""
        rows.append(
            f"| `{entry.id}` | {entry.severity} | {_cell(entry.on)} | {_cell(entry.what)}{cited} | {_cell(entry.hint)} |"
        )
    return "\n".join(rows) + "\n"


def _cell(text: str | None) -> str:
    return _one_line(text or "").replace("|", "\\|")


def _one_line(text: str) -> str:
    return " ".join(text.split())


FORMATS = {"text": as_text, "json": as_json, "markdown": as_markdown}
