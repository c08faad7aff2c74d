"""A user's mistake about the output: one line on stderr, exit 2, no traceback, and
nothing half-written where the output goes.

Mistakes in the input are the corpus of tests/hardening (corpus/manifest.toml).
"""

import shutil
from pathlib import Path

import pytest
from conftest import run_cli, write_project


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_one_line_error(result, where: str, words: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    line = lines[0]
    assert line.startswith(where + ": "), line
    assert words in line, line
    assert result.stdout == ""
    return line


@pytest.fixture(scope="module")
def good_build(example_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("good") / "dist"
    result = run_cli("build", example_dir, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def test_output_under_a_regular_file_is_refused(example_dir, tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    result = run_cli("build", example_dir, "-o", "notes.txt/dist", cwd=tmp_path)
    assert_one_line_error(result, "notes.txt", "")
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_output_folder_that_is_not_a_build_is_left_alone(example_dir, tmp_path):
    write_project(tmp_path / "mine", {"index.html": "<p>hand written</p>", "css/site.css": "p{}"}, toml=None)
    before = tree(tmp_path / "mine")
    result = run_cli("build", example_dir, "-o", "mine", cwd=tmp_path)
    assert_one_line_error(result, "mine", "not an earlier clinicgraph build")
    assert tree(tmp_path / "mine") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_output_that_is_a_file_is_refused(example_dir, tmp_path):
    (tmp_path / "dist").write_text("not a folder\n")
    result = run_cli("build", example_dir, "-o", "dist", cwd=tmp_path)
    assert_one_line_error(result, "dist", "")
    assert (tmp_path / "dist").read_text() == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_failure_while_writing_leaves_the_earlier_build(good_build, tmp_path):
    """Page /a/ is written, then /b.../ has a file name longer than the file system allows."""
    write_project(
        tmp_path / "site",
        {
            "pages.yaml": "- type: WebPage\n  id: '#a'\n  url: a/\n"
            f"- type: WebPage\n  id: '#b'\n  url: {'b' * 300}/\n"
        },
    )
    shutil.copytree(good_build, tmp_path / "previous")
    earlier = tree(tmp_path / "previous")
    result = run_cli("build", "site", "-o", "previous", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert tree(tmp_path / "previous") == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["previous", "site"]
