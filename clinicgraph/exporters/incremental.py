"""A build's output written as its plan says (``graph.build_plan``): a new folder with
every page's files; a new folder where the files of the pages not made again are
carried over from the previous build as hard links (cheap, and the previous build
stays untouched until the new one replaces it whole); or the previous build updated
in place (``update``), its dumps patched (``dump_patch``) rather than written anew.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from clinicgraph.exporters.dump_patch import patch_dumps
from clinicgraph.exporters.output import in_threads, output_folder
from clinicgraph.exporters.update import update_in_place
from clinicgraph.graph.build_plan import BuildPlan, Writing


def stem_files(stems: list[str]) -> list[str]:
    """The pages' files in a build, from their file stems (``Page.file("")``)."""
    return [name for stem in stems for name in (f"jsonld/{stem}.jsonld", f"snippets/{stem}.html")]


def output(plan: BuildPlan):
    """The folder to write the planned files into (a context manager): on success they
    take their places in the plan's output folder."""
    if plan.writing is Writing.IN_PLACE:
        return update_in_place(plan.output, stem_files(plan.gone))
    if plan.writing is Writing.CARRIED:
        return _carried_over(plan.output, stem_files(plan.kept))
    return output_folder(plan.output)


def dumps(plan: BuildPlan):
    """How the dumps are written (``site_files.write_site``'s ``dumps``): patched from the
    previous build's and the change, or None (written anew)."""
    return partial(patch_dumps, previous=plan.output, delta=plan.change) if plan.patches_dumps else None


@contextmanager
def _carried_over(previous: Path, files: list[str]):
    """A new folder holding these files of the previous build, which it then replaces."""
    with output_folder(previous) as folder:
        carry_over(previous, folder, files)
        yield folder


def carry_over(previous: Path, folder: Path, files: list[str]) -> None:
    """Hard-link these files of the previous build into the new folder, making their
    folders level by level. Many threads at once: making or linking a file waits on the
    disk, and a build has a folder per page."""
    folders = {parent for relpath in files for parent in _parents(relpath)}
    levels: dict[int, list[str]] = {}
    for name in folders:
        levels.setdefault(name.count("/"), []).append(name)
    source, target = str(previous), str(folder)
    for depth in sorted(levels):
        in_threads(lambda name: os.mkdir(os.path.join(target, name)), levels[depth])
    in_threads(lambda name: os.link(os.path.join(source, name), os.path.join(target, name)), files)


def _parents(relpath: str) -> list[str]:
    parts = relpath.split("/")[:-1]
    return ["/".join(parts[:index]) for index in range(1, len(parts) + 1)]
