"""Walking the shapes of one file into rules (see shacl_model.py for what a rule is)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode

from clinicgraph.checks.shacl_model import (
    _SHAPE_KEYS,
    _SPARQL_KEYS,
    _SPARQL_TARGET_KEYS,
    _TARGETS,
    CG,
    CORE,
    SEVERITIES,
    SH,
    Constraint,
    PropertyPath,
    Rule,
    ShapeFile,
    TargetQuery,
    Targets,
    check_keys,
    literal_value,
    local,
    read_path,
)
from clinicgraph.vocab.namespaces import RDF_TYPE, RDFS, normalize_schema_iri

_UNSUPPORTED_VARIABLES = ("$currentShape", "$shapesGraph")


def read_rules(path: Path) -> list[Rule]:
    """Every rule of a shapes file, in a stable order."""
    shapes = ShapeFile(path)
    rules: list[Rule] = []
    for node in _roots(shapes):
        rules += _read_shape(shapes, node, None, None, None, False, None)
    # Blank node ids change from parse to parse: order by where rules are written.
    return sorted(rules, key=lambda r: (r.line or 0, r.id, str(r.targets), str(r.path), str(r.constraints)))


def path_text(path: PropertyPath, name) -> str:
    """A path written for people: ``reviewRating.ratingValue``, ``^review``, ``a|b``."""
    if path.kind == "iri":
        return name(path.iri)
    parts = [path_text(item, name) for item in path.items]
    if path.kind == "seq":
        return ".".join(parts)
    if path.kind == "alt":
        return "(" + "|".join(parts) + ")"
    return "^" + parts[0] if path.kind == "inv" else f"({parts[0]}){path.kind}"


def _roots(shapes: ShapeFile) -> list:
    """Shapes with targets of their own, explicit or implicit (a shape that is a class),
    and free-standing rules such as ``[] cg:rule "google/x" ; sh:deactivated true``."""
    children = {
        child
        for props in shapes.index.values()
        for child in props.get(SH + "property", []) + props.get(SH + "sparql", [])
    }
    roots = []
    for subject, props in shapes.index.items():
        types = {t.value for t in props.get(RDF_TYPE, ()) if isinstance(t, NamedNode)}
        if (
            any(local(p, SH) in _TARGETS for p in props)
            or _implicit_class(types)
            or (CG + "rule" in props and subject not in children)
        ):
            roots.append(subject)
    return roots


def _implicit_class(types: set[str]) -> bool:
    return RDFS + "Class" in types and bool({SH + "NodeShape", SH + "PropertyShape"} & types)


def _targets(shapes: ShapeFile, node, line: int | None) -> Targets:
    def iris(name: str) -> tuple[str, ...]:
        values = shapes.objects(node, SH + name)
        if any(not isinstance(v, NamedNode) for v in values):
            raise shapes.error(f"sh:{name} takes IRIs", after=line, needle=SH + name)
        return tuple(sorted(v.value for v in values))

    classes = iris("targetClass")
    types = {t.value for t in shapes.objects(node, RDF_TYPE) if isinstance(t, NamedNode)}
    if isinstance(node, NamedNode) and _implicit_class(types):
        classes = tuple(sorted({*classes, node.value}))
    nodes = tuple(sorted(shapes.objects(node, SH + "targetNode"), key=str))
    queries = tuple(_target_query(shapes, target, line) for target in shapes.objects(node, SH + "target"))
    return Targets(
        classes, iris("targetSubjectsOf"), iris("targetObjectsOf"), nodes, tuple(sorted(queries, key=str))
    )


def _target_query(shapes: ShapeFile, node, line: int | None) -> TargetQuery:
    """A SHACL-AF SPARQL-based target; other custom targets (target types) are refused."""
    types = {t.value for t in shapes.objects(node, RDF_TYPE) if isinstance(t, NamedNode)}
    select = shapes.one(node, SH + "select")
    if types - {SH + "SPARQLTarget"} or not isinstance(select, Literal):
        raise shapes.error(
            'sh:target takes a SPARQL-based target: [ a sh:SPARQLTarget ; sh:select "SELECT ?this ..." ]',
            after=line,
            needle=SH + "target",
        )
    check_keys(shapes, node, _SPARQL_TARGET_KEYS, line, "a SPARQL-based target")
    return TargetQuery(select.value, _prefixes(shapes, node, line))


def _text(shapes: ShapeFile, node, predicate: str, line: int | None) -> str | None:
    """A string annotation; of several languages, the untagged or English one."""
    values = shapes.objects(node, predicate)
    if any(not isinstance(v, Literal) for v in values):
        raise shapes.error(f"{shapes.compact(predicate)} takes a string", after=line, needle=predicate)
    values.sort(key=lambda v: (v.language not in (None, "en"), v.language or "", v.value))
    return values[0].value if values else None


def _flag(shapes: ShapeFile, node, name: str) -> bool:
    value = shapes.one(node, SH + name)
    return isinstance(value, Literal) and value.value in ("true", "1")


def _read_shape(
    shapes: ShapeFile,
    node,
    targets: Targets | None,
    parent_id: str | None,
    parent_line: int | None,
    parent_off: bool,
    parent_cites: str | None,
) -> list[Rule]:
    """The rules of a shape (and of its property shapes); ``targets`` is None for a root."""
    own_id = _text(shapes, node, CG + "rule", parent_line)
    line = parent_line  # where the shape is written: its cg:rule, its IRI, or its parent
    if own_id is not None:
        line = _line_of_string(shapes, own_id, parent_line) or line
    elif isinstance(node, NamedNode):
        line = shapes.line_of(node) or line
    is_property = bool(shapes.objects(node, SH + "path"))
    check_keys(
        shapes,
        node,
        _SHAPE_KEYS - ({"property"} if is_property else {"path"}),
        line,
        "a property shape" if is_property else "a node shape",
    )
    targets = _targets(shapes, node, line) if targets is None else targets
    path = read_path(shapes, shapes.one(node, SH + "path"), line) if is_property else None
    rule_id = own_id or _derived_id(shapes, node, path, parent_id, line)
    severity_term = shapes.one(node, SH + "severity")
    if severity_term is not None and (
        not isinstance(severity_term, NamedNode) or severity_term.value not in SEVERITIES
    ):
        raise shapes.error(
            "sh:severity must be sh:Violation, sh:Warning or sh:Info", after=line, needle=SH + "severity"
        )
    severity = SEVERITIES[severity_term.value] if severity_term is not None else "error"
    message, hint = _text(shapes, node, SH + "message", line), _text(shapes, node, CG + "hint", line)
    off = parent_off or _flag(shapes, node, "deactivated")
    cites = _text(shapes, node, CG + "cites", line) or parent_cites

    constraints = _core(shapes, node, is_property, line)
    rules = []
    if constraints or (own_id is not None and not shapes.objects(node, SH + "sparql")):
        rules.append(
            Rule(
                rule_id,
                severity,
                targets,
                path,
                tuple(constraints),
                message,
                hint,
                str(shapes.path),
                line,
                off,
                cites,
            )
        )
    for sparql in sorted(shapes.objects(node, SH + "sparql"), key=str):
        rules.append(
            _read_sparql(
                shapes,
                sparql,
                rule_id,
                own_id is not None,
                severity,
                targets,
                path,
                message,
                hint,
                line,
                off,
                cites,
            )
        )
    for prop in sorted(shapes.objects(node, SH + "property"), key=str):
        if not shapes.objects(prop, SH + "path"):
            raise shapes.error("a property shape needs sh:path", prop, line, SH + "property")
        rules += _read_shape(shapes, prop, targets, rule_id, line, off, cites)
    return rules


def _line_of_string(shapes: ShapeFile, text: str, after: int | None = None) -> int | None:
    """The line of a quoted string (a cg:rule id), at or after line ``after``."""
    quoted = f'"{text}"'
    return next(
        (n + 1 for n, line in enumerate(shapes.lines) if quoted in line and n + 1 >= (after or 1)), None
    )


def _derived_id(
    shapes: ShapeFile, node, path: PropertyPath | None, parent_id: str | None, line: int | None
) -> str:
    """A rule id for a shape without cg:rule: its IRI, or its parent's id and its path."""
    if isinstance(node, NamedNode):
        return shapes.compact(node.value)
    if parent_id is not None and path is not None:
        return parent_id + "/" + path_text(path, lambda iri: shapes.compact(iri).removeprefix("schema:"))
    raise shapes.error(
        "give this shape an IRI or a cg:rule, so its diagnostics have a rule id",
        after=line,
        needle=SH + "targetClass",
    )


def _core(shapes: ShapeFile, node, is_property: bool, line: int | None) -> list[Constraint]:
    found = []
    flags = [f.value for f in shapes.objects(node, SH + "flags") if isinstance(f, Literal)]
    if flags and not shapes.objects(node, SH + "pattern"):
        raise shapes.error("sh:flags needs sh:pattern", after=line, needle=SH + "flags")
    for name in sorted(CORE):
        if name in ("minCount", "maxCount") and not is_property and shapes.objects(node, SH + name):
            raise shapes.error(
                f"sh:{name} belongs on a property shape (with sh:path)", after=line, needle=SH + name
            )
        for term in sorted(shapes.objects(node, SH + name), key=str):
            found.append(
                Constraint(
                    name,
                    literal_value(shapes, term, name, line),
                    flags="".join(flags) if name == "pattern" else "",
                )
            )
    return found


def _read_sparql(
    shapes: ShapeFile,
    node,
    shape_id: str,
    shape_named: bool,
    severity: str,
    targets: Targets,
    path: PropertyPath | None,
    message: str | None,
    hint: str | None,
    line: int | None,
    off: bool,
    cites: str | None,
) -> Rule:
    own_id = _text(shapes, node, CG + "rule", line)
    if own_id is not None:
        line = _line_of_string(shapes, own_id, line) or line
    check_keys(shapes, node, _SPARQL_KEYS, line, "a SPARQL constraint")
    off = off or _flag(shapes, node, "deactivated")
    rule_id = own_id or (shape_id if shape_named else shape_id + "/sparql")
    cites = _text(shapes, node, CG + "cites", line) or cites
    select = shapes.one(node, SH + "select")
    if select is None and off:  # switched off: the query does not matter
        return Rule(rule_id, severity, targets, path, (), message, hint, str(shapes.path), line, off, cites)
    if not isinstance(select, Literal):
        raise shapes.error(
            "a SPARQL constraint needs sh:select (a SELECT query as a string)",
            after=line,
            needle=SH + "sparql",
        )
    for variable in _UNSUPPORTED_VARIABLES + (() if path is not None else ("$PATH",)):
        if variable in select.value:
            raise shapes.error(
                f"{variable} is not supported in sh:select here", after=line, needle=SH + "select"
            )
    constraint = Constraint("sparql", select.value, prefixes=_prefixes(shapes, node, line))
    return Rule(
        rule_id,
        severity,
        targets,
        path,
        (constraint,),
        _text(shapes, node, SH + "message", line) or message,
        _text(shapes, node, CG + "hint", line) or hint,
        str(shapes.path),
        line,
        off,
        cites,
    )


def _prefixes(shapes: ShapeFile, node, line: int | None) -> tuple[tuple[str, str], ...]:
    """The (prefix, namespace) pairs a SPARQL query's ``sh:prefixes`` declare."""
    prefixes = []
    for holder in shapes.objects(node, SH + "prefixes"):
        for declaration in shapes.objects(holder, SH + "declare"):
            prefix, namespace = (shapes.one(declaration, SH + k) for k in ("prefix", "namespace"))
            if not isinstance(prefix, Literal) or not isinstance(namespace, Literal | NamedNode):
                raise shapes.error(
                    "sh:declare needs sh:prefix and sh:namespace", after=line, needle=SH + "declare"
                )
            prefixes.append((prefix.value, normalize_schema_iri(namespace.value)))
    return tuple(sorted(set(prefixes)))
