"""The README's commands and its format example are true."""

import re

from clinicgraph import pipeline
from conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_readme_test_command():
    commands = [block.strip() for block in code_blocks("sh")]
    assert len(commands) == 2, "the README has exactly two commands for a newcomer"
    assert "clinicgraph build examples/back-spasms" in commands[0]
    assert "pytest" in commands[1]
    assert commands[1] in (REPO / ".ci" / "run").read_text("utf-8").splitlines()


def test_the_format_example_builds(tmp_path):
    (toml,) = code_blocks("toml")
    content = next(block for block in code_blocks("yaml") if "type: MedicalClinic" in block)
    (tmp_path / "clinicgraph.toml").write_text(toml)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "back-pain.yaml").write_text(content)
    project = pipeline.open_project(tmp_path)
    report = pipeline.build(project, tmp_path / "dist")
    assert report.pages == 1
    page = (tmp_path / "dist/jsonld/conditions/back-pain.jsonld").read_text()
    assert '"medicineSystem": {\n' in page and '"http://schema.org/Chiropractic"' in page
    assert '"lastReviewed": "2026-01-31"' in page
