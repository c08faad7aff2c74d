"""What clinicgraph derives: the ``[derive]`` table of clinicgraph.toml.

```toml
[derive]
enabled = true            # false: nothing is derived (the graph is the sources' alone)
breadcrumbs = true        # each page's BreadcrumbList, from its URL path
wiring = true             # isPartOf, publisher, inLanguage where a page lacks them
max-triples = 200000      # what rules/*.rq may write in all (default: 10 x the sources' triples)

[derive.breadcrumbs]      # instead of `breadcrumbs = true`: on, with settings
names = { "/conditions/" = "Conditions", "/" = "Home" }

[derive.wiring]           # instead of `wiring = true`: on, each default switchable
is-part-of = true         # isPartOf the site's WebSite
publisher = true          # publisher the WebSite's publisher
in-language = true        # inLanguage [site] language
```

``names`` gives a level of the breadcrumb trail its label. A key is a path relative to
the site URL, as it appears in the page URLs (a leading ``/`` is optional and means the
site URL, not the host's root, so ``"conditions/"`` and ``"/conditions/"`` are one key;
``"/"`` or ``""`` is the home level). A level that is no page needs a name here, else it
is left out of the trail; a page's level takes the name given here over the page's own
(a shorter label than its title). ``max-triples`` bounds what the project's rules write
together, so that a rule joining more than it meant stops with an error rather than
filling memory; unset, it is ten times the sources' triples, and never under
``MIN_MAX_TRIPLES`` (so a small project can still run a rule that mints pages). The table lives in the graph room, beside ``[site]``
and ``[limits]``, because clinicgraph.toml is read there; the derive room reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from clinicgraph.core.errors import SourceError

SWITCHES = ("enabled", "breadcrumbs", "wiring")
SETTINGS = (*SWITCHES, "max-triples")
MIN_MAX_TRIPLES = 10_000
WIRES = {"is-part-of": "isPartOf", "publisher": "publisher", "in-language": "inLanguage"}  # key -> property


@dataclass(frozen=True)
class Derive:
    enabled: bool = True
    breadcrumbs: bool = True
    wiring: bool = True
    names: tuple[tuple[str, str], ...] = ()  # (path relative to the site, label), sorted
    max_triples: int | None = None  # None: 10 x the sources' triples (max_triples_for)
    unwired: tuple[str, ...] = ()  # the properties [derive.wiring] switches off ("isPartOf"), sorted

    def runs(self, step: str) -> bool:
        """Whether a step (``"breadcrumbs"``, ``"wiring"``) runs."""
        return self.enabled and getattr(self, step)

    def max_triples_for(self, source_triples: int) -> int:
        """What the rules may write in all, for sources of so many triples."""
        if self.max_triples is not None:
            return self.max_triples
        return max(10 * source_triples, MIN_MAX_TRIPLES)

    def wires(self, prop: str) -> bool:
        """Whether page wiring gives pages this property (``"isPartOf"``, ``"publisher"``,
        ``"inLanguage"``) where they lack it."""
        return self.runs("wiring") and prop not in self.unwired


DEFAULT = Derive()


def from_table(table, where: str | Path, line_of) -> Derive:
    """The ``[derive]`` table; ``line_of(key, table)`` gives a key's line within a table
    (``"derive"`` or ``"derive.breadcrumbs"``), or the table's header for ``"[table]"``."""
    if not isinstance(table, dict):
        raise SourceError("[derive] must be a table", where, line_of("[derive]", "derive"))
    for key in table:
        if key not in SETTINGS:
            raise SourceError(
                f"[derive] has no setting {key!r}: use {', '.join(SETTINGS)}", where, line_of(key, "derive")
            )
    breadcrumbs, wiring = table.get("breadcrumbs", True), table.get("wiring", True)
    names: tuple[tuple[str, str], ...] = ()
    unwired: tuple[str, ...] = ()
    if isinstance(breadcrumbs, dict):
        breadcrumbs, names = _breadcrumbs_table(breadcrumbs, where, line_of)
    if isinstance(wiring, dict):
        wiring, unwired = _wiring_table(wiring, where, line_of)
    switches = {"enabled": table.get("enabled", True), "breadcrumbs": breadcrumbs, "wiring": wiring}
    for key, value in switches.items():
        if not isinstance(value, bool):
            more = f" (or a [derive.{key}] table)" if key != "enabled" else ""
            raise SourceError(f"[derive] {key} must be true or false{more}", where, line_of(key, "derive"))
    limit = table.get("max-triples")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise SourceError(
            "[derive] max-triples must be a whole number, 0 or more (what rules/*.rq may write in all)",
            where,
            line_of("max-triples", "derive"),
        )
    return Derive(switches["enabled"], switches["breadcrumbs"], switches["wiring"], names, limit, unwired)


def _wiring_table(table: dict, where, line_of) -> tuple[bool, tuple[str, ...]]:
    """``[derive.wiring]``: whether wiring runs, and the properties it leaves alone."""
    here, keys = "derive.wiring", ("enabled", *WIRES)
    for key, value in table.items():
        if key not in keys:
            raise SourceError(
                f"[{here}] has no setting {key!r}: use {', '.join(keys)}", where, line_of(key, here)
            )
        if not isinstance(value, bool):
            raise SourceError(f"[{here}] {key} must be true or false", where, line_of(key, here))
    unwired = sorted(prop for key, prop in WIRES.items() if not table.get(key, True))
    return table.get("enabled", True), tuple(unwired)


def _breadcrumbs_table(table: dict, where, line_of) -> tuple[bool, tuple[tuple[str, str], ...]]:
    here = "derive.breadcrumbs"
    for key in table:
        if key not in ("enabled", "names"):
            raise SourceError(
                f"[{here}] has no setting {key!r}: use enabled, names", where, line_of(key, here)
            )
    enabled, names = table.get("enabled", True), table.get("names", {})
    if not isinstance(enabled, bool):
        raise SourceError(f"[{here}] enabled must be true or false", where, line_of("enabled", here))
    if not isinstance(names, dict):
        raise SourceError(
            f'[{here}] names must be a table of path = "label": names = {{ "/conditions/" = "Conditions" }}',
            where,
            line_of("names", here),
        )
    labels = {}
    for key, label in names.items():
        path = site_path(key)
        if path is None:
            raise SourceError(
                f"[{here}] names: {key!r} is not a path under the site: write it relative to "
                'the site URL, as in "/conditions/"',
                where,
                line_of(key, here),
            )
        if not isinstance(label, str) or not label.strip():
            raise SourceError(
                f"[{here}] names: the label of {key!r} must be text, not empty", where, line_of(key, here)
            )
        if path in labels:
            raise SourceError(
                f"[{here}] names: {key!r} names the same path as another key", where, line_of(key, here)
            )
        labels[path] = label.strip()
    return enabled, tuple(sorted(labels.items()))


_NOT_A_PATH = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|[?#\\\s]|//")


def site_path(key: str) -> str | None:
    """A ``names`` key as the path it names (relative to the site URL, as page paths are
    kept, percent-escapes decoded so either spelling matches), or None if it is none:
    a URL, a query or fragment, ``.`` or ``..`` segments."""
    if _NOT_A_PATH.search(key):
        return None
    path = unquote(key.removeprefix("/"))
    if any(part in (".", "..") for part in path.split("/")):
        return None
    return path
