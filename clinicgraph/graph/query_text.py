"""A query's text: predeclared prefixes and syntax errors as one line.

Queries run with the prefixes schema, rdf, rdfs, xsd and owl predeclared and the site
URL as base. What a query means (SERVICE, FROM, schema.org's https spelling) is asked
of the engine's own parser (graph.query_reading); the tokens here only serve guesses that
cost nothing when wrong: which predeclared prefixes a query declares itself, and which
form a query for a remote endpoint has.
"""

from __future__ import annotations

import itertools
import re

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.vocab.namespaces import PREFIXES

_TOKENS = re.compile(
    r'''
    (?P<comment>\#[^\r\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<variable>[?$]\w+)
  | (?P<blank>_:[\w.-]*\w|_:\w)
  | (?P<number>[+-]?(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<language>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>[A-Za-z][\w.-]*:[\w.:%-]*|:[\w.:%-]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>.)
''',
    re.VERBOSE | re.DOTALL,
)


class QueryError(ClinicgraphError):
    """A query that cannot run: a syntax error (with line and column) or a refused form."""


def default_prefixes() -> dict[str, str]:
    return dict(PREFIXES)


def tokens(query: str) -> list[re.Match[str]]:
    """The query's tokens (``lastgroup`` their kind: comment, string, iri, variable, blank,
    number, language, pname, word, other), without white space."""
    return [m for m in _TOKENS.finditer(query) if not m.group().isspace()]


def keywords(query: str) -> list[str]:
    """The bare words of a query, upper-cased (strings, IRIs, names and comments left out)."""
    return [m.group().upper() for m in _TOKENS.finditer(query) if m.lastgroup == "word"]


def declared_prefixes(query: str) -> set[str]:
    """The prefix names a query declares itself (``PREFIX ex: <...>``)."""
    return {
        following.group()[:-1]
        for token, following in itertools.pairwise(m for m in tokens(query) if m.lastgroup != "comment")
        if token.lastgroup == "word"
        and token.group().upper() == "PREFIX"
        and following.lastgroup == "pname"
        and following.group().endswith(":")
    }


def missing_prefixes(query: str) -> list[str]:
    """PREFIX declarations for the predeclared prefixes a query does not declare itself,
    for engines that take no default prefixes (a remote endpoint, Oxigraph's server)."""
    declared = declared_prefixes(query)
    return [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]


def syntax_error(error: SyntaxError, source: str | None) -> QueryError:
    """Oxigraph's "error at 3:14: expected ..." as one line pointing at line and column."""
    message = str(error.msg if hasattr(error, "msg") and error.msg else error)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if match:
        detail = match[3].strip()
        if len(detail) > 100:  # Oxigraph lists every token it could have taken
            detail = detail[:100].rsplit(",", 1)[0] + ", ..."
        return QueryError(f"invalid SPARQL: {detail}", source or "query", int(match[1]), int(match[2]))
    return QueryError(f"invalid SPARQL: {message}", source or "query")
