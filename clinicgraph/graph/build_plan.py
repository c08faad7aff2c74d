"""The plan of a build, made before anything is written: which pages to make and which
are gone, how the output folder is written, how the dumps are made, and the change the
checks bring their findings up to date with. ``pipeline.build`` carries it out:
``exporters.incremental`` writes the output as planned, ``checks.incremental`` decides
rule by rule what the change makes it find again.

A build from an on-disk store starts from the build the store last wrote (its
``BuildRecord``) when that build is still in the output folder (the folder's marker
names it back) and was made from the load the store held before this one. Then:

- the pages made again are those a change can reach, and those new to the site. A
  page's document holds the nodes reachable from it, other pages aside, so a changed
  triple (s, p, o) changes the documents of the pages from which s or o is reachable
  (o too: whether a node is embedded depends on how many triples refer to it), found
  by walking referrers back from the changed nodes, stopping at pages;
- when at most one page in ``SHARE`` changes the output is updated in place, file by
  file, and its dumps patched (a few splices; docs/decisions explains the choice);
  else a new folder gets every unchanged page's files as hard links, and dumps
  written afresh.

Otherwise every page is made into a new folder. A whole build reads a copy of the
store in memory, where checks and exports run faster; an update reads the store on
disk (it reads little, and copying two million triples would cost more).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from clinicgraph.core.build_marker import BUILD_MARKER
from clinicgraph.graph.pages import Page, find_pages
from clinicgraph.graph.project import Delta, Project
from clinicgraph.graph.store import Store
from clinicgraph.graph.store_records import BuildRecord, KnownPage
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA

SHARE = 20  # updated in place when at most one page in SHARE changes: else written anew


class Writing(Enum):
    """How a build writes its output folder."""

    WHOLE = "every page's files into a new folder"
    CARRIED = "the pages made again into a new folder, the others' files linked over"
    IN_PLACE = "the pages made again over their files in the previous build"


@dataclass(frozen=True)
class BuildPlan:
    output: Path
    project: Project  # what the build reads: a copy in memory, unless it updates in place
    pages: list[Page]  # every page of the site, sorted by url
    make: list[Page]  # the pages whose files are written
    gone: list[str]  # file stems (``Page.file("")``) of the previous build's pages no more
    kept: list[str]  # file stems of the previous build's pages that stay as they are
    writing: Writing
    change: Delta | None  # what changed since the store's last load (None: a full load)

    @property
    def patches_dumps(self) -> bool:
        """An update's dumps are patched from the previous build's, others written anew."""
        return self.writing is Writing.IN_PLACE

    @property
    def build(self) -> str | None:
        """The build's name, with an on-disk store: the digest of its load (sources,
        sizes, times, version), so the same sources give the same bytes, marker included."""
        fingerprint = self.project.fingerprint
        if self.project.store_home is None or fingerprint is None:
            return None
        return fingerprint.digest[:16]

    def forget_previous(self) -> None:
        """Before the build writes: the store's record must not outlive what it describes."""
        if self.project.store_home is not None:
            BuildRecord.forget(self.project.store_home)

    def mark(self, folder: Path) -> None:
        """Name the build in the marker of the folder it writes: the record names it back."""
        if self.build is not None:
            with open(folder / BUILD_MARKER, "a", encoding="utf-8") as marker:
                marker.write(f"build {self.build}\n")

    def remember(self) -> None:
        """Record in the store the build just written: the next build may start from it."""
        project, build = self.project, self.build
        if project.store_home is not None and build is not None and project.fingerprint is not None:
            BuildRecord(
                str(self.output.resolve()),
                build,
                tuple(project.vocabulary.identity()),
                project.fingerprint.digest,
                tuple(KnownPage(page.node.value, page.url, page.file("")) for page in self.pages),
            ).write(project.store_home)


def plan_build(project: Project, output: Path) -> BuildPlan:
    """What a build of ``project`` into ``output`` makes, and how."""
    output = Path(output)
    previous, delta = _previous_build(project, output), project.delta
    if previous is None or delta is None:
        project = project.in_memory()
        pages = project.site_pages()
        return BuildPlan(output, project, pages, pages, [], [], Writing.WHOLE, project.delta)
    known = {page.node: (page.url, page.stem) for page in previous.pages}
    pages = (
        project.pages
        if project.pages is not None
        else find_pages(project.store, project.site, project.vocabulary, known, _repaged(delta))
    )
    before = {page.stem for page in previous.pages}
    reached = _pages_reaching(project.store, delta.nodes, pages)
    make = [page for page in pages if page.node in reached or page.file("") not in before]
    gone = before - {page.file("") for page in pages}
    kept = sorted(before - gone - {page.file("") for page in make})
    if (len(make) + len(gone)) * SHARE <= len(pages):  # few renames: the moment a reader could see a mix
        return BuildPlan(output, project, pages, make, sorted(gone), kept, Writing.IN_PLACE, project.delta)
    return BuildPlan(
        output, project.in_memory(), pages, make, sorted(gone), kept, Writing.CARRIED, project.delta
    )


def _previous_build(project: Project, output: Path) -> BuildRecord | None:
    """The build this store last wrote into ``output``, when that build is still there
    and was made from the load the store held before this one; else None."""
    if project.store_home is None or project.delta is None or project.delta.since is None:
        return None
    record = BuildRecord.read(project.store_home)
    if record is None or (record.output, record.load, record.vocabulary) != (
        str(output.resolve()),
        project.delta.since.digest,
        tuple(project.vocabulary.identity()),
    ):
        return None
    try:
        marker = (output / BUILD_MARKER).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    return record if f"build {record.build}" in marker else None


def _repaged(delta: Delta) -> set:
    """The nodes whose being a page, or whose url, the change may have altered."""
    watched = {RDF_TYPE, SCHEMA + "url"}
    return {t.subject for t in delta.gained | delta.lost if t.predicate.value in watched}


def _pages_reaching(store: Store, changed: set, pages: list[Page]) -> set:
    """The page nodes whose document the change (to these nodes) may alter."""
    page_nodes = {page.node for page in pages}
    seen, queue, hit = set(changed), deque(changed), set()
    while queue:
        node = queue.popleft()
        if node in page_nodes:
            hit.add(node)
            continue  # another page refers to a page, it does not hold it
        for referrer, _ in store.referrers(node):
            if referrer not in seen:
                seen.add(referrer)
                queue.append(referrer)
    return hit
