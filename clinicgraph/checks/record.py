"""What an on-disk store keeps of its last validation (``clinicgraph-checks.json``):
each check's findings, tied to the load they judged and to what else findings depend
on (the setting: shapes, vocabulary, site, clinicgraph's version), and what the next
validation reuses whatever changed (what each SPARQL constraint reads).

In code a ``ChecksRecord`` of Diagnostics and Findings; on disk each is the row of its
fields in their order (a Finding's diagnostic, then its component and anchors): compact
for the thousands of findings of a large site.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path

from clinicgraph import __version__
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.shacl import Finding, Shapes
from clinicgraph.graph.project import Project
from clinicgraph.graph.query_footprint import Footprint
from clinicgraph.graph.store_records import (
    CHECKS_RECORD,
    UNREADABLE,
    LoadFingerprint,
    digest,
    read_json,
    write_json,
)

Place = tuple[str | None, int | None]  # file, line


@dataclass
class ChecksRecord:
    blank: bool  # the graph had blank nodes: the next validation is whole
    without_facts: list[str]  # terms used whose domains and ranges are not known
    conformance: list[Diagnostic]
    hygiene: list[Diagnostic]
    shapes: dict[str, list[Finding]]  # by the digest of the query's SPARQL
    places: dict[tuple[str, str | None], Place] = field(default_factory=dict)  # IRI, predicate -> place
    footprints: dict[str, Footprint] = field(default_factory=dict)  # by the digest of a query's text


def setting(project: Project, shapes: Shapes) -> str:
    """What findings depend on besides the graph: shapes, vocabulary, site, version."""
    parts = [__version__, project.site.url, *project.vocabulary.identity()]
    parts += [hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in shapes.files]
    return digest(json.dumps(parts, default=str))


def read_record(
    home: Path, setting: str, load: LoadFingerprint | None
) -> tuple[ChecksRecord | None, dict[str, Footprint]]:
    """The record, if it judged ``load`` in this setting; and the footprints it knows
    (they depend on a query's text alone, so they are kept from load to load)."""
    try:
        data = read_json(home, CHECKS_RECORD)
        footprints = {
            key: Footprint(None if reads is None else frozenset(reads), focus_only)
            for key, (reads, focus_only) in (data.get("footprints") or {}).items()
        }
    except UNREADABLE:
        return None, {}
    if load is None or data.get("setting") != setting or data.get("load") != load.digest:
        return None, footprints
    try:
        return ChecksRecord(
            data["blank"],
            data["without_facts"],
            [Diagnostic(*row) for row in data["conformance"]],
            [Diagnostic(*row) for row in data["hygiene"]],
            {key: [_finding(row) for row in entry["findings"]] for key, entry in data["shapes"].items()},
            {(iri, predicate): (file, line) for iri, predicate, file, line in data.get("places", [])},
            footprints,
        ), footprints
    except UNREADABLE:
        return None, footprints


def write_record(home: Path, setting: str, load: LoadFingerprint, record: ChecksRecord) -> None:
    write_json(
        home,
        CHECKS_RECORD,
        {
            "blank": record.blank,
            "without_facts": record.without_facts,
            "conformance": [_row(d) for d in record.conformance],
            "hygiene": [_row(d) for d in record.hygiene],
            "shapes": {
                key: {"findings": [_finding_row(f) for f in findings]}
                for key, findings in record.shapes.items()
            },
            "footprints": {
                key: [None if found.reads is None else sorted(found.reads), found.focus_only]
                for key, found in record.footprints.items()
            },
            "places": [[*key, *place] for key, place in record.places.items()],
            "setting": setting,
            "load": load.digest,
        },
    )


_row = attrgetter(*(f.name for f in fields(Diagnostic)))  # a Diagnostic's fields, in order


def _finding_row(finding: Finding) -> tuple:
    return (*_row(finding.diagnostic), finding.component, finding.anchors)


def _finding(row: list) -> Finding:
    return Finding(Diagnostic(*row[:-2]), row[-2], tuple(row[-1]))
