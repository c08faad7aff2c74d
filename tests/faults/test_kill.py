"""SIGKILL at random moments: `build` (in memory and --store) and `embed` never leave a
file that is neither the old nor the new version, nor a store that claims to be current
and is not; the next run cleans up and gives the new output.

CLINICGRAPH_KILL_TRIALS=200 python -m pytest tests/faults/test_kill.py -s   # the long run
"""

import os
import random

import pytest
from faults_support import (
    STALE_EMBED,
    build_snapshot,
    copy_tree,
    hidden_beside,
    make_projects,
    make_site,
    page_urls,
    run,
    run_killed,
    snapshot,
    store_state,
    timed_run,
)

TRIALS = int(os.environ.get("CLINICGRAPH_KILL_TRIALS", "6"))  # per test; .ci/run keeps the default
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Projects A and B, their complete builds, and the store each one leaves."""
    folder = tmp_path_factory.mktemp("versions")
    a, b = make_projects(folder, clinics=2)
    outputs, stores, seconds = {}, {}, {}
    for project in (a, b):
        out, store = folder / f"out-{project.name}", folder / f"store-{project.name}"
        seconds[project] = timed_run("build", project, "-o", out, "--store", store, "--allow-errors")
        outputs[project] = build_snapshot(out)
        stores[project] = store_state(store)
    assert outputs[a] != outputs[b]
    return a, b, outputs, stores, max(seconds.values())


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "store"])
def test_killed_build_leaves_the_old_or_the_new_output(versions, tmp_path, on_disk):
    a, b, outputs, stores, seconds = versions
    out, store = tmp_path / "dist", tmp_path / "store"
    store_args = ["--store", store] if on_disk else []
    assert run("build", a, "-o", out, "--allow-errors", *store_args).returncode == 0
    rng = random.Random(7)
    killed = loads_cut_short = 0
    for trial in range(TRIALS):
        project = (b, a)[trial % 2]  # every trial changes every page
        killed += run_killed(
            ["build", project, "-o", out, "--allow-errors", *store_args], rng.uniform(0.2, 1.0) * seconds
        )  # 0.2: python's start-up is not of interest
        now = build_snapshot(out)
        assert now in (outputs[a], outputs[b]), f"trial {trial}: a mix of versions in {out}"
        assert len(hidden_beside(out)) <= 1, f"trial {trial}: staging folders pile up: {hidden_beside(out)}"
        if on_disk:
            fingerprint, quads = store_state(store)
            for version in (a, b):
                if fingerprint == stores[version][0]:
                    assert quads == stores[version][1], (
                        f"trial {trial}: the store claims {version.name} but is not"
                    )
            loads_cut_short += fingerprint is None
    print(
        f"\nbuild{' --store' if on_disk else ''}: {TRIALS} trials, {killed} killed, "
        f"{TRIALS - killed} finished first, {loads_cut_short} left a store without a fingerprint"
    )
    assert run("build", b, "-o", out, "--allow-errors", *store_args).returncode == 0
    assert build_snapshot(out) == outputs[b]
    assert hidden_beside(out) == []
    if on_disk:
        assert store_state(store) == stores[b]
        counted = run("query", b, COUNT, "--store", store, "--format", "csv")
        assert counted.stdout == run("query", b, COUNT, "--format", "csv").stdout


def test_killed_update_in_place_leaves_old_new_or_an_untrusted_mix(versions, tmp_path):
    """A change of one page is written in place (exporters/update.py): a kill leaves the
    old output, the new one, or, killed while the new files were moved in, each file old
    or new under a marker naming no build; the next build then gives the new output."""
    a, _, outputs, _, seconds = versions
    changed = tmp_path / "project-a1"
    copy_tree(a, changed)
    clinic = changed / "content/clinics/k1.yaml"
    clinic.write_text(
        clinic.read_text("utf-8").replace("name: Condition 7 at Clinic 1", "name: Sciatica", 1), "utf-8"
    )
    out, store = tmp_path / "dist", tmp_path / "store"
    assert run("build", changed, "-o", tmp_path / "expected", "--allow-errors").returncode == 0
    expected = {changed: build_snapshot(tmp_path / "expected"), a: outputs[a]}
    assert (
        sum(expected[a].get(name) != data for name, data in expected[changed].items()) == 4
    )  # a page's two files, the two dumps
    assert run("build", a, "-o", out, "--store", store, "--allow-errors").returncode == 0
    rng = random.Random(17)
    killed = mixed = 0
    for trial in range(TRIALS):
        project = (changed, a)[trial % 2]
        killed += run_killed(
            ["build", project, "-o", out, "--store", store, "--allow-errors"], rng.uniform(0.2, 1.0) * seconds
        )
        now = build_snapshot(out)
        if now not in expected.values():
            assert b"build " not in (out / ".clinicgraph-build").read_bytes(), (
                f"trial {trial}: a mix marked whole"
            )
            for name, data in now.items():
                assert data in (expected[a].get(name), expected[changed].get(name)), f"trial {trial}: {name}"
            mixed += 1
        assert len(hidden_beside(out)) <= 1, f"trial {trial}: {hidden_beside(out)}"
    print(f"\nupdate in place: {TRIALS} trials, {killed} killed, {mixed} left a mix marked untrusted")
    assert run("build", changed, "-o", out, "--store", store, "--allow-errors").returncode == 0
    assert build_snapshot(out) == expected[changed]
    assert hidden_beside(out) == []


def test_killed_query_after_killed_build_still_answers_from_a_whole_graph(versions, tmp_path):
    """`query --store` trusts a store whose fingerprint matches; a build killed while
    loading must not leave the old fingerprint beside a half-filled store."""
    a, _b, _outputs, _stores, seconds = versions
    store = tmp_path / "store"
    assert run("build", a, "-o", tmp_path / "dist", "--store", store, "--allow-errors").returncode == 0
    expected = run("query", a, COUNT, "--format", "csv").stdout
    rng = random.Random(11)
    for trial in range(max(2, TRIALS // 3)):
        run_killed(
            ["build", a, "-o", tmp_path / "dist", "--store", store, "--allow-errors"],
            rng.uniform(0.2, 1.0) * seconds,
        )
        counted = run("query", a, COUNT, "--store", store, "--format", "csv")
        assert (counted.returncode, counted.stdout) == (0, expected), f"trial {trial}: {counted.stderr}"


def test_killed_embed_leaves_each_file_old_or_new(versions, tmp_path):
    a, b, _, _, _ = versions
    original = make_site(tmp_path / "original", page_urls(a))
    embedded = {}
    for project in (a, b):
        copy_tree(original, tmp_path / "reference")
        seconds = timed_run("embed", tmp_path / "reference", "--source", project, "--allow-errors")
        embedded[project] = snapshot(tmp_path / "reference")
    before = snapshot(original)
    site = tmp_path / "site"
    copy_tree(original, site)
    rng = random.Random(13)
    killed = 0
    for trial in range(TRIALS):
        project = (a, b)[trial % 2]
        killed += run_killed(
            ["embed", site, "--source", project, "--allow-errors"], rng.uniform(0.2, 1.0) * seconds
        )
        for relpath, data in snapshot(site).items():
            if relpath in before:
                assert data in (before[relpath], embedded[a][relpath], embedded[b][relpath]), (
                    f"trial {trial}: {relpath} is neither old nor new"
                )
            else:
                assert STALE_EMBED.fullmatch(relpath.rsplit("/", 1)[-1]), f"trial {trial}: stray {relpath}"
    print(f"\nembed: {TRIALS} trials, {killed} killed, {TRIALS - killed} finished first")
    done = run("embed", site, "--source", b, "--allow-errors")
    assert done.returncode == 0, done.stderr
    assert snapshot(site) == embedded[b]  # every page new, nothing left beside them
