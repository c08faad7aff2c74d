"""The schema.org vocabulary index: which terms exist and how they relate.

Terms are schema.org local names ("MedicalCondition", "cause", "Chiropractic").
A Vocabulary is built either from a full release file (``complete=True``) or from
the small subset the package carries (``complete=False``); both go through the same
per-term records, the format of ``data/modelled.json``::

    {"kind": "type", "subClassOf": [...], "dataType": true, "memberOf": [...]}
    {"kind": "property", "domains": [...], "ranges": [...]}
    {"kind": "member", "memberOf": [...]}          # plus "supersededBy" on any kind

Only direct ``rdfs:subClassOf`` links are stored; closures are computed on demand.
Instances of ``schema:DataType`` (Text, Date, ...) are data types, not enumeration
members: they carry ``"dataType": true`` instead of ``memberOf``.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat

from clinicgraph.core.errors import SourceError
from clinicgraph.vocab.locate import find_release
from clinicgraph.vocab.namespaces import RDF, RDF_TYPE, RDFS, SCHEMA, normalize_schema_iri, schema_term

_KINDS = ("type", "property", "member")
_SUBCLASS = RDFS + "subClassOf"
_LINKS = {
    SCHEMA + "domainIncludes": "domains",
    SCHEMA + "rangeIncludes": "ranges",
    SCHEMA + "supersededBy": "supersededBy",
}  # schema.org predicate -> record key


class Vocabulary:
    """An index of schema.org terms answering type, property and member questions."""

    def __init__(self, terms: Mapping[str, dict], *, complete: bool, source: str | None = None):
        self.complete = complete
        self.source = source
        self._terms = dict(terms)
        self._by_kind = {k: frozenset(n for n, r in self._terms.items() if r["kind"] == k) for k in _KINDS}
        self._by_kind["member"] |= {n for n, r in self._terms.items() if r.get("memberOf")}
        self._children: dict[str, set[str]] = defaultdict(set)
        for name in self._by_kind["type"]:
            for parent in self._terms[name].get("subClassOf", ()):
                self._children[parent].add(name)
        self._ancestors: dict[str, frozenset[str]] = {}  # closures, filled on demand
        self._subtypes: dict[str, frozenset[str]] = {}
        self._lowered: dict[str | None, dict[str, list[str]]] = {}

    def identity(self) -> list:
        """What tells this vocabulary from another, for records that depend on it (a
        store's load, its findings, its build): the release file's path, size and
        modification time, or the built-in subset (which comes with clinicgraph's version)."""
        if self.source is None:
            return ["built-in"]
        stat = os.stat(self.source)
        return [str(self.source), stat.st_size, stat.st_mtime_ns]

    def __repr__(self) -> str:
        where = self.source or "built-in subset"
        return f"<Vocabulary {len(self._terms)} terms from {where}>"

    def __contains__(self, name: object) -> bool:
        return name in self._terms

    # -- what a term is

    def is_type(self, name: str) -> bool:
        return name in self._by_kind["type"]

    def is_property(self, name: str) -> bool:
        return name in self._by_kind["property"]

    def is_member(self, name: str) -> bool:
        return name in self._by_kind["member"]

    def knows(self, name: str) -> bool:
        return name in self._terms

    def is_data_type(self, name: str) -> bool:
        """Text, URL, Date, Number, Integer, ...: literal-valued types (and their subtypes)."""
        return any(self._terms[t].get("dataType") for t in self.ancestors(name))

    def names(self, kind: str | None = None) -> frozenset[str]:
        """All known terms, or those of one kind ("type", "property", "member")."""
        return frozenset(self._terms) if kind is None else self._by_kind[kind]

    # -- how terms relate

    def ancestors(self, type_name: str) -> frozenset[str]:
        """The type and every type it is transitively a subClassOf; empty if not a type."""
        return self._closure(type_name, self._ancestors, lambda t: self._terms[t].get("subClassOf", ()))

    def subtypes(self, type_name: str) -> frozenset[str]:
        """The type and every type transitively below it; empty if not a type."""
        return self._closure(type_name, self._subtypes, lambda t: self._children.get(t, ()))

    def is_subtype(self, type_name: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(type_name)

    def domains(self, prop: str) -> frozenset[str]:
        return self._list(prop, "domains")

    def ranges(self, prop: str) -> frozenset[str]:
        return self._list(prop, "ranges")

    def member_types(self, member: str) -> frozenset[str]:
        return self._list(member, "memberOf")

    def action_annotation(self, name: str) -> str | None:
        """The property an Action template's ``<property>-input`` or ``-output`` annotation
        names ("query-input": query), or None: schema.org's convention for potential
        actions (https://schema.org/docs/actions.html), a term of no release file."""
        base, dash, kind = name.rpartition("-")
        return base if dash and kind in ("input", "output") and self.is_property(base) else None

    def superseded_by(self, term: str) -> str | None:
        return self._terms.get(term, {}).get("supersededBy")

    def suggest(self, name: str, kind: str | None = None) -> str | None:
        """The known term nearest to a misspelt ``name``, or None if nothing is close."""
        if kind is not None and kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS} or None, not {kind!r}")
        if name in self.names(kind):
            return name
        lowered = self._lowered_names(kind)
        key = name.lower()
        if key not in lowered:
            close = difflib.get_close_matches(key, lowered, n=1, cutoff=0.75)
            if not close:
                return None
            key = close[0]
        # "review" vs "Review": keep the capitalisation the writer chose (type vs property).
        same_case = [n for n in lowered[key] if n[:1].isupper() == name[:1].isupper()]
        return (same_case or lowered[key])[0]

    # -- export, for tools/gen_modelled.py

    def records(self, names: Iterable[str]) -> dict[str, dict]:
        """Copies of the stored records of ``names`` (unknown names are skipped)."""
        return {n: json.loads(json.dumps(self._terms[n])) for n in names if n in self._terms}

    # -- helpers

    def _list(self, name: str, key: str) -> frozenset[str]:
        return frozenset(self._terms.get(name, {}).get(key, ()))

    def _closure(self, start: str, memo: dict, step) -> frozenset[str]:
        if start not in memo:
            if not self.is_type(start):
                return frozenset()
            seen, todo = {start}, [start]
            while todo:  # iterative, and safe against a cycle in a hand-edited file
                for nxt in step(todo.pop()):
                    if nxt not in seen and self.is_type(nxt):
                        seen.add(nxt)
                        todo.append(nxt)
            memo[start] = frozenset(seen)
        return memo[start]

    def _lowered_names(self, kind: str | None) -> dict[str, list[str]]:
        if kind not in self._lowered:
            table: dict[str, list[str]] = defaultdict(list)
            for n in sorted(self.names(kind)):
                table[n.lower()].append(n)
            self._lowered[kind] = dict(table)
        return self._lowered[kind]


# -- reading a release file

# schema.org publishes the release in these syntaxes; anything else is a wrong file
# (pyoxigraph would read .txt as N-Triples and report a confusing syntax error).
_FORMATS = {
    ".ttl": RdfFormat.TURTLE,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".rdf": RdfFormat.RDF_XML,
}


def _rdf_format(path: Path) -> RdfFormat:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError("unknown RDF format for a schema.org release (expected .ttl or .jsonld)", path)
    return fmt


def _syntax_error(err: SyntaxError, path: Path) -> SourceError:
    # pyoxigraph: "Parser error at line 3 column 9: <what>"; the position goes to the
    # location, so keep only <what> in the message.
    what = re.sub(r"^Parser error (at|between) .*?: ", "", err.msg or str(err))
    return SourceError(f"invalid schema.org release: {what}", path, err.lineno, err.offset)


def read_terms(path: Path) -> dict[str, dict]:
    """The per-term records of a schema.org release file (Turtle, JSON-LD, ...)."""
    classes, props = set(), set()
    types: dict[str, set[str]] = defaultdict(set)  # rdf:type values that are schema terms
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    try:
        for quad in pyoxigraph.parse(path=str(path), format=_rdf_format(path)):
            subject = schema_term(quad.subject.value) if isinstance(quad.subject, NamedNode) else None
            if subject is None or not isinstance(quad.object, NamedNode):
                continue  # labels, comments and other vocabularies' terms
            pred, obj = normalize_schema_iri(quad.predicate.value), quad.object.value
            if pred == RDF_TYPE and obj == RDFS + "Class":
                classes.add(subject)
            elif pred == RDF_TYPE and obj == RDF + "Property":
                props.add(subject)
            elif (term := schema_term(obj)) is None:
                continue  # e.g. DataType rdfs:subClassOf rdfs:Class, owl/skos mappings
            elif pred == RDF_TYPE:
                types[subject].add(term)
            elif pred == _SUBCLASS:
                links[subject]["subClassOf"].add(term)
            elif pred in _LINKS:
                links[subject][_LINKS[pred]].add(term)
    except SyntaxError as err:
        raise _syntax_error(err, path) from None
    except OSError as err:
        raise SourceError(f"cannot read schema.org release: {err.strerror or err}", path) from None
    if not classes:
        raise SourceError("not a schema.org release: it defines no schema.org classes", path)

    # Instances of DataType are data types (Text, Date...), not enumeration members.
    members = {n: t - {"DataType"} for n, t in types.items() if t - {"DataType"}}
    terms: dict[str, dict] = {}
    for name in sorted(classes | props | set(members)):
        kind = "type" if name in classes else "property" if name in props else "member"
        record: dict = {"kind": kind}
        own = links.get(name, {})
        for key in {"type": ("subClassOf",), "property": ("domains", "ranges")}.get(kind, ()):
            if own.get(key):
                record[key] = sorted(own[key])
        if kind == "type" and "DataType" in types.get(name, ()):
            record["dataType"] = True
        if name in members:
            record["memberOf"] = sorted(members[name])
        if own.get("supersededBy"):
            record["supersededBy"] = min(own["supersededBy"])  # one per term in practice
        terms[name] = record
    return terms


# -- entry points


@functools.lru_cache(maxsize=8)
def _load_file(path: str, mtime_ns: int, size: int) -> Vocabulary:
    # Keyed on mtime and size too, so a replaced release file is read again.
    return Vocabulary(read_terms(Path(path)), complete=True, source=path)


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The vocabulary from a release file or folder; with no path, the release found
    by :func:`find_release`, else the built-in subset. Cached per file."""
    release = find_release(path)
    if release is None:
        return builtin_vocabulary()
    release = release.resolve()
    stat = release.stat()
    return _load_file(str(release), stat.st_mtime_ns, stat.st_size)


@functools.cache
def builtin_vocabulary() -> Vocabulary:
    """The subset of schema.org clinicgraph models, carried in the package."""
    data = resources.files("clinicgraph.vocab").joinpath("data").joinpath("modelled.json")
    subset = json.loads(data.read_text("utf-8"))
    terms = dict(subset["terms"])
    for kind, names in subset["otherNames"].items():  # known by name, facts unknown
        terms.update((name, {"kind": kind}) for name in names.split())
    for name, parents in subset["otherTypes"].items():  # the whole type hierarchy
        terms[name] = {"kind": "type", "subClassOf": parents} if parents else {"kind": "type"}
    return Vocabulary(terms, complete=False)
