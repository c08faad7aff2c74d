"""A build's files: each page's JSON-LD and script snippet, and the graph's dumps, made
by one process or by several at once (export is embarrassingly parallel).

Workers are forked once the graph is loaded, so each starts with the store and the
exporter as they are (shared, copy on write) and takes its share: chunks of pages, or
the dumps. A page's file is the same whichever process writes it, so the output is
byte-identical to a single-process build (a test compares the two).
"""

from __future__ import annotations

import gc
import multiprocessing
import warnings
from contextlib import contextmanager
from pathlib import Path

from clinicgraph.core.cpus import usable_cpus
from clinicgraph.exporters.jsonld import PageExporter, dumps
from clinicgraph.exporters.output import FileWriter
from clinicgraph.exporters.rdf import write_dumps
from clinicgraph.graph.pages import Page
from clinicgraph.graph.store import Counts, Store
from clinicgraph.site.script import script_tag

CHUNK = 400  # pages per task: large enough to reuse the shared parts a worker has built
PAGES_PER_WORKER = 2000  # below this a worker costs more than it saves

_inherited: dict = {}  # what forked workers find: set before the pool is made


def default_jobs(pages: int) -> int:
    return max(1, min(usable_cpus(), pages // PAGES_PER_WORKER))


def write_page(documents: PageExporter, page: Page, files: FileWriter, snippets: bool = True) -> None:
    write_page_files(page, dumps(documents.document(page)), files, snippets)


def write_page_files(page: Page, document: bytes, files: FileWriter, snippets: bool = True) -> None:
    """A page's files from its serialized document: the JSON-LD, and its script snippet."""
    files.write("jsonld/" + page.file(".jsonld"), document)
    if snippets:
        files.write("snippets/" + page.file(".html"), script_tag(document))


def write_site(
    store: Store,
    documents: PageExporter,
    pages: list[Page],
    folder: Path,
    jobs: int = 1,
    advance=lambda count: None,
    with_dumps: bool = True,
    snippets: bool = True,
    meanwhile=lambda: None,
    dumps=None,
) -> Counts | None:
    """Write these pages' files (JSON-LD, and ``snippets``) and (``with_dumps``) the
    graph's dumps into ``folder``; ``advance(n)`` after each ``n`` pages written. Returns
    the graph's counts, taken while dumping (None without dumps).

    ``meanwhile()`` runs in this process while the workers write (first, with one
    process): a build's checks, which use the second core while pages are made. If it
    raises, the workers are stopped and the exception goes on. ``dumps(store, folder)``
    writes the dumps, if not ``write_dumps`` (an update patches the previous ones)."""
    counts = None
    with gc_paused():
        if jobs <= 1:
            with gc_running():
                meanwhile()
            files = FileWriter(folder)
            for page in pages:
                write_page(documents, page, files, snippets)
                advance(1)
            return _dumps(dumps, store, folder) if with_dumps else None
        _inherited.update(
            store=store,
            documents=documents,
            pages=pages,
            folder=folder,
            snippets=snippets,
            files=FileWriter(folder),
            dumps=dumps,
        )
        tasks = [None] * with_dumps + [
            (start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)
        ]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # fork of a process with threads
                pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_reopen_store)
            with pool:
                results = pool.imap_unordered(_task, tasks)
                with gc_running():  # the workers are forked: collecting here costs them nothing
                    meanwhile()
                for written in results:
                    if isinstance(written, Counts):
                        counts = written
                    else:
                        advance(written)
        finally:
            _inherited.clear()
    return counts


def _task(task: tuple[int, int] | None) -> int | Counts:
    """In a worker: the dumps (``None``: their counts) or a chunk of pages (how many)."""
    documents, pages = _inherited["documents"], _inherited["pages"]
    if task is None:  # the store as this worker opened it (see _reopen_store)
        return _dumps(_inherited["dumps"], _inherited["store"], _inherited["folder"])
    for page in pages[task[0] : task[1]]:
        write_page(documents, page, _inherited["files"], _inherited["snippets"])
    return task[1] - task[0]


def _dumps(dumps, store: Store, folder: Path) -> Counts:
    return dumps(store, folder) if dumps is not None else write_dumps(store, folder)


def _reopen_store() -> None:
    """An on-disk store is opened again, read-only, in each worker: a RocksDB handle must
    not cross a fork. An in-memory store is simply inherited."""
    store = _inherited["store"]
    if store.path is not None:
        reopened = store.read_only_copy()
        _inherited["store"] = _inherited["documents"].store = reopened


@contextmanager
def gc_running():
    """Cyclic garbage collection back on for a while, inside ``gc_paused``."""
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


@contextmanager
def gc_paused():
    """No cyclic garbage collection while pages are made: documents hold no cycles, and
    the collector's passes over the graph's many objects cost a third of the time.
    Frozen objects are also left alone by forked workers' collectors (no copy on write)."""
    gc.collect()
    gc.freeze()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()
