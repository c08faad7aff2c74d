"""Nothing reads or writes outside the folders it was given: a source that is a symlink
leading out of the project (a file is refused, a folder not followed), a page url whose path climbs out (``..``,
``%2e%2e``), an HTML file of a site that is a symlink leading out. Each is refused in one
line, exit 2, and nothing outside changes. (tests/exporters/test_embed.py covers embed's
symlinked pages and --map paths; the corpus covers a symlinked source file.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, run_cli, write_project

PAGE = "type: MedicalWebPage\nid: '#p'\nname: P\nurl: {url}\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.yaml").write_text("type: MedicalCondition\nname: not yours\n")
    (folder / "page.html").write_text(
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@id": "https://else.example/#x", "name": "not yours"}</script>'
    )
    return folder


def test_a_source_folder_that_is_a_symlink_out_of_the_project_is_not_followed(tmp_path, outside):
    write_project(tmp_path / "site", {"a.yaml": "type: MedicalCondition\nname: x\n"})
    (tmp_path / "site" / "content").symlink_to(outside, target_is_directory=True)
    result = run_cli("export", "site", "--format", "nt", cwd=tmp_path)
    assert result.returncode == 0 and '"x"' in result.stdout and "not yours" not in result.stdout


def test_a_symlink_inside_the_project_is_read(tmp_path):
    write_project(tmp_path / "site", {"shared/a.yaml": "type: MedicalCondition\nname: x\n"})
    (tmp_path / "site" / "b.yaml").symlink_to(tmp_path / "site" / "shared" / "a.yaml")
    assert run_cli("validate", "site", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    "path",
    [
        "a/../../../outside/x/",
        "a/%2e%2e/%2e%2e/outside/x/",
        "a/%2E%2E%2F%2E%2E%2Fx/",
        "a/..%2f..%2foutside/x/",
        "a%5c..%5c..%5cx/",
    ],
)
def test_a_page_url_that_climbs_out_writes_nothing(tmp_path, outside, path):
    write_project(tmp_path / "site", {"p.yaml": PAGE.format(url=f"https://clinic.example/{path}")})
    before = snapshot(tmp_path)
    result = run_cli("build", "site", "-o", "dist", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "cannot be a file name" in result.stderr
    assert snapshot(tmp_path) == before and not (tmp_path / "dist").exists()

    shutil.copytree(EXAMPLE / "site", tmp_path / "site" / "public")
    before = snapshot(tmp_path)
    embedded = run_cli("embed", "site/public", "--source", "site", cwd=tmp_path)
    assert embedded.returncode == 2 and "cannot be a file name" in embedded.stderr, embedded.stderr
    assert snapshot(tmp_path) == before


def test_import_and_audit_refuse_a_site_file_that_leads_out(tmp_path, outside):
    site = tmp_path / "public"
    shutil.copytree(EXAMPLE / "site", site)
    (site / "stolen.html").symlink_to(outside / "page.html")
    for command in (["import", site, "-o", tmp_path / "out.ttl"], ["audit", site, "--source", EXAMPLE]):
        result = run_cli(*command, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            2,
            f"{site / 'stolen.html'}: leads outside the site folder "
            f"(to {outside / 'page.html'}) through a symlink: refused\n",
        )
    assert not (tmp_path / "out.ttl").exists()
