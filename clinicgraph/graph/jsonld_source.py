"""JSON-LD files -> N-Quads through pyld with the offline loader, and, when a diagnostic
asks, where each node and property of the file is written.

pyld gives JSON-LD's meaning. Where that meaning has no IRI to give, pyld drops the
value without a word; this module decides instead:

- text the context makes an IRI (schema.org's context coerces ``url``, ``sameAs``,
  ``target`` ... to ``@id``) that is no IRI (the URL template
  ``"https://x/search?q={search_term_string}"``, ``"Big Town"``) stays text, as
  written: schema.org's URL is a kind of Text, and Google reads a SearchAction's
  target template as text;
- a type or a key that is no IRI (``"type": "Best for the Money"``, a key with a
  space) is left out, with a note that validation reports as a warning at its line;
- an ``@id`` written that is no IRI is refused: its node would have no name.

Blank nodes: every node object without ``@id`` is named ``_:n{i}`` in the order of the
expanded document, and a written ``_:x`` becomes ``_:u{j}``, so two runs over one text
name them alike (rdf_source renames them again, in order of appearance).

Lines (``placed``): the text is parsed again with the line of every object and key
(``_located_json``), and pyld's expansion is followed (``_Placing``) to the node object
each JSON object became. Nothing of it runs on a load that needs no line.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field

from pyld import jsonld
from pyld.identifier_issuer import IdentifierIssuer
from pyoxigraph import RdfFormat, parse

from clinicgraph.core.errors import SourceError
from clinicgraph.graph.config import Site
from clinicgraph.graph.ids import is_iri
from clinicgraph.graph.limits import check_json_depth
from clinicgraph.graph.literals import is_language
from clinicgraph.graph.loaded import LEFT_OUT, Note, normalized
from clinicgraph.graph.yaml_source import read_text
from clinicgraph.vocab.context import RemoteContextRefused, offline_loader
from clinicgraph.vocab.namespaces import RDF_TYPE, normalize_schema_iri, schema_term


@dataclass
class Expanded:
    """What one run over a JSON-LD text gives: the N-Quads, the notes, and (placed) lines
    by the run's own node labels (``_:n0`` ...) and IRIs."""

    nquads: str
    notes: list[Note] = field(default_factory=list)
    node_lines: dict[str, int] = field(default_factory=dict)
    value_lines: dict[tuple[str, str], int] = field(default_factory=dict)


def expand_to_nquads(text: str, relpath: str, site: Site, placed: bool = False) -> Expanded:
    """The file's triples as N-Quads; ``placed`` also finds lines. A load asks for lines
    only when a note or an error needs one: a second run, naming nodes alike."""
    try:
        return _run(text, relpath, site, placed)
    except _Refused as error:
        if not placed:
            expand_to_nquads(text, relpath, site, placed=True)  # raises this again, with its line
        raise SourceError(str(error), relpath, error.line) from None


def _run(text: str, relpath: str, site: Site, placed: bool) -> Expanded:
    document = _located_json(text, relpath) if placed else _json(text, relpath)
    check_json_depth(document, text, relpath, site.limits)
    options = {"documentLoader": offline_loader(allow=site.limits.allow_contexts), "base": site.url}
    processor = _Placing() if placed else _Expanding()
    try:
        with warnings.catch_warnings():  # pyld warns on stderr about odd terms: not the user's one line
            warnings.simplefilter("ignore")
            expanded = processor.expand(document, options)
            naming = _Naming(getattr(processor, "places", None))
            naming.walk(expanded)
            nquads = _to_nquads(processor, expanded)
    except jsonld.JsonLdError as error:
        raise _jsonld_error(error, text, relpath) from None
    notes = sorted(naming.notes, key=lambda note: note.line or 0)  # in the order written
    found = Expanded(nquads, notes, naming.node_lines, naming.value_lines)
    if (found.notes or processor.any_dropped) and not placed:
        found.notes = expand_to_nquads(text, relpath, site, placed=True).notes
    return found


def _to_nquads(processor: jsonld.JsonLdProcessor, expanded: list) -> str:
    """pyld's toRdf of a document expanded already, as ``JsonLdProcessor.to_rdf`` does it
    after expanding its input again (a third of a load, for nothing)."""
    issuer = _KeepLabels("_:l")
    node_map: dict[str, dict] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    options = {"produceGeneralizedRdf": False, "processingMode": "json-ld-1.1"}
    return processor.to_nquads(
        {
            name: processor._graph_to_rdf(graph, issuer, options)
            for name, graph in sorted(node_map.items())
            if name == "@default" or jsonld._is_absolute_iri(name)
        }
    )


class JsonLdLines:
    """Where each node, and each property of a node, is written in a JSON-LD file, keyed
    as the store names them (a blank node as ``_:`` and its label there)."""

    def __init__(self, text: str, relpath: str, site: Site):
        found = expand_to_nquads(text, relpath, site, placed=True)
        blanks: dict = {}
        normalized(parse(found.nquads, format=RdfFormat.N_QUADS), relpath, blanks)

        def key(run_key: str) -> str:
            named = blanks.get(run_key[2:]) if run_key.startswith("_:") else None
            return f"_:{named.value}" if named is not None else run_key

        self.nodes = {key(node): line for node, line in found.node_lines.items()}
        self.values = {(key(node), predicate): line for (node, predicate), line in found.value_lines.items()}

    @classmethod
    def read(cls, path, relpath: str, site: Site) -> JsonLdLines:
        return cls(read_text(path, relpath, site.limits), relpath, site)

    def node_line(self, key: str) -> int | None:
        return self.nodes.get(key)

    def value_line(self, key: str, predicate: str) -> int | None:
        return self.values.get((key, predicate))


# -- JSON ------------------------------------------------------------------------------


class _NotJson(ValueError):
    """NaN and Infinity: Python's json module reads them, JSON has no such numbers."""


def _refuse_constant(name: str):
    raise _NotJson(name)


def _json(text: str, relpath: str, **hooks):
    try:
        return json.loads(text, parse_constant=_refuse_constant, **hooks)
    except json.JSONDecodeError as error:
        before = text[: error.pos].rstrip()
        if before.endswith(",") and text[error.pos : error.pos + 1] in ("}", "]"):  # [1, 2,]
            line, column = before.count("\n") + 1, len(before) - before.rfind("\n") - 1
            raise SourceError(
                "invalid JSON: a comma before a closing bracket (remove it)", relpath, line, column
            ) from None
        if error.msg == "Expecting ',' delimiter" and "\n" in text[len(before) : error.pos]:
            line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
            raise SourceError(
                "invalid JSON: a comma is missing at the end of this line", relpath, line, column
            ) from None
        raise SourceError(
            f"invalid JSON: {error.msg[:1].lower()}{error.msg[1:]}", relpath, error.lineno, error.colno
        ) from None
    except _NotJson as error:
        raise SourceError(
            f"invalid JSON: {error} is not a JSON number (give a finite number)",
            relpath,
            _line_with(text, re.compile(rf"[:\[,]\s*{error}\b")),
        ) from None
    except RecursionError:
        return None  # nested past what Python's parser can hold: check_json_depth says so


class _Object(dict):
    """A JSON object with the line of its ``{`` and of each key."""

    line: int
    key_lines: dict[str, int]


# Strings (a key when a colon follows), braces, and newlines to count; JSON strings hold
# no raw newline, so every newline outside them is a line.
_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"(?P<key>\s*:)?|[{}]|\n')


def _located_json(text: str, relpath: str):
    """The document as ``json.loads`` gives it, each object an ``_Object``. The scan
    lists objects in the order they close, which is the order json calls its hook."""
    closed: list[tuple[int, list[int]]] = []
    open_: list[tuple[int, list[int]]] = []
    line = 1
    for token in _JSON_TOKEN.finditer(text):
        char = token.group()
        if char == "{":
            open_.append((line, []))
        elif char == "}":
            closed.append(open_.pop())
        elif token.group("key") and open_:
            open_[-1][1].append(line)
        line += char.count("\n")  # a newline, or one between a key and its colon
    lines = iter(closed)

    def hook(pairs):
        start, key_lines = next(lines)
        made = _Object(pairs)
        made.line, made.key_lines = start, dict(zip((key for key, _ in pairs), key_lines, strict=False))
        return made

    return _json(text, relpath, object_pairs_hook=hook)


def _line_with(text: str, pattern: re.Pattern) -> int | None:
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


# -- expansion -------------------------------------------------------------------------


class _Expanding(jsonld.JsonLdProcessor):
    """pyld's expansion, except that text the context would make an IRI, and that is no
    IRI, stays the text written (pyld would drop it). Keys that expand to no IRI, which
    pyld drops, are counted: the notes about them need a run with lines."""

    def __init__(self):
        super().__init__(on_property_dropped=self._dropped)
        self.dropping: list[list] = []  # the keys dropped in each object being expanded
        self.any_dropped = False

    def _dropped(self, expanded_key) -> None:
        self.any_dropped = True
        if self.dropping:
            self.dropping[-1].append(expanded_key)

    def _expand_value(self, active_ctx, active_property, value, options):
        expanded = super()._expand_value(active_ctx, active_property, value, options)
        if (
            isinstance(value, str)
            and isinstance(expanded, dict)
            and isinstance(expanded.get("@id"), str)
            and not expanded["@id"].startswith("_:")
            and not is_iri(expanded["@id"])
        ):
            return {"@value": value}
        return expanded


@dataclass
class _Place:
    """Where a node object was written: its JSON object's "{", each key (by its expansion),
    the keys pyld dropped and the types as written, with their lines."""

    node: dict  # held, so that its id() is not reused
    line: int | None = None
    keys: dict[str, int] = field(default_factory=dict)
    dropped: list[tuple[str, int, bool]] = field(default_factory=list)  # (key, line, defined by the context)
    types: list[tuple[str, int]] = field(default_factory=list)

    def type_line(self, iri: str) -> int | None:
        """The line of the key giving this type (@type and an alias may both be written)."""
        return next((line for written, line in self.types if iri.endswith(written)), self.keys.get("@type"))


_NOWHERE = _Place({})


class _Placing(_Expanding):
    """... which also notes, for each node object it makes, the JSON object it came from
    (``places[id(node)]``). @nest objects add their keys to their parent's node object."""

    def __init__(self):
        super().__init__()
        self.places: dict[int, _Place] = {}

    def _expand_object(
        self, active_ctx, active_property, expanded_active_property, element, expanded_parent, *args, **kwargs
    ):
        if not isinstance(element, _Object):
            return super()._expand_object(
                active_ctx,
                active_property,
                expanded_active_property,
                element,
                expanded_parent,
                *args,
                **kwargs,
            )
        # made before the nested objects' calls, which come inside
        place = self.places.setdefault(id(expanded_parent), _Place(expanded_parent, element.line))
        self.dropping.append([])
        try:
            super()._expand_object(
                active_ctx,
                active_property,
                expanded_active_property,
                element,
                expanded_parent,
                *args,
                **kwargs,
            )
        finally:
            gone = self.dropping.pop()
        for key, line in element.key_lines.items():
            expanded = self._expand_iri(active_ctx, key, vocab=True)
            if expanded is None or expanded in gone:
                place.dropped.append((key, line, expanded is not None and ":" in expanded))
                continue
            place.keys.setdefault(expanded, line)
            if expanded == "@type":
                written = element[key]
                place.types += [
                    (value, line)
                    for value in (written if isinstance(written, list) else [written])
                    if isinstance(value, str)
                ]


class _Refused(Exception):
    """What no graph can hold (an @id or a language tag that is none), and its line."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


class _KeepLabels(IdentifierIssuer):
    """Blank node labels as ``_Naming`` gave them; new ones (list cells) from the prefix."""

    def get_id(self, old=None):
        return old if old is not None else super().get_id()


class _Naming:
    """One walk over the expanded document, in its order: names blank node objects,
    leaves out types and keys that are no IRI (noting them), refuses an @id that is
    none, and, with ``places``, records the lines of nodes and their properties."""

    def __init__(self, places: dict | None = None):
        self.places = places
        self.labels: dict[str, str] = {}
        self.count = 0
        self.notes: list[Note] = []
        self.node_lines: dict[str, int] = {}
        self.value_lines: dict[tuple[str, str], int] = {}

    def walk(self, item, line: int | None = None) -> None:
        """Values, nodes and lists; ``line`` is the line of the key holding them."""
        if isinstance(item, list):
            for each in item:
                self.walk(each, line)
        elif isinstance(item, dict):
            if "@value" in item:
                language = item.get("@language")
                if language is not None and not is_language(language):
                    raise _Refused(f"{language!r} is not a language tag (such as en or en-CA)", line)
            elif "@list" in item:
                self.walk(item["@list"], line)
            else:
                self.node(item)

    def node(self, node: dict) -> None:
        place = self.places.get(id(node), _NOWHERE) if self.places is not None else _NOWHERE
        line, keys = place.line, place.keys
        key = self.name(node, keys.get("@id", line))
        if line is not None and (len(node) > 1 or "@id" not in keys):  # described, or a blank node
            self.node_lines[key] = min(line, self.node_lines.get(key, line))  # the first place written
        for written, at, defined in place.dropped:  # pyld dropped these while expanding
            self.left_out(key, written, at, "property" if defined else "key")
        for prop in list(node):
            written = keys.get(prop)
            if prop == "@type":
                node["@type"] = [
                    kept
                    for kept in (self.type(value, key, place.type_line(value)) for value in node["@type"])
                    if kept is not None
                ]
                self.value_line(key, RDF_TYPE, written)
            elif prop in ("@graph", "@included"):
                self.walk(node[prop], written)
            elif prop == "@reverse":
                self.walk(list(node[prop].values()), written)
            elif prop.startswith("@"):
                continue
            elif is_iri(prop):
                self.walk(node[prop], written)
                self.value_line(key, normalize_schema_iri(prop), written)
            else:
                del node[prop]
                self.left_out(key, prop, written, "property")

    def value_line(self, key: str, predicate: str, line: int | None) -> None:
        if line is not None:
            self.value_lines[key, predicate] = min(line, self.value_lines.get((key, predicate), line))

    def name(self, node: dict, line: int | None) -> str:
        """The node's key: its IRI, or the label given to it here."""
        written = node.get("@id")
        if written is None:
            node["@id"] = f"_:n{self.count}"
            self.count += 1
        elif written.startswith("_:"):
            node["@id"] = self.labels.setdefault(written, f"_:u{len(self.labels)}")
        elif not is_iri(written):
            raise _Refused(f"{written!r} is not a valid IRI", line)
        return node["@id"] if node["@id"].startswith("_:") else normalize_schema_iri(node["@id"])

    def type(self, value: str, key: str, line: int | None) -> str | None:
        if value.startswith("_:"):
            return self.labels.setdefault(value, f"_:u{len(self.labels)}")
        if is_iri(value):
            return value
        self.left_out(key, value, line, "type")
        return None

    def left_out(self, key: str, written: str, line: int | None, what: str) -> None:
        """A note: a type or a property that is no IRI, or a key the context does not define."""
        name = schema_term(normalize_schema_iri(written)) or written
        if what == "key":
            message = f"{name!r} is not a term of the @context, nor an IRI: it is left out of the graph"
            hint = 'give the file "@context": "https://schema.org" (or define the term), or remove the key'
        else:
            message = f"{what} {name!r} is not a valid IRI: it is left out of the graph"
            hint = f"write a schema.org {what} name (no spaces), or remove it"
        self.notes.append(
            Note(
                line,
                LEFT_OUT,
                message,
                hint,
                None if key.startswith("_:") else key,
                None if what == "type" else name,
                name if what == "type" else None,
            )
        )


# -- errors ----------------------------------------------------------------------------


def _jsonld_error(error, text: str, relpath: str) -> SourceError:
    refused = _cause(error, RemoteContextRefused)
    if refused is not None:
        named = re.search(r"fetch (.+?): only", str(refused))
        url = named.group(1) if named else ""
        return SourceError(
            f"remote context {url} refused: only schema.org's context is available offline "
            "(put the context inline, or allow it: [limits] allow-contexts)",
            relpath,
            _line_with(text, re.compile(re.escape(json.dumps(url)))),
        )
    message = _jsonld_message(error)
    return SourceError(f"invalid JSON-LD: {message[:1].lower()}{message[1:]}", relpath)


def _cause(error: BaseException | None, kind: type) -> BaseException | None:
    while error is not None:
        if isinstance(error, kind):
            return error
        error = getattr(error, "cause", None) or error.__cause__ or error.__context__
    return None


def _jsonld_message(error: BaseException) -> str:
    """pyld nests its errors; the innermost one says what is wrong."""
    while isinstance(error.__cause__, jsonld.JsonLdError):
        error = error.__cause__
    text = error.args[0] if error.args else type(error).__name__
    code = getattr(error, "code", None)
    return f"{text} ({code})" if code else str(text)
