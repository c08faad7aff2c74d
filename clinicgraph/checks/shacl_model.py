"""What the SHACL engine works with: rules, their paths and constraints, and a parsed
shapes file (shacl_read.py walks its shapes into rules).

A rule is one unit users can name and override: a property shape (its Core
constraints), a node shape's own Core constraints, or one ``sh:sparql`` constraint.
Anything SHACL defines that the engine does not run is refused with the file and a
line, never skipped: a shape that is silently not checked is worse than an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.core.errors import SourceError
from clinicgraph.vocab.namespaces import RDF, RDF_TYPE, normalize_schema_iri

SH = "http://www.w3.org/ns/shacl#"
CG = "urn:clinicgraph:shacl#"
SEVERITIES = {SH + "Violation": "error", SH + "Warning": "warning", SH + "Info": "info"}
NODE_KINDS = {"IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral"}

# Core constraint parameters the engine compiles (shacl_sparql.py), by local name.
CORE = {
    "minCount",
    "maxCount",
    "minLength",
    "maxLength",
    "pattern",
    "datatype",
    "nodeKind",
    "in",
    "hasValue",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "class",
}
_INTEGER = {"minCount", "maxCount", "minLength", "maxLength"}
_IRI = {"datatype", "nodeKind", "class"}
_TARGETS = {"targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "target"}
_INFORMATIVE = {"name", "description", "order", "group", "defaultValue"}  # change nothing
_SHAPE_KEYS = (
    CORE
    | _TARGETS
    | _INFORMATIVE
    | {"flags", "severity", "message", "deactivated", "sparql", "property", "path"}
)
_SPARQL_KEYS = {"select", "message", "prefixes", "deactivated"}
_SPARQL_TARGET_KEYS = {"select", "prefixes"}  # of a SHACL-AF sh:SPARQLTarget
_PATH_KINDS = {
    "alternativePath": "alt",
    "inversePath": "inv",
    "zeroOrMorePath": "*",
    "oneOrMorePath": "+",
    "zeroOrOnePath": "?",
}
_CG_KEYS = {"rule", "hint", "cites"}


@dataclass(frozen=True)
class PropertyPath:
    kind: str  # "iri", "seq", "alt", "inv", "*", "+" or "?"
    iri: str | None = None  # for "iri"
    items: tuple[PropertyPath, ...] = ()  # the sub-paths of every other kind


@dataclass(frozen=True)
class TargetQuery:
    """A SHACL-AF SPARQL-based target (``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``):
    the nodes its SELECT returns as ?this."""

    select: str
    prefixes: tuple[tuple[str, str], ...] = ()  # (prefix, namespace) pairs


@dataclass(frozen=True)
class Targets:
    classes: tuple[str, ...] = ()
    subjects_of: tuple[str, ...] = ()
    objects_of: tuple[str, ...] = ()
    nodes: tuple[object, ...] = ()  # pyoxigraph terms
    queries: tuple[TargetQuery, ...] = ()


@dataclass(frozen=True)
class Constraint:
    component: str  # a CORE name, or "sparql"
    # its parameter (literal_value): an int for counts and lengths, a str for an IRI, a
    # pattern or (for "sparql") the SELECT query, terms for sh:in, else a term
    value: int | str | tuple[NamedNode | Literal, ...] | NamedNode | Literal
    flags: str = ""  # sh:flags of sh:pattern
    prefixes: tuple[tuple[str, str], ...] = ()  # "sparql": (prefix, namespace) pairs

    @property
    def text(self) -> str:
        """The parameter of a component that takes an IRI or a string."""
        assert isinstance(self.value, str), self.component
        return self.value


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error", "warning" or "info"
    targets: Targets
    path: PropertyPath | None  # None: the constraints apply to the focus node itself
    constraints: tuple[Constraint, ...]
    message: str | None
    hint: str | None
    file: str
    line: int | None
    deactivated: bool = False
    cites: str | None = None  # cg:cites: the documentation the rule follows (its own, else its shape's)


class ShapeFile:
    """One parsed Turtle file, indexed by subject, with what is needed to name lines."""

    def __init__(self, path: Path):
        self.path = path
        try:
            text = path.read_text("utf-8")
            parser = pyoxigraph.parse(
                text, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
            )
            quads = list(parser)
        except SyntaxError as err:
            what = re.sub(r"^Parser error (at|between) .*?: ", "", err.msg or str(err))
            raise SourceError(
                f"invalid Turtle in a shapes file: {what}", path, err.lineno, err.offset
            ) from None
        except (OSError, UnicodeDecodeError) as err:
            reason = getattr(err, "strerror", None) or err
            raise SourceError(f"cannot read the shapes file: {reason}", path) from None
        self.lines = text.splitlines()
        self.prefixes = {p: normalize_schema_iri(ns) for p, ns in parser.prefixes.items()}
        self.index: dict[object, dict[str, list]] = {}
        for quad in quads:
            props = self.index.setdefault(_normal(quad.subject), {})
            props.setdefault(normalize_schema_iri(quad.predicate.value), []).append(_normal(quad.object))

    def objects(self, node, predicate: str) -> list:
        return self.index.get(node, {}).get(predicate, [])

    def one(self, node, predicate: str):
        values = self.objects(node, predicate)
        if len(values) > 1:
            raise self.error(f"{self.compact(predicate)} is given {len(values)} times; expected once", node)
        return values[0] if values else None

    def items(self, node) -> list:
        """The members of an RDF list."""
        if not isinstance(node, (NamedNode, BlankNode)):
            raise self.error("expected an RDF list ( ... )", node)
        found, seen = [], set()
        while isinstance(node, (NamedNode, BlankNode)) and node.value != RDF + "nil" and node not in seen:
            seen.add(node)
            first = self.one(node, RDF + "first")
            if first is None:
                raise self.error("expected an RDF list ( ... )", node)
            found.append(first)
            node = self.one(node, RDF + "rest")
        return found

    def compact(self, iri: str) -> str:
        for prefix, ns in sorted(self.prefixes.items(), key=lambda item: -len(item[1])):
            if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns) :]):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"

    def line_of(self, node, after: int | None = None, needle: str | None = None) -> int | None:
        """The line naming ``needle`` (a term), at or after ``after``; else that of a
        named ``node``. Turtle parsers keep no positions, so this searches the text."""
        candidates = []
        if needle is not None:
            candidates += [self.compact(needle), f"<{needle}>"]
        if isinstance(node, NamedNode):
            candidates += [self.compact(node.value), f"<{node.value}>"]
        start = (after or 1) - 1
        for wanted in candidates:
            pattern = re.compile(r"(?<![\w:/#-])" + re.escape(wanted) + r"(?![\w-])")
            for number in range(start, len(self.lines)):
                if pattern.search(re.sub(r"(^|\s)#.*", "", self.lines[number])):  # not in comments
                    return number + 1
        return after

    def error(
        self, message: str, node=None, after: int | None = None, needle: str | None = None
    ) -> SourceError:
        return SourceError(message, self.path, self.line_of(node, after, needle))


def _normal(term):
    """schema.org IRIs in either spelling become http://schema.org/ (the graph's form)."""
    if isinstance(term, NamedNode):
        return NamedNode(normalize_schema_iri(term.value))
    return term


def local(iri: str, namespace: str) -> str | None:
    return iri[len(namespace) :] if iri.startswith(namespace) else None


def read_path(shapes: ShapeFile, node, line: int | None) -> PropertyPath:
    """A SHACL property path: an IRI, a list (sequence), or a blank node naming its kind."""
    if isinstance(node, NamedNode):
        return PropertyPath("iri", iri=node.value)
    if isinstance(node, BlankNode) and shapes.objects(node, RDF + "first"):
        return PropertyPath("seq", items=tuple(read_path(shapes, n, line) for n in shapes.items(node)))
    props = shapes.index.get(node, {}) if isinstance(node, BlankNode) else {}
    kinds = [p for p in props if local(p, SH) in _PATH_KINDS]
    if len(props) != 1 or len(kinds) != 1:
        raise shapes.error(
            "unsupported sh:path: use an IRI, a list (sequence path), sh:inversePath, "
            "sh:alternativePath, sh:zeroOrMorePath, sh:oneOrMorePath or sh:zeroOrOnePath",
            after=line,
            needle=SH + "path",
        )
    kind, inner = _PATH_KINDS[kinds[0].removeprefix(SH)], shapes.one(node, kinds[0])
    if kind == "alt":
        return PropertyPath("alt", items=tuple(read_path(shapes, n, line) for n in shapes.items(inner)))
    return PropertyPath(kind, items=(read_path(shapes, inner, line),))


def check_keys(shapes: ShapeFile, node, allowed: set[str], line: int | None, what: str) -> None:
    """Refuse any sh: or cg: term the engine does not run, naming the line."""
    for predicate in shapes.index.get(node, {}):
        if predicate == RDF_TYPE or not (predicate.startswith(SH) or predicate.startswith(CG)):
            continue  # rdfs:comment, rdfs:label and other annotations are fine
        name = local(predicate, SH)
        if (name is not None and name not in allowed) or (
            name is None and local(predicate, CG) not in _CG_KEYS
        ):
            raise shapes.error(
                f"{shapes.compact(predicate)} on {what} is not supported by clinicgraph's SHACL engine",
                after=line,
                needle=predicate,
            )


def literal_value(shapes: ShapeFile, term, name: str, line: int | None):
    """The Python value of a constraint parameter, checked for its kind."""
    if name in _INTEGER:
        if isinstance(term, Literal) and re.fullmatch(r"\+?\d+", term.value):
            return int(term.value)
        raise shapes.error(f"sh:{name} takes a non-negative integer", after=line, needle=SH + name)
    if name in _IRI:
        if not isinstance(term, NamedNode) or (
            name == "nodeKind" and local(term.value, SH) not in NODE_KINDS
        ):
            such = " such as sh:IRI or sh:Literal" if name == "nodeKind" else ""
            raise shapes.error(f"sh:{name} takes an IRI{such}", after=line, needle=SH + name)
        return term.value
    if name == "pattern":
        if not isinstance(term, Literal):
            raise shapes.error("sh:pattern takes a string", after=line, needle=SH + name)
        try:
            re.compile(term.value)
        except re.error as err:
            raise shapes.error(
                f"sh:pattern is not a valid regular expression: {err}", after=line, needle=SH + name
            ) from None
        return term.value
    if name == "in":
        values = tuple(shapes.items(term))
        if any(isinstance(v, BlankNode) for v in values):
            raise shapes.error("sh:in lists IRIs and literals only", after=line, needle=SH + name)
        return values
    if isinstance(term, BlankNode):
        raise shapes.error(f"sh:{name} takes an IRI or a literal", after=line, needle=SH + name)
    return term
