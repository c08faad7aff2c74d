"""How much input clinicgraph accepts, and what it may reach: the ``[limits]`` table.

```toml
[limits]
max-file-mb = 64          # a source file (or imported HTML page) larger than this is refused
max-depth = 50            # mappings and lists nested in each other (YAML; JSON objects
                          # and arrays; blank nodes in blank nodes in Turtle)
allow-contexts = []       # JSON-LD @context URLs, beside schema.org's, that may be fetched
```

The limits keep memory and time bounded on hostile input: a file is refused by its size
before it is read, and nesting is measured before a recursive parser sees it (PyYAML's
C composer crashes the process on a million nested brackets; Python's json raises
RecursionError). ``max-depth`` is capped at :data:`DEPTH_CEILING` so that raising it
can never bring those crashes back. YAML aliases are refused outright, so there is no
alias-expansion budget to set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from clinicgraph.core.errors import SourceError

MB = 1024 * 1024
DEPTH_CEILING = 100  # the recursive readers downstream stay far from Python's stack limit


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 64
    max_depth: int = 50
    allow_contexts: tuple[str, ...] = ()


DEFAULT = Limits()
KEYS = {"max-file-mb": "max_file_mb", "max-depth": "max_depth", "allow-contexts": "allow_contexts"}


def from_table(table, where: str | Path, line_of) -> Limits:
    """The ``[limits]`` table of clinicgraph.toml; ``line_of(key)`` gives a key's line."""
    if not isinstance(table, dict):
        raise SourceError("[limits] must be a table", where, line_of("[limits]"))
    values = {}
    for key, value in table.items():
        if key not in KEYS:
            raise SourceError(f"[limits] has no setting {key!r}: use {', '.join(KEYS)}", where, line_of(key))
        values[KEYS[key]] = value
    size, depth = values.get("max_file_mb", DEFAULT.max_file_mb), values.get("max_depth", DEFAULT.max_depth)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise SourceError(
            "[limits] max-file-mb must be a whole number of megabytes, 1 or more",
            where,
            line_of("max-file-mb"),
        )
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= DEPTH_CEILING:
        raise SourceError(
            f"[limits] max-depth must be a whole number from 1 to {DEPTH_CEILING}",
            where,
            line_of("max-depth"),
        )
    contexts = values.get("allow_contexts", ())
    if not isinstance(contexts, (list, tuple)) or not all(
        isinstance(url, str) and re.match(r"https?://[^\s/]+", url) for url in contexts
    ):
        raise SourceError(
            '[limits] allow-contexts must be a list of http(s) URLs: ["https://..."]',
            where,
            line_of("allow-contexts"),
        )
    return Limits(size, depth, tuple(contexts))


def check_size(path: Path, relpath: str, limits: Limits) -> None:
    """Refuse a file over ``max-file-mb`` before reading a byte of it."""
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise SourceError(
            f"file is {size / MB:.0f} MB, over the limit of {limits.max_file_mb} MB "
            "(split it, or raise the max-file-mb limit)",
            relpath,
        )


def check_inside(path: Path, relpath: str) -> None:
    """A source's real file must lie inside the project: a symlink leading out is refused."""
    root = path.parents[len(Path(relpath).parts) - 1] if relpath else path.parent
    real, real_root = path.resolve(), root.resolve()
    if not real.is_relative_to(real_root):
        raise SourceError(
            f"a symlink to {real}, outside the project folder: refused (copy the file into the project)",
            relpath,
        )


def too_deep(limits: Limits) -> str:
    return (
        f"nested deeper than {limits.max_depth} level{'s' * (limits.max_depth != 1)} "
        "(flatten it with ids, or raise the max-depth limit)"
    )


# -- JSON --------------------------------------------------------------------------------


def json_depth(value) -> int:
    """How deeply objects and arrays nest in a parsed JSON value (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_line_past(text: str, max_depth: int) -> int | None:
    """The line where JSON text first opens a bracket deeper than ``max_depth``."""
    found = _bracket_past(text, _JSON_TOKEN, max_depth)
    return found[0] if found else None


def _bracket_past(text: str, tokens: re.Pattern, max_depth: int) -> tuple[int, int] | None:
    """(line, column) of the first bracket opened deeper than ``max_depth``; ``tokens``
    matches quoted strings (skipped) and single brackets."""
    depth = 0
    for token in tokens.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > max_depth:
                start = token.start()
                return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
        elif char in "]}":
            depth -= 1
    return None


# -- YAML --------------------------------------------------------------------------------

_YAML_FLOW_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[\[\]{}]""")


def yaml_flow_past(text: str, max_depth: int) -> tuple[int, int] | None:
    """(line, column) where YAML text first opens a flow bracket deeper than ``max_depth``
    (quoted strings skipped): where to point when libyaml refuses deep flow nesting itself."""
    return _bracket_past(text, _YAML_FLOW_TOKEN, max_depth)


def yaml_may_be_deep(text: str, limits: Limits) -> bool:
    """A cheap bound: can this YAML nest deeper than the limit at all? Each level needs a
    flow bracket, or one more column of indentation or compact ``- `` before the content."""
    brackets = text.count("[") + text.count("{")
    room = limits.max_depth - brackets - 4
    return room <= 0 or re.search(rf"^[ \t?:-]{{{room},}}", text, re.M) is not None


def check_json_depth(document, text: str, relpath: str, limits: Limits) -> None:
    """``document`` is the parsed JSON, or None when the parser itself ran out of stack."""
    if document is None or json_depth(document) > limits.max_depth:
        raise SourceError(too_deep(limits), relpath, json_line_past(text, limits.max_depth))


# -- Turtle and N-Triples ------------------------------------------------------------------

_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
_TURTLE_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*|[\[\]]'
)


def check_blank_depth(text: str, syntax, base: str, relpath: str, limits: Limits) -> None:
    """Blank nodes inside blank nodes (``[ ... [ ... ] ]`` or labelled chains) no deeper than
    the limit: the checks walk them recursively. A list's items are siblings, not levels.
    Costs nothing for a file without blank node labels and with few brackets."""
    if "_:" not in text and text.count("[") + text.count("(") <= limits.max_depth:
        return  # every level needs a bracket
    from pyoxigraph import BlankNode, parse

    children: dict = {}
    inner = set()
    try:
        quads = list(parse(text, format=syntax, base_iri=base))
    except SyntaxError:
        return  # the loader reports it, with its line
    for quad in quads:
        if isinstance(quad.subject, BlankNode) and isinstance(quad.object, BlankNode):
            children.setdefault(quad.subject, []).append((quad.object, quad.predicate.value != _RDF_REST))
            inner.add(quad.object)
    stack = [(node, 1) for node in children if node not in inner]
    seen = set()
    while stack:
        node, depth = stack.pop()
        if depth > limits.max_depth:
            label = re.search(rf"_:{re.escape(node.value)}(?![\w.-])", text)
            line = (
                text.count("\n", 0, label.start()) + 1 if label else _turtle_line_past(text, limits.max_depth)
            )
            raise SourceError(too_deep(limits), relpath, line)
        if node in seen:
            continue
        seen.add(node)
        stack.extend((child, depth + deeper) for child, deeper in children.get(node, ()))


def _turtle_line_past(text: str, max_depth: int) -> int | None:
    depth = 0
    for token in _TURTLE_TOKEN.finditer(text):
        if token.group() == "[":
            depth += 1
            if depth >= max_depth:
                return text.count("\n", 0, token.start()) + 1
        elif token.group() == "]":
            depth -= 1
    return None
