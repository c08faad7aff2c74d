"""The README's two commands are the ones a newcomer needs, and CI runs the second."""

import re

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
