"""Which HTML file of a static site is which page of the graph.

A page's file is found from its URL path, as static hosts serve them:
``/`` -> ``index.html``; ``/a/b/`` -> ``a/b/index.html``; ``/a/b.html`` -> ``a/b.html``;
``/a/b`` -> ``a/b.html``, else ``a/b/index.html`` (``.htm`` is accepted too). A map
file (TOML, ``"page url or path" = "file under the site"``) overrides this per page.
Every path is checked to stay inside the site folder, symlinks resolved.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol
from urllib.parse import unquote

from clinicgraph.core.errors import ClinicgraphError

HTML_SUFFIXES = (".html", ".htm")


class Page(Protocol):
    """What a page is to a site (a ``graph.pages.Page``): its url and its path under the site.
    Named by shape, not imported, because HTML sites sit below the graph (read-only, as
    that frozen dataclass's fields are)."""

    @property
    def url(self) -> str: ...
    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class Target:
    url: str  # the page's url
    relpath: str  # the file under the site folder, as the user names it
    path: Path  # the real file (symlinks resolved), inside the site folder


@dataclass
class SiteMap:
    targets: list[Target]
    missing: list[tuple[str, list[str]]]  # page url, files looked for
    unclaimed: list[str]  # HTML files no page claims


def candidates(page: Page) -> list[str]:
    path = unquote(page.path)
    if path == "" or path.endswith("/"):
        return [path + "index.html", path + "index.htm"]
    if path.lower().endswith(HTML_SUFFIXES):
        return [path]
    return [path + ".html", path + ".htm", path + "/index.html", path + "/index.htm"]


def map_site(site_dir: Path, pages: Sequence[Page], site_url: str, map_file: Path | None = None) -> SiteMap:
    root = _site_root(site_dir)
    explicit = read_map(map_file, site_url, {page.url for page in pages}) if map_file else {}
    targets, missing = [], []
    owners: dict[Path, str] = {}  # a file -> the url of the page mapped to it
    for page in pages:
        looked = [explicit[page.url]] if page.url in explicit else candidates(page)
        for relpath in looked:
            path = inside(root, site_dir, relpath)
            if path.is_file():
                if path in owners:
                    raise ClinicgraphError(
                        f"pages {owners[path]} and {page.url} both map to this file", site_dir / relpath
                    )
                owners[path] = page.url
                targets.append(Target(page.url, relpath, path))
                break
        else:
            missing.append((page.url, looked))
    unclaimed = [relpath for relpath in html_files(root) if (root / relpath).resolve() not in owners]
    return SiteMap(targets, missing, unclaimed)


def _site_root(site_dir: Path) -> Path:
    if not site_dir.is_dir():
        what = "not a folder" if site_dir.exists() else "no such folder"
        raise ClinicgraphError(f"{what}: give the folder of the built static site", site_dir)
    return site_dir.resolve()


def inside(root: Path, site_dir: Path, relpath: str) -> Path:
    """``relpath`` under the site, resolved; refused if it, or a symlink on its way, leads out."""
    parts = PurePosixPath(relpath).parts
    if (
        not relpath
        or relpath.startswith("/")
        or any(part in ("..", ".") for part in parts)
        or "\\" in relpath
        or "\0" in relpath
        or re.match(r"^[A-Za-z]:", relpath)
    ):
        raise ClinicgraphError(f"{relpath!r} is not a path inside the site folder: refused", site_dir)
    path = (root / relpath).resolve()
    if path != root and root not in path.parents:
        raise ClinicgraphError(
            f"leads outside the site folder (to {path}) through a symlink: refused", site_dir / relpath
        )
    return path


def html_files(root: Path) -> list[str]:
    """The site's HTML files, hidden folders left out, symlinked folders not followed; a
    symlinked file that leads out of the site is refused (import and audit would read it)."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        base = Path(folder).relative_to(root)
        found += [(base / name).as_posix() for name in files if name.lower().endswith(HTML_SUFFIXES)]
    for relpath in found:
        if (root / relpath).is_symlink():
            inside(root, root, relpath)
    return sorted(found)


def read_map(map_file: Path, site_url: str, urls: set[str]) -> dict[str, str]:
    """The map file: page url (absolute, or a path under the site) -> file under the site."""
    try:
        text = Path(map_file).read_text("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ClinicgraphError("not UTF-8 text", map_file) from None
    except tomllib.TOMLDecodeError as error:
        raise ClinicgraphError(f"invalid TOML: {error}", map_file) from None
    mapping = {}
    for key, value in data.items():
        line = next((i for i, row in enumerate(text.splitlines(), 1) if key in row), None)
        url = key if re.match(r"^https?://", key) else site_url + key.lstrip("/")
        if url not in urls:
            raise ClinicgraphError(f"no page has the url {url}", map_file, line)
        if not isinstance(value, str):
            raise ClinicgraphError(
                f"the file for {key} must be text, a path under the site folder", map_file, line
            )
        mapping[url] = value
    return mapping
