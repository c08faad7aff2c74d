"""Where each subject and each of its properties is written in a Turtle or N-Triples file.

Oxigraph's parser gives no positions, and diagnostics must name a line; this scanner
walks the statements' tokens (the file has already parsed, so it is valid) and records
the line of every top-level subject and of each predicate written after it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from clinicgraph.vocab.namespaces import RDF_TYPE, normalize_schema_iri

_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<directive>@prefix|@base|(?i:prefix|base)(?=\s))
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<datatype>\^\^)
  | (?P<number>[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<blank>_:[\w.-]*\w|_:\w)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%-]|\.(?=[\w:%-]))*)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[\[\]();,.])
  | (?P<space>\s+)
''', re.VERBOSE)


def statement_lines(text: str, base: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """(subject IRI -> line, (subject IRI, predicate IRI) -> line), first occurrence wins."""
    nodes: dict[str, int] = {}
    values: dict[tuple[str, str], int] = {}
    prefixes: dict[str, str] = {}
    tokens = _tokens(text)
    depth, expect, subject = 0, "subject", None
    for kind, value, line in tokens:
        if kind == "directive":
            if value.lower().endswith("prefix"):
                name = next(tokens)[1]
                prefixes[name[:-1] if name.endswith(":") else name.split(":")[0]] = _iri(next(tokens)[1], base, {})
            else:
                base = _iri(next(tokens)[1], base, {})
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
            subject = _iri(value, base, prefixes) if kind in ("iri", "pname") else None
            if subject is not None:
                nodes.setdefault(subject, line)
            expect = "predicate"
        elif expect == "predicate":
            predicate = RDF_TYPE if value == "a" else _iri(value, base, prefixes)
            if subject is not None and predicate is not None:
                values.setdefault((subject, predicate), line)
            expect = "object"
    return nodes, values


def _tokens(text: str):
    line = 1
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind not in ("space", "comment"):
            yield kind, value, line
        line += value.count("\n")


def _iri(token: str, base: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith("<"):
        return normalize_schema_iri(urljoin(base, token[1:-1]))
    prefix, sep, local = token.partition(":")
    if sep and prefix in prefixes:
        return normalize_schema_iri(prefixes[prefix] + local.replace("\\", ""))
    return None
