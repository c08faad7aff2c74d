"""Every bad input of the corpus gives exactly its one line and exit status, through the
real command line: no traceback, no hang, and nothing half-written (a failed build
leaves no output folder, and leaves an earlier build byte for byte as it was)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from corpus import Case, cases, prepare, run

CASES = cases()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "back-spasms"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def earlier_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "dist"
    result = run("build", EXAMPLE, "-o", out, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return out


def test_the_corpus_is_large_and_every_case_is_listed():
    folders = {path.name for path in (Path(__file__).parent / "corpus").iterdir() if path.is_dir()}
    assert folders <= {case.name for case in CASES}
    assert all(case.generate for case in CASES if case.name not in folders)
    assert len(CASES) >= 40
    kinds = {case.name.split("-")[0] for case in CASES}
    assert {"yaml", "toml", "ttl", "nt", "jsonld", "html"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, tmp_path, earlier_build):
    prepare(case, tmp_path)
    expected = case.line.replace("{workdir}", str(tmp_path.resolve()))
    before = sorted(p.name for p in tmp_path.iterdir())
    if case.command == "import":
        result = run("import", case.target, "-o", "out.ttl", cwd=tmp_path)
        assert "Traceback" not in result.stderr
        assert (result.returncode, result.stderr.splitlines()[:1]) == (
            case.exit,
            [expected] if expected else [],
        )
        assert (tmp_path / "out.ttl").exists() == (case.exit == 0)
        return
    if case.command == "validate":
        result = run("validate", "--format", "plain", case.name, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (case.exit, "")
        assert expected in result.stdout.splitlines(), result.stdout
    fresh = run("build", case.name, "-o", "dist", cwd=tmp_path)
    assert "Traceback" not in fresh.stderr
    assert fresh.returncode == case.exit, fresh.stderr
    if case.exit == 0:
        assert fresh.stderr == "" and (tmp_path / "dist" / ".clinicgraph-build").exists()
        return
    if case.command == "build":
        assert (fresh.stderr, fresh.stdout) == (expected + "\n", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, no stray temporary folder

    shutil.copytree(earlier_build, tmp_path / "previous")
    earlier = tree(tmp_path / "previous")
    again = run("build", case.name, "-o", "previous", cwd=tmp_path)
    assert again.returncode == case.exit and "Traceback" not in again.stderr
    assert tree(tmp_path / "previous") == earlier
