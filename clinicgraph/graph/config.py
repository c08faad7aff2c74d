"""``clinicgraph.toml``: the site every relative id and page path is resolved against."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from clinicgraph.errors import SourceError

CONFIG_NAME = "clinicgraph.toml"


@dataclass(frozen=True)
class Site:
    url: str          # absolute, ends with "/"
    name: str | None = None
    language: str | None = None


def load_site(project: Path) -> Site:
    path = project / CONFIG_NAME
    if not project.is_dir():
        raise SourceError(f"no such project folder (expected a folder holding {CONFIG_NAME})", project)
    if not path.is_file():
        raise SourceError(f"missing {CONFIG_NAME}: every project needs one with a [site] url", path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise SourceError(f"not UTF-8 text ({error.reason})", path) from None
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise SourceError(f"invalid TOML: {str(error).split(' (at')[0]}", path,
                          int(line.group(1)) if line else None) from None
    site = data.get("site")
    if not isinstance(site, dict) or not isinstance(site.get("url"), str):
        raise SourceError('[site] must have url = "https://..."', path, _line_of(path, "url"))
    url = site["url"]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SourceError(f"[site] url must be an absolute http(s) URL without query or fragment, not {url!r}",
                          path, _line_of(path, "url"))
    if not url.endswith("/"):
        url += "/"  # so page paths and relative ids resolve beneath it
    return Site(url=url, name=site.get("name"), language=site.get("language"))


def _line_of(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(key):
            return number
    return None
