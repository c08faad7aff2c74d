"""Diagnostics as SARIF 2.1.0, the format GitHub code scanning reads.

GitHub shows a result on the lines of a pull request when its location is a path
relative to the repository root (``uriBaseId`` ``%SRCROOT%``) with a ``startLine``.
GitHub also refuses the *whole* file when one result has no physical location, so a
diagnostic about the graph as a whole (no file) is anchored at ``whole_graph_uri``
when the caller gives one (the project's ``clinicgraph.toml`` is the natural choice);
without it such a result carries only a logical location naming the node, which is
valid SARIF but will not upload to GitHub.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.report import known_line, ordered

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/clinicgraph/"
FINGERPRINT_KEY = "clinicgraphIdentity/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_URL_AT_END = re.compile(r"^(.*?)\s*(https?://\S+)?\s*$", re.DOTALL)


def as_sarif(
    diagnostics: Iterable[Diagnostic],
    tool_version: str,
    rules_help: Mapping[str, str] | None = None,
    *,
    whole_graph_uri: str | None = None,
) -> str:
    """A SARIF 2.1.0 log with one run; byte-identical for the same diagnostics.

    ``rules_help`` maps a rule id to its help: a one-line description, optionally
    followed by a URL (``"Reviews need an author. https://..."``), or just the URL.
    The text becomes the rule's shortDescription and the URL its helpUri.
    """
    diagnostics = ordered(diagnostics)
    rule_ids = sorted({d.rule for d in diagnostics})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    driver = {
        "name": "clinicgraph",
        "version": tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule, (rules_help or {}).get(rule)) for rule in rule_ids],
    }
    results: list[dict] = []
    seen: Counter[str] = Counter()
    for d in diagnostics:
        # Like CodeQL's line hashes: the n-th result with one identity gets ":n", so
        # two values of one property stay two alerts.
        identity = fingerprint(d)
        seen[identity] += 1
        results.append(_result(d, index[d.rule], f"{identity}:{seen[identity]}", whole_graph_uri))
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def fingerprint(d: Diagnostic) -> str:
    """A result's identity across runs: lines move when a file is edited, the node
    IRI and property do not. Without a node, the file tells results apart."""
    parts = [d.rule, d.node, d.property] if d.node else [d.rule, None, d.property, d.file]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _rule(rule: str, help_text: str | None) -> dict:
    found = _URL_AT_END.match(help_text or "")
    assert found is not None  # every part of the pattern may match nothing
    text, url = found.groups()
    descriptor: dict = {"id": rule, "shortDescription": {"text": text or rule}}
    if url:
        descriptor["helpUri"] = _escape_uri(url, safe=":/?#[]@!$&'()*+,;=%~")
    return descriptor


def _result(d: Diagnostic, rule_index: int, identity: str, whole_graph_uri: str | None) -> dict:
    text = d.message or d.rule  # GitHub drops results whose message is empty
    if d.hint:
        text += f"\nHint: {d.hint}"
    result: dict = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[d.severity],
        "message": {"text": text},
    }
    location = _location(d, whole_graph_uri)
    if location:
        result["locations"] = [location]
    result["partialFingerprints"] = {FINGERPRINT_KEY: identity}
    extra = {
        k: v for k, v in (("node", d.node), ("property", d.property), ("value", d.value)) if v is not None
    }
    if extra:
        result["properties"] = extra
    return result


def _location(d: Diagnostic, whole_graph_uri: str | None) -> dict | None:
    location: dict = {}
    path = d.file or whole_graph_uri  # an empty file name is no file
    if path:
        physical: dict = {"artifactLocation": _artifact(path)}
        if d.file and known_line(d) is not None:
            physical["region"] = {"startLine": d.line}
        location["physicalLocation"] = physical
    if d.node is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": d.node, "kind": "resource"}]
    return location or None


def _artifact(path: str) -> dict:
    if os.path.isabs(path):  # outside the repository: a file: URI, no base
        return {"uri": Path(path).as_uri()}
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": _escape_uri(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def _escape_uri(text: str, safe: str) -> str:
    """Percent-encode what a URI may not hold (spaces, non-ASCII, stray ``%``)."""
    escaped = quote(text, safe=safe, errors="surrogatepass")
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", escaped)
