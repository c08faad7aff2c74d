"""Where each subject and each of its properties is written in a Turtle or N-Triples file.

Oxigraph's parser gives no positions, and diagnostics must name a line; this scanner
walks the statements' tokens (the file has already parsed, so it is valid) and records
the line of every top-level subject and of each predicate written after it.

``statement_lines`` reads every token of the file. ``TurtleLines`` gives the same
answers lazily: one pass finds where each statement starts and ends, matching runs of
object tokens in C (a 112 MB file has 6 M tokens but 170 k statements), and a
statement's predicates are read only when a diagnostic asks for one of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from clinicgraph.vocab.namespaces import RDF_TYPE, normalize_schema_iri

if TYPE_CHECKING:  # imported where used: turtle_blanks imports this module
    from clinicgraph.graph.turtle_blanks import TurtleBlanks

_TOKEN = re.compile(
    r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><(?:[^<>"{}|^`\\\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<directive>@prefix|@base|(?i:prefix|base)(?=\s))
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<datatype>\^\^)
  | (?P<number>[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<blank>_:[\w.-]*\w|_:\w)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%-]|\.(?=[\w:%-]))*)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[\[\]();,.])
  | (?P<space>\s+)
''',
    re.VERBOSE,
)


def statement_lines(text: str, base: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """(subject IRI -> line, (subject IRI, predicate IRI) -> line), first occurrence wins."""
    nodes: dict[str, int] = {}
    values: dict[tuple[str, str], int] = {}
    prefixes: dict[str, str] = {}
    tokens = tokens_of(text)
    depth, expect, subject = 0, "subject", None
    for kind, value, line in tokens:
        if kind == "directive":
            if value.lower().endswith("prefix"):
                name = next(tokens)[1]
                bind_prefix(prefixes, name, token_iri(next(tokens)[1], base, {}))
            else:
                base = token_iri(next(tokens)[1], base, {}) or ""
            continue
        if kind == "punct":
            if value in "[(":
                depth += 1
                if depth == 1 and expect == "subject":
                    subject, expect = None, "predicate"  # a blank node subject: not located here
                continue
            if value in "])":
                depth -= 1
            elif depth == 0 and value == ";":
                expect = "predicate"
            elif depth == 0 and value == ".":
                expect, subject = "subject", None
            continue
        if depth:
            continue
        if expect == "subject":
            subject = token_iri(value, base, prefixes) if kind in ("iri", "pname") else None
            if subject is not None:
                nodes.setdefault(subject, line)
            expect = "predicate"
        elif expect == "predicate":
            predicate = RDF_TYPE if value == "a" else token_iri(value, base, prefixes)
            if subject is not None and predicate is not None:
                values.setdefault((subject, predicate), line)
            expect = "object"
    return nodes, values


def tokens_of(text: str, start: int = 0, end: int | None = None, line: int = 1):
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        kind, value = match.lastgroup, match.group()
        if kind not in ("space", "comment"):
            yield kind, value, line
        line += value.count("\n")


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")  # Turtle's escapes in an IRI


def token_iri(token: str, base: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith("<"):
        iri = _UCHAR.sub(lambda escape: chr(int(escape[1] or escape[2], 16)), token[1:-1])
        joined = urljoin(base, iri)
        if iri.endswith(("#", "?")) and not joined.endswith(iri[-1]):
            joined += iri[-1]  # urljoin drops an empty fragment: <http://ex.org/ns#> is a prefix
        return normalize_schema_iri(joined)
    prefix, sep, local = token.partition(":")
    if sep and prefix in prefixes:
        return normalize_schema_iri(prefixes[prefix] + local.replace("\\", ""))
    return None


def bind_prefix(prefixes: dict[str, str], name: str, iri: str | None) -> None:
    """``@prefix name <iri>``. An IRI the scanner cannot read (a ``\\u`` escape in it)
    unbinds the prefix: its names then get no line, not a crash or another IRI's line.
    (An unreadable ``@base`` likewise becomes "": relative IRIs stay unresolved.)"""
    key = name[:-1] if name.endswith(":") else name.split(":")[0]
    if iri is None:
        prefixes.pop(key, None)
    else:
        prefixes[key] = iri


# What TurtleLines skips inside a statement at C speed: runs of characters that cannot
# open or close anything ([ ] ( ) . " ' < # @ excluded), strings, IRIs, comments,
# language tags and the decimal point of a number. It stops at brackets, at a "." not
# followed by a digit, and at @prefix/@base; the stop is then read with _TOKEN.
_RUN = re.compile(
    r'''(?:[^"'<#.\[\]()@]+
  | "(?!"")[^"\\\n]*(?:\\.[^"\\\n]*)*"
  | <(?:[^<>"{}|^`\\\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>
  | \.(?=\d)
  | \#[^\n]*
  | """(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
  | '[^'\\\n]*(?:\\.[^'\\\n]*)*'
  | @(?!prefix|base)[A-Za-z]+(?:-[A-Za-z0-9]+)*
)*+''',
    re.VERBOSE,
)
# A statement's end and the next one's subject, an absolute IRI in the form _PLAIN_IRI
# (below) accepts: the usual case, read in one match and resolved without urljoin.
_IRI_CHAR = r"[^<>\"{}|^`\\\s%s]"
_END_AND_SUBJECT = re.compile(
    r"\.[ \t\r\n]*<(https?://%s+(?:/%s*)?(?:\?%s+)?(?:\#%s+)?)>"
    % (_IRI_CHAR % r"/?#;\[\]", _IRI_CHAR % "?#;", _IRI_CHAR % "#", _IRI_CHAR % "")
)
_NAME_CHAR = re.compile(r"[\w:%.-]")  # what a prefixed name, blank node label or number is made of
# An absolute http(s) IRI that urljoin would give back unchanged (no empty query or
# fragment, no ;params, no brackets): most subjects, resolved without urljoin.
_PLAIN_IRI = re.compile(r"https?://[^/?#;\[\]]+(?:/[^?#;]*)?(?:\?[^#]+)?(?:#.+)?")


class TurtleLines:
    """The lines of a Turtle or N-Triples text, as ``statement_lines`` gives them, found
    lazily: ``node_line(iri)`` and ``value_line(iri, predicate)``; and, asked about a blank
    node (``_:`` and its label in the store, for the file ``relpath`` read as ``syntax``),
    those ``TurtleBlanks`` gives."""

    def __init__(self, text: str, base: str, relpath: str = "", syntax=None):
        self._text = text
        # subject IRI -> its statements: [start, end, line, base, prefixes], in file order
        self._statements: dict[str, list[list]] = {}
        self._values: dict[str, dict[str, int]] = {}
        self._base, self._relpath, self._syntax = base, relpath, syntax
        self._blanks: TurtleBlanks | None = None
        self._index(base)

    @classmethod
    def read(cls, path, base: str, relpath: str = "", syntax=None) -> TurtleLines:
        return cls(path.read_text(encoding="utf-8-sig"), base, relpath, syntax)

    def node_line(self, iri: str) -> int | None:
        if iri.startswith("_:"):
            return self.blanks().node_line(iri)
        found = self._statements.get(iri)
        return found[0][2] if found else None

    def blanks(self) -> TurtleBlanks:
        """The blank nodes' lines, read on the first question about one."""
        if self._blanks is None:
            from pyoxigraph import RdfFormat

            from clinicgraph.graph.turtle_blanks import TurtleBlanks

            self._blanks = TurtleBlanks(
                self._text, self._base, self._relpath, self._syntax or RdfFormat.TURTLE
            )
        return self._blanks

    def value_line(self, iri: str, predicate: str) -> int | None:
        if iri.startswith("_:"):
            return self.blanks().value_line(iri, predicate)
        values = self._values.get(iri)
        if values is None:
            values = self._values[iri] = self._read_values(iri)
        return values.get(predicate)

    def _index(self, base: str) -> None:
        text, statements = self._text, self._statements
        prefixes: dict[str, str] = {}
        shared = False  # whether ``prefixes`` is held by a statement (copy before changing)
        pos, depth, line, counted = 0, 0, 1, 0
        expect_subject, current = True, None
        while True:
            if not expect_subject:
                run = _RUN.match(text, pos)
                assert run is not None  # it matches the empty string too
                pos = run.end()
                ahead = _END_AND_SUBJECT.match(text, pos) if depth == 0 else None
                if ahead is not None:  # the usual ". <http://next/subject>", read in one match
                    if current is not None:
                        current[1] = pos + 1
                    start, pos = ahead.start(1) - 1, ahead.end()
                    line += text.count("\n", counted, start)
                    counted = start
                    current = [start, len(text), line, base, prefixes]
                    shared = True
                    statements.setdefault(normalize_schema_iri(ahead.group(1)), []).append(current)
                    continue
                if text.startswith(".", pos) and _NAME_CHAR.match(text, pos + 1):
                    inside = _name_around(text, pos)
                    if inside is not None:
                        pos = inside
                        continue
            match = _TOKEN.match(text, pos)
            if match is None:
                if pos >= len(text):
                    break
                pos += 1  # a character no token matches: skipped, as finditer does
                continue
            kind, value, pos = match.lastgroup, match.group(), match.end()
            if kind in ("space", "comment"):
                continue
            if kind == "directive":
                if shared:
                    prefixes, shared = dict(prefixes), False
                pos, base = self._directive(value, pos, base, prefixes)
                continue
            if kind == "punct" and value in "[(":
                depth += 1
                if depth == 1 and expect_subject:
                    expect_subject = False
                continue
            if kind == "punct" and value in "])":
                depth -= 1
                continue
            if kind == "punct" and value == "." and depth == 0:
                if current is not None:
                    current[1] = pos
                expect_subject, current = True, None
                continue
            if not expect_subject or depth or kind == "punct":
                if kind == "punct" and value == ";" and depth == 0:
                    expect_subject = False
                continue
            expect_subject = False
            subject = _iri_fast(value, base, prefixes) if kind in ("iri", "pname") else None
            if subject is not None:
                line += text.count("\n", counted, match.start())
                counted = match.start()
                current = [match.start(), len(text), line, base, prefixes]
                shared = True
                statements.setdefault(subject, []).append(current)

    def _directive(self, value: str, pos: int, base: str, prefixes: dict[str, str]) -> tuple[int, str]:
        """Read a directive's operands as statement_lines does: the next tokens."""
        operands = []
        for match in _TOKEN.finditer(self._text, pos):
            if match.lastgroup not in ("space", "comment"):
                operands.append(match.group())
                if len(operands) == (2 if value.lower().endswith("prefix") else 1):
                    pos = match.end()
                    break
        else:
            return len(self._text), base
        if len(operands) == 2:
            bind_prefix(prefixes, operands[0], token_iri(operands[1], base, {}))
            return pos, base
        return pos, token_iri(operands[0], base, {}) or ""

    def _read_values(self, iri: str) -> dict[str, int]:
        """Each predicate's first line in the statements about ``iri``: the rules of
        statement_lines, on those statements only."""
        values: dict[str, int] = {}
        for start, end, line, base, prefixes in self._statements.get(iri, ()):
            depth, expect = 0, "subject"
            for kind, value, at in tokens_of(self._text, start, end, line):
                if kind == "punct":
                    if value in "[(":
                        depth += 1
                    elif value in "])":
                        depth -= 1
                    elif depth == 0 and value == ";":
                        expect = "predicate"
                    continue
                if depth:
                    continue
                if expect == "subject":
                    expect = "predicate"
                elif expect == "predicate":
                    predicate = RDF_TYPE if value == "a" else token_iri(value, base, prefixes)
                    if predicate is not None:
                        values.setdefault(predicate, at)
                    expect = "object"
        return values


def _name_around(text: str, dot: int) -> int | None:
    """The end of the token holding the "." at ``dot`` (ex:a.b, _:b.1), or None when the
    dot ends a statement (ex:o.ex:s, "x"@en.ex:s): _TOKEN decides, from the token's start."""
    start = dot
    while start and _NAME_CHAR.match(text, start - 1):
        start -= 1
    if start and text[start - 1] == "@":
        start -= 1
    for match in _TOKEN.finditer(text, start):
        if match.end() > dot:
            return match.end() if match.start() < dot else None
    return None


def _iri_fast(token: str, base: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith("<") and _PLAIN_IRI.fullmatch(token, 1, len(token) - 1):
        return normalize_schema_iri(token[1:-1])
    return token_iri(token, base, prefixes)
