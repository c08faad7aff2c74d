"""`--today` on every command that validates: the day date rules judge against, so a run
is reproducible; a bad day is one line and exit 2, before anything is written or sent."""

import json

import pytest
from conftest import run_cli, write_project
from test_incremental_today import CLINIC  # special hours from 2026-12-24 through 2026-12-26


def past_hours(result) -> int:
    return sum(d["rule"] == "google/special-hours-past" for d in json.loads(result.stdout))


def test_validate_judges_against_the_day_given(tmp_path):
    write_project(tmp_path, {"clinic.yaml": CLINIC})
    before = run_cli("validate", tmp_path, "--format", "json", "--today", "2026-12-26")
    after = run_cli("validate", tmp_path, "--format", "json", "--today", "2026-12-27")
    assert (before.returncode, after.returncode) == (0, 0), after.stderr
    assert (past_hours(before), past_hours(after)) == (0, 1)


COMMANDS = {
    "validate": ["validate", "{p}"],
    "build": ["build", "{p}", "-o", "{p}/dist"],
    "embed": ["embed", "{p}/site", "--source", "{p}"],
    "audit": ["audit", "{p}/site", "--source", "{p}"],
    "push": ["push", "{p}", "--endpoint", "http://127.0.0.1:9/query"],
}


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
@pytest.mark.parametrize(
    ("day", "says"),
    [
        (
            "2026-13-01",
            "clinicgraph: --today: '2026-13-01' is no day of the calendar (month must be in 1..12)",
        ),
        ("3.12.2026", "clinicgraph: --today: '3.12.2026' is not a date written YYYY-MM-DD, e.g. 2026-12-01"),
    ],
)
def test_a_bad_day_is_one_line_and_exit_2(tmp_path, command, day, says):
    write_project(tmp_path, {"clinic.yaml": CLINIC})
    (tmp_path / "site").mkdir()
    args = [arg.format(p=tmp_path) for arg in COMMANDS[command]]
    result = run_cli(*args, "--today", day)
    assert (result.returncode, result.stderr, result.stdout) == (2, says + "\n", "")
    assert not (tmp_path / "dist").exists()
