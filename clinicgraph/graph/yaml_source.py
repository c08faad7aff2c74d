"""YAML content files (YAML-LD under an implicit schema.org context) -> quads.

Keys are schema.org terms, nested mappings are nodes, ``id``/``type`` are JSON-LD's
``@id``/``@type``. Scalars follow YAML 1.2's core schema as YAML-LD does (``no`` and
``9:00`` stay strings; PyYAML alone would read them as YAML 1.1's false and 540).
A plain scalar is a number or boolean only where YAML 1.1 and 1.2 agree, so text
written by a YAML 1.1 dumper (PyYAML's ``safe_dump``) always reads back as text; the
price is that ``1e3`` and ``0o17`` (1.2-only spellings) stay strings too.
Anchors, aliases and tags are refused: they are not JSON-LD, and aliases are how
"billion laughs" bombs are made.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from clinicgraph.core.errors import SourceError
from clinicgraph.graph import ids
from clinicgraph.graph.config import Site
from clinicgraph.graph.limits import (
    DEFAULT,
    Limits,
    check_inside,
    check_size,
    too_deep,
    yaml_flow_past,
    yaml_may_be_deep,
)
from clinicgraph.graph.literals import boolean_literal, number_literal
from clinicgraph.graph.loaded import Loaded
from clinicgraph.graph.terms import TermResolver
from clinicgraph.graph.text import decode
from clinicgraph.vocab.context import DATE, ID, coercion, is_schema_context
from clinicgraph.vocab.namespaces import RDF_TYPE, schema_term

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_ID_KEYS = ("id", "@id")
_TYPE_KEYS = ("type", "@type")
RDF_TYPE_NODE = NamedNode(RDF_TYPE)


def read_text(path: Path, relpath: str, limits: Limits = DEFAULT) -> str:
    """A source file's text: inside the project, within the size limit, UTF-8 (a BOM is
    allowed), or one clear error."""
    check_inside(path, relpath)
    check_size(path, relpath, limits)
    return decode(path.read_bytes(), relpath)


# What an unfinished construct means, said where it starts rather than where the
# parser gave up (often the end of the file).
_UNFINISHED = {
    "while scanning a quoted scalar": "a quoted string is not closed",
    "while scanning a simple key": "expected 'key: value' (no ':' found)",
    "while parsing a flow sequence": "a [ list is not closed",
    "while parsing a flow mapping": "a { mapping is not closed",
}


def load_yaml(path: Path, relpath: str, site: Site, terms: TermResolver) -> Loaded:
    text = read_text(path, relpath, site.limits)
    try:
        _check_events(text, relpath, site.limits)
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(error, text, relpath) from None
    except yaml.reader.ReaderError as error:  # a control character: no mark, a position
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
        raise SourceError(
            f"invalid YAML: control character U+{error.character:04X} is not allowed "
            "(write it escaped in a double-quoted string)",
            relpath,
            line,
            column,
        ) from None
    except yaml.YAMLError as error:
        raise SourceError(f"invalid YAML: {error}", relpath) from None
    reader = _Reader(relpath, site, terms)
    tops = [node for document in documents if document is not None for node in reader.top_nodes(document)]
    for index, node in enumerate(tops, 1):
        reader.node(node, ids.top_level(site.url, relpath, index if len(tops) > 1 else None))
    return reader.loaded


def _check_events(text: str, relpath: str, limits: Limits) -> None:
    """Before composing (which recurses, in C, and can crash on deep nesting): refuse
    anchors and aliases where they are written (billion laughs), and nesting past the
    limit. Parser events come from libyaml's own stack; the pass runs only when the
    text could hold either."""
    anchors = "&" in text or "*" in text
    if not anchors and not yaml_may_be_deep(text, limits):
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SourceError(
                    "YAML anchors and aliases are not supported: give the node an id "
                    "and refer to it as {id: ...}",
                    relpath,
                    *_place(event),
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    raise SourceError(too_deep(limits), relpath, *_place(event))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # libyaml 6.0.4 refuses deep flow nesting itself, scanning ahead of the events
        block = 0 if text.lstrip()[:1] in ("[", "{") else 1  # the top-level block mapping is a level
        past = (
            yaml_flow_past(text, limits.max_depth - block) if "nesting depth" in str(error.problem) else None
        )
        if past is None:
            raise
        raise SourceError(too_deep(limits), relpath, *past) from None


def _place(event: yaml.Event) -> tuple[int, int]:
    """An event's line and column, from 1 (the parser marks every event it makes)."""
    mark = event.start_mark
    assert mark is not None
    return mark.line + 1, mark.column + 1


def _yaml_error(error: yaml.MarkedYAMLError, text: str, relpath: str) -> SourceError:
    """Where a YAML syntax error is: the problem, or where the unfinished thing began."""
    mark, message = error.problem_mark, str(error.problem or error.context or "syntax error")
    context = error.context or ""
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return SourceError(
            "invalid YAML: a tab in the indentation (YAML indents with spaces only)",
            relpath,
            mark.line + 1,
            mark.column + 1,
        )
    if (
        error.context_mark is not None
        and context in _UNFINISHED
        and (mark is None or context == "while scanning a simple key" or _at_end(text, mark))
    ):
        mark, message = error.context_mark, _UNFINISHED[context]
    elif context:
        message = f"{message} ({context})"
    mark = mark or error.context_mark
    return SourceError(
        f"invalid YAML: {message}",
        relpath,
        mark.line + 1 if mark else None,
        mark.column + 1 if mark else None,
    )


def _at_end(text: str, mark) -> bool:
    """Is there nothing but white space from ``mark`` to the end of ``text``?"""
    lines = text.split("\n")
    if mark.line >= len(lines):
        return True
    return not "\n".join([lines[mark.line][mark.column :], *lines[mark.line + 1 :]]).strip()


class _Reader:
    def __init__(self, relpath: str, site: Site, terms: TermResolver):
        self.relpath = relpath
        self.base = site.url
        self.terms = terms
        self.graph = NamedNode(ids.source_graph(relpath))
        self.loaded = Loaded(relpath)
        self.seen: set[int] = set()  # yaml nodes already read: a second visit is an alias

    def fail(self, message: str, node: yaml.Node) -> SourceError:
        mark = node.start_mark
        return SourceError(message, self.relpath, mark.line + 1, mark.column + 1)

    def visit(self, node: yaml.Node) -> None:
        if id(node) in self.seen:
            raise self.fail(
                "YAML anchors and aliases are not supported: write the node once "
                "with an id and refer to it as {id: ...}",
                node,
            )
        self.seen.add(id(node))
        if node.tag not in _CORE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(
                f"YAML tag {tag} is not supported: content is plain YAML-LD, remove the tag", node
            )

    def top_nodes(self, document: yaml.Node) -> list[yaml.MappingNode]:
        self.visit(document)
        if isinstance(document, yaml.SequenceNode):
            items = document.value
        elif isinstance(document, yaml.MappingNode):
            keys = [key.value for key, _ in document.value if isinstance(key, yaml.ScalarNode)]
            if "@graph" not in keys:
                return [document]  # one node; node() reads its keys
            pairs = self.pairs(document)
            if "@context" in pairs:
                self.check_context(pairs.pop("@context"))
            graph = pairs["@graph"][1]
            self.visit(graph)
            if not isinstance(graph, yaml.SequenceNode) or len(pairs) > 1:
                raise self.fail("@graph must be the only key beside @context, holding a list", graph)
            items = graph.value
        else:
            raise self.fail("a content file holds a mapping (one node) or a list of mappings", document)
        for item in items:
            if not isinstance(item, yaml.MappingNode):
                raise self.fail("each item of a content file must be a mapping (a node)", item)
        return items

    def check_context(self, entry) -> None:
        _key, value = entry
        if not (isinstance(value, yaml.ScalarNode) and is_schema_context(value.value)):
            raise self.fail(
                'only "@context: https://schema.org" is supported in YAML; '
                "write other contexts' data as .jsonld",
                value,
            )

    def pairs(self, mapping: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys of a mapping, in order, refusing non-string and duplicate keys."""
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in mapping.value:
            self.visit(key)
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail("keys must be schema.org terms written as text", key)
            if key.value in out:
                raise self.fail(
                    f"duplicate key {key.value!r} (first at line "
                    f"{out[key.value][0].start_mark.line + 1}): keep one",
                    key,
                )
            out[key.value] = (key, value)
        return out

    # -- nodes ------------------------------------------------------------------
    def node(self, mapping: yaml.MappingNode, minted: str) -> NamedNode | BlankNode:
        pairs = self.pairs(mapping)
        if "@context" in pairs:
            self.check_context(pairs.pop("@context"))
        subject = self.subject(pairs, minted)
        key_for_id = next((k for k in _ID_KEYS if k in pairs), None)
        if key_for_id is not None:
            pairs.pop(key_for_id)
        iri = subject.value if isinstance(subject, NamedNode) else f"_:{subject.value}"
        self.loaded.node_lines.setdefault(iri, mapping.start_mark.line + 1)
        for key, (key_node, value) in pairs.items():
            if key in _TYPE_KEYS:
                for type_node in self.items(value):
                    self.add(subject, RDF_TYPE_NODE, self.type_iri(type_node))
                self.loaded.value_lines[(iri, RDF_TYPE)] = key_node.start_mark.line + 1
                continue
            if key.startswith("@"):
                raise self.fail(f"JSON-LD keyword {key} is not supported in a node", key_node)
            predicate = self.terms.property(key, self.relpath, key_node.start_mark.line + 1)
            self.loaded.value_lines[(iri, predicate.value)] = key_node.start_mark.line + 1
            values = self.items(value)
            listed = isinstance(value, yaml.SequenceNode)
            for index, item in enumerate(values, 1):
                obj = self.value(
                    item,
                    predicate,
                    child_iri=ids.child(
                        subject.value if isinstance(subject, NamedNode) else minted,
                        schema_term(predicate.value) or key,
                        index if listed else None,
                    ),
                )
                if obj is not None:
                    self.add(subject, predicate, obj)
        return subject

    def subject(self, pairs, minted: str) -> NamedNode | BlankNode:
        for key in _ID_KEYS:
            if key in pairs:
                node = pairs[key][1]
                self.visit(node)
                if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
                    raise self.fail("id must be an IRI written as text", node)
                return self.iri(node)
        return NamedNode(minted)

    def iri(self, node: yaml.ScalarNode) -> NamedNode | BlankNode:
        found = self.iri_of(node.value)
        if found is None:
            raise self.fail(f"{node.value.strip()!r} is not a valid IRI", node)
        return found

    def iri_of(self, text: str) -> NamedNode | BlankNode | None:
        text = text.strip()
        if text.startswith("_:"):
            return BlankNode(ids.blank_label(self.relpath, text[2:]))
        try:
            return NamedNode(ids.resolve(text, self.base))
        except ValueError:
            return None

    def items(self, value: yaml.Node) -> list[yaml.Node]:
        self.visit(value)
        if isinstance(value, yaml.SequenceNode):
            for item in value.value:
                self.visit(item)
            return value.value
        return [value]

    def type_iri(self, node: yaml.Node) -> NamedNode:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail("type must be a schema.org type name, or a list of them", node)
        return self.terms.type(node.value.strip(), self.base, self.relpath, node.start_mark.line + 1)

    # -- values -----------------------------------------------------------------
    def value(self, node: yaml.Node, predicate: NamedNode, child_iri: str):
        term = schema_term(predicate.value)
        kind = coercion(term) if term else None
        if isinstance(node, yaml.MappingNode):
            keys = {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
            if "@value" in keys:
                return self.value_object(node)
            if keys and keys <= set(_ID_KEYS):  # {id: ...}: a reference to a node
                self.seen.discard(id(node))
                target = self.subject(self.pairs(node), child_iri)
                if isinstance(target, NamedNode):
                    self.loaded.references.append((target.value, node.start_mark.line + 1))
                return target
            return self.node(node, child_iri)
        if not isinstance(node, yaml.ScalarNode):  # a sequence (mappings are read above)
            raise self.fail("a list inside a list has no meaning in schema.org data", node)
        scalar = self.scalar(node)
        if scalar is None:
            return None
        if isinstance(scalar, bool):
            return boolean_literal(scalar)
        if isinstance(scalar, (int, float)):
            return self.number(scalar, node)
        if kind == ID:  # a link, or the text written when it makes no IRI (a URL template
            # such as https://x/search?q={query}, "Big Town"): schema.org's URL is Text too
            return self.iri_of(scalar) or Literal(scalar)
        if kind == DATE:
            return Literal(scalar, datatype=NamedNode(DATE))
        return Literal(scalar)

    def number(self, value: int | float, node: yaml.Node) -> Literal:
        try:
            return number_literal(value)
        except (ValueError, OverflowError):
            raise self.fail(
                f"{node.value[:30]} is not a number schema.org data can hold (quote it to keep it as text)",
                node,
            ) from None

    def value_object(self, node: yaml.MappingNode) -> Literal | None:
        pairs = self.pairs(node)
        unknown = set(pairs) - {"@value", "@type", "@language"}
        if unknown or ("@type" in pairs and "@language" in pairs):
            raise self.fail("a value object holds @value with either @type or @language", node)
        text_node = pairs["@value"][1]
        if not isinstance(text_node, yaml.ScalarNode):
            raise self.fail("@value must be a scalar", text_node)
        text = text_node.value
        if "@language" in pairs:
            language = pairs["@language"][1]
            try:
                if not isinstance(language, yaml.ScalarNode):
                    raise ValueError
                return Literal(text, language=language.value.strip())
            except ValueError:
                raise self.fail("@language must be a language tag such as en-CA", language) from None
        if "@type" in pairs:
            datatype = self.iri(pairs["@type"][1]) if isinstance(pairs["@type"][1], yaml.ScalarNode) else None
            if not isinstance(datatype, NamedNode):
                raise self.fail("@type of a value must be an IRI", pairs["@type"][1])
            return Literal(text, datatype=datatype)
        scalar = self.scalar(text_node)  # {"@value": 5} is the number 5, as in JSON-LD
        if scalar is None:
            return None  # as JSON-LD drops {"@value": null}
        if isinstance(scalar, bool):
            return boolean_literal(scalar)
        if isinstance(scalar, (int, float)):
            return self.number(scalar, text_node)
        return Literal(text)

    def scalar(self, node: yaml.ScalarNode):
        """A YAML 1.2 core-schema scalar: str, int, float, bool or None."""
        text, tag = node.value, node.tag.rsplit(":", 1)[-1]
        if node.style or tag in ("str", "timestamp"):  # quoted; CSafeLoader marks plain as ""
            return text
        if tag == "null":
            return None
        if tag == "bool" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if tag == "int" and _INT.fullmatch(text):
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        if tag == "float":
            lowered = text.lower()
            if lowered in (".nan", ".inf", "+.inf", "-.inf"):
                raise self.fail(
                    f"{text} is not a number schema.org data can hold "
                    "(give a finite number, or leave the property out)",
                    node,
                )
            if _FLOAT.fullmatch(text):
                return float(text)
        return text

    def add(self, subject, predicate, obj) -> None:
        self.loaded.quads.append(Quad(subject, predicate, obj, self.graph))
