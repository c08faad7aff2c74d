"""A diagnostic: one finding of one rule about one node, with where to fix it."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Diagnostic:
    # Field order is the sort order of reports: by file, line, then rule.
    file: str | None
    line: int | None
    rule: str  # stable id, e.g. "schema/unknown-property"
    severity: str  # "error", "warning" or "info"
    message: str  # what is wrong, for a person who does not know RDF
    hint: str | None = None  # how to fix it
    node: str | None = None  # the IRI of the node concerned
    property: str | None = None  # the term concerned, e.g. "ratingValue"
    value: str | None = None  # the offending value, as written

    def sort_key(self) -> tuple:
        return (
            self.file or "",
            self.line or 0,
            self.rule,
            self.node or "",
            self.property or "",
            self.value or "",
        )
