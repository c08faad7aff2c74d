"""The rules written in Python, each declared once, beside its code, with a name.

A rule module declares its rules at import (``rule(...)``) and emits findings through
them (``Rule.finding``), so a rule's id and severity are written in one place, and
what reads rules asks here: the docs' table of rules, incremental validation (which
findings a change can alter: ``Rule.reached``), the tests that the ids the checks emit
are the ones declared. The shape of rdflib's plugin registry: the modules named in
``RULE_MODULES`` are imported only when every rule is wanted (the docs, the tests).

The rules written as SHACL shapes declare the same in their shapes (``cg:rule``,
``sh:severity``, ``sh:message``); ``checks.shacl`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from pyoxigraph import NamedNode

from clinicgraph.checks.diagnostic import SEVERITIES, Diagnostic
from clinicgraph.vocab.namespaces import schema_term

# Where the rules written in Python are declared; a new module of rules is added here.
RULE_MODULES = (
    "clinicgraph.checks.conformance",
    "clinicgraph.checks.hygiene",
    "clinicgraph.checks.organization",
    "clinicgraph.checks.notes",
    "clinicgraph.checks.audit",
)
# What a finding depends on, beyond the triples of its node: ``Rule.reach``.
REACHES = ("node", "url")


@dataclass(frozen=True)
class Rule:
    id: str  # stable, "family/name"
    severity: str  # of its findings, unless a finding says otherwise
    description: str  # one line, for the docs
    cites: str | None = None  # the documentation the rule follows, if any
    # What a change must reach for incremental validation to find it again: "node", the
    # finding's node (its triples, the types and description of what they link to);
    # "url", also any node having the url that is the finding's value.
    reach: str = "node"

    def finding(
        self,
        file: str | None,
        line: int | None,
        message: str,
        hint: str | None = None,
        node: str | None = None,
        property: str | None = None,
        value: str | None = None,
        severity: str | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            file, line, self.id, severity or self.severity, message, hint, node, property, value
        )

    def about(
        self, locate, subject, predicate, message: str, value: str | None = None, hint: str | None = None
    ) -> Diagnostic:
        """A finding about a node of the graph (and one of its properties), placed by
        ``locate`` (a ``checks.locate.Locator``) where it is written."""
        file, line = locate(subject, predicate)
        node = subject.value if isinstance(subject, NamedNode) else None
        term = schema_term(predicate.value) if predicate is not None else None
        return self.finding(file, line, message, hint, node, term, value)

    def reached(self, finding: Diagnostic, nodes: set[str], urls: set[str]) -> bool:
        """Whether a change reaching these nodes (IRIs) and urls can alter this finding:
        incremental validation keeps the findings it cannot, and looks again for the rest."""
        return finding.node in nodes or (self.reach == "url" and finding.value in urls)


_RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, description: str, cites: str | None = None, reach: str = "node") -> Rule:
    """Declare a rule; an id declared twice, or a severity or reach no one knows, is a bug."""
    if id in _RULES or severity not in SEVERITIES or reach not in REACHES:
        raise ValueError(f"rule {id}: declared twice, or an unknown severity {severity!r} or reach {reach!r}")
    _RULES[id] = declared = Rule(id, severity, description, cites, reach)
    return declared


def registered(id: str) -> Rule:
    """The rule of this id (a KeyError for an id no module declares: a bug)."""
    if id not in _RULES:
        python_rules()
    return _RULES[id]


def python_rules() -> list[Rule]:
    """Every rule written in Python, by id."""
    for module in RULE_MODULES:
        import_module(module)
    return sorted(_RULES.values(), key=lambda declared: declared.id)
