"""build --store makes again only the pages a change reaches, and its output is exactly
a full build's: checked after edits of every kind on the synthetic small site."""

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from clinicgraph import pipeline
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402  (the benchmark's seeded site generator)

CLINICS, CONDITIONS = generate.SIZES["small"]


@pytest.fixture(scope="module")
def turtle_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small-turtle"))


@pytest.fixture(scope="module")
def yaml_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small-yaml"), as_yaml=True)


@pytest.fixture
def site(turtle_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(turtle_site, copy)
    return copy


def build(site: Path, output: Path, store: Path | None):
    project = pipeline.open_project(site, store=store, changes_only=store is not None)
    return pipeline.build(project, output, jobs=1)


def files_of(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None), the build marker aside (its id differs)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
            for path in sorted(folder.rglob("*")) if path.name != ".clinicgraph-build"}


def rebuild_after(site: Path, tmp_path: Path, edit) -> int:
    """Build with a store, edit, build again: the second build equals a fresh full
    build. Returns how many pages the second build made."""
    store, output = tmp_path / "store", tmp_path / "out"
    assert build(site, output, store).written == CLINICS * (CONDITIONS + 1)
    edit(site)
    report = build(site, output, store)
    fresh = build(site, tmp_path / "fresh", None)
    assert report.pages == fresh.pages
    assert files_of(output) == files_of(tmp_path / "fresh")
    return report.written


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_page_renamed_makes_that_page_alone(site, tmp_path):
    edit = lambda s: replace(s / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')
    assert rebuild_after(site, tmp_path, edit) == 1


def test_a_clinic_changed_makes_its_pages(site, tmp_path):
    edit = lambda s: replace(s / "content/clinics/k4.ttl", '"+1-604-555-0004"', '"+1-604-555-9999"')
    assert rebuild_after(site, tmp_path, edit) == CONDITIONS + 1  # its condition pages and its home page


def test_a_condition_changed_makes_its_page_in_every_clinic(site, tmp_path):
    edit = lambda s: replace(s / "content/conditions.ttl", '"Weakness muscle sprain 3-0"', '"Muscle fatigue 3-0"')
    assert rebuild_after(site, tmp_path, edit) == CLINICS


def test_a_file_removed_removes_its_pages(site, tmp_path):
    assert rebuild_after(site, tmp_path, lambda s: (s / "content/clinics/k9.ttl").unlink()) == 0
    assert not list((tmp_path / "out/jsonld/clinics").glob("k9*"))


def test_a_file_moved_with_a_page_url_changed(site, tmp_path):
    def add(s):
        text = (s / "content/clinics/k9.ttl").read_text(encoding="utf-8")
        (s / "content/clinics/k9.ttl").unlink()
        (s / "content/more.ttl").write_text(re.sub(r"clinics/k9/c1/", "clinics/k9/c1-moved/", text), encoding="utf-8")
    assert rebuild_after(site, tmp_path, add) == 1  # the same triples in another file, but one url
    assert not (tmp_path / "out/jsonld/clinics/k9/c1.jsonld").exists()
    assert (tmp_path / "out/jsonld/clinics/k9/c1-moved.jsonld").exists()


def test_yaml_sources_too(yaml_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(yaml_site, site)
    edit = lambda s: replace(s / "content/clinics/k1.yaml", "name: Condition 7 at Clinic 1", "name: Sciatica at Clinic 1")
    assert rebuild_after(site, tmp_path, edit) == 1


def test_a_build_it_did_not_write_is_not_trusted(site, tmp_path):
    """The output replaced by another build (without the store): everything is made again."""
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Renamed"')
    build(site, output, None)
    assert build(site, output, store).written == CLINICS * (CONDITIONS + 1)


def test_the_configuration_changed_makes_everything(site, tmp_path):
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    replace(site / "clinicgraph.toml", 'name = "Network"', 'name = "The Network"')
    assert build(site, output, store).written == CLINICS * (CONDITIONS + 1)


def test_the_previous_build_is_untouched_until_the_new_one_replaces_it(site, tmp_path):
    """Carried-over files are hard links: a page made again must be a new file, never the
    previous build's file written through the link."""
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    keep = tmp_path / "kept"
    shutil.copytree(output, keep, copy_function=os.link)  # links to the old files
    before = files_of(keep)
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Renamed"')
    build(site, output, store)
    assert files_of(keep) == before


def test_a_small_change_updates_the_output_in_place(site, tmp_path):
    """One page changed: its files are new, every other file is the one already there
    (same inode), and no tree of links is made."""
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    inodes = {path.relative_to(output).as_posix(): path.stat().st_ino for path in output.rglob("*")}
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')
    assert build(site, output, store).written == 1
    changed = {name for name, inode in inodes.items()
               if (output / name).exists() and (output / name).stat().st_ino != inode}
    assert changed == {"jsonld/clinics/k2/c3.jsonld", "snippets/clinics/k2/c3.html", "graph.nt", "graph.ttl",
                       ".clinicgraph-build"}
    assert files_of(output) == files_of(build(site, tmp_path / "fresh", None).output)


def test_an_update_cut_short_is_not_trusted(site, tmp_path, monkeypatch):
    """A failure while the new files are moved into place leaves a marker naming no build:
    the next build replaces the output whole."""
    from clinicgraph.errors import OutputError
    from clinicgraph.exporters import update

    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    replace(site / "content/conditions.ttl", '"Weakness muscle sprain 3-0"', '"Muscle fatigue 3-0"')
    real, calls = os.replace, []

    def cut_short(source, destination):
        calls.append(destination)
        if len(calls) == 3:  # the marker, one page file, then this
            raise OSError(28, "No space left on device")
        real(source, destination)
    monkeypatch.setattr(update.os, "replace", cut_short)
    with pytest.raises(OutputError, match="No space left on device"):
        build(site, output, store)
    monkeypatch.undo()
    assert "build " not in (output / ".clinicgraph-build").read_text()
    assert not [name for name in os.listdir(tmp_path) if "clinicgraph-update" in name]  # its new files removed
    assert build(site, output, store).written == CLINICS * (CONDITIONS + 1)
    assert files_of(output) == files_of(build(site, tmp_path / "fresh", None).output)


def test_new_files_of_a_killed_update_are_removed_by_the_next_build(site, tmp_path):
    store, output = tmp_path / "store", tmp_path / "out"
    build(site, output, store)
    left = tmp_path / ".out.clinicgraph-update-abcd_123"
    (left / "jsonld").mkdir(parents=True)
    (left / "jsonld/x.jsonld").write_text("{}")
    replace(site / "content/clinics/k2.ttl", '"Condition 3 at Clinic 2"', '"Renamed"')
    assert build(site, output, store).written == 1
    assert sorted(os.listdir(tmp_path)) == ["out", "site", "store"]
