"""SHACL shapes, run as SPARQL on the store: the Google and health rules, and users' own.

The rules ship as data (``checks/shapes/google.ttl``, ``google_content.ttl``,
``google_local.ttl``, ``google_site.ttl``, ``health.ttl``) so users can read, override and
extend them. pySHACL is not used to run them: it took nine times as long as the same rules
as SPARQL on Oxigraph (the decision record docs/decisions/20261125-shacl-as-sparql.md).
Instead each constraint is compiled to one SPARQL SELECT and run on the store.

    shapes = load_shapes(default_shape_files() + [Path("my-shapes.ttl")])
    for diagnostic in run_shapes(project, shapes): ...

**Rules and overriding.** A rule is a property shape, a node shape's own constraints,
or one ``sh:sparql`` constraint. ``cg:rule "google/review-author-missing"`` (with
``@prefix cg: <urn:clinicgraph:shacl#>``) gives it its stable id, ``cg:hint`` the fix
shown to users, ``cg:cites`` the documentation it follows (a node shape's, unless a
rule of it has its own); a shape without ``cg:rule`` is named after its IRI (a blank property
shape after its node shape and path). Files are read in order, and a file defining
a rule id replaces every rule of that id from earlier files: to change a bundled rule,
write one with the same ``cg:rule``; to switch one off, write
``[] cg:rule "google/self-serving-review" ; sh:deactivated true .``

**Severity.** ``sh:Violation`` (the default) -> "error", ``sh:Warning`` -> "warning",
``sh:Info`` -> "info". The message is ``sh:message`` (``{?var}``/``{$this}`` are filled
in from the query's results), else a plain default.

**The SHACL subset.** Targets: ``sh:targetClass`` (with every subclass the schema.org
vocabulary knows, since the store holds no class hierarchy), ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``, ``sh:targetNode``, implicit class targets, and SHACL-AF's
SPARQL-based targets (``sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this ..." ]``,
also as a named node several shapes share). Paths: IRIs,
sequences, ``sh:inversePath``, ``sh:alternativePath``, ``sh:zeroOrMorePath``,
``sh:oneOrMorePath``, ``sh:zeroOrOnePath``. Core: ``sh:minCount``, ``sh:maxCount``,
``sh:minLength``, ``sh:maxLength``, ``sh:pattern`` (+ ``sh:flags``), ``sh:datatype``,
``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:class``, ``sh:min/maxInclusive``,
``sh:min/maxExclusive``. SHACL-SPARQL: ``sh:sparql`` with ``sh:select`` using ``$this``
(and ``$PATH`` in property shapes), ``sh:prefixes``/``sh:declare``. clinicgraph also
pre-binds ``$siteUrl`` (the project's site URL), ``$today`` (the day date rules judge
against, an xsd:date: ``--today``, else ``[checks] today``, else the day of the run) and
``$reviewMaxAge`` (``[health] review-max-age``, an xsd duration): ``bindings``. In any of
these queries SHACL's test for an instance of a class, ``?x a/rdfs:subClassOf* schema:Article .``
(a triple of its own), matches the instances of the class's schema.org subclasses too.
Anything else SHACL defines (``sh:node``, ``sh:or``, ``sh:closed`` ...) is refused with a
SourceError naming file and line.
Regular expressions run in Oxigraph (Rust regex syntax: no look-around or backrefs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.locate import Locator
from clinicgraph.checks.shacl_model import Constraint, Rule
from clinicgraph.checks.shacl_read import path_text, read_rules
from clinicgraph.checks.shacl_sparql import Bindings, compile_rule, holder_predicate, sparql_string
from clinicgraph.core.errors import SourceError
from clinicgraph.graph.project import Project
from clinicgraph.vocab.namespaces import SCHEMA, XSD, schema_term
from clinicgraph.vocab.vocabulary import Vocabulary

BUNDLED = ("google.ttl", "google_content.ttl", "google_local.ttl", "google_site.ttl", "health.ttl")


@dataclass
class Shapes:
    files: list[Path]
    rules: list[Rule] = field(default_factory=list)  # after overriding, in file order

    def ids(self) -> list[str]:
        return sorted({rule.id for rule in self.rules})

    def rule(self, rule_id: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.id == rule_id]


def default_shape_files() -> list[Path]:
    """The bundled shape files: Google rich-result rules, then health-page rules."""
    folder = resources.files("clinicgraph").joinpath("checks", "shapes")
    return [Path(str(folder.joinpath(name))) for name in BUNDLED]


def load_shapes(paths: list[Path]) -> Shapes:
    """Read shape files in order; a later file's rule replaces earlier ones of its id."""
    rules: list[Rule] = []
    for path in map(Path, paths):
        own = read_rules(path)
        for rule in own:
            _check_queries(rule)
        replaced = {rule.id for rule in own}
        rules = [rule for rule in rules if rule.id not in replaced] + own
    return Shapes([Path(p) for p in paths], rules)


@dataclass(frozen=True)
class ShapeQuery:
    rule: Rule
    constraint: Constraint
    sparql: str
    bindings: Bindings  # what it was compiled with


@dataclass(frozen=True)
class Finding:
    """A diagnostic of one query, and the nodes its place was looked up by (focus, and
    the node holding the value): an incremental validation keeps it while those nodes'
    sources are unchanged."""

    diagnostic: Diagnostic
    component: str
    anchors: tuple[str, ...]


def bindings(project: Project, today: date | None = None) -> dict[str, str]:
    """The variables clinicgraph pre-binds in SPARQL constraints, as SPARQL terms. They are
    written into the query text, so a query's digest (what incremental validation keeps
    its findings by) changes with them: a date rule judged yesterday is judged again today."""
    checking = project.site.checks
    day = checking.day(today)
    kind = "yearMonthDuration" if checking.review_max_age[-1] in "YM" else "dayTimeDuration"
    return {
        "siteUrl": f"<{project.site.url}>",
        "today": f'"{day.isoformat()}"^^<{XSD}date>',
        "reviewMaxAge": f'"{checking.review_max_age}"^^<{XSD}{kind}>',
    }


def shape_queries(project: Project, shapes: Shapes, today: date | None = None) -> list[ShapeQuery]:
    """Every active rule's constraints, compiled to SPARQL for this project, judging
    dates against ``today`` (default: ``[checks] today``, else the day of the run)."""
    classes, queries, bound = _class_expander(project.vocabulary), [], bindings(project, today)
    for rule in shapes.rules:
        if rule.deactivated:
            continue
        _check_terms(rule, project.vocabulary)
        queries += [
            ShapeQuery(rule, constraint, query, bound)
            for constraint, query in compile_rule(rule, classes, bound)
        ]
    return queries


def focused(project: Project, query: ShapeQuery, focus: set[str]) -> ShapeQuery:
    """The same constraint, judging only the focus nodes among these IRIs."""
    compiled = compile_rule(query.rule, _class_expander(project.vocabulary), query.bindings, focus)
    return ShapeQuery(query.rule, query.constraint, dict(compiled)[query.constraint], query.bindings)


def query_findings(project: Project, query: ShapeQuery, where: Locator) -> list[Finding]:
    return [
        _diagnostic(query.rule, query.constraint, row, where) for row in project.store.query(query.sparql)
    ]


def merge_findings(findings) -> list[Diagnostic]:
    """One diagnostic per rule, node, property, value and constraint (the first by place),
    sorted by file, line and rule."""
    found: dict[tuple, Diagnostic] = {}
    for finding in findings:
        diagnostic = finding.diagnostic
        key = (diagnostic.rule, diagnostic.node, diagnostic.property, diagnostic.value, finding.component)
        if key not in found or diagnostic.sort_key() < found[key].sort_key():
            found[key] = diagnostic
    return sorted(found.values(), key=Diagnostic.sort_key)


def run_shapes(
    project: Project, shapes: Shapes, where: Locator | None = None, today: date | None = None
) -> list[Diagnostic]:
    """Every diagnostic of every active rule, sorted by file, line and rule."""
    return run_queries(project, shape_queries(project, shapes, today), where or Locator(project))


def run_queries(project: Project, queries: list[ShapeQuery], where: Locator) -> list[Diagnostic]:
    return merge_findings(finding for query in queries for finding in query_findings(project, query, where))


# -- building a diagnostic


def _diagnostic(rule: Rule, constraint: Constraint, row, where) -> Finding:
    focus, value, holder = row["this"], _get(row, "value"), None
    if constraint.component == "sparql":
        path = _get(row, "path")
        predicate = path.value if isinstance(path, NamedNode) else None
        prop = _term_name(predicate) if predicate else _property(rule)
        file, line = where(focus, predicate)
    elif constraint.component in ("minCount", "maxCount", "hasValue"):
        prop, (file, line) = _property(rule), where(focus)
    else:
        holder, chosen = _get(row, "holder"), _get(row, "predicate")
        predicate = chosen.value if isinstance(chosen, NamedNode) else holder_predicate(rule.path)
        prop = _term_name(chosen.value) if isinstance(chosen, NamedNode) else _property(rule)
        file, line = where(holder, predicate) if holder is not None else (None, None)
        if file is None:
            file, line = where(focus)
    shown = {"this": focus, "value": value}
    template = rule.message or _default_message(constraint, prop)
    diagnostic = Diagnostic(
        file,
        line,
        rule.id,
        rule.severity,
        _fill(template, row, shown),
        _fill(rule.hint, row, shown) if rule.hint else None,
        _node_id(focus),
        prop,
        _as_written(value) if value is not None else None,
    )
    anchors = (_node_id(focus),) if holder is None or holder == focus else (_node_id(focus), _node_id(holder))
    return Finding(diagnostic, constraint.component, anchors)


def _get(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError, TypeError):
        return None


def _property(rule: Rule) -> str | None:
    return path_text(rule.path, _term_name) if rule.path is not None else None


def _term_name(iri: str) -> str:
    return schema_term(iri) or iri


def _node_id(term) -> str:
    return f"_:{term.value}" if isinstance(term, BlankNode) else term.value


def _as_written(term) -> str:
    return term.value if isinstance(term, (Literal, NamedNode)) else _node_id(term)


def _shown(term) -> str:
    if isinstance(term, NamedNode):
        return _term_name(term.value)
    return term.value if isinstance(term, Literal) else _node_id(term) if term is not None else "?"


def _fill(template: str, row, shown: dict) -> str:
    """SHACL message templates: {?var} and {$var} become the value of that variable."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        return _shown(shown[name] if name in shown else _get(row, name))

    return re.sub(r"\{[?$](\w+)\}", value, template)


_DEFAULTS = {
    "minLength": "{p} {?value} is shorter than {n} characters",
    "maxLength": "{p} is longer than {n} characters",
    "pattern": "{p} {?value} does not have the expected form ({n})",
    "datatype": "{p} {?value} is not of datatype {n}",
    "nodeKind": "{p} {?value} is not {n}",
    "in": "{p} {?value} is not one of the allowed values",
    "hasValue": "{p} does not have the required value {n}",
    "class": "{p} {?value} is not a {n}",
    "sparql": "the data does not meet this rule",
}
_KINDS = {
    "IRI": "an IRI",
    "BlankNode": "a blank node",
    "Literal": "a literal",
    "BlankNodeOrIRI": "a node",
    "BlankNodeOrLiteral": "a blank node or literal",
    "IRIOrLiteral": "an IRI or literal",
}


def _default_message(c: Constraint, prop: str | None) -> str:
    p, n = prop or "the value", c.value
    if c.component == "minCount":
        return f"{p} is missing" if n == 1 else f"{p} has fewer than {n} values"
    if c.component == "maxCount":
        return f"{p} has more than {n} value{'s' * (n != 1)}"
    if c.component.endswith("clusive"):
        assert isinstance(n, (NamedNode, Literal))
        return f"{p} {{?value}} is outside the allowed range ({c.component} {n.value})"
    if c.component == "nodeKind":
        n = _KINDS[c.text.rsplit("#", 1)[1]]
    elif c.component in ("datatype", "class"):
        n = _term_name(c.text).replace(XSD, "xsd:")
    elif c.component == "hasValue":
        n = _shown(n)
    return _DEFAULTS[c.component].replace("{p}", p).replace("{n}", str(n))


# -- the project: vocabulary and source lines


def _class_expander(vocabulary: Vocabulary):
    def classes(iri: str) -> list[str]:
        name = schema_term(iri)
        if name is not None and vocabulary.is_type(name):
            return [SCHEMA + sub for sub in sorted(vocabulary.subtypes(name))]
        return [iri]

    return classes


def _check_terms(rule: Rule, vocabulary: Vocabulary) -> None:
    """A misspelt schema.org term in a shape would silently match nothing: refuse it."""
    terms = [(iri, "type") for iri in rule.targets.classes]
    terms += [(c.text, "type") for c in rule.constraints if c.component == "class"]
    terms += [(iri, "property") for iri in (*rule.targets.subjects_of, *rule.targets.objects_of)]
    stack = [rule.path] if rule.path is not None else []
    while stack:
        path = stack.pop()
        stack += path.items
        if path.iri is not None:  # a path of kind "iri"
            terms.append((path.iri, "property"))
    for iri, kind in terms:
        name = schema_term(iri)
        if name is not None and not vocabulary.knows(name):
            near = vocabulary.suggest(name, kind)
            raise SourceError(
                f"schema:{name} is not a schema.org {kind}" + (f" (did you mean {near}?)" if near else ""),
                rule.file,
                rule.line,
            )


_SAMPLE_BINDINGS = {
    "siteUrl": "<https://site.example/>",
    "today": f'"2026-01-01"^^<{XSD}date>',
    "reviewMaxAge": f'"P2Y"^^<{XSD}yearMonthDuration>',
}


def _check_queries(rule: Rule) -> None:
    """Compile the rule and parse its queries now, so a bad sh:select fails on load."""
    store = pyoxigraph.Store()
    try:
        for _, query in compile_rule(rule, lambda iri: [iri], _SAMPLE_BINDINGS):
            store.query(query)
    except (SyntaxError, ValueError) as err:
        what = re.sub(r"^Parser error (at|between) .*?: ", "", getattr(err, "msg", None) or str(err))
        raise SourceError(
            f"rule {rule.id}: the SPARQL query is invalid: {what}", rule.file, rule.line
        ) from None
    for c in rule.constraints:  # Oxigraph's regex dialect (Rust) lacks some of Python's
        if c.component == "pattern":
            test = f'SELECT (REGEX("", {sparql_string(c.text)}, {sparql_string(c.flags)}) AS ?ok) {{}}'
            solutions = store.query(test)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT's
            if next(iter(solutions))["ok"] is None:
                raise SourceError(
                    f"rule {rule.id}: sh:pattern {c.value!r} (flags {c.flags!r}) is not a regular "
                    "expression the store can run (no look-around or backreferences)",
                    rule.file,
                    rule.line,
                )
