"""Compiling rules to SPARQL SELECT queries over the store (the union of source graphs).

Every query returns the focus node as ?this. Value constraints also return ?value,
?holder (the node holding the value: the subject of the path's last predicate) and,
for a choice of predicates (a|b), ?predicate, so a diagnostic can point at the line
where the value was written. A SPARQL constraint returns what its own SELECT returns,
with the targets joined in first, where SHACL pre-binds $this. A SPARQL-based target
(SHACL-AF) is a subquery among the targets. clinicgraph's own pre-bound variables
(``$siteUrl``, ``$today`` ...: ``Bindings``) are written into the query as the terms they
stand for.

The store holds no class hierarchy: sh:targetClass and sh:class are compiled with
every subclass the schema.org vocabulary knows, and in a SPARQL query (a constraint's
or a target's) SHACL's own test for "an instance of C", ``?x a/rdfs:subClassOf* C``
written as a triple of its own, becomes ``{ ?x a ?type . VALUES ?type { C and its
subclasses } }``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from clinicgraph.checks.shacl_model import Constraint, PropertyPath, Rule, TargetQuery, Targets
from clinicgraph.vocab.namespaces import RDF_TYPE, RDFS, normalize_schema_iri

ClassExpander = Callable[[str], Iterable[str]]  # a class IRI -> it and its subclasses
Bindings = Mapping[str, str]  # a pre-bound variable's name -> the SPARQL term it stands for

_NODE_KINDS = {
    "IRI": "isIRI(?value)",
    "BlankNode": "isBlank(?value)",
    "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "!isLiteral(?value)",
    "BlankNodeOrLiteral": "!isIRI(?value)",
    "IRIOrLiteral": "!isBlank(?value)",
}
_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


def compile_rule(
    rule: Rule, classes: ClassExpander, bindings: Bindings, focus: Iterable[str] | None = None
) -> list[tuple[Constraint, str]]:
    """One query per constraint; none when the rule targets nothing. With ``focus``
    (IRIs), only those of the focus nodes are judged."""
    target = target_pattern(rule.targets, classes, bindings, focus)
    if target is None:
        return []
    targets = [p for query in rule.targets.queries for p in query.prefixes]
    return [
        (c, _prologue([*targets, *c.prefixes]) + compile_constraint(c, rule.path, target, classes, bindings))
        for c in rule.constraints
    ]


def target_pattern(
    targets: Targets, classes: ClassExpander, bindings: Bindings, focus: Iterable[str] | None = None
) -> str | None:
    """A subquery binding ?this to each focus node once (of ``focus``, if given); the
    prefixes of SPARQL-based targets are the caller's to declare."""
    parts = [f"{{ {_target_select(query, classes, bindings)} }}" for query in targets.queries]
    expanded = sorted({c for name in targets.classes for c in classes(name)})
    if expanded:
        parts.append("{ VALUES ?targetClass { %s } ?this a ?targetClass }" % _iris(expanded))
    parts += [f"{{ ?this <{p}> ?targetAny }}" for p in targets.subjects_of]
    parts += [f"{{ ?targetAny <{p}> ?this }}" for p in targets.objects_of]
    if targets.nodes:
        parts.append("{ VALUES ?this { %s } }" % " ".join(str(n) for n in targets.nodes))
    if not parts:
        return None
    only = "VALUES ?this { %s } " % _iris(sorted(focus)) if focus is not None else ""
    return "{ SELECT DISTINCT ?this WHERE { " + only + " UNION ".join(parts) + " } }"


def path_sparql(path: PropertyPath) -> str:
    if path.kind == "iri":
        return f"<{path.iri}>"
    parts = [path_sparql(item) for item in path.items]
    if path.kind == "seq":
        return "(" + "/".join(parts) + ")"
    if path.kind == "alt":
        return "(" + "|".join(parts) + ")"
    return f"^({parts[0]})" if path.kind == "inv" else f"({parts[0]}){path.kind}"


def path_pattern(
    subject: str, path: PropertyPath, obj: str, fresh: list[int], nest: bool = False, tail: str = ""
) -> str:
    """The path as triple patterns where it can be (Oxigraph plans those better than
    path syntax), then ``tail``; ``fresh`` numbers new variables. With ``nest``, each
    step of a sequence is an EXISTS inside the one before: inside NOT EXISTS, Oxigraph
    runs a two-step join over the whole store for every focus node, but nested steps
    as lookups."""
    if path.kind == "iri":
        return f"{subject} <{path.iri}> {obj} . {tail}".rstrip()
    if path.kind == "inv":
        return path_pattern(obj, path.items[0], subject, fresh, nest, tail)
    if path.kind == "alt":
        return " UNION ".join(
            "{ " + path_pattern(subject, item, obj, fresh, nest, tail) + " }" for item in path.items
        )
    if path.kind == "seq":
        fresh.append(len(fresh))
        step, rest = f"?step{fresh[-1]}", path.items[1:]
        rest_path = rest[0] if len(rest) == 1 else PropertyPath("seq", items=rest)
        inner = path_pattern(step, rest_path, obj, fresh, nest, tail)
        if nest:
            return path_pattern(subject, path.items[0], step, fresh, nest, f"FILTER EXISTS {{ {inner} }}")
        return path_pattern(subject, path.items[0], step, fresh) + " " + inner
    return f"{subject} {path_sparql(path)} {obj} . {tail}".rstrip()


def holder_predicate(path: PropertyPath | None) -> str | None:
    """The predicate whose subject holds the value: the path's last step, if an IRI."""
    if path is not None and path.kind == "seq":
        path = path.items[-1]
    return path.iri if path is not None and path.kind == "iri" else None


def compile_constraint(
    c: Constraint, path: PropertyPath | None, target: str, classes: ClassExpander, bindings: Bindings
) -> str:
    if c.component == "sparql":
        return _sparql(c, path, target, classes, bindings)
    if c.component in ("minCount", "maxCount"):
        assert path is not None  # shacl_read refuses counts on a node shape (without sh:path)
        if c.component == "minCount" and c.value == 1:  # the common case, without counting
            values = path_pattern("?this", path, "?value", [], nest=True)
            return f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ {values} }} }}"
        return _count(c, path_pattern("?this", path, "?value", []), target)
    if c.component == "hasValue":
        test = (
            f"!sameTerm(?this, {c.value})"
            if path is None
            else "NOT EXISTS { "
            + path_pattern("?this", path, "?value", [], True, f"FILTER (sameTerm(?value, {c.value}))")
            + " }"
        )
        return f"SELECT ?this WHERE {{ {target} FILTER ({test}) }}"
    if c.component == "class":  # MINUS: one anti-join, where NOT EXISTS asks the store once per value
        test = "MINUS { VALUES ?valueClass { %s } ?value a ?valueClass }" % _iris(
            sorted(set(classes(c.text)))
        )
    else:
        test = f"FILTER ({_violation(c)})"
    return f"SELECT DISTINCT ?this ?value ?holder ?predicate WHERE {{ {target} {_values(path)} {test} }}"


def _count(c: Constraint, values: str, target: str) -> str:
    """``values``: the pattern binding ?value to the focus node's values."""
    values = f"OPTIONAL {{ {values} }}" if c.component == "minCount" else f"{{ {values} }}"
    test = "<" if c.component == "minCount" else ">"
    return (
        f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE {{ "
        f"{target} {values} }} GROUP BY ?this }} FILTER (?count {test} {c.value}) }}"
    )


def _values(path: PropertyPath | None) -> str:
    """Bind ?value to each value node (and ?holder to the node holding it)."""
    if path is None:
        return "BIND (?this AS ?value) BIND (?this AS ?holder)"
    if path.kind == "iri":
        return f"?this <{path.iri}> ?value . BIND (?this AS ?holder)"
    if path.kind == "seq" and path.items[-1].kind == "iri":
        head = path.items[0] if len(path.items) == 2 else PropertyPath("seq", items=path.items[:-1])
        return f"{path_pattern('?this', head, '?holder', [])} ?holder <{path.items[-1].iri}> ?value ."
    if path.kind == "alt" and all(item.kind == "iri" for item in path.items):
        return " UNION ".join(
            f"{{ ?this <{item.iri}> ?value . BIND (?this AS ?holder) BIND (<{item.iri}> AS ?predicate) }}"
            for item in path.items
        )
    return path_pattern("?this", path, "?value", [])


def _violation(c: Constraint) -> str:
    """A SPARQL expression true when ?value breaks the constraint (SHACL Core semantics)."""
    name, value = c.component, c.value
    if name in ("minLength", "maxLength"):
        return f"isBlank(?value) || STRLEN(STR(?value)) {'<' if name == 'minLength' else '>'} {value}"
    if name == "pattern":
        return f"isBlank(?value) || !REGEX(STR(?value), {sparql_string(c.text)}, {sparql_string(c.flags)})"
    if name == "datatype":
        return f"!isLiteral(?value) || !sameTerm(DATATYPE(?value), <{value}>)"
    if name == "nodeKind":
        return "!(" + _NODE_KINDS[c.text.rsplit("#", 1)[1]] + ")"
    if name == "in":
        assert isinstance(value, tuple)  # sh:in's terms
        return "!(" + (" || ".join(f"sameTerm(?value, {v})" for v in value) or "false") + ")"
    if name in _COMPARE:  # not comparable (a string against a number) is a violation too
        return f"!COALESCE(?value {_COMPARE[name]} {value}, false)"
    raise ValueError(f"no SPARQL for sh:{name}")  # shacl_model.CORE and this list agree


def rule_footprint(
    rule: Rule, constraint: Constraint, bindings: Bindings, parse
) -> tuple[frozenset[str] | None, bool]:
    """The predicates a compiled constraint reads (None: any), and whether a focus
    node's results depend only on its own triples. Its targets read theirs (rdf:type
    for classes), its path its predicates, sh:class rdf:type, and a SPARQL constraint
    what ``parse(query)`` (a ``graph.query_footprint.Footprint``) finds in its own query."""
    found = set(rule.targets.subjects_of) | set(rule.targets.objects_of) | path_predicates(rule.path)
    if rule.targets.classes or constraint.component == "class":
        found.add(RDF_TYPE)
    reads = [
        parse(_prologue(q.prefixes) + _target_select(q, _itself, bindings)).reads
        for q in rule.targets.queries
    ]
    own = parse(sparql_body(constraint, rule.path, bindings)) if constraint.component == "sparql" else None
    reads.append(own.reads if own is not None else frozenset())
    # which nodes a SPARQL-based target returns depends on other nodes' triples
    focus_only = own is not None and own.focus_only and not rule.targets.queries
    if any(read is None for read in reads):
        return None, focus_only  # ``$this ?p ?o``: any predicate, but the focus node's own
    return frozenset(found.union(*reads)), focus_only


def sparql_body(c: Constraint, path: PropertyPath | None, bindings: Bindings) -> str:
    """A SPARQL constraint's own query, as it runs but without the targets (and each
    instance test of a class for that class alone: it reads the same predicates)."""
    return _prologue(c.prefixes) + _sparql(c, path, "", _itself, bindings)


def _itself(iri: str) -> list[str]:
    return [iri]


def path_predicates(path: PropertyPath | None) -> set[str]:
    """The predicate IRIs a path walks."""
    if path is None:
        return set()
    return {path.iri} if path.iri is not None else {p for item in path.items for p in path_predicates(item)}


def _sparql(
    c: Constraint, path: PropertyPath | None, target: str, classes: ClassExpander, bindings: Bindings
) -> str:
    """The constraint's SELECT with the targets joined in first, where $this is bound
    (its prefixes are the caller's to declare)."""
    query = c.text
    if path is not None:
        query = query.replace("$PATH", path_sparql(path))
    query = _bound(query, c.prefixes, classes, bindings)
    select = _select_keyword(query)
    brace = query.find("{", select.end()) if select else -1
    if select is None or brace < 0:
        raise ValueError("sh:select must be a SELECT query")
    projection = query[select.end() : brace]
    if "*" not in projection and not re.search(r"\?this\b", projection):  # the focus must come back
        found = re.match(r"\s*(DISTINCT|REDUCED)?", projection, re.IGNORECASE)
        assert found is not None  # it matches the empty string too
        modifier = found.end()
        projection = projection[:modifier] + " ?this " + projection[modifier:]
    return query[: select.end()] + projection + "{ " + target + " " + query[brace + 1 :]


def _target_select(query: TargetQuery, classes: ClassExpander, bindings: Bindings) -> str:
    """A SPARQL-based target's SELECT, as a subquery of the targets: it must return ?this."""
    select = _bound(query.select, query.prefixes, classes, bindings)
    keyword = _select_keyword(select)
    brace = select.find("{", keyword.end()) if keyword else -1
    if keyword is None or brace < 0 or not re.search(r"\?this\b|\*", select[keyword.end() : brace]):
        raise ValueError("a SPARQL-based target's sh:select must be a SELECT query returning ?this")
    return select


def _prologue(prefixes: Iterable[tuple[str, str]]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(set(prefixes)))


def bind(query: str, bindings: Bindings) -> str:
    """The query with each pre-bound ``$name`` written as the term it stands for."""
    if not bindings:
        return query
    pattern = r"\$(" + "|".join(map(re.escape, bindings)) + r")\b"
    return re.sub(pattern, lambda found: bindings[found.group(1)], query)


def _bound(
    query: str, prefixes: tuple[tuple[str, str], ...], classes: ClassExpander, bindings: Bindings
) -> str:
    """A shape's SPARQL as it runs: $this is ?this, clinicgraph's pre-bound variables
    (``bind``) their terms, each instance test of a class expanded to its subclasses."""
    query = bind(query, bindings)
    query = re.sub(r"[$?]this\b", "?this", query)
    namespaces = dict(prefixes) | dict(
        re.findall(r"PREFIX\s+([\w.-]*):\s*<([^<>\s]*)>", query, re.IGNORECASE)
    )
    fresh = iter(range(1, 1 << 30))

    def instances(found: re.Match[str]) -> str:
        written = found.group("cls")
        if written.startswith("<"):
            iri = written[1:-1]
        elif written.split(":", 1)[0] in namespaces:
            iri = namespaces[written.split(":", 1)[0]] + written.split(":", 1)[1]
        else:
            return found.group()  # an undeclared prefix: refused below
        variable = f"?instanceClass{next(fresh)}"
        expanded = _iris(sorted(set(classes(normalize_schema_iri(iri)))))
        return f"{{ {found.group('node')} a {variable} . VALUES {variable} {{ {expanded} }} }} "

    query = _INSTANCE.sub(instances, query)
    if _SUBCLASS.search(query):
        raise ValueError(
            "write the test for an instance of a class, ?x a/rdfs:subClassOf* C, as a triple of its "
            "own (ended by '.'), C an IRI or a declared prefixed name: the store holds no class "
            "hierarchy and clinicgraph expands that form"
        )
    return query


_SUBCLASS = re.compile(r"rdfs:subClassOf|<" + re.escape(RDFS) + r"subClassOf>")
_INSTANCE = re.compile(
    r"(?P<node>[?$]\w+)\s+(?:a|rdf:type|<"
    + re.escape(RDF_TYPE)
    + r">)\s*/\s*(?:"
    + _SUBCLASS.pattern
    + r")\*\s+(?P<cls><[^<>\s]*>|[A-Za-z][\w-]*:[\w.-]*[\w-]|[A-Za-z][\w-]*:)\s*(?:\.|(?=\}))"
)


# What may hide the word SELECT: an IRI, a string (long or short), a comment; else the word.
_SELECT_OR_HIDING = re.compile(
    r"""<[^<>"{}|^`\\\x00-\x20]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n\r]|\\.)*'"""
    r"""|"(?:[^"\\\n\r]|\\.)*"|#[^\n\r]*|\bSELECT\b""",
    re.IGNORECASE | re.DOTALL,
)


def _select_keyword(query: str) -> re.Match[str] | None:
    """The query's SELECT keyword: the first one outside IRIs, strings and comments (a
    comparison's ``>`` ends no IRI: ``<...>`` holds no space)."""
    for token in _SELECT_OR_HIDING.finditer(query):
        if token.group().upper() == "SELECT":
            return token
    return None


def _iris(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


def sparql_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'
