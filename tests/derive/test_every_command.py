"""Every command reads the graph after derivation, and ``--no-derive`` (or ``[derive]
enabled = false``) gives what the sources alone give, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from clinicgraph import pipeline
from clinicgraph.cli import main
from clinicgraph.graph.project import load_project
from clinicgraph.vocab.vocabulary import load_vocabulary

DERIVED = "urn:clinicgraph:derived:breadcrumbs"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DERIVED}> {{ ?s ?p ?o }} }}"


@pytest.fixture
def example(tmp_path) -> Path:
    return shutil.copytree(EXAMPLE, tmp_path / "example")


def run(*args) -> str:
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, the build marker aside (its id differs from build to build)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".clinicgraph-build"
    }


def test_no_derive_builds_what_the_sources_alone_build(example, tmp_path):
    alone = load_project(example, load_vocabulary(None))  # the graph room's load: no derivation
    pipeline.build(alone, tmp_path / "alone", jobs=1)
    run("build", example, "-o", tmp_path / "no-derive", "--no-derive")
    run("build", example, "-o", tmp_path / "derived")
    assert files_of(tmp_path / "no-derive") == files_of(tmp_path / "alone")
    assert files_of(tmp_path / "derived") != files_of(tmp_path / "alone")
    toml = example / "clinicgraph.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[derive]\nenabled = false\n", encoding="utf-8")
    run("build", example, "-o", tmp_path / "switched-off")
    assert files_of(tmp_path / "switched-off") == files_of(tmp_path / "alone")


def test_build_writes_the_derived_breadcrumb(example, tmp_path):
    run("build", example, "-o", tmp_path / "dist")
    (document,) = (tmp_path / "dist" / "jsonld").rglob("*.jsonld")
    assert '"@type": "BreadcrumbList"' in document.read_text(encoding="utf-8")


@pytest.mark.parametrize("no_derive", [False, True])
def test_export_and_query_see_the_derived_graph_unless_told_not_to(example, tmp_path, no_derive):
    flag = ["--no-derive"] if no_derive else []
    assert (DERIVED in run("export", example, "--format", "nquads", *flag)) is not no_derive
    counted = run("query", example, COUNT, "--format", "csv", *flag).split()[-1]
    assert (int(counted) > 0) is not no_derive


def test_a_store_derived_otherwise_is_not_taken_for_current(example, tmp_path):
    """query --store reuses a store while its load is current: a load with derivation
    and one without are different loads."""
    store = tmp_path / "store"
    assert int(run("query", example, COUNT, "--format", "csv", "--store", store).split()[-1]) > 0
    flag = "--no-derive"
    assert run("query", example, COUNT, "--format", "csv", "--store", store, flag).split()[-1] == "0"
    assert int(run("query", example, COUNT, "--format", "csv", "--store", store).split()[-1]) > 0


def test_embed_and_audit_judge_the_page_with_its_breadcrumb(example):
    """The shipped site carries the derived breadcrumb: embed finds nothing to change and
    audit nothing to report; without derivation the page's block would change."""
    site = example / "site"
    assert ": would change" not in run("embed", site, "--check")
    result = CliRunner().invoke(main, ["embed", str(site), "--check", "--no-derive"])
    assert result.exit_code == 1 and ": would change" in result.output
    assert "0 errors" in run("audit", site)


def test_validate_reports_what_derivation_left_out_where_it_can_be_fixed(make_project):
    toml = '[site]\nurl = "https://clinic.example/"\nname = "Clinic"\n[derive.breadcrumbs]\nnames = { "/x/" = "X" }\n'
    page = 'type: WebPage\nid: "a/b/#webpage"\nurl: "https://clinic.example/a/b/"\nname: "B"\n'
    folder = make_project({"page.yaml": page}, toml)
    result = CliRunner().invoke(main, ["validate", str(folder), "--format", "github"])
    lines = [line for line in result.output.splitlines() if "derive/" in line]
    assert len(lines) == 2, result.output
    unnamed, unused = sorted(lines)
    assert "file=" + (folder / "clinicgraph.toml").as_posix() in unnamed and "/a/" in unnamed
    assert "derive/breadcrumb-name-unused" in unused and ",line=5" in unused
    quiet = CliRunner().invoke(main, ["validate", str(folder), "--no-derive"])
    assert "derive/" not in quiet.output
