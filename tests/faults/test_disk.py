"""A read-only output folder and a full disk: build, embed and export -o give one line,
exit 2, and leave the old output as it was, with nothing beside it.

Read-only: chmod for a normal user; as root (whom chmod does not stop) a read-only bind
mount in a private mount namespace (unshare -m). Full disk: a small tmpfs mounted for
the test where permitted, else a file-size limit (RLIMIT_FSIZE: writes fail with EFBIG;
CLINICGRAPH_FAULTS_NO_MOUNT=1 chooses it).
"""

import errno
import os
import resource
import shutil
import stat
import subprocess
import sys
from contextlib import contextmanager

import pytest
from faults_support import (
    STALE_EMBED,
    hidden_beside,
    make_projects,
    make_site,
    page_urls,
    snapshot,
)

ROOT = os.geteuid() == 0


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("disk")
    a, b = make_projects(folder, clinics=1)
    return a, b


def clinicgraph_in(args, read_only=None, file_limit=None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "clinicgraph", *map(str, args)]
    if read_only is not None and ROOT:
        command = [
            "unshare",
            "-m",
            "sh",
            "-c",
            'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"',
            read_only,
            *command,
        ]

    def limit():
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(command, capture_output=True, text=True, timeout=300, preexec_fn=limit)


def one_line_error(done: subprocess.CompletedProcess, *reasons: str) -> None:
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
    assert any(reason in done.stderr for reason in reasons), done.stderr


@contextmanager
def read_only(folder):
    if ROOT:
        probe = subprocess.run(
            [
                "unshare",
                "-m",
                "sh",
                "-c",
                'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0"',
                folder,
            ],
            capture_output=True,
            text=True,
        )
        if probe.returncode != 0:
            pytest.skip(f"running as root, and no read-only bind mount here: {probe.stderr.strip()}")
        yield
        return
    folders = [folder, *(path for path in folder.rglob("*") if path.is_dir())]
    for path in folders:
        path.chmod(0o555)
    try:
        yield
    finally:
        for path in folders:
            path.chmod(0o755)


def test_read_only_output_folder(project, tmp_path):
    a, b = project
    parent = tmp_path / "public"
    assert clinicgraph_in(["build", a, "-o", parent / "dist", "--allow-errors"]).returncode == 0
    assert clinicgraph_in(["export", a, "--format", "turtle", "-o", parent / "graph.ttl"]).returncode == 0
    site = make_site(parent / "site", page_urls(a))
    before = snapshot(parent)
    with read_only(parent):
        one_line_error(
            clinicgraph_in(["build", b, "-o", parent / "dist", "--allow-errors"], read_only=parent),
            "Read-only file system",
            "Permission denied",
        )
        one_line_error(
            clinicgraph_in(["build", b, "-o", parent / "new", "--allow-errors"], read_only=parent),
            "Read-only file system",
            "Permission denied",
        )
        one_line_error(
            clinicgraph_in(["export", b, "--format", "turtle", "-o", parent / "graph.ttl"], read_only=parent),
            "Read-only file system",
            "Permission denied",
        )
        one_line_error(
            clinicgraph_in(["embed", site, "--source", b, "--allow-errors"], read_only=parent),
            "Read-only file system",
            "Permission denied",
        )
    assert snapshot(parent) == before
    assert sorted(os.listdir(parent)) == ["dist", "graph.ttl", "site"]


def can_mount_tmpfs(folder) -> bool:
    if not ROOT or shutil.which("mount") is None or os.environ.get("CLINICGRAPH_FAULTS_NO_MOUNT"):
        return False  # the variable tries the other way where mounting works
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", folder], capture_output=True)
    return mounted.returncode == 0


def fill(folder, leave: int) -> None:
    """Fill the file system of ``folder`` up to ``leave`` bytes."""
    with open(folder / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
        filler.truncate(max(0, filler.tell() - leave))


@pytest.fixture
def full_disk(tmp_path):
    """(folder, extra arguments for clinicgraph_in): a folder whose disk is full, made
    full once the old output is written (call fill_up())."""
    disk = tmp_path / "disk"
    mounted = can_mount_tmpfs(disk)
    disk.mkdir(exist_ok=True)
    try:
        yield disk, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", disk])


def test_full_disk(project, full_disk):
    a, b = project
    disk, mounted = full_disk
    assert clinicgraph_in(["build", a, "-o", disk / "dist", "--allow-errors"]).returncode == 0
    assert clinicgraph_in(["export", a, "--format", "nt", "-o", disk / "graph.nt"]).returncode == 0
    site = make_site(disk / "site", page_urls(a))
    if mounted:
        fill(disk, leave=32 * 1024)
        limits, reasons = {}, ("No space left on device",)
    else:  # each output file larger than this cannot be written (the dumps are)
        limits, reasons = {"file_limit": 16 * 1024}, ("File too large",)
        large = max(len(data) for data in snapshot(site).values())
        assert large < 16 * 1024 < len((disk / "graph.nt").read_bytes())
    before = snapshot(disk)
    one_line_error(clinicgraph_in(["build", b, "-o", disk / "dist", "--allow-errors"], **limits), *reasons)
    one_line_error(
        clinicgraph_in(["export", b, "--format", "nt", "-o", disk / "graph.nt"], **limits), *reasons
    )
    if mounted:  # a page's new HTML is small: only a full disk stops it
        one_line_error(clinicgraph_in(["embed", site, "--source", b, "--allow-errors"]), *reasons)
    assert snapshot(disk) == before
    assert hidden_beside(disk / "dist") == [] and hidden_beside(disk / "graph.nt") == []
    assert not [path for path in site.rglob("*") if STALE_EMBED.fullmatch(path.name)]
    print(f"\nfull disk made with {'a tmpfs mount' if mounted else 'RLIMIT_FSIZE'}")


@pytest.mark.skipif(
    not os.path.exists("/dev/full") or not stat.S_ISCHR(os.stat("/dev/full").st_mode), reason="no /dev/full"
)
def test_export_to_dev_full(project):
    a, _ = project
    one_line_error(
        clinicgraph_in(["export", a, "--format", "nt", "-o", "/dev/full"]), "No space left on device"
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written into, not renamed over
