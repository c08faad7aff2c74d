"""Same input, byte-identical output: users diff builds in git."""

import os

from conftest import run_cli


def tree(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_two_builds_in_separate_processes_are_byte_identical(example_dir, tmp_path):
    outputs = []
    for seed in ("1", "2"):  # different hash seeds: no set or dict order leaks into output
        out = tmp_path / f"dist{seed}"
        result = run_cli("build", example_dir, "-o", out, env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]
    assert "jsonld/conditions/back-spasms.jsonld" in outputs[0]
    assert "snippets/conditions/back-spasms.html" in outputs[0]


def test_rebuilding_over_an_earlier_build_replaces_it(example_dir, tmp_path):
    out = tmp_path / "dist"
    assert run_cli("build", example_dir, "-o", out).returncode == 0
    (out / "jsonld" / "stale.jsonld").write_text("{}")
    first = tree(out)
    assert run_cli("build", example_dir, "-o", out).returncode == 0
    second = tree(out)
    assert "jsonld/stale.jsonld" not in second
    assert {k: v for k, v in first.items() if k != "jsonld/stale.jsonld"} == second
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]  # no staging folder left behind
