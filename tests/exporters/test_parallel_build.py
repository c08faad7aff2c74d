"""A build by several processes writes exactly what one process writes: every file,
byte for byte, on the synthetic small site, from a store in memory and on disk."""

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import REPO

from clinicgraph import pipeline
from clinicgraph.core.errors import OutputError
from clinicgraph.exporters import site_files
from clinicgraph.pipeline import DataHasErrors

sys.path.insert(0, str(REPO / "benchmarks"))
import generate


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small"), as_yaml=True)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def writer_pids(monkeypatch, log: Path):
    """Record which process wrote each page (appended by the real write_page)."""
    real = site_files.write_page

    def logged(documents, page, files, snippets=True):
        real(documents, page, files, snippets)
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")

    monkeypatch.setattr(site_files, "write_page", logged)


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_two_processes_write_the_same_bytes(small_site, tmp_path, monkeypatch, on_disk):
    store = tmp_path / "store" if on_disk else None
    one = pipeline.build(pipeline.open_project(small_site, store=store), tmp_path / "one", jobs=1)
    log = tmp_path / "writers"
    writer_pids(monkeypatch, log)
    monkeypatch.setattr(site_files, "CHUNK", 5)  # 102 tasks: each worker surely gets some
    two = pipeline.build(pipeline.open_project(small_site, store=store), tmp_path / "two", jobs=2)
    assert one.pages == two.pages == 510
    first, second = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert len(first) == 2 * 510 + 3  # jsonld + snippet per page, graph.ttl, graph.nt, the marker
    assert first == second
    writers = set(log.read_text().split())
    assert len(writers) == 2 and str(os.getpid()) not in writers  # two workers did the pages


def test_small_sites_stay_in_one_process():
    assert site_files.default_jobs(1) == 1
    assert site_files.default_jobs(site_files.PAGES_PER_WORKER * 64) >= 1
    assert site_files.default_jobs(site_files.PAGES_PER_WORKER * 64) <= (os.cpu_count() or 1)


def test_a_failing_worker_fails_the_build_and_leaves_no_output(small_site, tmp_path, monkeypatch):
    def broken(documents, page, files, snippets=True):
        raise OSError(28, "No space left on device", f"{files.root}/{page.file('.jsonld')}")

    monkeypatch.setattr(site_files, "write_page", broken)
    with pytest.raises(OutputError, match="No space left on device"):
        pipeline.build(pipeline.open_project(small_site), tmp_path / "out", jobs=2)
    assert sorted(path.name for path in tmp_path.iterdir()) == []  # no output, no staging folder


def test_errors_found_while_workers_write_publish_nothing(small_site, tmp_path):
    """With several processes the checks run while pages are written: an error found
    then removes the staging folder, and the previous build stays as it was."""
    site = tmp_path / "site"
    shutil.copytree(small_site, site)
    pipeline.build(pipeline.open_project(site), tmp_path / "out", jobs=2)
    before = files_of(tmp_path / "out")
    clinic = site / "content/clinics/k1.yaml"
    clinic.write_text(
        clinic.read_text(encoding="utf-8").replace("ratingValue: 3.8", "ratingValue: 9.5", 1),
        encoding="utf-8",
    )
    with pytest.raises(DataHasErrors, match="nothing was written"):
        pipeline.build(pipeline.open_project(site), tmp_path / "out", jobs=2)
    assert files_of(tmp_path / "out") == before
    with pytest.raises(DataHasErrors):
        pipeline.build(pipeline.open_project(site), tmp_path / "fresh", jobs=2)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "site"]  # no staging, no fresh
