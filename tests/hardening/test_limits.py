"""The limits are options: raising one lets through what the default refuses, lowering it
refuses more (the corpus has the refusals), and a refused file costs no memory."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import SITE_TOML, run_cli, write_project

from clinicgraph.core.errors import SourceError
from clinicgraph.graph.limits import (
    DEFAULT,
    Limits,
    from_table,
    json_depth,
    json_line_past,
    yaml_flow_past,
    yaml_may_be_deep,
)

DEEP_YAML = (
    "type: MedicalCondition\n"
    + "".join("  " * i + "subjectOf:\n" for i in range(60))
    + "  " * 60
    + "name: x\n"
)
# The peak of this process's own memory (VmHWM): ru_maxrss would carry over the peak of
# the process that forked it (pytest's, hundreds of MB in a full run).
MEASURED = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(next(line.split()[1] for line in open('/proc/self/status')\n"
    "                                   if line.startswith('VmHWM')), file=sys.stderr))\n"
    "from clinicgraph.cli import main\nmain()\n"
)


def test_defaults_and_the_table():
    assert Limits(64, 50, ()) == DEFAULT
    assert from_table(
        {"max-file-mb": 200, "max-depth": 100, "allow-contexts": ["https://a.example/c"]},
        "clinicgraph.toml",
        lambda key: None,
    ) == Limits(200, 100, ("https://a.example/c",))
    with pytest.raises(SourceError, match="max-depth must be a whole number from 1 to 100"):
        from_table({"max-depth": True}, "clinicgraph.toml", lambda key: 3)


def test_raising_max_depth_lets_deeper_nesting_load(tmp_path):
    write_project(tmp_path / "deep", {"a.yaml": DEEP_YAML})
    refused = run_cli("validate", "deep", cwd=tmp_path)
    assert refused.returncode == 2 and "nested deeper than 50 levels" in refused.stderr
    write_project(tmp_path / "raised", {"a.yaml": DEEP_YAML}, SITE_TOML + "\n[limits]\nmax-depth = 100\n")
    assert run_cli("validate", "raised", cwd=tmp_path).returncode in (0, 1)


def test_raising_max_file_mb_lets_a_larger_file_load(tmp_path):
    big = "type: MedicalCondition\nname: x\ndescription: " + "x" * (2 * 1024 * 1024) + "\n"
    write_project(tmp_path / "small", {"a.yaml": big}, SITE_TOML + "\n[limits]\nmax-file-mb = 1\n")
    assert run_cli("validate", "small", cwd=tmp_path).returncode == 2
    write_project(tmp_path / "large", {"a.yaml": big}, SITE_TOML + "\n[limits]\nmax-file-mb = 3\n")
    assert run_cli("validate", "large", cwd=tmp_path).returncode in (0, 1)


def test_import_options(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@id": '
        '"https://c.example/#a", "subjectOf": ' + '{"subjectOf": ' * 55 + "{}" + "}" * 56 + "</script>"
    )
    default = run_cli("import", page, "-o", tmp_path / "a.ttl")
    assert "nested deeper than 50 levels" in default.stderr
    raised = run_cli("import", page, "--max-depth", "60", "-o", tmp_path / "b.ttl")
    assert raised.returncode == 0 and "nested" not in raised.stderr
    small = run_cli("import", page, "--max-file-mb", "1", "-o", tmp_path / "c.ttl")
    assert small.returncode == 0
    too_high = run_cli("import", page, "--max-depth", "1000")
    assert too_high.returncode == 2 and "1000 is not in the range 1<=x<=100" in too_high.stderr


def test_a_100_mb_source_is_refused_before_it_is_read(tmp_path):
    write_project(tmp_path / "site", {})
    with open(tmp_path / "site" / "big.ttl", "wb") as file:
        file.truncate(100 * 1024 * 1024)  # sparse: the size is real, the disk blocks are not
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, "validate", "site"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    message, peak_kb = result.stderr.splitlines()
    assert message.startswith("site/big.ttl: file is 100 MB, over the limit of 64 MB")
    assert int(peak_kb) < 150 * 1024  # the file was never read into memory


def test_json_depth_without_recursion():
    deep = nested = []
    for _ in range(100_000):
        nested.append([])
        nested = nested[0]
    assert json_depth(deep) == 100_001
    assert json_line_past('{"a":\n[[["]]]]]"]]]}', 3) == 2


def test_the_yaml_bound_is_cheap_and_safe():
    assert not yaml_may_be_deep("name: x\n" * 1000, DEFAULT)
    assert yaml_may_be_deep("a: " + "[" * 60, DEFAULT) and yaml_may_be_deep(DEEP_YAML, DEFAULT)


def test_the_yaml_flow_scan_points_where_libyaml_would_refuse():
    """libyaml 6.0.4 refuses deep flow nesting itself; the line then comes from this scan
    (quoted brackets do not count)."""
    assert yaml_flow_past('a: "[[[["\nb: ' + "[" * 60, 50) == (2, 54)
    assert yaml_flow_past("a: '[[' \nb: [[x], {y: [z]}]", 2) == (2, 14)
    assert yaml_flow_past("a: [[x]]", 5) is None
