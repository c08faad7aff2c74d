"""Incremental builds: with an on-disk store that remembers the build it last wrote,
only the pages a change can reach are made again; every other file of the previous
build is carried over as a hard link (cheap, and the previous build stays untouched
until the new one replaces it whole).

A page's document holds the nodes reachable from it, other pages aside. So a changed
triple (s, p, o) changes the documents of the pages from which s or o is reachable
(o too: whether a node is embedded depends on how many triples refer to it), found by
walking referrers back from the changed nodes, stopping at pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections import deque
from pathlib import Path

from clinicgraph.graph.pages import Page
from clinicgraph.graph.project import BUILD_MARKER, Project

RECORD = "clinicgraph-build.json"  # in the store: the build it last wrote
_DUMPS = ("graph.ttl", "graph.nt")


def page_files(page: Page) -> list[str]:
    return ["jsonld/" + page.file(".jsonld"), "snippets/" + page.file(".html")]


def previous_pages(project: Project, output: Path) -> set[str] | None:
    """The page stems of the build this store last wrote into ``output``, when that build
    is still there and was made from the load the store held before this one; else None
    (build everything)."""
    store_path = project.store.path
    if store_path is None or project.changed is None or project.previous_load is None:
        return None
    try:
        record = json.loads((store_path / RECORD).read_text(encoding="utf-8"))
        marker = (Path(output) / BUILD_MARKER).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if (record.get("output") != str(Path(output).resolve()) or record.get("load") != _digest(project.previous_load)
            or f"build {record.get('build')}" not in marker):
        return None
    return set(record.get("pages", []))


def pages_reaching(project: Project, pages: list[Page]) -> set:
    """The page nodes whose document a change may alter."""
    page_nodes = {page.node for page in pages}
    seen, queue, hit = set(project.changed), deque(project.changed), set()
    while queue:
        node = queue.popleft()
        if node in page_nodes:
            hit.add(node)
            continue  # another page refers to a page, it does not hold it
        for referrer, _ in project.store.referrers(node):
            if referrer not in seen:
                seen.add(referrer)
                queue.append(referrer)
    return hit


def carry_over(previous: Path, folder: Path, stale: set[str]) -> None:
    """Hard-link every file of the previous build into the new folder, but the stale ones
    (pages made again or gone, the dumps) and the marker, which are written afresh."""
    previous, skip = Path(previous), stale | {BUILD_MARKER}
    for directory, subfolders, files in os.walk(previous):
        relative = Path(directory).relative_to(previous)
        kept = [name for name in files if (relative / name).as_posix() not in skip]
        if kept:  # a folder whose pages are all gone is not made
            (folder / relative).mkdir(parents=True, exist_ok=True)
        for name in kept:
            os.link(Path(directory) / name, folder / relative / name)


def stale_files(pages: list[Page], todo: list[Page], before: set[str]) -> set[str]:
    now = {page.file("") for page in pages}
    gone = [f"{kind}/{stem}{suffix}" for stem in before - now
            for kind, suffix in (("jsonld", ".jsonld"), ("snippets", ".html"))]
    return {*gone, *_DUMPS, *(name for page in todo for name in page_files(page))}


def mark(folder: Path) -> str:
    """Give the new build an id, in its marker: the record names it."""
    build = secrets.token_hex(8)
    with open(folder / BUILD_MARKER, "a", encoding="utf-8") as marker:
        marker.write(f"build {build}\n")
    return build


def remember(project: Project, output: Path, build: str, pages: list[Page]) -> None:
    """Record in the store the build just written: the next build may start from it."""
    store_path = project.store.path
    if store_path is None:
        return
    from clinicgraph.graph.project import FINGERPRINT

    record = {"output": str(Path(output).resolve()), "build": build,
              "load": _digest((store_path / FINGERPRINT).read_text(encoding="utf-8")),
              "pages": sorted(page.file("") for page in pages)}
    temporary = store_path / (RECORD + ".new")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, store_path / RECORD)


def forget(project: Project) -> None:
    """Before a build starts writing: the record must not outlive what it describes."""
    if project.store.path is not None:
        (project.store.path / RECORD).unlink(missing_ok=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
