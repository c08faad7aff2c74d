"""The docs site builds without a broken link, and its command examples are true.

A ```console block is a transcript: lines starting with `$ ` are commands, run in order by
bash in a scratch folder holding a copy of `examples/`; the lines after one are what it
prints (stdout and stderr). In an expected line `...` stands for any text, and a line of
only `...` for any number of lines. Other code blocks are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from clinicgraph import pipeline

DOCS = REPO / "docs"
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


def transcripts() -> list[tuple[str, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for number, block in enumerate(CONSOLE.findall(page.read_text("utf-8")), 1):
            found.append((f"{page.relative_to(DOCS)}#{number}", block))
    return found


def steps(block: str) -> list[tuple[str, list[str]]]:
    """(command, expected lines) pairs of a transcript."""
    pairs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return pairs


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the actual lines fit the expected ones, `...` as wildcards."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[start:]) for start in range(len(actual) + 1))
    pattern = ".*".join(map(re.escape, head.split("...")))
    return bool(actual) and re.fullmatch(pattern, actual[0]) is not None and matches(rest, actual[1:])


def test_the_wildcards_mean_what_the_docstring_says():
    assert matches(["a ... c"], ["a b c"]) and not matches(["a ... c"], ["a b d"])
    assert matches(["x", "...", "z"], ["x", "1", "2", "z"]) and matches(["x", "...", "z"], ["x", "z"])
    assert not matches(["x"], ["x", "y"]) and not matches(["x", "y"], ["x"])


@pytest.mark.parametrize("where, block", transcripts(), ids=[where for where, _ in transcripts()])
def test_the_transcript_is_true(where, block, tmp_path):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "COLUMNS": "200",
        "CLINICGRAPH_SCHEMAORG": "",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }  # no release file the user fetched
    for command, expected in steps(block):
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        actual = (done.stdout + done.stderr).splitlines()
        assert matches(expected, actual), (
            f"{where}: `{command}` printed:\n" + "\n".join(actual) + "\n\nexpected:\n" + "\n".join(expected)
        )


def test_the_format_example_builds(tmp_path):
    """The source format page's clinicgraph.toml and YAML example build as it says."""
    text = (DOCS / "source-format.md").read_text("utf-8")
    (toml,) = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    content = next(
        block
        for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
        if "type: MedicalClinic" in block
    )
    (tmp_path / "clinicgraph.toml").write_text(toml)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "back-pain.yaml").write_text(content)
    report = pipeline.build(pipeline.open_project(tmp_path), tmp_path / "dist")
    assert report.pages == 1
    page = (tmp_path / "dist/jsonld/conditions/back-pain.jsonld").read_text()
    assert '"medicineSystem": {\n' in page and '"http://schema.org/Chiropractic"' in page
    assert '"lastReviewed": "2026-01-31"' in page


def test_the_site_builds_strictly(tmp_path):
    """`mkdocs build --strict`: a broken link, a page missing from the navigation or a
    missing anchor fails the build."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr

    def page(name: str) -> str:
        return (tmp_path / "site" / name / "index.html").read_text("utf-8")

    # a page per rule family, made of the rules themselves (shapes and the Python registry)
    google = page("rules/google")
    assert "google/review-author-missing" in google and "<!-- generated" not in google
    assert '<h2 id="review-snippet">' in google  # the Google family by search feature
    assert "hygiene/duplicate-url" in page("rules/hygiene")
    assert "Usage: clinicgraph build" in page("commands")
