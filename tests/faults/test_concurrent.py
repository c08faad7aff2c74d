"""Two commands on one store, or two builds into one output folder, at once: the second
is refused with one line (exit 2) and the store or folder stays whole."""

import os
import signal
import subprocess
import sys
import time

import pytest
from faults_support import (
    build_snapshot,
    clinicgraph,
    hidden_beside,
    make_projects,
    run,
    store_state,
)

BUSY = "another clinicgraph command is using this"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # holds the store


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrent")
    a, _ = make_projects(folder, clinics=2)
    clean = folder / "clean-store"
    assert run("build", a, "-o", folder / "clean-dist", "--store", clean, "--allow-errors").returncode == 0
    return a, store_state(clean), build_snapshot(folder / "clean-dist")


def wait_until_locked(folder, pid: int, timeout: float = 120) -> None:
    """Until process ``pid`` holds an flock on ``folder`` (as /proc/locks shows it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inode = os.stat(folder).st_ino if os.path.exists(folder) else None
        with open("/proc/locks") as locks:
            for line in locks:
                fields = line.split()
                if fields[1] == "FLOCK" and fields[4] == str(pid) and fields[5].endswith(f":{inode}"):
                    return
        time.sleep(0.05)
    pytest.fail(f"process {pid} never locked {folder}")


def assert_refused(done: subprocess.CompletedProcess, folder) -> None:
    assert done.returncode == 2
    assert done.stderr.splitlines() == [done.stderr.strip()] and done.stderr.startswith(f"{folder}: {BUSY}")


def test_build_is_refused_while_a_query_holds_the_store(project, tmp_path):
    a, clean, _ = project
    store = tmp_path / "store"
    assert run("build", a, "-o", tmp_path / "first", "--store", store, "--allow-errors").returncode == 0
    holder = subprocess.Popen(
        clinicgraph("query", a, ENDLESS, "--store", store),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_locked(store, holder.pid)
        refused = run("build", a, "-o", tmp_path / "second", "--store", store, "--allow-errors")
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert_refused(refused, store)
    assert not (tmp_path / "second").exists()
    assert store_state(store) == clean
    assert run("build", a, "-o", tmp_path / "second", "--store", store, "--allow-errors").returncode == 0


def test_two_builds_on_one_store_at_once(project, tmp_path):
    a, clean, _ = project
    store = tmp_path / "store"
    outcomes = []
    for round_ in range(2):
        builds = [
            subprocess.Popen(
                clinicgraph(
                    "build", a, "-o", tmp_path / f"dist-{round_}-{i}", "--store", store, "--allow-errors"
                ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(2)
        ]
        for build in builds:
            _, stderr = build.communicate(timeout=300)
            done = subprocess.CompletedProcess(build.args, build.returncode, "", stderr)
            if build.returncode != 0:
                assert_refused(done, store)
            outcomes.append(build.returncode)
        assert 0 in outcomes[-2:]
        assert store_state(store) == clean
    print(f"\ntwo builds on one store, 2 rounds: exit statuses {outcomes}")


def test_build_is_refused_while_another_writes_the_output(project, tmp_path):
    a, _, built = project
    out = tmp_path / "dist"
    assert run("build", a, "-o", out, "--allow-errors").returncode == 0
    # the lock `build` takes while it writes, held by another process for as long as we need
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from clinicgraph.core.folder_lock import lock_folder\n"
            "held = lock_folder(sys.argv[1], 'output folder')\ntime.sleep(600)",
            out,
        ]
    )
    try:
        wait_until_locked(out, holder.pid)
        refused = run("build", a, "-o", out, "--allow-errors")
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert_refused(refused, out)
    assert build_snapshot(out) == built and hidden_beside(out) == []


def test_two_builds_into_one_output_at_once(project, tmp_path):
    a, _, built = project
    out = tmp_path / "dist"
    outcomes = []
    for _ in range(2):
        builds = [
            subprocess.Popen(
                clinicgraph("build", a, "-o", out, "--allow-errors"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for build in builds:
            _, stderr = build.communicate(timeout=300)
            if build.returncode != 0:
                assert_refused(subprocess.CompletedProcess(build.args, build.returncode, "", stderr), out)
            outcomes.append(build.returncode)
        assert 0 in outcomes[-2:]
        assert build_snapshot(out) == built and hidden_beside(out) == []
    print(f"\ntwo builds into one folder, 2 rounds: exit statuses {outcomes}")
