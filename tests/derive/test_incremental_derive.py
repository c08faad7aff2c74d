"""An incremental load patches the derived graphs by the statements that changed (the
record of what they were loaded from kept beside the store), and the store then holds
exactly what a full load derives; without a record that fits, they are replaced whole."""

import gc
import shutil
import sys

import pytest
from conftest import REPO
from pyoxigraph import NamedNode

from clinicgraph import pipeline
from clinicgraph.derive import STEPS, step_graph
from clinicgraph.graph.store import Store
from clinicgraph.graph.store_records import DERIVED

sys.path.insert(0, str(REPO / "benchmarks"))
import generate

RENAMED = ('"Condition 3 at Clinic 2"', '"Back spasms at Clinic 2"')


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    return generate.write("small", tmp_path_factory.mktemp("small"))


@pytest.fixture
def site(small_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(small_site, copy)
    return copy


def derived_nquads(project) -> list[str]:
    return sorted(
        str(quad)
        for step in STEPS
        for quad in project.store.oxigraph.quads_for_pattern(None, None, None, step_graph(step))
    )


def load_into(site, store) -> None:
    project = pipeline.open_project(site, store=store)
    del project
    gc.collect()  # the store closed, for the next load to open


def load_again_after_edit(site, store, monkeypatch):
    """Rename a page, load into the store again incrementally: the graphs that load
    dropped, and its project."""
    path = site / "content/clinics/k2.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace(*RENAMED, 1), encoding="utf-8")
    dropped: list[str] = []
    drop = Store.drop_graph
    monkeypatch.setattr(
        Store, "drop_graph", lambda self, graph: (dropped.append(graph.value), drop(self, graph))
    )
    return dropped, pipeline.open_project(site, store=store, changes_only=True)


def test_an_edit_patches_the_derived_graphs_to_what_a_full_load_derives(site, tmp_path, monkeypatch):
    load_into(site, tmp_path / "store")
    dropped, project = load_again_after_edit(site, tmp_path / "store", monkeypatch)
    assert not set(dropped) & {step_graph(step).value for step in STEPS}  # patched, not replaced
    assert derived_nquads(project) == derived_nquads(pipeline.open_project(site))
    item = NamedNode("https://network.example/clinics/k2/c3/#cg:breadcrumb-item")
    changed = {
        (t.subject, t.object.value) for t in project.delta.gained | project.delta.lost if t.subject == item
    }
    assert changed == {(item, "Back spasms at Clinic 2"), (item, "Condition 3 at Clinic 2")}
    assert project.delta.nodes & {item}


@pytest.mark.parametrize("spoil", ["removed", "another graph's", "not json"])
def test_a_record_that_does_not_fit_has_the_graphs_replaced_whole(site, tmp_path, monkeypatch, spoil):
    store = tmp_path / "store"
    load_into(site, store)
    record = store / DERIVED
    if spoil == "removed":
        record.unlink()
    else:
        record.write_text('{"urn:x": ""}' if spoil == "another graph's" else "{", encoding="utf-8")
    dropped, project = load_again_after_edit(site, store, monkeypatch)
    assert step_graph("breadcrumbs").value in dropped
    assert derived_nquads(project) == derived_nquads(pipeline.open_project(site))
