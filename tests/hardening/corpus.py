"""Runs one case of the bad-input corpus (``corpus/<case>/``, described in
``corpus/manifest.toml``) through the real command line, in a fresh copy.

A case is a project folder (or, for ``import``, a folder holding ``page.html``). Some
inputs are made at test time and never committed: files of 100 MB (sparse: the size is
refused before a byte is read), millions of brackets, symlinks leading out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = CORPUS / "manifest.toml"
TIMEOUT = 60  # seconds: a hang is a failure, not a stuck suite


@dataclass
class Case:
    name: str
    command: str  # build (load errors), validate (findings) or import (HTML)
    exit: int
    line: str  # the one diagnostic line it must produce ("" for none)
    generate: tuple = ()  # (file, kind): made at test time

    @property
    def target(self) -> str:
        return f"{self.name}/page.html" if self.command == "import" else self.name


def cases() -> list[Case]:
    data = tomllib.loads(MANIFEST.read_text("utf-8"))
    return [
        Case(name, spec.get("command", "build"), spec["exit"], spec["line"], tuple(spec.get("generate", ())))
        for name, spec in data.items()
    ]


def prepare(case: Case, workdir: Path) -> Path:
    """A copy of the case in ``workdir``, its generated inputs made."""
    folder = workdir / case.name
    if (CORPUS / case.name).is_dir():
        shutil.copytree(CORPUS / case.name, folder, symlinks=True)
    else:
        folder.mkdir()  # every input made at test time: git keeps no empty folder
    if case.generate:
        file, kind = case.generate
        GENERATORS[kind](folder / file, workdir)
    return folder


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "clinicgraph", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


# -- inputs made at test time ----------------------------------------------------------------


def _sparse_100mb(path: Path, workdir: Path) -> None:
    with open(path, "wb") as file:
        file.write(b"type: MedicalCondition\n")
        file.truncate(100 * 1024 * 1024)


def _yaml_brackets(path: Path, workdir: Path) -> None:
    """A million nested flow lists: PyYAML's C composer overflows the C stack on these."""
    path.write_text("type: MedicalCondition\nname: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")


def _json_brackets(path: Path, workdir: Path) -> None:
    path.write_text('{"@context": "https://schema.org",\n "name": ' + "[" * 100_000 + "]" * 100_000 + "}\n")


def _html_brackets(path: Path, workdir: Path) -> None:
    path.write_text(
        '<html><head>\n<script type="application/ld+json">\n'
        + "[" * 100_000
        + "]" * 100_000
        + "\n</script></head></html>\n"
    )


def _big_text(path: Path, workdir: Path) -> None:
    """2 MB, over a project's max-file-mb = 1."""
    path.write_text("type: MedicalCondition\nname: x\ndescription: " + "x" * (2 * 1024 * 1024) + "\n")


def _symlink_outside(path: Path, workdir: Path) -> None:
    """A source file that is a symlink to a file outside the project."""
    outside = workdir / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yaml").write_text("type: MedicalCondition\nname: not yours\n")
    os.symlink(outside / "secret.yaml", path)


GENERATORS = {
    "sparse-100mb": _sparse_100mb,
    "yaml-brackets": _yaml_brackets,
    "json-brackets": _json_brackets,
    "html-brackets": _html_brackets,
    "text-2mb": _big_text,
    "symlink-outside": _symlink_outside,
}
