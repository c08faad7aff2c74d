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
from collections import deque
from pathlib import Path

from clinicgraph.core.atomic import write_atomic
from clinicgraph.core.build_marker import BUILD_MARKER
from clinicgraph.exporters.output import in_threads
from clinicgraph.graph.pages import Page
from clinicgraph.graph.project import Project

RECORD = "clinicgraph-build.json"  # in the store: the build it last wrote


def stem_files(stem: str) -> list[str]:
    """A page's files in a build, from its file stem (``Page.file("")``)."""
    return [f"jsonld/{stem}.jsonld", f"snippets/{stem}.html"]


def previous_pages(project: Project, output: Path) -> dict[str, tuple[str, str]] | None:
    """The pages (node IRI -> (url, file stem)) of the build this store last wrote into
    ``output``, when that build is still there and was made from the load the store
    held before this one; else None (build everything)."""
    store_path = project.store_home
    if store_path is None or project.changed is None or project.previous_load is None:
        return None
    try:
        record = json.loads((store_path / RECORD).read_text(encoding="utf-8"))
        marker = (Path(output) / BUILD_MARKER).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if (record.get("output") != str(Path(output).resolve()) or record.get("load") != _digest(project.previous_load)
            or record.get("vocabulary") != _vocabulary(project) or f"build {record.get('build')}" not in marker):
        return None
    return {node: (url, stem) for node, url, stem in record.get("pages", [])}


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


def carry_over(previous: Path, folder: Path, files: list[str]) -> None:
    """Hard-link these files of the previous build into the new folder, making their
    folders level by level. Many threads at once: making or linking a file waits on the
    disk, and a build has a folder per page."""
    folders = {parent for relpath in files for parent in _parents(relpath)}
    levels: dict[int, list[str]] = {}
    for name in folders:
        levels.setdefault(name.count("/"), []).append(name)
    previous, folder = str(previous), str(folder)
    for depth in sorted(levels):
        in_threads(lambda name: os.mkdir(os.path.join(folder, name)), levels[depth])
    in_threads(lambda name: os.link(os.path.join(previous, name), os.path.join(folder, name)), files)


def changed_pages(project: Project) -> set:
    """The nodes whose being a page, or whose url, an incremental load may have changed."""
    from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA

    delta, watched = project.delta, {RDF_TYPE, SCHEMA + "url"}
    return {t.subject for t in delta.gained | delta.lost if t.predicate.value in watched}


def kept_files(before: set[str], todo: list[Page]) -> list[str]:
    """The page files of the previous build that this one keeps as they are."""
    again = {page.file("") for page in todo}
    return [name for stem in sorted(before - again) for name in stem_files(stem)]


def _parents(relpath: str) -> list[str]:
    parts = relpath.split("/")[:-1]
    return ["/".join(parts[:index]) for index in range(1, len(parts) + 1)]


def mark(project: Project, folder: Path) -> str | None:
    """Name the build in its marker, when it comes from an on-disk store: the store's
    record names it back. The name is the digest of the load (sources, sizes, times,
    version), so the same sources give the same bytes, marker included."""
    if project.store_home is None:
        return None
    from clinicgraph.graph.project import FINGERPRINT

    build = _digest((project.store_home / FINGERPRINT).read_text(encoding="utf-8"))[:16]
    with open(folder / BUILD_MARKER, "a", encoding="utf-8") as marker:
        marker.write(f"build {build}\n")
    return build


def remember(project: Project, output: Path, build: str | None, pages: list[Page]) -> None:
    """Record in the store the build just written: the next build may start from it."""
    store_path = project.store_home
    if store_path is None or build is None:
        return
    from clinicgraph.graph.project import FINGERPRINT

    record = {"output": str(Path(output).resolve()), "build": build, "vocabulary": _vocabulary(project),
              "load": _digest((store_path / FINGERPRINT).read_text(encoding="utf-8")),
              "pages": [[page.node.value, page.url, page.file("")] for page in pages]}
    write_atomic(store_path / RECORD, json.dumps(record).encode("utf-8"))


def forget(project: Project) -> None:
    """Before a build starts writing: the record must not outlive what it describes."""
    if project.store_home is not None:
        (project.store_home / RECORD).unlink(missing_ok=True)


def _vocabulary(project: Project) -> list:
    """Which vocabulary decided what is a page (a WebPage subtype)."""
    return project.vocabulary.identity()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
