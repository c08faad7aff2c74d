"""Diagnostics as reports: pure functions from a list of Diagnostics to text.

Formats, one function each:

- ``as_text``: for people; grouped by file, coloured on request.
- ``as_plain``: one line per diagnostic, ``file:line: severity: message [rule]``, the
  GNU/GCC convention that editors (Vim's quickfix, Emacs's compilation mode, VS Code
  problem matchers) and GitHub's problem matchers already parse. Without a line it is
  ``file: severity: ...``; without a file, ``severity: ...``.
- ``as_github``: GitHub Actions workflow commands (``::warning file=..,line=..::``),
  which annotate a pull request from any CI log with no SARIF upload.
- ``as_json``: one object per diagnostic, every field, described by
  ``diagnostics.schema.json`` beside this module.
- ``as_sarif`` (in ``sarif.py``): SARIF 2.1.0 for GitHub code scanning.

``FORMATS`` names them, for the commands' ``--format`` and ``render``.

Every format sorts the diagnostics itself, so the same findings give the same bytes.
A line number below 1 counts as unknown. Control characters in messages are shown
escaped, so data cannot write terminal escape sequences into a report.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import fields
from importlib import resources

from clinicgraph.checks.diagnostic import SEVERITIES, Diagnostic

__all__ = [
    "FORMATS",
    "WHOLE_GRAPH",
    "as_github",
    "as_json",
    "as_plain",
    "as_text",
    "exit_status",
    "json_schema",
    "known_line",
    "ordered",
    "render",
    "summary_counts",
    "summary_line",
]

WHOLE_GRAPH = "(whole graph)"
_PLURAL = {"error": "errors", "warning": "warnings", "info": "infos"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[34m"}
_GITHUB = {"error": "error", "warning": "warning", "info": "notice"}
# Control characters but \t and \n, line separators and bidi overrides: shown escaped.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# -- counts and exit status


def summary_counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """``{"errors": n, "warnings": m, "infos": k}``."""
    counts = dict.fromkeys(_PLURAL.values(), 0)
    for d in ordered(diagnostics):
        counts[_PLURAL[d.severity]] += 1
    return counts


def exit_status(diagnostics: Iterable[Diagnostic], strict: bool = False) -> int:
    """0 without errors (warnings allowed), 1 with any error; ``strict`` counts
    warnings as errors. Infos never fail."""
    counts = summary_counts(diagnostics)
    failing = counts["errors"] + (counts["warnings"] if strict else 0)
    return 1 if failing else 0


def summary_line(diagnostics: Iterable[Diagnostic]) -> str:
    """``"2 errors, 1 warning, 0 infos"``."""
    counts = summary_counts(diagnostics)
    parts = []
    for severity in SEVERITIES:
        n = counts[_PLURAL[severity]]
        parts.append(f"{n} {severity if n == 1 else _PLURAL[severity]}")
    return ", ".join(parts)


# -- for people


def as_text(diagnostics: Iterable[Diagnostic], color: bool) -> str:
    """The report grouped by file (files sorted, then the whole-graph group), e.g.::

    content/clinic.yaml
      12  warning  The review has no author name.  [google/review-author-missing]
                   hint: add author.name
    0 errors, 1 warning, 0 infos
    """
    diagnostics = ordered(diagnostics)
    groups: dict[str | None, list[Diagnostic]] = {}
    for d in diagnostics:
        groups.setdefault(d.file or None, []).append(d)
    out: list[str] = []
    for file in sorted(groups, key=lambda f: (f is None, f or "")):
        out.append(_paint(_one_line(file) if file else WHOLE_GRAPH, _BOLD, color))
        out.extend(_group_lines(groups[file], color))
    out.append(summary_line(diagnostics))
    return "\n".join(out) + "\n"


def _group_lines(group: list[Diagnostic], color: bool) -> list[str]:
    width = max(len(_position(d)) for d in group)
    indent = " " * (2 + width + 2 + len("warning") + 2)  # where the message starts
    # findings of one rule at one line (a rule's template making many pages, a YAML list):
    # each names its node, or they read as one finding repeated
    shared = Counter((known_line(d), d.rule) for d in group)
    lines = []
    for d in group:
        severity = _paint(d.severity, _COLORS[d.severity], color)
        pad = " " * (len("warning") - len(d.severity))
        message = _clean(d.message).replace("\n", "\n" + indent)
        lines.append(f"  {_position(d):>{width}}  {severity}{pad}  {message}  [{_one_line(d.rule)}]")
        if d.node and shared[(known_line(d), d.rule)] > 1:
            lines.append(indent + "on: " + _one_line(d.node))
        if d.hint:
            lines.append(indent + "hint: " + _clean(d.hint).replace("\n", "\n" + indent + "      "))
    return lines


def _position(d: Diagnostic) -> str:
    line = known_line(d)
    if line is None:
        return "-"
    column = getattr(d, "column", None)  # Diagnostic may grow a column one day
    return f"{line}:{column}" if column else str(line)


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and code else text


# -- for tools that read logs


def as_plain(diagnostics: Iterable[Diagnostic]) -> str:
    """``file:line: severity: message [rule]``, one line each, no summary."""
    lines = []
    for d in ordered(diagnostics):
        where = _one_line(d.file) if d.file else ""
        if where and known_line(d) is not None:
            where += f":{known_line(d)}"
        text = f"{d.severity}: {_one_line(d.message)} [{_one_line(d.rule)}]"
        lines.append(f"{where}: {text}" if where else text)
    return "".join(line + "\n" for line in lines)


def as_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one per diagnostic (infos as notices)."""
    lines = []
    for d in ordered(diagnostics):
        props = []
        if d.file:
            props.append("file=" + _gh_property(_clean(d.file).replace("\\", "/")))
            if known_line(d) is not None:
                props.append(f"line={known_line(d)}")
        props.append("title=" + _gh_property(_clean(d.rule)))
        text = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{_GITHUB[d.severity]} {','.join(props)}::{_gh_data(_clean(text))}")
    return "".join(line + "\n" for line in lines)


def _gh_data(text: str) -> str:
    # The escapes GitHub's runner undoes (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


# -- for programs


def as_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON array, one object per diagnostic with every field (null where absent),
    keys in field order, diagnostics in report order."""
    rows = []
    for d in ordered(diagnostics):
        row = {f.name: getattr(d, f.name) for f in fields(d)}
        row["line"] = known_line(d)
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def json_schema() -> dict:
    """The JSON schema of ``as_json``'s output (shipped as package data)."""
    text = resources.files("clinicgraph.checks").joinpath("diagnostics.schema.json").read_text("utf-8")
    return json.loads(text)


def _sarif(diagnostics: Iterable[Diagnostic], whole_graph_uri: str | None) -> str:
    from clinicgraph import __version__

    # sarif.py imports this module: it is loaded on first use
    from clinicgraph.checks.sarif import as_sarif

    return as_sarif(diagnostics, __version__, whole_graph_uri=whole_graph_uri)


# The report formats, by name: (what it is for, in ``--format``'s help; the function,
# given the diagnostics, whether to colour, and the file that stands for the whole graph).
FORMATS: dict[str, tuple[str, Callable[[list, bool, str | None], str]]] = {
    "text": ("for people", lambda diagnostics, color, whole: as_text(diagnostics, color=color)),
    "plain": ("(file:line: ...) for editors", lambda diagnostics, color, whole: as_plain(diagnostics)),
    "github": ("for Actions annotations", lambda diagnostics, color, whole: as_github(diagnostics)),
    "json": ("", lambda diagnostics, color, whole: as_json(diagnostics)),
    "sarif": ("for GitHub code scanning", lambda diagnostics, color, whole: _sarif(diagnostics, whole)),
}


def render(
    diagnostics: list[Diagnostic], format_name: str, color: bool = False, whole_graph_uri: str | None = None
) -> str:
    """The report in one of ``FORMATS``; ``whole_graph_uri`` is where SARIF places a
    finding about no file (the project's clinicgraph.toml)."""
    return FORMATS[format_name][1](diagnostics, color, whole_graph_uri)


# -- shared by every format


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Report order (file, line, rule, ...), total so that any input order gives the
    same output; refuses a severity no format knows (a bug in a rule)."""
    result = sorted(diagnostics, key=_total_key)
    for d in result:
        if d.severity not in _PLURAL:
            raise ValueError(f"unknown severity {d.severity!r} from rule {d.rule}")
    return result


def _total_key(d: Diagnostic) -> tuple:
    # sort_key leaves ties (same place and rule, different message): break them on
    # every field, None apart from "".
    return d.sort_key(), json.dumps([getattr(d, f.name) for f in fields(d)])


def known_line(d: Diagnostic) -> int | None:
    """The line, or None when unknown (lines count from 1)."""
    return d.line if d.line is not None and d.line >= 1 else None


def _clean(text: str) -> str:
    """Control characters (ESC...) made visible, so they cannot act on a terminal."""
    return _CONTROL.sub(_escape, text.replace("\r\n", "\n"))


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _one_line(text: str) -> str:
    return " ".join(_clean(text).replace("\t", " ").split("\n"))
