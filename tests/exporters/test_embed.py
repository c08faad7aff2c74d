"""`clinicgraph embed`: pages to files, idempotence, atomic writes, --check, --dry-run,
paths that leave the site. Byte-level splicing is tested in tests/site/test_blocks.py."""

import json
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLE, SITE, run_cli, write_project

from clinicgraph import pipeline
from clinicgraph.core.errors import ClinicgraphError, OutputError
from clinicgraph.exporters import embed as embedding

CONTENT = """
- type: MedicalClinic
  id: "#clinic"
  name: "Clinic"
  telephone: "+1-604-555-0100"
- {type: WebPage, id: "#home", url: "https://clinic.example/", name: "Home", publisher: {id: "#clinic"}}
- {type: WebPage, id: "a/#webpage", url: "https://clinic.example/a/", name: "A", publisher: {id: "#clinic"}}
- {type: WebPage, id: "b.html#webpage", url: "https://clinic.example/b.html", name: "B"}
- {type: WebPage, id: "c#webpage", url: "https://clinic.example/c", name: "C"}
- {type: WebPage, id: "gone/#webpage", url: "https://clinic.example/gone/", name: "Gone"}
"""
PAGE = "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n  <title>{}</title>\r\n</head>\r\n<body><p>{}</p></body>\r\n</html>\r\n"
FILES = {
    "index.html": "home",
    "a/index.html": "a",
    "b.html": "b",
    "c.html": "c",
    "extra.html": "not a page",
    ".git/x.html": "hidden",
}


@pytest.fixture
def project_dir(tmp_path):
    """A project whose static site sits inside it, in site/."""
    folder = write_project(tmp_path / "project", {"content/site.yaml": CONTENT})
    for relpath, title in FILES.items():
        path = folder / "site" / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PAGE.format(title, title).encode())
    return folder


def snapshot(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def embed(project_dir, **options):
    return pipeline.embed(pipeline.open_project(project_dir), project_dir / "site", **options)


def test_pages_map_to_files_by_url_and_the_rest_is_reported(project_dir):
    report = embed(project_dir)
    assert [(relpath, url) for relpath, url, _ in report.files] == [
        ("index.html", SITE),
        ("a/index.html", SITE + "a/"),
        ("b.html", SITE + "b.html"),
        ("c.html", SITE + "c"),
    ]
    assert report.missing == [(SITE + "gone/", ["gone/index.html", "gone/index.htm"])]
    assert report.unclaimed == ["extra.html"]
    lines = report.lines()
    assert f"{SITE}gone/: no HTML file for this page (looked for gone/index.html, gone/index.htm)" in lines
    assert (
        f"{(project_dir / 'site' / 'extra.html').as_posix()}: no page of the graph claims this file" in lines
    )


def test_second_run_changes_nothing_and_each_page_has_one_block(project_dir):
    site = project_dir / "site"
    before = snapshot(site)
    assert embed(project_dir).changed == 4
    once = snapshot(site)
    assert embed(project_dir).changed == 0
    assert snapshot(site) == once
    for relpath, data in once.items():
        assert data.count(b"data-clinicgraph") == (
            relpath in ("index.html", "a/index.html", "b.html", "c.html")
        )
    assert once["extra.html"] == before["extra.html"] and once[".git/x.html"] == before[".git/x.html"]


def test_block_holds_the_document_build_writes(project_dir, tmp_path):
    embed(project_dir)
    pipeline.build(pipeline.open_project(project_dir), tmp_path / "dist")
    html = (project_dir / "site/a/index.html").read_text("utf-8")
    body = html.split("data-clinicgraph>", 1)[1].split("</script>", 1)[0]
    assert json.loads(body) == json.loads((tmp_path / "dist/jsonld/a.jsonld").read_bytes())


def test_a_map_file_overrides_the_url_rule(project_dir, tmp_path):
    (project_dir / "site/old/gone.html").parent.mkdir()
    (project_dir / "site/old/gone.html").write_text("<title>g</title>")
    map_file = tmp_path / "map.toml"
    map_file.write_text('"/gone/" = "old/gone.html"\n"https://clinic.example/c" = "extra.html"\n')
    report = embed(project_dir, map_file=map_file)
    assert ("old/gone.html", SITE + "gone/", True) in report.files and (
        "extra.html",
        SITE + "c",
        True,
    ) in report.files
    assert report.missing == [] and report.unclaimed == ["c.html"]
    map_file.write_text('# pages\n"/nowhere/" = "x.html"\n')
    with pytest.raises(
        ClinicgraphError, match="no page has the url https://clinic.example/nowhere/"
    ) as caught:
        embed(project_dir, map_file=map_file)
    assert caught.value.line == 2


@pytest.mark.parametrize("relpath", ["../outside.html", "/etc/passwd", "a/../../x.html", "a\\b.html"])
def test_map_paths_outside_the_site_are_refused(project_dir, tmp_path, relpath):
    map_file = tmp_path / "map.toml"
    map_file.write_text(f"'/gone/' = {json.dumps(relpath)}\n")
    with pytest.raises(ClinicgraphError, match="not a path inside the site folder"):
        embed(project_dir, map_file=map_file)


def test_symlinks_out_of_the_site_are_refused_and_nothing_is_written(project_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.html").write_text("<title>elsewhere</title>")
    site = project_dir / "site"
    (site / "b.html").unlink()
    (site / "b.html").symlink_to(outside / "b.html")
    before = snapshot(project_dir) | snapshot(outside)
    result = run_cli("embed", site)
    assert result.returncode == 2
    assert (
        result.stderr == f"{site / 'b.html'}: leads outside the site folder (to {outside / 'b.html'}) "
        "through a symlink: refused\n"
    )
    assert snapshot(project_dir) | snapshot(outside) == before
    (site / "b.html").unlink()
    os.rename(site / "a", outside / "a")
    (site / "a").symlink_to(outside / "a")  # a folder that leads out
    assert run_cli("embed", site).returncode == 2


def test_symlink_inside_the_site_is_written_through(project_dir):
    site = project_dir / "site"
    (site / "c.html").unlink()
    (site / "c.html").symlink_to("extra.html")
    report = embed(project_dir)
    assert (site / "c.html").is_symlink() and b"data-clinicgraph" in (site / "extra.html").read_bytes()
    assert "extra.html" not in report.unclaimed


def test_write_keeps_permissions_and_leaves_no_temporary_file(project_dir):
    page = project_dir / "site/b.html"
    page.chmod(0o640)
    inode = page.stat().st_ino
    embed(project_dir)
    assert page.stat().st_mode & 0o7777 == 0o640 and page.stat().st_ino != inode  # renamed into place
    assert not [p for p in (project_dir / "site").rglob("*.clinicgraph")]


@pytest.mark.parametrize("failing, calls_before_failure", [("fsync", 2), ("replace", 2)])
def test_failure_part_way_leaves_every_file_old_or_new(
    project_dir, monkeypatch, failing, calls_before_failure
):
    site = project_dir / "site"
    before = snapshot(site)
    project = pipeline.open_project(project_dir)
    new = {}
    real = getattr(os, failing)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) > calls_before_failure:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    plan_files = embedding.plan
    monkeypatch.setattr(embedding, "plan", lambda *a, **k: new.setdefault("plan", plan_files(*a, **k)))
    monkeypatch.setattr(embedding.os, failing, flaky)
    with pytest.raises(OutputError, match="no space left on device|No space left on device"):
        pipeline.embed(project, site)
    after = snapshot(site)
    expected_new = {change.relpath: change.new for change in new["plan"].files}
    for relpath, data in after.items():
        assert data in (before[relpath], expected_new.get(relpath)), relpath
    if failing == "fsync":  # failed while writing: nothing renamed
        assert after == before
    else:  # failed while renaming: two new, two old
        assert sum(after[relpath] == data for relpath, data in expected_new.items()) == 2
    assert set(after) == set(before)  # no temporary file left behind


def test_check_exits_1_when_a_page_would_change_and_changes_nothing(project_dir):
    site = project_dir / "site"
    before = snapshot(site)
    result = run_cli("embed", site, "--check")
    assert result.returncode == 1, result.stderr
    assert f"{(site / 'a/index.html').as_posix()}: would change" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1].startswith("checked 4 pages in ")
    assert snapshot(site) == before
    assert run_cli("embed", site).returncode == 0
    result = run_cli("embed", site, "--check")
    assert (
        result.returncode == 0
        and ": 0 would change, 4 unchanged, 1 without a file, 1 file without a page" in result.stdout
    )


def test_dry_run_prints_a_diff_that_git_apply_reads(project_dir, tmp_path):
    site = project_dir / "site"
    before = snapshot(site)
    result = subprocess.run(
        [sys.executable, "-m", "clinicgraph", "embed", str(site), "--dry-run"],
        capture_output=True,
        timeout=120,
    )  # bytes: the diff keeps the files' CRLF
    assert result.returncode == 0 and snapshot(site) == before
    assert result.stdout.startswith(b"--- a/index.html\n+++ b/index.html\n@@ ")
    assert b'\n+  <script type="application/ld+json" data-clinicgraph>\r\n' in result.stdout
    assert b"checked 4 pages" in result.stderr and b"checked" not in result.stdout  # the report stays out
    patch = tmp_path / "embed.diff"
    patch.write_bytes(result.stdout)
    subprocess.run(["git", "apply", "-p1", str(patch)], cwd=site, check=True)
    patched = snapshot(site)
    embed(project_dir)
    assert snapshot(site) == patched


def test_data_with_errors_is_refused_unless_allowed(project_dir):
    (project_dir / "content/bad.yaml").write_text(
        'type: WebPage\nid: "#x"\nurl: "https://clinic.example/x/"\nname: "X"\nratingValue: 5\n'
    )
    site = project_dir / "site"
    before = snapshot(site)
    result = run_cli("embed", site)
    assert result.returncode == 1 and "error(s) in the data: no page was changed" in result.stderr
    assert snapshot(site) == before
    assert run_cli("embed", site, "--allow-errors").returncode == 0


def test_source_defaults_to_the_project_holding_the_site(project_dir, tmp_path):
    assert pipeline.project_for_site(project_dir / "site" / "a") == project_dir.resolve()
    lone = tmp_path / "lone"
    lone.mkdir()
    result = run_cli("embed", lone)
    assert result.returncode == 2
    assert (
        result.stderr == f"{lone}: no clinicgraph.toml in the site folder or above it: "
        "give the project with --source PROJECT\n"
    )
    assert run_cli("embed", tmp_path / "nothing", "--source", project_dir).returncode == 2


def test_the_shipped_example_site_is_embedded():
    result = run_cli("embed", EXAMPLE / "site", "--check")
    assert result.returncode == 0, (
        "the example's graph changed: refresh its site with "
        "`clinicgraph embed examples/back-spasms/site`\n" + result.stdout + result.stderr
    )
    site = (EXAMPLE / "site").as_posix()
    assert result.stdout.splitlines()[:3] == [
        f"{site}/conditions/back-spasms/index.html: unchanged",
        f"{site}/contact/index.html: no page of the graph claims this file",
        f"{site}/index.html: no page of the graph claims this file",
    ]
