"""What the fault tests share: two versions of a generated project, snapshots of folders
and stores, and running a real clinicgraph process that may be killed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402 (found on the path just set)

FINGERPRINT = "clinicgraph-sources.json"


def make_projects(folder: Path, clinics: int = 4) -> tuple[Path, Path]:
    """Projects A and B: the generator's small network cut to ``clinics`` clinics (about
    50 pages each), B with another website name, so every page differs between them."""
    files = [
        (name, nodes)
        for name, nodes in generate.site("small")
        if not name.startswith("clinics/") or int(name[len("clinics/k") : -len(".yaml")]) < clinics
    ]
    projects = []
    for label, website in (("a", "Network"), ("b", "Network of clinics B")):
        root = folder / f"project-{label}"
        (root / "content").mkdir(parents=True)
        (root / "clinicgraph.toml").write_text(
            f'[site]\nurl = "{generate.SITE}"\nname = "Network"\nlanguage = "en-CA"\n'
        )
        for name, nodes in files:
            if name == "website.yaml":
                nodes = [dict(nodes[0], name=website)]
            path = root / "content" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(nodes, sort_keys=False), encoding="utf-8")
        projects.append(root)
    return projects[0], projects[1]


def page_urls(project: Path) -> list[str]:
    urls = []
    for path in sorted((project / "content").rglob("*.yaml")):
        urls += [
            node["url"]
            for node in yaml.safe_load(path.read_text("utf-8"))
            if node.get("type") in ("WebPage", "MedicalWebPage")
        ]
    return urls


def make_site(folder: Path, urls: list[str]) -> Path:
    """A static site with one plain HTML file per page url (/a/ -> a/index.html)."""
    for url in urls:
        relpath = url[len(generate.SITE) :] + "index.html"
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            f"<!DOCTYPE html>\n<html>\n<head>\n<title>{url}</title>\n</head>\n"
            f"<body><p>{url}</p></body>\n</html>\n".encode()
        )
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build_snapshot(folder: Path) -> dict[str, bytes]:
    """A build's files; its marker without the build's random id (line "build ...")."""
    files = snapshot(folder)
    if ".clinicgraph-build" in files:
        files[".clinicgraph-build"] = b"".join(
            line for line in files[".clinicgraph-build"].splitlines(True) if not line.startswith(b"build ")
        )
    return files


def hidden_beside(target: Path) -> list[str]:
    """What builds into ``target`` may leave beside it: .TARGET.* entries."""
    return sorted(name for name in os.listdir(target.parent) if name.startswith(f".{target.name}."))


STALE_EMBED = re.compile(r"\..+\.[a-z0-9_]{8}\.clinicgraph")


def store_state(path: Path) -> tuple[str | None, bytes]:
    """(the fingerprint file's text or None, the store's quads as sorted N-Quads)."""
    import pyoxigraph

    marker = path / FINGERPRINT
    fingerprint = marker.read_text("utf-8") if marker.is_file() else None
    store = pyoxigraph.Store(str(path))
    try:
        lines = sorted(set(store.dump(format=pyoxigraph.RdfFormat.N_QUADS).splitlines()))
    finally:
        del store  # closes it: the next clinicgraph run must be able to open it
    return fingerprint, b"\n".join(lines)


def clinicgraph(*args) -> list[str]:
    return [sys.executable, "-m", "clinicgraph", *map(str, args)]


def run(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(clinicgraph(*args), capture_output=True, text=True, timeout=timeout)


def timed_run(*args) -> float:
    """Seconds a complete run takes; it must succeed."""
    started = time.perf_counter()
    done = run(*args)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def run_killed(args: list, delay: float) -> bool:
    """Run clinicgraph and SIGKILL it after ``delay`` seconds; True if it was killed
    (False: it finished first, and must then have succeeded)."""
    process = subprocess.Popen(clinicgraph(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, stderr = process.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        return True
    assert process.returncode == 0, stderr.decode()
    return False


def copy_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, symlinks=True)
