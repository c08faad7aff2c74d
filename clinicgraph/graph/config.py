"""``clinicgraph.toml``: the site every relative id and page path is resolved against."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from clinicgraph.core.errors import ClinicgraphError, SourceError
from clinicgraph.graph import checks_config, derive_config
from clinicgraph.graph.checks_config import Checking
from clinicgraph.graph.derive_config import Derive
from clinicgraph.graph.limits import DEFAULT, Limits, from_table
from clinicgraph.graph.text import decode

CONFIG_NAME = "clinicgraph.toml"


@dataclass(frozen=True)
class Site:
    url: str  # absolute, ends with "/"
    name: str | None = None
    language: str | None = None
    limits: Limits = field(default=DEFAULT, compare=False)
    derive: Derive = derive_config.DEFAULT  # compared: it changes the graph
    checks: Checking = field(default=checks_config.DEFAULT, compare=False)  # [checks], [health]


def load_site(project: Path) -> Site:
    path = project / CONFIG_NAME
    if not project.is_dir():
        what = "not a folder" if project.exists() else "no such folder"
        raise SourceError(f"{what}: give the project folder, the one holding {CONFIG_NAME}", project)
    if not path.is_file():
        raise SourceError(f'missing {CONFIG_NAME}: create it with [site] and url = "https://..."', path)
    text = decode(path.read_bytes(), path)
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        line = int(where.group(1)) if where else text.count("\n") + 1
        raise SourceError(
            f"invalid TOML: {message[:1].lower()}{message[1:]}",
            path,
            line,
            int(where.group(2)) if where else None,
        ) from None
    site = config.get("site")
    if not isinstance(site, dict):
        raise SourceError(
            'no [site] table: add [site] with url = "https://..."',
            path,
            _line_of(text, "site") if "site" in config else None,
        )
    url = site.get("url")
    if not isinstance(url, str):
        if "url" not in site:
            raise SourceError('[site] has no url: add url = "https://..."', path, _line_of(text, "[site]"))
        raise SourceError('[site] url must be text: url = "https://..."', path, _line_of(text, "url"))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SourceError(
            f"[site] url must be an absolute http(s) URL without query or fragment, not {url!r}",
            path,
            _line_of(text, "url"),
        )
    for key in ("name", "language"):
        if not isinstance(site.get(key, ""), str):
            raise SourceError(f"[site] {key} must be text", path, _line_of(text, key))
    if not url.endswith("/"):
        url += "/"  # so page paths and relative ids resolve beneath it
    limits = (
        from_table(config["limits"], path, lambda key: _line_of(text, key, "limits"))
        if "limits" in config
        else DEFAULT
    )
    derive = (
        derive_config.from_table(config["derive"], path, lambda key, table: _line_of(text, key, table))
        if "derive" in config
        else derive_config.DEFAULT
    )
    checks = checks_config.from_tables(config, path, lambda key, table: _line_of(text, key, table))
    return Site(
        url=url,
        name=site.get("name"),
        language=site.get("language"),
        limits=limits,
        derive=derive,
        checks=checks,
    )


def project_for_site(site_dir: Path) -> Path:
    """``embed``'s default SOURCE: the nearest folder holding clinicgraph.toml, SITE_DIR
    itself or one above it (the example's site lives inside its project)."""
    start = Path(site_dir).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ClinicgraphError(
        f"no {CONFIG_NAME} in the site folder or above it: give the project with --source PROJECT", site_dir
    )


def config_line(config: Path, key: str, table: str) -> int | None:
    """The line of ``key`` in ``[table]`` of a clinicgraph.toml (``"[table]"``: the
    table's header), for findings about its settings; None if unreadable or not there."""
    try:
        return _line_of(config.read_text(encoding="utf-8"), key, table)
    except (OSError, UnicodeDecodeError):
        return None


def _line_of(text: str, key: str, table: str = "site") -> int | None:
    """The line of the ``[table]`` header (or of ``table = ...``), or of ``key = ...``
    within [table] (else anywhere): a key bare or quoted, at a line's start or inside an
    inline table (``names = { "/conditions/" = "Conditions" }``)."""
    header = re.compile(rf"\s*\[\s*{re.escape(table)}\s*\]")
    if key == f"[{table}]":
        return _first_line(text, header, 0) or _first_line(text, _key_pattern(table, ""), 0)
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if header.match(line)), 0)
    return _first_line(text, _key_pattern(key, table), start)


def _key_pattern(key: str, table: str) -> re.Pattern:
    dotted = rf"({re.escape(table)}\s*\.\s*)?" if table else ""
    return re.compile(rf"(\s*|.*[{{,]\s*){dotted}(?P<q>[\"']?){re.escape(key)}(?P=q)\s*=")


def _first_line(text: str, wanted: re.Pattern, start: int) -> int | None:
    """The first line from ``start`` on (then from the top) that ``wanted`` matches."""
    lines = text.splitlines()
    for number in [*range(start, len(lines)), *range(0, start)]:
        if wanted.match(lines[number]):
            return number + 1
    return None
